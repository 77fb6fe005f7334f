"""A document cut into units, for work that can be redone per unit when a document changes.

A unit is one named entry of a container that holds many (a path item, a component of any
kind, a Swagger definition, a bundled file); everything else in the document is one more
unit, the remainder. Each unit has a digest of its content and the units its references
point into (its $refs, and any string that reads as one, as a discriminator's mapping does).
A result computed from a unit and from what it reaches through references (its closure)
is still right when none of those units' digests changed, however much of the rest did.

A node's digest (node_digest) is of its content, not of how its file writes it: the build
memos' keys (build/memo.py) are made of the same digests.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import join_pointer
from .loader import BUNDLE_KEY
from .refs import ref_pointer

__all__ = [
    "REMAINDER",
    "ClosureState",
    "Unit",
    "UnitDigest",
    "closure_digests",
    "closure_digests_after",
    "is_container",
    "node_digest",
    "units",
]

REMAINDER = ""  # the pointer of the unit that is everything outside the named units

# Containers of named entries, from the root; "components" holds containers of its own.
CONTAINERS = ("paths", "webhooks", "definitions", "parameters", "responses", BUNDLE_KEY)
NESTED_CONTAINERS = ("components",)

# What a node names of the document: any string that reads as an internal reference (a
# $ref's, and a discriminator mapping's, which names schemas without a $ref), and a $ref to
# the whole document. Following more than is read only costs misses.
_POINTERS = re.compile(r'"#/(?:[^"\\]|\\.)*"')
_ROOT_REF = '"$ref": "#"'
_UNICODE = ord("u")  # marshal's type of a str
_MARSHALLED_ROOT_REF = marshal.dumps({"$ref": "#"}, 2)[1:-1]  # between the dict's start and end

# A unit's digest as the loader found it (see parse_memo.py): the hex digest of its content
# (node_digest) and the pointers it names.
UnitDigest = tuple[str, tuple[str, ...]]


def node_digest(node: Any) -> tuple[bytes, tuple[str, ...]]:
    """The digest of a node's content, and the pointers it names.

    The node is written with marshal's version 2, which writes values alone (no references
    between shared objects, no mark of interned strings) and three times as fast as JSON;
    its strings are found in what marshal wrote.
    """
    try:
        data = marshal.dumps(node, 2)
    except ValueError:  # a value marshal cannot write (YAML's dates): JSON with its repr
        text = json.dumps(node, default=repr)
        named = [_pointer(quoted) for quoted in _POINTERS.findall(text)] + ([""] if _ROOT_REF in text else [])
        return hashlib.sha256(b"json\0" + text.encode()).digest(), tuple(p for p in named if p is not None)
    return hashlib.sha256(b"marshal\0" + data).digest(), _marshalled_pointers(data)


def unit_digest(node: Any) -> UnitDigest:
    digest, named = node_digest(node)
    return digest.hex(), named


def _marshalled_pointers(data: bytes) -> tuple[str, ...]:
    """The strings of marshalled data that read as internal references (see _POINTERS)."""
    found: list[str | None] = []
    at = data.find(b"#/")
    while at != -1:
        # A string is "u", its length in four bytes (little-endian), and its UTF-8.
        if at >= 5 and data[at - 5] == _UNICODE:
            length = int.from_bytes(data[at - 4 : at], "little")
            found.append(ref_pointer(data[at : at + length].decode("utf-8", "replace")))
        at = data.find(b"#/", at + 2)
    if _MARSHALLED_ROOT_REF in data:
        found.append("")
    return tuple(p for p in found if p is not None)


def _pointer(quoted: str) -> str | None:
    return ref_pointer(quoted[1:-1] if "\\" not in quoted else json.loads(quoted))


def is_container(pointer: str) -> bool:
    """Whether `pointer` is that of a container of units (its content is theirs)."""
    tokens = pointer.split("/")
    if len(tokens) == 2:
        return tokens[1] in CONTAINERS
    return len(tokens) == 3 and tokens[1] in NESTED_CONTAINERS


@dataclass(frozen=True)
class Unit:
    """A unit of the document (a path item, a named schema, or the rest) with what it refers
    to."""

    pointer: str  # JSON pointer of the unit, REMAINDER for the rest of the document
    digest: str  # of its content (node_digest), in hex
    refs: frozenset[str]  # pointers of the units its references point into (itself excluded)


def units(root: dict[str, Any], read: dict[str, UnitDigest] | None = None) -> dict[str, Unit]:
    """Every unit of the document, by pointer, the remainder included. `read` has the digests
    of those the loader found already (see parse_memo.py); the others are made here."""
    parts = dict(_named_entries(root))
    parts[REMAINDER] = _remainder(root)
    owners = _owner_index(parts)
    known = read or {}
    landing: dict[str, str] = {}  # target pointer -> its unit: most targets are named again and again
    return {
        pointer: _unit(pointer, *(known.get(pointer) or unit_digest(value)), owners, landing)
        for pointer, value in parts.items()
    }


# What closure_digests_after worked out, for the next run: by unit pointer, the unit's digest
# and refs, the digest of its component's closure, and its closure digest.
ClosureState = dict[str, tuple[str, frozenset[str], str, str]]


def closure_digests(units_by_pointer: dict[str, Unit]) -> dict[str, str]:
    """For each unit, one digest of it and of every unit it reaches through references: it
    changes when any of them does.

    Each strongly connected component of the reference graph is hashed once, with the digests
    of the components it reaches (Tarjan's algorithm finishes those first), so the whole map
    costs one pass where a closure per unit cost one walk each. Units of one cycle reach the
    same units, so each unit's digest also names the unit itself.
    """
    return closure_digests_after(units_by_pointer, {})[0]


def closure_digests_after(units_by_pointer: dict[str, Unit], last: ClosureState) -> tuple[dict[str, str], ClosureState]:
    """closure_digests, worked out again only for the units that reach a unit whose digest or
    refs are not those of `last` (an earlier run's state); and this run's state.

    A unit that reaches none of those reaches the units it reached then, each as it was then:
    its closure is the same, and so is its strongly connected component, all of whose units
    reach one another (a component is all new or all as before). Comparing the units and
    walking back from the changed ones took a fifth of hashing every closure of GitHub's
    spec (0.034 s) again.
    """
    changed = [
        pointer
        for pointer, unit in units_by_pointer.items()
        if (kept := last.get(pointer)) is None or kept[0] != unit.digest or kept[1] != unit.refs
    ]
    redo = _reaching(units_by_pointer, changed) if len(changed) < len(units_by_pointer) else set(units_by_pointer)
    component_digests = {pointer: last[pointer][2] for pointer in units_by_pointer if pointer not in redo}
    for component in _components(units_by_pointer, redo):
        digest = hashlib.sha256()
        for pointer in sorted(component):
            digest.update(f"{pointer}\0{units_by_pointer[pointer].digest}\0".encode())
        members = set(component)
        reached = {component_digests[t] for p in component for t in units_by_pointer[p].refs if t not in members}
        for other in sorted(reached):
            digest.update(f"{other}\0".encode())
        for pointer in component:
            component_digests[pointer] = digest.hexdigest()
    digests = {
        pointer: hashlib.sha256(f"{pointer}\0{component_digests[pointer]}".encode()).hexdigest()
        if pointer in redo
        else last[pointer][3]
        for pointer in units_by_pointer
    }
    state = {
        pointer: (unit.digest, unit.refs, component_digests[pointer], digests[pointer])
        for pointer, unit in units_by_pointer.items()
    }
    return digests, state


def _reaching(units_by_pointer: dict[str, Unit], targets: list[str]) -> set[str]:
    """The units that reach any of `targets` through references, and those themselves."""
    referrers: dict[str, list[str]] = {}
    for pointer, unit in units_by_pointer.items():
        for target in unit.refs:
            referrers.setdefault(target, []).append(pointer)
    found = set(targets)
    todo = list(targets)
    while todo:
        for referrer in referrers.get(todo.pop(), ()):
            if referrer not in found:
                found.add(referrer)
                todo.append(referrer)
    return found


def _components(units_by_pointer: dict[str, Unit], within: set[str] | None = None) -> Iterator[list[str]]:
    """The strongly connected components of the reference graph (of the units `within`, if
    given, whose refs to others are left out), each after every component it reaches
    (Tarjan's algorithm, iterative: chains of refs can be deeper than the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    work: list[tuple[str, Iterator[str]]] = []  # the units being visited, each with the refs left to follow

    def enter(pointer: str) -> None:
        index[pointer] = low[pointer] = len(index)
        stack.append(pointer)
        on_stack.add(pointer)
        refs = units_by_pointer[pointer].refs
        work.append((pointer, iter(refs if within is None else refs & within)))

    for root in units_by_pointer if within is None else within:
        if root in index:
            continue
        enter(root)
        while work:
            pointer, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    enter(target)
                elif target in on_stack:
                    low[pointer] = min(low[pointer], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[pointer])
            if low[pointer] == index[pointer]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == pointer:
                        break
                yield component


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


def _owner_index(parts: dict[str, Any]) -> dict[str, set[str]]:
    """Unit pointers by their parent container's pointer, to find which unit a $ref lands in."""
    index: dict[str, set[str]] = {}
    for pointer in parts:
        if pointer != REMAINDER:
            index.setdefault(pointer.rsplit("/", 1)[0], set()).add(pointer)
    return index


def _unit(
    pointer: str, digest: str, targets: tuple[str, ...], owners: dict[str, set[str]], landing: dict[str, str]
) -> Unit:
    owned = set()
    for target in targets:
        if target not in landing:
            landing[target] = _owner(target, owners)
        owned.add(landing[target])
    owned.discard(pointer)
    return Unit(pointer, digest, frozenset(owned))


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
