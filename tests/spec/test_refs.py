"""JSON pointers and following internal $refs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.errors import Diagnostic, SpecError
from generator.spec import PointerError, deref, load, resolve_pointer

INVALID = Path("/work/shared/specs/invalid")

ROOT: dict[str, Any] = {
    "paths": {"/pets/{id}": {"get": {"parameters": [{"name": "id"}, {"name": "q"}]}}},
    "a~b": {"c/d": 1},
    "components": {
        "schemas": {
            "Pet": {"$ref": "#/components/schemas/Animal"},
            "Animal": {"$ref": "#/components/schemas/Base"},
            "Base": {"type": "object", "properties": {"parent": {"$ref": "#/components/schemas/Base"}}},
            "Loop1": {"$ref": "#/components/schemas/Loop2"},
            "Loop2": {"$ref": "#/components/schemas/Loop1"},
            "Self": {"$ref": "#/components/schemas/Self"},
            "Dangling": {"$ref": "#/components/schemas/Nowhere"},
            "Encoded": {"$ref": "#/paths/~1pets~1%7Bid%7D/get"},
            "Remote": {"$ref": "other.yaml#/Pet"},
            "NamedRef": {"properties": {"$ref": {"type": "string"}}},
        }
    },
}


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", ROOT),
        ("/paths/~1pets~1{id}/get/parameters/1/name", "q"),
        ("/a~0b/c~1d", 1),
        ("/components/schemas/Base/type", "object"),
    ],
)
def test_resolve_pointer(pointer: str, expected: Any) -> None:
    assert resolve_pointer(ROOT, pointer) is expected or resolve_pointer(ROOT, pointer) == expected


@pytest.mark.parametrize(
    "pointer",
    [
        "/nope",
        "/paths/~1pets~1{id}/get/parameters/2",
        "/paths/~1pets~1{id}/get/parameters/01",  # no leading zeros in array indexes
        "/paths/~1pets~1{id}/get/parameters/-",
        "/a~0b/c~1d/deeper",  # through a number
        "no-leading-slash",
    ],
)
def test_resolve_pointer_missing(pointer: str) -> None:
    with pytest.raises(PointerError) as exc:
        resolve_pointer(ROOT, pointer)
    assert isinstance(exc.value, LookupError)
    assert exc.value.pointer == pointer


def test_pointer_error_names_the_first_missing_part() -> None:
    with pytest.raises(PointerError) as exc:
        resolve_pointer(ROOT, "/components/schemas/Nope/properties")
    assert exc.value.failed_at == "/components/schemas/Nope"


def test_deref_passes_non_refs_through() -> None:
    base = ROOT["components"]["schemas"]["Base"]
    assert deref(ROOT, base, "/components/schemas/Base") == (base, "/components/schemas/Base")
    assert deref(ROOT, "text", "/x") == ("text", "/x")
    named = ROOT["components"]["schemas"]["NamedRef"]["properties"]
    assert deref(ROOT, named, "/p") == (named, "/p")  # a property called "$ref" is no reference


def test_deref_follows_a_chain() -> None:
    pet = ROOT["components"]["schemas"]["Pet"]
    node, pointer = deref(ROOT, pet, "/components/schemas/Pet")
    assert pointer == "/components/schemas/Base"
    assert node is ROOT["components"]["schemas"]["Base"]


def test_recursive_schema_is_not_a_cycle() -> None:
    parent = ROOT["components"]["schemas"]["Base"]["properties"]["parent"]
    node, pointer = deref(ROOT, parent, "/components/schemas/Base/properties/parent")
    assert pointer == "/components/schemas/Base"
    assert node["properties"]["parent"] is parent


def test_deref_decodes_percent_escapes() -> None:
    node, pointer = deref(ROOT, ROOT["components"]["schemas"]["Encoded"], "/components/schemas/Encoded")
    assert pointer == "/paths/~1pets~1{id}/get"
    assert node is ROOT["paths"]["/pets/{id}"]["get"]


@pytest.mark.parametrize(
    ("name", "message", "at"),
    [
        (
            "Loop1",
            "reference cycle: #/components/schemas/Loop1 -> #/components/schemas/Loop2 -> #/components/schemas/Loop1",
            "/components/schemas/Loop1",
        ),
        (
            "Self",
            "reference cycle: #/components/schemas/Self -> #/components/schemas/Self",
            "/components/schemas/Self",
        ),
        (
            "Dangling",
            "$ref target #/components/schemas/Nowhere does not exist",
            "/components/schemas/Dangling/$ref",
        ),
        (
            "Remote",
            "$ref 'other.yaml#/Pet' is not a reference within the document",
            "/components/schemas/Remote/$ref",
        ),
    ],
)
def test_deref_errors(name: str, message: str, at: str) -> None:
    seen: list[tuple[str, str, str]] = []

    def diagnostic(severity: str, text: str, pointer: str) -> Diagnostic:
        seen.append((severity, text, pointer))
        return Diagnostic(severity, text, file="api.yaml", line=7, pointer=pointer)

    with pytest.raises(SpecError) as exc:
        deref(ROOT, ROOT["components"]["schemas"][name], f"/components/schemas/{name}", diagnostic)
    assert seen == [("error", message, at)]
    assert exc.value.diagnostics[0].file == "api.yaml"


def test_deref_without_a_diagnostic_callable_still_gives_the_pointer() -> None:
    with pytest.raises(SpecError) as exc:
        deref(ROOT, ROOT["components"]["schemas"]["Dangling"], "/components/schemas/Dangling")
    assert exc.value.diagnostics == [
        Diagnostic(
            "error",
            "$ref target #/components/schemas/Nowhere does not exist",
            pointer="/components/schemas/Dangling/$ref",
        )
    ]


def test_circular_body_ref_from_the_invalid_specs() -> None:
    doc = load(INVALID / "circular-body-ref.yaml")
    use = doc.root["paths"]["/"]["post"]["requestBody"]
    with pytest.raises(SpecError) as exc:
        deref(doc.root, use, "/paths/~1/post/requestBody", doc.diagnostic)
    (error,) = exc.value.diagnostics
    assert (
        error.message == "reference cycle: #/components/requestBodies/body -> #/components/requestBodies/body"
    )
    assert (error.file, error.line, error.pointer) == (
        str(INVALID / "circular-body-ref.yaml"),
        19,
        "/components/requestBodies/body",
    )


def test_missing_body_ref_from_the_invalid_specs() -> None:
    doc = load(INVALID / "missing-body-ref.yaml")
    use = doc.root["paths"]["/"]["post"]["requestBody"]
    with pytest.raises(SpecError) as exc:
        deref(doc.root, use, "/paths/~1/post/requestBody", doc.diagnostic)
    (error,) = exc.value.diagnostics
    assert error.message == "$ref target #/components/requestBodies/body does not exist"
    assert (error.line, error.pointer) == (9, "/paths/~1/post/requestBody/$ref")
    assert error.format().startswith(f"{INVALID / 'missing-body-ref.yaml'}:9: error:")
