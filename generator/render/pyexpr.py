"""Python source fragments for TypeRefs: annotations, the runtime's type descriptions, literals.

Type descriptions name models and enums; the runtime looks them up in the lazily-loading
models package when first decoding, so recursive models work and nothing loads early.
"""

from __future__ import annotations

import json

from ..model import (
    EnumRef,
    Field,
    ListOf,
    Literal,
    MapOf,
    ModelRef,
    Nullable,
    Primitive,
    Tagged,
    TupleOf,
    TypeRef,
    UnionOf,
)

# JSON kinds to the Python types that hold them (also how reports spell them).
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# String formats that give a value another Python type (also how reports spell them, unqualified).
FORMATS = {
    "date-time": "datetime.datetime",
    "date": "datetime.date",
    "uuid": "uuid.UUID",
    "binary": "bytes",
    "byte": "bytes",
    "decimal": "decimal.Decimal",
}


def annotation(ref: TypeRef) -> str:
    """The type annotation for a value of this type."""
    if isinstance(ref, Primitive):
        if ref.kind == "string" and ref.format in FORMATS:
            return FORMATS[ref.format]
        return SCALARS.get(ref.kind, "Any")
    if isinstance(ref, ModelRef):
        return ref.name
    if isinstance(ref, EnumRef):
        # Values the spec does not list (yet) arrive as plain values instead of failing.
        return f"{ref.name} | {SCALARS.get(ref.kind, 'Any')}"
    if isinstance(ref, ListOf):
        return f"List[{annotation(ref.item)}]"
    if isinstance(ref, MapOf):
        return f"Dict[str, {annotation(ref.value)}]"
    if isinstance(ref, Nullable):
        return f"{annotation(ref.inner)} | None"
    if isinstance(ref, UnionOf):
        return " | ".join(dict.fromkeys(annotation(v) for v in ref.variants))
    if isinstance(ref, Tagged):
        # A tag the spec does not list (yet) decodes to the fallback, or stays a dict.
        rest = annotation(ref.fallback) if ref.fallback else "Dict[str, Any]"
        return " | ".join(dict.fromkeys([*(annotation(case) for _, case in ref.cases), rest]))
    if isinstance(ref, TupleOf):
        return f"Tuple[{', '.join(annotation(i) for i in ref.items)}]" if ref.items else "Tuple[()]"
    if isinstance(ref, Literal):
        return f"Literal[{pyrepr(ref.value)}]"
    return "Any"


_FORMAT_NAMES = {
    "date-time": "datetime",
    "date": "date",
    "uuid": "uuid",
    "binary": "binary",
    "byte": "base64",
    "decimal": "decimal",
}


def field_annotation(f: Field) -> str:
    """A field's annotation; the nullability rules:

    required: T                     required and nullable: T | None
    optional: T | None = None       optional and nullable: T | None | Unset = UNSET
    """
    return annotation(f.type) + (" | None" if f.nullable or not f.required else "") + (
        " | Unset" if f.nullable and not f.required else ""
    )


def field_default(f: Field) -> str:
    """The default of a field ("" for none), by the same rules."""
    return "" if f.required else "UNSET" if f.nullable else "None"


def field_line(f: Field) -> str:
    """A field's line in a model's field table (the notation is documented in _model.py)."""
    wire = f" {_json(f.wire_name)}" if f.wire_name != f.name else ""
    kind = describe(f.type)
    return f"{f.name}{'' if f.required else '?'}{wire}: {kind}{'?' if f.nullable and not kind.endswith('?') else ''}"


def describe(ref: TypeRef) -> str:
    """The runtime's type description of this type (the notation is documented in _model.py)."""
    if isinstance(ref, Primitive):
        if ref.kind == "string" and ref.format in _FORMAT_NAMES:
            return _FORMAT_NAMES[ref.format]
        return SCALARS.get(ref.kind, "any")
    if isinstance(ref, (ModelRef, EnumRef)):
        return ref.name
    if isinstance(ref, ListOf):
        return f"[{describe(ref.item)}]"
    if isinstance(ref, MapOf):
        return f"{{{describe(ref.value)}}}"
    if isinstance(ref, Nullable):
        inner = describe(ref.inner)
        return inner if inner.endswith("?") else inner + "?"
    if isinstance(ref, UnionOf):
        return f"union({', '.join(describe(v) for v in ref.variants)})"
    if isinstance(ref, Tagged):
        cases = [f"{_json(tag)}: {describe(case)}" for tag, case in ref.cases]
        fallback = [f"else: {describe(ref.fallback)}"] if ref.fallback else []
        return f"tagged({', '.join([_json(ref.property), *cases, *fallback])})"
    if isinstance(ref, TupleOf):
        return f"tuple({', '.join(describe(i) for i in ref.items)})"
    if isinstance(ref, Literal):
        return f"literal({_json(ref.value)})"
    return "any"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=True)


def pyrepr(value: object) -> str:
    """A Python literal for a JSON value from the spec, quoted the way black quotes it."""
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(pyrepr(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _string_literal(text: str) -> str:
    # repr() picks single quotes; black prefers double unless that needs more escapes.
    literal = repr(text)
    if literal[0] == '"' or text.count('"') > text.count("'"):
        return literal
    body = literal[1:-1].replace("\\'", "'").replace('"', '\\"')
    return f'"{body}"'
