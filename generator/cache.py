"""Where codegen keeps results worth reusing between runs (formatted files, validation findings).

$CODEGEN_CACHE_DIR names the directory ("" turns caching off); otherwise it is
$XDG_CACHE_HOME/codegen, else ~/.cache/codegen. Every entry is keyed by a hash of everything
that produced it, so a stale entry can never be served for a changed input.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import re
import struct
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, where entries are written anew
    fcntl = None  # type: ignore[assignment]

CACHE_ENV = "CODEGEN_CACHE_DIR"


def cache_root() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured == "":
        return None  # explicitly disabled
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "codegen"


def cache_dir(kind: str) -> Path | None:
    """The directory for one kind of entry, created; None if caching is off or impossible."""
    root = cache_root()
    if root is None:
        return None
    try:
        (root / kind).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return root / kind


def write_entry(target: Path, text: str, keep: int | None = None) -> None:
    """Atomically, so readers see a whole entry or none; failures only cost time (see
    write_atomically, also for `keep`)."""
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8")), keep)


def write_atomically(path: Path, write: Callable[[BinaryIO], object], keep: int | None = None) -> None:
    """Make the entry at `path` with `write(handle)` in a temporary file renamed over it, so
    readers see a whole entry or none; then prune the entries beside it to the `keep` most
    recently used. A failure only costs the next run its time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError, pickle.PicklingError, RecursionError):
        return
    if keep is not None:
        prune(path.parent, keep, path.suffix)


def read_pickled_updates(path: Path, header: str) -> tuple[list[Any], int]:
    """What `write_pickled` kept at `path` under `header`, then each update `append_pickled`
    added to it, in order, and the size of what was read; nothing for another header, or for
    a missing or damaged entry (which only costs the work it would have saved). The header
    is read first, so a mismatch unpickles nothing. Like Python's own bytecode cache, this
    trusts the user's cache directory. An update cut short (a run stopped while appending
    it) ends the list, and the size is then 0: the entry is to be written anew."""
    try:
        with path.open("rb") as handle:
            return read_pickled_updates_from(handle, header)
    except OSError:
        return [], 0


def read_pickled_updates_from(handle: BinaryIO, header: str) -> tuple[list[Any], int]:
    """read_pickled_updates of a file open for reading at its start."""
    found: list[Any] = []
    try:
        if handle.readline() != header.encode() + b"\n":
            return [], 0
        while True:
            try:
                found.append(pickle.load(handle))
            except EOFError:
                break
        return found, handle.tell()
    except Exception:  # noqa: BLE001 - see read_pickled_updates
        return found, 0


def append_pickled(path: Path, header: str, update: Any) -> bool:
    """Add `update` to the entry at `path`, if it is kept under `header`; whether it was.
    A run that changed little of a big entry writes what it changed, not the entry again:
    writing a file over another is a deletion, and freeing a few megabytes took milliseconds
    on file systems that discard freed blocks."""
    if fcntl is None:
        return False
    data = pickle.dumps(update, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with path.open("r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # one appender at a time: no update lands inside another
            if handle.readline() != header.encode() + b"\n":
                return False
            handle.seek(0, os.SEEK_END)
            handle.write(data)
        return True
    except OSError:
        return False


def write_pickled(path: Path, header: str, payload: Any, keep: int) -> None:
    """Keep `payload` under `header` at `path` (see write_atomically)."""

    def write(handle: BinaryIO) -> None:
        handle.write(header.encode() + b"\n")
        pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)

    write_atomically(path, write, keep)


_BLOB_SIZES = struct.Struct("<QQ")


def write_pickled_with_blob(path: Path, header: str, payload: Any, blob: bytes, keep: int) -> None:
    """Keep `payload` and `blob` under `header` at `path`: `blob` is read back through a
    mapping of the file (see read_pickled_with_blob), so what of it a run leaves unread
    costs it nothing (the component memo's 10 MB of pickled models, mostly left unread)."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    def write(handle: BinaryIO) -> None:
        handle.write(header.encode() + b"\n" + _BLOB_SIZES.pack(len(data), len(blob)))
        handle.write(data)
        handle.write(blob)

    write_atomically(path, write, keep)


def read_pickled_with_blob(path: Path, header: str) -> tuple[Any, memoryview] | None:
    """What `write_pickled_with_blob` kept at `path` under `header`: the payload, and a view of
    the blob in the mapped file (entries are replaced by renaming, never cut short, so the
    view stays whole however long it is kept). None as for read_pickled_updates, also for
    an entry cut short."""
    try:
        data = mapped(path)
        prefix = header.encode() + b"\n"
        if data[: len(prefix)] != prefix:
            return None
        sizes = _BLOB_SIZES.unpack_from(data, len(prefix))
        start = len(prefix) + _BLOB_SIZES.size
        if len(data) != start + sum(sizes):
            return None
        view = memoryview(data)
        return pickle.loads(view[start : start + sizes[0]]), view[start + sizes[0] :]
    except Exception:  # noqa: BLE001 - see read_pickled_updates
        return None


def mapped(path: Path) -> mmap.mmap:
    """An entry's bytes, mapped rather than read: a big one (a render pack, a parse memo) is
    then used from the page cache, never copied. Entries are replaced by renaming and
    appended to, never truncated, so a mapping stays whole. Raises OSError or ValueError
    (an empty file) as reading would."""
    with open(path, "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def used(entry: Path) -> None:
    """Mark an entry as just used, so that `prune` keeps it longer (a hit does not write it)."""
    try:
        os.utime(entry)
    except OSError:
        pass


def prune(directory: Path, keep: int, suffix: str) -> None:
    """Delete all but the `keep` most recently written or used entries ending in `suffix`.

    Entries of one kind are made per spec version or per package, so without this a cache
    grows with every regeneration. Another process reading an entry as it goes keeps its
    open file; one about to open it finds nothing and does the work again.
    """
    try:
        entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(directory) if e.name.endswith(suffix)]
    except OSError:
        return
    for _, path in sorted(entries, reverse=True)[keep:]:
        try:
            os.unlink(path)
        except OSError:
            pass


def code_digest(versions: str, files: Iterable[Path]) -> str:
    """A hash of `versions` and of the content of `files`, in their order: the code that
    decides a kind of entry, salted into its keys so that a change in it only misses."""
    digest = hashlib.sha256(versions.encode())
    for path in files:
        digest.update(f"\0{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """The version of each of these distributions that is installed, as importlib.metadata
    would find it: the first on sys.path, by the name of its metadata directory. Read from
    the directory listings alone: importlib.metadata took 24 ms of every run for this."""
    wanted = {_distribution_key(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listing:
            stem, _, suffix = item.rpartition(".")
            if suffix in ("dist-info", "egg-info"):
                name, _, version = stem.partition("-")
                found.setdefault(wanted.get(_distribution_key(name), ""), version)
    found.pop("", None)
    return found


def _distribution_key(name: str) -> str:
    # Metadata directories spell a name with "_" where the project may have "-" or "." (PEP 503).
    return re.sub(r"[-_.]+", "_", name).lower()


def entry_name(identity: str) -> str:
    """A file name for the one entry kept per `identity` (a package, say)."""
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


class Fingerprints:
    """Digests of objects' reprs, by identity, shared by the memos of one run.

    The render memo keys each file by the repr of its inputs, and the reprs of thousands of
    models were most of that work. A memo that restores an object from an earlier run kept
    the digest of its repr with it (pickling gives back an equal object, so an equal repr),
    and tells it here instead. An entry holds its object, so that no other object can take
    its id while the entry stands.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[object, bytes]] = {}

    def of(self, obj: object) -> bytes:
        found = self._known.get(id(obj))
        if found is None:
            found = self._known[id(obj)] = (obj, hashlib.sha256(repr(obj).encode()).digest())
        return found[1]

    def joined(self, objects: tuple[object, ...]) -> bytes:
        """The digests of `objects`, one after the other (`of` each: a package's thousands of
        models and enums enter a key this way)."""
        known = self._known
        return b"".join([found[1] if (found := known.get(id(obj))) is not None else self.of(obj) for obj in objects])

    def know(self, obj: object, digest: bytes) -> None:
        self._known[id(obj)] = (obj, digest)

    def know_each(self, objects: Iterable[object], digests: Iterable[bytes]) -> None:
        """know each of the objects' digest, in one call (a memo restores thousands)."""
        objects = list(objects)
        self._known.update(zip(map(id, objects), zip(objects, digests)))
