"""Decoders: JSON values to the typed values the models declare.

A decoder is a callable taking a JSON value and returning its typed form, or raising
DecodeError. Container helpers add their key or index to the error's path on the way
out, so the cost of locating an error is only paid when there is one.
"""

from __future__ import annotations

import base64 as _base64
import binascii
import datetime as _dt
import decimal as _decimal
import uuid as _uuid
from enum import Enum
from typing import Any, Callable, Dict, List, Mapping, Tuple, TypeVar

from ._types import UNSET

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
Decoder = Callable[[Any], T]


class DecodeError(ValueError):
    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def within(self, key: str | int) -> DecodeError:
        return DecodeError(self.message, (key, *self.path))

    def json_path(self) -> str:
        out = "$"
        for key in self.path:
            out += (
                f"[{key}]"
                if isinstance(key, int)
                else f".{key}" if key.isidentifier() else f"[{key!r}]"
            )
        return out

    def __str__(self) -> str:
        return f"{self.json_path()}: {self.message}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _expected(what: str, value: Any) -> DecodeError:
    return DecodeError(f"expected {what}, got {_kind(value)}")


def string(value: Any) -> str:
    if type(value) is str:
        return value
    raise _expected("string", value)


def integer(value: Any) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise _expected("integer", value)


def number(value: Any) -> float:
    if type(value) is float or type(value) is int:
        return value
    raise _expected("number", value)


def boolean(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise _expected("boolean", value)


def any_value(value: Any) -> Any:
    return value


def datetime(value: Any) -> _dt.datetime:
    text = string(value)
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        raise DecodeError(f"expected an RFC 3339 date-time, got {text!r}") from None


def date(value: Any) -> _dt.date:
    text = string(value)
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise DecodeError(f"expected an ISO 8601 date, got {text!r}") from None


def uuid(value: Any) -> _uuid.UUID:
    text = string(value)
    try:
        return _uuid.UUID(text)
    except ValueError:
        raise DecodeError(f"expected a UUID, got {text!r}") from None


def decimal(value: Any) -> _decimal.Decimal:
    """A decimal written as a string (or a number), kept exact."""
    if type(value) in (int, float):
        return _decimal.Decimal(str(value))
    text = string(value)
    try:
        return _decimal.Decimal(text)
    except _decimal.InvalidOperation:
        raise DecodeError(f"expected a decimal number, got {text!r}") from None


def base64(value: Any) -> bytes:
    """`format: byte`: base64 text to the bytes it encodes."""
    text = string(value)
    try:
        return _base64.b64decode(
            text + "=" * (-len(text) % 4), altchars=b"-_" if "-" in text or "_" in text else None
        )
    except (binascii.Error, ValueError):
        raise DecodeError("expected base64-encoded bytes") from None


def binary(value: Any) -> bytes:
    """A `format: binary` string inside JSON: its text as UTF-8 bytes."""
    return string(value).encode("utf-8")


def literal(expected: Any) -> Decoder[Any]:
    def decode(value: Any) -> Any:
        if value == expected and type(value) is type(expected):
            return expected
        raise DecodeError(f"expected {expected!r}, got {value!r}")

    return decode


def enum(cls: type[E]) -> Decoder[E | Any]:
    """Known values become members; unknown ones stay as they came (forward compatible)."""
    members = cls._value2member_map_

    def decode(value: Any) -> E | Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            if type(value) in (str, int, float):
                return value
            raise _expected(f"a value of {cls.__name__}", value) from None

    return decode


def nullable(inner: Decoder[T]) -> Decoder[T | None]:
    def decode(value: Any) -> T | None:
        return None if value is None else inner(value)

    return decode


def list_of(item: Decoder[T]) -> Decoder[List[T]]:
    def decode(value: Any) -> List[T]:
        if type(value) is not list:
            raise _expected("array", value)
        out = []
        for index, element in enumerate(value):
            try:
                out.append(item(element))
            except DecodeError as exc:
                raise exc.within(index) from None
        return out

    return decode


def map_of(item: Decoder[T]) -> Decoder[Dict[str, T]]:
    def decode(value: Any) -> Dict[str, T]:
        return {key: _entry(value, key, item) for key in obj(value)}

    return decode


def union(*variants: Decoder[Any]) -> Decoder[Any]:
    """The first variant that decodes the value; the value itself if none does."""

    def decode(value: Any) -> Any:
        for variant in variants:
            try:
                return variant(value)
            except DecodeError:
                continue
        return value

    return decode


def tuple_of(*items: Decoder[Any]) -> Decoder[Tuple[Any, ...]]:
    def decode(value: Any) -> Tuple[Any, ...]:
        if type(value) is not list:
            raise _expected("array", value)
        if len(value) < len(items):
            raise DecodeError(f"expected at least {len(items)} items, got {len(value)}")
        out = []
        for index, element in enumerate(value):
            try:
                out.append(items[index](element) if index < len(items) else element)
            except DecodeError as exc:
                raise exc.within(index) from None
        return tuple(out)

    return decode


def tagged(prop: str, cases: Mapping[str, Decoder[Any]], fallback: Decoder[Any]) -> Decoder[Any]:
    """A discriminated union: the value's `prop` picks the decoder, without trial and error."""

    def decode(value: Any) -> Any:
        data = obj(value)
        tag = data.get(prop)
        case = cases.get(tag) if isinstance(tag, str) else None
        return (case or fallback)(data)

    return decode


def obj(value: Any) -> Dict[str, Any]:
    if type(value) is not dict:
        raise _expected("object", value)
    return value


def _entry(data: Dict[str, Any], key: str, decode: Decoder[T]) -> T:
    try:
        return decode(data[key])
    except DecodeError as exc:
        raise exc.within(key) from None


def required(data: Dict[str, Any], key: str, decode: Decoder[T]) -> T:
    if key not in data:
        raise DecodeError("required field is missing", (key,))
    return _entry(data, key, decode)


def optional(data: Dict[str, Any], key: str, decode: Decoder[T]) -> T | None:
    """An optional field: absent or null gives None."""
    value = data.get(key)
    if value is None:
        return None
    return _entry(data, key, decode)


def optional_nullable(data: Dict[str, Any], key: str, decode: Decoder[T]) -> Any:
    """An optional field that may be null: absent gives UNSET, null gives None."""
    if key not in data:
        return UNSET
    value = data[key]
    return None if value is None else _entry(data, key, decode)


def extra(
    data: Dict[str, Any], known: frozenset[str], decode: Decoder[Any] = any_value
) -> Dict[str, Any]:
    """The properties a model does not declare, kept so nothing received is lost."""
    if len(data) <= len(known) and known.issuperset(data):
        return {}
    if decode is any_value:
        return {k: v for k, v in data.items() if k not in known}
    return {k: _entry(data, k, decode) for k in data if k not in known}
