"""The API model's dataclasses: their repr and pickling, which the memos rely on."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any, Iterator

import pytest

import generator.model as model
from generator.config import Config
from generator.pipeline import build_model
from generator.spec import load
from tests.conftest import ROOT

SPECS = ["workbench.yaml", "domain.yaml", "shapes.yaml"]
CLASSES = {name: value for name, value in vars(model).items() if dataclasses.is_dataclass(value)}


def _objects(value: Any) -> Iterator[Any]:
    """`value` and every model object inside it."""
    stack = [value]
    while stack:
        node = stack.pop()
        if dataclasses.is_dataclass(node):
            yield node
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
        elif isinstance(node, (tuple, list, frozenset)):
            stack.extend(node)


@pytest.fixture(scope="module", params=SPECS)
def objects(request: pytest.FixtureRequest) -> list[Any]:
    api, _ = build_model(load(ROOT / "specs" / request.param), Config())
    return list(_objects(api))


def test_the_specs_cover_most_classes():
    seen = {type(o).__name__ for spec in SPECS for o in _objects(build_model(load(ROOT / "specs" / spec), Config())[0])}
    assert len(seen) >= len(CLASSES) - 3, sorted(set(CLASSES) - seen)


def test_a_repr_says_all_an_object_holds(objects):
    for obj in objects:
        assert eval(repr(obj), dict(CLASSES)) == obj  # noqa: S307 - our own reprs


def test_a_repr_is_dataclasses_own(objects):
    for obj in objects:
        shown = ", ".join(f"{f.name}={getattr(obj, f.name)!r}" for f in dataclasses.fields(obj) if f.repr)
        assert repr(obj) == f"{type(obj).__qualname__}({shown})"


def test_pickling_gives_back_an_equal_object(objects):
    for obj in objects:
        assert pickle.loads(pickle.dumps(obj)) == obj
