"""The component memo: a build after a change to the operations alone starts from the
component schemas of the last run; any change that building them would see misses."""

from __future__ import annotations

import copy
import json
import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import ComponentMemo, build_api
from generator.cache import Fingerprints
from generator.build.memo import NodeDigests, components_key
from generator.build.schemas import SchemaBuilder
from generator.config import Config
from generator.model import EnumRef, ModelRef
from generator.model.deferred import is_pending
from generator.pipeline import build_model
from generator.spec import load
from tests.conftest import ROOT, counted_calls

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Memo", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pets"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "owner": {"$ref": "#/x-shared/Owner"},
                    "odd": {"not": {"type": "string"}},  # a warning: `not` cannot be typed
                },
            },
            "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
        }
    },
    "x-shared": {"Owner": {"type": "object", "properties": {"id": {"type": "integer"}}}},
}


def _build(spec: dict[str, Any], memo: ComponentMemo | None):
    return build_api(copy.deepcopy(spec), memo=memo)


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts the builds of the component schemas."""
    return counted_calls(monkeypatch, SchemaBuilder, "build_components")


def _memo(tmp_path: Path, salt: str = "salt") -> ComponentMemo:
    return ComponentMemo(tmp_path / "components.pickle", salt)


def _run(spec: dict[str, Any], tmp_path: Path, salt: str = "salt"):
    memo = _memo(tmp_path, salt)
    built = _build(spec, memo)
    memo.save()
    return built


def test_a_second_build_goes_on_from_the_first(builds, tmp_path):
    first = _run(SPEC, tmp_path)
    again = _run(SPEC, tmp_path)
    assert builds == [1]
    assert again == first == _build(SPEC, None)
    assert [w.message for w in again[1]] == [w.message for w in first[1]] and first[1]


def test_a_new_operation_with_inline_schemas_matches_a_fresh_build(builds, tmp_path):
    _run(SPEC, tmp_path)
    changed = copy.deepcopy(SPEC)
    inline = {"type": "object", "properties": {"status": {"type": "string", "enum": ["cat", "dog"]}}}
    changed["paths"]["/pets/{id}"] = {
        "get": {
            "operationId": "getPet",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": inline}}}},
        }
    }
    warm = _run(changed, tmp_path)
    assert builds == [1]
    assert warm == _build(changed, None)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["components"]["schemas"]["Pet"]["properties"].update(age={"type": "integer"}),
        lambda s: s["x-shared"]["Owner"]["properties"].update(name={"type": "string"}),  # reached by a $ref
        lambda s: s["components"]["schemas"].update(Aaa={"type": "object"}),
        lambda s: s.update(openapi="3.1.0"),
    ],
)
def test_whatever_the_component_build_reads_misses(builds, tmp_path, change):
    _run(SPEC, tmp_path)
    changed = copy.deepcopy(SPEC)
    change(changed)
    warm = _run(changed, tmp_path)
    assert builds == [1, 1]
    assert warm == _build(changed, None)


def test_the_key_follows_a_discriminator_mapping_that_names_a_schema_no_ref_names():
    spec = copy.deepcopy(SPEC)
    mapping = {"propertyName": "kind", "mapping": {"owner": "#/x-shared/Owner"}}
    spec["components"]["schemas"]["Animal"] = {"oneOf": [{"type": "object"}], "discriminator": mapping}
    del spec["components"]["schemas"]["Pet"]["properties"]["owner"]
    before = components_key(spec, "s")
    spec["x-shared"]["Owner"]["properties"]["id"]["type"] = "string"
    assert components_key(spec, "s") != before


def test_a_node_marshal_cannot_write_is_keyed_by_its_json():
    """YAML reads an unquoted date as a date, which marshal does not write."""
    import datetime

    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Pet"]["example"] = {"born": datetime.date(2020, 1, 1)}
    before = components_key(spec, "s")
    spec["components"]["schemas"]["Pet"]["example"]["born"] = datetime.date(2020, 1, 2)
    assert components_key(spec, "s") != before


def test_the_key_ignores_what_the_component_build_does_not_read():
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/other"] = {"get": {"responses": {"204": {"description": "none"}}}}
    changed["x-shared"]["Unused"] = {"type": "string"}
    assert components_key(changed, "s") == components_key(SPEC, "s") != components_key(SPEC, "other code")


def test_other_building_code_misses(builds, tmp_path):
    _run(SPEC, tmp_path, salt="one version")
    _run(SPEC, tmp_path, salt="another")
    assert builds == [1, 1]


DAMAGES = [b"", b"garbage\n", None]  # None: cut in half


def damage(entry: Path, how: bytes | None) -> None:
    data = entry.read_bytes()
    entry.write_bytes(how if how is not None else data[: len(data) // 2])


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_entry_costs_only_the_build(builds, tmp_path, how):
    first = _run(SPEC, tmp_path)
    damage(tmp_path / "components.pickle", how)
    assert _run(SPEC, tmp_path) == first
    assert builds == [1, 1]


def test_an_entry_that_cannot_be_written_costs_only_time(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    memo = ComponentMemo(blocked / "components.pickle", "salt")
    assert _build(SPEC, memo) == _build(SPEC, None)
    memo.save()


def test_warnings_kept_from_an_earlier_run_point_at_todays_lines(builds, tmp_path):
    """A path added above the components moves their lines: the memo's warnings follow."""
    spec_file = tmp_path / "spec" / "memo.yaml"
    spec_file.parent.mkdir()
    spec_file.write_text(yaml.safe_dump(SPEC, sort_keys=False))
    first = _memo(tmp_path)
    build_model(load(spec_file), Config(), first)
    first.save()
    moved = copy.deepcopy(SPEC)
    moved["paths"] = {"/a": {"get": {"responses": {"204": {"description": "none"}}}}, **SPEC["paths"]}
    spec_file.write_text(yaml.safe_dump(moved, sort_keys=False))
    _, warm = build_model(load(spec_file), Config(), _memo(tmp_path))
    assert builds == [1]
    _, cold = build_model(load(spec_file), Config())
    assert [(w.message, w.line) for w in warm] == [(w.message, w.line) for w in cold]
    odd = [w for w in warm if "`not`" in w.message]
    assert odd and odd[0].line is not None


def test_a_bundled_spec_builds_the_same_from_its_memo(tmp_path):
    spec = ROOT / "specs" / "workbench.yaml"
    cold = build_model(load(spec), Config())
    memo = _memo(tmp_path)
    build_model(load(spec), Config(), memo)
    memo.save()
    assert build_model(load(spec), Config(), _memo(tmp_path)) == cold


def test_the_build_cache_keeps_the_most_recently_used_states(tmp_path, monkeypatch):
    import os

    import generator.build.memo as memo

    monkeypatch.setattr(memo, "KEPT_STATES", 2)
    states = [tmp_path / f"{name}.pickle" for name in ("a", "b", "c")]

    def run(path: Path) -> None:
        kept = ComponentMemo(path, "salt")
        _build(SPEC, kept)
        kept.save()

    run(states[0])
    run(states[1])
    os.utime(states[0], ns=(1, 1))
    run(states[0])  # a hit: not written, but used
    run(states[2])
    assert sorted(path.name for path in tmp_path.glob("*.pickle")) == ["a.pickle", "c.pickle"]


def test_a_restored_state_tells_the_fingerprints_of_its_models_and_enums(tmp_path):
    _run(SPEC, tmp_path)
    told: dict[int, bytes] = {}

    class Told(Fingerprints):
        def know(self, obj: object, digest: bytes) -> None:
            told[id(obj)] = digest
            super().know(obj, digest)

        def know_each(self, objects, digests) -> None:  # type: ignore[no-untyped-def]
            for obj, digest in zip(objects, digests):
                self.know(obj, digest)

    api, _ = _build(SPEC, ComponentMemo(tmp_path / "components.pickle", "salt", Told()))
    restored = [obj for obj in (*api.models, *api.enums) if obj.origin.startswith("/components/")]
    assert restored
    for obj in restored:
        assert told[id(obj)] == hashlib.sha256(repr(obj).encode()).digest()


def _read_units(spec: dict[str, Any]) -> dict[str, Any]:
    """The digests of the spec's units as the loader finds them (see parse_memo.py)."""
    from generator.spec.parse_memo import _unit_digests, parse_with_members

    value, members = parse_with_members(json.dumps(spec, indent=2))
    assert members is not None
    return _unit_digests(members, value, None, None)


CHANGES_READ = [
    lambda s: s["components"]["schemas"]["Pet"]["properties"].update(age={"type": "integer"}),
    lambda s: s["x-shared"]["Owner"]["properties"].update(name={"type": "string"}),
    lambda s: s["components"]["schemas"].update(Aaa={"type": "object"}),
    lambda s: s["components"]["schemas"].update(Pet=s["components"]["schemas"].pop("Pet")),  # the order
    lambda s: s["components"].update(parameters={"p": {"name": "p", "in": "query"}})
    or s["components"]["schemas"]["Pet"].update(example={"$ref": "#/components/parameters/p"}),
]


@pytest.mark.parametrize("change", CHANGES_READ)
def test_keys_made_of_the_units_the_loader_found_follow_what_is_read(change):
    def key(spec: dict[str, Any]) -> str:
        return components_key(spec, "s", NodeDigests(spec, _read_units(spec)))

    changed = copy.deepcopy(SPEC)
    change(changed)
    assert key(changed) != key(SPEC)
    assert key(SPEC) == components_key(SPEC, "s")  # the digests found are those it would make


def test_a_ref_to_the_whole_document_is_keyed_by_all_of_it_not_by_the_remainder():
    """The loader finds the remainder's digest too, under the root's pointer ("")."""
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Pet"]["properties"]["all"] = {"$ref": "#"}
    assert components_key(spec, "s", NodeDigests(spec, _read_units(spec))) == components_key(spec, "s")


def test_keys_made_of_the_units_the_loader_found_ignore_what_is_not_read():
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/other"] = {"get": {"responses": {"204": {"description": "none"}}}}
    changed["components"]["responses"] = {"Unused": {"description": "no"}}
    assert components_key(changed, "s", NodeDigests(changed, _read_units(changed))) == components_key(
        SPEC, "s", NodeDigests(SPEC, _read_units(SPEC))
    )


def test_a_restored_state_unpickles_only_the_models_and_enums_the_build_uses(tmp_path):
    _run(SPEC, tmp_path)
    changed = copy.deepcopy(SPEC)
    # Its body's fields come from Pet's: reading them fills Pet, and nothing else.
    changed["paths"]["/pets"]["post"] = {
        "operationId": "addPet",
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
        "responses": {"201": {"description": "made"}},
    }
    api, _ = _build(changed, _memo(tmp_path))
    assert {obj.name for obj in (*api.models, *api.enums) if not is_pending(obj)} == {"Pet"}
    assert (api, _) == _build(changed, None)


@pytest.mark.parametrize("inside", [False, True])
def test_the_types_inside_component_schemas_are_read_when_an_operation_refers_inside_one(tmp_path, monkeypatch, inside):
    _run(SPEC, tmp_path)
    loaded: list[int] = []
    real_get = ComponentMemo.get

    def get(memo: ComponentMemo, key: str) -> Any:
        state = real_get(memo, key)
        inner = state.inner_types if state is not None else None
        if state is None or inner is None:
            return state
        return dataclasses.replace(state, inner_types=lambda: loaded.append(1) or inner())

    monkeypatch.setattr(ComponentMemo, "get", get)
    changed = copy.deepcopy(SPEC)
    target = "#/components/schemas/Pet/properties/kind" if inside else "#/components/schemas/Pet"
    changed["paths"]["/kinds"] = {
        "get": {
            "operationId": "getKind",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": target}}}}},
        }
    }
    api, warnings = _build(changed, _memo(tmp_path))
    assert loaded == ([1] if inside else [])
    assert (api, warnings) == _build(changed, None)
    success = api.groups[0].operations[-1].success
    assert success is not None and success.type == (EnumRef("PetKind") if inside else ModelRef("Pet"))
