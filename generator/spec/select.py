"""Choosing which operations a client gets: by tag and by operation, with glob patterns.

A pure function over the normalized document: operations that are not selected are left
out of a copy of it; everything else (components, tags) stays, so names do not move.

- With include patterns, an operation is kept when one of its tags matches an include-tag
  pattern or its operation matches an include-operation pattern; without any, every
  operation is kept.
- An operation one of whose tags matches an exclude-tag pattern, or that matches an
  exclude-operation pattern, is dropped (exclusion wins over inclusion).
- An operation pattern matches the operationId or "METHOD /path" (`GET /pets/*`).
- A pattern that matches nothing is an error: it is almost always a typo.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..config import suggest
from ..errors import UsageError, join_pointer
from .refs import deref

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Selection:
    """Which operations the client keeps, by tag and by operation."""

    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    include_operations: tuple[str, ...] = ()
    exclude_operations: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include_tags or self.exclude_tags or self.include_operations or self.exclude_operations)


@dataclass(frozen=True)
class _Op:
    """An operation as selection sees it: where it is and what patterns match it."""

    path: str
    method: str  # lower case, as the spec spells it
    tags: tuple[str, ...]
    names: tuple[str, ...]  # what operation patterns match: operationId and "METHOD /path"


def select_operations(root: dict[str, Any], selection: Selection) -> dict[str, Any]:
    """A copy of `root` whose paths hold only the selected operations."""
    if not selection:
        return root
    paths = root.get("paths")
    if not isinstance(paths, dict):
        return root
    ops = list(_operations(root, paths))
    _check_patterns(selection, ops)
    keep = {(op.path, op.method) for op in ops if _selected(op, selection)}
    if not keep:
        raise UsageError("the include and exclude options leave no operations to generate")
    new_paths: dict[str, Any] = {}
    for path, item in paths.items():
        new_item = _filtered_item(root, str(path), item, keep)
        if new_item is not None:
            new_paths[path] = new_item
    return {**root, "paths": new_paths}


def _operations(root: dict[str, Any], paths: dict[str, Any]) -> Iterator[_Op]:
    for path, item in paths.items():
        item = _resolved(root, str(path), item)
        if item is None:
            continue
        for method in HTTP_METHODS:
            node = item.get(method)
            if not isinstance(node, dict):
                continue
            tags = tuple(t for t in node.get("tags") or () if isinstance(t, str))
            operation_id = node.get("operationId")
            names = ((operation_id,) if isinstance(operation_id, str) else ()) + (f"{method.upper()} {path}",)
            yield _Op(str(path), method, tags, names)


def _resolved(root: dict[str, Any], path: str, item: Any) -> dict[str, Any] | None:
    if path.startswith("x-"):
        return None
    if isinstance(item, dict) and "$ref" in item:
        item, _ = deref(root, item, join_pointer("/paths", path))
    return item if isinstance(item, dict) else None


def _matches(patterns: Iterable[str], values: Iterable[str]) -> bool:
    values = tuple(values)
    return any(fnmatchcase(value, pattern) for pattern in patterns for value in values)


def _selected(op: _Op, s: Selection) -> bool:
    included = not (s.include_tags or s.include_operations) or (
        _matches(s.include_tags, op.tags) or _matches(s.include_operations, op.names)
    )
    excluded = _matches(s.exclude_tags, op.tags) or _matches(s.exclude_operations, op.names)
    return included and not excluded


def _check_patterns(selection: Selection, ops: list[_Op]) -> None:
    tags = sorted({t for op in ops for t in op.tags})
    names = sorted({n for op in ops for n in op.names})
    for option, patterns, values, what in (
        ("include_tags", selection.include_tags, tags, "tag"),
        ("exclude_tags", selection.exclude_tags, tags, "tag"),
        ("include_operations", selection.include_operations, names, "operation"),
        ("exclude_operations", selection.exclude_operations, names, "operation"),
    ):
        for pattern in patterns:
            if not _matches([pattern], values):
                raise UsageError(f"{option}: {pattern!r} matches no {what} of the spec{suggest(pattern, values)}")


def _filtered_item(root: dict[str, Any], path: str, item: Any, keep: set[tuple[str, str]]) -> Any:
    """The path item with only the kept operations; None when none is left."""
    resolved = _resolved(root, path, item)
    if resolved is None:
        return item  # extensions and malformed items are left for the builder to judge
    methods = [m for m in HTTP_METHODS if isinstance(resolved.get(m), dict)]
    kept = [m for m in methods if (path, m) in keep]
    if not kept:
        return None
    if len(kept) == len(methods):
        return item  # untouched: pointers into it still lead to the same place
    return {k: v for k, v in resolved.items() if k not in HTTP_METHODS or k in kept}
