"""Regenerating after a small spec change rewrites only the files the change concerns.

A client is committed and reviewed: if adding one operation renamed models or reordered
modules elsewhere, every regeneration would be a wall of noise. These tests make a small
change to a real spec, regenerate over the first output, and count what was written.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.model import Api
from generator.pipeline import generate, generate_into
from generator.render import FormatCache, WriteResult
from tests.conftest import SHARED

CORPUS = SHARED / "corpus" / "dev"
NEBLIO = CORPUS / "oad__nebl.io.json"  # 50 operations, 31 schemas: real, and quick to generate
GITHUB = CORPUS / "github__api.github.com.json"  # 1,000 operations


def new_operation(tag: str | None) -> dict[str, Any]:
    """POST /frobnicate/{thingId}: a path parameter, an inline body with an enum, an inline response."""
    body = {
        "type": "object",
        "properties": {"level": {"type": "integer"}, "mode": {"type": "string", "enum": ["fast", "slow"]}},
    }
    response = {"type": "object", "properties": {"done": {"type": "boolean"}}}
    return {
        "post": {
            "operationId": "frobnicateThing",
            "tags": [tag] if tag else [],
            "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}},
        }
    }


def add_operation(tag: str | None) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["paths"]["/frobnicate/{thingId}"] = new_operation(tag)

    return change


def regenerate(spec: Path, base: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> WriteResult:
    """Copy the client generated from `spec` to tmp_path, and regenerate it there from the changed spec.

    The changed spec has the same file name, so the headers naming it do not differ."""
    out = tmp_path / "client"
    shutil.copytree(base, out)
    doc = copy.deepcopy(json.loads(spec.read_text()))
    change(doc)
    changed = tmp_path / "changed" / spec.name
    changed.parent.mkdir()
    changed.write_text(json.dumps(doc))
    return generate_into(out, generate(changed, cache=FormatCache.default()))


@pytest.fixture(scope="module")
def neblio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("neblio") / "client"
    generate_into(out, generate(NEBLIO, cache=FormatCache.default()))
    return out


PKG = "neblio_rest_api_suite"
NEW_MODELS = {
    f"{PKG}/models/frobnicate_thing_body.py",
    f"{PKG}/models/frobnicate_thing_body_mode.py",
    f"{PKG}/models/frobnicate_thing_response.py",
}


def test_an_operation_in_an_existing_group(neblio, tmp_path):
    result = regenerate(NEBLIO, neblio, tmp_path, add_operation("NTP1"))
    # The group's module, the new models, the models index, and the README's table of operations.
    assert set(result.written) == {f"{PKG}/resources/ntp1.py", f"{PKG}/models/__init__.py", "README.md", *NEW_MODELS}
    assert result.removed == ()


def test_an_operation_in_a_new_group(neblio, tmp_path):
    result = regenerate(NEBLIO, neblio, tmp_path, add_operation(None))
    # The client gains an attribute for the new group (grouped by its path: "frobnicate").
    assert set(result.written) == {
        f"{PKG}/resources/frobnicate.py",
        f"{PKG}/_client.py",
        f"{PKG}/models/__init__.py",
        "README.md",
        *NEW_MODELS,
    }
    assert result.removed == ()


def test_a_changed_description_touches_its_module_only(neblio, tmp_path):
    def change(doc: dict[str, Any]) -> None:
        operation = doc["paths"]["/ntp1/tokenmetadata/{tokenid}"]["get"]
        operation["description"] = "Returns the metadata of a token, now described better."

    result = regenerate(NEBLIO, neblio, tmp_path, change)
    assert result.written == (f"{PKG}/resources/ntp1.py",)


def test_a_new_schema_touches_only_its_model_and_the_index(neblio, tmp_path):
    def change(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["AaaFirst"] = {"type": "object", "properties": {"x": {"type": "string"}}}

    result = regenerate(NEBLIO, neblio, tmp_path, change)
    assert set(result.written) == {f"{PKG}/models/aaa_first.py", f"{PKG}/models/__init__.py"}


def test_removing_the_operation_again_restores_the_client(neblio, tmp_path):
    regenerate(NEBLIO, neblio, tmp_path / "added", add_operation("NTP1"))
    out = tmp_path / "added" / "client"
    result = generate_into(out, generate(NEBLIO, cache=FormatCache.default()))
    assert set(result.removed) == NEW_MODELS
    assert set(result.written) == {f"{PKG}/resources/ntp1.py", f"{PKG}/models/__init__.py", "README.md"}
    assert {p.relative_to(out) for p in out.rglob("*")} == {p.relative_to(neblio) for p in neblio.rglob("*")}


@pytest.mark.slow
def test_an_operation_added_to_github(tmp_path):
    base = tmp_path / "base"
    generate_into(base, generate(GITHUB, cache=FormatCache.default()))
    result = regenerate(GITHUB, base, tmp_path / "after", add_operation("issues"))
    pkg = "git_hub_s_official_open_api_spec_octokit_extension"
    assert set(result.written) == {
        f"{pkg}/resources/issues.py",
        f"{pkg}/models/__init__.py",
        "README.md",
        *(path.replace(PKG, pkg) for path in NEW_MODELS),
    }


def test_a_warm_regeneration_equals_a_cold_one(neblio, tmp_path):
    """The memo of the first run serves every file the change left alone; none may differ."""
    regenerate(NEBLIO, neblio, tmp_path, add_operation("NTP1"))
    out, changed = tmp_path / "client", tmp_path / "changed" / NEBLIO.name
    cold = generate(changed, cache=None).files
    assert {path: (out / path).read_text() for path in cold} == cold


def test_a_warm_regeneration_reads_the_operations_of_the_changed_group_alone(neblio, tmp_path):
    """The other groups are served whole, as their summaries: no file, and not the report,
    reads their operations."""
    from generator.cli import domain_report, summary
    from generator.model.deferred import is_pending

    regenerate(NEBLIO, neblio, tmp_path, add_operation("NTP1"))  # the memos know the changed spec
    changed = tmp_path / "changed" / NEBLIO.name
    doc = json.loads(changed.read_text())
    doc["paths"]["/frobnicate/{thingId}"]["post"]["summary"] = "Frobnicates a thing."
    changed.write_text(json.dumps(doc))
    warm = generate(changed, cache=FormatCache.default())
    written = generate_into(tmp_path / "client", warm)

    def reported(api: Api) -> list[str]:
        return [summary(api, tmp_path, written, 0.0), *domain_report(api, verbose=True)]

    report = reported(warm.api)
    assert [group.name for group in warm.api.groups if not is_pending(group)] == ["ntp1"]
    cold = generate(changed, cache=None)
    assert report == reported(cold.api)
    assert warm.api == cold.api and len(warm.api.groups) > 1


def test_no_cache_reads_and_writes_no_memo(tmp_path, monkeypatch):
    """--no-cache (cache=None) builds and renders everything and keeps nothing."""
    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    cold = generate(NEBLIO, cache=None).files
    assert not (tmp_path / "cache" / "render").exists() and not (tmp_path / "cache" / "build").exists()
    generate(NEBLIO, cache=FormatCache.default())
    assert [p.suffix for p in (tmp_path / "cache" / "render").glob("*.pack")] == [".pack"]
    assert [p.suffix for p in (tmp_path / "cache" / "build").glob("*.pickle")] == [".pickle"]
    assert generate(NEBLIO, cache=FormatCache.default()).files == cold
