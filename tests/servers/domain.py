"""A live implementation of specs/domain.yaml: every security scheme, every pagination style.

Auth: every operation answers with the schemes whose credentials arrived, and accepts a
request only when those are exactly one of the alternatives the spec lists for it:

- a credential with a wrong value                              -> 401 Problem (not an error:
  tests send those on purpose, e.g. a revoked token)
- credentials missing for every alternative                     -> 401 Problem
- credentials beyond what the chosen alternative needs          -> 400 Problem, recorded in
  `server.errors` (a client must send exactly what the spec asks for)

Bearer tokens tell their scheme by their value: `BEARER` is the bearer scheme's, `USER_TOKEN`
the user flow's, `OIDC_TOKEN` OpenID Connect's, and tokens the token endpoint issued
(`POST /oauth/token`, client credentials with HTTP basic client authentication) belong to the
client-credentials scheme. `revoke_tokens()` makes issued tokens fail with 401;
`token_lifetime` is the expires_in handed out; `token_delay` slows the token endpoint down so
that concurrent clients pile up on it; `token_requests` counts its calls.

Paging: `items` (set with `set_items(n)`) is one list, served by every paging operation in its
own style. Query parameters the operation does not declare are refused (400, recorded).
Faults: `next_cursors` maps a cursor to the next cursor to hand out instead of the right one
(a looping API); `ignore_paging` answers every page request with the first page; `link_base`
overrides the origin of Link and next URLs; `cap_page_size` accepts page sizes above the
spec's maximum of 50 and serves 50, as many real APIs do.
"""

from __future__ import annotations

import base64
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, quote

from .base import Abort, LiveServer, Reply, Request

__all__ = ["DomainServer"]

BASE = "/api"

HEADER_KEY = "hk-1f"
QUERY_KEY = "qk 2/&="  # characters that must be percent-encoded in a query
COOKIE_KEY = "ck-3c"
BEARER = "bt-4b"
USERNAME = "ann"
PASSWORD = "pa:ss 5"
CLIENT_ID = "client-6"
CLIENT_SECRET = "s3cret-6"
USER_TOKEN = "ut-7u"
OIDC_TOKEN = "ot-8o"

SCHEMES = ("header_key", "query_key", "cookie_key", "bearer", "basic", "client", "user", "oidc")

# operationId -> the alternatives of its security (the document's default is header_key).
REQUIREMENTS: dict[str, list[set[str]]] = {
    "authDefault": [{"header_key"}],
    "authHeaderKey": [{"header_key"}],
    "authQueryKey": [{"query_key"}],
    "authCookieKey": [{"cookie_key"}],
    "authBearer": [{"bearer"}],
    "authBasic": [{"basic"}],
    "authClient": [{"client"}],
    "authUser": [{"user"}],
    "authOidc": [{"oidc"}],
    "authPublic": [set()],
    "authEither": [{"bearer"}, {"header_key"}],
    "authBoth": [{"header_key", "query_key"}],
    "authOptional": [{"bearer"}, set()],
}
PAGING_PARAMS: dict[str, tuple[str, ...]] = {
    "/paging/cursor": ("cursor", "limit"),
    "/paging/offset": ("offset", "limit"),
    "/paging/pages": ("page", "per_page"),
    "/paging/linked": ("page", "per_page"),
    "/paging/next-url": ("after", "limit"),
    "/paging/has-more": ("starting_after", "limit"),
    "/paging/declared": ("resume", "batch"),
    "/paging/speakeasy": ("pg", "size"),
    "/paging/fern": ("since",),
    "/paging/not-paged": ("limit", "offset"),
}
AUTH_PARAMS: dict[str, tuple[str, ...]] = {"/auth/query-key": ("q",)}
FERN_PAGE = 7


def problem(status: int, title: str, detail: str = "") -> Reply:
    body: dict[str, Any] = {"title": title}
    if detail:
        body["detail"] = detail
    return Reply(status, json=body)


class DomainServer(LiveServer):
    def __init__(self) -> None:
        super().__init__()
        self._lock_tokens = threading.Lock()
        auth_routes = {
            "/auth/default": "authDefault",
            "/auth/header-key": "authHeaderKey",
            "/auth/query-key": "authQueryKey",
            "/auth/cookie-key": "authCookieKey",
            "/auth/bearer": "authBearer",
            "/auth/basic": "authBasic",
            "/auth/client": "authClient",
            "/auth/user": "authUser",
            "/auth/oidc": "authOidc",
            "/auth/public": "authPublic",
            "/auth/either": "authEither",
            "/auth/both": "authBoth",
            "/auth/optional": "authOptional",
        }
        for path, operation in auth_routes.items():
            self.route("GET", BASE + path, self._received, name=operation)
        paging = {
            "/paging/cursor": self._cursor,
            "/paging/offset": self._offset,
            "/paging/pages": self._pages,
            "/paging/linked": self._linked,
            "/paging/next-url": self._next_url,
            "/paging/has-more": self._has_more,
            "/paging/declared": self._declared,
            "/paging/speakeasy": self._speakeasy,
            "/paging/fern": self._fern,
            "/paging/not-paged": self._not_paged,
        }
        for path, handler in paging.items():
            self.route("GET", BASE + path, handler, name=path)
        self.route("POST", "/oauth/token", self._token)
        self.reset()

    @property
    def base_url(self) -> str:
        return self.url + BASE

    def reset(self) -> None:
        super().reset()
        self.items: list[dict[str, str]] = []
        self.issued: set[str] = set()
        self.revoked: set[str] = set()
        self.token_requests = 0
        self.token_lifetime: int | None = 3600
        self.token_delay = 0.0
        self.next_cursors: dict[str, str] = {}
        self.ignore_paging = False
        self.link_base: str | None = None
        self.cap_page_size = False  # serve at most the spec's maximum page size, as real APIs do

    def set_items(self, n: int) -> list[str]:
        self.items = [{"id": f"i{k:03d}", "name": f"item {k}"} for k in range(n)]
        return [item["id"] for item in self.items]

    def revoke_tokens(self) -> None:
        with self._lock_tokens:
            self.revoked |= self.issued

    # -- checks

    def _bad(self, message: str) -> Abort:
        """A request no correct client sends: recorded, and refused."""
        self._record_error(message)
        return Abort(problem(400, "bad request", message))

    def before_request(self, request: Request) -> Reply | None:
        if request.route is None or request.method == "POST":
            return None
        path = request.route[len(BASE) :]
        allowed = set(PAGING_PARAMS.get(path, ()) + AUTH_PARAMS.get(path, ()))
        operation = request.route_name or ""
        requirement = REQUIREMENTS.get(operation, [{"header_key"}])
        if any("query_key" in alternative for alternative in requirement):
            allowed.add("key")
        for name, values in request.query_params.items():
            if name not in allowed and name != "key":
                raise self._bad(f"{operation}: unknown query parameter {name!r}")
            if len(values) > 1:
                raise self._bad(f"{operation}: query parameter {name!r} given {len(values)} times")
        request.received = self._credentials(request)  # type: ignore[attr-defined]
        received: set[str] = request.received  # type: ignore[attr-defined]
        if received in requirement:
            return None
        if any(alternative < received for alternative in requirement) or (
            received and not any(alternative & received for alternative in requirement)
        ):
            raise self._bad(f"{operation}: credentials {sorted(received)} are not what it takes: {requirement}")
        return problem(401, "unauthorized", f"{operation} needs one of {[sorted(a) for a in requirement]}")

    def _credentials(self, request: Request) -> set[str]:
        """The schemes whose (valid) credentials arrived; a wrong value answers 401."""
        found: set[str] = set()
        invalid = Abort(problem(401, "unauthorized", "invalid credentials"))
        keys = request.headers.get_all("X-Key")
        if keys:
            if keys != [HEADER_KEY]:
                raise invalid
            found.add("header_key")
        if "key" in request.query_params:
            if request.query_params["key"] != [QUERY_KEY]:
                raise invalid
            found.add("query_key")
        cookies = _cookies(request)
        if "key_cookie" in cookies:
            if cookies["key_cookie"] != COOKIE_KEY:
                raise invalid
            found.add("cookie_key")
        authorization = request.headers.get_all("Authorization")
        if len(authorization) > 1:
            raise self._bad("more than one Authorization header")
        if authorization:
            word, _, value = authorization[0].partition(" ")
            if word == "Basic":
                if value != base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode():
                    raise invalid
                found.add("basic")
            elif word == "Bearer":
                with self._lock_tokens:
                    issued = value in self.issued and value not in self.revoked
                scheme = {BEARER: "bearer", USER_TOKEN: "user", OIDC_TOKEN: "oidc"}.get(value)
                if issued:
                    scheme = "client"
                if scheme is None:
                    raise invalid
                found.add(scheme)
            else:
                raise self._bad(f"unknown Authorization scheme {word!r}")
        return found

    def _received(self, request: Request) -> Reply:
        received: set[str] = request.received  # type: ignore[attr-defined]
        return Reply(200, json={"operation": request.route_name, "schemes": [s for s in SCHEMES if s in received]})

    def _token(self, request: Request) -> Reply:
        if self.token_delay:
            time.sleep(self.token_delay)
        with self._lock_tokens:
            self.token_requests += 1
        media = (request.headers.get("Content-Type") or "").split(";")[0].strip()
        if media != "application/x-www-form-urlencoded":
            raise self._bad(f"token request with Content-Type {media!r}")
        form = dict(parse_qsl(request.body.decode()))
        if form.get("grant_type") != "client_credentials":
            raise self._bad(f"token request with grant_type {form.get('grant_type')!r}")
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return Reply(401, json={"error": "invalid_client", "error_description": "unknown client or wrong secret"})
        with self._lock_tokens:
            token = f"ct-{self.token_requests}"
            self.issued.add(token)
        body: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
        if self.token_lifetime is not None:
            body["expires_in"] = self.token_lifetime
        return Reply(200, json=body)

    # -- paging

    def _int(self, request: Request, name: str, default: int | None, low: int = 0, high: int = 10**6) -> int | None:
        values = request.query_params.get(name)
        if not values:
            return default
        try:
            value = int(values[0])
        except ValueError:
            raise self._bad(f"{name} must be an integer, not {values[0]!r}") from None
        if not low <= value <= high:
            raise self._bad(f"{name} must be in {low}..{high}, not {value}")
        return value

    def _text(self, request: Request, name: str) -> str | None:
        values = request.query_params.get(name)
        return values[0] if values else None

    def _cursor_index(self, cursor: str | None) -> int:
        if cursor is None or self.ignore_paging:
            return 0
        if not cursor.startswith("c") or not cursor[1:].isdigit():
            raise self._bad(f"not a cursor this server handed out: {cursor!r}")
        return int(cursor[1:])

    def _next_cursor(self, given: str | None, start: int, count: int) -> str | None:
        if given is not None and given in self.next_cursors:
            return self.next_cursors[given]
        return f"c{start + count}" if start + count < len(self.items) else None

    def _window(self, start: int, count: int) -> list[dict[str, str]]:
        return [dict(item) for item in self.items[start : start + count]]

    def _origin(self) -> str:
        return (self.link_base or self.url) + BASE

    def _cursor(self, request: Request) -> Reply:
        given = self._text(request, "cursor")
        start, limit = self._cursor_index(given), self._int(request, "limit", 10, 1, 50) or 10
        data = self._window(start, limit)
        return Reply(200, json={"data": data, "next_cursor": self._next_cursor(given, start, len(data))})

    def _offset(self, request: Request) -> Reply:
        offset = 0 if self.ignore_paging else self._int(request, "offset", 0) or 0
        limit = self._int(request, "limit", 10, 1, 50) or 10
        return Reply(200, json={"results": self._window(offset, limit), "total": len(self.items)})

    def _page_window(self, request: Request) -> tuple[int, int, list[dict[str, str]]]:
        page = 1 if self.ignore_paging else self._int(request, "page", 1, 1) or 1
        per_page = self._int(request, "per_page", 10, 1, 1000 if self.cap_page_size else 50) or 10
        per_page = min(per_page, 50)
        return page, per_page, self._window((page - 1) * per_page, per_page)

    def _pages(self, request: Request) -> Reply:
        return Reply(200, json=self._page_window(request)[2])

    def _linked(self, request: Request) -> Reply:
        page, per_page, data = self._page_window(request)
        last = max(1, -(-len(self.items) // per_page))
        links = []
        if page < last:
            links.append(f'<{self._origin()}/paging/linked?page={page + 1}&per_page={per_page}>; rel="next"')
        links.append(f'<{self._origin()}/paging/linked?page={last}&per_page={per_page}>; rel="last"')
        return Reply(200, json=data, headers={"Link": ", ".join(links)})

    def _after(self, request: Request, name: str) -> int:
        after = self._text(request, name)
        if after is None or self.ignore_paging:
            return 0
        ids = [item["id"] for item in self.items]
        if after not in ids:
            raise self._bad(f"{name}={after!r} is no item")
        return ids.index(after) + 1

    def _next_url(self, request: Request) -> Reply:
        start, limit = self._after(request, "after"), self._int(request, "limit", 10, 1, 50) or 10
        data = self._window(start, limit)
        following = None
        if start + len(data) < len(self.items):
            following = f"{self._origin()}/paging/next-url?after={quote(data[-1]['id'])}&limit={limit}"
        return Reply(200, json={"data": data, "links": {"next": following}})

    def _has_more(self, request: Request) -> Reply:
        start, limit = self._after(request, "starting_after"), self._int(request, "limit", 10, 1, 50) or 10
        data = self._window(start, limit)
        return Reply(200, json={"data": data, "has_more": start + len(data) < len(self.items)})

    def _declared(self, request: Request) -> Reply:
        given = self._text(request, "resume")
        start, batch = self._cursor_index(given), self._int(request, "batch", 10, 1, 50) or 10
        data = self._window(start, batch)
        return Reply(200, json={"result": {"entries": data}, "meta": {"continuation": self._next_cursor(given, start, len(data))}})

    def _speakeasy(self, request: Request) -> Reply:
        page = 1 if self.ignore_paging else self._int(request, "pg", 1, 1) or 1
        size = self._int(request, "size", 10, 1, 50) or 10
        return Reply(200, json={"rows": self._window((page - 1) * size, size), "stats": [page]})

    def _fern(self, request: Request) -> Reply:
        given = self._text(request, "since")
        start = self._cursor_index(given)
        data = self._window(start, FERN_PAGE)
        return Reply(200, json={"list": data, "meta": {"following": self._next_cursor(given, start, len(data))}})

    def _not_paged(self, request: Request) -> Reply:
        offset = self._int(request, "offset", 0) or 0
        return Reply(200, json=self._window(offset, self._int(request, "limit", 10, 1, 50) or 10))


def _cookies(request: Request) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in request.headers.get_all("Cookie"):
        for piece in header.split(";"):
            name, _, value = piece.strip().partition("=")
            if name:
                from urllib.parse import unquote

                jar[name] = unquote(value)
    return jar
