"""What the last write left in an output directory, kept in the cache: each file's digest
and its stat (see StatRecord); a regeneration finds most files as it left them."""

from __future__ import annotations

import marshal
import operator
import os
from collections.abc import Iterable
from pathlib import Path

from .cache import entry_name, write_atomically

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
        self._seen: dict[str, tuple[str, tuple[int, ...]]] = {}
        self._older_than = 0  # recorded times from here on are too recent to trust
        self._now: dict[str, tuple[str, tuple[int, ...]]] = {}
        self._checked: set[str] | frozenset[str] = frozenset()  # in place, by a child's stat (see take)
        if path is not None:
            try:
                with open(path, "rb") as handle:
                    self._older_than = os.fstat(handle.fileno()).st_mtime_ns
                    # Read whole, then loaded: marshal.load reads a file object a few bytes
                    # at a time (0.027 s for GitHub's 4,155 files; 0.003 s this way).
                    seen = marshal.loads(handle.read())
                self._seen = seen if isinstance(seen, dict) else {}
            except (OSError, ValueError, EOFError, TypeError):
                self._seen = {}

    @classmethod
    def in_directory(cls, directory: Path | None, outdir: Path) -> StatRecord:
        """The record of `outdir` kept in `directory` (a cache directory; None keeps nothing)."""
        return cls(record_path(directory, outdir) if directory is not None else None)

    def in_place(self, prefix: str) -> InPlace:
        """Which files this record knows are as it recorded them, by their stat now (see
        holds): which record it is (its time and size) and those that are not, usually
        none (a small answer, sent at once through a pipe). Asked by a child at a run's
        start (in_place_of), so that the run itself need not stat them."""
        held = self.holds(((rel, entry[0]) for rel, entry in self._seen.items()), prefix)
        return self._older_than, len(self._seen), frozenset(self._seen.keys() - held)

    def take(self, checked: InPlace | None) -> None:
        """Take what `in_place` found, if it was found in this record: `holds` then answers
        for the files in place without a stat of its own."""
        if checked is not None and checked[:2] == (self._older_than, len(self._seen)) and self._older_than:
            self._checked = self._seen.keys() - checked[2]

    def holds(self, files: Iterable[tuple[str, str]], prefix: str) -> set[str]:
        """Those of the files (each a path in the package and a digest) that hold what has
        their digest, as far as their stat tells (not those only reading could tell about);
        `prefix` makes a path in the package the file's path."""
        found = set()
        seen, now, older_than, stat_of, checked = self._seen, self._now, self._older_than, os.stat, self._checked
        for rel, digest in files:  # asked for every file of a package on each regeneration: tight
            if rel in checked:
                entry = seen[rel]
                if entry[0] == digest:
                    now[rel] = entry
                    found.add(rel)
                    continue
            try:
                stat = _STAT_FIELDS(stat_of(prefix + rel))
            except OSError:
                continue
            now[rel] = entry = (digest, stat)
            if seen.get(rel) == entry and stat[1] < older_than:
                found.add(rel)
        return found

    def note(self, rel: str, path: str, digest: str) -> None:
        """The file at `path` holds what has `digest`: written now, or read and compared."""
        known = self._now.get(rel)
        stat = known[1] if known is not None and known[0] == digest else _stat(path)
        if stat is not None:
            self._now[rel] = (digest, stat)

    def save(self, kept: Iterable[str]) -> None:
        """Keep what `note` was told about the files in `kept` (the package's files now)."""
        if self._path is None:
            return
        record = {rel: self._now[rel] for rel in kept if rel in self._now}
        write_atomically(self._path, lambda handle: marshal.dump(record, handle), KEPT_RECORDS)


KEPT_RECORDS = 32  # stat records kept at the most, the most recently written (one per output directory)

# What StatRecord.in_place found: the record's time and size, and the files not in place.
InPlace = tuple[int, int, frozenset[str]]


def record_path(directory: Path, outdir: Path) -> Path:
    """Where the record of `outdir` is kept in `directory` (a cache directory)."""
    return directory / f"{entry_name(str(outdir.resolve()))}.stat"


def in_place_of(directory: Path, outdir: Path) -> InPlace:
    """StatRecord.in_place for the record of `outdir` kept in `directory`: what a helper
    process works out while the run loads and builds (thousands of stat calls, a tenth of
    the main process's part of a regeneration)."""
    return StatRecord.in_directory(directory, outdir).in_place(os.path.join(outdir, ""))


_STAT_FIELDS = operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev", "st_mode")


def _stat(path: str) -> tuple[int, ...] | None:
    try:
        return _STAT_FIELDS(os.stat(path))  # type: ignore[no-any-return]
    except OSError:
        return None
