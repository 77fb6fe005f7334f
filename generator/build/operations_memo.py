"""Each resource group's operations, kept between runs with what building them added.

After the component schemas (memo.py), the build goes through the resource groups in
order, and each group's operations add their inline schemas to the schema builder's state
(models, enums, types by pointer, names taken, warnings). What a group builds depends on
two things alone: what it reads of the document (its path items and every node their
references reach, besides the component schemas), and the builder's state before it.

So the memo keys a group by a hash of both, the state standing as a chain: the first link
is the component schemas' key (with the security schemes the operations refer to), and
each group adds the digest of what it added (schemas.Additions). A group whose key is
kept gives back its operations and replays its additions; a changed group is built, and
when it adds what it added before (a new operation whose schemas are all `$ref`s adds
nothing), the chain is the same again and the groups after it are served from the memo.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..cache import Fingerprints, entry_name, read_pickled, used, write_pickled
from ..model import Operation, ResourceGroup
from .memo import NodeDigests, code_version
from .schemas import Additions, SchemaBuilder

KEPT_ENTRIES = 16  # one per package, the most recently used
_SCHEMAS = "/components/schemas"  # the component memo's key holds what is reached there


@dataclass(frozen=True)
class GroupRecord:
    operations: tuple[Operation, ...]
    added: Additions
    fingerprints: tuple[bytes, ...]  # of the models, then the enums, that `added` holds
    operations_digest: bytes  # of the operations' repr
    added_digest: bytes  # of `added`: the link this group adds to the chain


class OperationMemo:
    """The groups one package's last run built, and those of this run, to keep."""

    def __init__(self, path: Path | None, salt: str = "", fingerprints: Fingerprints | None = None) -> None:
        """`fingerprints` learns the digests of what a kept group holds (see cache.Fingerprints)."""
        self._path = path
        self._salt = salt
        self.fingerprints = fingerprints or Fingerprints()
        self._start = ""
        self._chain = b""
        self._nodes: NodeDigests | None = None
        self._old: dict[bytes, GroupRecord] = {}
        self._records: dict[bytes, GroupRecord] = {}  # this run's, by key
        self._built = 0  # groups this run built

    @classmethod
    def in_directory(cls, directory: Path, identity: str, fingerprints: Fingerprints | None = None) -> OperationMemo:
        return cls(directory / f"{entry_name(identity)}.groups", code_version(), fingerprints)

    def start(self, seed: str, nodes: NodeDigests) -> None:
        """Begin the chain with `seed`: the component schemas' key and whatever else every
        group reads. The last run's groups are read if its chain began the same. `nodes`
        makes the digests of what each group reads."""
        self._start = hashlib.sha256(f"{self._salt}\0{seed}".encode()).hexdigest()
        self._chain = bytes.fromhex(self._start)
        self._nodes = nodes
        kept = read_pickled(self._path, self._start) if self._path is not None else None
        self._old = kept if isinstance(kept, dict) else {}

    def group(
        self,
        name: str,
        places: list[tuple[str, str, str, str]],
        schemas: SchemaBuilder,
        build: Callable[[], tuple[Operation, ...]],
    ) -> GroupRecord:
        """The next group's record, from the memo or from `build` (which adds to `schemas`
        as it goes). `places` holds each operation's method, path, pointer and the pointer
        of its path item."""
        if self._nodes is None:
            raise RuntimeError("OperationMemo.group before start")
        reached = b"".join(self._nodes.reached(item, _SCHEMAS) for item in dict.fromkeys(p[3] for p in places))
        key = hashlib.sha256(self._chain + repr((name, places)).encode() + reached).digest()
        record = self._old.get(key)
        if isinstance(record, GroupRecord):
            schemas.add(record.added)
            added = (*record.added.models, *record.added.enums)
            for (_, obj), digest in zip(added, record.fingerprints):
                self.fingerprints.know(obj, digest)
        else:
            mark = schemas.mark()
            operations = build()
            record = self._record(operations, schemas.added_since(mark))
            self._built += 1
        self._records[key] = record
        self._chain = hashlib.sha256(self._chain + record.added_digest).digest()
        return record

    def know_group(self, group: ResourceGroup, record: GroupRecord) -> None:
        """Tell the fingerprints the digest of a group made of `record`'s operations."""
        shown = repr(replace(group, operations=())).encode()
        self.fingerprints.know(group, hashlib.sha256(shown + record.operations_digest).digest())

    def save(self) -> None:
        """Keep this run's groups, unless the entry already holds exactly those."""
        if self._path is None or not self._start:
            return
        if self._built == 0 and len(self._records) == len(self._old):
            used(self._path)
            return
        write_pickled(self._path, self._start, self._records, KEPT_ENTRIES)

    def _record(self, operations: tuple[Operation, ...], added: Additions) -> GroupRecord:
        of = self.fingerprints.of
        fingerprints = tuple(of(obj) for _, obj in (*added.models, *added.enums))
        rest = repr((added.types, added.class_names, added.modules, added.warned)).encode()
        added_digest = hashlib.sha256(b"".join(fingerprints) + rest).digest()
        operations_digest = hashlib.sha256(repr(operations).encode()).digest()
        return GroupRecord(operations, added, fingerprints, operations_digest, added_digest)
