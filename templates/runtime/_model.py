"""Models and type descriptions: decoding and encoding driven by static tables.

Generated code does not spell out how to decode each field. A model class carries a field
table (`_FIELDS`), and an operation names what it returns as a type description, both in a
small notation:

    str  int  float  bool  any  datetime  date  uuid  decimal  base64  binary
    Pet                 a model or enum of this package, loaded on first use
    [T]  {T}  T?        list of T, map of str to T, T or null
    union(A, B)         the first that decodes the value
    tuple(A, B)         prefixItems
    literal("x")        a constant (any JSON value)
    tagged("kind", "dog": Dog, "cat": Cat, else: Pet)   a discriminated union

A field table has one field per line, `name: T` for a required field and `name?: T` for an
optional one, with the wire name as a JSON string after the Python name when they differ:
`type_ "type": str`. A nullable optional field defaults to UNSET (absent is not null),
any other optional field to None.

Each model's decoder and encoder are compiled to Python on first use: the fast path checks
types inline, and anything unusual (a missing field, a wrong type, a float where an integer
belongs) goes to the slower general decoders, which produce the same values and the
precise error with its JSON path.
"""

from __future__ import annotations

import importlib
import json
import re
from enum import Enum
from typing import Any, Callable, ClassVar, Dict, List, Optional, Tuple, TypeVar

from . import _decode as _d
from ._decode import DecodeError
from ._encode import to_json
from ._types import UNSET, Unset

__all__ = ["Model", "decoder"]

M = TypeVar("M", bound="Model")


class Model:
    """Base of every generated model (each is also a keyword-only dataclass)."""

    _FIELDS: ClassVar[str] = ""
    # A type description for undeclared properties' values; None keeps them as they came.
    _EXTRA: ClassVar[Optional[str]] = None

    @classmethod
    def from_dict(cls: type[M], data: Any) -> M:
        """Decode from JSON; a mismatch raises DecodeError naming its JSON path."""
        codec = cls.__dict__.get("_codec_") or _Codec.build(cls)
        decoded: M = codec.decode(data)
        return decoded

    def to_dict(self) -> Dict[str, Any]:
        """This model as JSON-compatible data, with the API's field names."""
        cls = type(self)
        codec = cls.__dict__.get("_codec_") or _Codec.build(cls)
        encoded: Dict[str, Any] = codec.encode(self)
        return encoded


# --- type descriptions -----------------------------------------------------------------------

_SCALARS: Dict[str, Callable[[Any], Any]] = {
    "str": _d.string,
    "int": _d.integer,
    "float": _d.number,
    "bool": _d.boolean,
    "any": _d.any_value,
    "datetime": _d.datetime,
    "date": _d.date,
    "uuid": _d.uuid,
    "decimal": _d.decimal,
    "base64": _d.base64,
    "binary": _d.binary,
}
_PLAIN = frozenset({"str", "int", "float", "bool"})  # values that are JSON as they stand
_TOKEN = re.compile(r'\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<string>")|(?P<punct>[\[\]{}(),:?]))')
_DECODERS: Dict[str, Callable[[Any], Any]] = {}


def decoder(description: str) -> Callable[[Any], Any]:
    """The decoder for a type description (compiled once, then shared)."""
    found = _DECODERS.get(description)
    if found is None:
        found = _DECODERS[description] = _Parser(description).decoder()
    return found


def is_plain(description: str) -> bool:
    """Whether values of this type are JSON already, so encoding can copy them."""
    return _Parser(description).plain()


def _models() -> Any:
    return importlib.import_module(f"{__package__}.models")


class _Parser:
    """Recursive descent over one description, producing a decoder or a plainness verdict."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def decoder(self) -> Callable[[Any], Any]:
        result = self._decoder()
        self._end()
        return result

    def plain(self) -> bool:
        result = self._plain()
        self._end()
        return result

    # The grammar, once for decoders ...
    def _decoder(self) -> Callable[[Any], Any]:
        kind, value = self._next()
        if kind == "punct" and value in "[{":
            inner = self._decoder()
            self._expect("]" if value == "[" else "}")
            result: Callable[[Any], Any] = _d.list_of(inner) if value == "[" else _d.map_of(inner)
        elif kind == "name" and self._peek() == "(":
            result = self._function(value)
        elif kind == "name":
            result = _SCALARS[value] if value in _SCALARS else _named(value)
        else:
            raise self._error(f"unexpected {value!r}")
        if self._peek() == "?":
            self._next()
            result = _d.nullable(result)
        return result

    def _function(self, name: str) -> Callable[[Any], Any]:
        self._expect("(")
        if name == "literal":
            value = self._json()
            self._expect(")")
            return _d.literal(value)
        if name == "tagged":
            return self._tagged()
        items = self._list(self._decoder)
        if name == "union":
            return _d.union(*items)
        if name == "tuple":
            return _d.tuple_of(*items)
        raise self._error(f"unknown type function {name!r}")

    def _tagged(self) -> Callable[[Any], Any]:
        prop = self._json()
        cases: Dict[str, Callable[[Any], Any]] = {}
        fallback: Callable[[Any], Any] = _d.obj
        while self._peek() == ",":
            self._next()
            if self._peek() == "else":
                self._next()
                self._expect(":")
                fallback = self._decoder()
            else:
                tag = self._json()
                self._expect(":")
                cases[tag] = self._decoder()
        self._expect(")")
        return _d.tagged(prop, cases, fallback)

    # ... and once for plainness (no models are loaded for this).
    def _plain(self) -> bool:
        kind, value = self._next()
        if kind == "punct" and value in "[{":
            result = self._plain()
            self._expect("]" if value == "[" else "}")
        elif kind == "name" and self._peek() == "(":
            self._expect("(")
            if value == "literal":
                self._json()
                self._expect(")")
                result = True
            elif value == "union":
                result = all(self._list(self._plain))
            else:  # tuples become lists on the wire; tagged cases are models
                self._skip_to_close()
                result = False
        else:
            result = value in _PLAIN
        if self._peek() == "?":
            self._next()
        return result

    # --- tokens
    def _list(self, item: Callable[[], Any]) -> List[Any]:
        if self._peek() == ")":
            self._next()
            return []
        items = [item()]
        while self._peek() == ",":
            self._next()
            items.append(item())
        self._expect(")")
        return items

    def _skip_to_close(self) -> None:
        depth = 1
        while depth:
            if self.text[self.pos :].lstrip().startswith('"'):
                self._json()
                continue
            kind, value = self._next()
            if kind == "punct":
                depth += (value in "([{") - (value in ")]}")

    def _json(self) -> Any:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        try:
            value, self.pos = json.JSONDecoder().raw_decode(self.text, self.pos)
        except ValueError:
            raise self._error("expected a JSON value") from None
        return value

    def _peek(self) -> Optional[str]:
        match = _TOKEN.match(self.text, self.pos)
        return (match.group("name") or match.group("punct")) if match else None

    def _next(self) -> Tuple[str, str]:
        match = _TOKEN.match(self.text, self.pos)
        if not match or match.group("string"):
            raise self._error("expected a type")
        self.pos = match.end()
        kind = "name" if match.group("name") else "punct"
        return kind, match.group(kind)

    def _expect(self, punct: str) -> None:
        kind, value = self._next()
        if value != punct:
            raise self._error(f"expected {punct!r}, got {value!r}")

    def _end(self) -> None:
        if self.text[self.pos :].strip():
            raise self._error("unexpected text after the type")

    def _error(self, message: str) -> ValueError:
        return ValueError(f"bad type description {self.text!r} at {self.pos}: {message}")


def _named(name: str) -> Callable[[Any], Any]:
    """A model's or enum's decoder, looked up when first needed (models may be recursive)."""
    resolved: List[Callable[[Any], Any]] = []

    def decode(value: Any) -> Any:
        if not resolved:
            target = getattr(_models(), name)
            resolved.append(_d.enum(target) if issubclass(target, Enum) else target.from_dict)
        return resolved[0](value)

    return decode


# --- compiled model codecs ---------------------------------------------------------------------

_FIELD = re.compile(r'^\s*(?P<attr>\w+)(?P<optional>\?)?(?:\s+(?P<wire>"(?:[^"\\]|\\.)*"))?:\s*(?P<type>.+?)\s*$')
_CHECKS = {  # inline type checks for the commonest scalars; the rest call their decoder
    "str": "{v}.__class__ is not str",
    "int": "{v}.__class__ is not int",
    "bool": "{v}.__class__ is not bool",
    "float": "{v}.__class__ is not float and {v}.__class__ is not int",
    "any": "",
}


class _Mismatch(Exception):
    """Leaves the fast path; the general decoders then say exactly what is wrong."""


class _Field:
    __slots__ = ("attr", "wire", "required", "type", "nullable", "default")

    def __init__(self, line: str) -> None:
        match = _FIELD.match(line)
        if match is None:
            raise ValueError(f"bad field line {line!r}")
        self.attr = match.group("attr")
        self.wire = json.loads(match.group("wire")) if match.group("wire") else self.attr
        self.required = not match.group("optional")
        description = match.group("type")
        self.nullable = description.endswith("?")
        self.type = description[:-1] if self.nullable else description
        self.default: Any = None if self.required or not self.nullable else UNSET


class _Codec:
    """A model class's compiled decode and encode functions."""

    def __init__(self, decode: Callable[[Any], Any], encode: Callable[[Any], Dict[str, Any]]) -> None:
        self.decode = decode
        self.encode = encode

    @classmethod
    def build(cls, model: type[Model]) -> _Codec:
        fields = [_Field(line) for line in model._FIELDS.splitlines() if line.strip()]
        slow = _slow_decoder(model, fields)
        codec = cls(_compile_decoder(model, fields, slow), _compile_encoder(model, fields))
        setattr(model, "_codec_", codec)
        return codec


def _slow_decoder(model: type[Model], fields: List[_Field]) -> Callable[[Any], Any]:
    """The general path: every check with its JSON path, used when the fast path declines."""
    plan = [(f, _full(f)) for f in fields]
    known = frozenset(f.wire for f in fields)
    extra = decoder(model._EXTRA) if model._EXTRA else _d.any_value

    def decode(data: Any) -> Any:
        d = _d.obj(data)
        values: Dict[str, Any] = {}
        for f, dec in plan:
            if f.required:
                values[f.attr] = _d.required(d, f.wire, dec)
            elif f.nullable:
                values[f.attr] = _d.optional_nullable(d, f.wire, dec)
            else:
                values[f.attr] = _d.optional(d, f.wire, dec)
        values["additional_properties"] = _d.extra(d, known, extra)
        return model(**values)

    return decode


def _full(f: _Field) -> Callable[[Any], Any]:
    dec = decoder(f.type)
    return _d.nullable(dec) if f.required and f.nullable else dec


def _compile_decoder(model: type[Model], fields: List[_Field], slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Straight-line Python for the expected shape of the data (dataclasses do the same)."""
    env: Dict[str, Any] = {"_slow": slow, "_Mismatch": _Mismatch, "_new": object.__new__, "_cls": model}
    env.update({"_UNSET": UNSET, "DecodeError": DecodeError, "_known": frozenset(f.wire for f in fields)})
    lines = ["def decode(data):", "  if data.__class__ is not dict:", "    return _slow(data)", "  get = data.get", "  try:"]
    for index, f in enumerate(fields):
        v = f"v{index}"
        key = repr(f.wire)
        if f.required:
            lines.append(f"    {v} = data[{key}]")
        else:
            lines.append(f"    {v} = get({key}, {'_UNSET' if f.nullable else 'None'})")
        skip = [] if f.required and not f.nullable else [f"{v} is not {'None' if f.required or not f.nullable else '_UNSET'}"]
        if not f.required and f.nullable:
            skip.append(f"{v} is not None")
        check = _CHECKS.get(f.type)
        if check == "":
            continue
        guard = " and ".join(skip)
        if check is not None:
            test = check.format(v=v)
            lines.append(f"    if {guard + ' and (' + test + ')' if guard else test}:")
            lines.append("      raise _Mismatch")
        else:
            env[f"_dec{index}"] = decoder(f.type)
            if guard:
                lines.append(f"    if {guard}:")
            lines.append(f"    {'  ' if guard else ''}{v} = _dec{index}({v})")
    lines += ["  except (KeyError, _Mismatch, DecodeError):", "    return _slow(data)"]
    if model._EXTRA:
        lines.append("  if not _known.issuperset(data):")
        lines.append("    return _slow(data)")
        extra = "{}"
    else:
        extra = "{} if _known.issuperset(data) else {k: x for k, x in data.items() if k not in _known}"
    lines.append("  self = _new(_cls)")
    items = [f"{f.attr!r}: v{i}" for i, f in enumerate(fields)] + [f"'additional_properties': {extra}"]
    lines.append(f"  self.__dict__ = {{{', '.join(items)}}}")
    lines.append("  return self")
    return _exec(lines, env, "decode")


def _compile_encoder(model: type[Model], fields: List[_Field]) -> Callable[[Any], Dict[str, Any]]:
    env: Dict[str, Any] = {"_to_json": to_json, "_Unset": Unset}
    extra_plain = not model._EXTRA or is_plain(model._EXTRA)
    lines = ["def encode(self):", "  d = self.__dict__"]
    lines.append(f"  out = {'dict' if extra_plain else '_to_json'}(d['additional_properties'])")
    for f in fields:
        value = "v" if is_plain(f.type) else "_to_json(v)"
        lines.append(f"  v = d[{f.attr!r}]")
        if f.required:
            lines.append(f"  out[{f.wire!r}] = {value}")
        elif f.nullable:
            lines.append("  if v.__class__ is not _Unset:")
            lines.append(f"    out[{f.wire!r}] = {value}")
        else:
            lines.append("  if v is not None:")
            lines.append(f"    out[{f.wire!r}] = {value}")
    lines.append("  return out")
    return _exec(lines, env, "encode")


def _exec(lines: List[str], env: Dict[str, Any], name: str) -> Callable[..., Any]:
    exec("\n".join(lines), env)  # noqa: S102 - our own source, built from the field table
    function: Callable[..., Any] = env[name]
    return function
