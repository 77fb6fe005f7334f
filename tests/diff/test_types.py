"""Type compatibility: which new types still take every old value (senders) or give only old ones (readers)."""

import pytest

from generator.diff.types import accepts, same, spell
from generator.model import (
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
    UnionOf,
)

INT, FLOAT, STR = Primitive("integer"), Primitive("number"), Primitive("string")
DATETIME = Primitive("string", "date-time")


@pytest.mark.parametrize(
    ("wide", "narrow"),
    [
        (FLOAT, INT),
        (Nullable(INT), INT),
        (UnionOf((INT, STR)), INT),
        (UnionOf((INT, STR)), UnionOf((STR, INT))),
        (AnyValue(), ModelRef("Pet")),
        (STR, EnumRef("Species")),  # enum values are strings
        (STR, Literal("a")),
        (ListOf(FLOAT), ListOf(INT)),
        (MapOf(Nullable(STR)), MapOf(STR)),
        (Nullable(UnionOf((INT, STR))), Nullable(INT)),
        (Tagged("kind", (("cat", ModelRef("Cat")), ("dog", ModelRef("Dog")))), ModelRef("Dog")),
        (TupleOf((FLOAT, STR)), TupleOf((INT, STR))),
        (EnumRef("Kind"), Literal("cat")),  # a one-value enum that grew
    ],
)
def test_wider_type_accepts_the_narrower_and_not_the_reverse(wide, narrow):
    assert accepts(wide, narrow)
    assert not accepts(narrow, wide) or same(wide, narrow)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (INT, STR),
        (STR, DATETIME),  # a datetime is not a str in Python
        (ModelRef("Pet"), ModelRef("Animal")),
        (EnumRef("Species"), EnumRef("Kind")),
        (ListOf(INT), INT),
        (TupleOf((INT,)), TupleOf((INT, INT))),
        (UnionOf((INT, STR)), Nullable(INT)),  # the union has no null
    ],
)
def test_unrelated_types_accept_neither_way(a, b):
    assert not accepts(a, b)
    assert not accepts(b, a)


def test_formats_that_keep_the_python_type_change_nothing():
    assert same(STR, Primitive("string", "email"))
    assert same(INT, Primitive("integer", "int64"))
    assert not same(STR, DATETIME)


def test_spelling_is_the_python_annotation():
    assert spell(Nullable(ListOf(ModelRef("Pet")))) == "list[Pet] | None"
    assert spell(MapOf(DATETIME)) == "dict[str, datetime]"
    assert spell(UnionOf((INT, STR, INT))) == "int | str"
    assert spell(Tagged("kind", (("cat", ModelRef("Cat")),), fallback=ModelRef("Animal"))) == "Cat | Animal"
    assert spell(None) == "None"
