"""Made-up version pairs: pets.yaml as the old version, and a copy changed by a test as the new."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.diff import Change, compare, load_surface

FIXTURES = Path(__file__).parent / "fixtures"
PETS = FIXTURES / "pets.yaml"


def pets() -> dict[str, Any]:
    return yaml.safe_load(PETS.read_text(encoding="utf-8"))


Edit = Callable[[dict[str, Any]], None]


def evolve(tmp_path: Path, edit: Edit, *, start: Edit | None = None) -> list[Change]:
    """The changes from pets.yaml (first changed by `start`) to the spec `edit` makes of it."""
    old = pets()
    if start is not None:
        start(old)
    new = copy.deepcopy(old)
    edit(new)
    return changes_between(tmp_path, old, new)


def changes_between(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    paths = write(tmp_path, old=old, new=new)
    return compare(load_surface(paths["old"]), load_surface(paths["new"]))


def write(tmp_path: Path, **specs: dict[str, Any]) -> dict[str, Path]:
    paths = {}
    for name, spec in specs.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(spec), encoding="utf-8")
    return paths


def only(changes: list[Change], path: str, subject: str | None = None) -> Change:
    """The one change at `path` (of `subject`), failing with the whole list otherwise."""
    found = [c for c in changes if c.path == path and subject in (None, c.subject)]
    assert len(found) == 1, f"expected one change at {path}, got {changes}"
    return found[0]


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return spec["components"]["schemas"][name]  # type: ignore[no-any-return]


def operation(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return spec["paths"][path][method]  # type: ignore[no-any-return]


def parameter(spec: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    return next(p for p in operation(spec, path, method)["parameters"] if p["name"] == name)
