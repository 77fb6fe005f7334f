"""Validation findings: cached by content, computed beside the build, never stale."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
import yaml

from generator.spec import load, validate
from generator.spec import checking
from generator.forked import Forked
from generator.spec.checking import PendingValidation, early_validation, findings_key
from generator.spec.parse_memo import ParseMemo

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
    monkeypatch.setattr(checking, "can_fork", lambda: False)
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


# --- per-unit findings: a changed document revalidates only what its change reaches ---------

UNITS_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {$ref: '#/components/schemas/Limit'}}
      responses:
        '200': {description: ok}
  /owners:
    get:
      operationId: %s
      parameters:
        - {name: page, in: query, schema: {type: integer, default: %s}}
      responses:
        '200': {description: ok}
components:
  schemas:
    Limit: {type: integer, default: %s}
    Pet: {type: object, required: [name], properties: {id: {type: integer}}, allOf: [{type: object}]}
"""


def units_doc(tmp_path: Path, owners_id: str = "listOwners", page: str = "1", limit: str = "10") -> object:
    path = tmp_path / "units.yaml"
    path.write_text(UNITS_SPEC % (owners_id, page, limit))
    return load(path)


def by_unit(doc: object, known: dict | None = None) -> tuple[list, dict]:
    from generator.spec.strict import findings_by_unit

    return findings_by_unit(doc, known if known is not None else {}, salt="test")  # type: ignore[arg-type]


def test_each_path_item_and_schema_has_findings_of_its_own(tmp_path: Path) -> None:
    found, units = by_unit(units_doc(tmp_path, page='"one"'))
    assert len(units) == 4  # two path items, two schemas
    assert sorted(f for unit in units.values() for f in unit) == found
    assert [pointer for pointer, _ in found] == [
        "/components/schemas/Pet",  # required names a property nobody defines
        "/paths/~1owners/get/parameters/0/schema/default",
    ]


CYCLE_SPEC = """\
openapi: 3.0.3
info: {title: Tree, version: "1"}
paths: {}
components:
  schemas:
    Node: {type: object, properties: {leaf: {$ref: '#/components/schemas/Leaf'}, size: {type: integer, default: big}}}
    Leaf: {type: object, properties: {parent: {$ref: '#/components/schemas/Node'}}}
"""


def test_units_in_one_reference_cycle_keep_findings_of_their_own(tmp_path: Path) -> None:
    # Node and Leaf reach each other, so their closures are the same set of units; their
    # findings are not the same, and a cached run must still tell them apart.
    path = tmp_path / "cycle.yaml"
    path.write_text(CYCLE_SPEC)
    found, known = by_unit(load(path))
    assert len(known) == 2 and any("default" in message for _, message in found)
    assert by_unit(load(path), known) == (found, known)


def test_without_a_cache_to_fill_units_are_not_keyed(tmp_path: Path) -> None:
    from generator.spec.strict import findings_by_unit

    doc = units_doc(tmp_path, page='"one"')
    found, units = findings_by_unit(doc)  # type: ignore[arg-type]
    assert units == {} and found == by_unit(doc)[0]


def test_a_change_reaches_only_the_units_that_include_or_reference_it(tmp_path: Path) -> None:
    _, before = by_unit(units_doc(tmp_path))
    _, page_changed = by_unit(units_doc(tmp_path, page="2"))
    assert len(set(page_changed) - set(before)) == 1  # /owners only
    _, limit_changed = by_unit(units_doc(tmp_path, limit="20"))
    assert len(set(limit_changed) - set(before)) == 2  # Limit, and /pets, which uses it


def test_known_units_are_answered_without_validating_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.spec import strict

    _, known = by_unit(units_doc(tmp_path))
    planted = {key: [("/planted", f"from the cache {i}")] for i, key in enumerate(known)}
    checked: list[object] = []
    original = strict._collect
    monkeypatch.setattr(strict, "_collect", lambda root, check: checked.append(check) or original(root, check))
    found, _ = by_unit(units_doc(tmp_path, page="2"), planted)
    assert len([f for f in found if f[0] == "/planted"]) == 3  # all but /owners came from `known`
    assert len(checked) == 1 + 1  # the whole-document check, and /owners


def test_a_warm_result_equals_a_cold_one(tmp_path: Path) -> None:
    _, known = by_unit(units_doc(tmp_path))
    changed = units_doc(tmp_path, page='"two"', limit='"ten"')
    assert by_unit(changed, known) == by_unit(changed)


def test_duplicate_operation_ids_across_units_are_found_even_from_the_cache(tmp_path: Path) -> None:
    _, known = by_unit(units_doc(tmp_path))
    found, _ = by_unit(units_doc(tmp_path, owners_id="listPets"), known)
    assert found == [
        ("/components/schemas/Pet", "Required list has not defined properties: ['name']"),
        ("/paths/~1owners/get", "Operation ID 'listPets' for 'get' in '/owners' is not unique"),
    ]


def test_operation_ids_are_duplicates_as_the_library_compares_them() -> None:
    from functools import partial

    from generator.spec.strict import _duplicate_operation_ids, _operation_ids

    ids = ["a", {"x": 1}, "a", {"x": 1}, 1, True, 1.0, None, None, [1], [1], "b"]
    root = {"paths": {f"/p{i}": {"get": {"operationId": value}} for i, value in enumerate(ids)}}
    found = [pointer for pointer, _ in _duplicate_operation_ids(root, partial(_operation_ids, root, ["get"], False, {}, None))]
    assert found == [f"/paths/~1p{i}/get" for i in (2, 3, 5, 6, 10)]  # True == 1 == 1.0, as in a list


def test_a_crash_in_one_unit_leaves_the_others_validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openapi_spec_validator.validation.keywords as keywords

    original = keywords.PathValidator.__call__

    def explode_on_pets(self: object, url: str, path_item: object) -> object:
        if url == "/pets":
            raise RuntimeError("unexpected structure")
        return original(self, url, path_item)  # type: ignore[arg-type]

    monkeypatch.setattr(keywords.PathValidator, "__call__", explode_on_pets)
    found, _ = by_unit(units_doc(tmp_path, page='"one"'))
    assert ("/paths/~1pets", "strict validation stopped early: unexpected structure") in found
    assert any(pointer.startswith("/paths/~1owners") for pointer, _ in found)


def test_a_changed_document_reuses_the_latest_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.spec import strict

    cache = tmp_path / "cache"
    first = PendingValidation(units_doc(tmp_path), cache, background=False).result()
    checked: list[object] = []
    original = strict._collect
    monkeypatch.setattr(strict, "_collect", lambda root, check: checked.append(check) or original(root, check))
    changed = units_doc(tmp_path, page='"two"')
    found = PendingValidation(changed, cache, background=False).result()
    assert len(checked) == 2  # the whole-document check, and /owners
    assert [d.pointer for d in found] == [d.pointer for d in first] + ["/paths/~1owners/get/parameters/0/schema/default"]
    assert found == validate(changed)


@pytest.mark.parametrize("damage", [None, b"", b"garbage", "another salt", "another shape", "checks of another shape"])
def test_a_changed_documents_closures_come_from_the_last_ones_kept_or_anew(tmp_path: Path, damage: object) -> None:
    """The units' closure digests are kept per document path and worked out from the last
    ones; damaged or of other code, they are worked out anew: the findings are the same."""
    import marshal

    cache = tmp_path / "cache"
    PendingValidation(units_doc(tmp_path), cache, background=False).result()
    (kept,) = cache.glob("*.closures")
    if isinstance(damage, bytes):
        kept.write_bytes(damage)
    elif damage == "another shape":
        salt, state, valid = marshal.loads(kept.read_bytes())
        kept.write_bytes(marshal.dumps((salt, {pointer: 0 for pointer in state}, valid)))
    elif damage == "checks of another shape":
        salt, state, (version, valid, operation_ids) = marshal.loads(kept.read_bytes())
        kept.write_bytes(marshal.dumps((salt, state, (version, valid, {key: 1 for key in operation_ids}))))
    elif damage is not None:
        kept.write_bytes(marshal.dumps((damage, *marshal.loads(kept.read_bytes())[1:])))
    changed = units_doc(tmp_path, page='"two"')
    entries = {path.name for path in cache.glob("*.json")}
    assert PendingValidation(changed, cache, background=False).result() == validate(changed)
    (new,) = {path.name for path in cache.glob("*.json")} - entries
    fresh = tmp_path / "fresh"
    PendingValidation(changed, fresh, background=False).result()
    assert json.loads((cache / new).read_text()) == json.loads((fresh / new).read_text())


def test_the_cache_keeps_the_most_recently_used_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checking, "KEPT_ENTRIES", 3)
    cache = tmp_path / "cache"
    versions = [load(write(tmp_path, str(n), f"v{n}.yaml")) for n in range(5)]
    for doc in versions[:3]:
        PendingValidation(doc, cache, background=False).result()
    oldest = cache / f"{findings_key(versions[0])}.json"
    os.utime(oldest, ns=(1, 1))
    PendingValidation(versions[0], cache, background=False).result()  # a hit: now the most recent
    for doc in versions[3:]:
        PendingValidation(doc, cache, background=False).result()
    kept = {path.name for path in cache.glob("*.json")}
    assert kept == {f"{findings_key(doc)}.json" for doc in (versions[0], versions[3], versions[4])}


# --- started early: the child loads the document itself, from its parse memo ---------------


def json_spec(tmp_path: Path, default: str) -> tuple[Path, ParseMemo]:
    """A JSON spec and its parse memo, kept by a first load."""
    path = tmp_path / "api.json"
    path.write_text(json.dumps(yaml.safe_load(SPEC % default), indent=2))
    memo = ParseMemo(tmp_path / "spec.parsed", "test")
    load(path, memo)
    return path, memo


def finished(child: Forked) -> Forked:
    while not child.done():
        time.sleep(0.01)
    return child


def test_no_early_start_without_a_kept_parse(tmp_path: Path) -> None:
    path = write(tmp_path, '"ten"')
    assert early_validation(path, ParseMemo(tmp_path / "none.parsed"), tmp_path / "cache") is None
    assert early_validation(path, None, tmp_path / "cache") is None


def test_an_early_answer_is_used_when_it_is_of_the_same_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, memo = json_spec(tmp_path, '"ten"')
    started = early_validation(path, memo, tmp_path / "cache")
    assert started is not None
    expected = validate(load(path))
    monkeypatch.setattr(checking, "_findings", lambda *args: pytest.fail("validated in the parent"))
    found = PendingValidation(load(path, memo), tmp_path / "cache", started=started).result()
    assert found == expected and len(found) == 1


def test_the_child_keeps_its_findings_in_the_cache_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent is done sooner when it need not write the entry."""
    path, memo = json_spec(tmp_path, '"ten"')
    started = early_validation(path, memo, tmp_path / "cache")
    monkeypatch.setattr(checking, "write_entry", lambda *args: pytest.fail("written in the parent"))
    doc = load(path, memo)
    found = PendingValidation(doc, tmp_path / "cache", started=started).result()
    monkeypatch.setattr(checking, "_findings", lambda *args: pytest.fail("not kept"))
    assert PendingValidation(doc, tmp_path / "cache").result() == found and len(found) == 1


def test_an_early_answer_of_another_text_is_not_used(tmp_path: Path) -> None:
    path, memo = json_spec(tmp_path, '"ten"')
    started = finished(early_validation(path, memo, tmp_path / "cache"))  # type: ignore[arg-type]
    path.write_text(json.dumps(yaml.safe_load(SPEC % "10"), indent=2))  # fixed while the child ran
    doc = load(path, memo)
    assert PendingValidation(doc, tmp_path / "cache", started=started).result() == []
    assert PendingValidation(doc, tmp_path / "cache").result() == []  # and the cache has the right answer


def test_an_early_child_reads_the_memo_without_rewriting_it(tmp_path: Path) -> None:
    path, memo = json_spec(tmp_path, '"ten"')
    kept = (tmp_path / "spec.parsed").read_bytes()
    changed = yaml.safe_load(SPEC % '"eleven"')
    changed["info"]["description"] = "long " * 200  # a change a keeping memo would keep anew
    path.write_text(json.dumps(changed, indent=2))
    finished(early_validation(path, memo, tmp_path / "cache")).result()  # type: ignore[arg-type]
    assert (tmp_path / "spec.parsed").read_bytes() == kept


@pytest.mark.parametrize("edited", [False, True])
def test_an_early_answer_of_the_same_bytes_spares_the_parent_their_hash(tmp_path: Path, edited: bool) -> None:
    """Parent and child read the file through the same kept parse: its identity of the bytes
    (the kept entry and what differs from it) tells them the same, with no sha256 of it all."""
    path, memo = json_spec(tmp_path, "10")
    if edited:
        path.write_text(json.dumps(yaml.safe_load(SPEC % "11"), indent=2))
    started = early_validation(path, memo, tmp_path / "cache")
    doc = load(path, memo)
    assert PendingValidation(doc, tmp_path / "cache", started=started).result() == validate(load(path)) == []
    assert doc.root_source.digest == ""  # never worked out in the parent (a finding's line would need it)
    assert doc.root_source.content_digest() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_early_answer_read_through_another_parse_is_taken_by_its_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, memo = json_spec(tmp_path, '"ten"')
    started = early_validation(path, memo, tmp_path / "cache")
    monkeypatch.setattr(checking, "_findings", lambda *args: pytest.fail("validated in the parent"))
    doc = load(path)  # no kept parse here: no identity but the digest
    assert PendingValidation(doc, tmp_path / "cache", started=started).result() == validate(load(path))


def test_the_child_answers_from_the_cache_before_importing_what_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, memo = json_spec(tmp_path, '"ten"')
    first = PendingValidation(load(path, memo), tmp_path / "cache", started=early_validation(path, memo, tmp_path / "cache")).result()
    monkeypatch.setattr(checking, "_findings_with_texts", lambda *args: pytest.fail("validated again"))
    monkeypatch.setattr(checking.gc, "disable", lambda: None)  # what a child does, not this process
    answer = checking._findings_of_file(path, memo.read_only(), tmp_path / "cache", checking._code_version())
    assert [(pointer, message) for pointer, message in answer[2]] == [(d.pointer, d.message) for d in first]


def test_the_child_tells_its_text_by_the_units_digests_without_hashing_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, memo = json_spec(tmp_path, '"ten"')
    path.write_text(json.dumps(yaml.safe_load(SPEC % '"eleven"'), indent=2))
    monkeypatch.setattr(checking.gc, "disable", lambda: None)  # what a child does, not this process
    monkeypatch.setattr("generator.spec.loader.file_digest", lambda data: pytest.fail("hashed the file"))
    identities, texts, found = checking._findings_of_file(path, memo.read_only(), tmp_path / "cache", "salt")
    monkeypatch.undo()
    doc = load(path)  # read whole, without the memo: its texts are told by its value all the same
    assert checking._same_texts(texts, doc)
    assert found == [(d.pointer, d.message) for d in validate(doc)]
    assert not checking._same_texts(texts, load(write(tmp_path, '"ten"', "other.yaml")))
