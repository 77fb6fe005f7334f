"""Python source fragments for TypeRefs: annotations and decoder expressions.

Models are referenced through the lazily-loading models package (imported as `_m`), so
decoders can name any model without importing it, and recursive models work.
"""

from __future__ import annotations

from ..model import (
    EnumRef,
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

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_FORMATS = {
    "date-time": "datetime.datetime",
    "date": "datetime.date",
    "uuid": "uuid.UUID",
    "binary": "bytes",
    "byte": "bytes",
    "decimal": "decimal.Decimal",
}
_SCALAR_DECODERS = {"string": "_d.string", "integer": "_d.integer", "number": "_d.number", "boolean": "_d.boolean"}
_FORMAT_DECODERS = {
    "date-time": "_d.datetime",
    "date": "_d.date",
    "uuid": "_d.uuid",
    "binary": "_d.binary",
    "byte": "_d.base64",
    "decimal": "_d.decimal",
}


def annotation(ref: TypeRef) -> str:
    """The type annotation for a value of this type."""
    if isinstance(ref, Primitive):
        if ref.kind == "string" and ref.format in _FORMATS:
            return _FORMATS[ref.format]
        return _SCALARS.get(ref.kind, "Any")
    if isinstance(ref, ModelRef):
        return ref.name
    if isinstance(ref, EnumRef):
        # Values the spec does not list (yet) arrive as plain values instead of failing.
        return f"{ref.name} | {_SCALARS.get(ref.kind, 'Any')}"
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
        return f"Literal[{ref.value!r}]"
    return "Any"


def decoder(ref: TypeRef) -> str:
    """An expression evaluating to a decoder (a callable from JSON to the typed value)."""
    if isinstance(ref, Primitive):
        if ref.kind == "string" and ref.format in _FORMAT_DECODERS:
            return _FORMAT_DECODERS[ref.format]
        return _SCALAR_DECODERS.get(ref.kind, "_d.any_value")
    if isinstance(ref, ModelRef):
        return f"_m.{ref.name}.from_dict"
    if isinstance(ref, EnumRef):
        return f"_d.enum(_m.{ref.name})"
    if isinstance(ref, ListOf):
        return f"_d.list_of({decoder(ref.item)})"
    if isinstance(ref, MapOf):
        return f"_d.map_of({decoder(ref.value)})"
    if isinstance(ref, Nullable):
        return f"_d.nullable({decoder(ref.inner)})"
    if isinstance(ref, UnionOf):
        return f"_d.union({', '.join(decoder(v) for v in ref.variants)})"
    if isinstance(ref, Tagged):
        cases = ", ".join(f"{tag!r}: {decoder(case)}" for tag, case in ref.cases)
        fallback = decoder(ref.fallback) if ref.fallback else "_d.obj"
        return f"_d.tagged({ref.property!r}, {{{cases}}}, {fallback})"
    if isinstance(ref, TupleOf):
        return f"_d.tuple_of({', '.join(decoder(i) for i in ref.items)})"
    if isinstance(ref, Literal):
        return f"_d.literal({ref.value!r})"
    return "_d.any_value"


def is_plain_json(ref: TypeRef) -> bool:
    """Whether a value of this type is already JSON as it stands (no encoding needed)."""
    if isinstance(ref, Primitive):
        return not (ref.kind == "string" and ref.format in _FORMATS)
    if isinstance(ref, Nullable):
        return is_plain_json(ref.inner)
    if isinstance(ref, (ListOf,)):
        return is_plain_json(ref.item)
    if isinstance(ref, MapOf):
        return is_plain_json(ref.value)
    if isinstance(ref, UnionOf):
        return all(is_plain_json(v) for v in ref.variants)
    return isinstance(ref, Literal)  # tuples must become lists, tagged cases are models
