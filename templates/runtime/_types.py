"""Sentinels and shared type aliases."""

from __future__ import annotations

import os
from typing import (
    IO,
    Any,
    AsyncIterable,
    Final,
    Iterable,
    Mapping,
    Optional,
    Tuple,
    TypedDict,
    Union,
)

import httpx


class Unset:
    """The type of UNSET: a value that was not given, as opposed to an explicit None (JSON null)."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: Any) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()

TimeoutTypes = Union[float, httpx.Timeout, None]
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES: Final = 2


class RequestOptions(TypedDict, total=False):
    """Options every operation accepts as keyword arguments.

    extra_headers, extra_query and extra_body are sent as well as (and win over) what the
    operation's arguments produce: for what the spec does not describe (yet).
    """

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]
    extra_body: Mapping[str, Any]
    timeout: TimeoutTypes
    max_retries: int


# What an upload may be: the bytes, an open binary file, or a path to read them from.
FileContent = Union[bytes, IO[bytes], os.PathLike[str]]
# A file part of a multipart body: its content, or (filename, content) or
# (filename, content, content type).
FileTypes = Union[
    FileContent, Tuple[Optional[str], FileContent], Tuple[Optional[str], FileContent, Optional[str]]
]
# A binary request body (application/octet-stream and the like). Iterables of chunks are
# streamed: such a request is never retried, because it cannot be sent again.
BinaryContent = Union[
    bytes, str, IO[bytes], os.PathLike[str], Iterable[bytes], AsyncIterable[bytes]
]
