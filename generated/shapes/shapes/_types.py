# Part of the runtime that codegen copies into every client it generates.
# Do not edit by hand: changes are lost when the client is regenerated.
"""Sentinels and shared type aliases."""

from __future__ import annotations

from typing import Any, Final, Mapping, TypedDict, Union

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
    """Options every operation accepts as keyword arguments."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]
    extra_body: Mapping[str, Any]
    timeout: TimeoutTypes
    max_retries: int
