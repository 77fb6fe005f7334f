"""Validation findings: cached by content, computed beside the build, never stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.spec import load, validate
from generator.spec import checking
from generator.spec.checking import PendingValidation, findings_key

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: %s}}
      responses:
        '200': {description: ok}
"""


def write(tmp_path: Path, default: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(SPEC % default)
    return path


@pytest.mark.parametrize("background", [True, False])
def test_findings_equal_a_direct_validation(tmp_path: Path, background: bool) -> None:
    doc = load(write(tmp_path, '"ten"'))
    pending = PendingValidation(doc, tmp_path / "cache", background=background)
    found = pending.result()
    assert found == validate(doc)
    assert len(found) == 1 and found[0].pointer.endswith("/schema/default") and found[0].line == 8


def test_a_second_run_reads_the_cache_without_validating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = load(write(tmp_path, '"ten"'))
    first = PendingValidation(doc, tmp_path / "cache").result()

    def refuse(doc: object) -> None:
        raise AssertionError("validated again despite a cached result")

    monkeypatch.setattr(checking, "_findings", refuse)
    monkeypatch.setattr(checking, "_can_fork", lambda: False)
    assert PendingValidation(load(tmp_path / "api.yaml"), tmp_path / "cache").result() == first


def test_a_changed_document_is_validated_afresh(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bad = load(write(tmp_path, '"ten"'))
    assert len(PendingValidation(bad, cache).result()) == 1
    good = load(write(tmp_path, "10"))
    assert findings_key(good) != findings_key(bad)
    assert PendingValidation(good, cache).result() == []


def test_a_change_in_a_referenced_file_changes_the_key(tmp_path: Path) -> None:
    (tmp_path / "limit.yaml").write_text("type: integer\ndefault: 10\n")
    spec = tmp_path / "api.yaml"
    spec.write_text((SPEC % "1").replace("{type: integer, default: 1}", "{$ref: 'limit.yaml'}"))
    before = findings_key(load(spec))
    (tmp_path / "limit.yaml").write_text("type: integer\ndefault: ten\n")
    after = load(spec)
    assert findings_key(after) != before
    assert len(PendingValidation(after, tmp_path / "cache").result()) == 1


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path) -> None:
    doc = load(write(tmp_path, '"ten"'))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"{findings_key(doc)}.json").write_text(json.dumps({"not": "findings"}))
    assert PendingValidation(doc, cache).result() == validate(doc)


def test_no_cache_directory_means_no_cache(tmp_path: Path) -> None:
    doc = load(write(tmp_path, '"ten"'))
    assert PendingValidation(doc, None).result() == validate(doc)
    assert not (tmp_path / "cache").exists()


def test_a_child_that_dies_is_replaced_by_validating_here(tmp_path: Path) -> None:
    doc = load(write(tmp_path, '"ten"'))
    pending = PendingValidation(doc, None)
    pending.cancel()  # as if the child had been killed
    assert pending.result() == validate(doc)
