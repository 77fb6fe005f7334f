"""Type references: how a value of the API is typed in the generated Python.

A TypeRef says what a value is on the wire and in Python, without saying how it is
spelled in either; the renderer turns it into annotations and encode/decode code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union


@dataclass(frozen=True, slots=True)
class Primitive:
    """A JSON scalar with an optional format that changes its Python type."""

    kind: str  # "string", "integer", "number", "boolean"
    format: str | None = None


@dataclass(frozen=True, slots=True)
class AnyValue:
    """Any JSON value: free-form or untyped schemas, and constructs we cannot type."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A named model (object schema) defined in Api.models."""

    name: str


@dataclass(frozen=True, slots=True)
class EnumRef:
    """A named enum defined in Api.enums; `kind` is the JSON type of its values."""

    name: str
    kind: str = "string"


@dataclass(frozen=True, slots=True)
class ListOf:
    """A JSON array of values of one type."""

    item: TypeRef


@dataclass(frozen=True, slots=True)
class MapOf:
    """An object used as a dictionary: string keys, values of one type."""

    value: TypeRef


@dataclass(frozen=True, slots=True)
class Nullable:
    """A value that may also be JSON null."""

    inner: TypeRef


@dataclass(frozen=True, slots=True)
class UnionOf:
    """oneOf/anyOf: the value is one of several types."""

    variants: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True)
class Tagged:
    """A discriminated union: the value's `property` names which case it is.

    `fallback` decodes a tag the spec does not list (a base model in the inheritance
    pattern); without one such values stay plain dicts.
    """

    property: str
    cases: tuple[tuple[str, TypeRef], ...]
    fallback: TypeRef | None = None


@dataclass(frozen=True, slots=True)
class TupleOf:
    """A fixed-length array (`prefixItems`): one type per position."""

    items: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True)
class Literal:
    """A single constant value (`const`, or an enum with one member)."""

    value: str | int | float | bool


TypeRef = Union[Primitive, AnyValue, ModelRef, EnumRef, ListOf, MapOf, Nullable, UnionOf, Tagged, TupleOf, Literal]


def strip_nullable(ref: TypeRef) -> tuple[TypeRef, bool]:
    """Split a type into its non-null part and whether null is allowed."""
    if isinstance(ref, Nullable):
        return ref.inner, True
    return ref, False


def names_in(roots: Iterable[TypeRef | None], refs: tuple[type[ModelRef | EnumRef], ...]) -> set[str]:
    """Names these types refer to through `refs` (ModelRef, EnumRef), however deeply nested."""
    found = named_in(roots)
    return set().union(*(found[ref] for ref in refs))


def named_in(roots: Iterable[TypeRef | None]) -> dict[type, set[str]]:
    """By ModelRef and EnumRef, the names these types refer to, however deeply nested."""
    found: dict[type, set[str]] = {ModelRef: set(), EnumRef: set()}
    stack: list[Any] = list(roots)
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in found:
            found[kind].add(node.name)
        elif kind is tuple:
            stack.extend(node)
        elif kind not in _LEAVES:  # a TypeRef holding others (ListOf, UnionOf, ...)
            stack.extend(getattr(node, name) for name in getattr(node, "__dataclass_fields__", ()))
    return found


_LEAVES = frozenset({Primitive, AnyValue, Literal, ModelRef, EnumRef, str, int, float, bool, type(None)})
