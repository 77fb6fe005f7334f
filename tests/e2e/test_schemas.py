"""Every schema construct of specs/shapes.yaml: generated, imported, payloads decoded and encoded."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import uuid

import pytest

from tests.conftest import ROOT, generate_package, import_fresh

ZOO = {
    "name": "City Zoo",
    "pets": [
        {"pet_type": "cat", "name": "Tom", "indoor": True},
        {"pet_type": "dog", "name": "Rex", "indoor": False, "good_boy": True},
        {"pet_type": "parrot", "name": "Polly"},
    ],
    "shapes": [{"shape": "Circle", "radius": 1.5}, {"shape": "Square", "side": 2}],
    "vehicles": [
        {"kind": "Car", "wheels": 4, "doors": 5},
        {"kind": "Bike", "wheels": 2, "bell": True},
        {"kind": "Hovercraft", "wheels": 0},
    ],
    "nullable_required": None,
    "null_in_one_of": {"shape": "Circle", "radius": 2.0},
    "scalar_union": 7,
    "odd_enum": "a-b",
    "level": 2,
    "maybe_color": None,
    "free_form": {"anything": [1, {"goes": None}]},
    "counts": {"a": 1, "b": 2},
    "matrix": [[1.0, 2.5], [3, 4]],
    "map_of_maps": {"en": {"hello": "world"}},
    "point": [1.0, 2.0, "north"],
    "kind": "zoo",
    "opened": "2001-02-03",
    "updated_at": "2024-05-06T07:08:09+02:00",
    "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "logo": "aGVsbG8=",
    "big_count": 9007199254740993,
    "price": "19.99",
    "tree": {"value": "root", "children": [{"value": "leaf", "children": []}]},
    "ping": {"pong": {"ping": {}}},
    "closed": {"only": "x"},
    "names": {
        "$special[property.name]": "s",
        "123Number": 1,
        "_type": "underscore",
        "type": "plain",
        "class": "c",
        "str": "s",
        "additional_properties": "a",
    },
    "list": {"items": ["x"]},
    "file": {"content": "AAE="},
    "return": {"value": "r"},
    "extended": {"id": 1, "label": "l"},
    "future_field": {"kept": True},
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    outdir = generate_package(ROOT / "specs" / "shapes.yaml", tmp_path_factory.mktemp("shapes") / "shapes")
    return import_fresh("shapes", outdir)


@pytest.fixture(scope="module")
def zoo(shapes):
    return shapes.models.Zoo.from_dict(ZOO)


def test_discriminator_with_mapping_picks_by_tag_not_by_shape(shapes, zoo):
    m = shapes.models
    cat, dog, parrot = zoo.pets
    # Cat's fields are a subset of Dog's: trying variants in turn would have made Rex a Cat.
    assert type(cat) is m.Cat and cat.indoor is True
    assert type(dog) is m.Dog and dog.good_boy is True
    assert parrot == {"pet_type": "parrot", "name": "Polly"}  # a tag the spec does not list yet


def test_discriminator_without_mapping_uses_schema_names(shapes, zoo):
    circle, square = zoo.shapes
    assert type(circle) is shapes.models.Circle and circle.radius == 1.5
    assert type(square) is shapes.models.Square and square.side == 2


def test_inheritance_discriminator_falls_back_to_the_base(shapes, zoo):
    m = shapes.models
    car, bike, other = zoo.vehicles
    assert type(car) is m.Car and car.doors == 5 and car.wheels == 4
    assert type(bike) is m.Bike and bike.bell is True
    assert type(other) is m.Vehicle and other.kind == "Hovercraft"


def test_nullability(shapes, zoo):
    assert zoo.nullable_required is None  # required and null: present as None
    assert zoo.nullable_optional is shapes.UNSET  # optional and absent: UNSET, not None
    assert zoo.maybe_color is None
    assert zoo.null_in_one_of == shapes.models.Circle(shape="Circle", radius=2.0)
    encoded = zoo.to_dict()
    assert encoded["nullable_required"] is None and "nullable_optional" not in encoded
    with pytest.raises(shapes.DecodeError, match="required field is missing") as info:
        shapes.models.Zoo.from_dict({k: v for k, v in ZOO.items() if k != "nullable_required"})
    assert info.value.json_path() == "$.nullable_required"


def test_required_and_nullable_is_not_optional_in_the_type(shapes):
    fields = {f.name: f for f in dataclasses.fields(shapes.models.Zoo)}
    assert fields["nullable_required"].default is dataclasses.MISSING
    assert fields["nullable_optional"].default is shapes.UNSET
    assert fields["scalar_union"].default is None


def test_enums_odd_values_varnames_and_unknowns(shapes, zoo):
    m = shapes.models
    assert zoo.odd_enum is m.OddEnum.A_B
    assert [e.name for e in m.OddEnum] == ["A_B", "VALUE_1ST", "IMPORT", "EMPTY", "A_B_2"]
    assert [e.value for e in m.OddEnum] == ["a-b", "1st", "import", "", "A_B"]
    assert zoo.level is m.Level.MEDIUM and m.Level.HIGH == 3
    unknown = m.Zoo.from_dict({**ZOO, "odd_enum": "brand-new", "level": 9})
    assert unknown.odd_enum == "brand-new" and unknown.level == 9
    assert unknown.to_dict()["odd_enum"] == "brand-new"


def test_maps_arrays_tuples_and_const(zoo):
    assert zoo.free_form == {"anything": [1, {"goes": None}]}
    assert zoo.counts == {"a": 1, "b": 2}
    assert zoo.matrix == [[1.0, 2.5], [3, 4]]
    assert zoo.map_of_maps == {"en": {"hello": "world"}}
    assert zoo.point == (1.0, 2.0, "north")
    assert zoo.kind == "zoo"


def test_formats_decode_to_python_types_and_encode_back(shapes, zoo):
    assert zoo.opened == datetime.date(2001, 2, 3)
    assert zoo.updated_at == datetime.datetime(2024, 5, 6, 5, 8, 9, tzinfo=datetime.timezone.utc)
    assert zoo.id == uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    assert zoo.logo == b"hello"
    assert zoo.big_count == 9007199254740993  # int64 beyond float precision stays exact
    assert zoo.price == decimal.Decimal("19.99")
    encoded = zoo.to_dict()
    for key in ("opened", "id", "logo", "big_count", "price"):
        assert encoded[key] == ZOO[key], key
    assert datetime.datetime.fromisoformat(encoded["updated_at"]) == zoo.updated_at


def test_recursive_and_mutually_recursive_models(shapes, zoo):
    m = shapes.models
    assert zoo.tree.children[0] == m.TreeNode(value="leaf", children=[])
    assert isinstance(zoo.ping.pong, m.Pong) and isinstance(zoo.ping.pong.ping, m.Ping)


def test_awkward_names_are_escaped_and_wire_names_kept(shapes, zoo):
    names = zoo.names
    assert names.special_property_name == "s"
    assert names.field_123_number == 1
    assert {names.type, names.type_2} == {"plain", "underscore"}
    assert names.class_ == "c" and names.str_ == "s"
    assert names.additional_properties_2 == "a"
    assert names.to_dict() == ZOO["names"]
    assert type(zoo.list).__name__ == "ListModel" and zoo.list.items == ["x"]
    assert zoo.file.content == b"\x00\x01" and zoo.return_.value == "r"


def test_all_of_merges_and_survives_referring_to_itself(zoo):
    assert zoo.extended.id == 1 and zoo.extended.label == "l"


def test_unknown_fields_are_kept_and_round_trip(shapes, zoo):
    assert zoo.additional_properties == {"future_field": {"kept": True}}
    again = shapes.models.Zoo.from_dict(zoo.to_dict())
    assert again == zoo


def test_full_round_trip_is_lossless(zoo):
    encoded = zoo.to_dict()
    assert {k: v for k, v in encoded.items() if k != "updated_at"} == {
        k: v for k, v in ZOO.items() if k != "updated_at"
    }


def test_read_only_fields_are_not_request_arguments(shapes):
    import inspect

    signature = inspect.signature(shapes.Shapes(base_url="http://127.0.0.1:9").zoo.patch)
    assert "serial" not in signature.parameters
    assert signature.parameters["nullable_optional"].default is shapes.UNSET


def test_base_url_takes_server_variable_defaults(shapes):
    assert shapes.Shapes().base_url == "https://eu.shapes.example/api"


def test_deprecated_operations_parameters_and_fields_warn_at_the_callers_line(shapes):
    import warnings

    from shapes.testing import MockAPI

    mock = MockAPI()
    mock.add("zoo.get_legacy", {"name": "z", "pets": [], "nullable_required": None})
    mock.add("zoo.patch", {"name": "z", "pets": [], "nullable_required": None})
    mock.add("pets.get", {"pet_type": "cat", "name": "Tom"})
    client = mock.client()
    pet_id = uuid.UUID(int=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.zoo.get_legacy()
        client.pets.get(id=pet_id, fields="name")
        client.zoo.patch(legacy_code="x")
        client.pets.get(id=pet_id)  # no deprecated input used: no warning
        client.zoo.patch(name="y")
    messages = [str(w.message) for w in caught if w.category is DeprecationWarning]
    assert messages == [
        "zoo.get_legacy is deprecated by the API",
        "pets.get: 'fields' is deprecated by the API",
        "zoo.patch: 'legacy_code' is deprecated by the API",
    ]
    assert {w.filename for w in caught} == {__file__}
