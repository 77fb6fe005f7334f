"""A JSON spec's last parse, kept so that a regeneration parses only what its edit changed.

Parsing GitHub's 13 MB spec and sharing its equal strings takes 0.13 s, the largest part of
a regeneration that changes one operation. The memo keeps, per package, the text it last
parsed, the parsed value (in marshal's format: loading it takes a quarter of parsing again,
and keeps the sharing of equal strings; the units, such as the path items and the
component schemas, are marshalled one by one and read as they are asked for, see
lazy_entries.py), where the text of each member lies (of the root
object, of `paths` and the other containers of units, of each section of `components`),
and the digest of each unit (units.unit_digest), which validation and the build memos'
keys are made of.

A new text is compared with the kept one from both ends. The members the difference falls
in, in the innermost object that holds all of it, are parsed again from the new text and
take the place of the old ones; everything else is the kept value. A member the edit did
not touch has the same text, and JSON is read the same way whatever stands before an
object's member (the parse state there is the same), so the result is what json.loads
gives for the new text. Anything unusual (a key twice, an edit that reaches across objects,
text that does not parse) is parsed whole instead. The units outside the difference keep
their digests.

The memo keeps the first text it read while later ones differ from it in little (see
_far_apart), so a regeneration does not write 17 MB again for a one-operation change.

It also keeps the file's bytes that text was decoded from, and whether the text may hold a
$ref to another file. For a document that holds none, `parsed_file` answers from the bytes
alone: it compares them with the kept ones, and decodes only the bytes that differ (the
loader's decoding, which writes non-ASCII characters as escapes, the digest of the text and
the search for external $refs took 0.06 s of each process of a regeneration). Where the text
differs then is found from where the kept bytes' non-ASCII characters were; only the
members that are parsed again are made text, and searched for external $refs.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import struct
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..cache import code_digest, entry_name, mapped, used, write_atomically
from ..errors import join_pointer
from .lazy_entries import LazyEntries, plain
from .loader import escaped_json, may_refer_outside, share_strings
from .units import CONTAINERS, NESTED_CONTAINERS, REMAINDER, UnitDigest, entry_pointer, remainder, unit_containers, unit_digest

__all__ = ["ParseMemo", "parse_with_members"]

# An object's member: its key, where its key and its value start and where the value ends
# in the text, and the members of the value when it is an object the memo looks into (a
# list of Member; None for an object with a key twice, whose members cannot be replaced
# one by one).
Member = tuple[str, int, int, int, Any]
Members = list[Member]

KEPT_ENTRIES = 16  # kept at the most, the most recently used (one per package)
_MAGIC = b"codegen-parse-memo 4\n"
_LENGTHS = struct.Struct("<QQQQQ")
_JSON_OBJECT_START = re.compile(rb"[ \t\n\r]*{")  # bytes the loader decodes as they are (no BOM)
_NON_ASCII_BYTES = re.compile(rb"[\x80-\xff]+")
_WS = re.compile(r"[ \t\n\r]*")
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # what json.loads reads values with
_CHUNK = 1 << 16  # bytes compared at a time when looking for the first difference
_REPARSED_AT_MOST = 16  # the memo is written anew when texts differ over more than 1/16 of the new one


def _skip(text: str, at: int = 0, end: int | None = None) -> int:
    """Where the whitespace from `at` ends (before `end`)."""
    found = _WS.match(text, at, len(text) if end is None else end)
    return found.end() if found is not None else at


class _NotSimple(Exception):
    """The text is not a plain object this module reads by members (json.loads will say why)."""


def parse_with_members(text: str) -> tuple[Any, Members | None]:
    """json.loads(text), and the root object's members; None for them when the text is not
    an object read member by member (json.loads then gives the value, or the error)."""
    start = _skip(text)
    if text[start : start + 1] == "{":
        try:
            value, end, members = _object(text, start, ())
            if _skip(text, end) == len(text) and members is not None:
                return value, members
        except (_NotSimple, ValueError, StopIteration):
            pass
    return json.loads(text), None


def _object(text: str, at: int, path: tuple[str, ...]) -> tuple[dict[str, Any], int, Members | None]:
    """The object whose "{" is at `at`, where it ends, and its members."""
    at = _skip(text, at + 1)
    if text[at : at + 1] == "}":
        return {}, at + 1, []
    value: dict[str, Any] = {}
    members: Members = []
    while True:
        key, member, at = _member(text, at, path)
        value[key] = member[0]
        members.append(member[1])
        at = _skip(text, at)
        delimiter = text[at : at + 1]
        if delimiter == "}":
            return value, at + 1, members if len(value) == len(members) else None
        if delimiter != ",":
            raise _NotSimple()
        at = _skip(text, at + 1)


def _member(text: str, at: int, path: tuple[str, ...]) -> tuple[str, tuple[Any, Member], int]:
    """The member whose key starts at `at`: its key, (value, Member), and where it ends."""
    if text[at : at + 1] != '"':
        raise _NotSimple()
    key, colon = _SCAN(text, at)
    colon = _skip(text, colon)
    if text[colon : colon + 1] != ":":
        raise _NotSimple()
    start = _skip(text, colon + 1)
    if text[start : start + 1] == "{" and _looked_into(path, key):
        value, end, members = _object(text, start, (*path, key))
    else:
        (value, end), members = _SCAN(text, start), None
    return key, (value, (key, at, start, end, members)), end


def _looked_into(path: tuple[str, ...], key: str) -> bool:
    """Whether the object under `key` at `path` is read member by member: the containers of
    units (see units.py), which are what a regeneration's edit usually falls into."""
    if not path:
        return key in CONTAINERS or key in NESTED_CONTAINERS
    return len(path) == 1 and path[0] in NESTED_CONTAINERS


def _far_apart(change: _Change, size: int) -> bool:
    """Whether the text differs from the kept one over so much of it that the kept one should
    be replaced. The memo keeps the first text it read as long as it can: every later run
    compares with it and parses what lies between its first and its last difference, which
    stays small while the edits are few, and saves writing the memo anew (0.04 s on GitHub)."""
    return max(change.old_end, change.new_end) - change.start > size // _REPARSED_AT_MOST


@dataclass
class _Change:
    """Where two texts differ: [start, old_end) in the old one is [start, new_end) in the new."""

    start: int
    old_end: int
    new_end: int

    @property
    def shift(self) -> int:
        return self.new_end - self.old_end


def _change(old: bytes | memoryview, new: bytes) -> _Change:
    shortest = min(len(old), len(new))
    start = _common_prefix(new, old, shortest)
    # The common suffix may not reach into the common prefix (an edit that repeats text).
    tail = _common_suffix(new, old, shortest - start)
    return _Change(start, len(old) - tail, len(new) - tail)


def _same(old: bytes | memoryview, new: bytes) -> bool:
    return len(old) == len(new) and new.startswith(old)


def _common_prefix(a: bytes, b: bytes | memoryview, limit: int) -> int:
    """How many bytes a and b begin with in common, at most `limit`: by chunks, then within
    the chunk that differs by halves (byte by byte, its 64 KB took 4 ms). (startswith with a
    view compares in place: slicing both sides copied each chunk twice.)"""
    at, view, step = 0, memoryview(b), _CHUNK
    while step:
        while at + step <= limit and a.startswith(view[at : at + step], at):
            at += step
        step //= 2
    return at


def _common_suffix(a: bytes, b: bytes | memoryview, limit: int) -> int:
    """How many bytes a and b end with in common, at most `limit` (as _common_prefix)."""
    at, a_end, b_end, view, step = 0, len(a), len(b), memoryview(b), _CHUNK
    while step:
        while at + step <= limit and a.startswith(view[b_end - at - step : b_end - at], a_end - at - step):
            at += step
        step //= 2
    return at


# Part of the new text: text(start, end) is a string holding the text's [start, end) and
# where in the text that string starts.
TextPart = Callable[[int, int], tuple[str, int]]


def _whole(text: str) -> TextPart:
    return lambda start, end: (text, 0)


def _spliced(
    value: dict[str, Any],
    members: Members,
    span: tuple[int, int],
    text: TextPart,
    change: _Change,
    path: tuple[str, ...] = (),
) -> tuple[dict[str, Any], Members]:
    """The object at `span` (its "{" and "}" in the old text, outside the change) read from
    the new text: its members the change falls in parsed again, the others kept. Raises
    _NotSimple (or what parsing raises) when that cannot be done member by member."""
    ends = [member[3] for member in members]
    key_starts = [member[1] for member in members]
    first = bisect_left(ends, change.start)  # members before it end before the change
    after = bisect_right(key_starts, change.old_end)  # members from it on start after it
    if after - first == 1:
        key, key_start, start, end, inner = members[first]
        if inner is not None and start < change.start and change.old_end < end:
            value[key], inner = _spliced(value[key], inner, (start, end - 1), text, change, (*path, key))
            member = (key, key_start, start, end + change.shift, inner)
            return value, [*members[:first], member, *_shifted(members[after:], change.shift)]
    gap_start = members[first - 1][3] if first else span[0] + 1
    gap_end = members[after][1] + change.shift if after < len(members) else span[1] + change.shift
    parsed_value, parsed = _gap(text, gap_start, gap_end, path, comma_first=first > 0, comma_last=after < len(members))
    items = list(dict.items(value))  # as stored: the entries of a LazyEntries not read stay so
    kept_keys = {key for key, _ in items[:first]} | {key for key, _ in items[after:]}
    if len(parsed_value) != len(parsed) or not kept_keys.isdisjoint(parsed_value):
        raise _NotSimple()  # a key twice: the members would no longer be the object's items
    new_items = share_strings(parsed_value, aliases=False).items()
    spliced = type(value)([*items[:first], *new_items, *items[after:]])
    return spliced, [*members[:first], *parsed, *_shifted(members[after:], change.shift)]


def _gap(
    part: TextPart, at: int, end: int, path: tuple[str, ...], comma_first: bool, comma_last: bool
) -> tuple[dict[str, Any], Members]:
    """The members in the new text's [at, end), between two kept members or an object's
    brace: a comma comes first when a kept member is before, and last when one is after."""
    text, base = part(at, end)
    value, members = _gap_members(text, at - base, end - base, path, comma_first, comma_last)
    return value, _shifted(members, base)


def _gap_members(
    text: str, at: int, end: int, path: tuple[str, ...], comma_first: bool, comma_last: bool
) -> tuple[dict[str, Any], Members]:
    value: dict[str, Any] = {}
    members: Members = []
    wants_comma = comma_first
    while True:
        at = _skip(text, at, end)
        if at >= end:
            break
        if wants_comma:
            if text[at] != ",":
                raise _NotSimple()
            at, wants_comma = at + 1, False
            continue
        key, (item, member), at = _member(text, at, path)
        if at > end:
            raise _NotSimple()
        value[key] = item
        members.append(member)
        wants_comma = True
    # Before a kept member the last thing is a comma; before the closing brace, a member
    # (or nothing at all, in an object left empty).
    closes_well = not wants_comma if comma_last else wants_comma or not (comma_first or members)
    if at != end or not closes_well:
        raise _NotSimple()
    return value, members


def _shifted(members: Members, shift: int) -> Members:
    if not shift:
        return members
    return [
        (key, key_start + shift, start + shift, end + shift, _shifted(inner, shift) if inner else inner)
        for key, key_start, start, end, inner in members
    ]


def _containers(members: Members, value: dict[str, Any]) -> Iterator[tuple[str, Members, dict[str, Any], Member]]:
    """Each container of units (units.py) among the members, read member by member: its
    pointer, its members, its value (the containers of the root, and each section of
    `components`), and the root's member it is in."""
    for member in members:
        key, _, _, _, inner = member
        if inner is not None and key in CONTAINERS:
            yield join_pointer("", key), inner, value[key], member
        elif inner is not None and key in NESTED_CONTAINERS:
            for kind, _, _, _, entries in inner:
                if entries:
                    yield join_pointer("", key, kind), entries, value[key][kind], member


def _leaves(members: Members, value: dict[str, Any]) -> Iterator[tuple[str, int, int, Any]]:
    """(pointer, start, end, value) of every unit among the members: the entries of the
    containers of units."""
    for pointer, inner, container, _ in _containers(members, value):
        for name, _, start, end, _ in inner:
            yield entry_pointer(pointer, name), start, end, container[name]


def _unit_digests(
    members: Members, value: dict[str, Any], kept: _Kept | None, change: _Change | None
) -> dict[str, UnitDigest]:
    """Every unit's digest (units.unit_digest), the remainder's too; those of a unit whose
    text the change did not reach (at the same place, under the same pointer) as they were
    kept."""
    if kept is None or change is None:
        found = {pointer: unit_digest(unit) for pointer, _, _, unit in _leaves(members, value)}
        return found | {REMAINDER: unit_digest(remainder(value))}
    found = _kept_unit_digests(members, value, kept, change)
    kept_rest = kept.units.get(REMAINDER)
    found[REMAINDER] = kept_rest if kept_rest is not None and _inside_a_container(members, change) else unit_digest(remainder(value))
    return found


def _kept_unit_digests(members: Members, value: dict[str, Any], kept: _Kept, change: _Change) -> dict[str, UnitDigest]:
    """The units' digests after `change`. Asked on every regeneration for thousands of
    units, most of them kept: the units of a root's member wholly before or after the change
    are the kept ones, in order, and are taken as they are (their places checked); the
    others one by one."""
    found: dict[str, UnitDigest] = {}
    old, units = kept.starts, kept.units
    places = list(_containers(members, value))
    head = 0  # the next kept unit before the change, and after it
    tail = len(old) - sum(len(inner) for _, inner, _, outer in places if outer[1] >= change.new_end)
    for prefix, inner, container, (_, key_start, _, end, _) in places:
        if end <= change.start or key_start >= change.new_end:
            before = end <= change.start
            at, shift = (head, 0) if before else (tail, change.shift)
            same = old[at : at + len(inner)]
            head, tail = (head + len(inner), tail) if before else (head, tail + len(inner))
            if [member[2] for member in inner] == [start + shift for _, start in same]:
                try:
                    found.update({pointer: units[pointer] for pointer, _ in same})
                    continue
                except KeyError:  # a unit the entry has no digest of: see below
                    pass
        for name, _, start, end, _ in inner:
            pointer = entry_pointer(prefix, name)
            found[pointer] = _kept_digest(kept, change, pointer, start, end) or unit_digest(container[name])
    return found


def _kept_digest(kept: _Kept, change: _Change, pointer: str, start: int, end: int) -> UnitDigest | None:
    """The kept digest of the unit at [start, end) in the new text, if the change did not
    reach it and the kept text has it there, under the same pointer."""
    if not (end <= change.start or start >= change.new_end):
        return None
    at = start if end <= change.start else start - change.shift
    if kept.by_start is None:
        kept.by_start = {place: pointer for pointer, place in kept.starts}
    return kept.units.get(pointer) if kept.by_start.get(at) == pointer else None


def _inside_a_container(members: Members, change: _Change | None) -> bool:
    """Whether the change lies within the braces of an object that is a container of units,
    whose content the remainder leaves out: the remainder is then as it was."""
    if change is None:
        return False
    for key, _, start, end, inner in members:
        if inner is None or not (start < change.start and change.new_end < end):
            continue
        if key in CONTAINERS:
            return True
        if key in NESTED_CONTAINERS:
            return any(
                entries is not None and kind_start < change.start and change.new_end < kind_end
                for _, _, kind_start, kind_end, entries in inner
            )
    return False


@dataclass
class _Kept:
    """The memo's entry as read: the last parse, where its members lie, and its units."""

    text: bytes | memoryview
    skeleton: bytes | memoryview  # the value without the units' entries, marshalled
    entries: bytes | memoryview  # those entries, each marshalled alone
    placed: Placed  # where they are
    members: Members
    span: tuple[int, int]  # where the root object's "{" is, and where it ends
    units: dict[str, UnitDigest]
    starts: list[tuple[str, int]]  # each unit's pointer, and where its value starts
    raw: bytes | memoryview | None  # the file's bytes the text was decoded from, if known
    runs: Runs  # where those bytes' non-ASCII characters are, and what they became
    plain: bool  # whether the text certainly holds no $ref to another file
    stamp: str  # drawn at random when the entry was written: which entry this is
    by_start: dict[int, str] | None = None  # each unit's pointer by where it starts, once asked for


# The runs of non-ASCII bytes in a file, for positions outside them: where each run ends in
# the bytes, and how many characters longer than the bytes the text is up to there (each
# character became a \u escape).
Runs = tuple[list[int], list[int]]


def _runs(raw: bytes, text: bytes) -> Runs | None:
    """The runs of `raw`, which decoded to `text`; None if they do not add up to it."""
    ends: list[int] = []
    grown: list[int] = []
    extra = 0
    for run in _NON_ASCII_BYTES.finditer(raw):
        extra += len(escaped_json(run.group())) - len(run.group())
        ends.append(run.end())
        grown.append(extra)
    return (ends, grown) if len(raw) + extra == len(text) else None


def _in_text(runs: Runs, at: int) -> int:
    """Where the bytes' position `at`, outside any run, is in the text."""
    before = bisect_right(runs[0], at)
    return at + (runs[1][before - 1] if before else 0)


def _bytes_change(kept: _Kept, raw: bytes) -> tuple[_Change, str, str] | None:
    """Where the text of `raw` differs from the kept one, and its text there: the bytes that
    differ, widened to whole runs of non-ASCII ones, decoded; and an identity of `raw` (see
    parsed_file). None if they are not UTF-8."""
    old = kept.raw
    assert old is not None
    found = _change(old, raw)
    start, old_end, new_end = found.start, found.old_end, found.new_end
    while start and old[start - 1] >= 0x80:
        start -= 1
    while old_end < len(old) and old[old_end] >= 0x80:
        old_end, new_end = old_end + 1, new_end + 1
    try:
        middle = escaped_json(raw[start:new_end])
    except UnicodeDecodeError:
        return None
    at = _in_text(kept.runs, start)
    # The kept bytes, and these in place of their [start, old_end), make `raw` whole.
    identity = hashlib.sha256(f"{kept.stamp}\0{start}\0{old_end}\0".encode() + raw[start:new_end]).hexdigest()
    return _Change(at, _in_text(kept.runs, old_end), at + len(middle)), middle, identity


def _new_text(kept: bytes | memoryview, change: _Change, middle: str, made: list[str]) -> TextPart:
    """The new text's parts, made from the kept text around the change and `middle` in it;
    each part made is added to `made`."""

    def part(start: int, end: int) -> tuple[str, int]:
        pieces = []
        if start < change.start:
            pieces.append(str(kept[start : min(end, change.start)], "ascii"))
        if max(start, change.start) < min(end, change.new_end):
            pieces.append(middle[max(start, change.start) - change.start : min(end, change.new_end) - change.start])
        if end > change.new_end:
            pieces.append(str(kept[max(start, change.new_end) - change.shift : end - change.shift], "ascii"))
        made.append("".join(pieces))
        return made[-1], start

    return part


# The containers of units, each from the root (one key, or two under `components`), with
# its names and where each entry's marshalled value ends (entries follow each other,
# container after container).
Placed = list[tuple[tuple[str, ...], list[str], list[int]]]


def _split(root: dict[str, Any]) -> tuple[dict[str, Any], bytes, Placed]:
    """The root with its containers of units left empty, their entries marshalled one after
    the other, and where (see Placed)."""
    skeleton = dict(root)
    entries = bytearray()
    placed: Placed = []
    for keys, container in unit_containers(root):
        ends = []
        for entry in container.values():
            entries += marshal.dumps(entry, 4)
            ends.append(len(entries))
        placed.append((keys, list(container), ends))
        if len(keys) == 1:
            skeleton[keys[0]] = {}
        else:  # a copy of `components`, made once per container in it: they are few
            skeleton[keys[0]] = {**skeleton[keys[0]], keys[1]: {}}
    return skeleton, bytes(entries), placed


def _lazy_value(kept: _Kept) -> dict[str, Any]:
    """The kept value with its containers of units as LazyEntries."""
    root = marshal.loads(kept.skeleton)
    entries, start = kept.entries, 0
    for keys, names, ends in kept.placed:
        holder = root
        for key in keys[:-1]:
            holder = holder[key]
        holder[keys[-1]] = LazyEntries.of(names, map(entries.__getitem__, map(slice, [start, *ends], ends)))
        start = ends[-1] if ends else start
    return root


class ParseMemo:
    """The kept parse of one package's spec (see the module's docstring)."""

    def __init__(self, path: Path | None, salt: str = "", *, keeps: bool = True) -> None:
        self._path = path
        self._salt = salt.encode()
        self._keeps = keeps  # whether a parse updates the memo (and its time of use)
        self._read_once: tuple[_Kept | None] | None = None  # the entry as read (see _read)

    @classmethod
    def in_directory(cls, directory: Path, identity: str) -> ParseMemo:
        return cls(directory / f"{entry_name(identity)}.parsed", _code_version())

    def kept(self) -> bool:
        """Whether a parse is kept to start from (of this code: the same salt)."""
        try:
            return self._path is not None and mapped(self._path)[: len(self._header)] == self._header
        except (OSError, ValueError):
            return False

    @property
    def _header(self) -> bytes:
        return _MAGIC + self._salt + b"\n"

    def read_only(self) -> ParseMemo:
        """This memo, for a process that parses beside the one that keeps the memo up to date."""
        return ParseMemo(self._path, self._salt.decode(), keeps=False)

    def parsed_file(self, raw: bytes) -> tuple[Any, dict[str, UnitDigest], str] | None:
        """What `parsed` gives for the text of the JSON file whose bytes are `raw`, found
        without decoding them: when the kept parse knows the bytes it was read from and holds
        no $ref to another file, and `raw` differs from those bytes in little and adds none.
        None otherwise: the file is then decoded and given to `parsed`. With them, an
        identity of `raw` made of the kept entry's stamp and the bytes that differ: two
        processes that find the same one read the same bytes, without hashing them all."""
        kept = self._read()
        if kept is None or kept.raw is None or not kept.plain:
            return None
        if _same(kept.raw, raw):
            self._used()
            return _lazy_value(kept), kept.units, f"{kept.stamp}\0same"
        found = _bytes_change(kept, raw)
        if found is None:
            return None
        change, middle, identity = found
        if _far_apart(change, len(kept.text) + change.shift):
            return None  # `parsed` writes the memo anew
        made: list[str] = []
        spliced = self._from_kept(kept, _new_text(kept.text, change, middle, made), change)
        if spliced is None or any(may_refer_outside(part) for part in made):
            return None
        value, members = spliced
        self._used()
        return value, _unit_digests(members, value, kept, change), identity

    def parsed(self, text: str, raw: bytes | None = None) -> tuple[Any, dict[str, UnitDigest] | None]:
        """json.loads(text), with equal strings shared, and its units' digests (None when it
        is not read member by member); kept for the next run, with `raw`, the file's bytes
        that the loader decoded to `text`, if given. Raises what json.loads raises for a
        text that is not JSON."""
        if not text.isascii():  # the loader escapes what is not; positions are then byte offsets
            return share_strings(json.loads(text), aliases=False), None
        data = text.encode("ascii")
        kept = self._read()
        if kept is not None and _same(kept.text, data):
            self._used()
            return _lazy_value(kept), kept.units
        change = _change(kept.text, data) if kept is not None else None
        found = self._from_kept(kept, _whole(text), change) if kept is not None and change is not None else None
        if found is None:
            kept = change = None
            value, members = parse_with_members(text)
            value = share_strings(value, aliases=False)
        else:
            value, members = found
        if members is None:
            return value, None
        units = _unit_digests(members, value, kept, change)
        if change is None or _far_apart(change, len(data)):
            starts = [(pointer, start) for pointer, start, _, _ in _leaves(members, value)]
            self._write(data, value, members, units, starts, raw, not may_refer_outside(text))
        else:
            self._used()
        return value, units

    def _used(self) -> None:
        if self._path is not None and self._keeps:
            used(self._path)

    def _from_kept(self, kept: _Kept, text: TextPart, change: _Change) -> tuple[Any, Members] | None:
        if not (kept.span[0] < change.start and change.old_end < kept.span[1]):
            return None  # the root's own braces changed, or text around them
        try:
            return _spliced(_lazy_value(kept), kept.members, (kept.span[0], kept.span[1] - 1), text, change)
        except (_NotSimple, ValueError, StopIteration, RecursionError, TypeError, KeyError, EOFError):
            return None

    def _read(self) -> _Kept | None:
        """The kept entry, read once: `parsed` reads it again after `parsed_file` declined."""
        if self._read_once is None:
            self._read_once = (self._read_entry(),)
        return self._read_once[0]

    def _read_entry(self) -> _Kept | None:
        if self._path is None:
            return None
        try:
            data = mapped(self._path)
            if data[: len(self._header)] != self._header:
                return None
            at = len(self._header)
            lengths = _LENGTHS.unpack_from(data, at)
            at += _LENGTHS.size
            view = memoryview(data)
            text, raw, skeleton, entries, table = (view[start : start + length] for start, length in _parts(at, lengths))
            placed, members, span, units, starts, raw_kept, runs, plain_text, stamp = marshal.loads(table)
            known = text if raw_kept == _RAW_IS_TEXT else raw if raw_kept == _RAW_KEPT else None
            return _Kept(
                text, skeleton, entries, placed, members, tuple(span), units, starts, known, runs, plain_text, str(stamp)  # type: ignore[arg-type]
            )
        except (OSError, ValueError, EOFError, TypeError, struct.error):
            return None

    def _write(
        self,
        text: bytes,
        value: Any,
        members: Members,
        units: dict[str, UnitDigest],
        starts: list[tuple[str, int]],
        raw: bytes | None,
        plain_text: bool,
    ) -> None:
        if self._path is None or not self._keeps:
            return
        span = (len(text) - len(text.lstrip(b" \t\n\r")), len(text.rstrip(b" \t\n\r")))
        raw_kept, runs = _raw_kept(raw, text)
        value = plain(value)  # spliced from a lazy value: marshal writes plain dicts alone
        skeleton, entries, placed = _split(value)
        table = (placed, members, span, units, starts, raw_kept, runs, plain_text, os.urandom(16).hex())
        kept_raw = raw if raw is not None and raw_kept == _RAW_KEPT else b""
        parts = (text, kept_raw, marshal.dumps(skeleton, 4), entries, marshal.dumps(table, 4))

        def write(handle: BinaryIO) -> None:
            handle.write(self._header + _LENGTHS.pack(*map(len, parts)))
            for part in parts:
                handle.write(part)

        write_atomically(self._path, write, KEPT_ENTRIES)
        self._read_once = None


_RAW_UNKNOWN, _RAW_IS_TEXT, _RAW_KEPT = 0, 1, 2  # what the memo knows of the file's bytes


def _raw_kept(raw: bytes | None, text: bytes) -> tuple[int, Runs]:
    """How the file's bytes are kept (see _RAW_UNKNOWN), and their runs of non-ASCII bytes."""
    if raw is None or not _JSON_OBJECT_START.match(raw):
        return _RAW_UNKNOWN, ([], [])
    if raw == text:
        return _RAW_IS_TEXT, ([], [])
    runs = _runs(raw, text)
    return (_RAW_KEPT, runs) if runs is not None else (_RAW_UNKNOWN, ([], []))


def _parts(at: int, lengths: tuple[int, ...]) -> Iterator[tuple[int, int]]:
    for length in lengths:
        yield at, length
        at += length


def _code_version() -> str:
    # marshal's format may change with the interpreter.
    here = Path(__file__)
    return code_digest(sys.version, [here, here.with_name("units.py")])
