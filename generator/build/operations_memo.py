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
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..cache import Fingerprints, entry_name, read_pickled, used, write_pickled
from ..model import Operation, ResourceGroup
from .memo import NodeDigests, code_version
from .naming import NameAllocator
from .schemas import Additions, SchemaBuilder

KEPT_ENTRIES = 16  # one per package, the most recently used
_SCHEMAS = "/components/schemas"  # the component memo's key holds what is reached there


@dataclass(frozen=True)
class OperationRecord:
    operation: Operation
    added: Additions
    fingerprints: tuple[bytes, ...]  # of the models, then the enums, that `added` holds
    operation_digest: bytes  # of the operation's repr
    added_digest: bytes  # of `added`


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
        # The records are pickled by group: a run that builds one operation pickles its group's
        # records again and writes the others' bytes as it read them (GitHub: 0.07 s -> 0.01 s).
        self._chunks: dict[str, bytes] = {}  # the last run's, by group
        self._old: dict[bytes, OperationRecord] = {}  # the last run's, of the current group
        self._records: dict[bytes, OperationRecord] = {}  # this run's, of the current group
        self._kept: dict[str, bytes | dict[bytes, OperationRecord]] = {}  # this run's, by group
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
        self._chunks = kept if isinstance(kept, dict) else {}

    def operation(
        self,
        group: str,
        place: tuple[str, str, str, str],
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
        reached = self._nodes.reached(place[3], _SCHEMAS)
        key = hashlib.sha256(self._chain + self._names + repr(place).encode() + reached).digest()
        record = self._old.get(key)
        if isinstance(record, OperationRecord):
            self._records[key] = record
            schemas.add(record.added)
            names.take([record.operation.name])
            added = (*record.added.models, *record.added.enums)
            for (_, obj), digest in zip(added, record.fingerprints):
                self.fingerprints.know(obj, digest)
        else:
            mark = schemas.mark()
            operation = build()
            record = self._records[key] = self._record(operation, schemas.added_since(mark))
            self._built += 1
        self.fingerprints.know(record.operation, record.operation_digest)  # a render key's input
        self._names = hashlib.sha256(self._names + record.operation.name.encode()).digest()
        if not record.added.empty():  # an operation that adds nothing leaves the state as it was
            self._chain = hashlib.sha256(self._chain + record.added_digest).digest()
        return record

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
        if self._built == 0 and self._kept == self._chunks:
            used(self._path)
            return
        chunks = {group: _pickled(records) for group, records in self._kept.items()}
        write_pickled(self._path, self._start, chunks, KEPT_ENTRIES)

    def _enter(self, group: str) -> None:
        """Keep the records of the group that ends, and read those of the group that begins."""
        if self._group:
            same = self._records.keys() == self._old.keys() and self._group in self._chunks
            self._kept[self._group] = self._chunks[self._group] if same else self._records
        self._group, self._names = group, hashlib.sha256(f"group {group}".encode()).digest()
        self._old, self._records = _unpickled(self._chunks.get(group)), {}

    def _record(self, operation: Operation, added: Additions) -> OperationRecord:
        of = self.fingerprints.of
        fingerprints = tuple(of(obj) for _, obj in (*added.models, *added.enums))
        rest = repr((added.types, added.class_names, added.modules, added.warned)).encode()
        added_digest = hashlib.sha256(b"".join(fingerprints) + rest).digest()
        operation_digest = hashlib.sha256(repr(operation).encode()).digest()
        return OperationRecord(operation, added, fingerprints, operation_digest, added_digest)


def _unpickled(data: bytes | None) -> dict[bytes, OperationRecord]:
    """A group's records, or none for a damaged entry (which only costs the group's build)."""
    if data is None:
        return {}
    try:
        records = pickle.loads(data)
    except Exception:  # noqa: BLE001 - see above
        return {}
    return records if isinstance(records, dict) else {}


def _pickled(records: bytes | dict[bytes, OperationRecord]) -> bytes:
    return records if isinstance(records, bytes) else pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
