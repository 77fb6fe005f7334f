"""Encoding typed values for the wire: parameters in every OpenAPI style, and request bodies."""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
import json
import os
import uuid
from enum import Enum
from typing import Any, List, Mapping, Optional, Tuple
from urllib.parse import quote, urlencode

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


# -- parameters --------------------------------------------------------------------------
#
# Each function takes a parameter's value and its OpenAPI `style` and `explode` ("" and None
# mean the defaults: form in query and cookie, simple in path and header; explode only for
# form) and returns it serialized exactly as the OpenAPI table of styles shows. Path and
# query pieces come back percent-encoded: every reserved character of a value is escaped,
# so a value can never add a path segment, a query parameter or a delimiter.

_QUERY_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "|"}


def _q(text: str) -> str:
    return quote(text, safe="")


def _shape(value: Any) -> Any:
    """A parameter value as text, a list of texts (array) or a list of (key, text) (object)."""
    value = to_json(value)
    if isinstance(value, list):
        return [scalar_text(item) for item in value]
    if isinstance(value, dict):
        return [(str(k), scalar_text(v)) for k, v in value.items() if v is not None]
    return scalar_text(value)


def _flat(entries: List[Tuple[str, str]], quote_text: Any = _q) -> List[str]:
    """An object's entries as k1, v1, k2, v2 (explode: false)."""
    return [quote_text(x) for pair in entries for x in pair]


def path_param(name: str, value: Any, style: str = "", explode: Optional[bool] = None) -> str:
    """A path parameter in the simple (default), label or matrix style."""
    if value.__class__ is int and not style:
        return str(value)  # the commonest case, with nothing to quote
    shaped = _shape(value)
    explode = bool(explode)
    if style == "label" or style == "matrix":
        text = _label(shaped, explode) if style == "label" else _matrix(name, shaped, explode)
    elif isinstance(shaped, str):
        text = _q(shaped)
    elif shaped and isinstance(shaped[0], tuple):
        text = (
            ",".join(f"{_q(k)}={_q(v)}" for k, v in shaped) if explode else ",".join(_flat(shaped))
        )
    else:
        text = ",".join(_q(v) for v in shaped)
    if not text.strip("."):
        # "." and ".." are path segments with a meaning of their own: clients and servers
        # resolve them away, so a value made of dots is sent percent-encoded instead.
        text = text.replace(".", "%2E")
    return text


def _label(shaped: Any, explode: bool) -> str:
    if isinstance(shaped, str):
        return "." + _q(shaped)
    if shaped and isinstance(shaped[0], tuple):
        return "." + (
            ".".join(f"{_q(k)}={_q(v)}" for k, v in shaped) if explode else ",".join(_flat(shaped))
        )
    return "." + ("." if explode else ",").join(_q(v) for v in shaped)


def _matrix(name: str, shaped: Any, explode: bool) -> str:
    key = _q(name)
    if isinstance(shaped, str):
        return f";{key}={_q(shaped)}" if shaped else f";{key}"
    if shaped and isinstance(shaped[0], tuple):
        if explode:
            return "".join(f";{_q(k)}={_q(v)}" for k, v in shaped)
        return f";{key}=" + ",".join(_flat(shaped))
    if explode:
        return "".join(f";{key}={_q(v)}" for v in shaped)
    return f";{key}=" + ",".join(_q(v) for v in shaped)


def query_params(
    name: str, value: Any, style: str = "", explode: Optional[bool] = None
) -> List[str]:
    """A query parameter as encoded `name=value` pieces (to be joined with "&")."""
    if style == "json":
        return [f"{_q(name)}={_q(json_text(value))}"]
    if style == "deepObject":
        return [f"{_q(key)}={_q(text)}" for key, text in _deep(name, to_json(value))]
    if value.__class__ is int and style in ("", "form"):
        return [f"{_q(name)}={value}"]  # the commonest case, with nothing to quote
    shaped = _shape(value)
    key = _q(name)
    if isinstance(shaped, str):
        return [f"{key}={_q(shaped)}"]
    if explode is None:
        explode = style in ("", "form")
    is_object = bool(shaped) and isinstance(shaped[0], tuple)
    if explode:
        # Exploded arrays repeat the name in every style; exploded objects become their members.
        if is_object:
            return [f"{_q(k)}={_q(v)}" for k, v in shaped]
        return [f"{key}={_q(v)}" for v in shaped]
    delimiter = _QUERY_DELIMITERS.get(style, ",")
    items = _flat(shaped) if is_object else [_q(v) for v in shaped]
    return [f"{key}={delimiter.join(items)}"]


def _deep(name: str, value: Any) -> List[Tuple[str, str]]:
    """deepObject: name[key]=value, nested objects as name[key][inner]=value."""
    if isinstance(value, dict):
        return [
            pair for k, v in value.items() if v is not None for pair in _deep(f"{name}[{k}]", v)
        ]
    if isinstance(value, list):
        return [(name, scalar_text(item)) for item in value]
    return [(name, scalar_text(value))]


def header_param(name: str, value: Any, style: str = "", explode: Optional[bool] = None) -> str:
    """A header parameter (simple style), refusing what could end the header or start another."""
    if style == "json":
        text = json_text(value)
    else:
        shaped = _shape(value)
        if isinstance(shaped, str):
            text = shaped
        elif shaped and isinstance(shaped[0], tuple):
            text = (
                ",".join(f"{k}={v}" for k, v in shaped) if explode else ",".join(_flat(shaped, str))
            )
        else:
            text = ",".join(shaped)
    return checked_header(name, text)


def checked_header(name: str, text: str) -> str:
    if "\r" in text or "\n" in text or "\0" in text:
        raise ValueError(f"header {name!r} must not contain CR, LF or NUL characters")
    return text


def cookie_params(
    name: str, value: Any, style: str = "", explode: Optional[bool] = None
) -> List[str]:
    """A cookie parameter (form style) as `name=value` pieces for the Cookie header."""
    if style == "json":
        return [f"{name}={_q(json_text(value))}"]
    shaped = _shape(value)
    if isinstance(shaped, str):
        return [f"{name}={_q(shaped)}"]
    is_object = bool(shaped) and isinstance(shaped[0], tuple)
    if explode is None or explode:
        if is_object:
            return [f"{_q(k)}={_q(v)}" for k, v in shaped]
        return [f"{name}={_q(v)}" for v in shaped]
    return [f"{name}=" + ",".join(_flat(shaped) if is_object else [_q(v) for v in shaped])]


def json_text(value: Any) -> str:
    return json.dumps(to_json(value), separators=(",", ":"), ensure_ascii=False)


# -- request bodies ---------------------------------------------------------------------------


def form_urlencoded(fields: Mapping[str, Any]) -> bytes:
    """An application/x-www-form-urlencoded body: arrays repeat their name, objects spread
    into their members (OpenAPI's default form/explode encoding)."""
    pairs: List[Tuple[str, str]] = []
    for name, value in fields.items():
        shaped = _shape(value)
        if isinstance(shaped, str):
            pairs.append((name, shaped))
        elif shaped and isinstance(shaped[0], tuple):
            pairs.extend(shaped)
        else:
            pairs.extend((name, item) for item in shaped)
    return urlencode(pairs).encode("ascii")


def multipart_parts(fields: Mapping[str, Any]) -> List[Tuple[str, Any]]:
    """A multipart/form-data body as httpx `files` parts, in order.

    Files may be bytes, open binary files, paths, or (filename, content[, content type])
    tuples; a list of files sends one part each. Other fields are parts without a filename:
    scalars as text, arrays as one part per item, objects as JSON. Every field goes through
    `files` so that the body is multipart even when it holds no file.
    """
    parts: List[Tuple[str, Any]] = []
    for name, value in fields.items():
        if is_file(value):
            parts.append((name, file_part(value)))
        elif isinstance(value, (list, tuple)):
            parts.extend((name, file_part(v) if is_file(v) else _text_part(v)) for v in value)
        else:
            parts.append((name, _text_part(value)))
    return parts


def is_file(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray, os.PathLike)) or hasattr(value, "read"):
        return True
    # (filename, content) or (filename, content, content type)
    return (
        isinstance(value, tuple)
        and len(value) in (2, 3)
        and (value[0] is None or isinstance(value[0], str))
        and (
            isinstance(value[1], (bytes, bytearray, os.PathLike, str)) or hasattr(value[1], "read")
        )
    )


def file_part(value: Any) -> Any:
    """httpx's form of a file: paths are read here (named after the file), the rest as given."""
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        with open(path, "rb") as file:
            return (os.path.basename(path), file.read())
    if isinstance(value, bytearray):
        return bytes(value)
    if isinstance(value, tuple) and isinstance(value[1], os.PathLike):
        with open(os.fspath(value[1]), "rb") as file:
            return (value[0], file.read(), *value[2:])
    return value


def _text_part(value: Any) -> Tuple[None, Any, Optional[str]]:
    data = to_json(value)
    if isinstance(data, (dict, list)):
        return (None, json_text(data).encode(), "application/json")
    return (None, scalar_text(data).encode(), None)


def omit_unset(fields: Mapping[str, Any], nullable: frozenset[str]) -> dict[str, Any]:
    """Body fields without the ones the caller left out: UNSET, and None where the field may
    not be null (there None is the default that means "not given")."""
    return {
        k: v
        for k, v in fields.items()
        if (v is not None or k in nullable) and not isinstance(v, Unset)
    }
