"""Type references: how a value of the API is typed in the generated Python.

A TypeRef says what a value is on the wire and in Python, without saying how it is
spelled in either; the renderer turns it into annotations and encode/decode code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Primitive:
    """A JSON scalar with an optional format that changes its Python type."""

    kind: str  # "string", "integer", "number", "boolean"
    format: str | None = None


@dataclass(frozen=True)
class AnyValue:
    """Any JSON value: free-form or untyped schemas, and constructs we cannot type."""

    reason: str = ""


@dataclass(frozen=True)
class ModelRef:
    """A named model (object schema) defined in Api.models."""

    name: str


@dataclass(frozen=True)
class EnumRef:
    """A named enum defined in Api.enums."""

    name: str


@dataclass(frozen=True)
class ListOf:
    item: TypeRef


@dataclass(frozen=True)
class MapOf:
    """An object used as a dictionary: string keys, values of one type."""

    value: TypeRef


@dataclass(frozen=True)
class Nullable:
    """A value that may also be JSON null."""

    inner: TypeRef


@dataclass(frozen=True)
class UnionOf:
    """oneOf/anyOf: the value is one of several types."""

    variants: tuple[TypeRef, ...]


@dataclass(frozen=True)
class Literal:
    """A single constant value (`const`, or an enum with one member)."""

    value: str | int | float | bool


TypeRef = Union[Primitive, AnyValue, ModelRef, EnumRef, ListOf, MapOf, Nullable, UnionOf, Literal]


def strip_nullable(ref: TypeRef) -> tuple[TypeRef, bool]:
    """Split a type into its non-null part and whether null is allowed."""
    if isinstance(ref, Nullable):
        return ref.inner, True
    return ref, False


def referenced_names(ref: TypeRef) -> set[str]:
    """Names of models and enums a type mentions, at any depth."""
    if isinstance(ref, (ModelRef, EnumRef)):
        return {ref.name}
    if isinstance(ref, ListOf):
        return referenced_names(ref.item)
    if isinstance(ref, MapOf):
        return referenced_names(ref.value)
    if isinstance(ref, Nullable):
        return referenced_names(ref.inner)
    if isinstance(ref, UnionOf):
        names: set[str] = set()
        for variant in ref.variants:
            names |= referenced_names(variant)
        return names
    return set()
