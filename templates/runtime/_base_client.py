"""The transport: turning an operation call into an HTTP exchange, and its answer into a value.

Generated code describes each operation once, as an Endpoint, and calls
`client._request(endpoint, parameter_values, body, options)` (`_stream` for event streams).
Everything that is the same for every operation (URLs, serialization, retries, errors,
decoding, hooks, logging) lives here, written once for the sync client and once for the
async one. A call builds its request once (`_prepare`), sends it until the answer is final
(`_send`: the retry loop), then turns the answer into a value or an exception
(`parse_response`, `status_error`).
"""

from __future__ import annotations

import copy
import os
import random
import sys
import time
import warnings
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generic,
    List,
    Mapping,
    MutableMapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    cast,
)
from urllib.parse import urlencode

import httpx

from . import _encode, _logging, _model
from ._decode import DecodeError
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ResponseValidationError,
    status_error_class,
)
from ._types import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, UNSET, TimeoutTypes, Unset

if TYPE_CHECKING:
    from ._auth import Credentials, Scheme
    from ._pagination import AsyncPage, AsyncPager, PageRequest, Paging, SyncPage
    from ._streaming import AsyncStream, Stream

Self = TypeVar("Self", bound="BaseClient")
T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a server asking for a longer wait gets the error at once instead

# The request certainly never reached the server: safe to send again even when the
# operation is not idempotent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures of the network rather than of the request: worth another attempt when the
# operation is idempotent. (Others, such as an unsupported URL scheme, fail at once.)
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

# How `with_raw_response` and `with_streaming_response` ask for the response itself.
MODE = "_mode"
RAW = "raw"
STREAM = "stream"

RequestHook = Callable[[httpx.Request], Any]
ResponseHook = Callable[[httpx.Response], Any]


class Param(NamedTuple):
    name: str  # the wire name
    location: str  # "path", "query", "header" or "cookie"
    style: str = ""  # "" is the location's default: form for query and cookie, simple otherwise
    explode: Optional[bool] = None  # None is the style's default: true for form only


def _described(description: str) -> Callable[[Any], Any]:
    """A decoder for a type description, compiled when first called (imports stay cheap)."""

    def decode(value: Any) -> Any:
        return _model.decoder(description)(value)

    return decode


class Endpoint(Generic[T]):
    """A static description of one operation: everything the transport needs to call it.

    T is what a successful call returns (for an event stream: what each event is).
    """

    __slots__ = (
        "name",
        "method",
        "path",
        "params",
        "body_type",
        "body_types",
        "fields",
        "response",
        "accept",
        "decode",
        "errors",
        "idempotent",
        "idempotency_header",
        "security",
        "paging",
        "deprecated",
        "deprecated_inputs",
    )

    def __init__(
        self,
        name: str,
        method: str,
        path: str,
        params: Sequence[Param] = (),
        *,
        body_type: Optional[str] = None,
        body_types: Sequence[str] = (),
        fields: Optional[frozenset[str]] = None,
        response: str = "json",
        accept: Optional[str] = None,
        decode: Union[str, Callable[[Any], T], None] = None,
        errors: Optional[Mapping[str, Union[str, Callable[[Any], Any]]]] = None,
        idempotent: bool = False,
        idempotency_header: Optional[str] = None,
        security: Tuple[Tuple[str, ...], ...] = (),
        paging: Optional[Paging] = None,
        deprecated: bool = False,
        deprecated_inputs: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name  # "group.method", as the client spells it
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.body_type = body_type  # the default request content type
        self.body_types = tuple(body_types) or (
            (body_type,) if body_type else ()
        )  # all the caller may choose
        # The body is keyword arguments (a dict); these may be sent as null, the others are
        # left out when None.
        self.fields = fields
        self.response = response  # "json", "text", "binary", "sse" or "none"
        self.accept = accept  # Accept header, when not JSON
        # Decoders are type descriptions (see _model.py) resolved on first use, or callables.
        self.decode: Optional[Callable[[Any], T]] = (
            _described(decode) if isinstance(decode, str) else decode
        )
        self.errors = {
            status: _described(d) if isinstance(d, str) else d
            for status, d in (errors or {}).items()
        }
        # Retried after transient failures; an idempotency key header makes a POST safe to repeat.
        self.idempotent = idempotent or idempotency_header is not None
        self.idempotency_header = idempotency_header
        # The alternatives of security schemes the operation accepts (the first one configured
        # is sent); empty: no credentials.
        self.security = security
        self.paging = paging  # how to get the next page, for a list operation
        # The API marks these deprecated: calling the operation, or passing one of these
        # parameters or body fields (wire names), warns.
        self.deprecated = deprecated
        self.deprecated_inputs = deprecated_inputs

    def __repr__(self) -> str:
        return f"Endpoint({self.name!r}, {self.method!r}, {self.path!r})"


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _warn_deprecated(endpoint: Endpoint[Any], values: Sequence[Any], body: Any) -> None:
    used = [
        p.name
        for p, v in zip(endpoint.params, values)
        if v is not None and not isinstance(v, Unset)
    ]
    if isinstance(body, dict):
        used += [k for k, v in body.items() if v is not None and not isinstance(v, Unset)]
    messages = [f"{endpoint.name} is deprecated by the API"] if endpoint.deprecated else []
    messages += [
        f"{endpoint.name}: {name!r} is deprecated by the API"
        for name in used
        if name in endpoint.deprecated_inputs
    ]
    level = _caller_stacklevel()
    for message in messages:
        warnings.warn(message, DeprecationWarning, stacklevel=level)


def _caller_stacklevel() -> int:
    """The stack level of the first frame outside this package: the line that made the call."""
    frame = sys._getframe(1)  # the function that warns: stack level 1
    level = 1
    while frame.f_back is not None and _in_package(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level


def _in_package(filename: str) -> bool:
    return (os.path.dirname(os.path.abspath(filename)) + os.sep).startswith(_PACKAGE_DIR + os.sep)


class _Prepared:
    """A call's request and how many retries each kind of failure allows it."""

    __slots__ = ("request", "retries", "connect_retries", "dynamic", "auth")

    def __init__(
        self,
        request: httpx.Request,
        retries: int,
        connect_retries: int,
        dynamic: Tuple[Scheme, ...] = (),
        auth: Optional[httpx.Auth] = None,
    ) -> None:
        self.request = request
        self.retries = retries  # after a transient failure; 0 unless the call is idempotent
        self.connect_retries = connect_retries  # when the request never left (nothing was sent)
        self.dynamic = (
            dynamic  # security schemes that set the Authorization header on every attempt
        )
        self.auth = auth  # an httpx.Auth to send with (the caller's, or digest)


class BaseClient:
    """What the sync and async clients share: configuration, requests and responses."""

    _package = "client"
    _version = "0"
    _log_variable = "CLIENT_LOG"
    # Header and query parameter names whose values are never logged (besides the usual ones).
    _secret_names: frozenset[str] = frozenset()
    _owns_http: bool  # whether close() closes the connection pool

    def __init__(
        self,
        *,
        base_url: str,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Optional[Mapping[str, str]] = None,
        on_request: Sequence[RequestHook] = (),
        on_response: Sequence[ResponseHook] = (),
        credentials: Optional[Credentials] = None,
        auth: Optional[httpx.Auth] = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.default_headers: Dict[str, str] = {
            "Accept": "application/json",
            "User-Agent": f"{self._package}/{self._version} httpx/{httpx.__version__}",
        }
        for name, value in (default_headers or {}).items():
            _set_header(self.default_headers, name, _encode.checked_header(name, value))
        # Called before every attempt (to sign, trace, count) and after every response.
        self.on_request: List[RequestHook] = list(on_request)
        self.on_response: List[ResponseHook] = list(on_response)
        self._http_timeout: TimeoutTypes | Unset = UNSET  # the timeout the pool was made with
        self._credentials = credentials  # the spec's security schemes, as configured
        self._http_auth = (
            auth  # any httpx.Auth, for what the spec cannot describe (request signing)
        )
        _logging.setup(self._log_variable)

    def with_options(
        self: Self,
        *,
        base_url: Optional[str] = None,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        on_request: Optional[Sequence[RequestHook]] = None,
        on_response: Optional[Sequence[ResponseHook]] = None,
    ) -> Self:
        """A copy with other settings, sharing this client's connection pool (closing the copy
        leaves the pool open: it belongs to this client)."""
        clone = copy.copy(self)
        # Resource groups are cached per client; the copy must build its own.
        clone.__dict__ = {
            k: v for k, v in self.__dict__.items() if not getattr(v, "_is_resource", False)
        }
        clone._owns_http = False
        clone.default_headers = dict(self.default_headers)
        clone.on_request = list(self.on_request if on_request is None else on_request)
        clone.on_response = list(self.on_response if on_response is None else on_response)
        if base_url is not None:
            clone.base_url = base_url.rstrip("/")
        if not isinstance(timeout, Unset):
            clone.timeout = timeout
        if max_retries is not None:
            clone.max_retries = max_retries
        for name, value in (default_headers or {}).items():
            _set_header(clone.default_headers, name, _encode.checked_header(name, value))
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={_logging.safe_url(self.base_url)!r})"

    def _request_headers(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Headers:
        """A fresh copy of the http client's headers with the default headers over them.

        The merge is cached until either changes: httpx copies an httpx.Headers cheaply, but
        merging normalises and replaces every entry again (see _new_request)."""
        key = (list(http.headers.raw), dict(self.default_headers))
        cached = self.__dict__.get("_headers_cache")
        if cached is None or cached[0] != key:
            merged = httpx.Headers(http.headers)
            merged.update(self.default_headers)
            cached = (key, merged)
            self.__dict__["_headers_cache"] = cached
        return httpx.Headers(cached[1])

    # -- building the request -----------------------------------------------------------

    def _prepare(
        self,
        http: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[Any],
        values: Sequence[Any],
        body: Any,
        options: Mapping[str, Any],
        content_type: Optional[str],
        url: Optional[str] = None,
    ) -> _Prepared:
        """The request for one call, built once: every attempt sends this same request.

        `url`, when given, is where to send it instead (a next page's URL from the API)."""
        if url is None and (endpoint.deprecated or endpoint.deprecated_inputs):
            _warn_deprecated(endpoint, values, body)
        headers = self._request_headers(http)
        if endpoint.accept is not None:
            headers["Accept"] = endpoint.accept
        path, query = _parameters(endpoint, values, headers)
        if url is not None:
            query = []  # the API's URL for the next page carries the query
        dynamic: Tuple[Scheme, ...] = ()
        if endpoint.security and self._credentials is not None:
            same_origin = url is None or _same_origin(url, self.base_url)
            dynamic = self._credentials.apply(endpoint, headers, query, same_origin)
            if url is not None and query:
                query = _not_in_url(query, url)
        if endpoint.idempotency_header is not None and endpoint.idempotency_header not in headers:
            # One key for the call, so that every attempt is the same request to the server.
            headers[endpoint.idempotency_header] = _idempotency_key()
        replayable = True
        kwargs: Dict[str, Any] = {}
        if endpoint.body_types or options.get("extra_body"):
            kwargs, replayable = self._body(
                endpoint, body, options.get("extra_body"), content_type, headers
            )
        if options:
            if url is None:  # a next page's URL from the API is sent as it is
                query = _extra_query(query, options.get("extra_query"))
            for name, value in (options.get("extra_headers") or {}).items():
                _set_header(headers, name, _encode.checked_header(name, value))
        timeout = options.get("timeout", self.timeout)
        if timeout is not self._http_timeout and not isinstance(timeout, Unset):
            kwargs["timeout"] = timeout
        if url is None:
            url = self.base_url + path
            if query:
                url += "?" + "&".join(query)
        elif query:
            url += ("&" if "?" in url else "?") + "&".join(query)
        stream = kwargs.pop(STREAM, None)
        request = _new_request(http, endpoint.method, url, headers, kwargs)
        if stream is not None:
            request.stream = stream  # build_request would wrap it for one kind of client only
        max_retries = int(options.get("max_retries", self.max_retries))
        auth = self._http_auth
        if dynamic:
            for scheme in dynamic:
                if scheme.httpx_auth is not None:
                    auth = scheme.httpx_auth
            dynamic = tuple(s for s in dynamic if s.dynamic)
        if not replayable:
            return _Prepared(request, 0, 0, dynamic, auth)  # a streamed body cannot be sent again
        return _Prepared(
            request, max_retries if endpoint.idempotent else 0, max_retries, dynamic, auth
        )

    def _body(
        self,
        endpoint: Endpoint[Any],
        body: Any,
        extra_body: Optional[Mapping[str, Any]],
        content_type: Optional[str],
        headers: MutableMapping[str, str],
    ) -> Tuple[Dict[str, Any], bool]:
        """httpx arguments for the body and whether it can be sent again; sets Content-Type."""
        chosen = content_type or endpoint.body_type or "application/json"
        if content_type is not None and content_type not in endpoint.body_types:
            raise ValueError(
                f"{endpoint.name} takes {' or '.join(endpoint.body_types)}, not {content_type!r}"
            )
        if endpoint.fields is not None:
            body = _encode.omit_unset(body, endpoint.fields)
        if extra_body:
            if body is not None and not isinstance(body, Mapping):
                raise TypeError(
                    f"extra_body needs a body of fields; {endpoint.name} takes {type(body).__name__}"
                )
            body = {**(body or {}), **extra_body}
        if body is None:
            return {}, True
        media = chosen.split(";")[0].strip().lower()
        if media == "application/json" or media.endswith("+json"):
            headers["Content-Type"] = chosen
            return {"content": _encode.json_text(body).encode()}, True
        if media == "application/x-www-form-urlencoded":
            headers["Content-Type"] = chosen
            return {"content": _encode.form_urlencoded(body)}, True
        if media == "multipart/form-data":
            # httpx writes the Content-Type itself, with the boundary.
            parts = _encode.multipart_parts(body)
            return {"files": parts}, all(_rewindable(part) for _, part in parts)
        headers["Content-Type"] = chosen
        return _binary(body, headers)

    # -- retries --------------------------------------------------------------------------

    def _retry_delay(
        self, attempt: int, retries: int, response: Optional[httpx.Response]
    ) -> Optional[float]:
        """Seconds to wait before another attempt after `attempt` failed, or None to stop.

        `retries` is how many retries this failure allows; `response` is None when the
        attempt got no response (connection error, timeout).
        """
        if attempt > retries:
            return None
        if response is not None:
            if response.status_code not in RETRYABLE_STATUS:
                return None
            hinted = _retry_after(response.headers)
            if hinted is not None:
                return hinted if hinted <= MAX_RETRY_AFTER else None
        delay: float = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    def _retries_after(self, prepared: _Prepared, exc: httpx.TransportError) -> int:
        if isinstance(exc, _NOT_SENT):
            return prepared.connect_retries
        return prepared.retries if isinstance(exc, _TRANSIENT) else 0

    def _log(
        self,
        endpoint: Endpoint[Any],
        prepared: _Prepared,
        response: Optional[httpx.Response],
        error: Optional[BaseException],
        started: float,
        attempt: int,
        delay: Optional[float],
    ) -> None:
        attempts = max(prepared.retries, prepared.connect_retries) + 1
        seconds = time.monotonic() - started
        _logging.exchange(
            endpoint.name,
            prepared.request,
            response,
            error,
            seconds,
            attempt,
            attempts,
            delay,
            self._secret_names,
        )


class SyncAPIClient(BaseClient):
    def __init__(
        self,
        *,
        http_client: Optional[httpx.Client] = None,
        timeout: TimeoutTypes | Unset = UNSET,
        **kwargs: Any,
    ) -> None:
        super().__init__(timeout=timeout, **kwargs)
        self._owns_http = http_client is None
        if http_client is None:
            # Our own pool: its timeout is ours. Someone else's client keeps its settings.
            self.timeout = self._http_timeout = (
                DEFAULT_TIMEOUT if isinstance(timeout, Unset) else timeout
            )
            http_client = httpx.Client(timeout=self._http_timeout, follow_redirects=True)
        self._http = http_client
        self._sleep: Callable[[float], Any] = time.sleep

    def _request(
        self,
        endpoint: Endpoint[T],
        values: Sequence[Any],
        body: Any,
        options: Mapping[str, Any],
        content_type: Optional[str] = None,
    ) -> T:
        mode = options.get(MODE) if options else None
        prepared = self._prepare(self._http, endpoint, values, body, options, content_type)
        response, attempts = self._send(endpoint, prepared, mode == STREAM)
        if mode is None:
            return cast(T, parse_response(endpoint, response, attempts))
        return cast(T, self._wrap(endpoint, response, attempts))

    def _stream(
        self,
        endpoint: Endpoint[T],
        values: Sequence[Any],
        body: Any,
        options: Mapping[str, Any],
        content_type: Optional[str] = None,
    ) -> Stream[T]:
        """An operation whose answer is an event stream: the events, read as they arrive."""
        from ._streaming import Stream

        mode = options.get(MODE) if options else None
        prepared = self._prepare(self._http, endpoint, values, body, options, content_type)
        response, attempts = self._send(endpoint, prepared, True)
        if mode is not None:
            return cast("Stream[T]", self._wrap(endpoint, response, attempts))
        if not response.is_success:
            raise status_error(endpoint, response, attempts)
        return Stream(response, endpoint)

    def _paginate(
        self, endpoint: Endpoint[Any], values: Sequence[Any], body: Any, options: Mapping[str, Any]
    ) -> SyncPage[Any]:
        """A list operation: its first page, which iterates every item of every page."""
        from ._pagination import PageRequest

        request = PageRequest(tuple(values))
        mode = options.get(MODE) if options else None
        if mode is None:
            return self._page(endpoint, request, body, options, 0)
        plain = {k: v for k, v in options.items() if k != MODE}
        prepared = self._prepare(self._http, endpoint, values, body, options, None)
        response, attempts = self._send(endpoint, prepared, mode == STREAM)
        wrapped = self._wrap(endpoint, response, attempts)
        wrapped._parser = lambda: self._make_page(
            endpoint, request, body, plain, response, attempts, 0
        )
        return cast("SyncPage[Any]", wrapped)

    def _page(
        self,
        endpoint: Endpoint[Any],
        request: PageRequest,
        body: Any,
        options: Mapping[str, Any],
        seen_items: int,
    ) -> SyncPage[Any]:
        prepared = self._prepare(
            self._http, endpoint, request.values, body, options, None, request.url
        )
        response, attempts = self._send(endpoint, prepared, False)
        return self._make_page(endpoint, request, body, options, response, attempts, seen_items)

    def _make_page(
        self,
        endpoint: Endpoint[Any],
        request: PageRequest,
        body: Any,
        options: Mapping[str, Any],
        response: httpx.Response,
        attempts: int,
        seen_items: int,
    ) -> SyncPage[Any]:
        from ._pagination import SyncPage

        data, value = read_json(endpoint, response, attempts)
        return SyncPage(self, endpoint, request, body, options, response, data, value, seen_items)

    def _wrap(self, endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> Any:
        from ._response import APIResponse

        if not response.is_success:
            raise status_error(endpoint, response, attempts)
        return APIResponse(endpoint, response, attempts)

    def _send(
        self, endpoint: Endpoint[Any], prepared: _Prepared, stream: bool
    ) -> Tuple[httpx.Response, int]:
        """Send until a response that is final (success, error not worth retrying, or out of
        attempts); returns it with the number of attempts made. A streamed error response is
        read first, so that the error can carry its body."""
        request = prepared.request
        log = _logging.info_enabled()
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            for scheme in prepared.dynamic:
                request.headers["Authorization"] = scheme.authorization(self)
            for request_hook in self.on_request:
                request_hook(request)
            started = time.monotonic() if log else 0.0
            try:
                if prepared.auth is None:
                    response = self._http.send(request, stream=stream)
                else:
                    response = self._http.send(request, stream=stream, auth=prepared.auth)
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, self._retries_after(prepared, exc), None)
                if log:
                    self._log(endpoint, prepared, None, exc, started, attempt, delay)
                if delay is None:
                    raise connection_error(exc, request, attempt) from exc
                self._sleep(delay)
                continue
            for response_hook in self.on_response:
                response_hook(response)
            if response.status_code == 401 and not refreshed and _refresh(prepared, request):
                # The token may have expired early: one more attempt with a fresh one.
                refreshed = True
                if log:
                    self._log(endpoint, prepared, response, None, started, attempt, 0.0)
                response.close()
                attempt -= 1
                continue
            delay = (
                None
                if response.is_success
                else self._retry_delay(attempt, prepared.retries, response)
            )
            if log:
                self._log(endpoint, prepared, response, None, started, attempt, delay)
            if delay is None:
                if stream and not response.is_success:
                    response.read()
                    response.close()
                return response, attempt
            response.close()
            self._sleep(delay)

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as http_client, or this is a copy)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    def __init__(
        self,
        *,
        http_client: Optional[httpx.AsyncClient] = None,
        timeout: TimeoutTypes | Unset = UNSET,
        **kwargs: Any,
    ) -> None:
        import asyncio  # here, so that importing a sync-only client stays cheap

        super().__init__(timeout=timeout, **kwargs)
        self._owns_http = http_client is None
        if http_client is None:
            self.timeout = self._http_timeout = (
                DEFAULT_TIMEOUT if isinstance(timeout, Unset) else timeout
            )
            http_client = httpx.AsyncClient(timeout=self._http_timeout, follow_redirects=True)
        self._http = http_client
        self._sleep: Callable[[float], Any] = asyncio.sleep

    async def _request(
        self,
        endpoint: Endpoint[T],
        values: Sequence[Any],
        body: Any,
        options: Mapping[str, Any],
        content_type: Optional[str] = None,
    ) -> T:
        mode = options.get(MODE) if options else None
        prepared = self._prepare(self._http, endpoint, values, body, options, content_type)
        response, attempts = await self._send(endpoint, prepared, mode == STREAM)
        if mode is None:
            return cast(T, parse_response(endpoint, response, attempts))
        return cast(T, self._wrap(endpoint, response, attempts))

    async def _stream(
        self,
        endpoint: Endpoint[T],
        values: Sequence[Any],
        body: Any,
        options: Mapping[str, Any],
        content_type: Optional[str] = None,
    ) -> AsyncStream[T]:
        """An operation whose answer is an event stream: the events, read as they arrive."""
        from ._streaming import AsyncStream

        mode = options.get(MODE) if options else None
        prepared = self._prepare(self._http, endpoint, values, body, options, content_type)
        response, attempts = await self._send(endpoint, prepared, True)
        if mode is not None:
            return cast("AsyncStream[T]", self._wrap(endpoint, response, attempts))
        if not response.is_success:
            raise status_error(endpoint, response, attempts)
        return AsyncStream(response, endpoint)

    def _paginate(
        self, endpoint: Endpoint[Any], values: Sequence[Any], body: Any, options: Mapping[str, Any]
    ) -> AsyncPager[Any]:
        """A list operation: awaited, its first page; iterated (async for), every item of every page."""
        from ._pagination import AsyncPager, PageRequest

        request = PageRequest(tuple(values))
        mode = options.get(MODE) if options else None
        if mode is None:
            return AsyncPager(lambda: self._page(endpoint, request, body, options, 0))
        plain = {k: v for k, v in options.items() if k != MODE}

        async def respond() -> Any:
            prepared = self._prepare(self._http, endpoint, values, body, options, None)
            response, attempts = await self._send(endpoint, prepared, mode == STREAM)
            wrapped = self._wrap(endpoint, response, attempts)
            wrapped._parser = lambda: self._make_page(
                endpoint, request, body, plain, response, attempts, 0
            )
            return wrapped

        return AsyncPager(respond)

    async def _page(
        self,
        endpoint: Endpoint[Any],
        request: PageRequest,
        body: Any,
        options: Mapping[str, Any],
        seen_items: int,
    ) -> AsyncPage[Any]:
        prepared = self._prepare(
            self._http, endpoint, request.values, body, options, None, request.url
        )
        response, attempts = await self._send(endpoint, prepared, False)
        return self._make_page(endpoint, request, body, options, response, attempts, seen_items)

    def _make_page(
        self,
        endpoint: Endpoint[Any],
        request: PageRequest,
        body: Any,
        options: Mapping[str, Any],
        response: httpx.Response,
        attempts: int,
        seen_items: int,
    ) -> AsyncPage[Any]:
        from ._pagination import AsyncPage

        data, value = read_json(endpoint, response, attempts)
        return AsyncPage(self, endpoint, request, body, options, response, data, value, seen_items)

    def _wrap(self, endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> Any:
        from ._response import AsyncAPIResponse

        if not response.is_success:
            raise status_error(endpoint, response, attempts)
        return AsyncAPIResponse(endpoint, response, attempts)

    async def _send(
        self, endpoint: Endpoint[Any], prepared: _Prepared, stream: bool
    ) -> Tuple[httpx.Response, int]:
        """As SyncAPIClient._send; hooks may be plain functions or coroutine functions."""
        request = prepared.request
        log = _logging.info_enabled()
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            for scheme in prepared.dynamic:
                request.headers["Authorization"] = await scheme.authorization_async(self)
            for request_hook in self.on_request:
                result = request_hook(request)
                if hasattr(result, "__await__"):
                    await result
            started = time.monotonic() if log else 0.0
            try:
                if prepared.auth is None:
                    response = await self._http.send(request, stream=stream)
                else:
                    response = await self._http.send(request, stream=stream, auth=prepared.auth)
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, self._retries_after(prepared, exc), None)
                if log:
                    self._log(endpoint, prepared, None, exc, started, attempt, delay)
                if delay is None:
                    raise connection_error(exc, request, attempt) from exc
                await self._sleep(delay)
                continue
            for response_hook in self.on_response:
                result = response_hook(response)
                if hasattr(result, "__await__"):
                    await result
            if response.status_code == 401 and not refreshed and _refresh(prepared, request):
                refreshed = True
                if log:
                    self._log(endpoint, prepared, response, None, started, attempt, 0.0)
                await response.aclose()
                attempt -= 1
                continue
            delay = (
                None
                if response.is_success
                else self._retry_delay(attempt, prepared.retries, response)
            )
            if log:
                self._log(endpoint, prepared, response, None, started, attempt, delay)
            if delay is None:
                if stream and not response.is_success:
                    await response.aread()
                    await response.aclose()
                return response, attempt
            await response.aclose()
            await self._sleep(delay)

    async def close(self) -> None:
        """Close the connection pool (unless it was passed in as http_client, or this is a copy)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


# -- reading the response ---------------------------------------------------------------


def parse_response(endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> Any:
    """The value of a finished exchange: the typed body, or the status error to raise."""
    if not response.is_success:
        raise status_error(endpoint, response, attempts)
    kind = endpoint.response
    if kind == "none" or response.status_code == 204 or not response.content:
        return None
    if kind == "binary":
        return response.content
    if kind == "text":
        return response.text
    return _decoded(endpoint, response, _json(response, attempts), attempts)


def read_json(endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> Tuple[Any, Any]:
    """A JSON response as parsed and as decoded (a page needs both); an error status raises."""
    if not response.is_success:
        raise status_error(endpoint, response, attempts)
    if response.status_code == 204 or not response.content:
        return None, None
    data = _json(response, attempts)
    return data, _decoded(endpoint, response, data, attempts)


def _json(response: httpx.Response, attempts: int) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise ResponseValidationError(
            f"{_describe(response)} returned a body that is not JSON: {exc}",
            response=response,
            body=response.text,
            path="$",
            attempts=attempts,
        ) from None


def _decoded(endpoint: Endpoint[Any], response: httpx.Response, data: Any, attempts: int) -> Any:
    if endpoint.decode is None:
        return data
    try:
        return endpoint.decode(data)
    except DecodeError as exc:
        raise ResponseValidationError(
            f"{_describe(response)} returned a body that does not match the API's schema: {exc}",
            response=response,
            body=data,
            path=exc.json_path(),
            attempts=attempts,
        ) from None


def status_error(
    endpoint: Endpoint[Any], response: httpx.Response, attempts: int
) -> APIStatusError:
    """The exception for an error status, its body decoded into the declared error model."""
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    decode = _error_decoder(endpoint, response.status_code)
    if decode is not None and not isinstance(body, str):
        try:
            body = decode(body)
        except DecodeError:
            pass  # keep the parsed JSON: an error body that is off-schema still informs
    message = f"{_describe(response)} failed with status {response.status_code}"
    detail = _api_message(body)
    if detail:
        message += f": {detail}"
    if attempts > 1:
        message += f" (after {attempts} attempts)"
    return status_error_class(response.status_code)(
        message, response=response, body=body, attempts=attempts
    )


def connection_error(
    exc: httpx.TransportError, request: httpx.Request, attempts: int
) -> APIConnectionError:
    where = _logging.where(request)
    after = f" (after {attempts} attempts)" if attempts > 1 else ""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out{after}", request=request, attempts=attempts)
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return APIConnectionError(
        f"{where}: connection failed{after}: {reason}", request=request, attempts=attempts
    )


# -- helpers ------------------------------------------------------------------------------


def _parameters(
    endpoint: Endpoint[Any], values: Sequence[Any], headers: MutableMapping[str, str]
) -> Tuple[str, List[str]]:
    """The path with its parameters filled in and the query's pieces; sets header and cookie parameters."""
    path = endpoint.path
    query: List[str] = []
    cookies: List[str] = []
    for param, value in zip(endpoint.params, values):
        if value is None or value is UNSET:
            if param.location == "path":
                raise ValueError(f"path parameter {param.name!r} must be given")
            continue  # left out
        location = param.location
        if location == "query":
            query += _encode.query_params(param.name, value, param.style, param.explode)
        elif location == "path":
            text = _encode.path_param(param.name, value, param.style, param.explode)
            if not text:  # "/pets/{id}" with "" would be "/pets/": another resource
                raise ValueError(f"path parameter {param.name!r} must not be empty")
            path = path.replace("{" + param.name + "}", text)
        elif location == "header":
            headers[param.name] = _encode.header_param(
                param.name, value, param.style, param.explode
            )
        else:
            cookies += _encode.cookie_params(param.name, value, param.style, param.explode)
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return path, query


def _new_request(
    http: httpx.Client | httpx.AsyncClient,
    method: str,
    url: str,
    headers: httpx.Headers,
    kwargs: Dict[str, Any],
) -> httpx.Request:
    """What http.build_request makes, for headers that already hold the client's own.

    build_request would merge the client's headers in again, the costliest part of building
    a request. Everything else it merges is taken from the client here the same way, except
    query parameters: httpx lets a client's `params` replace the URL's whole query, which
    would drop the operation's own, so the client's are added to them instead (the
    operation's win where both name one). A URL the client would resolve against its base
    URL is left to build_request.
    """
    if not url.startswith(("https://", "http://")):
        return http.build_request(method, url, headers=headers, **kwargs)
    if http.params:
        ours = httpx.URL(url).params
        added = [(k, v) for k, v in http.params.multi_items() if k not in ours]
        if added:
            url += ("&" if "?" in url else "?") + urlencode(added)
    timeout = http.timeout if "timeout" not in kwargs else httpx.Timeout(kwargs.pop("timeout"))
    extensions = {"timeout": timeout.as_dict()}
    cookies = http.cookies if http.cookies else None
    return httpx.Request(
        method, url, headers=headers, cookies=cookies, extensions=extensions, **kwargs
    )


def _refresh(prepared: _Prepared, request: httpx.Request) -> bool:
    """After a 401: drop the refreshable tokens the request carried; whether any was."""
    refreshable = False
    for scheme in prepared.dynamic:
        if scheme.refreshable:
            scheme.invalidate(request.headers.get("Authorization", ""))
            refreshable = True
    return refreshable


def _same_origin(url: str, base_url: str) -> bool:
    """Whether credentials for the API may go to `url`: same scheme, host and port."""
    a, b = httpx.URL(url), httpx.URL(base_url)
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _not_in_url(query: List[str], url: str) -> List[str]:
    """Query pieces whose names the URL does not already carry."""
    present = {name for name, _ in httpx.URL(url).params.multi_items()}
    return [piece for piece in query if _unquote(piece.partition("=")[0]) not in present]


def _unquote(text: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(text)


def _set_header(headers: MutableMapping[str, str], name: str, value: str) -> None:
    """Set a header, replacing one of the same name in any letter case."""
    lower = name.lower()
    for existing in [k for k in headers if k.lower() == lower]:
        del headers[existing]
    headers[name] = value


def _extra_query(query: List[str], extra: Optional[Mapping[str, Any]]) -> List[str]:
    """The query with extra_query's parameters replacing any of the same name."""
    if not extra:
        return query
    for name, value in extra.items():
        prefix = _encode.query_params(name, "")[0]  # the encoded "name="
        query = [piece for piece in query if not piece.startswith(prefix) and piece != prefix[:-1]]
        if value is not None:
            query += _encode.query_params(name, value)
    return query


def _idempotency_key() -> str:
    import uuid

    return str(uuid.uuid4())


def _rewindable(part: Any) -> bool:
    """Whether httpx can send a multipart file part again (it seeks files back to the start)."""
    content = part[1] if isinstance(part, tuple) else part
    if isinstance(content, (bytes, str)):
        return True
    seekable = getattr(content, "seekable", None)
    return bool(seekable and seekable())


class _FileStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A seekable file as a body that both clients can send, and send again: every send
    starts where the file was when the call was made, and reads it in chunks."""

    CHUNK = 64 * 1024

    def __init__(self, file: Any) -> None:
        self._file = file
        self._start = file.tell()

    def size(self) -> int:
        end = self._file.seek(0, 2)
        self._file.seek(self._start)
        return int(end - self._start)

    def __iter__(self) -> Any:
        self._file.seek(self._start)
        while chunk := self._file.read(self.CHUNK):
            yield chunk

    async def __aiter__(self) -> Any:
        for chunk in self:
            yield chunk


def _binary(body: Any, headers: MutableMapping[str, str]) -> Tuple[Dict[str, Any], bool]:
    """httpx arguments for a raw body (octet-stream, text, ...) and whether it can be resent."""
    import os

    if isinstance(body, str):
        return {"content": body.encode()}, True
    if isinstance(body, (bytes, bytearray, memoryview)):
        return {"content": bytes(body)}, True
    if isinstance(body, os.PathLike):
        with open(body, "rb") as file:
            return {"content": file.read()}, True
    seekable = getattr(body, "seekable", None)
    if hasattr(body, "read") and seekable is not None and seekable():
        stream = _FileStream(body)
        headers["Content-Length"] = str(stream.size())
        return {STREAM: stream}, True
    # An iterator of chunks, or a file that cannot seek: sent as it is read, only once.
    return {"content": body}, False


def _error_decoder(endpoint: Endpoint[Any], status: int) -> Optional[Callable[[Any], Any]]:
    errors = endpoint.errors
    return errors.get(str(status)) or errors.get(f"{str(status)[0]}XX") or errors.get("default")


def _retry_after(headers: httpx.Headers) -> Optional[float]:
    """The server's requested wait in seconds: retry-after-ms, or Retry-After in seconds or as an HTTP date."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _describe(response: httpx.Response) -> str:
    return _logging.where(response.request)


def _api_message(body: Any) -> str:
    """The API's own error message from an error body, when it has one we can find."""
    if hasattr(body, "to_dict"):
        body = body.to_dict()
    if isinstance(body, dict):
        for key in ("message", "error_description", "detail", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value.splitlines()[0][:300]
            if isinstance(value, dict):
                nested = _api_message(value)
                if nested:
                    return nested
    if isinstance(body, str):
        return body.strip().splitlines()[0][:300] if body.strip() else ""
    return ""
