"""A JSON spec's last parse: a changed text gives exactly what json.loads gives, and its units."""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import random
from pathlib import Path
from typing import Any, Callable

import pytest

from generator.spec import load, loader
from generator.spec import parse_memo as memo_module
from generator.spec.lazy_entries import plain
from generator.spec.parse_memo import ParseMemo, parse_with_members
from generator.spec.units import REMAINDER, units
from tests.conftest import SHARED
from tests.spec.test_units import DOC as UNITS_DOC


def _document() -> dict[str, Any]:
    """units.py's test document, with a few more kinds of value: non-ASCII text, numbers,
    booleans, a list."""
    doc = copy.deepcopy(UNITS_DOC)
    doc["info"]["description"] = "caf\u00e9 \u2603"
    doc["components"]["schemas"]["Id"].update(minimum=1, example=12)
    doc["components"]["schemas"]["Owner"]["nullable"] = True
    doc["tags"] = [{"name": "pets"}]
    return doc


DOC = _document()


def _text(doc: Any, indent: int | None = 2) -> str:
    return json.dumps(doc, indent=indent)  # ASCII: the loader's text of a JSON file always is


def _assert_json(value: Any, text: str) -> None:
    """`value` is what json.loads gives for `text`, in the order of its members too."""
    expected = json.loads(text)
    assert json.dumps(plain(value)) == json.dumps(expected) and value == expected


def _memo(tmp_path: Path) -> ParseMemo:
    return ParseMemo(tmp_path / "spec.parsed", "salt")


def _checked(memo: ParseMemo, text: str) -> Any:
    """What the memo parses, checked against json.loads and against units read afresh."""
    value, found = memo.parsed(text)
    _assert_json(value, text)
    _assert_json(memo.read_only().parsed(text)[0], text)
    fresh, members = parse_with_members(text)
    assert members is not None
    assert found == memo_module._unit_digests(members, fresh, None, None)
    assert list(found) == [pointer for pointer, _, _, _ in memo_module._leaves(members, fresh)] + [REMAINDER]
    assert units(value, found) == units(value)  # the digests a unit's value gives
    return value


# Edits of the parsed document: each a change a spec's author makes.
def _add_path(doc: dict[str, Any], rng: random.Random) -> None:
    doc["paths"][f"/new/{rng.randrange(10**6)}"] = {"get": {"responses": {"200": {"description": "ok"}}}}


def _remove_member(doc: dict[str, Any], rng: random.Random) -> None:
    container = rng.choice([doc["paths"], *[v for v in doc["components"].values() if isinstance(v, dict)]])
    if container:
        del container[rng.choice(list(container))]


def _edit_value(doc: dict[str, Any], rng: random.Random) -> None:
    """A value anywhere but the containers the edits above work in."""
    node: Any = doc
    depth = 0
    while isinstance(node, dict) and node:
        key = rng.choice(list(node))
        depth += 1
        if depth > 2 and (not isinstance(node[key], dict) or not node[key] or rng.random() < 0.2):
            node[key] = rng.choice([f"text {rng.random()}", 7, None, True, [1, {"$ref": "#/components/schemas/Id"}]])
            return
        node = node[key]


def _rename_schema(doc: dict[str, Any], rng: random.Random) -> None:
    schemas = doc["components"]["schemas"]
    if schemas:
        old = rng.choice(list(schemas))
        doc["components"]["schemas"] = {(f"{k}2" if k == old else k): v for k, v in schemas.items()}


def _add_schema_and_path(doc: dict[str, Any], rng: random.Random) -> None:
    _add_path(doc, rng)
    doc["components"]["schemas"][f"New{rng.randrange(1000)}"] = {"type": "string"}


def _swap_containers(doc: dict[str, Any], rng: random.Random) -> None:
    doc["components"]["responses"], doc["components"]["parameters"] = (
        doc["components"]["parameters"], doc["components"]["responses"]
    )  # fmt: skip


def _add_plain_member(doc: dict[str, Any], rng: random.Random) -> None:
    """A member of the remainder beside the containers: of the root, or of `components`."""
    rng.choice([doc, doc["components"]])[f"x-note-{rng.randrange(1000)}"] = rng.choice(["n", 1, {"a": [2]}])


EDITS: list[Callable[[dict[str, Any], random.Random], None]] = [
    _add_path, _remove_member, _edit_value, _rename_schema, _add_schema_and_path, _swap_containers, _add_plain_member
]  # fmt: skip


def test_an_unchanged_text_is_the_kept_value(tmp_path):
    memo = _memo(tmp_path)
    first = _checked(memo, _text(DOC))
    again = _checked(_memo(tmp_path), _text(DOC))
    assert again == first


@pytest.mark.parametrize("seed", range(40))
def test_edits_in_a_row_give_what_json_loads_gives(tmp_path, seed):
    rng = random.Random(seed)
    doc = copy.deepcopy(DOC)
    _checked(_memo(tmp_path), _text(doc))
    for _ in range(6):
        rng.choice(EDITS)(doc, rng)
        _checked(_memo(tmp_path), _text(doc))


@pytest.mark.parametrize("seed", range(60))
def test_any_text_edit_gives_what_json_loads_gives_or_its_error(tmp_path, seed):
    """Edits of the text itself, most of which break it: the memo raises where json.loads
    does, and otherwise gives the same value."""
    rng = random.Random(seed)
    base = _text(DOC, indent=rng.choice([None, 2]))
    _checked(_memo(tmp_path), base)
    start = rng.randrange(len(base))
    end = min(len(base), start + rng.choice([0, 1, 2, 5, 40]))
    text = base[:start] + rng.choice(["", " ", ",", "}", '"', '"x": 1,', "{", "]", "\\", "0", "null"]) + base[end:]
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            _memo(tmp_path).parsed(text)
        return
    value, _ = _memo(tmp_path).parsed(text)
    assert value == expected


def test_a_key_twice_is_read_as_json_loads_reads_it(tmp_path):
    text = _text(DOC)
    _checked(_memo(tmp_path), text)
    doubled = text.replace('"/owners": {', '"/a~b": {"x": 1}, "/owners": {', 1)
    assert _memo(tmp_path).parsed(doubled)[0] == json.loads(doubled)
    assert _memo(tmp_path).parsed(text)[0] == json.loads(text)


def test_a_damaged_memo_only_costs_a_whole_parse(tmp_path):
    _checked(_memo(tmp_path), _text(DOC))
    path = tmp_path / "spec.parsed"
    path.write_bytes(path.read_bytes()[:-50])
    doc = copy.deepcopy(DOC)
    _add_path(doc, random.Random(1))
    _checked(_memo(tmp_path), _text(doc))


def test_a_small_change_reuses_the_kept_text_and_a_large_one_replaces_it(tmp_path):
    """The memo keeps the text it first read while later ones differ from it in little (each
    run then parses only that), and is written anew when they differ in much."""
    path = tmp_path / "spec.parsed"
    doc = copy.deepcopy(DOC)
    doc["paths"].update({f"/filler/{n}": {"get": {"description": "x" * 50}} for n in range(200)})
    _checked(_memo(tmp_path), _text(doc))
    kept = path.read_bytes()
    doc["paths"]["/pets/{id}"]["get"]["summary"] = "a small change"
    _checked(_memo(tmp_path), _text(doc))
    assert path.read_bytes() == kept
    for n in range(0, 200, 2):
        doc["paths"][f"/filler/{n}"]["get"]["description"] = "y"
    _checked(_memo(tmp_path), _text(doc))
    assert path.read_bytes() != kept


@pytest.mark.parametrize("edited", ["Owner", "Pet"])
def test_a_kept_parse_reads_only_the_entries_asked_for(tmp_path, edited):
    """Of the containers read by reference, a process reads the entries it asks for, and
    those an edit changed (their digests are made anew), text or bytes alike."""
    doc = _big()
    _kept_file(_memo(tmp_path), _raw(doc))
    doc["components"]["schemas"][edited]["description"] = "an edit \u2603"
    for value in (_memo(tmp_path).parsed(loader._decoded(_raw(doc)))[0], _memo(tmp_path).parsed_file(_raw(doc))[0]):  # type: ignore[index]
        schemas, parameters = value["components"]["schemas"], value["components"]["parameters"]
        assert {name for name, _ in schemas.unread()} == set(DOC["components"]["schemas"]) - {edited}
        assert parameters["id"] == DOC["components"]["parameters"]["id"]
        assert {name for name, _ in parameters.unread()} == set(DOC["components"]["parameters"]) - {"id"}
        assert len(list(value["paths"].unread())) == len(doc["paths"])  # the path items too
        _assert_json(value, loader._decoded(_raw(doc)))


def test_the_loader_gives_the_document_its_unit_digests_unless_it_bundled_files(tmp_path):
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(DOC, indent=2, ensure_ascii=False), encoding="utf-8")
    document = load(spec, _memo(tmp_path))
    assert document.root == DOC and document.unit_digests is not None
    assert set(document.unit_digests) == set(units(DOC))  # the remainder's too
    with_file = copy.deepcopy(DOC)
    with_file["components"]["schemas"]["Id"] = {"$ref": "id.json"}
    (tmp_path / "id.json").write_text('{"type": "integer"}')
    spec.write_text(json.dumps(with_file))
    bundled = load(spec, _memo(tmp_path))
    assert bundled.unit_digests is None and bundled.root["components"]["schemas"]["Id"]["$ref"].startswith("#/x-codegen")


@pytest.mark.parametrize(
    "name", ["github__api.github.com.json", "discord__openapi.json", "oad__circleci.com.json"]
)
def test_a_real_spec_with_an_operation_added(tmp_path, name):
    doc = json.loads((SHARED / "corpus" / "dev" / name).read_text(encoding="utf-8"))
    _checked(_memo(tmp_path), _text(doc))
    first_path = next(iter(doc["paths"].values()))
    doc["paths"]["/added"] = copy.deepcopy(first_path)
    _checked(_memo(tmp_path), _text(doc))
    doc["paths"].pop("/added")
    _checked(_memo(tmp_path), _text(doc))


def test_the_same_document_written_another_way_has_the_same_digests(tmp_path):
    """A digest is of a unit's content: a spec reformatted (every line of its text new) keeps
    the keys of everything built from it."""
    _, pretty = _memo(tmp_path).parsed(_text(DOC, indent=2))
    _, compact = _memo(tmp_path).parsed(_text(DOC, indent=None))
    assert pretty == compact


@pytest.mark.parametrize("seed", range(4))
def test_the_change_is_found_exactly_wherever_it_falls_in_a_chunk(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks compare fast, and the chunk that differs is searched by halves: the bounds
    must be those a byte-by-byte comparison finds, at any offset."""
    monkeypatch.setattr(memo_module, "_CHUNK", 8)
    rng = random.Random(seed)
    for _ in range(500):
        old = bytes(rng.choice(b"ab") for _ in range(rng.randint(0, 120)))
        new = bytearray(old)
        for _ in range(rng.randint(0, 2)):
            if new:
                new[rng.randrange(len(new))] = ord("c")
        cut = rng.randint(0, len(new))
        new = bytes(new[:cut] + b"xy" * rng.randint(0, 3) + new[cut + rng.randint(0, 5) :])
        start = next((i for i, (x, y) in enumerate(zip(old, new)) if x != y), min(len(old), len(new)))
        limit = min(len(old), len(new)) - start
        tail = next((i for i in range(limit) if old[-1 - i] != new[-1 - i]), limit)
        change = memo_module._change(memoryview(old), new)
        assert (change.start, change.old_end, change.new_end) == (start, len(old) - tail, len(new) - tail)


# --- answering from the file's bytes (ParseMemo.parsed_file) -----------------------------------


def _big() -> dict[str, Any]:
    """DOC with enough text that an edit stays small beside it (see _far_apart)."""
    doc = copy.deepcopy(DOC)
    doc["paths"].update({f"/filler/{n}": {"get": {"description": f"{n} \u2603" * 10}} for n in range(300)})
    return doc


def _raw(doc: Any, indent: int | None = 2) -> bytes:
    return json.dumps(doc, indent=indent, ensure_ascii=False).encode("utf-8")  # as editors write it


def _kept_file(memo: ParseMemo, raw: bytes) -> None:
    """What the loader does when the memo does not answer from the bytes: decode, then parse."""
    text = loader._decoded(raw)
    memo.parsed(text, raw)


_IDENTIFIED: dict[str, bytes] = {}  # each identity parsed_file gave, and the bytes it gave it for


def _checked_file(memo: ParseMemo, raw: bytes) -> bool:
    """Whether the memo answered from `raw` alone; what it answered is what parsing the
    decoded text gives, value and digests alike, and its identity of `raw` was never given
    for other bytes."""
    answer = memo.parsed_file(raw)
    if answer is None:
        return False
    text = loader._decoded(raw)
    value, found, identity = answer
    assert _IDENTIFIED.setdefault(identity, raw) == raw
    _assert_json(value, text)
    fresh, members = parse_with_members(text)
    assert members is not None
    assert found == memo_module._unit_digests(members, fresh, None, None)
    assert list(found) == [pointer for pointer, _, _, _ in memo_module._leaves(members, fresh)] + [REMAINDER]
    return True


@pytest.mark.parametrize("seed", range(30))
def test_edits_of_a_file_are_answered_from_its_bytes_as_parsing_its_text_would(tmp_path, seed):
    rng = random.Random(seed)
    doc = _big()
    doc["info"]["title"] = "\u00e9t\u00e9 \U0001f600"  # non-ASCII text before the edits, and an astral character
    indent = rng.choice([None, 2])
    _kept_file(_memo(tmp_path), _raw(doc, indent))
    assert _checked_file(_memo(tmp_path), _raw(doc, indent))  # unchanged
    for _ in range(6):
        edit = rng.choice(EDITS)
        edit(doc, rng)
        answered = _checked_file(_memo(tmp_path), _raw(doc, indent))
        if edit is _add_path:
            assert answered
        if not answered:
            _kept_file(_memo(tmp_path), _raw(doc, indent))


@pytest.mark.parametrize("seed", range(80))
def test_any_edit_of_the_bytes_is_answered_as_parsing_their_text_would_or_not_at_all(tmp_path, seed):
    """Byte edits, most of which break the JSON and some the UTF-8: the memo answers only
    where decoding and parsing would give a value, and then gives that value."""
    rng = random.Random(seed)
    base = _raw(DOC, indent=rng.choice([None, 2]))
    _kept_file(_memo(tmp_path), base)
    start = rng.randrange(len(base))
    end = min(len(base), start + rng.choice([0, 1, 2, 5, 40]))
    inserted = rng.choice(["", " ", ",", "}", '"', '"x": 1,', "\\", "0", "\u00e9", "\u2603", "\U0001f600"]).encode()
    raw = base[:start] + inserted[: rng.choice([len(inserted), 1])] + base[end:]
    try:
        json.loads(loader._decoded(raw))
    except ValueError:  # not JSON, or not UTF-8
        assert _memo(tmp_path).parsed_file(raw) is None
        return
    _checked_file(_memo(tmp_path), raw)


def test_an_edit_next_to_a_non_ascii_character_is_answered(tmp_path):
    doc = _big()
    _kept_file(_memo(tmp_path), _raw(doc))
    doc["info"]["description"] = "caf\u00e8 \u2603"  # the edit falls inside a run of non-ASCII bytes
    assert _checked_file(_memo(tmp_path), _raw(doc))
    doc["info"]["description"] = "cafe"
    assert _checked_file(_memo(tmp_path), _raw(doc))


def test_a_file_that_refers_to_another_is_not_answered_from_its_bytes(tmp_path):
    doc = _big()
    _kept_file(_memo(tmp_path), _raw(doc))
    doc["paths"]["/owners"]["get"] = {"$ref": "other.json#/op"}
    assert _memo(tmp_path).parsed_file(_raw(doc)) is None  # the change adds it
    _kept_file(_memo(tmp_path), _raw(doc))
    doc["info"]["title"] = "changed"
    assert _memo(tmp_path).parsed_file(_raw(doc)) is None  # the kept text has it


def test_bytes_the_memo_does_not_know_are_not_answered(tmp_path):
    memo = _memo(tmp_path)
    memo.parsed(_text(DOC))  # kept without the bytes
    assert _memo(tmp_path).parsed_file(_raw(DOC)) is None
    _kept_file(_memo(tmp_path), codecs.BOM_UTF8 + _raw(DOC))  # the loader drops the mark
    assert _memo(tmp_path).parsed_file(codecs.BOM_UTF8 + _raw(DOC)) is None


def test_the_loader_reads_a_kept_file_without_decoding_it(tmp_path, monkeypatch):
    spec = tmp_path / "api.json"
    doc = _big()
    spec.write_bytes(_raw(doc))
    first = load(spec, _memo(tmp_path))
    doc["paths"]["/owners"]["get"]["summary"] = "changed \u00e9"
    spec.write_bytes(_raw(doc))
    decoded: list[bytes] = []
    monkeypatch.setattr(loader, "_text_of", lambda data, display: decoded.append(data) or loader._decoded(data))
    again = load(spec, _memo(tmp_path))
    assert decoded == [] and again.root == doc and again.root_source.text is None
    assert again.root_source.content_digest() == hashlib.sha256(_raw(doc)).hexdigest() != first.root_source.content_digest()
    assert again.unit_digests is not None and units(again.root, again.unit_digests) == units(doc)
    line = again.root_source.line("/paths/~1owners/get/summary")
    assert decoded  # the line is found in the file, read again
    assert line is not None and line == load(spec).root_source.line("/paths/~1owners/get/summary")
