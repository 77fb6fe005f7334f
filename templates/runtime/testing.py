"""Test doubles for code that uses this client: canned answers per operation, no network.

    from <package>.testing import MockAPI

    mock = MockAPI()
    mock.add("pets.get", Pet(id=1, name="Rex"))               # a typed model: sent as JSON
    mock.add("pets.create", status=422, json={"message": "taken"})  # or status, body, headers
    mock.add_timeout("pets.list")                              # or a failure of the network

    with mock.client() as client:                              # the real client, on the mock
        client.pets.get(pet_id=1)

    mock.assert_called("pets.get").path_params == {"petId": "1"}

Operations are named as the client spells them ("group.method"), so tests never deal with
URLs. Mock clients get placeholder credentials ("mock-<argument>") for every argument you do
not pass, and OAuth2 token requests are answered with a mock token, so that code under test
runs as it would with real credentials. Each `add` queues one answer for its operation; answers are used in order and the
last one keeps answering. Requests go through the whole client (serialization, retries,
errors, decoding) over httpx's MockTransport; retries do not wait: the delays the client
would have slept are listed in `mock.sleeps`.
"""

from __future__ import annotations

import importlib
import json as _json
import pkgutil
import re
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Type, Union
from urllib.parse import unquote

import httpx

from . import resources
from ._base_client import Endpoint
from ._client import _AsyncClient, _SyncClient
from ._encode import to_json
from ._streaming import ServerSentEvent

__all__ = ["Call", "MockAPI", "MockError"]

_NOTHING: Any = object()
MOCK_BASE_URL = "http://mock.invalid"


class MockError(AssertionError):
    """The code under test made a call the test did not expect."""


class Call:
    """One request the code under test made."""

    def __init__(self, operation: str, request: httpx.Request, path_params: Dict[str, str]) -> None:
        self.operation = operation  # "group.method"
        self.request = request
        self.path_params = path_params  # decoded values, by their names in the spec

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def url(self) -> httpx.URL:
        return self.request.url

    @property
    def headers(self) -> httpx.Headers:
        return self.request.headers

    @property
    def query(self) -> Dict[str, List[str]]:
        """Query parameters, decoded: name -> every value given."""
        out: Dict[str, List[str]] = {}
        for name, value in self.request.url.params.multi_items():
            out.setdefault(name, []).append(value)
        return out

    @property
    def content(self) -> bytes:
        return self.request.read()

    def json(self) -> Any:
        return _json.loads(self.content)

    def __repr__(self) -> str:
        return f"<Call {self.operation}: {self.method} {self.url}>"


class _Answer:
    def __init__(self, response: Optional[httpx.Response] = None, error: Any = None) -> None:
        self.response = response
        self.error = error  # an exception (class or instance) to raise instead

    def produce(self, request: httpx.Request) -> httpx.Response:
        if self.error is not None:
            if isinstance(self.error, type) and issubclass(self.error, httpx.RequestError):
                raise self.error(f"simulated by the mock: {self.error.__name__}", request=request)
            raise self.error
        assert self.response is not None
        # A fresh response per request: the client reads and closes what it gets.
        return httpx.Response(
            self.response.status_code,
            headers=self.response.headers,
            content=self.response.content,
            request=request,
        )


class _Route:
    def __init__(self, endpoint: Endpoint[Any]) -> None:
        self.endpoint = endpoint
        pattern, self.names = "", []
        for piece in re.split(r"(\{[^{}]+\})", endpoint.path):
            if piece.startswith("{") and piece.endswith("}"):
                self.names.append(piece[1:-1])
                pattern += f"(?P<p{len(self.names) - 1}>[^/]+)"
            else:
                pattern += re.escape(piece)
        # Any base URL may come before the operation's path.
        self.regex = re.compile(f"{pattern}$")
        self.literal = len(re.sub(r"\{[^{}]+\}", "", endpoint.path))

    def match(self, request: httpx.Request) -> Optional[Dict[str, str]]:
        if request.method != self.endpoint.method:
            return None
        found = self.regex.search(request.url.raw_path.decode("ascii").split("?")[0])
        if found is None:
            return None
        return {name: unquote(found.group(f"p{i}")) for i, name in enumerate(self.names)}


def _endpoints() -> Dict[str, Endpoint[Any]]:
    """Every operation of the package, by name: found in its resource modules."""
    found: Dict[str, Endpoint[Any]] = {}
    for info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"{resources.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Endpoint):
                found[value.name] = value
    return found


class MockAPI:
    """Canned answers per operation, recorded calls, and clients wired to both."""

    def __init__(self) -> None:
        self._endpoints = _endpoints()
        # Most specific first: more literal text, fewer parameters ("/pets/mine" before "/pets/{id}").
        self._routes = sorted(
            (_Route(e) for e in self._endpoints.values()),
            key=lambda r: (-r.literal, len(r.names), r.endpoint.name),
        )
        self._answers: Dict[str, List[_Answer]] = {}
        self._calls: List[Call] = []
        self._lock = threading.Lock()
        self.sleeps: List[float] = []  # the retry delays the mock clients would have waited
        self.transport = httpx.MockTransport(self._handle)

    @property
    def operations(self) -> List[str]:
        """The names `add` accepts."""
        return sorted(self._endpoints)

    # -- answers

    def add(
        self,
        operation: str,
        value: Any = _NOTHING,
        *,
        status: Optional[int] = None,
        json: Any = _NOTHING,
        content: Union[bytes, str, None] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> MockAPI:
        """Queue an answer for `operation`.

        `value` is what the call should return: a model (or list, dict, ...) for JSON, bytes
        for binary, str for text, a list of events for an event stream, None for no content.
        Or give the raw parts: `status`, `json` or `content`, and `headers`.
        """
        endpoint = self._endpoint(operation)
        response_headers = dict(headers or {})
        if value is not _NOTHING:
            body, content_type = _encode_value(endpoint, value)
            if body is None:
                status = 204 if status is None else status
            else:
                content = body
                response_headers.setdefault("Content-Type", content_type)
        elif json is not _NOTHING:
            content = _json.dumps(to_json(json)).encode()
            response_headers.setdefault("Content-Type", "application/json")
        response = httpx.Response(
            200 if status is None else status, headers=response_headers, content=content
        )
        return self._queue(operation, _Answer(response=response))

    def add_error(
        self, operation: str, error: Union[BaseException, Type[BaseException]]
    ) -> MockAPI:
        """Queue a failure for `operation`: an httpx exception class (made for the request) or any exception."""
        self._endpoint(operation)
        return self._queue(operation, _Answer(error=error))

    def add_timeout(self, operation: str) -> MockAPI:
        """The call times out (the client raises APITimeoutError, after its retries)."""
        return self.add_error(operation, httpx.ReadTimeout)

    def add_connection_error(self, operation: str) -> MockAPI:
        """The connection is refused (the client raises APIConnectionError, after its retries)."""
        return self.add_error(operation, httpx.ConnectError)

    def _queue(self, operation: str, answer: _Answer) -> MockAPI:
        with self._lock:
            self._answers.setdefault(operation, []).append(answer)
        return self

    def _endpoint(self, operation: str) -> Endpoint[Any]:
        try:
            return self._endpoints[operation]
        except KeyError:
            raise KeyError(
                f"no operation {operation!r}; the operations are: {', '.join(self.operations)}"
            ) from None

    # -- calls

    def calls(self, operation: Optional[str] = None) -> List[Call]:
        """The calls made so far, oldest first; only those of `operation` when given."""
        with self._lock:
            return [c for c in self._calls if operation is None or c.operation == operation]

    def assert_called(self, operation: str, times: Optional[int] = None) -> Call:
        """Fail unless `operation` was called (exactly `times` times, when given); the last call."""
        calls = self.calls(operation)
        if not calls or (times is not None and len(calls) != times):
            made = ", ".join(c.operation for c in self.calls()) or "none"
            expected = "at least once" if times is None else f"{times} time(s)"
            raise AssertionError(
                f"{operation} was called {len(calls)} time(s), expected {expected}; calls made: {made}"
            )
        return calls[-1]

    def assert_not_called(self, operation: str) -> None:
        calls = self.calls(operation)
        if calls:
            raise AssertionError(f"{operation} was called {len(calls)} time(s): {calls}")

    def reset(self) -> None:
        """Forget every answer, call and sleep."""
        with self._lock:
            self._answers.clear()
            self._calls.clear()
            self.sleeps.clear()

    # -- clients

    def client(self, **options: Any) -> _SyncClient:
        """The package's client, sending to this mock; `options` as for the client itself."""
        options.setdefault("base_url", MOCK_BASE_URL)
        _placeholder_credentials(_SyncClient, options)
        client = _SyncClient(http_client=httpx.Client(transport=self.transport), **options)
        client._owns_http = True  # close() closes the mock's httpx client
        client._sleep = self.sleeps.append
        return client

    def async_client(self, **options: Any) -> _AsyncClient:
        """The package's async client, sending to this mock."""
        options.setdefault("base_url", MOCK_BASE_URL)
        _placeholder_credentials(_AsyncClient, options)
        client = _AsyncClient(http_client=httpx.AsyncClient(transport=self.transport), **options)
        client._owns_http = True

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        client._sleep = sleep
        return client

    # -- the transport

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if _is_token_request(request) and not any(
            r.match(request) is not None for r in self._routes
        ):
            return httpx.Response(
                200, json={"access_token": "mock-token", "token_type": "Bearer", "expires_in": 3600}
            )
        route, params = self._route(request)
        with self._lock:
            self._calls.append(Call(route.endpoint.name, request, params))
            queue = self._answers.get(route.endpoint.name)
            if not queue:
                raise MockError(
                    f"no answer for {route.endpoint.name} ({request.method} {request.url.path}); "
                    f"add one with mock.add({route.endpoint.name!r}, ...)"
                )
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer.produce(request)

    def _route(self, request: httpx.Request) -> Tuple[_Route, Dict[str, str]]:
        for route in self._routes:
            params = route.match(request)
            if params is not None:
                return route, params
        raise MockError(f"{request.method} {request.url} is no operation of this API")


def _placeholder_credentials(client_class: Any, options: Dict[str, Any]) -> None:
    """Fill every credential argument not given with a placeholder (the environment is not read)."""
    for argument, role in getattr(client_class, "_credential_arguments", ()):
        if role != "token_url":
            options.setdefault(argument, f"mock-{argument}")


def _is_token_request(request: httpx.Request) -> bool:
    """An OAuth2 token request (client credentials) the client sends for itself."""
    return request.method == "POST" and b"grant_type=" in request.content


def _encode_value(endpoint: Endpoint[Any], value: Any) -> Tuple[Optional[bytes], str]:
    """A return value as the body the server would have sent, and its content type."""
    kind = endpoint.response
    if value is None:
        return None, ""
    if kind == "binary":
        return bytes(value), "application/octet-stream"
    if kind == "text":
        return str(value).encode(), "text/plain; charset=utf-8"
    if kind == "sse":
        return (
            "".join(_event_text(event) for event in _iterable(value)).encode(),
            "text/event-stream",
        )
    return _json.dumps(to_json(value)).encode(), "application/json"


def _iterable(value: Any) -> Iterable[Any]:
    return value if isinstance(value, (list, tuple)) else [value]


def _event_text(event: Any) -> str:
    if isinstance(event, ServerSentEvent):
        lines = [] if event.event == "message" else [f"event: {event.event}"]
        lines += [] if event.id is None else [f"id: {event.id}"]
        lines += [] if event.retry is None else [f"retry: {event.retry}"]
        lines += [f"data: {line}" for line in event.data.split("\n")]
    elif isinstance(event, str):
        lines = [f"data: {line}" for line in event.split("\n")]
    else:
        lines = [f"data: {_json.dumps(to_json(event))}"]
    return "\n".join(lines) + "\n\n"
