"""What the last write left in an output directory, kept in the cache: each file's digest
and its stat (see StatRecord); a regeneration finds most files as it left them."""

from __future__ import annotations

import operator
import os
import struct
from collections.abc import Iterable
from itertools import compress, starmap
from pathlib import Path
from typing import Any

from .cache import append_pickled, entry_name, read_pickled_updates_from, write_pickled

__all__ = ["InPlace", "StatRecord", "in_place_of", "record_path"]


class StatRecord:
    """What the last write left in one output directory: each file's digest, and its stat
    just after it was written or found to hold that digest.

    A file whose size, times, inode and device are still as recorded was not written since,
    so it holds what was recorded. Not quite: a write within the file system clock's tick
    after ours leaves its times as they were. So, as git does with its index, a file whose
    modification time is not older than the record itself is read and compared anyway:
    any later write then has a newer time than the one recorded.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._seen: dict[str, Entry] = {}
        self._older_than = 0  # recorded times from here on are too recent to trust
        self._entries = 0  # entries the kept record holds, its updates' included (see save)
        self._size = 0  # bytes read of it: it only grows, as updates are added
        self._now: dict[str, Entry] = {}
        self._changed: dict[str, Entry] = {}  # those of _now not as _seen has them
        self._checked: set[str] | frozenset[str] = frozenset()  # in place, by a child's stat (see take)
        if path is not None:
            try:
                with open(path, "rb") as handle:
                    self._older_than = os.fstat(handle.fileno()).st_mtime_ns
                    updates, size = read_pickled_updates_from(handle, _HEADER)
            except OSError:
                updates, size = [], 0
            self._seen, self._entries = _applied(updates) if size else ({}, 0)
            self._size = size

    @classmethod
    def in_directory(cls, directory: Path | None, outdir: Path) -> StatRecord:
        """The record of `outdir` kept in `directory` (a cache directory; None keeps nothing)."""
        return cls(record_path(directory, outdir) if directory is not None else None)

    def in_place(self, prefix: str) -> InPlace:
        """Which files this record knows are as it recorded them, by their stat now (see
        holds): which record it is (its time and size) and those that are not, usually
        none (a small answer, sent at once through a pipe). Asked by a child at a run's
        start (in_place_of), so that the run itself need not stat them."""
        rels = list(self._seen)
        try:  # the files' stats, with no loop in Python
            fields = list(map(_STAT_FIELDS, map(os.stat, map(prefix.__add__, rels))))
        except OSError:  # a file gone: each is asked alone
            held = self.holds(((rel, entry[0]) for rel, entry in self._seen.items()), prefix)
            return self._older_than, self._size, frozenset(self._seen.keys() - held)
        second = operator.itemgetter(1)
        changed = compress(rels, map(operator.ne, starmap(_PACKED.pack, fields), map(second, self._seen.values())))
        recent = compress(rels, map(self._older_than.__le__, map(second, fields)))  # see holds
        return self._older_than, self._size, frozenset((*changed, *recent))

    def take(self, checked: InPlace | None) -> None:
        """Take what `in_place` found, if it was found in this record: `holds` then answers
        for the files in place without a stat of its own."""
        if checked is not None and checked[:2] == (self._older_than, self._size) and self._older_than:
            self._checked = self._seen.keys() - checked[2]

    def holds(self, files: Iterable[tuple[str, str]], prefix: str) -> set[str]:
        """Those of the files (each a path in the package and a digest) that hold what has
        their digest, as far as their stat tells (not those only reading could tell about);
        `prefix` makes a path in the package the file's path."""
        found = set()
        seen, now, changed, checked = self._seen, self._now, self._changed, self._checked
        older_than, stat_of, pack = self._older_than, os.stat, _PACKED.pack
        for rel, digest in files:  # asked for every file of a package on each regeneration: tight
            if rel in checked:
                entry = seen[rel]
                if entry[0] == digest:
                    now[rel] = entry
                    found.add(rel)
                    continue
            try:
                fields = _STAT_FIELDS(stat_of(prefix + rel))
            except OSError:
                continue
            now[rel] = entry = (digest, pack(*fields))
            if seen.get(rel) != entry:
                changed[rel] = entry
            elif fields[1] < older_than:
                found.add(rel)
        return found

    def note(self, rel: str, path: str, digest: str, written: bool = False) -> None:
        """The file at `path` holds what has `digest`: `written` now, or read and compared
        (the stat `holds` took of it then still stands)."""
        known = None if written else self._now.get(rel)
        stat = known[1] if known is not None and known[0] == digest else _stat(path)
        if stat is not None:
            self._now[rel] = entry = (digest, stat)
            if self._seen.get(rel) != entry:
                self._changed[rel] = entry

    def listed_by(self, listing: str, prefix: str) -> set[str] | None:
        """The files recorded with `listing`, a file that lists them all (the manifest), when
        it is as recorded (see holds); None when it is not, or was not recorded. The writer
        records a listing only with every file it lists (see knows_all)."""
        entry = self._seen.get(listing)
        if entry is None or not self.holds([(listing, entry[0])], prefix):
            return None
        return self._seen.keys() - {listing}

    def knows_all(self, files: Iterable[str]) -> bool:
        """Whether `note` was told about each of the files: a listing of them may then be
        recorded with them (see listed_by)."""
        return self._now.keys() >= set(files)

    def save(self, kept: Iterable[str]) -> None:
        """Keep what `note` was told about the files in `kept` (the package's files now).

        What changed since the record was read is added to it (the files written, those
        found edited, those gone), while it holds at most twice as many entries as files: a
        regeneration that wrote a few files then writes a few entries, not the record of
        thousands anew (freeing the replaced file's blocks took milliseconds on file systems
        that discard them). Even an empty update is written: the record's time, after
        which recorded times are not trusted (see holds), is then this run's."""
        if self._path is None:
            return
        kept = set(kept)
        present = kept & self._now.keys()
        update: dict[str, Entry | None] = {rel: entry for rel, entry in self._changed.items() if rel in present}
        update.update(dict.fromkeys(self._seen.keys() - present))
        appendable = self._entries and self._entries + len(update) <= 2 * len(present)
        if appendable and append_pickled(self._path, _HEADER, update):
            return
        record = {rel: self._now[rel] for rel in present}
        write_pickled(self._path, _HEADER, record, KEPT_RECORDS)


KEPT_RECORDS = 32  # stat records kept at the most, the most recently written (one per output directory)
_HEADER = "codegen stat record 3"  # the record, then its updates (see save)

Entry = tuple[str, bytes]  # a file's digest and its stat's fields (_STAT_FIELDS, packed)

# What StatRecord.in_place found: the record's time and size in bytes, and the files not in place.
InPlace = tuple[int, int, frozenset[str]]


def _applied(updates: list[Any]) -> tuple[dict[str, Entry], int]:
    """The record kept as `updates` (the record, then what each later run changed, None for
    a file gone), and how many entries they hold; nothing for a record not of this shape."""
    if not updates or not all(isinstance(update, dict) for update in updates):
        return {}, 0
    seen = updates[0]
    for update in updates[1:]:
        for rel, entry in update.items():
            if entry is None:
                seen.pop(rel, None)
            else:
                seen[rel] = entry
    return seen, sum(map(len, updates))


def record_path(directory: Path, outdir: Path) -> Path:
    """Where the record of `outdir` is kept in `directory` (a cache directory)."""
    return directory / f"{entry_name(str(outdir.resolve()))}.stat"


def in_place_of(directory: Path, outdir: Path) -> InPlace:
    """StatRecord.in_place for the record of `outdir` kept in `directory`: what a helper
    process works out while the run loads and builds (thousands of stat calls, a tenth of
    the main process's part of a regeneration)."""
    return StatRecord.in_directory(directory, outdir).in_place(os.path.join(outdir, ""))


_STAT_FIELDS = operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev", "st_mode")
# Kept packed: a record of thousands of files reads back in half the time as bytes than as ints.
_PACKED = struct.Struct("<Qqq3Q")


def _stat(path: str) -> bytes | None:
    try:
        return _PACKED.pack(*_STAT_FIELDS(os.stat(path)))
    except OSError:
        return None
