# Part of the runtime that codegen copies into every client it generates.
# Do not edit by hand: changes are lost when the client is regenerated.
"""Encoding typed values for the wire: JSON bodies and parameters."""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
import uuid
from enum import Enum
from typing import Any, Iterable, List, Tuple
from urllib.parse import quote

from ._types import Unset


def to_json(value: Any) -> Any:
    """A JSON-compatible form of a value: models, enums, dates, lists and dicts at any depth."""
    if value is None or isinstance(value, (str, int, float, bool)) and not isinstance(value, Enum):
        return value
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        # Bytes inside JSON travel as base64 (`format: byte`), the only standard way.
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items() if not isinstance(v, Unset)}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def scalar_text(value: Any) -> str:
    """A parameter value as text: booleans as true/false, enums as their value."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|", "simple": ","}


def query_pairs(name: str, value: Any, style: str, explode: bool) -> List[Tuple[str, str]]:
    """A query parameter as (name, value) pairs, per its OpenAPI style and explode."""
    if isinstance(value, (list, tuple)):
        items = [scalar_text(v) for v in value]
        if explode and style in ("", "form"):
            return [(name, v) for v in items]
        return [(name, _DELIMITERS.get(style, ",").join(items))]
    if isinstance(value, dict):
        entries = [(str(k), scalar_text(v)) for k, v in value.items() if v is not None]
        if style == "deepObject":
            return [(f"{name}[{k}]", v) for k, v in entries]
        if explode:
            return entries
        return [(name, ",".join(x for pair in entries for x in pair))]
    return [(name, scalar_text(value))]


def path_segment(value: Any) -> str:
    """A path parameter, percent-encoded so it can never change the path's structure."""
    if isinstance(value, (list, tuple)):
        return ",".join(quote(scalar_text(v), safe="") for v in value)
    return quote(scalar_text(value), safe="")


def header_value(name: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = ",".join(scalar_text(v) for v in value)
    else:
        text = scalar_text(value)
    if "\r" in text or "\n" in text:
        raise ValueError(f"header {name!r} must not contain CR or LF characters")
    return text


def omit_unset(pairs: Iterable[Tuple[str, Any]], nullable: frozenset[str]) -> dict[str, Any]:
    """Body fields without the ones the caller left out (UNSET, or None where null is not allowed)."""
    return {k: v for k, v in pairs if not isinstance(v, Unset) and (v is not None or k in nullable)}
