"""Name overrides for groups, methods and models: applied everywhere, checked, nothing else moves."""

from __future__ import annotations

import pytest
import yaml

from generator.build import build_api
from generator.config import NameOverrides
from generator.errors import UsageError
from generator.model import ListOf, ModelRef
from generator.pipeline import generate, generate_into
from generator.render import FormatCache
from tests.conftest import PETSTORE_SPEC, import_fresh

ROOT = yaml.safe_load(PETSTORE_SPEC.read_text())


def build(**names: dict[str, str]):  # type: ignore[no-untyped-def]
    api, _ = build_api(ROOT, names=NameOverrides(**names))
    return api


def test_no_overrides_change_nothing():
    assert build() == build_api(ROOT)[0]


def test_a_model_rename_follows_every_reference():
    api = build(models={"Pet": "Animal", "PetStatus": "AnimalStatus"})
    names = [m.name for m in api.models]
    assert "Animal" in names and "Pet" not in names and names == sorted(names)
    animal = next(m for m in api.models if m.name == "Animal")
    assert animal.module == "animal"
    assert next(f for f in animal.fields if f.name == "status").type.name == "AnimalStatus"  # type: ignore[union-attr]
    assert "AnimalStatus" in [e.name for e in api.enums]
    pets = next(g for g in api.groups if g.name == "pets")
    get = next(op for op in pets.operations if op.name == "get")
    assert get.success is not None and get.success.type == ModelRef("Animal")
    listing = next(op for op in pets.operations if op.name == "list")
    assert listing.pagination is not None and listing.pagination.item_type == ModelRef("Animal")
    assert listing.success is not None and listing.success.type == ListOf(ModelRef("Animal"))
    assert "Animal" in pets.summary.models and "Pet" not in pets.summary.models  # made anew from the operations


def test_everything_not_renamed_stays_as_it_was():
    before, after = build_api(ROOT)[0], build(models={"Tag": "Label"}, groups={"store": "shop"}, methods={"pets.get": "fetch"})
    unchanged = [m for m in before.models if m.name != "Tag" and not any(f.type == ModelRef("Tag") or f.type == ListOf(ModelRef("Tag")) for f in m.fields)]
    assert all(m in after.models for m in unchanged)
    assert [g.name for g in after.groups] == ["pets", "shop"]
    assert [op.name for op in after.groups[0].operations] == [
        "fetch" if op.name == "get" else op.name for op in before.groups[0].operations
    ]


def test_a_group_rename_names_its_class_and_module_too():
    group = next(g for g in build(groups={"pets": "animals"}).groups if g.name == "animals")
    assert (group.class_name, group.module) == ("Animals", "animals")


def test_methods_are_keyed_by_their_default_group_name():
    api = build(groups={"pets": "animals"}, methods={"pets.list": "all"})
    assert "all" in [op.name for op in api.groups[0].operations]
    assert api.groups[0].summary.methods == tuple(op.name for op in api.groups[0].operations)


@pytest.mark.parametrize(
    "names, message",
    [
        ({"models": {"Pett": "Animal"}}, "names.models: the client has no model or enum 'Pett' (did you mean 'Pet'?)"),
        ({"groups": {"pet": "animals"}}, "names.groups: the client has no group 'pet' (did you mean 'pets'?)"),
        ({"methods": {"pets.lst": "all"}}, "names.methods: the client has no method 'pets.lst' (did you mean 'pets.list'?)"),
        ({"models": {"Pet": "Tag"}}, "names.models.Pet: the name 'Tag' is already taken"),
        ({"models": {"Pet": "Endpoint"}}, "'Endpoint' is a name the generated code uses itself"),
        ({"groups": {"pets": "store"}}, "names.groups.pets: the name 'store' is already taken"),
        ({"groups": {"pets": "close"}}, "cannot be a group name"),
        ({"methods": {"pets.list": "get"}}, "names.methods.pets.list: the name 'get' is already taken"),
        ({"methods": {"pets.list": "with_raw_response"}}, "cannot be a method name"),
    ],
)
def test_bad_overrides_are_errors_with_suggestions(names, message):
    with pytest.raises(UsageError) as info:
        build(**names)
    assert message in str(info.value)


def test_swapping_two_names_is_allowed():
    api = build(methods={"pets.get": "update", "pets.update": "get"})
    pets = api.groups[0]
    assert [op.operation_id for op in pets.operations if op.name == "get"] == ["updatePet"]


def test_the_renamed_client_works(tmp_path):
    names = NameOverrides({"pets": "animals"}, {"pets.get": "fetch"}, {"Pet": "Animal"})
    generated = generate(PETSTORE_SPEC, names=names, cache=FormatCache.default())
    assert "petstore/models/animal.py" in generated.files and "petstore/models/pet.py" not in generated.files
    assert "petstore/resources/animals.py" in generated.files and "petstore/resources/pets.py" not in generated.files
    generate_into(tmp_path / "out", generated)
    petstore = import_fresh("petstore", tmp_path / "out")
    client = petstore.Petstore(base_url="http://localhost:1", api_key="k")
    assert callable(client.animals.fetch) and not hasattr(client, "pets")
    animal = petstore.models.Animal.from_dict({"id": 1, "name": "Rex", "status": "sold", "createdAt": "2024-01-01T00:00:00Z"})
    assert type(animal).__name__ == "Animal" and animal.name == "Rex"
