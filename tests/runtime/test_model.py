"""The runtime's model codecs: type descriptions, compiled decoders and their slow-path twin.

Run against a client generated from specs/shapes.yaml, whose models use every construct.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import generate_package, import_fresh

SPEC = Path(__file__).resolve().parents[2] / "specs" / "shapes.yaml"
# Bound by the fixture below to the freshly generated package's runtime.
_model: Any = None
models: Any = None
DecodeError: Any = Exception
UNSET: Any = None


@pytest.fixture(scope="module", autouse=True)
def shapes(tmp_path_factory: pytest.TempPathFactory) -> None:
    global _model, models, DecodeError, UNSET
    package = import_fresh("shapes", generate_package(SPEC, tmp_path_factory.mktemp("shapes") / "shapes"))
    _model, models = package._model, package.models
    DecodeError, UNSET = package._decode.DecodeError, package._types.UNSET


@pytest.mark.parametrize(
    "description, value, expected",
    [
        ("str", "a", "a"),
        ("int", 3.0, 3),
        ("float", 2, 2),
        ("[int]", [1, 2], [1, 2]),
        ("{[str]}", {"a": ["b"]}, {"a": ["b"]}),
        ("int?", None, None),
        ("[int?]", [1, None], [1, None]),
        ("date", "2024-01-02", datetime.date(2024, 1, 2)),
        ("union(int, str)", "x", "x"),
        ("tuple(int, str)", [1, "a"], (1, "a")),
        ('literal("a b, c")', "a b, c", "a b, c"),
        ("any", {"x": [1]}, {"x": [1]}),
    ],
)
def test_descriptions_decode(description: str, value: object, expected: object) -> None:
    assert _model.decoder(description)(value) == expected


@pytest.mark.parametrize("description", ["", "[int", "int]", "frob(int)", "int int", 'tagged("k", "a" Dog)'])
def test_bad_descriptions_are_refused(description: str) -> None:
    with pytest.raises(ValueError, match="bad type description"):
        _model.decoder(description)


def test_tagged_picks_by_tag_without_trying_the_others() -> None:
    decode = _model.decoder('tagged("kind", "a:b": int, else: any)')
    with pytest.raises(DecodeError):
        decode({"kind": "a:b"})  # the tag chose `int`, which refuses an object
    assert decode({"kind": "other"}) == {"kind": "other"}


@pytest.mark.parametrize(
    "description, plain", [("str", True), ("[int?]", True), ("date", False), ("Pet", False), ("union(str, int)", True)]
)
def test_plainness_decides_whether_encoding_copies(description: str, plain: bool) -> None:
    assert _model.is_plain(description) is plain


def slow_decode(cls: Any, data: object) -> object:
    fields = [_model._Field(line) for line in cls._FIELDS.splitlines() if line.strip()]
    return _model._slow_decoder(cls, fields)(data)


ZOO_PATCHES = [
    {"name": "z", "legacy_code": "L", "nullable_optional": None, "serial": 3},
    {"nullable_optional": 5},
    {"serial": 3.0},  # an integral float: the fast path declines, the general path accepts
    {"name": "z", "unknown": [1, 2]},  # an undeclared property, kept
    {},
]


@pytest.mark.parametrize("data", ZOO_PATCHES)
def test_fast_path_decodes_exactly_as_the_general_path(data: dict[str, object]) -> None:
    decoded = models.ZooPatch.from_dict(data)
    assert decoded == slow_decode(models.ZooPatch, data)
    assert decoded.to_dict() == {k: (int(v) if isinstance(v, float) else v) for k, v in data.items()}


VALID = {"str": "s", "int": 7, "float": 1.5, "bool": True, "datetime": "2024-01-02T03:04:05Z", "date": "2024-01-02"}
ANY_JSON = [None, "x", 3, 2.0, False, [], ["a"], [1, "b"], {}, {"a": 1}, "not a date"]


def random_data(rng: random.Random, cls: Any) -> dict[str, object]:
    """An object for the model's fields: each absent, null, valid or of any JSON shape, and
    now and then an undeclared property, perhaps named like one of the fields."""
    fields = [_model._Field(line) for line in cls._FIELDS.splitlines() if line.strip()]
    data: dict[str, object] = {}
    for f in fields:
        choice = rng.random()
        if choice < 0.15:
            continue
        data[f.wire] = None if choice < 0.3 else VALID.get(f.type, "s") if choice < 0.7 else rng.choice(ANY_JSON)
    for _ in range(rng.choice((0, 0, 1, 2))):
        data[rng.choice([f.attr for f in fields] + ["extra", "additional_properties"])] = rng.choice(ANY_JSON)
    return data


def outcome(decode: Any, data: dict[str, object]) -> object:
    try:
        return decode(dict(data))
    except DecodeError as exc:
        return ("error", exc.json_path(), exc.message)


def test_fast_path_agrees_with_the_general_path_on_random_data() -> None:
    rng = random.Random(7)
    exported = [getattr(models, name) for name in models.__all__]
    classes = [c for c in exported if isinstance(c, type) and issubclass(c, _model.Model)]
    assert len(classes) >= 15
    for cls in classes:
        for _ in range(150):
            data = random_data(rng, cls)
            assert outcome(cls.from_dict, data) == outcome(lambda d: slow_decode(cls, d), data), (cls, data)


def test_absent_and_null_stay_apart() -> None:
    assert models.ZooPatch.from_dict({}).nullable_optional is UNSET
    assert models.ZooPatch.from_dict({"nullable_optional": None}).nullable_optional is None
    assert models.ZooPatch.from_dict({}).name is None
    assert "nullable_optional" not in models.ZooPatch().to_dict()
    assert models.ZooPatch(nullable_optional=None).to_dict() == {"nullable_optional": None}


def test_undeclared_properties_named_like_fields_are_kept_apart() -> None:
    data = {"_type": "t", "type": "u", "type_2": "x", "additional_properties": "a", "additional_properties_2": 1}
    names = models.Names.from_dict(data)
    assert (names.type, names.type_2, names.additional_properties_2) == ("t", "u", "a")
    assert names.additional_properties == {"type_2": "x", "additional_properties_2": 1}
    assert names == slow_decode(models.Names, data)
    assert names.to_dict() == data


@pytest.mark.parametrize("data", [{"label": "a"}, {"label": "a", "x": 1, "y": 2}, {"x": 1, "label": "a"}])
def test_typed_undeclared_properties_are_decoded(data: dict[str, object]) -> None:
    tally = models.Tally.from_dict(data)
    assert tally == slow_decode(models.Tally, data)
    assert tally.additional_properties == {k: v for k, v in data.items() if k != "label"}


def test_a_typed_undeclared_property_of_the_wrong_type_is_reported() -> None:
    with pytest.raises(DecodeError) as caught:
        models.Tally.from_dict({"label": "a", "x": "one"})
    assert caught.value.json_path() == "$.x"


def test_wire_names_map_to_python_names_both_ways() -> None:
    data = {"$special[property.name]": "s", "123Number": 1, "_type": "t", "type": "u", "class": "c", "additional_properties": "a"}
    names = models.Names.from_dict(data)
    assert (names.special_property_name, names.field_123_number, names.type, names.type_2) == ("s", 1, "t", "u")
    assert (names.class_, names.additional_properties_2, names.additional_properties) == ("c", "a", {})
    assert names.to_dict() == data


@pytest.mark.parametrize(
    "data, path",
    [
        ({"pet_type": "dog"}, "$.name"),  # a required field missing
        ({"pet_type": "dog", "name": 5}, "$.name"),
        ({"pet_type": "dog", "name": "Rex", "indoor": "yes"}, "$.indoor"),
        # as many keys as fields, one of them undeclared: still the required one missing
        ({"pet_type": "dog", "wags": True, "indoor": True, "good_boy": True}, "$.name"),
    ],
)
def test_mismatches_are_reported_with_their_path(data: dict[str, object], path: str) -> None:
    with pytest.raises(DecodeError) as caught:
        models.Dog.from_dict(data)
    assert caught.value.json_path() == path


def test_recursive_models_decode_through_their_own_table() -> None:
    tree = models.TreeNode.from_dict({"value": "a", "children": [{"value": "b", "children": [{"value": "c"}]}]})
    assert tree.children is not None and tree.children[0].children is not None
    assert tree.children[0].children[0].value == "c"
    with pytest.raises(DecodeError) as caught:
        models.TreeNode.from_dict({"value": "a", "children": [{"value": 1}]})
    assert caught.value.json_path() == "$.children[0].value"


def test_errors_name_the_json_path_through_containers() -> None:
    with pytest.raises(DecodeError) as caught:
        _model.decoder("[{int}]")([{"a": 1}, {"b": "two"}])
    assert caught.value.json_path() == "$[1].b"


def test_field_lines() -> None:
    field = _model._Field('note? "the-note": str?')
    assert (field.attr, field.wire, field.required, field.nullable, field.type) == ("note", "the-note", False, True, "str")
    assert field.default is UNSET
    assert _model._Field("note?: str").default is None
    assert _model._Field("note: str?").required


def test_equality_and_repr_are_those_of_a_dataclass() -> None:
    a = models.Dog.from_dict({"pet_type": "dog", "name": "Rex"})
    b = models.Dog(pet_type="dog", name="Rex")
    assert a == b and not (a != b)
    assert a != models.Dog(pet_type="dog", name="Max")
    assert a != models.Cat.from_dict({"pet_type": "cat", "name": "Rex"})  # another class
    assert repr(b) == "Dog(pet_type='dog', name='Rex', indoor=None, good_boy=None, additional_properties={})"
    with pytest.raises(TypeError):
        hash(b)  # mutable, so unhashable, as dataclasses with eq are


def test_a_compiled_decoder_takes_the_place_of_from_dict() -> None:
    models.Dog.from_dict({"pet_type": "dog", "name": "Rex"})
    assert isinstance(models.Dog.__dict__["from_dict"], staticmethod)
    assert models.Dog.from_dict({"pet_type": "dog", "name": "Max"}).name == "Max"
    with pytest.raises(DecodeError):
        models.Dog.from_dict({"pet_type": "dog"})


def test_a_subclass_of_a_generated_model_decodes_into_itself() -> None:
    models.Dog.from_dict({"pet_type": "dog", "name": "Rex"})  # the base's decoder is compiled

    class Puppy(models.Dog):  # type: ignore[misc,name-defined]
        def greeting(self) -> str:
            return f"hi {self.name}"

    puppy = Puppy.from_dict({"pet_type": "dog", "name": "Bit", "wags": True})
    assert type(puppy) is Puppy and puppy.greeting() == "hi Bit"
    assert puppy.additional_properties == {"wags": True}
    assert puppy.to_dict() == {"pet_type": "dog", "name": "Bit", "wags": True}
    assert type(models.Dog.from_dict({"pet_type": "dog", "name": "Rex"})) is models.Dog
