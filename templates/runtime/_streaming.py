"""Server-sent events (text/event-stream): decoded as they arrive, one typed event at a time.

An operation whose success response is an event stream returns a `Stream` (`AsyncStream`
from the async client). Iterating it reads the response lazily; the connection is released
when the events end, when `close()` is called or the `with` block is left, and when the
stream is garbage collected after an early `break`.
"""

from __future__ import annotations

import json
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Generic,
    Iterator,
    List,
    Optional,
    TypeVar,
)

import httpx

from ._decode import DecodeError
from ._exceptions import ResponseValidationError
from ._logging import where

if TYPE_CHECKING:
    from ._base_client import Endpoint

T = TypeVar("T")

# Many streaming APIs end a stream with this data instead of closing the connection.
DONE = "[DONE]"


class ServerSentEvent:
    """One event as sent: its `event` type, `data` (text), `id` and `retry` (milliseconds)."""

    __slots__ = ("event", "data", "id", "retry")

    def __init__(
        self,
        event: str = "message",
        data: str = "",
        id: Optional[str] = None,
        retry: Optional[int] = None,
    ):
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        return json.loads(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.event, self.data, self.id, self.retry) == (
            other.event,
            other.data,
            other.id,
            other.retry,
        )

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"


class SSEDecoder:
    """The event stream parser of the HTML standard, fed one line at a time."""

    def __init__(self) -> None:
        self._event = ""
        self._data: List[str] = []
        self._last_id: Optional[str] = None  # an id lasts until the stream sets another
        self._retry: Optional[int] = None

    def decode(self, line: str) -> Optional[ServerSentEvent]:
        """Take one line (without its line break); return an event when a blank line ends one."""
        if not line:
            if not self._data:  # an event without data is not dispatched
                self._event, self._retry = "", None
                return None
            event = ServerSentEvent(
                self._event or "message", "\n".join(self._data), self._last_id, self._retry
            )
            self._event, self._data, self._retry = "", [], None
            return event
        if line.startswith(":"):
            return None  # a comment, often sent to keep the connection alive
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None


def event_decoder(
    endpoint: Endpoint[T], response: httpx.Response
) -> Callable[[ServerSentEvent], T]:
    """What each event becomes: its data decoded into the spec's schema, or the event itself."""
    decode = endpoint.decode
    if decode is None:
        return lambda sse: sse  # type: ignore[return-value]  # untyped streams: T is ServerSentEvent

    def typed(sse: ServerSentEvent) -> T:
        try:
            data = json.loads(sse.data)
        except ValueError:
            raise ResponseValidationError(
                f"event {sse.event!r} of {_describe(response)} is not JSON",
                response=response,
                body=sse.data,
                path="$",
            ) from None
        try:
            return decode(data)
        except DecodeError as exc:
            raise ResponseValidationError(
                f"event {sse.event!r} of {_describe(response)} does not match the API's schema: {exc}",
                response=response,
                body=data,
                path=exc.json_path(),
            ) from None

    return typed


def _describe(response: httpx.Response) -> str:
    return where(response.request)


class Stream(Generic[T]):
    """The events of a response, read lazily. Use it in a `with` block, or iterate to the end."""

    def __init__(self, response: httpx.Response, endpoint: Endpoint[T]) -> None:
        self.response = response
        self._decode = event_decoder(endpoint, response)
        self._typed = endpoint.decode is not None
        self._iterator = self._events()

    def _events(self) -> Generator[T, None, None]:
        decoder = SSEDecoder()
        try:
            for line in self.response.iter_lines():
                sse = decoder.decode(line)
                if sse is None:
                    continue
                if self._typed and sse.data == DONE:
                    return
                yield self._decode(sse)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[T]:
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """The events of a response, read lazily. Use it in an `async with` block, or iterate to the end."""

    def __init__(self, response: httpx.Response, endpoint: Endpoint[T]) -> None:
        self.response = response
        self._decode = event_decoder(endpoint, response)
        self._typed = endpoint.decode is not None
        self._iterator = self._events()

    async def _events(self) -> AsyncGenerator[T, None]:
        decoder = SSEDecoder()
        try:
            async for line in self.response.aiter_lines():
                sse = decoder.decode(line)
                if sse is None:
                    continue
                if self._typed and sse.data == DONE:
                    return
                yield self._decode(sse)
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
