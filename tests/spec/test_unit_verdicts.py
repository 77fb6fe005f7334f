"""The meta-schema check over the units not found valid before: shown sound for each
meta-schema, and giving the findings of checking the whole document."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.spec import load, validate
from generator.spec.checking import PendingValidation
from generator.spec.lazy_entries import LazyEntries
from generator.spec.parse_memo import ParseMemo
from generator.spec.prefilter import Prefiltered
from generator.spec.strict import _meta_schema
from generator.spec.unit_verdicts import judges_units_alone, with_units_only

CONTAINERS = [("paths",), ("webhooks",), ("definitions",), ("parameters",), ("responses",)] + [
    ("components", kind)
    for kind in ("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems")
]


@pytest.mark.parametrize("version", ["2.0", "3.0", "3.1", "3.2"])
def test_every_openapi_meta_schema_judges_each_unit_alone(version):
    meta_schema = _meta_schema(version)
    assert all(judges_units_alone(meta_schema, keys) for keys in CONTAINERS)


ENTRY = {"type": "object"}
CONTAINER: dict[str, Any] = {"type": "object", "additionalProperties": ENTRY}
ROOT = {"type": "object", "required": ["paths"], "properties": {"paths": {"$ref": "#/$defs/paths"}}, "$defs": {"paths": CONTAINER}}


def _with(container: dict[str, Any] | None = None, **root: Any) -> dict[str, Any]:
    schema = copy.deepcopy(ROOT) | root
    schema["$defs"]["paths"] |= container or {}
    return schema


@pytest.mark.parametrize(
    "schema",
    [
        _with({"minProperties": 1}),  # counts the units
        _with({"required": ["/a"]}),  # names a unit
        _with({"anyOf": [{"required": ["/a"]}]}),
        _with(anyOf=[{"properties": {"paths": {"maxProperties": 3}}}]),  # an alternative that looks in
        _with(oneOf=[{"$ref": "#/$defs/paths"}]),
        _with(properties={"paths": {"$ref": "other.json#/paths"}}),  # somewhere not shown
        _with(properties={"paths": {"$ref": "#/$defs/missing"}}),
        _with(**{"not": {"required": ["paths"]}}),
        _with(enum=[{}]),  # compares the whole document
    ],
)
def test_a_keyword_above_the_units_that_reads_more_than_one_is_refused(schema):
    assert judges_units_alone(_with(), ("paths",))
    assert not judges_units_alone(schema, ("paths",))


def test_a_document_with_some_units_keeps_the_remainder_and_those_units():
    entries = LazyEntries.of(["A", "B"], [b"", b""])  # placeholders: neither may be read
    root = {"openapi": "3.0.3", "paths": {"/a": {}, "/b": {"get": {}}}, "components": {"schemas": entries, "x-note": 1}}
    made = with_units_only(root, lambda pointer: pointer == "/paths/~1b")
    assert made == {"openapi": "3.0.3", "paths": {"/b": {"get": {}}}, "components": {"schemas": {}, "x-note": 1}}
    assert type(made["components"]["schemas"]) is dict


DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    # Enough path items that an edit is small beside the text: the parse memo then splices it.
    "paths": {f"/pets/{n}": {"get": {"operationId": f"get{n}", "responses": {"200": {"description": "ok"}}}} for n in range(200)},
    "components": {"schemas": {f"S{n}": {"type": "object", "properties": {"n": {"type": "integer"}}} for n in range(4)}},
}


def _load(tmp_path: Path, doc: dict[str, Any]) -> Any:
    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc, indent=2))
    return load(path, ParseMemo(tmp_path / "api.parsed", "test"))


def _checked_instances(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every instance the meta-schema's compiled check is asked about, from now on."""
    seen: list[Any] = []
    original = Prefiltered.passes
    monkeypatch.setattr(Prefiltered, "passes", lambda self, instance: seen.append(instance) or original(self, instance))
    return seen


def test_a_changed_document_checks_only_the_units_not_found_valid_before(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert PendingValidation(_load(tmp_path, DOC), cache, background=False).result() == []
    seen = _checked_instances(monkeypatch)
    doc = copy.deepcopy(DOC)
    doc["components"]["schemas"]["S9"] = {"type": "string"}
    changed = _load(tmp_path, doc)
    assert PendingValidation(changed, cache, background=False).result() == []
    (instance,) = seen
    assert instance["paths"] == {} and list(instance["components"]["schemas"]) == ["S9"]
    # The schemas found valid before are not read (S3, which the edit's text touches, was
    # parsed again with S9).
    schemas = changed.root["components"]["schemas"]
    assert type(schemas) is LazyEntries and {name for name, _ in schemas.unread()} == {"S0", "S1", "S2"}


@pytest.mark.parametrize(
    "edit",
    [
        lambda doc: doc["paths"]["/pets/2"]["get"].update(responses=[]),  # a unit made invalid
        lambda doc: doc["components"]["schemas"].update({"bad name!": {"type": 3}}),
        lambda doc: doc.update(info={"title": 1}),  # the remainder made invalid
        lambda doc: doc["paths"].update({"no-slash": {}}),  # a key the container refuses
    ],
)
def test_an_invalid_change_gets_the_findings_of_the_whole_document(tmp_path, monkeypatch, edit):
    cache = tmp_path / "cache"
    PendingValidation(_load(tmp_path, DOC), cache, background=False).result()
    doc = copy.deepcopy(DOC)
    edit(doc)
    found = PendingValidation(_load(tmp_path, doc), cache, background=False).result()
    assert found and _said(found) == _said(validate(load(_write(tmp_path, doc))))
    # Valid again: the units found valid before the invalid version are still known.
    seen = _checked_instances(monkeypatch)
    doc = copy.deepcopy(DOC)
    doc["paths"]["/pets/3"]["get"]["summary"] = "valid"
    assert PendingValidation(_load(tmp_path, doc), cache, background=False).result() == []
    (instance,) = seen
    assert list(instance["paths"]) == ["/pets/3"] and instance["components"]["schemas"] == {}


def _said(found: list[Any]) -> list[tuple[str, str]]:
    return [(finding.pointer, finding.message) for finding in found]


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(doc))
    return path


def test_operation_ids_of_path_items_known_unchanged_are_not_read_again(tmp_path):
    cache = tmp_path / "cache"
    doc = copy.deepcopy(DOC)
    doc["paths"]["/through-a-ref"] = {"$ref": "#/x-items/a"}  # read every time
    doc["x-items"] = {"a": {"get": {"operationId": "viaRef", "responses": {"200": {"description": "ok"}}}}}
    assert PendingValidation(_load(tmp_path, doc), cache, background=False).result() == []
    doc["paths"]["/pets/new"] = {"get": {"operationId": "get7", "responses": {"200": {"description": "ok"}}}}
    changed = _load(tmp_path, doc)
    found = PendingValidation(changed, cache, background=False).result()
    assert _said(found) == [("/paths/~1pets~1new/get", "Operation ID 'get7' for 'get' in '/pets/new' is not unique")]
    assert _said(found) == _said(validate(load(_write(tmp_path, doc))))
    read = {url for url in changed.root["paths"] if url not in dict(changed.root["paths"].unread())}
    assert read == {"/pets/new", "/through-a-ref"}
