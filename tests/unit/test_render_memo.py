"""The render memo: a regeneration renders only the files whose inputs changed, and a
changed input, template or codegen never gets an old text."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.render.plan as plan
from generator.cache import Fingerprints
from generator.config import Config
from generator.model import Api, ModelRef, names_in
from generator.pipeline import build_model
from generator.render import RenderMemo, render
from generator.render.memo import code_version
from generator.spec import load
from tests.conftest import ROOT, counted_calls

SOURCE = "workbench.yaml"


@pytest.fixture(scope="module")
def api() -> Api:
    built, _ = build_model(load(ROOT / "specs" / SOURCE), Config())
    return built


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates rendered for a file of one model, enum or group, as they are rendered."""
    seen: list[str] = []
    original = plan._render_alone

    def counting(env, template, values, inputs):
        seen.append(template)
        return original(env, template, values, inputs)

    group_file = plan.GroupPieces.make

    def counting_groups(self, pieces):
        seen.append("package/resources/group.py.jinja")
        return group_file(self, pieces)

    monkeypatch.setattr(plan, "_render_alone", counting)
    monkeypatch.setattr(plan.GroupPieces, "make", counting_groups)
    return seen


def _run(api: Api, pack: Path, salt: str = "salt") -> dict[str, str]:
    memo = RenderMemo(pack, salt)
    files = render(api, SOURCE, memo=memo)
    memo.save()
    return files


def _memoized(api: Api) -> int:
    return sum(1 for planned in plan.file_plan(api, SOURCE, plan.RenderOptions()) if planned.inputs is not None)


def test_a_second_run_renders_no_file_of_a_model_enum_or_group(api, renders, tmp_path):
    pack = tmp_path / "p.pack"
    first = _run(api, pack)
    assert len(renders) == _memoized(api) > 10
    renders.clear()
    assert _run(api, pack) == first
    assert renders == []
    assert first == render(api, SOURCE)


def test_a_changed_model_renders_its_file_alone(api, renders, tmp_path):
    pack = tmp_path / "p.pack"
    _run(api, pack)
    renders.clear()
    changed = dataclasses.replace(api.models[0], description="A description no run has seen.")
    edited = dataclasses.replace(api, models=(changed, *api.models[1:]))
    files = _run(edited, pack)
    assert renders == ["package/models/model.py.jinja"]
    assert files == render(edited, SOURCE)
    assert "A description no run has seen." in files[f"{api.package}/models/{changed.module}.py"]


def test_a_referenced_model_moving_to_another_module_renders_the_files_that_import_it(api, renders, tmp_path):
    referenced = {name for model in api.models for name in names_in(plan._model_types(model), (ModelRef,))}
    target = next(model for model in api.models if model.name in referenced)
    moved = dataclasses.replace(target, module=target.module + "_moved")
    edited = dataclasses.replace(api, models=tuple(moved if m is target else m for m in api.models))
    pack = tmp_path / "p.pack"
    _run(api, pack)
    renders.clear()
    files = _run(edited, pack)
    assert files == render(edited, SOURCE)
    assert len(renders) >= 2  # the moved model's file and at least one that imports it
    assert any(f".{moved.module} import {target.name}" in text for text in files.values())


@pytest.fixture
def planned_models(monkeypatch) -> list[int]:
    """Counts the plans of the files of models and enums."""
    import generator.render as rendering

    return counted_calls(monkeypatch, rendering, "model_side")


def _side_planned(counted: list[int], api: Api, pack: Path) -> tuple[dict[str, str], bool]:
    """The files of a run, and whether it planned the files of models and enums."""
    before = len(counted)
    files = _run(api, pack)
    return files, len(counted) > before


def test_unchanged_models_and_enums_are_given_out_as_a_whole_without_a_plan(api, planned_models, tmp_path):
    pack = tmp_path / "p.pack"
    first, planned = _side_planned(planned_models, api, pack)
    assert planned
    group = api.groups[0]
    edited = dataclasses.replace(api, groups=(dataclasses.replace(group, description="Changed."), *api.groups[1:]))
    again, planned = _side_planned(planned_models, edited, pack)
    assert not planned and again == render(edited, SOURCE) != first
    assert [path for path in again if path.startswith(f"{api.package}/models/")] == [
        path for path in first if path.startswith(f"{api.package}/models/")
    ]


def test_an_enum_an_operation_starts_to_use_leaves_its_models_module(tmp_path, planned_models):
    """`kind` is Pet's inline enum, in Pet's module, until an operation's parameter uses it."""
    import copy

    from generator.build import build_api

    pet = {"type": "object", "properties": {"kind": {"type": "string", "enum": ["cat", "dog"]}}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {"/pets": {"get": {"operationId": "listPets", "responses": ok}}},
        "components": {"schemas": {"Pet": pet}},
    }
    used = copy.deepcopy(spec)
    param = {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Pet/properties/kind"}}
    used["paths"]["/pets"]["get"]["parameters"] = [param]
    pack = tmp_path / "p.pack"
    before, _ = _side_planned(planned_models, build_api(spec)[0], pack)
    after_api = build_api(used)[0]
    after, planned = _side_planned(planned_models, after_api, pack)
    assert planned and after == render(after_api, SOURCE)
    assert set(after) - set(before) == {"pets/models/pet_kind.py"}


def test_a_list_of_model_files_whose_texts_are_gone_plans_them_again(api, planned_models, tmp_path):
    pack = tmp_path / "p.pack"
    first = _run(api, pack)
    memo = RenderMemo(pack, "salt")
    model_file_key = memo.key(next(p for p in plan.file_plan(api, SOURCE, plan.RenderOptions()) if p.part).inputs)
    del memo._old[model_file_key]
    planned_models.clear()
    assert render(api, SOURCE, memo=memo) == first and planned_models == [1]


@pytest.fixture
def pieces_rendered(monkeypatch) -> list[str]:
    """The operations whose pieces of a group's file are rendered (see plan.GroupPieces)."""
    names: list[str] = []
    original = plan.GroupPieces.render

    def counting(self, operations):
        names.extend(op.name for op in operations)
        return original(self, operations)

    monkeypatch.setattr(plan.GroupPieces, "render", counting)
    return names


def _with_group(api: Api, index: int, **changes) -> Api:
    groups = list(api.groups)
    groups[index] = dataclasses.replace(groups[index], **changes)
    return dataclasses.replace(api, groups=tuple(groups))


def test_a_group_that_gains_an_operation_renders_that_operations_piece_alone(api, pieces_rendered, tmp_path):
    pack = tmp_path / "p.pack"
    index, group = max(enumerate(api.groups), key=lambda item: len(item[1].operations))
    _run(api, pack)
    assert len(pieces_rendered) == sum(len(g.operations) for g in api.groups)
    _run(api, pack)  # the group's file is kept whole; its pieces are kept too, for later
    pieces_rendered.clear()
    added = dataclasses.replace(group.operations[0], name="added_again", summary="Added.")
    gained = _with_group(api, index, operations=(*group.operations, added))
    files = _run(gained, pack)
    assert pieces_rendered == ["added_again"]
    assert files == render(gained, SOURCE)
    pieces_rendered.clear()
    changed = dataclasses.replace(group.operations[-1], summary="Changed.")
    edited = _with_group(api, index, operations=(*group.operations[:-1], changed))
    files = _run(edited, pack)
    assert pieces_rendered == [changed.name]
    assert files == render(edited, SOURCE)


def test_a_groups_new_name_renders_every_piece_of_it_again(api, pieces_rendered, tmp_path):
    """An operation's piece names its group (`Endpoint("group.method", ...)`)."""
    pack = tmp_path / "p.pack"
    _run(api, pack)
    pieces_rendered.clear()
    renamed = _with_group(api, 0, name=api.groups[0].name + "_renamed")
    files = _run(renamed, pack)
    assert pieces_rendered == [op.name for op in api.groups[0].operations]
    assert files == render(renamed, SOURCE)


def test_other_code_or_templates_miss_every_entry(api, renders, tmp_path):
    pack = tmp_path / "p.pack"
    _run(api, pack, salt="one version of codegen")
    renders.clear()
    _run(api, pack, salt="another")
    assert len(renders) == _memoized(api)


def test_the_code_version_changes_with_any_template_or_rendering_code(tmp_path, monkeypatch):
    import generator.render.memo as memo

    templates, code = tmp_path / "templates", tmp_path / "render"
    (templates / "package").mkdir(parents=True)
    code.mkdir()
    template, module = templates / "package" / "model.py.jinja", code / "plan.py"
    template.write_text("{{ model.name }}")
    module.write_text("X = 1")
    monkeypatch.setattr(memo, "TEMPLATES_DIR", templates)
    monkeypatch.setattr(memo, "_CODE", (code,))
    versions = [code_version()]
    template.write_text("{{ model.name }}!")
    versions.append(code_version())
    module.write_text("X = 2")
    versions.append(code_version())
    assert len(set(versions)) == 3 and code_version() == versions[-1]


def _described(api: Api, description: str) -> Api:
    return dataclasses.replace(api, models=tuple(dataclasses.replace(m, description=description) for m in api.models))


def test_the_pack_grows_by_a_runs_new_entries_and_is_written_anew_when_mostly_stale(api, tmp_path):
    pack = tmp_path / "p.pack"
    _run(api, pack)
    full, data = pack.stat(), pack.read_bytes()
    _run(api, pack)
    assert pack.stat().st_ino == full.st_ino and pack.read_bytes() == data  # nothing new: not written
    one = dataclasses.replace(api, models=(_described(api, "Changed.").models[0], *api.models[1:]))
    assert _run(one, pack) == render(one, SOURCE)
    grown = pack.read_bytes()
    assert pack.stat().st_ino == full.st_ino and grown.startswith(data) and len(grown) - len(data) < len(data) // 4
    rewritten = False
    for edition in range(12):  # every model changes, every time: the stale entries pile up
        before = pack.read_bytes()
        edited = _described(api, f"Edition {edition}.")
        assert _run(edited, pack) == render(edited, SOURCE)
        assert pack.stat().st_size <= 2 * full.st_size * 1.05  # never much more than twice what a run uses
        rewritten = rewritten or not pack.read_bytes().startswith(before)
    assert rewritten  # written anew at least once, with that run's entries alone
    _run(api, pack)
    settled = pack.read_bytes()
    assert _run(api, pack) == render(api, SOURCE) and pack.read_bytes() == settled  # all of it from the pack


@pytest.mark.parametrize("damage", [b"", b"not a pack at all", None])
def test_a_damaged_pack_costs_only_time(api, renders, tmp_path, damage):
    pack = tmp_path / "p.pack"
    expected = _run(api, pack)
    data = pack.read_bytes()
    pack.write_bytes(damage if damage is not None else data[: len(data) // 2])  # None: cut short
    renders.clear()
    assert _run(api, pack) == expected
    assert 0 < len(renders) <= _memoized(api)
    renders.clear()
    assert _run(api, pack) == expected and renders == []  # and the pack is whole again


def test_a_pack_that_cannot_be_written_costs_only_time(api, tmp_path):
    blocked = tmp_path / "a file where the directory should be"
    blocked.write_text("")
    assert _run(api, blocked / "p.pack") == render(api, SOURCE)


def test_a_discarded_run_leaves_the_pack_as_it_was(api, tmp_path):
    pack = tmp_path / "p.pack"
    _run(api, pack)
    before = pack.read_bytes()
    memo = RenderMemo(pack, "another salt")
    render(api, SOURCE, memo=memo)
    memo.discard()
    assert pack.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["p.pack"]


def test_a_file_black_must_format_is_kept_unformatted_and_formatted_on_the_way_out(api, tmp_path, monkeypatch):
    import generator.render as rendering

    monkeypatch.setattr(rendering, "_needs_black", lambda package, path, text, limit: path.endswith(".py"))
    pack = tmp_path / "p.pack"
    first = _run(api, pack)
    memo = RenderMemo(pack, "salt")
    planned = [p for p in plan.file_plan(api, SOURCE, plan.RenderOptions()) if p.inputs is not None]
    kept = [memo.peek(memo.key(p.inputs)) for p in planned]
    assert kept and all(entry is not None and entry[1] for entry in kept)
    assert _run(api, pack) == first


def test_templates_compiled_by_one_run_serve_the_next(api, tmp_path, monkeypatch):
    from generator.render import environment as environments

    compiled = tmp_path / "templates"
    memo = RenderMemo(tmp_path / "p.pack", "salt", compiled)
    expected = render(api, SOURCE, memo=memo)
    assert sorted(compiled.iterdir())  # one file per template used
    environments.environment.cache_clear()  # a new run: nothing compiled in memory
    compiles = []
    monkeypatch.setattr(environments.jinja2.Environment, "compile", lambda *a, **k: compiles.append(a[1]))
    assert render(api, SOURCE, memo=RenderMemo(None, "other salt", compiled)) == expected
    assert compiles == []


@pytest.mark.parametrize("damage", ["garbage", "unwritable"])
def test_a_damaged_or_unwritable_template_cache_costs_only_time(api, tmp_path, damage):
    from generator.render import environment as environments

    compiled = tmp_path / "templates"
    if damage == "garbage":
        render(api, SOURCE, memo=RenderMemo(None, "", compiled))
        for path in compiled.iterdir():  # jinja2's header, then not what it wrote
            path.write_bytes(environments.jinja2.bccache.bc_magic + b"\x00garbage" * 10)
    else:
        compiled.write_text("a file where the directory should be")
    environments.environment.cache_clear()
    assert render(api, SOURCE, memo=RenderMemo(None, "", compiled)) == render(api, SOURCE)


def test_the_render_cache_keeps_the_most_recently_used_packs(api, tmp_path, monkeypatch):
    import os

    import generator.render.memo as memo

    monkeypatch.setattr(memo, "KEPT_PACKS", 2)
    packs = [tmp_path / f"{name}.pack" for name in ("a", "b", "c")]
    _run(api, packs[0])
    _run(api, packs[1])
    os.utime(packs[0], ns=(1, 1))
    _run(api, packs[0])  # unchanged: not written, but used
    _run(api, packs[2])
    assert sorted(path.name for path in tmp_path.glob("*.pack")) == ["a.pack", "c.pack"]


def test_a_model_object_keys_by_its_fingerprint(api, tmp_path):
    """A digest the fingerprints know stands for the object's repr: the right one gives the
    key taking the repr would, so a memo that restores objects may tell it instead."""
    model = api.models[0]
    inputs = ("model.py.jinja", "_model_values", model, (model,), (("Name", ("model", "name")),))
    plain = RenderMemo(None, "salt").key(inputs)
    told = RenderMemo(None, "salt", fingerprints=Fingerprints())
    told.fingerprints.know(model, hashlib.sha256(repr(model).encode()).digest())
    assert told.key(inputs) == plain
    wrong = RenderMemo(None, "salt", fingerprints=Fingerprints())
    wrong.fingerprints.know(model, hashlib.sha256(b"another model").digest())
    assert wrong.key(inputs) != plain
    changed = (*inputs[:2], dataclasses.replace(model, description="changed"), *inputs[3:])
    assert RenderMemo(None, "salt").key(changed) != plain


def test_a_file_the_receiver_holds_is_neither_read_nor_given_out_and_stays_kept(api, tmp_path):
    pack = tmp_path / "p.pack"
    first = _run(api, pack)
    asked: dict[str, str] = {}
    texts: dict[str, Callable[[str], str]] = {}

    def held(files: list[tuple[str, str]], text: Callable[[str], str]) -> set[str]:
        asked.update(files)
        texts.update((path, text) for path, _ in files)
        return {path for path, _ in files if path.endswith(".py") and "/models/" in path}

    memo = RenderMemo(pack, "salt")
    files = render(api, SOURCE, memo=memo, held=held)
    memo.save()
    kept_models = {path for path in first if "/models/" in path and path.endswith(".py")}
    assert kept_models and set(files) == set(first) - kept_models
    assert all(asked[path] == hashlib.sha256(first[path].encode()).hexdigest() for path in asked)
    assert all(texts[path](path) == first[path] for path in kept_models)  # should the receiver need it
    assert _run(api, pack) == first  # the held files' entries were kept for the next run


def test_a_key_follows_each_model_object_of_a_tuple_and_their_order():
    from generator.model import Model

    memo = RenderMemo(None)
    a, b, c = (Model(name, name.lower(), ()) for name in "ABC")
    key = memo.key(("models", (a, b)))
    assert key == memo.key(("models", (Model("A", "a", ()), Model("B", "b", ()))))
    assert len({key, memo.key(("models", (b, a))), memo.key(("models", (a, c))), memo.key(("models", (a,)))}) == 4
    assert memo.key(("models", (a,))) != memo.key(("models", a))
    assert memo.key(("models", (a, "B"))) != memo.key(("models", (a, b)))


def test_digests_told_at_once_are_told_as_one_by_one():
    from generator.model import Model

    models = [Model(name, name.lower(), ()) for name in ("A", "B", "C")]
    fingerprints = Fingerprints()
    fingerprints.know_each(iter(models), [b"a" * 32, b"b" * 32, b"c" * 32])
    assert fingerprints.joined(tuple(models)) == b"a" * 32 + b"b" * 32 + b"c" * 32


def test_the_fingerprints_of_a_tuple_are_those_of_its_objects_in_order():
    from generator.model import Model

    told, untold = Model("A", "a", ()), Model("B", "b", ())
    fingerprints = Fingerprints()
    fingerprints.know(told, b"t" * 32)
    joined = fingerprints.joined((told, untold, told))
    assert joined == b"t" * 32 + hashlib.sha256(repr(untold).encode()).digest() + b"t" * 32
    assert fingerprints.joined(()) == b""


def test_a_kept_piece_is_taken_only_in_a_pieces_shape():
    import marshal

    texts = ("E", "m", "am", "r", "ar", "s", "as")
    for long_line in (None, False, True):
        piece = plan.Piece(*texts, literal=True, pages_any=False, pages=True, annotations="X", long_line=long_line)
        assert plan.Piece.of(marshal.loads(marshal.dumps(tuple(piece)))) == piece  # as the memo keeps it
    assert plan.Piece.of(tuple(piece)[:3]) is None  # a piece of other code
    assert plan.Piece.of(tuple(piece)[:11]) is None  # of the code before pieces knew their long lines
    assert plan.Piece.of((*piece[:7], 1, 0, 1, "X", None)) is None
    assert plan.Piece.of((*piece[:11], 1)) is None
    assert plan.Piece.of(list(piece)) is None
    assert plan.Piece.of({"endpoint": "E"}) is None


def test_keys_of_many_objects_are_their_keys_one_by_one(api):
    memo = RenderMemo(None, "salt")
    group = api.groups[0]
    inputs = ("template", 1, None, (1, "two"), api.models, group.name)
    for some in (inputs, inputs[:1], ()):
        assert memo.keys(some, group.operations) == [memo.key((*some, op)) for op in group.operations]


@pytest.mark.parametrize("limit", [100, 40])
def test_a_group_made_from_marked_pieces_is_the_module_its_pieces_make(api, limit):
    from generator.render.layout import long_code_line
    from generator.render.options import RenderOptions

    groups = [p.pieces for p in plan.file_plan(api, SOURCE, RenderOptions(line_length=limit)) if p.pieces is not None]
    assert groups
    for group in groups:
        every = group.render(list(group.group.operations))
        ordered = [every[op.name] for op in group.group.operations]
        values = plan._group_values(group.file, group.group, group.kinds, ordered)
        expected = group.templates[0].render(**values, pieces=every)
        made = group.make({})
        assert made == expected and made.long_line is long_code_line(expected, limit)
