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

Most groups are the same as in the last run, and the hash of what each operation reads
took a quarter of the operations' share of a regeneration. So each group's records are
kept with its head (GroupHead): the state before the group, its operations' places, and
every node they read with the digest of its content (NodeDigests.read_from). While the
state and the places are the same and each of those nodes has its digest, the group's
operations read what they read before, and so have the keys they had: the whole group is
served at the cost of comparing those digests.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, NamedTuple

from ..cache import Fingerprints, entry_name, read_pickled, used, write_pickled
from ..model import Operation, ResourceGroup
from .memo import NodeDigests, code_version
from .naming import NameAllocator
from .schemas import Additions, SchemaBuilder

KEPT_ENTRIES = 16  # one per package, the most recently used
MOST_PIECES = 8  # a group's records are pickled in this many pieces at the most
_SCHEMAS = "/components/schemas"  # the component memo's key holds what is reached there


@dataclass(frozen=True)
class OperationRecord:
    operation: Operation
    added: Additions
    fingerprints: tuple[bytes, ...]  # of the models, then the enums, that `added` holds
    operation_digest: bytes  # of the operation's repr
    added_digest: bytes  # of `added`


class GroupHead(NamedTuple):
    """What a group's records were built from, besides the building code (see above)."""

    chain: bytes  # the builder's state before the group
    places: bytes  # a digest of its operations' places, in order
    read: tuple[tuple[str, bytes], ...]  # each node its operations read, and its digest
    keys: tuple[bytes, ...]  # its records' keys, in order


Place = tuple[str, str, str, str]  # an operation's method, path, pointer and its path item's pointer


class OperationMemo:
    """The operations one package's last run built, and those of this run, to keep."""

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
        self._heads: dict[str, GroupHead] = {}  # the last run's, by group
        self._old: dict[bytes, OperationRecord] = {}  # the last run's, of the current group
        self._records: dict[bytes, OperationRecord] = {}  # this run's, of the current group
        self._places: list[Place] = []  # of the current group's operations so far
        self._entered = b""  # the state before the current group
        self._served: GroupHead | None = None  # the current group's, when it was served whole
        self._kept: dict[str, tuple[tuple[bytes, ...], dict[bytes, OperationRecord]]] = {}  # see _kept_records
        self._kept_heads: dict[str, GroupHead] = {}  # this run's, by group
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
        kept = read_pickled(self._path, self._start) if self._path is not None else None
        if isinstance(kept, tuple) and len(kept) == 2 and all(isinstance(part, dict) for part in kept):
            self._chunks, self._heads = kept

    def group(
        self, group: str, places: list[Place], schemas: SchemaBuilder, names: NameAllocator
    ) -> list[OperationRecord] | None:
        """The records of the group's operations (at these places), all served and replayed as
        `operation` serves each, when its head says they would all be served (see above); else
        None, and `operation` is asked for each."""
        if self._nodes is None:
            raise RuntimeError("OperationMemo.group before start")
        self._enter(group)
        head = self._heads.get(group)
        if head is None or head.chain != self._chain or head.places != _digest_of(places):
            return None
        if not self._nodes.same(head.read):
            return None
        served = []
        for key in head.keys:
            record = self._old.get(key)
            if not isinstance(record, OperationRecord):
                return None  # a damaged entry
            served.append(record)
        for key, record in zip(head.keys, served):
            self._replay(record, schemas, names)
            self._advance(key, record)
        self._places, self._served = list(places), head
        return served

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
        if group != self._group:  # a group's operations come together
            self._enter(group)
        self._places.append(place)
        reached = self._nodes.reached(place[3], _SCHEMAS)
        key = hashlib.sha256(self._chain + self._names + repr(place).encode() + reached).digest()
        record = self._old.get(key)
        if isinstance(record, OperationRecord):
            self._replay(record, schemas, names)
        else:
            mark = schemas.mark()
            operation = build()
            record = self._record(operation, schemas.added_since(mark))
            self._built += 1
        self._advance(key, record)
        return record

    def _replay(self, record: OperationRecord, schemas: SchemaBuilder, names: NameAllocator) -> None:
        """Go on as if the served record's operation had been built here."""
        schemas.add(record.added)
        names.take([record.operation.name])
        added = (*record.added.models, *record.added.enums)
        for (_, obj), digest in zip(added, record.fingerprints):
            self.fingerprints.know(obj, digest)

    def _advance(self, key: bytes, record: OperationRecord) -> None:
        """Keep the record, and take the state and the group's names past it."""
        self._records[key] = record
        self.fingerprints.know(record.operation, record.operation_digest)  # a render key's input
        self._names = hashlib.sha256(self._names + record.operation.name.encode()).digest()
        if not record.added.empty():  # an operation that adds nothing leaves the state as it was
            self._chain = hashlib.sha256(self._chain + record.added_digest).digest()

    def know_group(self, group: ResourceGroup, records: list[OperationRecord]) -> None:
        """Tell the fingerprints the digest of a group made of these records' operations."""
        shown = repr(replace(group, operations=())).encode()
        operations = b"".join(record.operation_digest for record in records)
        self.fingerprints.know(group, hashlib.sha256(shown + operations).digest())

    def save(self) -> None:
        """Keep this run's operations, unless the entry already holds exactly those."""
        if self._path is None or not self._start:
            return
        self._enter("")
        chunks = {group: (*pieces, _pickled(new)) if new else pieces for group, (pieces, new) in self._kept.items()}
        if self._built == 0 and chunks == self._chunks and self._kept_heads == self._heads:
            used(self._path)
            return
        write_pickled(self._path, self._start, (chunks, self._kept_heads), KEPT_ENTRIES)

    def _enter(self, group: str) -> None:
        """Keep the records of the group that ends with its head, and read those of the group
        that begins."""
        if self._group:
            self._kept[self._group] = self._kept_records()
            self._kept_heads[self._group] = self._served or self._head()
        self._group, self._names = group, hashlib.sha256(f"group {group}".encode()).digest()
        self._entered, self._places, self._served = self._chain, [], None
        self._old, self._records = _unpickled(self._chunks.get(group, ())), {}

    def _kept_records(self) -> tuple[tuple[bytes, ...], dict[bytes, OperationRecord]]:
        """The records of the group that ends, to keep: the last run's pieces as they are, and
        the records that are not in them, to pickle as one more piece. When those pieces hold
        many records no longer used, or are many, all the records are pickled as one piece."""
        pieces = self._chunks.get(self._group, ()) if self._old else ()  # none, or damaged
        new = {key: record for key, record in self._records.items() if key not in self._old}
        unused = len(self._old) - (len(self._records) - len(new))
        if len(pieces) + bool(new) > MOST_PIECES or unused > len(self._records) // 2:
            return (), self._records
        return pieces, new

    def _head(self) -> GroupHead:
        """The head of the group that ends, whose operations were asked for one by one."""
        if self._nodes is None:
            raise RuntimeError("OperationMemo: a group ended before start")
        read = self._nodes.read_from(dict.fromkeys(place[3] for place in self._places), _SCHEMAS)
        return GroupHead(self._entered, _digest_of(self._places), tuple(read.items()), tuple(self._records))

    def _record(self, operation: Operation, added: Additions) -> OperationRecord:
        of = self.fingerprints.of
        fingerprints = tuple(of(obj) for _, obj in (*added.models, *added.enums))
        rest = repr((added.types, added.class_names, added.modules, added.warned)).encode()
        added_digest = hashlib.sha256(b"".join(fingerprints) + rest).digest()
        operation_digest = hashlib.sha256(repr(operation).encode()).digest()
        return OperationRecord(operation, added, fingerprints, operation_digest, added_digest)


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


def _pickled(records: dict[bytes, OperationRecord]) -> bytes:
    return pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
