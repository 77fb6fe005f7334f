"""A document cut into units: digests that follow content, refs that find their unit."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.spec.units import REMAINDER, Unit, closure_digests, units

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/pets/{id}": {"get": {"parameters": [{"$ref": "#/components/parameters/id"}], "responses": {}}},
        "/owners": {"get": {"responses": {"200": {"$ref": "#/components/responses/Owner"}}}},
        "/a~b": {"get": {"responses": {}}},
    },
    "components": {
        "parameters": {"id": {"name": "id", "in": "path", "schema": {"$ref": "#/components/schemas/Id"}}},
        "responses": {"Owner": {"content": {"a/b": {"schema": {"$ref": "#/components/schemas/Owner/properties/pet"}}}}},
        "schemas": {
            "Id": {"type": "integer"},
            "Owner": {"properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
            "Pet": {"properties": {"owner": {"$ref": "#/components/schemas/Owner"}, "x": {"$ref": "#/info"}}},
        },
    },
}


def test_every_named_entry_is_a_unit_and_the_rest_is_one_more() -> None:
    found = units(DOC)
    assert sorted(found) == sorted(
        [
            REMAINDER,
            "/paths/~1pets~1{id}",
            "/paths/~1owners",
            "/paths/~1a~0b",
            "/components/parameters/id",
            "/components/responses/Owner",
            "/components/schemas/Id",
            "/components/schemas/Owner",
            "/components/schemas/Pet",
        ]
    )


def test_refs_name_the_unit_they_land_in() -> None:
    found = units(DOC)
    assert found["/paths/~1pets~1{id}"].refs == ("/components/parameters/id",)
    assert found["/components/responses/Owner"].refs == ("/components/schemas/Owner",)  # into it, not at it
    assert found["/components/schemas/Pet"].refs == (REMAINDER, "/components/schemas/Owner")
    assert found["/components/schemas/Owner"].refs == ("/components/schemas/Pet",)


def moved_by(change: Any) -> set[str]:
    """The units whose closure digest a change to a copy of DOC moves."""
    changed = copy.deepcopy(DOC)
    change(changed)
    before, after = closure_digests(units(DOC)), closure_digests(units(changed))
    assert before.keys() == after.keys()
    return {p for p in before if before[p] != after[p]}


def test_a_change_moves_the_digests_of_exactly_the_units_that_reach_it() -> None:
    moved = moved_by(lambda doc: doc["components"]["schemas"]["Id"].update(type="string"))
    assert moved == {"/components/schemas/Id", "/components/parameters/id", "/paths/~1pets~1{id}"}


def test_a_change_inside_a_cycle_reaches_through_it() -> None:
    moved = moved_by(lambda doc: doc["components"]["schemas"]["Pet"].update(title="P"))
    assert moved == {
        "/components/schemas/Pet",
        "/components/schemas/Owner",  # Owner and Pet reach each other
        "/components/responses/Owner",
        "/paths/~1owners",
    }
    assert moved_by(lambda doc: doc["info"].update(title="U")) == moved | {REMAINDER}  # Pet refs #/info


def test_units_of_one_cycle_have_digests_of_their_own() -> None:
    digests = closure_digests(units(DOC))
    assert digests["/components/schemas/Owner"] != digests["/components/schemas/Pet"]
    assert len(set(digests.values())) == len(digests)


def test_a_chain_deeper_than_the_stack_limit_is_digested() -> None:
    chain = {f"/u{i}": Unit(f"/u{i}", str(i), (f"/u{i + 1}",)) for i in range(5000)}
    chain["/u5000"] = Unit("/u5000", "end", ("/u0",))  # and back to the start: one cycle
    assert len(set(closure_digests(chain).values())) == 5001


def test_the_remainder_holds_what_is_outside_the_named_units() -> None:
    changed = copy.deepcopy(DOC)
    changed["info"]["title"] = "Other"
    changed["components"]["x-note"] = "a plain value beside the containers"
    before, after = units(DOC), units(changed)
    assert {p for p in before if before[p].digest != after[p].digest} == {REMAINDER}


def test_values_json_cannot_hold_still_get_a_digest() -> None:
    import datetime

    doc = {"openapi": "3.0.3", "info": {"version": datetime.date(2024, 1, 2)}, "paths": {}}
    assert units(doc)[REMAINDER].digest


def _set(doc: dict[str, Any], path: list[str], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _drop(doc: dict[str, Any], path: list[str]) -> None:
    for key in path[:-1]:
        doc = doc[key]
    del doc[path[-1]]


CHANGES = {
    "a path item": lambda d: _set(d, ["paths", "/a~b", "get", "summary"], "S"),
    "a schema in a cycle": lambda d: _set(d, ["components", "schemas", "Pet", "title"], "P"),
    "the remainder": lambda d: _set(d, ["info", "title"], "U"),
    "a new unit": lambda d: _set(d, ["paths", "/new"], {"get": {"parameters": [{"$ref": "#/components/parameters/id"}]}}),
    "a unit gone": lambda d: _drop(d, ["components", "schemas", "Id"]),
    "a dangling ref that now lands": lambda d: _set(d, ["components", "schemas", "Id"], {"$ref": "#/components/schemas/Later"}),
    "a cycle made": lambda d: _set(d, ["components", "schemas", "Id"], {"items": {"$ref": "#/paths/~1pets~1{id}"}}),
}


def test_closures_worked_out_after_an_earlier_run_are_those_worked_out_anew() -> None:
    from generator.spec.units import closure_digests_after

    documents = [DOC]
    for change in CHANGES.values():
        documents.append(copy.deepcopy(documents[-1]))
        change(documents[-1])
    documents.append(copy.deepcopy(documents[-1]))
    documents[-1]["components"]["schemas"]["Later"] = {"type": "string"}  # the dangling ref lands
    state: dict[str, Any] = {}
    for document in [*documents, DOC]:
        found = units(document)
        assert units(document, last=state) == found  # refs kept from the last run where they hold
        digests, state = closure_digests_after(found, state)
        assert digests == closure_digests(found)
    for before in documents:
        for after in documents:
            assert closure_digests_after(units(after), closure_digests_after(units(before), {})[1])[0] == closure_digests(units(after))


def test_closures_after_an_earlier_run_hash_only_what_reaches_a_change(monkeypatch) -> None:
    from generator.spec import units as units_module

    _, state = units_module.closure_digests_after(units(DOC), {})
    changed = copy.deepcopy(DOC)
    changed["components"]["schemas"]["Id"]["type"] = "string"
    hashed: list[set[str]] = []
    components = units_module._components
    monkeypatch.setattr(units_module, "_components", lambda found, within=None: hashed.append(within) or components(found, within))
    units_module.closure_digests_after(units(changed), state)
    assert hashed == [{"/components/schemas/Id", "/components/parameters/id", "/paths/~1pets~1{id}"}]


def test_an_earlier_runs_refs_are_kept_for_units_of_the_same_digest(monkeypatch) -> None:
    from generator.spec import units as units_module

    _, state = units_module.closure_digests_after(units(DOC), {})
    changed = copy.deepcopy(DOC)
    changed["components"]["schemas"]["Id"]["type"] = "string"
    worked_out: list[str] = []
    refs = units_module._refs
    monkeypatch.setattr(units_module, "_refs", lambda pointer, *args: worked_out.append(pointer) or refs(pointer, *args))
    found = units(changed, last=state)
    assert worked_out == ["/components/schemas/Id", REMAINDER]
    assert found == units(changed)


@pytest.mark.parametrize("changed_at", [0, 3, 9])
def test_closures_after_a_change_deep_down_a_chain_of_references(changed_at: int) -> None:
    """Units that reach a change through more levels than are scanned for it."""
    from generator.spec.units import closure_digests_after

    chain = {f"/u{i}": Unit(f"/u{i}", str(i), (f"/u{i + 1}",) if i < 9 else ()) for i in range(10)}
    _, state = closure_digests_after(chain, {}, "salt")
    chain[f"/u{changed_at}"] = chain[f"/u{changed_at}"]._replace(digest="changed")
    digests, _ = closure_digests_after(chain, state, "salt")
    assert digests == closure_digests(chain, "salt")
    assert {p for p in digests if digests[p] != state[p][3]} == {f"/u{i}" for i in range(changed_at + 1)}


def _digest_of(document: dict[str, Any]) -> str | None:
    from generator.spec.units import document_digest, named_units, unit_digest

    return document_digest(document, {pointer: unit_digest(node) for pointer, node in named_units(document)})


DOCUMENT_CHANGES = {
    **CHANGES,
    "the root's key order": lambda d: d.update(openapi=d.pop("openapi")),
    "a unit's place in its container": lambda d: d["paths"].update({"/owners": d["paths"].pop("/owners")}),
    "a container that is not an object": lambda d: d.update(paths=[]),
    "another container that is not one": lambda d: d.update(paths=None),
    "a plain value among the components": lambda d: d["components"].update({"x-note": "n"}),
}


def test_a_document_digest_tells_every_change_apart() -> None:
    digests = {"unchanged": _digest_of(DOC)}
    for name, change in DOCUMENT_CHANGES.items():
        changed = copy.deepcopy(DOC)
        change(changed)
        digests[name] = _digest_of(changed)
    assert len(set(digests.values())) == len(digests)
    assert _digest_of(copy.deepcopy(DOC)) == digests["unchanged"]


def test_a_document_digest_needs_every_units_digest() -> None:
    from generator.spec.units import document_digest, named_units, unit_digest

    read = {pointer: unit_digest(node) for pointer, node in named_units(DOC)}
    del read["/paths/~1owners"]
    assert document_digest(DOC, read) is None
