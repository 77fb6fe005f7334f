"""A document cut into units, for work that can be redone per unit when a document changes.

A unit is one named entry of a container that holds many (a path item, a component of any
kind, a Swagger definition, a bundled file); everything else in the document is one more
unit, the remainder. Each unit has a digest of its content and the units its references
point into (its $refs, and any string that reads as one, as a discriminator's mapping does).
A result computed from a unit and from what it reaches through references (its closure)
is still right when none of those units' digests changed, however much of the rest did.

The digests are of a unit's JSON text: as the document's file has it, when the loader read
it member by member (parse_memo.py), else as compact JSON. Either tells a changed unit.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import join_pointer
from .loader import BUNDLE_KEY
from .refs import ref_pointer

__all__ = ["REMAINDER", "Unit", "closure", "closure_digest", "units"]

REMAINDER = ""  # the pointer of the unit that is everything outside the named units

# Containers of named entries, from the root; "components" holds containers of its own.
CONTAINERS = ("paths", "webhooks", "definitions", "parameters", "responses", BUNDLE_KEY)
NESTED_CONTAINERS = ("components",)

# What a unit's JSON text names of the document: any string that reads as an internal
# reference (a $ref's, and a discriminator mapping's, which names schemas without a $ref),
# and a $ref to the whole document. A quote inside a string is escaped, so a string ends at
# the first unescaped quote. Following more than is read only costs misses.
_POINTER_STRING = re.compile(r'"(#/(?:[^"\\]|\\.)*)"')
_ROOT_REF = re.compile(r'"\$ref"\s*:\s*"#"')

# A unit as read from the document's text (see parse_memo.py): the hex digest of its text
# and the pointers it names.
TextUnit = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Unit:
    pointer: str  # JSON pointer of the unit, REMAINDER for the rest of the document
    digest: str  # sha256 of its content, as compact JSON in document order
    refs: frozenset[str]  # pointers of the units its references point into (itself excluded)


def units(root: dict[str, Any], read: dict[str, TextUnit] | None = None) -> dict[str, Unit]:
    """Every unit of the document, by pointer, the remainder included. `read` has units as
    the loader found them in the text (their digests differ, but are as telling); the
    others are written out as compact JSON here, which is most of the work when it has none."""
    parts = dict(_named_entries(root))
    parts[REMAINDER] = _remainder(root)
    owners = _owner_index(parts)
    known = read or {}
    # One unit's text at a time: all of them at once would be the whole document again.
    return {
        pointer: _unit(pointer, *(known.get(pointer) or text_unit(_compact(value))), owners)
        for pointer, value in parts.items()
    }


def text_unit(text: str, start: int = 0, end: int | None = None) -> TextUnit:
    """The digest of text[start:end] and the pointers it names (see _POINTER_STRING)."""
    stop = len(text) if end is None else end
    digest = hashlib.sha256(text[start:stop].encode("utf-8", "surrogatepass")).hexdigest()
    named = set(_ref_targets(_POINTER_STRING.findall(text, start, stop)))
    if _ROOT_REF.search(text, start, stop):
        named.add("")
    return digest, tuple(sorted(named))


def closure(units_by_pointer: dict[str, Unit], start: str) -> list[str]:
    """`start` and every unit reachable from it through references, sorted."""
    seen = {start}
    todo = [start]
    while todo:
        unit = units_by_pointer.get(todo.pop())
        for target in unit.refs if unit is not None else ():
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return sorted(seen)


def closure_digest(units_by_pointer: dict[str, Unit], start: str) -> str:
    """One digest of a unit and its closure: it changes when any of them does."""
    digest = hashlib.sha256()
    for pointer in closure(units_by_pointer, start):
        unit = units_by_pointer[pointer]
        digest.update(f"{pointer}\0{unit.digest}\0".encode())
    return digest.hexdigest()


def _named_entries(root: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for key in CONTAINERS:
        yield from _entries(root, [key])
    for key in NESTED_CONTAINERS:
        nested = root.get(key)
        if isinstance(nested, dict):
            for kind in nested:
                yield from _entries(root, [key, kind])


def _entries(root: dict[str, Any], path: list[str]) -> Iterator[tuple[str, Any]]:
    container: Any = root
    for key in path:
        container = container.get(key) if isinstance(container, dict) else None
    if not isinstance(container, dict):
        return
    for name, value in container.items():
        yield join_pointer("", *path, name), value


def _remainder(root: dict[str, Any]) -> dict[str, Any]:
    rest = {key: value for key, value in root.items() if key not in CONTAINERS}
    for key in NESTED_CONTAINERS:
        nested = rest.get(key)
        if isinstance(nested, dict):  # its containers are units; what else it holds is not
            rest[key] = {kind: value for kind, value in nested.items() if not isinstance(value, dict)}
    return rest


def _compact(value: Any) -> str:
    # default=repr: YAML can hold values JSON cannot (dates); the digest only needs them stable.
    return json.dumps(value, separators=(",", ":"), default=repr)


def _owner_index(parts: dict[str, Any]) -> dict[str, set[str]]:
    """Unit pointers by their parent container's pointer, to find which unit a $ref lands in."""
    index: dict[str, set[str]] = {}
    for pointer in parts:
        if pointer != REMAINDER:
            index.setdefault(pointer.rsplit("/", 1)[0], set()).add(pointer)
    return index


def _unit(pointer: str, digest: str, targets: tuple[str, ...], owners: dict[str, set[str]]) -> Unit:
    owned = {_owner(target, owners) for target in targets}
    owned.discard(pointer)
    return Unit(pointer, digest, frozenset(owned))


def _ref_targets(escaped_refs: Iterable[str]) -> Iterable[str]:
    for escaped in set(escaped_refs):
        target = ref_pointer(json.loads(f'"{escaped}"'))
        if target is not None:
            yield target


def _owner(target: str, owners: dict[str, set[str]]) -> str:
    """The unit a pointer lands in: the named entry it starts with, else the remainder."""
    # A unit's pointer is its container's pointer plus one token: try each prefix that could
    # be one (at most a few tokens deep), longest first.
    tokens = target.split("/")
    for end in range(min(len(tokens), 4), 1, -1):
        candidate = "/".join(tokens[:end])
        if candidate in owners.get("/".join(tokens[: end - 1]), ()):
            return candidate
    return REMAINDER
