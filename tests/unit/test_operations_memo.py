"""The operations memo: a group is served from the last run when what it reads and the
builder's state before it are the same; everything else is built, and the result is always
the one a build without the memo gives."""

from __future__ import annotations

import copy
import marshal
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import ComponentMemo, OperationMemo, build_api
from generator.build.naming import NameAllocator
from generator.build.operations import OperationBuilder
from generator.cache import Fingerprints
from generator.config import Config
from generator.pipeline import build_model
from generator.spec import load
from generator.spec.lazy_entries import LazyEntries
from generator.spec.units import named_units, unit_digest
from tests.unit.test_build_memo import DAMAGES, damage


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _op(operation_id: str, tag: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": [tag],
        "responses": {"200": {"description": "ok", "content": _json(schema)}},
        **more,
    }


PET = {"$ref": "#/components/schemas/Pet"}  # adds nothing to the builder's state
THING = {"type": "object", "properties": {"id": {"type": "integer"}, "odd": {"not": {"type": "string"}}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Groups", "version": "1"},
    "paths": {
        "/a": {"get": _op("listA", "a", {"$ref": "#/components/schemas/Pet"})},
        "/b": {
            "get": _op("getThing", "b", THING, parameters=[{"$ref": "#/components/parameters/limit"}]),
        },
        "/c": {"get": _op("listC", "c", {"$ref": "#/x-shapes/Shape"})},
    },
    "components": {
        "schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
        "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
    },
    "x-shapes": {
        "Shape": {
            "oneOf": [{"$ref": "#/x-shapes/Square"}],
            "discriminator": {"propertyName": "kind", "mapping": {"square": "#/x-shapes/Square"}},
        },
        "Square": {"type": "object", "properties": {"kind": {"type": "string"}, "side": {"type": "number"}}},
    },
}


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The paths of the operations built (not served from the memo), in order."""
    paths: list[str] = []
    original = OperationBuilder._named_operation

    def counting(self, group, op, names):
        paths.append(op.path)
        return original(self, group, op, names)

    monkeypatch.setattr(OperationBuilder, "_named_operation", counting)
    return paths


def _build(spec: dict[str, Any], memo: OperationMemo | None = None, components: ComponentMemo | None = None):
    return build_api(copy.deepcopy(spec), memo=components, operations_memo=memo)


def _run(spec: dict[str, Any], tmp_path: Path, fingerprints: Fingerprints | None = None):
    memo = OperationMemo(tmp_path / "groups", "salt", fingerprints)
    result = _build(spec, memo)
    memo.save()
    return result


def _fresh(spec: dict[str, Any]):
    return _build(spec)


def test_a_second_build_serves_every_operation(built, tmp_path):
    first = _run(SPEC, tmp_path)
    assert built == ["/a", "/b", "/c"]
    again = _run(SPEC, tmp_path)
    assert built == ["/a", "/b", "/c"]
    assert again == first == _fresh(SPEC)
    assert any("`not`" in w.message for w in again[1])


def test_a_changed_operation_alone_is_built_when_it_adds_what_it_added_before(built, tmp_path):
    _run(SPEC, tmp_path)
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/a"]["get"]["summary"] = "Now with a summary"
    changed["paths"]["/a2"] = {"get": _op("listMoreA", "a", {"$ref": "#/components/schemas/Pet"})}
    built.clear()
    warm = _run(changed, tmp_path)
    assert built == ["/a", "/a2"]
    assert warm == _fresh(changed)


def test_an_operation_that_adds_something_new_changes_the_state_of_those_after_it(built, tmp_path):
    """A new operation in group a takes the name group b's inline model had: b's operation
    is built again, and its model is named as a build without the memo names it."""
    first, _ = _run(SPEC, tmp_path)
    assert "GetThingResponse" in {m.name for m in first.models}
    changed = copy.deepcopy(SPEC)
    enum_param = {"name": "thingResponse", "in": "query", "schema": {"type": "string", "enum": ["x", "y"]}}
    changed["paths"]["/a3"] = {"get": _op("get", "a", {"type": "string"}, parameters=[enum_param])}
    built.clear()
    warm, _ = _run(changed, tmp_path)
    assert built == ["/a3", "/b", "/c"]
    assert warm == _fresh(changed)[0]
    assert "GetThingResponseModel" in {m.name for m in warm.models}


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """The groups whose operations the memo was asked for one by one (not served whole)."""
    groups: list[str] = []
    original = OperationMemo.operation

    def counting(self, group, *args, **kwargs):
        if group not in groups:
            groups.append(group)
        return original(self, group, *args, **kwargs)

    monkeypatch.setattr(OperationMemo, "operation", counting)
    return groups


def test_an_unchanged_group_is_served_whole(built, asked, tmp_path):
    _run(SPEC, tmp_path)
    assert asked == ["a", "b", "c"]
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/b"]["get"]["summary"] = "Now with a summary"
    built.clear(), asked.clear()
    warm = _run(changed, tmp_path)
    assert built == ["/b"] and asked == ["b"]
    assert warm == _fresh(changed)
    asked.clear()
    assert _run(changed, tmp_path) == warm and asked == []


def test_a_changed_groups_new_records_are_kept_as_one_more_piece_until_too_many_are_unused(built, asked, tmp_path):
    spec = copy.deepcopy(SPEC)
    spec["paths"].update({f"/a{n}": {"get": _op(f"listA{n}", "a", PET)} for n in range(2, 5)})

    def pieces() -> int:
        memo = OperationMemo(tmp_path / "groups", "salt")
        _build(spec, memo)  # reads the entry, with the updates later runs appended to it
        return len(memo._chunks["a"])

    _run(spec, tmp_path)
    counts = [pieces()]
    for n in (2, 3, 4):  # one more operation of the four changes each time
        spec["paths"][f"/a{n}"]["get"]["summary"] = "changed"
        built.clear()
        warm = _run(spec, tmp_path)
        assert built == [f"/a{n}"] and warm == _fresh(spec)
        counts.append(pieces())
    assert counts == [1, 2, 3, 1]  # the third change left three of seven records unused
    asked.clear()
    assert _run(spec, tmp_path) == _fresh(spec) and asked == []


@pytest.mark.parametrize(
    "change, rebuilt, asked_for",
    [
        (lambda s: s["components"]["parameters"]["limit"].update(description="How many"), ["/b"], ["b"]),
        (lambda s: s["x-shapes"]["Square"]["properties"].update(colour={"type": "string"}), ["/c"], ["c"]),
        (lambda s: s["components"]["schemas"]["Pet"]["properties"].update(age={"type": "integer"}), ["/a", "/b", "/c"], ["a", "b", "c"]),
        (lambda s: s.update(security=[{"key": []}]), ["/a", "/b", "/c"], ["a", "b", "c"]),
        (lambda s: s["paths"].update({"/a2": {"get": _op("listA2", "a", PET)}}), ["/a2"], ["a"]),
        (lambda s: s["paths"]["/b"].update(post=_op("makeThing", "a", PET)), ["/b", "/b"], ["a", "b"]),
        (lambda s: s["paths"].pop("/a"), [], []),
    ],
    ids=[
        "a parameter it refers to",
        "a schema reached through a mapping",
        "a component schema",
        "security",
        "a new operation",
        "a path item two groups share",
        "a group gone",
    ],
)
def test_whatever_an_operation_reads_misses(built, asked, tmp_path, change, rebuilt, asked_for):
    """Those operations alone are built again; the groups they are in (or that changed
    places) are asked for operation by operation, the others served whole."""
    _run(SPEC, tmp_path)
    changed = copy.deepcopy(SPEC)
    change(changed)
    built.clear(), asked.clear()
    warm = _run(changed, tmp_path)
    assert built == rebuilt and asked == asked_for
    assert warm == _fresh(changed)


def test_a_mapping_alone_is_followed():
    """A discriminator's mapping may name a schema no $ref names: the key reaches it."""
    from generator.build.memo import NodeDigests

    spec = copy.deepcopy(SPEC)
    spec["x-shapes"]["Shape"]["oneOf"] = [{"type": "object"}]
    before = NodeDigests(spec).reached("/paths/~1c")
    spec["x-shapes"]["Square"]["properties"]["side"]["type"] = "integer"
    assert NodeDigests(spec).reached("/paths/~1c") != before


def test_a_reference_cycle_leaves_nothing_out_of_any_key():
    """/x/a and /x/b refer to each other: what /paths/~1b reaches holds /x/a too, even
    after /paths/~1a's walk met the cycle from the other side."""
    from generator.build.memo import NodeDigests

    def spec(value: str) -> dict[str, Any]:
        return {
            "paths": {"/a": {"$ref": "#/x/a"}, "/b": {"$ref": "#/x/b"}},
            "x": {"a": {"next": {"$ref": "#/x/b"}, "v": value}, "b": {"next": {"$ref": "#/x/a"}}},
        }

    def digests(value: str) -> list[bytes]:
        nodes = NodeDigests(spec(value))
        return [nodes.reached("/paths/~1a"), nodes.reached("/paths/~1b")]

    before, after = digests("one"), digests("two")
    assert before == digests("one") and all(b != a for b, a in zip(before, after))


def test_a_chain_of_references_longer_than_the_stack_is_walked_flat():
    from generator.build.memo import NodeDigests

    def spec(end: str) -> dict[str, Any]:
        chain = {str(i): {"$ref": f"#/x/{i + 1}"} for i in range(3000)}
        return {"x": {**chain, "3000": {"v": end}}}

    assert NodeDigests(spec("a")).reached("/x/0") != NodeDigests(spec("b")).reached("/x/0")


def test_served_groups_and_models_tell_the_fingerprints_what_a_built_one_would_be(tmp_path):
    cold = Fingerprints()
    first, _ = _run(SPEC, tmp_path, cold)
    warm = Fingerprints()
    again, _ = _run(SPEC, tmp_path, warm)
    for before, after in zip(first.groups, again.groups):
        assert before is not after and warm.of(after) == cold.of(before)
    inline = [m for m in again.models if not m.origin.startswith("/components/")]
    assert inline and all(warm.of(m) == Fingerprints().of(m) for m in inline)
    told: set[int] = set()

    class Told(Fingerprints):
        def know(self, obj: object, digest: bytes) -> None:
            told.add(id(obj))
            super().know(obj, digest)

    telling = Told()
    served, _ = _run(SPEC, tmp_path, telling)
    operations = [op for group in served.groups for op in group.operations]
    assert all(id(op) in told and telling.of(op) == Fingerprints().of(op) for op in operations)


def test_a_group_served_whole_comes_as_its_summary_and_loads_its_operations_when_read(built, tmp_path):
    from generator.model.deferred import is_pending

    spec = copy.deepcopy(SPEC)
    pages = [{"name": "page", "in": "query", "schema": {"type": "integer"}}, {"name": "per_page", "in": "query", "schema": {"type": "integer"}}]
    events = {"200": {"description": "events", "content": {"text/event-stream": {"schema": {"type": "string"}}}}}
    spec["paths"]["/d"] = {
        "post": _op("watchD", "d", PET, responses=events),
        "get": _op("listD", "d", {"type": "array", "items": PET}, parameters=pages),
    }
    _run(spec, tmp_path)
    built.clear()
    served, _ = _run(spec, tmp_path)
    assert built == [] and all(map(is_pending, served.groups))
    assert all(is_pending(g.summary.first_read) for g in served.groups if g.summary.first_read is not None)
    fresh, _ = _fresh(spec)
    assert [g.summary for g in served.groups] == [g.summary for g in fresh.groups]
    assert all(map(is_pending, served.groups))
    last = fresh.groups[-1].summary
    assert last.methods == ("list", "watch") and last.event_streams and last.first_read.name == "list"
    assert [paged[0] for paged in last.paginated] == ["list"] and last.models == ("Pet",)
    assert served.groups[-1].operations == fresh.groups[-1].operations
    assert not is_pending(served.groups[-1]) and served.groups[-1] == fresh.groups[-1]
    assert all(map(is_pending, served.groups[:-1]))


def test_a_run_that_changed_a_group_adds_it_to_the_entry_until_that_holds_mostly_old_groups(built, asked, tmp_path):
    entry = tmp_path / "groups"
    _run(SPEC, tmp_path)
    first = entry.read_bytes()
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/b"]["get"]["summary"] = "Now with a summary"
    _run(changed, tmp_path)
    added = entry.read_bytes()
    assert added.startswith(first) and len(added) > len(first)
    built.clear(), asked.clear()
    warm = _run(changed, tmp_path)
    assert built == asked == [] and warm == _fresh(changed)
    gone = copy.deepcopy(changed)
    del gone["paths"]["/a"]
    _run(gone, tmp_path)
    built.clear()
    warm = _run(changed, tmp_path)
    assert built == ["/a"] and warm == _fresh(changed)  # the memo no longer had it
    for security in ([{"key": []}], [{"other": []}]):  # every group changes, twice
        changed["security"] = security
        _run(changed, tmp_path)
    (tmp_path / "alone").mkdir()
    _run(changed, tmp_path / "alone")
    assert entry.stat().st_size == (tmp_path / "alone" / "groups").stat().st_size  # written anew
    built.clear(), asked.clear()
    warm = _run(changed, tmp_path)
    assert built == asked == [] and warm == _fresh(changed)


def test_an_addition_cut_short_costs_only_the_build_of_what_it_held(built, tmp_path):
    entry = tmp_path / "groups"
    _run(SPEC, tmp_path)
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/b"]["get"]["summary"] = "Now with a summary"
    before = entry.stat().st_size
    _run(changed, tmp_path)
    with entry.open("r+b") as handle:
        handle.truncate((before + entry.stat().st_size) // 2)
    built.clear()
    warm = _run(changed, tmp_path)
    assert built == ["/b"] and warm == _fresh(changed)
    built.clear()
    assert _run(changed, tmp_path) == warm and built == []


def test_what_a_path_item_reaches_is_worked_out_again_only_when_what_it_read_changed(tmp_path, monkeypatch):
    from generator.build.memo import NodeDigests

    asked: list[str] = []
    original = NodeDigests.reached

    def reached(self, pointer, *args):
        asked.append(pointer)
        return original(self, pointer, *args)

    _run(SPEC, tmp_path)
    monkeypatch.setattr(NodeDigests, "reached", reached)
    grown = copy.deepcopy(SPEC)
    grown["paths"]["/a2"] = {"get": _op("listA2", "a", PET)}
    assert _run(grown, tmp_path) == _fresh(grown)
    assert [pointer for pointer in asked if pointer.startswith("/paths")] == ["/paths/~1a2"]
    asked.clear()
    changed = copy.deepcopy(grown)
    changed["components"]["parameters"]["limit"]["description"] = "Read by /b alone"
    assert _run(changed, tmp_path) == _fresh(changed)
    assert [pointer for pointer in asked if pointer.startswith("/paths")] == ["/paths/~1b"]


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_entry_costs_only_the_build(built, tmp_path, how):
    first = _run(SPEC, tmp_path)
    damage(tmp_path / "groups", how)
    built.clear()
    assert _run(SPEC, tmp_path) == first
    assert built == ["/a", "/b", "/c"]


def test_a_damaged_groups_records_cost_only_that_groups_build(built, tmp_path):
    from generator.cache import read_pickled_updates, write_pickled

    memo = OperationMemo(tmp_path / "groups", "salt")
    first = _build(SPEC, memo)
    memo.save()
    (records, heads, collected), = read_pickled_updates(tmp_path / "groups", memo._start)[0]
    assert isinstance(records, dict) and len(records) == 3 and heads.keys() == records.keys()
    first_key = next(iter(records))
    records[first_key] = tuple(piece[: len(piece) // 2] for piece in records[first_key])
    write_pickled(tmp_path / "groups", memo._start, (records, heads, collected), 16)
    built.clear()
    assert _run(SPEC, tmp_path) == first
    assert built == ["/a"]


def test_other_building_code_misses(built, tmp_path):
    _run(SPEC, tmp_path)
    built.clear()
    memo = OperationMemo(tmp_path / "groups", "other code")
    _build(SPEC, memo)
    assert built == ["/a", "/b", "/c"]


def test_warnings_of_a_served_operation_point_at_todays_lines(built, tmp_path):
    spec_file = tmp_path / "spec" / "groups.yaml"
    spec_file.parent.mkdir()
    spec_file.write_text(yaml.safe_dump(SPEC, sort_keys=False))
    memo = OperationMemo(tmp_path / "groups", "salt")
    build_model(load(spec_file), Config(), None, memo)
    memo.save()
    moved = copy.deepcopy(SPEC)
    moved["info"]["description"] = "Three\nlines\nmore"
    moved["paths"] = {"/0": {"get": _op("zero", "z", {"type": "string"})}, **SPEC["paths"]}
    spec_file.write_text(yaml.safe_dump(moved, sort_keys=False))
    built.clear()
    _, warm = build_model(load(spec_file), Config(), None, OperationMemo(tmp_path / "groups", "salt"))
    assert built == ["/0"]
    _, cold = build_model(load(spec_file), Config())
    assert [(w.message, w.line) for w in warm] == [(w.message, w.line) for w in cold]
    assert any("`not`" in w.message and w.line for w in warm)


def test_with_the_component_memo_too(built, tmp_path):
    def run(spec):
        components = ComponentMemo(tmp_path / "components", "salt")
        memo = OperationMemo(tmp_path / "groups", "salt")
        result = _build(spec, memo, components)
        components.save()
        memo.save()
        return result

    run(SPEC)
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/c"]["get"]["deprecated"] = True
    built.clear()
    warm = run(changed)
    assert built == ["/c"]
    assert warm == _fresh(changed)


def test_method_names_taken_earlier_in_the_group_decide_a_served_operations_name(built, tmp_path):
    """Two operations of a group want the name `list`; the first takes it. When an operation
    that wants it is added before them, both are built again, under their new names."""
    spec = copy.deepcopy(SPEC)
    spec["paths"] = {
        "/x": {"get": _op("list", "things", {"type": "string"})},
        "/y": {"get": _op("list2", "things", {"type": "string"}, **{"x-codegen-name": "list"})},
    }
    first, _ = _run(spec, tmp_path)
    assert [op.name for op in first.groups[0].operations] == ["list", "list_2"]
    changed = copy.deepcopy(spec)
    changed["paths"] = {"/w": {"get": _op("listW", "things", {"type": "string"}, **{"x-codegen-name": "list"})}}
    changed["paths"].update(spec["paths"])
    built.clear()
    warm, _ = _run(changed, tmp_path)
    assert built == ["/w", "/x", "/y"]  # /x and /y: the names taken before them changed
    assert warm == _fresh(changed)[0]
    assert [op.name for op in warm.groups[0].operations] == ["list", "list_2", "list_3"]


def test_an_allocator_gives_back_what_it_took_after_a_point():
    names = NameAllocator({"reserved"}, fold_case=True)
    names.claim("Early")
    point = names.count()
    taken = [names.claim("Pet"), names.claim("pet"), names.claim("Owner")]
    assert names.taken_since(point) == ("pet", "pet_2", "owner") and taken == ["Pet", "pet_2", "Owner"]
    other = NameAllocator({"reserved"}, fold_case=True)
    other.claim("Early")
    other.take(names.taken_since(point))
    assert other.claim("Pet") == names.claim("Pet") == "Pet2"


def _run_counting_reads(spec: dict[str, Any], tmp_path: Path) -> tuple[Any, list[str]]:
    """A run given the units' digests as the loader finds them, its path items read lazily
    (lazy_entries.py): what it built, and which path items it read."""
    root = copy.deepcopy(spec)
    items = LazyEntries.of(root["paths"], [marshal.dumps(item) for item in root["paths"].values()])
    root["paths"] = items
    digests = {pointer: unit_digest(value) for pointer, value in named_units(spec)}
    memo = OperationMemo(tmp_path / "groups", "salt")
    result = build_api(root, operations_memo=memo, unit_digests=digests)
    memo.save()
    unread = {path for path, _ in items.unread()}
    return result, [path for path in items if path not in unread]


def test_the_operations_of_path_items_known_unchanged_are_collected_without_reading_them(tmp_path):
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/d"] = {"$ref": "#/x-items/d"}  # through a $ref: read every time
    spec["x-items"] = {"d": {"get": _op("getD", "d", PET)}}
    assert _run_counting_reads(spec, tmp_path) == (_fresh(spec), ["/a", "/b", "/c", "/d"])
    assert _run_counting_reads(spec, tmp_path) == (_fresh(spec), ["/d"])
    spec["paths"]["/b"]["get"]["tags"] = ["a"]  # another group
    spec["paths"]["/e"] = {"post": _op("makeE", "a", PET), "get": _op("getE", "e", PET)}
    assert _run_counting_reads(spec, tmp_path) == (_fresh(spec), ["/b", "/d", "/e"])
    spec["paths"]["/c"]["get"]["summary"] = "changed"  # the same method and group
    assert _run_counting_reads(spec, tmp_path) == (_fresh(spec), ["/c", "/d"])
    del spec["paths"]["/a"]  # group a's other operations are built again: their names may change
    assert _run_counting_reads(spec, tmp_path) == (_fresh(spec), ["/b", "/d", "/e"])
