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
from typing import Any, NamedTuple

from ..errors import escape_pointer_token, join_pointer
from .lazy_entries import plain
from .loader import BUNDLE_KEY
from .refs import ref_pointer

__all__ = [
    "REMAINDER",
    "ClosureState",
    "Unit",
    "UnitDigest",
    "closure_digests",
    "closure_digests_after",
    "document_digest",
    "entry_pointer",
    "is_container",
    "named_units",
    "node_digest",
    "remainder",
    "unit_containers",
    "unit_digest",
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
    except ValueError:  # a container read lazily, or a value marshal cannot write (YAML's dates)
        whole = plain(node)
        if whole is not node:
            return node_digest(whole)
        text = json.dumps(node, default=repr)  # JSON with the values' repr
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


def document_digest(root: dict[str, Any], read: dict[str, UnitDigest]) -> str | None:
    """A digest of the whole document made from the digests of its units that `read` has
    (those the loader found, the remainder's too when it has it), so not of all its content
    again: of the root's keys in their order, the remainder's digest, and each container of
    units as its units' names and digests (a container that is not an object as it is).
    Equal digests mean equal documents, key order included. None when `read` lacks a
    named unit."""
    rest = read[REMAINDER][0] if REMAINDER in read else unit_digest(remainder(root))[0]
    shown: list[Any] = [list(root), rest]
    try:
        for key in CONTAINERS:
            if key in root:
                value = root[key]
                shown.append((key, _digests_of(value, join_pointer("", key), read) if isinstance(value, dict) else value))
        for key in NESTED_CONTAINERS:
            nested = root.get(key)
            if isinstance(nested, dict):
                kinds = {kind: _digests_of(value, join_pointer("", key, kind), read) for kind, value in nested.items() if isinstance(value, dict)}
                shown.append((key, list(nested), kinds))
    except KeyError:
        return None
    return node_digest(shown)[0].hex()


def _digests_of(container: dict[Any, Any], pointer: str, read: dict[str, UnitDigest]) -> dict[Any, str]:
    return {name: read[entry_pointer(pointer, name)][0] for name in container}


def entry_pointer(container: str, name: Any) -> str:
    """The pointer of the entry `name` of the container at `container` (join_pointer's, for
    one token: asked for every unit on every run)."""
    name = str(name)
    return f"{container}/{escape_pointer_token(name) if '~' in name or '/' in name else name}"


def is_container(pointer: str) -> bool:
    """Whether `pointer` is that of a container of units (its content is theirs)."""
    tokens = pointer.split("/")
    if len(tokens) == 2:
        return tokens[1] in CONTAINERS
    return len(tokens) == 3 and tokens[1] in NESTED_CONTAINERS


class Unit(NamedTuple):
    """A unit of the document (a path item, a named schema, or the rest) with what it refers
    to."""

    pointer: str  # JSON pointer of the unit, REMAINDER for the rest of the document
    digest: str  # of its content (node_digest), in hex
    # Pointers of the units its references point into (itself excluded), sorted: a tuple
    # marshals at three times a frozenset's speed, and units are kept from run to run.
    refs: tuple[str, ...]


# What closure_digests_after worked out, for the next run: by unit pointer, the unit's digest
# and refs, the digest of its component's closure, and its closure digest.
ClosureState = dict[str, tuple[str, tuple[str, ...], str, str]]


def units(
    root: dict[str, Any], read: dict[str, UnitDigest] | None = None, last: ClosureState | None = None
) -> dict[str, Unit]:
    """Every unit of the document, by pointer, the remainder included. `read` has the digests
    of those the loader found already (see parse_memo.py); the others are made here. `last`,
    an earlier run's state (closure_digests_after), gives the refs of a unit of the same
    digest where they still hold: most units are as they were."""
    # Each unit's container and name: a value is read only where `read` lacks its digest (a
    # container read lazily then reads only those; see lazy_entries.py).
    parts = {pointer: (container, name) for pointer, container, name in _places(root)}
    parts[REMAINDER] = ({REMAINDER: remainder(root)}, REMAINDER)  # as a container of one
    last = last or {}
    # A unit's targets are those of its content. Where they land moves only with the units
    # there are: a target lands in the unit its first tokens name, and no unit is inside
    # another, so a new unit can only take targets that landed in the remainder, and a unit
    # gone only give its own to the remainder. The remainder's refs leave out what lands in
    # the remainder itself, so they are always worked out again.
    added = not parts.keys() <= last.keys()
    gone = last.keys() - parts.keys()
    known = read or {}
    landing: dict[str, str] = {}  # target pointer -> its unit: most targets are named again and again
    found: dict[str, Unit] = {}
    for pointer, (container, name) in parts.items():
        digest, targets = known.get(pointer) or unit_digest(container[name])
        entry = last.get(pointer)
        if entry is not None and entry[0] == digest and pointer != REMAINDER:
            refs = entry[1]
            if (not added or REMAINDER not in refs) and (not gone or gone.isdisjoint(refs)):
                found[pointer] = Unit(pointer, digest, refs)
                continue
        found[pointer] = Unit(pointer, digest, _refs(pointer, targets, parts, landing))
    return found


def closure_digests(units_by_pointer: dict[str, Unit], salt: str = "") -> dict[str, str]:
    """For each unit, one digest of it and of every unit it reaches through references: it
    changes when any of them does, or `salt` (the code that uses the digests) does.

    Each strongly connected component of the reference graph is hashed once, with the digests
    of the components it reaches (Tarjan's algorithm finishes those first), so the whole map
    costs one pass where a closure per unit cost one walk each. Units of one cycle reach the
    same units, so each unit's digest also names the unit itself.
    """
    return closure_digests_after(units_by_pointer, {}, salt)[0]


def closure_digests_after(
    units_by_pointer: dict[str, Unit], last: ClosureState, salt: str = ""
) -> tuple[dict[str, str], ClosureState]:
    """closure_digests, worked out again only for the units that reach a unit whose digest or
    refs are not those of `last` (an earlier run's state, of the same salt); and this run's
    state.

    A unit that reaches none of those reaches the units it reached then, each as it was then:
    its closure is the same, and so is its strongly connected component, all of whose units
    reach one another (a component is all new or all as before). So its entry in the state
    is as it was, and only the changed units and those that reach them are visited.
    """
    changed = [
        pointer
        for pointer, unit in units_by_pointer.items()
        if (kept := last.get(pointer)) is None or kept[0] != unit.digest or kept[1] != unit.refs
    ]
    if len(changed) == len(units_by_pointer):
        redo, state = set(units_by_pointer), {}
    else:
        redo, state = _reaching(units_by_pointer, changed), dict(last)
        for pointer in last.keys() - units_by_pointer.keys():
            del state[pointer]
    for component in _components(units_by_pointer, redo):
        digest = hashlib.sha256()
        for pointer in sorted(component):
            digest.update(f"{pointer}\0{units_by_pointer[pointer].digest}\0".encode())
        members = set(component)
        reached = {state[t][2] for p in component for t in units_by_pointer[p].refs if t not in members}
        for other in sorted(reached):
            digest.update(f"{other}\0".encode())
        of_component = digest.hexdigest()
        for pointer in component:
            unit = units_by_pointer[pointer]
            closure = hashlib.sha256(f"{salt}\0{pointer}\0{of_component}".encode()).hexdigest()
            state[pointer] = (unit.digest, unit.refs, of_component, closure)
    return {pointer: entry[3] for pointer, entry in state.items()}, state


# Levels of referrers found by scanning every unit's refs before an index of them pays.
_SCANNED_LEVELS = 4


def _reaching(units_by_pointer: dict[str, Unit], targets: list[str]) -> set[str]:
    """The units that reach any of `targets` through references, and those themselves.

    A change is usually referred to by few units, a few references deep: each level is then
    found by one pass over the units' refs, without indexing the units by what they refer
    to; deeper chains of references go on from such an index."""
    found = set(targets)
    level = found
    for _ in range(_SCANNED_LEVELS):
        level = {pointer for pointer, unit in units_by_pointer.items() if not level.isdisjoint(unit.refs)} - found
        if not level:
            return found
        found |= level
    referrers: dict[str, list[str]] = {}
    for pointer, unit in units_by_pointer.items():
        for target in unit.refs:
            referrers.setdefault(target, []).append(pointer)
    todo = list(level)
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
        work.append((pointer, iter(refs if within is None else within.intersection(refs))))

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


def named_units(root: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The pointer and value of every unit but the remainder."""
    return ((pointer, container[name]) for pointer, container, name in _places(root))


def _places(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The pointer of every unit but the remainder, with its container and its name there."""
    for keys, container in unit_containers(root):
        prefix = join_pointer("", *keys)
        for name in container:
            yield entry_pointer(prefix, name), container, name


def unit_containers(root: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Each container of units in `root`: its keys from the root, and its value."""
    for key in CONTAINERS:
        if isinstance(root.get(key), dict):
            yield (key,), root[key]
    for key in NESTED_CONTAINERS:
        nested = root.get(key)
        for kind, container in nested.items() if isinstance(nested, dict) else ():
            if isinstance(container, dict):
                yield (key, kind), container


def remainder(root: dict[str, Any]) -> dict[str, Any]:
    """The remainder unit's value: the root without the containers of units."""
    rest = {key: value for key, value in root.items() if key not in CONTAINERS}
    for key in NESTED_CONTAINERS:
        nested = rest.get(key)
        if isinstance(nested, dict):  # its containers are units; what else it holds is not
            rest[key] = {kind: value for kind, value in nested.items() if not isinstance(value, dict)}
    return rest


def _refs(pointer: str, targets: tuple[str, ...], parts: dict[str, Any], landing: dict[str, str]) -> tuple[str, ...]:
    owned = set()
    for target in targets:
        if target not in landing:
            landing[target] = _owner(target, parts)
        owned.add(landing[target])
    owned.discard(pointer)
    return tuple(sorted(owned))


def _owner(target: str, parts: dict[str, Any]) -> str:
    """The unit a pointer lands in: the named entry it starts with, else the remainder."""
    # A unit's pointer is its container's pointer plus one token: try each prefix that could
    # be one (at most a few tokens deep), longest first.
    tokens = target.split("/")
    for end in range(min(len(tokens), 4), 1, -1):
        candidate = "/".join(tokens[:end])
        if candidate in parts:
            return candidate
    return REMAINDER
