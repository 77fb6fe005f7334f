"""Responses as they arrived: `client.<group>.with_raw_response` and `.with_streaming_response`.

`with_raw_response.<method>(...)` returns an `APIResponse`: status, headers and the body
already read, with the typed value one `parse()` away. `with_streaming_response.<method>(...)`
is a context manager around the same object whose body has not been read yet: read it in
chunks (`iter_bytes`, `iter_lines`, `stream_to_file`) without holding it all in memory.
Error statuses raise as they do for plain calls.
"""

from __future__ import annotations

import os
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generic,
    Iterator,
    Optional,
    TypeVar,
    cast,
)

import httpx

from ._base_client import parse_response

if TYPE_CHECKING:
    from ._base_client import Endpoint

R = TypeVar("R")

_UNPARSED: Any = object()


class _BaseResponse(Generic[R]):
    def __init__(self, endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> None:
        self.http_response = response
        self.attempts = attempts  # how many times the request was sent
        self._endpoint = endpoint
        self._parsed: Any = _UNPARSED
        # What parse() returns instead of the decoded body (a list operation's first page).
        self._parser: Optional[Callable[[], Any]] = None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def operation(self) -> str:
        """The operation's name, as "group.method"."""
        return self._endpoint.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.operation} [{self.status_code}]>"


class APIResponse(_BaseResponse[R]):
    def parse(self) -> R:
        """The typed value the plain call returns (reading the body first if need be)."""
        if self._parsed is _UNPARSED:
            if self._endpoint.response == "sse":
                from ._streaming import Stream

                self._parsed = Stream(self.http_response, self._endpoint)
            else:
                self.http_response.read()
                parser = self._parser
                self._parsed = (
                    parser()
                    if parser
                    else parse_response(self._endpoint, self.http_response, self.attempts)
                )
        return cast(R, self._parsed)

    def read(self) -> bytes:
        return self.http_response.read()

    @property
    def content(self) -> bytes:
        return self.read()

    @property
    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: Optional[int] = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def stream_to_file(
        self, path: str | os.PathLike[str], chunk_size: Optional[int] = None
    ) -> None:
        """Write the body to a file as it arrives, without holding it in memory."""
        with open(path, "wb") as file:
            for chunk in self.http_response.iter_bytes(chunk_size):
                file.write(chunk)

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseResponse[R]):
    async def parse(self) -> R:
        """The typed value the plain call returns (reading the body first if need be)."""
        if self._parsed is _UNPARSED:
            if self._endpoint.response == "sse":
                from ._streaming import AsyncStream

                self._parsed = AsyncStream(self.http_response, self._endpoint)
            else:
                await self.http_response.aread()
                parser = self._parser
                self._parsed = (
                    parser()
                    if parser
                    else parse_response(self._endpoint, self.http_response, self.attempts)
                )
        return cast(R, self._parsed)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: Optional[int] = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: Optional[int] = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def stream_to_file(
        self, path: str | os.PathLike[str], chunk_size: Optional[int] = None
    ) -> None:
        """Write the body to a file as it arrives, without holding it in memory."""
        with open(path, "wb") as file:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                file.write(chunk)

    async def close(self) -> None:
        await self.http_response.aclose()


class ResponseContextManager(Generic[R]):
    """Sends the request on entering; closes the response on leaving."""

    def __init__(self, send: Callable[[], APIResponse[R]]) -> None:
        self._send = send
        self._response: Optional[APIResponse[R]] = None

    def __enter__(self) -> APIResponse[R]:
        self._response = self._send()
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[R]):
    """Sends the request on entering; closes the response on leaving."""

    def __init__(self, send: Callable[[], Awaitable[AsyncAPIResponse[R]]]) -> None:
        self._send = send
        self._response: Optional[AsyncAPIResponse[R]] = None

    async def __aenter__(self) -> AsyncAPIResponse[R]:
        self._response = await self._send()
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.close()
