"""The runtime's decoders and encoders, as ordinary code (through a generated package)."""

from __future__ import annotations

import datetime
import enum

import pytest


@pytest.fixture
def d(petstore):
    return petstore._decode


@pytest.fixture
def e(petstore):
    return petstore._encode


def test_scalars_are_strict_about_json_types(d):
    assert d.integer(3) == 3 and d.integer(3.0) == 3
    assert d.number(2) == 2 and d.number(2.5) == 2.5
    for decoder, bad in ((d.integer, True), (d.integer, "3"), (d.string, 3), (d.boolean, 0), (d.number, "1")):
        with pytest.raises(d.DecodeError):
            decoder(bad)


def test_dates(d):
    assert d.date("2024-02-29") == datetime.date(2024, 2, 29)
    moment = d.datetime("2024-01-02T03:04:05Z")
    assert moment == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    with pytest.raises(d.DecodeError, match="date-time"):
        d.datetime("yesterday")


def test_errors_name_the_json_path(d):
    decode = d.list_of(d.map_of(d.integer))
    with pytest.raises(d.DecodeError) as info:
        decode([{"a": 1}, {"b": 2, "c d": "x"}])
    assert info.value.json_path() == "$[1]['c d']"
    assert str(info.value) == "$[1]['c d']: expected integer, got string"


def test_required_optional_and_nullable_fields(d):
    data = {"a": 1, "n": None}
    assert d.required(data, "a", d.integer) == 1
    with pytest.raises(d.DecodeError, match="missing") as info:
        d.required(data, "b", d.integer)
    assert info.value.json_path() == "$.b"
    assert d.optional(data, "b", d.integer) is None
    assert d.optional(data, "n", d.integer) is None
    assert d.optional_nullable(data, "n", d.integer) is None
    assert d.optional_nullable(data, "b", d.integer) is d.UNSET


def test_enums_keep_unknown_values(d):
    class Color(enum.StrEnum):
        RED = "red"

    decode = d.enum(Color)
    assert decode("red") is Color.RED
    assert decode("ultraviolet") == "ultraviolet"
    with pytest.raises(d.DecodeError):
        decode({"not": "a value"})


def test_unions_and_literals(d):
    decode = d.union(d.integer, d.string)
    assert decode(1) == 1 and decode("x") == "x"
    assert decode([1]) == [1]  # nothing matched: the value stays as it came
    assert d.literal("x")("x") == "x"
    with pytest.raises(d.DecodeError):
        d.literal(1)(True)


def test_extra_properties(d):
    known = frozenset({"a"})
    assert d.extra({"a": 1}, known) == {}
    assert d.extra({"a": 1, "z": 2}, known) == {"z": 2}
    assert d.extra({"z": "2"}, known, d.string) == {"z": "2"}


def test_to_json_walks_models_enums_dates_and_bytes(e, petstore):
    models = petstore.models
    tag = models.Tag(name="t", additional_properties={"x": 1})
    value = {
        "tags": [tag],
        "status": models.PetStatus.SOLD,
        "when": datetime.date(2024, 1, 1),
        "raw": b"hi",
        "left_out": e.Unset(),
    }
    assert e.to_json(value) == {
        "tags": [{"x": 1, "name": "t"}],
        "status": "sold",
        "when": "2024-01-01",
        "raw": "aGk=",  # bytes in JSON are base64
    }
