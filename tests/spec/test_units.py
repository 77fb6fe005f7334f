"""A document cut into units: digests that follow content, refs that find their unit."""

from __future__ import annotations

import copy
from typing import Any

from generator.spec.units import REMAINDER, closure, closure_digest, units

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
    assert found["/paths/~1pets~1{id}"].refs == {"/components/parameters/id"}
    assert found["/components/responses/Owner"].refs == {"/components/schemas/Owner"}  # into it, not at it
    assert found["/components/schemas/Pet"].refs == {"/components/schemas/Owner", REMAINDER}
    assert found["/components/schemas/Owner"].refs == {"/components/schemas/Pet"}


def test_a_closure_follows_refs_transitively_and_survives_cycles() -> None:
    found = units(DOC)
    assert closure(found, "/paths/~1owners") == [
        REMAINDER,
        "/components/responses/Owner",
        "/components/schemas/Owner",
        "/components/schemas/Pet",
        "/paths/~1owners",
    ]
    assert closure(found, "/paths/~1a~0b") == ["/paths/~1a~0b"]


def test_a_change_moves_the_digests_of_exactly_the_units_that_reach_it() -> None:
    before = units(DOC)
    changed = copy.deepcopy(DOC)
    changed["components"]["schemas"]["Id"]["type"] = "string"
    after = units(changed)
    moved = {p for p in before if closure_digest(before, p) != closure_digest(after, p)}
    assert moved == {"/components/schemas/Id", "/components/parameters/id", "/paths/~1pets~1{id}"}


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
