"""Type references as a caller of the generated client sees them: spelled, and compared.

Two types compare by the values a caller can pass or get back, not by how the spec spells
them: a string's `format: email` changes nothing in Python, `format: date-time` makes it a
datetime.
"""

from __future__ import annotations

from ..model import (
    AnyValue,
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
from ..render.pyexpr import FORMATS, SCALARS

# Only these formats give a value another Python type than its JSON kind's ("datetime").
_FORMATS = {fmt: python.rsplit(".", 1)[-1] for fmt, python in FORMATS.items()}
_LITERAL_KINDS = {str: "string", bool: "boolean", int: "integer", float: "number"}


def spell(ref: TypeRef | None) -> str:
    """The type as a short Python annotation, for people reading a report."""
    if ref is None:
        return "None"
    if isinstance(ref, Primitive):
        python = _python_type(ref)
        return python if python else "Any"
    if isinstance(ref, (ModelRef, EnumRef)):
        return ref.name
    if isinstance(ref, ListOf):
        return f"list[{spell(ref.item)}]"
    if isinstance(ref, MapOf):
        return f"dict[str, {spell(ref.value)}]"
    if isinstance(ref, Nullable):
        return f"{spell(ref.inner)} | None"
    if isinstance(ref, TupleOf):
        return f"tuple[{', '.join(spell(item) for item in ref.items)}]"
    if isinstance(ref, Literal):
        return f"Literal[{ref.value!r}]"
    if isinstance(ref, (UnionOf, Tagged)):
        return " | ".join(dict.fromkeys(spell(variant) for variant in _variants(ref)))
    return "Any"


def same(a: TypeRef | None, b: TypeRef | None) -> bool:
    """Whether a caller could tell the two types apart."""
    if a is None or b is None:
        return a is b
    return accepts(a, b) and accepts(b, a)


def accepts(wide: TypeRef, narrow: TypeRef) -> bool:
    """Whether every value of `narrow` is also a value of `wide`.

    A caller who sends values keeps working when the new type accepts the old; one who
    reads values keeps working when the old type accepts the new.
    """
    if isinstance(wide, AnyValue) or wide == narrow:
        return True
    if isinstance(narrow, Nullable):
        return (isinstance(wide, Nullable) and accepts(wide.inner, narrow.inner)) or _union_accepts(wide, narrow)
    if isinstance(wide, Nullable):
        return accepts(wide.inner, narrow)
    if isinstance(narrow, (UnionOf, Tagged)):
        return all(accepts(wide, variant) for variant in _variants(narrow))
    if isinstance(wide, (UnionOf, Tagged)):
        return any(accepts(variant, narrow) for variant in _variants(wide))
    return _same_shape_accepts(wide, narrow)


def _union_accepts(wide: TypeRef, narrow: Nullable) -> bool:
    """A nullable value fits a union only if the union itself admits null."""
    return isinstance(wide, (UnionOf, Tagged)) and any(
        isinstance(variant, Nullable) and accepts(variant, narrow) for variant in _variants(wide)
    )


def _same_shape_accepts(wide: TypeRef, narrow: TypeRef) -> bool:
    if isinstance(wide, Primitive):
        return _primitive_accepts(wide, narrow)
    if isinstance(wide, ListOf) and isinstance(narrow, ListOf):
        return accepts(wide.item, narrow.item)
    if isinstance(wide, MapOf) and isinstance(narrow, MapOf):
        return accepts(wide.value, narrow.value)
    if isinstance(wide, TupleOf) and isinstance(narrow, TupleOf):
        return len(wide.items) == len(narrow.items) and all(map(accepts, wide.items, narrow.items))
    if isinstance(wide, (ModelRef, EnumRef)) and type(wide) is type(narrow):
        # Same name, same class: what changed inside it is reported on the class itself.
        return wide.name == narrow.name
    if isinstance(wide, EnumRef) and isinstance(narrow, Literal):
        # A one-value enum is a Literal; grown, it is an enum that (presumably) still has the value.
        return _LITERAL_KINDS.get(type(narrow.value)) == wide.kind
    return False


def _primitive_accepts(wide: Primitive, narrow: TypeRef) -> bool:
    python = _python_type(wide)
    if isinstance(narrow, Primitive):
        if python == _python_type(narrow):
            return True
        # An int is a float to Python's type checkers and to JSON alike.
        return python == "float" and _python_type(narrow) == "int"
    if isinstance(narrow, EnumRef):
        return python == SCALARS.get(narrow.kind)
    if isinstance(narrow, Literal):
        kind = _LITERAL_KINDS.get(type(narrow.value))
        return python == SCALARS.get(kind or "") or (python == "float" and kind == "integer")
    return False


def _python_type(ref: Primitive) -> str:
    if ref.kind == "string" and ref.format in _FORMATS:
        return _FORMATS[ref.format]
    return SCALARS.get(ref.kind, "")


def _variants(ref: UnionOf | Tagged) -> tuple[TypeRef, ...]:
    if isinstance(ref, UnionOf):
        return ref.variants
    cases = tuple(case for _, case in ref.cases)
    return cases + ((ref.fallback,) if ref.fallback is not None else ())
