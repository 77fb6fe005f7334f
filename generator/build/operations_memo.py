"""Operations, kept between runs with what building them added.

After the component schemas (memo.py), the build goes through the resource groups in
order, and each operation adds its inline schemas to the schema builder's state (models,
enums, types by pointer, names taken, warnings) and takes its method's name among those of
its group. What an operation builds depends on two things alone: what it reads of the
document (its path item and every node its references reach, besides the component
schemas), and that state before it.

So the memo keys an operation by a hash of both, the state standing as a chain: the first
link is the component schemas' key (with the security schemes the operations refer to),
and each operation that adds something adds the digest of what it added
(schemas.Additions); within a group, a second chain holds the names its methods took. An
operation whose key is kept gives back its record and replays its additions; a changed one
is built, and when it adds what it added before (or nothing, as a new operation whose
schemas are all `$ref`s), the chain is the same again after it, and the operations after
it are served from the memo (in its group, those after a new one are built again: their
methods' names may have changed).

Before any group, the builder collects the operations of every path item, their methods
and groups: the memo keeps those of each path item with the path item's digest, so a run
reads only the path items that changed (lazy_entries.py: GitHub's 811 path items took
0.008 s to unmarshal, and 0.0035 s to collect).

Most groups are the same as in the last run, and the hash of what each operation reads
took a quarter of the operations' share of a regeneration. So each group's records are
kept with its head (GroupHead): the state before the group, its operations' places, and
every node they read with the digest of its content (NodeDigests.read_from). While the
state and the places are the same and each of those nodes has its digest, the group's
operations read what they read before, and so have the keys they had: the whole group is
served at the cost of comparing those digests.

A group served whole is not even unpickled (a quarter of a GitHub regeneration's build):
its head also holds the group's outline, what its operations added as one (which the
state goes on with) and its summary (model.GroupSummary: what the rest of the package
says of its operations), and the state after it. The group's operations are loaded from
its records when something first reads them, as when its module is rendered.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeVar

from ..cache import Fingerprints, append_pickled, entry_name, read_pickled_updates, used, write_pickled
from ..model import Enum, GroupSummary, Model, Operation, ResourceGroup
from .memo import NodeDigests, code_version, deferred_pickles
from .naming import NameAllocator
from .schemas import Additions, SchemaBuilder

T = TypeVar("T")

KEPT_ENTRIES = 16  # one per package, the most recently used
MOST_PIECES = 8  # a group's records are pickled in this many pieces at the most
_SCHEMAS = "/components/schemas"  # the component memo's key holds what is reached there


@dataclass(frozen=True)
class OperationRecord:
    """A built operation, with what building it added to the builder's state."""

    operation: Operation
    added: Additions
    fingerprints: tuple[bytes, ...]  # of the models, then the enums, that `added` holds
    operation_digest: bytes  # of the operation's repr
    added_digest: bytes  # of `added`


class GroupHead(NamedTuple):
    """What a group's records were built from, besides the building code, and what serving
    the group whole takes besides them (see above)."""

    chain: bytes  # the builder's state before the group
    places: bytes  # a digest of its operations' places, in order
    read: tuple[tuple[str, bytes], ...]  # each node its operations read, and its digest
    keys: tuple[bytes, ...]  # its records' keys, in order
    reached: tuple[tuple[str, bytes], ...]  # each path item, and the digest of what it reaches
    after: bytes  # the builder's state after the group
    digest: bytes  # of its operations, in order
    outline: bytes  # an Outline, pickled
    check: int  # the CRC-32 of its outline and its records' pieces: a group served unread must read later


class Outline(NamedTuple):
    summary: GroupSummary  # without its first read operation:
    first_read: tuple[str, bytes] | None  # pickled, and deferred when served (one group's is read)
    added: Additions  # what the group's operations added, in order, as one; its models and enums:
    models: tuple[tuple[str, bytes], ...]  # each pickled alone, and deferred when served (a regeneration
    enums: tuple[tuple[str, bytes], ...]  # renders few of them: the render memo has their files)
    fingerprints: tuple[bytes, ...]  # of the models, then the enums


class ServedGroup(NamedTuple):
    summary: GroupSummary
    operations: Callable[[], tuple[Operation, ...]]  # unpickles them


_UNCHECKED = -1  # a head's check until its pieces are pickled


Place = tuple[str, str, str, str]  # an operation's method, path, pointer and its path item's pointer
Collected = tuple[tuple[str, str], ...]  # a path item's operations: each one's method and group


class OperationMemo:
    """The operations one package's last run built, and those of this run, to keep.

    The builder asks for each group in turn: `group` serves it whole, or else `operation`
    is asked for each of its operations; `end_group` then says what the group became."""

    def __init__(self, path: Path | None, salt: str = "", fingerprints: Fingerprints | None = None) -> None:
        """`fingerprints` learns the digests of what a kept operation holds (see cache.Fingerprints)."""
        self._path = path
        self._salt = salt
        self.fingerprints = fingerprints or Fingerprints()
        self._start = ""
        self._chain = b""  # the schema builder's state
        self._group = ""
        self._names = b""  # the method names the current group has given out
        self._nodes: NodeDigests | None = None
        # The records are pickled by group, in pieces: a run that builds one operation pickles
        # it alone as one more piece of its group, and writes every other piece as it read it
        # (GitHub: 0.07 s, then 0.011 s for the records of the group that changed, 0.0003 s).
        self._chunks: dict[str, tuple[bytes, ...]] = {}  # the last run's pieces, by group
        # The last run's heads, by group, each pickled alone: a run adds those of the groups it
        # changed to the entry (see save).
        self._heads: dict[str, Any] = {}  # bytes; None in an update: the group is gone
        self._size = 0  # of the entry read, when it can be added to
        self._old: dict[bytes, OperationRecord] | None = None  # the last run's, of the current group, once read
        self._records: dict[bytes, OperationRecord] = {}  # this run's, of the current group
        self._places: list[Place] = []  # of the current group's operations so far
        self._entered = b""  # the state before the current group
        self._served: GroupHead | None = None  # the current group's, when it was served whole
        self._last: GroupHead | None = None  # the current group's last head, as read
        self._reached: dict[str, bytes] = {}  # by path item of the current group: see group
        self._kept: dict[str, tuple[tuple[bytes, ...], dict[bytes, OperationRecord]]] = {}  # see _kept_records
        self._kept_heads: dict[str, GroupHead | bytes] = {}  # this run's, by group; bytes: as it was kept
        # What the last run collected of each path item, and this run's: by its pointer, with
        # its digest (see collected).
        self._collected: dict[str, Any] = {}  # (digest, Collected); None in an update: gone
        self._collecting: dict[str, tuple[str, Collected]] = {}
        self._built = 0  # operations this run built

    @classmethod
    def in_directory(cls, directory: Path, identity: str, fingerprints: Fingerprints | None = None) -> OperationMemo:
        return cls(directory / f"{entry_name(identity)}.operations", code_version(), fingerprints)

    def start(self, seed: str, nodes: NodeDigests) -> None:
        """Begin the chain with `seed`: the component schemas' key and whatever else every
        operation reads. The last run's operations are read if its chain began the same.
        `nodes` makes the digests of what each operation reads."""
        self._start = hashlib.sha256(f"{self._salt}\0{seed}".encode()).hexdigest()
        self._chain = bytes.fromhex(self._start)
        self._nodes = nodes
        kept, self._size = read_pickled_updates(self._path, self._start) if self._path is not None else ([], 0)
        for update in kept:  # the entry as written, then what later runs changed (see save)
            if not (isinstance(update, tuple) and len(update) == 3 and all(isinstance(part, dict) for part in update)):
                self._chunks, self._heads, self._collected, self._size = {}, {}, {}, 0
                return
            self._chunks.update(update[0])
            self._heads.update(update[1])
            self._collected.update(update[2])
        for gone in [group for group, head in self._heads.items() if head is None]:
            self._chunks.pop(gone, None)
            del self._heads[gone]
        self._collected = {pointer: kept for pointer, kept in self._collected.items() if kept is not None}

    def collected(self, pointer: str) -> Collected | None:
        """The methods and groups of the operations of the path item at `pointer`, as the
        last run collected them, while the loader finds the path item's digest the same;
        else None, and the builder reads it (and tells keep_collected)."""
        digest = self._nodes.read_digest(pointer) if self._nodes is not None else None
        kept = self._collected.get(pointer)
        if digest is None or not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != digest:
            return None
        self._collecting[pointer] = kept
        return kept[1]  # type: ignore[no-any-return]

    def keep_collected(self, pointer: str, operations: Collected) -> None:
        """What the builder collected of the path item at `pointer`, which holds its
        operations itself, to keep with its digest."""
        digest = self._nodes.read_digest(pointer) if self._nodes is not None else None
        if digest is not None:
            self._collecting[pointer] = (digest, operations)

    def group(self, group: str, places: list[Place], schemas: SchemaBuilder) -> ServedGroup | None:
        """The group whose operations are at these places, served whole when its head says
        they would all be served (see above): its summary, and its operations to load when
        they are wanted; `schemas` goes on as if they had been built. Else None, and
        `operation` is asked for each."""
        if self._nodes is None:
            raise RuntimeError("OperationMemo.group before start")
        self._enter(group)
        head = self._last = _loaded(self._heads.get(group), GroupHead)
        if head is None or not self._nodes.same(head.read):
            return None
        # What each path item reaches is as before, whatever else changed: a group asked for
        # operation by operation need not work it out again (0.005 s for GitHub's repos).
        self._reached = dict(head.reached)
        if head.chain != self._chain or head.places != _digest_of(places):
            return None
        pieces = self._chunks.get(group, ())
        outline = _loaded(head.outline, Outline) if _check(head.outline, pieces) == head.check else None
        if outline is None:
            return None  # a damaged entry
        models, enums = tuple(deferred_pickles(Model, outline.models)), tuple(deferred_pickles(Enum, outline.enums))
        schemas.add(replace(outline.added, models=models, enums=enums))
        self.fingerprints.know_each((obj for _, obj in (*models, *enums)), outline.fingerprints)
        self._chain, self._served = head.after, head
        first = deferred_pickles(Operation, [outline.first_read])[0][1] if outline.first_read is not None else None
        return ServedGroup(replace(outline.summary, first_read=first), partial(self._operations, pieces, head.keys))

    def operation(
        self,
        group: str,
        place: Place,
        schemas: SchemaBuilder,
        names: NameAllocator,
        build: Callable[[], Operation],
    ) -> OperationRecord:
        """The record of the group's next operation, from the memo or from `build`, which
        takes its method's name from `names` (the group's) and adds to `schemas` as it goes.
        `place` is the operation's method, path, pointer and the pointer of its path item."""
        if self._nodes is None:
            raise RuntimeError("OperationMemo.operation before start")
        if group != self._group or self._served is not None:
            raise RuntimeError(f"OperationMemo.operation: group {group!r} is not being built")
        self._places.append(place)
        reached = self._reached.get(place[3]) or self._nodes.reached(place[3], _SCHEMAS)
        self._reached[place[3]] = reached
        key = hashlib.sha256(self._chain + self._names + repr(place).encode() + reached).digest()
        record = self._last_records().get(key)
        if isinstance(record, OperationRecord):
            self._replay(record, schemas, names)
        else:
            mark = schemas.mark()
            operation = build()
            record = self._record(operation, schemas.added_since(mark))
            self._built += 1
        self._advance(key, record)
        return record

    def end_group(self, group: ResourceGroup) -> None:
        """The current group is complete, as `group`: tell the fingerprints its digest (its
        operations' digests stand for them), and keep its records with its head."""
        if not self._group:
            raise RuntimeError("OperationMemo.end_group without a group")
        head = self._served or self._head(group.summary)
        shown = repr(ResourceGroup(group.name, group.class_name, group.module, (), group.description)).encode()
        self.fingerprints.know(group, hashlib.sha256(shown + head.digest).digest())
        self._kept[self._group] = (self._chunks.get(self._group, ()), {}) if self._served else self._kept_records()
        self._kept_heads[self._group] = self._heads[self._group] if self._served else head
        self._group = ""

    def _replay(self, record: OperationRecord, schemas: SchemaBuilder, names: NameAllocator) -> None:
        """Go on as if the served record's operation had been built here."""
        schemas.add(record.added)
        names.take([record.operation.name])
        self.fingerprints.know_each((obj for _, obj in (*record.added.models, *record.added.enums)), record.fingerprints)

    def _advance(self, key: bytes, record: OperationRecord) -> None:
        """Keep the record, and take the state and the group's names past it."""
        self._records[key] = record
        self.fingerprints.know(record.operation, record.operation_digest)  # a render key's input
        self._names = hashlib.sha256(self._names + record.operation.name.encode()).digest()
        if not record.added.empty():  # an operation that adds nothing leaves the state as it was
            self._chain = hashlib.sha256(self._chain + record.added_digest).digest()

    def _operations(self, pieces: tuple[bytes, ...], keys: tuple[bytes, ...]) -> tuple[Operation, ...]:
        """A served group's operations, from its pieces (whose check passed)."""
        records = _unpickled(pieces)
        for key in keys:
            self.fingerprints.know(records[key].operation, records[key].operation_digest)
        return tuple(records[key].operation for key in keys)

    def save(self) -> None:
        """Keep this run's operations, unless the entry already holds exactly those."""
        if self._path is None or not self._start:
            return
        chunks = {group: (*pieces, _pickled(new)) if new else pieces for group, (pieces, new) in self._kept.items()}
        heads = {
            group: head if isinstance(head, bytes) else _pickled(head._replace(check=_check(head.outline, chunks[group])))
            for group, head in self._kept_heads.items()
        }
        collected = self._collecting
        if self._built == 0 and chunks == self._chunks and heads == self._heads and collected == self._collected:
            used(self._path)
            return
        # The groups that changed, and those gone (None), appended to the entry while what it
        # holds of the last runs is at most as much as this run keeps: else written anew.
        # Path items' collections alike.
        changed = {group: pieces for group, pieces in chunks.items() if self._chunks.get(group) != pieces}
        changed_heads = _changed(self._heads, heads)
        appendable = self._size and self._size + _size_of(changed, changed_heads) <= 2 * _size_of(chunks, heads)
        update = (changed, changed_heads, _changed(self._collected, collected))
        if appendable and append_pickled(self._path, self._start, update):
            return
        write_pickled(self._path, self._start, (chunks, heads, collected), KEPT_ENTRIES)

    def _enter(self, group: str) -> None:
        """Begin the group: its last records are read only if an operation asks for them."""
        if self._group:
            raise RuntimeError(f"OperationMemo: group {self._group!r} did not end")
        self._group, self._names = group, hashlib.sha256(f"group {group}".encode()).digest()
        self._entered, self._places, self._served = self._chain, [], None
        self._reached, self._last = {}, None
        self._old, self._records = None, {}

    def _last_records(self) -> dict[bytes, OperationRecord]:
        if self._old is None:
            self._old = _unpickled(self._chunks.get(self._group, ()))
        return self._old

    def _kept_records(self) -> tuple[tuple[bytes, ...], dict[bytes, OperationRecord]]:
        """The records of the group that ends, to keep: the last run's pieces as they are, and
        the records that are not in them, to pickle as one more piece. When those pieces hold
        many records no longer used, or are many, all the records are pickled as one piece."""
        old = self._last_records()
        pieces = self._chunks.get(self._group, ()) if old else ()  # none, or damaged
        new = {key: record for key, record in self._records.items() if key not in old}
        unused = len(old) - (len(self._records) - len(new))
        if len(pieces) + bool(new) > MOST_PIECES or unused > len(self._records) // 2:
            return (), self._records
        return pieces, new

    def _head(self, summary: GroupSummary) -> GroupHead:
        """The head of the group that ends, whose operations were asked for one by one."""
        if self._nodes is None:
            raise RuntimeError("OperationMemo: a group ended before start")
        records = list(self._records.values())
        read = self._nodes.read_from(dict.fromkeys(place[3] for place in self._places), _SCHEMAS)
        digest = hashlib.sha256(b"".join(record.operation_digest for record in records)).digest()
        last = _loaded(self._last.outline, Outline) if self._last is not None else None
        outline = _pickled(_outline_of(summary, records, last))
        places, keys = _digest_of(self._places), tuple(self._records)
        reached = tuple((item, self._reached[item]) for item in dict.fromkeys(place[3] for place in self._places))
        return GroupHead(self._entered, places, tuple(read.items()), keys, reached, self._chain, digest, outline, _UNCHECKED)

    def _record(self, operation: Operation, added: Additions) -> OperationRecord:
        of = self.fingerprints.of
        fingerprints = tuple(of(obj) for _, obj in (*added.models, *added.enums))
        rest = repr((added.types, added.class_names, added.modules, added.warned)).encode()
        added_digest = hashlib.sha256(b"".join(fingerprints) + rest).digest()
        operation_digest = hashlib.sha256(repr(operation).encode()).digest()
        return OperationRecord(operation, added, fingerprints, operation_digest, added_digest)


def _outline_of(summary: GroupSummary, records: list[OperationRecord], last: Outline | None) -> Outline:
    """What the records added, as one (see Additions), with the group's summary. A model or
    enum the group's `last` outline has (by its fingerprint) is taken pickled from there:
    a group that gained one operation pickles that operation's alone."""
    parts = [record.added for record in records]
    added = Additions(*(tuple(item for part in parts for item in getattr(part, f.name)) for f in fields(Additions)))
    models = tuple(fp for r in records for fp in r.fingerprints[: len(r.added.models)])
    enums = tuple(fp for r in records for fp in r.fingerprints[len(r.added.models) :])
    kept = dict(zip(last.fingerprints, (data for _, data in (*last.models, *last.enums)))) if last is not None else {}
    first = summary.first_read
    return Outline(
        replace(summary, first_read=None),
        (first.name, _pickled(first)) if first is not None else None,
        replace(added, models=(), enums=()),
        tuple((name, kept.get(fp) or _pickled(obj)) for (name, obj), fp in zip(added.models, models)),
        tuple((name, kept.get(fp) or _pickled(obj)) for (name, obj), fp in zip(added.enums, enums)),
        models + enums,
    )


def _loaded(data: bytes | None, kind: type[T]) -> T | None:
    """The `kind` object pickled in `data`; None for none, or for a damaged entry (which
    only costs the group's build)."""
    try:
        found: Any = pickle.loads(data) if data is not None else None
    except Exception:  # noqa: BLE001 - see above
        return None
    return found if isinstance(found, kind) else None


def _changed(last: Mapping[str, T], now: Mapping[str, T]) -> dict[str, T | None]:
    """What differs in `now` from `last`, and None for each key gone."""
    changed: dict[str, T | None] = {key: value for key, value in now.items() if last.get(key) != value}
    return changed | {key: None for key in last if key not in now}


def _size_of(chunks: Mapping[str, tuple[bytes, ...]], heads: Mapping[str, bytes | None]) -> int:
    return sum(len(piece) for pieces in chunks.values() for piece in pieces) + sum(len(head or b"") for head in heads.values())


def _check(outline: bytes, pieces: tuple[bytes, ...]) -> int:
    check = zlib.crc32(outline)
    for piece in pieces:
        check = zlib.crc32(piece, check)
    return check


def _digest_of(places: list[Place]) -> bytes:
    return hashlib.sha256(repr(places).encode()).digest()


def _unpickled(pieces: tuple[bytes, ...]) -> dict[bytes, OperationRecord]:
    """A group's records, or none when a piece is damaged (which only costs the group's build)."""
    records: dict[bytes, OperationRecord] = {}
    for piece in pieces:
        try:
            found = pickle.loads(piece)
        except Exception:  # noqa: BLE001 - see above
            return {}
        if not isinstance(found, dict):
            return {}
        records.update(found)
    return records


def _pickled(obj: object) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
