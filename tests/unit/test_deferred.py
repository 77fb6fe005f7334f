"""Deferred model objects: a name now, every other field on first use, then the whole object."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from generator.model import Enum, EnumMember, Field, Model, Primitive
from generator.model.deferred import deferred, is_pending

WHOLE = Model("Pet", "pet", (Field("name", "name", Primitive("string"), True, False),), "A pet", origin="/components/schemas/Pet")


def _loads(calls: list[str], obj: object = WHOLE):
    def load() -> object:
        calls.append("loaded")
        return copy.deepcopy(obj)

    return load


def test_a_deferred_object_has_its_name_and_loads_nothing_for_it():
    calls: list[str] = []
    pet = deferred(Model, "Pet", _loads(calls))
    assert isinstance(pet, Model) and pet.name == "Pet"
    assert calls == [] and is_pending(pet)


def test_once_filled_it_is_an_object_of_its_class():
    pet = deferred(Model, "Pet", _loads([]))
    assert pet.fields == WHOLE.fields
    assert type(pet) is Model and pet == WHOLE and WHOLE == pet


@pytest.mark.parametrize(
    "use",
    [
        lambda pet: pet.fields,
        lambda pet: repr(pet),
        lambda pet: pet == WHOLE,
        lambda pet: WHOLE == pet,
        lambda pet: pet != WHOLE,
        lambda pet: pet == deferred(Model, "Pet", lambda: copy.deepcopy(WHOLE)),
        lambda pet: hash(pet),
        lambda pet: pickle.loads(pickle.dumps(pet)),
        lambda pet: dataclasses.replace(pet, description="changed"),
        lambda pet: dataclasses.astuple(pet),
    ],
)
def test_any_other_use_fills_it_once_with_what_load_gives(use):
    calls: list[str] = []
    pet = deferred(Model, "Pet", _loads(calls))
    use(pet)
    assert calls == ["loaded"] and not is_pending(pet) and type(pet) is Model
    assert pet == WHOLE and repr(pet) == repr(WHOLE) and hash(pet) == hash(WHOLE)
    assert pickle.loads(pickle.dumps(pet)) == WHOLE
    assert calls == ["loaded"]


def test_an_attribute_no_field_names_is_still_an_attribute_error():
    pet = deferred(Model, "Pet", _loads([]))
    with pytest.raises(AttributeError, match="colour"):
        pet.colour  # noqa: B018 - the read is the test
    assert pet == WHOLE
    with pytest.raises(AttributeError, match="colour"):
        pet.colour  # noqa: B018
    with pytest.raises(AttributeError):
        WHOLE.colour  # type: ignore[attr-defined]  # noqa: B018


def test_it_stays_frozen():
    pet = deferred(Model, "Pet", _loads([]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        pet.name = "Dog"  # type: ignore[misc]


def test_enums_defer_too():
    whole = Enum("Kind", "kind", "string", (EnumMember("CAT", "cat"),))
    kind = deferred(Enum, "Kind", lambda: whole)
    assert kind.members == whole.members and kind == whole


@pytest.mark.parametrize("wrong", [Model("Dog", "dog", ()), Enum("Pet", "pet", "string", ())])
def test_filling_it_with_another_object_fails_loudly(wrong):
    pet = deferred(Model, "Pet", lambda: wrong)
    with pytest.raises(TypeError, match="deferred Model 'Pet'"):
        pet.fields  # noqa: B018


def test_many_at_once_are_as_each_alone():
    from generator.model.deferred import deferred_from

    calls: list[str] = []
    made = deferred_from(Model, ["Pet", "Pet"], lambda load: load(), [_loads(calls), _loads(calls)])
    assert [name for name, _ in made] == ["Pet", "Pet"] and all(is_pending(pet) for _, pet in made) and calls == []
    assert all(pet == WHOLE for _, pet in made) and calls == ["loaded", "loaded"]


def test_fields_known_up_front_are_read_without_loading():
    calls: list[str] = []
    pet = deferred(Model, "Pet", _loads(calls), module="pet", description="A pet")
    assert (pet.module, pet.description) == ("pet", "A pet") and calls == [] and is_pending(pet)
    assert pet.fields == WHOLE.fields and calls == ["loaded"] and pet == WHOLE


def test_filling_it_with_other_values_of_a_known_field_fails_loudly():
    pet = deferred(Model, "Pet", _loads([]), module="animal")
    with pytest.raises(TypeError, match="deferred Model 'Pet'"):
        pet.fields  # noqa: B018


def test_an_object_never_filled_leaves_with_what_would_have_filled_it():
    import weakref

    from generator.model import deferred as module

    class Load:
        def __call__(self) -> Model:
            return copy.deepcopy(WHOLE)

    load = Load()
    gone = weakref.ref(load)
    pet = deferred(Model, "Pet", load)
    del load
    before = len(module._PENDING)
    del pet  # reference counting alone: the pipeline's objects are exempt from the collector
    assert len(module._PENDING) == before - 1 and gone() is None


def test_a_filled_object_is_a_plain_object_of_its_class_when_it_goes():
    from generator.model import deferred as module

    pet = deferred(Model, "Pet", _loads([]))
    assert pet.fields == WHOLE.fields
    before = len(module._PENDING)
    del pet
    assert len(module._PENDING) == before
