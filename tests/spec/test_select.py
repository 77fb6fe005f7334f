"""Choosing operations by tag and by operation (operationId or "METHOD /path"), with globs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.errors import UsageError
from generator.pipeline import generate
from generator.spec.select import Selection, select_operations
from tests.conftest import PETSTORE_SPEC


def op(operation_id: str, *tags: str) -> dict[str, Any]:
    return {"operationId": operation_id, "tags": list(tags), "responses": {"200": {"description": "ok"}}}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/pets": {"get": op("listPets", "pets"), "post": op("createPet", "pets", "write")},
            "/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": op("getPet", "pets"),
                "delete": op("deletePet", "pets", "write"),
            },
            "/store/orders": {"get": op("listOrders", "store"), "post": op("placeOrder", "store", "write")},
            "/admin/stats": {"$ref": "#/components/pathItems/Stats"},
            "x-internal": {"note": "an extension, not a path"},
        },
        "components": {"pathItems": {"Stats": {"get": op("getStats", "admin"), "put": op("putStats", "admin")}}},
    }


def operations(root: dict[str, Any]) -> list[str]:
    found = []
    for path, item in root["paths"].items():
        if path.startswith("x-"):
            continue
        if "$ref" in item:
            item = root["components"]["pathItems"][item["$ref"].rsplit("/", 1)[1]]
        found += [node["operationId"] for method, node in item.items() if method in ("get", "post", "put", "delete")]
    return sorted(found)


def select(**options: tuple[str, ...]) -> list[str]:
    return operations(select_operations(document(), Selection(**options)))


def test_no_selection_is_the_document_itself():
    root = document()
    assert select_operations(root, Selection()) is root


def test_include_tags():
    assert select(include_tags=("store",)) == ["listOrders", "placeOrder"]
    assert select(include_tags=("st*", "admin")) == ["getStats", "listOrders", "placeOrder", "putStats"]


def test_any_tag_of_an_operation_counts():
    assert select(include_tags=("write",)) == ["createPet", "deletePet", "placeOrder"]
    assert select(exclude_tags=("write",)) == ["getPet", "getStats", "listOrders", "listPets", "putStats"]


def test_operations_by_id_or_by_method_and_path():
    assert select(include_operations=("list*",)) == ["listOrders", "listPets"]
    assert select(include_operations=("GET /pets/*",)) == ["getPet"]
    assert select(include_operations=("DELETE /pets/{id}", "getStats")) == ["deletePet", "getStats"]


def test_include_is_a_union_of_tags_and_operations():
    assert select(include_tags=("store",), include_operations=("getPet",)) == ["getPet", "listOrders", "placeOrder"]


def test_exclusion_wins_over_inclusion():
    assert select(include_tags=("pets",), exclude_operations=("delete*",)) == ["createPet", "getPet", "listPets"]
    assert select(include_tags=("pets",), exclude_tags=("write",)) == ["getPet", "listPets"]


def test_patterns_are_case_sensitive():
    with pytest.raises(UsageError, match="'Pets' matches no tag of the spec \\(did you mean 'pets'\\?\\)"):
        select(include_tags=("Pets",))


def test_path_items_keep_their_parameters_and_lose_only_unselected_methods():
    root = select_operations(document(), Selection(exclude_operations=("deletePet", "putStats")))
    pet = root["paths"]["/pets/{id}"]
    assert set(pet) == {"parameters", "get"}
    assert set(root["paths"]["/admin/stats"]) == {"get"}  # a $ref path item, resolved and filtered
    assert root["paths"]["/pets"] == document()["paths"]["/pets"]  # untouched
    assert root["paths"]["x-internal"] == {"note": "an extension, not a path"}


def test_path_items_with_nothing_left_are_dropped():
    root = select_operations(document(), Selection(include_tags=("store",)))
    assert [p for p in root["paths"] if not p.startswith("x-")] == ["/store/orders"]


def test_the_input_is_not_changed():
    root = document()
    before = copy.deepcopy(root)
    select_operations(root, Selection(include_tags=("pets",), exclude_operations=("deletePet",)))
    assert root == before


@pytest.mark.parametrize(
    "options, message",
    [
        ({"include_tags": ("stor",)}, "include_tags: 'stor' matches no tag of the spec (did you mean 'store'?)"),
        ({"exclude_tags": ("nothing*",)}, "exclude_tags: 'nothing*' matches no tag of the spec"),
        ({"include_operations": ("listPet",)}, "include_operations: 'listPet' matches no operation of the spec (did you mean 'listPets'?)"),
        ({"exclude_operations": ("PATCH /pets",)}, "exclude_operations: 'PATCH /pets' matches no operation"),
        ({"include_tags": ("store",), "exclude_tags": ("store",)}, "leave no operations to generate"),
    ],
)
def test_patterns_that_select_nothing_are_errors(options, message):
    with pytest.raises(UsageError) as info:
        select(**options)
    assert message in str(info.value)


def test_generate_leaves_out_what_is_not_selected():
    generated = generate(PETSTORE_SPEC, include_tags=("pets",), exclude_operations=("deletePet",))
    assert [g.name for g in generated.api.groups] == ["pets"]
    assert "delete" not in [op.name for op in generated.api.groups[0].operations]
    assert "petstore/resources/store.py" not in generated.files
    # Components stay: a model is the API's vocabulary even when no selected operation uses it.
    assert "petstore/models/order.py" in generated.files
