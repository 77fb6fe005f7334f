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

import dataclasses
import datetime as _dt
import importlib
import json
import re
import reprlib
from enum import Enum
from typing import Any, Callable, ClassVar, Dict, List, Optional, Tuple, TypeVar

from . import _decode as _d
from ._encode import to_json
from ._types import UNSET, Unset

__all__ = ["Model", "decoder"]

M = TypeVar("M", bound="Model")


class Model:
    """Base of every generated model (each is also a keyword-only dataclass).

    Equality and repr are defined once here rather than generated per class by dataclasses
    (`eq=False, repr=False` on the models): creating a class of a hundred fields is then one
    generated method instead of three, which is most of what loading a large model costs.
    """

    _FIELDS: ClassVar[str] = ""
    # A type description for undeclared properties' values; None keeps them as they came.
    _EXTRA: ClassVar[Optional[str]] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_FIELDS" not in cls.__dict__:
            # A subclass of a generated model (a user's own): it decodes into itself, not
            # through the compiled functions its base may already have put in their place.
            setattr(cls, "from_dict", Model.__dict__["from_dict"])
            setattr(cls, "to_dict", Model.__dict__["to_dict"])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like any dataclass with eq

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"

    @classmethod
    def from_dict(cls: type[M], data: Any) -> M:
        """Decode from JSON; a mismatch raises DecodeError naming its JSON path."""
        decoded: M = _codec(cls).decode(data)
        return decoded

    def to_dict(self) -> Dict[str, Any]:
        """This model as JSON-compatible data, with the API's field names."""
        encoded: Dict[str, Any] = _codec(type(self)).encode(self)
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
_TOKEN = re.compile(
    r'\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<string>")|(?P<punct>[\[\]{}(),:?]))'
)
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
            resolved.append(_fast_decoder(name))
        return resolved[0](value)

    return decode


def _fast_decoder(name: str) -> Callable[[Any], Any]:
    """The decoder of the model or enum of that name: for a model, its compiled function."""
    target = getattr(_models(), name)
    if issubclass(target, Enum):
        return _d.enum(target)
    return _codec(target).decoder()


# --- compiled model codecs ---------------------------------------------------------------------

_FIELD = re.compile(
    r'^\s*(?P<attr>\w+)(?P<optional>\?)?(?:\s+(?P<wire>"(?:[^"\\]|\\.)*"))?:\s*(?P<type>.+?)\s*$'
)
_CHECKS = {  # inline type checks for the commonest scalars; the rest call their decoder
    "str": "{v}.__class__ is not str",
    "int": "{v}.__class__ is not int",
    "bool": "{v}.__class__ is not bool",
    "float": "{v}.__class__ is not float and {v}.__class__ is not int",
    "any": "",
}
# Inlined conversions: (what a convertible value is, its conversion). A ValueError from the
# conversion sends the data to the general path. Lists of a scalar check their element types
# as one set, computed in C.
_CONVERSIONS = {
    "datetime": ("{v}.__class__ is str", "_datetime({v})"),
    "date": ("{v}.__class__ is str", "_date({v})"),
    "[str]": ("{v}.__class__ is list and (not {v} or _set(_map(_type, {v})) == _STR)", "{v}[:]"),
    "[int]": ("{v}.__class__ is list and (not {v} or _set(_map(_type, {v})) == _INT)", "{v}[:]"),
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


def _codec(model: type[Model]) -> _Codec:
    """The model class's own codec (a subclass gets its own, see Model.__init_subclass__)."""
    codec: Optional[_Codec] = model.__dict__.get("_codec_")
    if codec is None:
        codec = _Codec(model)
        setattr(model, "_codec_", codec)
    return codec


class _Codec:
    """A model class's compiled decode and encode functions, each made when first needed
    (a response model is rarely encoded, a request model rarely decoded)."""

    def __init__(self, model: type[Model]) -> None:
        self._model = model
        self._fields = [_Field(line) for line in model._FIELDS.splitlines() if line.strip()]
        self._compiled: Optional[Callable[[Any], Any]] = None
        self.decode: Callable[[Any], Any] = self._first_decode
        self.encode: Callable[[Any], Dict[str, Any]] = self._first_encode

    # Once compiled, the functions also take the place of the class's own from_dict and
    # to_dict, so that later calls skip the lookup of the codec.
    def decoder(self) -> Callable[[Any], Any]:
        """The compiled decoder, compiled now if it has not been yet."""
        if self._compiled is None:
            self._compiled = self.decode = _compile_decoder(
                self._model, self._fields, _slow_decoder(self._model, self._fields)
            )
            setattr(self._model, "from_dict", staticmethod(self._compiled))
        return self._compiled

    def _first_decode(self, data: Any) -> Any:
        return self.decoder()(data)

    def _first_encode(self, instance: Any) -> Dict[str, Any]:
        self.encode = _compile_encoder(self._model, self._fields)
        setattr(self._model, "to_dict", self.encode)
        return self.encode(instance)


def _slow_decoder(model: type[Model], fields: List[_Field]) -> Callable[[Any], Any]:
    """The general path: every check with its JSON path, used when the fast path declines."""
    plan: List[Tuple[_Field, Callable[[Any], Any]]] = []  # filled when first needed
    known = frozenset(f.wire for f in fields)
    extra = decoder(model._EXTRA) if model._EXTRA else _d.any_value

    def decode(data: Any) -> Any:
        if not plan:
            plan.extend((f, _full(f)) for f in fields)
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


def _compile_decoder(
    model: type[Model], fields: List[_Field], slow: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """Straight-line Python for the expected shape of the data (dataclasses do the same).

    The instance's __dict__ starts as a copy of the data laid over the optional fields'
    defaults: two calls in C instead of a value per field through the interpreter. The
    fields are then checked, converted and renamed in place, and undeclared properties
    moved out.
    """
    env: Dict[str, Any] = {
        "_slow": slow,
        "_Mismatch": _Mismatch,
        "_new": object.__new__,
        "_cls": model,
        "_defaults": {f.wire: f.default for f in fields if not f.required},
    }
    env.update({"_UNSET": UNSET, "_known": frozenset(f.wire for f in fields)})
    env.update({"_set": set, "_map": map, "_type": type, "_STR": {str}, "_INT": {int}})
    env.update({"_datetime": _dt.datetime.fromisoformat, "_date": _dt.date.fromisoformat})
    lines = [
        "def decode(data):",
        "  if data.__class__ is not dict:",
        "    return _slow(data)",
        "  d = _defaults.copy()",
        "  d.update(data)",
        # Every optional field is in d, so with the required ones all there (checked below)
        # d has as many keys as fields exactly when nothing undeclared came.
        f"  if len(d) == {len(fields)}:",
        "    extra = {}",
        "  else:",
        # Typed undeclared properties are decoded by the general path.
        (
            "    return _slow(data)"
            if model._EXTRA
            else "    extra = {k: d.pop(k) for k in data if k not in _known}"
        ),
    ]
    checks = [line for index, f in enumerate(fields) for line in _field_check(f, index, env)]
    if checks:  # none when every field is optional and of any type
        lines += [
            "  try:",
            *checks,
            "  except (KeyError, ValueError, _Mismatch):",
            "    return _slow(data)",
        ]
    renamed = [f for f in fields if f.attr != f.wire]
    if renamed:
        # All taken out before any is put back: a Python name may be another field's wire name.
        names = "".join(f"r{i}, " for i in range(len(renamed)))
        lines.append(f"  {names}= {', '.join(f'd.pop({f.wire!r})' for f in renamed)},")
        lines += [f"  d[{f.attr!r}] = r{i}" for i, f in enumerate(renamed)]
    lines += [
        "  d['additional_properties'] = extra",
        "  self = _new(_cls)",
        "  self.__dict__ = d",
        "  return self",
    ]
    return _exec(lines, env, "decode")


def _field_check(f: _Field, index: int, env: Dict[str, Any]) -> List[str]:
    """Lines checking (and converting in place) one field of `d`, unless it is absent or null."""
    key = repr(f.wire)
    if f.required and not f.nullable:
        skip = []
    elif f.required:
        skip = ["v is not None"]
    elif f.nullable:
        skip = ["v is not _UNSET", "v is not None"]
    else:
        skip = ["v is not None"]
    checks = _checked("v", f"d[{key}]", f.type, skip, index, env)
    if checks:
        return [f"    v = d[{key}]", *checks]
    # No check at all (`any`): a required field must still be there.
    return [f"    d[{key}]"] if f.required else []


def _checked(
    v: str, target: str, kind: str, skip: List[str], index: int, env: Dict[str, Any]
) -> List[str]:
    """Lines checking `v`, and putting its conversion in `target`, unless it is absent or
    null (`skip`).

    The type test comes first, so the usual value passes after one comparison.
    """
    absent = "".join(f" and {s}" for s in skip)
    if kind in _CONVERSIONS:
        ok, conversion = (part.format(v=v) for part in _CONVERSIONS[kind])
        otherwise = f"elif {' and '.join(skip)}:" if skip else "else:"
        return [
            f"    if {ok}:",
            f"      {target} = {conversion}",
            f"    {otherwise}",
            "      raise _Mismatch",
        ]
    check = _CHECKS.get(kind)
    if check == "":
        return []
    if check is not None:
        return [f"    if ({check.format(v=v)}){absent}:", "      raise _Mismatch"]
    named = kind.isidentifier() and kind not in _SCALARS
    env[f"_dec{index}"] = _bound_on_first_use(kind, env, f"_dec{index}") if named else decoder(kind)
    if skip:
        return [f"    if {' and '.join(skip)}:", f"      {target} = _dec{index}({v})"]
    return [f"    {target} = _dec{index}({v})"]


def _bound_on_first_use(name: str, env: Dict[str, Any], key: str) -> Callable[[Any], Any]:
    """A model's or enum's decoder that puts the resolved one in its own place in `env`, so
    later calls from compiled code go straight to it."""

    def first(value: Any) -> Any:
        env[key] = _fast_decoder(name)
        return env[key](value)

    return first


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
