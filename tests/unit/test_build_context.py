"""The builder's view of the document: $refs resolved once each, failures every time."""

from __future__ import annotations

import pytest

from generator.build.context import BuildContext
from generator.errors import SpecError, join_pointer

ROOT = {
    "components": {
        "schemas": {
            "Pet": {"type": "object"},
            "Alias": {"$ref": "#/components/schemas/Pet"},
            "Loop": {"$ref": "#/components/schemas/Loop2"},
            "Loop2": {"$ref": "#/components/schemas/Loop"},
        }
    }
}


def test_a_chain_of_refs_ends_at_its_target_and_is_resolved_once(monkeypatch):
    import generator.build.context as context

    calls = []
    original = context.deref
    monkeypatch.setattr(context, "deref", lambda *args: calls.append(args[2]) or original(*args))
    ctx = BuildContext(ROOT)
    first = ctx.deref({"$ref": "#/components/schemas/Alias"}, "/paths/a")
    again = ctx.deref({"$ref": "#/components/schemas/Alias"}, "/paths/b")
    assert first == again == ({"type": "object"}, "/components/schemas/Pet")
    assert calls == ["/paths/a"]


def test_a_node_without_a_ref_comes_back_as_it_is():
    ctx = BuildContext(ROOT)
    node = {"type": "string", "$ref": 7}  # a $ref that is not a string is no reference
    assert ctx.deref(node, "/x") == (node, "/x")
    assert ctx.deref([1], "/y") == ([1], "/y")


def test_a_broken_ref_fails_each_time_it_is_asked_for():
    ctx = BuildContext(ROOT)
    for _ in range(2):
        with pytest.raises(SpecError, match="reference cycle"):
            ctx.deref({"$ref": "#/components/schemas/Loop"}, "/paths/a")
        with pytest.raises(SpecError, match="does not exist"):
            ctx.deref({"$ref": "#/components/schemas/Missing"}, "/paths/a")


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [((), "/a"), (("b", 0), "/a/b/0"), (("x/y", "m~n"), "/a/x~1y/m~0n"), (("~/",), "/a/~0~1")],
)
def test_pointers_escape_slashes_and_tildes(tokens, expected):
    assert join_pointer("/a", *tokens) == expected
