"""Containers of units read entry by entry: every way Python reads a dict sees the values."""

from __future__ import annotations

import copy
import json
import marshal
import pickle

import pytest

from generator.spec.lazy_entries import LazyEntries, load_all, plain
from generator.spec.units import node_digest

VALUES = {"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}, "Id": {"type": "integer"}, "Tag": [1, "a"]}


def _lazy() -> LazyEntries:
    return LazyEntries.of(VALUES, (marshal.dumps(value, 4) for value in VALUES.values()))


def _unread(entries: LazyEntries) -> list[str]:
    return [name for name, _ in entries.unread()]


def test_an_entry_is_read_when_first_asked_for_and_only_then():
    entries = _lazy()
    assert list(entries) == list(VALUES) and len(entries) == 3 and "Pet" in entries
    assert _unread(entries) == ["Pet", "Id", "Tag"]  # names alone read nothing
    assert entries["Id"] == {"type": "integer"}
    assert entries["Id"] is entries["Id"]  # read once, then kept
    assert entries.get("Tag") == [1, "a"] and entries.get("Missing", 5) == 5
    assert _unread(entries) == ["Pet"]
    with pytest.raises(KeyError):
        entries["Missing"]


@pytest.mark.parametrize(
    "read",
    [
        lambda e: dict(e),
        lambda e: {**e},
        lambda e: e.copy(),
        lambda e: dict(e.items()),
        lambda e: dict(zip(e.keys(), e.values())),
        lambda e: {} | e,
        lambda e: e | {},
        lambda e: copy.copy(e),
        lambda e: copy.deepcopy(e),
        lambda e: pickle.loads(pickle.dumps(e)),
        lambda e: json.loads(json.dumps(e)),
        lambda e: json.loads(json.dumps(e, indent=1)),
        lambda e: eval(repr(e)),
        lambda e: plain(e),
    ],
)
def test_every_whole_reading_sees_the_values(read):
    made = read(_lazy())
    assert type(made) is dict
    assert made == VALUES and list(made) == list(VALUES)
    assert marshal.dumps(made, 2) == marshal.dumps(VALUES, 2)


def test_comparisons_and_updates_see_the_values():
    assert _lazy() == VALUES and VALUES == _lazy() and _lazy() == _lazy()
    assert (_lazy() != VALUES) is False and _lazy() != {**VALUES, "Id": 1}
    target: dict[str, object] = {"Id": 0}
    target.update(_lazy())
    assert target == VALUES
    entries = _lazy()
    assert entries.pop("Pet") == VALUES["Pet"] and entries.setdefault("Id") == VALUES["Id"]
    assert entries.popitem() == ("Tag", [1, "a"])


def test_code_that_reads_the_storage_fails_loudly_until_everything_is_read():
    entries = _lazy()
    with pytest.raises(ValueError):
        marshal.dumps(entries)
    with pytest.raises(ValueError):
        marshal.dumps(list(dict.values(entries)))  # a placeholder refuses to be written
    with pytest.raises(TypeError):
        repr(list(dict.values(entries)))
    root = {"openapi": "3.0.0", "components": {"schemas": entries}}
    load_all(root)
    assert _unread(entries) == []
    assert marshal.dumps(list(dict.values(entries)), 2) == marshal.dumps(list(VALUES.values()), 2)


def test_a_node_holding_lazy_entries_has_the_digest_of_its_plain_value():
    root = {"openapi": "3.0.0", "components": {"schemas": _lazy(), "x": 1}}
    whole = {"openapi": "3.0.0", "components": {"schemas": VALUES, "x": 1}}
    assert node_digest(root) == node_digest(whole)
    assert plain(whole) is whole  # nothing lazy in it: not copied
