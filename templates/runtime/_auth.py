"""Credentials: every security scheme the API declares, applied the way it says.

The generated client describes the schemes once, statically (`SchemeSpec`), and hands the
values its caller gave (or the environment holds) to `configure`. Each operation's Endpoint
lists the alternatives of schemes it accepts; a call sends the first alternative whose
schemes are all configured, and fails before sending anything when none is.

Static credentials (API keys, HTTP basic, fixed tokens) are set once per call while the
request is built. Tokens that can change (a token provider, OAuth2 client credentials) are
set on every attempt. Client-credentials tokens are fetched from the token URL when first
needed, cached, fetched again shortly before they expire, and once more if the API answers
401; one token request serves every thread (or task) that needs a token at the same time.

No secret ever appears in a repr, a log line or an exception message.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Dict,
    List,
    Mapping,
    MutableMapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import httpx

from . import _encode, _logging
from ._exceptions import APIError, MissingCredentialsError, status_error_class
from ._types import Unset

if TYPE_CHECKING:
    import asyncio

    from ._base_client import AsyncAPIClient, Endpoint, SyncAPIClient

TokenProvider = Callable[[], Union[str, Awaitable[str]]]
TokenSource = Union[str, TokenProvider]

# A token is fetched again this long before it expires (at most a tenth of its lifetime).
REFRESH_MARGIN = 60.0


class SchemeSpec(NamedTuple):
    """One security scheme as the spec declares it, and the client arguments configuring it.

    kind: "api_key", "http" (a token after the `scheme` word), "basic", "digest", "oauth2"
    or "none". arguments: (role, argument name, environment variable), role being "key",
    "token", "username", "password", "client_id", "client_secret" or "token_url".
    """

    key: str
    kind: str
    arguments: Tuple[Tuple[str, str, str], ...] = ()
    location: str = ""  # api_key: header, query or cookie
    param: str = ""  # api_key: the header, query parameter or cookie name
    scheme: str = ""  # http: the Authorization scheme word
    token_url: str = ""  # oauth2 client credentials: the default token URL


class Scheme:
    """A configured security scheme. Static ones write their credentials into the request as
    it is built (`apply`); dynamic ones give an Authorization value per attempt."""

    dynamic = False
    refreshable = False  # a 401 may mean the token expired early: fetch another and retry once
    httpx_auth: Optional[httpx.Auth] = None  # a scheme httpx carries out itself (digest)

    def __init__(self, key: str) -> None:
        self.key = key

    def apply(
        self, headers: MutableMapping[str, str], query: List[str], cookies: List[str]
    ) -> None:
        pass

    def authorization(self, client: SyncAPIClient) -> str:
        raise NotImplementedError

    async def authorization_async(self, client: AsyncAPIClient) -> str:
        raise NotImplementedError

    def invalidate(self, used: str) -> None:
        pass

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"


class APIKey(Scheme):
    def __init__(self, key: str, location: str, name: str, value: str) -> None:
        super().__init__(key)
        self.location, self.name = location, name
        if location == "query":
            self._piece = _encode.query_params(name, value)[0]
        elif location == "cookie":
            self._piece = _encode.cookie_params(name, value)[0]
        else:
            self._piece = _encode.checked_header(name, value)

    def apply(
        self, headers: MutableMapping[str, str], query: List[str], cookies: List[str]
    ) -> None:
        if self.location == "header":
            headers[self.name] = self._piece
        elif self.location == "query":
            query.append(self._piece)
        else:
            cookies.append(self._piece)

    def __repr__(self) -> str:
        return f"<APIKey {self.key!r} in {self.location} {self.name!r}>"


class Basic(Scheme):
    def __init__(self, key: str, username: str, password: str) -> None:
        super().__init__(key)
        encoded = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._value = _encode.checked_header("Authorization", f"Basic {encoded}")

    def apply(
        self, headers: MutableMapping[str, str], query: List[str], cookies: List[str]
    ) -> None:
        headers["Authorization"] = self._value


class Digest(Scheme):
    def __init__(self, key: str, username: str, password: str) -> None:
        super().__init__(key)
        self.httpx_auth = httpx.DigestAuth(username, password)


class Token(Scheme):
    """`Authorization: <word> <token>`: a fixed token, or a function that returns the current
    one (called on every attempt; the async client awaits it when it is a coroutine function)."""

    def __init__(self, key: str, word: str, token: TokenSource) -> None:
        super().__init__(key)
        self.word = word
        if callable(token):
            self.dynamic = True
            self._provider: Optional[TokenProvider] = token
        else:
            self._provider = None
            self._value = _encode.checked_header("Authorization", f"{word} {token}")

    def apply(
        self, headers: MutableMapping[str, str], query: List[str], cookies: List[str]
    ) -> None:
        if self._provider is None:
            headers["Authorization"] = self._value

    def authorization(self, client: SyncAPIClient) -> str:
        assert self._provider is not None
        token = self._provider()
        if not isinstance(token, str):
            raise TypeError(
                f"the token provider for {self.key!r} must return a str (the sync client does not await)"
            )
        return _encode.checked_header("Authorization", f"{self.word} {token}")

    async def authorization_async(self, client: AsyncAPIClient) -> str:
        assert self._provider is not None
        token = self._provider()
        if not isinstance(token, str):
            token = await token
        return _encode.checked_header("Authorization", f"{self.word} {token}")


class ClientCredentials(Scheme):
    """OAuth2 client credentials: a bearer token from the token URL, cached until shortly
    before it expires, fetched by one thread (or task) for all that wait for it."""

    dynamic = True
    refreshable = True

    def __init__(self, key: str, token_url: str, client_id: str, client_secret: str) -> None:
        super().__init__(key)
        self.token_url = token_url
        self._client_auth = (client_id, client_secret)
        self._token: Optional[str] = None
        self._refresh_at = 0.0  # clock() time after which the token is fetched again
        self._lock = threading.Lock()
        self._async_lock: Optional[asyncio.Lock] = None
        self.clock: Callable[[], float] = time.monotonic
        self.fetches = 0  # how many tokens were fetched (for tests and diagnostics)

    def _current(self) -> Optional[str]:
        token = self._token
        if token is not None and self.clock() < self._refresh_at:
            return token
        return None

    def authorization(self, client: SyncAPIClient) -> str:
        token = self._current()
        if token is None:
            with self._lock:
                token = self._current()  # another thread may have fetched it meanwhile
                if token is None:
                    response = self._send(client._http, client.timeout)
                    token = self._store(response)
        return "Bearer " + token

    async def authorization_async(self, client: AsyncAPIClient) -> str:
        token = self._current()
        if token is None:
            if self._async_lock is None:
                import asyncio

                self._async_lock = asyncio.Lock()
            async with self._async_lock:
                token = self._current()
                if token is None:
                    response = await self._send_async(client._http, client.timeout)
                    token = self._store(response)
        return "Bearer " + token

    def invalidate(self, used: str) -> None:
        """The API refused `used` (an Authorization value): forget it, unless another thread
        already replaced it."""
        with self._lock:
            if self._token is not None and used == "Bearer " + self._token:
                self._token = None

    def _request_args(self, timeout: Any) -> Dict[str, Any]:
        args: Dict[str, Any] = {
            "data": {"grant_type": "client_credentials"},
            "auth": self._client_auth,
            "headers": {"Accept": "application/json"},
        }
        if not isinstance(timeout, Unset):
            args["timeout"] = timeout
        return args

    def _send(self, http: httpx.Client, timeout: Any) -> httpx.Response:
        from ._base_client import connection_error

        try:
            return http.post(self.token_url, **self._request_args(timeout))
        except httpx.TransportError as exc:
            raise connection_error(exc, exc.request, 1) from exc

    async def _send_async(self, http: httpx.AsyncClient, timeout: Any) -> httpx.Response:
        from ._base_client import connection_error

        try:
            return await http.post(self.token_url, **self._request_args(timeout))
        except httpx.TransportError as exc:
            raise connection_error(exc, exc.request, 1) from exc

    def _store(self, response: httpx.Response) -> str:
        """The token of a token response, cached with its expiry; an error raises."""
        where = f"the token request for {self.key!r} ({_logging.where(response.request)})"
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        if not response.is_success:
            detail = ""
            if isinstance(body, dict):
                detail = str(body.get("error_description") or body.get("error") or "")[:300]
            message = f"{where} failed with status {response.status_code}" + (
                f": {detail}" if detail else ""
            )
            raise status_error_class(response.status_code)(message, response=response, body=body)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise APIError(f"{where} answered without an access_token", request=response.request)
        _encode.checked_header("Authorization", token)
        expires_in = body.get("expires_in")
        now = self.clock()
        if (
            isinstance(expires_in, (int, float))
            and not isinstance(expires_in, bool)
            and expires_in > 0
        ):
            self._refresh_at = now + expires_in - min(REFRESH_MARGIN, expires_in / 10)
        else:
            self._refresh_at = float("inf")  # until the API refuses it
        self._token = token
        self.fetches += 1
        _logging.logger.info(
            "fetched an access token for %s from %s",
            self.key,
            _logging.safe_url(response.request.url),
        )
        return token

    def __repr__(self) -> str:
        return f"<ClientCredentials {self.key!r} from {self.token_url!r}>"


class Missing(Scheme):
    """A scheme nothing configured: says how to configure it."""

    def __init__(self, key: str, hint: str) -> None:
        super().__init__(key)
        self.hint = hint


class Nothing(Scheme):
    """A scheme with nothing to send (mutual TLS is the http_client's business)."""


def configure(specs: Sequence[SchemeSpec], given: Mapping[str, Any], base_url: str) -> Credentials:
    """The schemes, configured from the client's arguments, else the environment."""
    schemes: Dict[str, Scheme] = {}
    for spec in specs:
        values: Dict[str, Any] = {}
        for role, argument, variable in spec.arguments:
            value = given.get(argument)
            if value is None or value == "":
                value = os.environ.get(variable) or None
            if value is not None:
                values[role] = value
        schemes[spec.key] = _scheme(spec, values, base_url)
    return Credentials(schemes)


def _scheme(spec: SchemeSpec, values: Dict[str, Any], base_url: str) -> Scheme:
    kind = spec.kind
    if kind == "api_key" and "key" in values:
        return APIKey(spec.key, spec.location, spec.param, str(values["key"]))
    if kind == "http" and "token" in values:
        return Token(spec.key, spec.scheme or "Bearer", values["token"])
    if kind == "basic" and "username" in values and "password" in values:
        return Basic(spec.key, str(values["username"]), str(values["password"]))
    if kind == "digest" and "username" in values and "password" in values:
        return Digest(spec.key, str(values["username"]), str(values["password"]))
    if kind == "oauth2":
        if "token" in values:
            return Token(spec.key, "Bearer", values["token"])
        url = values.get("token_url") or spec.token_url
        if url and "client_id" in values and "client_secret" in values:
            # A relative token URL is relative to the API's address.
            absolute = str(httpx.URL(base_url).join(str(url)))
            return ClientCredentials(
                spec.key, absolute, str(values["client_id"]), str(values["client_secret"])
            )
    if kind == "none":
        return Nothing(spec.key)
    return Missing(spec.key, _hint(spec))


def _hint(spec: SchemeSpec) -> str:
    """How to configure a scheme: its arguments and environment variables, never values."""
    by_role = {role: (argument, variable) for role, argument, variable in spec.arguments}

    def both(*roles: str) -> str:
        present = [by_role[r] for r in roles if r in by_role]
        arguments = ", ".join(f"{a}=..." for a, _ in present)
        variables = " and ".join(v for _, v in present)
        return f"{arguments} (or set {variables})"

    if spec.kind == "oauth2" and "client_id" in by_role:
        return f"{both('token')}, or {both('client_id', 'client_secret')}"
    roles = [role for role, _, _ in spec.arguments if role != "token_url"]
    return both(*roles) if roles else "nothing it can send"


class Credentials:
    """The configured schemes of a client, and the choice among an operation's alternatives."""

    __slots__ = ("schemes", "_chosen")

    def __init__(self, schemes: Dict[str, Scheme]) -> None:
        self.schemes = schemes
        # The choice per operation, made on its first call: configuration does not change.
        self._chosen: Dict[Endpoint[Any], Tuple[Scheme, ...]] = {}

    def choose(self, endpoint: Endpoint[Any]) -> Tuple[Scheme, ...]:
        """The schemes of the first alternative whose schemes are all configured."""
        chosen = self._chosen.get(endpoint)
        if chosen is not None:
            return chosen
        for alternative in endpoint.security:
            schemes = tuple(self.schemes[key] for key in alternative if key in self.schemes)
            if len(schemes) == len(alternative) and not any(
                isinstance(s, Missing) for s in schemes
            ):
                self._chosen[endpoint] = schemes
                return schemes
        raise MissingCredentialsError(self._explain(endpoint))

    def _explain(self, endpoint: Endpoint[Any]) -> str:
        options = []
        for alternative in endpoint.security:
            missing = [
                self.schemes[k] for k in alternative if isinstance(self.schemes.get(k), Missing)
            ]
            options.append(
                " and ".join(
                    f"{s.hint} for scheme {s.key!r}" for s in missing if isinstance(s, Missing)
                )
            )
        listed = "; or ".join(o for o in options if o)
        return f"{endpoint.name} needs credentials the client was not given: pass {listed}"

    def apply(
        self,
        endpoint: Endpoint[Any],
        headers: MutableMapping[str, str],
        query: List[str],
        same_origin: bool = True,
    ) -> Tuple[Scheme, ...]:
        """Write the static credentials for a call; returns the schemes to apply per attempt.

        `same_origin` false (a next-page URL on another host): nothing is sent."""
        schemes = self.choose(endpoint)
        if not same_origin:
            return ()
        cookies: List[str] = []
        dynamic: List[Scheme] = []
        for scheme in schemes:
            if scheme.dynamic or scheme.httpx_auth is not None:
                dynamic.append(scheme)
            else:
                scheme.apply(headers, query, cookies)
        if cookies:
            existing = headers.get("Cookie")
            headers["Cookie"] = "; ".join(([existing] if existing else []) + cookies)
        return tuple(dynamic)

    def __repr__(self) -> str:
        configured = [key for key, s in self.schemes.items() if not isinstance(s, Missing)]
        return f"<Credentials configured={configured!r}>"
