"""A tiny live HTTP server for tests, on the standard library only.

`LiveServer` runs a `ThreadingHTTPServer` on 127.0.0.1 (a free port) in a daemon thread and
routes requests by method and path template to handler functions::

    server = LiveServer()

    @server.route("GET", "/things/{id}")
    def get_thing(request: Request) -> Reply:
        return Reply(200, json={"id": request.path_params["id"]})

    with server:
        httpx.get(f"{server.url}/things/1")
        server.last_request.headers["user-agent"]

Every request that arrives is recorded (`server.requests`, `server.last_request`), and faults
can be injected for the next requests: `fail_next`, `drop_next`, `delay_next`.

The server speaks HTTP/1.1 with keep-alive (httpx pools connections), always frames its
responses with Content-Length, and stops fast: `stop()` wakes delayed handlers, closes idle
keep-alive connections and returns in a few milliseconds.
"""

from __future__ import annotations

import itertools
import json as _json
import re
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, unquote_plus

__all__ = [
    "Abort",
    "Fault",
    "Headers",
    "LiveServer",
    "Reply",
    "Request",
    "Route",
]

_NOTHING: Any = object()


# --------------------------------------------------------------------------- headers


class Headers(Mapping[str, str]):
    """Request or response headers: ordered, raw names kept, looked up case-insensitively.

    `headers["content-type"]` gives the first value; `get_all(name)` gives every value;
    `raw` is the list of (name, value) pairs exactly as they arrived.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.raw: list[tuple[str, str]] = [(str(k), str(v)) for k, v in pairs]

    def get_all(self, name: str) -> list[str]:
        lname = name.lower()
        return [v for k, v in self.raw if k.lower() == lname]

    def __getitem__(self, name: str) -> str:
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return values[0]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_all(name))

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for k, _ in self.raw:
            if k.lower() not in seen:
                seen.add(k.lower())
                yield k

    def __len__(self) -> int:
        return len({k.lower() for k, _ in self.raw})

    def __repr__(self) -> str:
        return f"Headers({self.raw!r})"


# --------------------------------------------------------------------------- request / reply


@dataclass
class Request:
    """One request as it arrived.

    - `method`: "GET", ...
    - `target`: the raw request target, path and query string exactly as sent
    - `path`: the raw path (still percent-encoded), `raw_query`: the raw query string
    - `path_params`: template parameters, percent-decoded (filled in when a route matched)
    - `query`: [(name, value), ...] percent-decoded ('+' is a space), in order, repeats kept
    - `query_params`: {name: [values...]} the same, grouped
    - `headers`: `Headers` (case-insensitive), `body`: raw bytes (chunked bodies decoded)
    - `route`: the matched route template or None, `route_name`: the route's name (e.g. the
      operationId) or None
    - `connection_id`: which TCP connection carried it (same id = keep-alive reuse)
    - `fault`: "fail", "drop" or None, and `delayed`: seconds of injected delay
    - `unknown_fields`: filled in by applications that accept but record unknown input
    - `reply_status`: the status the server answered with (None if dropped)
    """

    method: str
    target: str
    headers: Headers
    body: bytes = b""
    http_version: str = "HTTP/1.1"
    client_address: tuple[str, int] = ("", 0)
    connection_id: int = 0
    received_at: float = field(default_factory=time.time)
    path_params: dict[str, str] = field(default_factory=dict)
    route: str | None = None
    route_name: str | None = None
    fault: str | None = None
    delayed: float = 0.0
    unknown_fields: list[str] = field(default_factory=list)
    reply_status: int | None = None

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def raw_query(self) -> str:
        parts = self.target.split("?", 1)
        return parts[1] if len(parts) == 2 else ""

    @property
    def query(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for piece in self.raw_query.split("&"):
            if not piece:
                continue
            name, _, value = piece.partition("=")
            pairs.append((unquote_plus(name), unquote_plus(value)))
        return pairs

    @property
    def query_params(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for name, value in self.query:
            grouped.setdefault(name, []).append(value)
        return grouped

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError if it is not valid JSON)."""
        return _json.loads(self.body.decode("utf-8"))

    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Reply:
    """What a handler answers.

    `Reply(200, json={...})` sends JSON (Content-Type: application/json);
    `Reply(200, body=b"...", headers={"Content-Type": "text/plain"})` sends bytes;
    `Reply(204)` sends nothing. `headers` may be a dict or a list of (name, value) pairs.
    `Reply(200, chunks=iterable_of_bytes)` streams the body with chunked transfer encoding,
    each chunk written as the iterable yields it (it may block, e.g. on a threading.Event);
    `on_abort` is called if the client goes away before the last chunk.
    """

    status: int = 200
    json: Any = _NOTHING
    body: bytes = b""
    headers: Mapping[str, str] | list[tuple[str, str]] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None
    on_abort: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        pairs = (
            list(self.headers.items())
            if isinstance(self.headers, Mapping)
            else list(self.headers)
        )
        if self.json is not _NOTHING:
            self.body = _json.dumps(
                self.json, separators=(",", ":"), ensure_ascii=False
            ).encode()
            if not any(k.lower() == "content-type" for k, _ in pairs):
                pairs.append(("Content-Type", "application/json"))
        elif isinstance(self.body, str):
            self.body = self.body.encode()
        self.headers = pairs

    @property
    def header_pairs(self) -> list[tuple[str, str]]:
        return list(self.headers)  # type: ignore[arg-type]

    def add_header(self, name: str, value: str) -> None:
        self.headers.append((name, value))  # type: ignore[union-attr]

    def has_header(self, name: str) -> bool:
        return any(k.lower() == name.lower() for k, _ in self.header_pairs)

    def parsed(self) -> Any:
        """The body as JSON (for checks), or None if it is empty."""
        return _json.loads(self.body) if self.body else None

    @classmethod
    def error(
        cls,
        status: int,
        code: str,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """A JSON error body in the common {"code", "message"} shape."""
        return cls(
            status, json={"code": code, "message": message}, headers=dict(headers or {})
        )


class Abort(Exception):
    """Raise from a handler (or a helper it calls) to answer with `reply` at once."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(f"abort with {reply.status}")
        self.reply = reply


Handler = Callable[[Request], Reply]


@dataclass
class Route:
    method: str
    template: str
    handler: Handler
    name: str | None
    regex: re.Pattern[str]
    params: list[str]

    @classmethod
    def compile(
        cls, method: str, template: str, handler: Handler, name: str | None
    ) -> Route:
        pattern, params = "", []
        for i, part in enumerate(re.split(r"(\{[^{}]+\})", template)):
            if part.startswith("{") and part.endswith("}"):
                params.append(part[1:-1])
                pattern += f"(?P<p{len(params) - 1}>[^/]+)"
            else:
                pattern += re.escape(part)
        return cls(
            method.upper(), template, handler, name, re.compile(f"^{pattern}$"), params
        )

    def match(self, path: str) -> dict[str, str] | None:
        m = self.regex.match(path)
        if m is None:
            return None
        return {name: unquote(m.group(f"p{i}")) for i, name in enumerate(self.params)}


# --------------------------------------------------------------------------- faults


@dataclass
class Fault:
    """An injected fault for the next `remaining` matching requests."""

    kind: str  # "fail", "drop" or "delay"
    remaining: int
    method: str | None = None
    path: str | None = None  # an exact raw path or a route template
    reply: Reply | None = None  # for "fail"
    seconds: float = 0.0  # for "delay"
    reset: bool = False  # for "drop": RST instead of FIN

    def matches(self, request: Request) -> bool:
        if self.method is not None and self.method.upper() != request.method:
            return False
        if self.path is not None and self.path not in (request.path, request.route):
            return False
        return True


# --------------------------------------------------------------------------- the server


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    request_queue_size = (
        128  # the default 5 drops SYNs under concurrent clients (1 s stalls)
    )
    live: LiveServer

    def finish_request(self, request: Any, client_address: Any) -> None:
        self.live._track(request, add=True)
        try:
            super().finish_request(request, client_address)
        finally:
            self.live._track(request, add=False)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Connection errors when a client goes away are expected in these tests; anything
        # else is recorded so that a test can fail on it.
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return
        self.live._record_error("".join(traceback.format_exc()))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms Nagle/delayed-ACK stalls on keep-alive
    server_version = "codegen-test-server/1.0"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection_id = self.server.live._next_connection_id()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def __getattr__(self, name: str) -> Any:
        # do_GET, do_POST, ... and any other method all go through one dispatcher.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    # -- reading

    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks: list[bytes] = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        n = int(length)
        if n < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(n) if n else b""

    # -- dispatch

    def _dispatch(self) -> None:
        live = self.server.live
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(
                None, Reply.error(400, "bad_framing", "cannot read the request body")
            )
            return
        request = Request(
            method=self.command,
            target=self.path,
            headers=Headers(self.headers.items()),
            body=body,
            http_version=self.request_version,
            client_address=self.client_address,
            connection_id=self.connection_id,
        )
        route, allowed = live._match(request)
        if route is not None:
            request.route, request.route_name = route.template, route.name
        live._log(request)

        delay, fault = live._take_faults(request)
        if delay is not None:
            request.delayed = delay.seconds
            generation = live._generation
            if live._stopping.wait(delay.seconds) or generation != live._generation:
                # The server is stopping, or was reset() while this request slept (its test
                # is over): give up quietly instead of touching the next test's state.
                self.close_connection = True
                return
        if fault is not None and fault.kind == "drop":
            request.fault = "drop"
            self.close_connection = True
            if fault.reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            return
        if fault is not None and fault.kind == "fail":
            request.fault = "fail"
            assert fault.reply is not None
            reply = Reply(
                fault.reply.status,
                body=fault.reply.body,
                headers=list(fault.reply.header_pairs),
            )
        else:
            reply = live._handle(request, route, allowed)
        try:
            reply = live.on_reply(request, reply)
        except Exception:  # pragma: no cover - a bug in a subclass hook
            live._record_error(traceback.format_exc())
        self._send(request, reply)

    def _send(self, request: Request | None, reply: Reply) -> None:
        if request is not None:
            request.reply_status = reply.status
        if reply.chunks is not None:
            self._send_chunked(reply)
            return
        self.send_response(reply.status)
        no_body = reply.status in (204, 304) or 100 <= reply.status < 200
        for name, value in reply.header_pairs:
            if name.lower() in ("content-length", "transfer-encoding"):
                continue
            self.send_header(name, value)
        if not no_body:
            # RFC 9110 forbids Content-Length on 1xx and 204 responses.
            self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self._headers_buffer.append(b"\r\n")
        if not no_body and self.command != "HEAD":
            self._headers_buffer.append(reply.body)
        self.flush_headers()  # status line, headers and body in one write

    def _send_chunked(self, reply: Reply) -> None:
        assert reply.chunks is not None
        self.send_response(reply.status)
        for name, value in reply.header_pairs:
            if name.lower() not in ("content-length", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for chunk in reply.chunks:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            if reply.on_abort is not None:
                reply.on_abort()


class LiveServer:
    """An HTTP server on 127.0.0.1 for one test (or a session), started and stopped by tests.

    Use as a context manager, or call `start()` and `stop()`. Register routes with
    `route(method, template, handler, name=None)` (also usable as a decorator).
    """

    host = "127.0.0.1"
    poll_interval = 0.01  # how long serve_forever may take to notice shutdown()

    def __init__(self) -> None:
        self._routes: list[Route] = []
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        self._faults: list[Fault] = []
        self._errors: list[str] = []
        self._connections: set[socket.socket] = set()
        self._connection_ids = itertools.count(1)
        self._stopping = threading.Event()
        self._generation = 0
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> LiveServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer((self.host, 0), _Handler)
        httpd.live = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": self.poll_interval},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for (
            conn
        ) in connections:  # wake handler threads blocked on idle keep-alive reads
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if thread is not None:
            thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """e.g. "http://127.0.0.1:43125" (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def reset(self) -> None:
        """Forget recorded requests, pending faults and errors. Requests still sleeping in an
        injected delay are abandoned (connection closed, handler not run)."""
        with self._lock:
            self._generation += 1
            self._requests.clear()
            self._faults.clear()
            self._errors.clear()

    # -- routing

    def route(
        self,
        method: str,
        template: str,
        handler: Handler | None = None,
        *,
        name: str | None = None,
    ) -> Any:
        """Register `handler` for `method` and `template` ("/v1/pets/{petId}").

        Without `handler`, returns a decorator.
        """
        if handler is None:

            def decorator(fn: Handler) -> Handler:
                self.route(method, template, fn, name=name)
                return fn

            return decorator
        self._routes.append(Route.compile(method, template, handler, name))
        return handler

    def _match(self, request: Request) -> tuple[Route | None, list[str]]:
        allowed: list[str] = []
        for route in self._routes:
            params = route.match(request.path)
            if params is None:
                continue
            if route.method == request.method:
                request.path_params = params
                return route, []
            allowed.append(route.method)
        return None, allowed

    def _handle(
        self, request: Request, route: Route | None, allowed: list[str]
    ) -> Reply:
        if route is None:
            if allowed:
                return Reply.error(
                    405,
                    "method_not_allowed",
                    f"{request.method} is not allowed on {request.path}",
                    headers={"Allow": ", ".join(sorted(set(allowed)))},
                )
            return Reply.error(
                404, "no_route", f"no route for {request.method} {request.path}"
            )
        try:
            reply = self.before_request(request)
            if reply is None:
                reply = route.handler(request)
            if not isinstance(reply, Reply):
                raise TypeError(
                    f"handler for {route.template} returned {type(reply).__name__}, not Reply"
                )
            return reply
        except Abort as abort:
            return abort.reply
        except Exception as exc:
            self._record_error(traceback.format_exc())
            return Reply.error(500, "server_error", f"{type(exc).__name__}: {exc}")

    # -- hooks for subclasses

    def before_request(self, request: Request) -> Reply | None:
        """Called for every routed request before its handler; a Reply short-circuits."""
        return None

    def on_reply(self, request: Request, reply: Reply) -> Reply:
        """Called for every reply (routed, 404/405 and injected failures) before sending."""
        return reply

    # -- the request log

    def _log(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[Request]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> Request:
        with self._lock:
            if not self._requests:
                raise LookupError("no request has been received")
            return self._requests[-1]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def requests_to(
        self, method: str | None = None, path: str | None = None
    ) -> list[Request]:
        """Recorded requests filtered by method and by raw path or route template."""
        return [
            r
            for r in self.requests
            if (method is None or r.method == method.upper())
            and (path is None or path in (r.path, r.route))
        ]

    # -- errors inside the server (handler exceptions): tests should assert there are none

    def _record_error(self, text: str) -> None:
        with self._lock:
            self._errors.append(text)

    @property
    def errors(self) -> list[str]:
        with self._lock:
            return list(self._errors)

    def clear_errors(self) -> None:
        with self._lock:
            self._errors.clear()

    # -- fault injection

    def fail_next(
        self,
        n: int = 1,
        status: int = 503,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next `n` matching requests with `status` instead of handling them.

        `body`: None gives {"code": "injected_fault", "message": ...}; a dict or list is sent
        as JSON; bytes or str are sent as they are. `method`/`path` restrict which requests
        match (`path` is a raw path or a route template).
        """
        if isinstance(body, (bytes, str)):
            reply = Reply(status, body=body, headers=dict(headers or {}))  # type: ignore[arg-type]
        elif body is None:
            reply = Reply(
                status,
                json={"code": "injected_fault", "message": f"injected {status}"},
                headers=dict(headers or {}),
            )
        else:
            reply = Reply(status, json=body, headers=dict(headers or {}))
        self._add_fault(Fault("fail", n, method, path, reply=reply))

    def drop_next(
        self,
        n: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
        reset: bool = False,
    ) -> None:
        """Read the next `n` matching requests, then close the connection without answering.

        The client sees "server disconnected" (httpx.RemoteProtocolError); with `reset=True`
        the connection is reset instead (httpx.ReadError).
        """
        self._add_fault(Fault("drop", n, method, path, reset=reset))

    def delay_next(
        self,
        n: int = 1,
        seconds: float = 1.0,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Wait `seconds` before answering the next `n` matching requests (combines with
        fail_next/drop_next). stop() cuts the wait short."""
        self._add_fault(Fault("delay", n, method, path, seconds=seconds))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending_faults(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if f.remaining > 0]

    def _add_fault(self, fault: Fault) -> None:
        if fault.remaining < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._faults.append(fault)

    def _take_faults(self, request: Request) -> tuple[Fault | None, Fault | None]:
        """Consume at most one delay fault and one fail/drop fault matching `request`."""
        delay: Fault | None = None
        other: Fault | None = None
        with self._lock:
            for f in self._faults:
                if f.remaining <= 0 or not f.matches(request):
                    continue
                if f.kind == "delay" and delay is None:
                    delay = f
                elif f.kind != "delay" and other is None:
                    other = f
            for taken in (delay, other):
                if taken is not None:
                    taken.remaining -= 1
            self._faults = [f for f in self._faults if f.remaining > 0]
        return delay, other

    # -- connection bookkeeping

    def _next_connection_id(self) -> int:
        with self._lock:
            return next(self._connection_ids)

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)
