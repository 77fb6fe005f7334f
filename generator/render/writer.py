"""Writing the package: atomic per file, and only over files the generator owns.

The manifest (MANIFEST_NAME in the output directory) lists every file the last generation
wrote, with its hash. Regeneration replaces and removes only those files; anything else in
the directory belongs to the user and survives. A file is written by renaming a complete
temporary file over it, so a reader never sees half a file.

A new (absent or empty) output directory is built whole beside its final place and renamed
into it (NewTree): a reader sees no package or all of it, and each file is created once
instead of as a temporary file renamed over its target.

A regeneration finds most files as it left them. A StatRecord (kept in the cache, not in
the package) tells which, from their stat alone, as git's index does: reading and comparing
4,000 files took a tenth of a regeneration of GitHub's client.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from pathlib import Path

from ..errors import WriteError
from ..stat_record import StatRecord

MANIFEST_NAME = ".codegen-manifest.json"


@dataclass(frozen=True)
class WriteResult:
    """Which files a write wrote, found unchanged, and removed."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(outdir: Path) -> dict[str, str]:
    """Owned files (relative path -> sha256) from the last generation; empty when there is none."""
    path = outdir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not an object")
        if set(map(type, files.values())) - {str}:  # JSON's keys are strings, its values need not be
            files = {key: str(value) for key, value in files.items()}
        return files
    except (ValueError, KeyError, TypeError) as exc:
        raise WriteError(f"{path} is damaged ({exc}); delete it to let codegen take the directory over") from None


def manifest_text(files: dict[str, str]) -> str:
    return _manifest({path: digest(text) for path, text in files.items()})


def _manifest(digests: dict[str, str]) -> str:
    """json.dumps({"generator": "codegen", "files": digests}, indent=2, sort_keys=True), and a
    newline: written out here, as json's indenting encoder is pure Python (5 ms for 4,000 files)."""
    if not digests:
        return '{\n  "files": {},\n  "generator": "codegen"\n}\n'
    quoted = encode_basestring_ascii  # a digest is hex: it needs no quoting but its quotes
    entries = ",\n".join([f'    {quoted(path)}: "{digests[path]}"' for path in sorted(digests)])
    return '{\n  "files": {\n' + entries + '\n  },\n  "generator": "codegen"\n}\n'


def plan_conflicts(outdir: Path, files: dict[str, str], owned: Collection[str]) -> list[str]:
    """Files we would overwrite that the user put there (not owned, and different)."""
    conflicts = []
    for rel, text in files.items():
        if rel in owned:
            continue
        target = outdir / rel
        if target.exists():
            if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
                conflicts.append(rel)
    return conflicts


def write_tree(
    outdir: Path,
    files: dict[str, str],
    *,
    force: bool = False,
    record: StatRecord | None = None,
    held: dict[str, str] | None = None,
    held_text: Callable[[str], str] = str,
) -> WriteResult:
    """Write `files` (relative path -> text) into `outdir`. `held` lists more files of the
    package that `record.holds` found in place already (path -> digest), and `held_text`
    gives such a path's text should it be needed after all (when the directory is gone by
    now); the record knows their stat from then."""
    outdir = Path(outdir)
    record = record or StatRecord(None)
    held = held or {}
    if is_new(outdir):
        return _write_new(outdir, {**files, **{rel: held_text(rel) for rel in held}}, force, record)
    prefix = os.path.join(outdir, "")  # joined once: os.path.join took 0.006 s for 4,000 files
    # The files the manifest lists, from the stat record when it holds the manifest as the
    # last run wrote it (reading 4,000 entries' JSON took 1.7 ms).
    owned = record.listed_by(MANIFEST_NAME, prefix)
    if owned is None:
        owned = set(read_manifest(outdir))
    conflicts = [] if force else plan_conflicts(outdir, files, owned)
    if conflicts:
        listed = ", ".join(conflicts[:5]) + (f" and {len(conflicts) - 5} more" if len(conflicts) > 5 else "")
        raise WriteError(
            f"{outdir} has files codegen did not write that it would replace: {listed}. "
            "Move them away, or pass --force to overwrite them."
        )
    written: list[str] = []
    unchanged = list(held)  # found in place already (the thousands of a regeneration)
    digests = dict(held)
    for rel in sorted(files.keys() - held.keys()):
        place = prefix + rel
        data = files[rel].encode("utf-8")
        digests[rel] = digest = hashlib.sha256(data).hexdigest()
        found = record.holds([(rel, digest)], prefix) or _holds(place, data)
        if found:
            unchanged.append(rel)
        else:
            try:
                _atomic_write(outdir / rel, data)
            except OSError as exc:
                raise WriteError(f"cannot write {outdir / rel}: {exc.strerror or exc}") from None
            written.append(rel)
        record.note(rel, place, digest, written=not found)
    unchanged.sort()
    removed = sorted(owned - digests.keys())
    for rel in removed:
        target = outdir / rel
        if target.is_file():
            target.unlink()
            _prune_empty_dirs(target.parent, outdir)
    manifest = _manifest(digests).encode("utf-8")
    listed = hashlib.sha256(manifest).hexdigest()
    in_place = record.holds([(MANIFEST_NAME, listed)], prefix) or _holds(prefix + MANIFEST_NAME, manifest)
    if not in_place:
        _atomic_write(outdir / MANIFEST_NAME, manifest)
    _record_listing(record, digests, prefix, listed, written=not in_place)
    return WriteResult(tuple(written), tuple(unchanged), tuple(removed))


def _record_listing(record: StatRecord, digests: dict[str, str], prefix: str, listed: str, written: bool) -> None:
    """Save the record of the package's files, with the manifest (whose digest is `listed`)
    when the record has every file it lists (see StatRecord.listed_by)."""
    if not record.knows_all(digests):
        record.save(digests)
        return
    record.note(MANIFEST_NAME, prefix + MANIFEST_NAME, listed, written=written)
    record.save([*digests, MANIFEST_NAME])


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (a regeneration mostly finds it does:
    one open and one read each, for thousands of files)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:  # absent, a directory, unreadable: it is written (or that fails, and says why)
        return False


def is_new(outdir: Path) -> bool:
    """Whether `outdir` is absent or empty: a tree for it can be built beside it (NewTree)."""
    if not outdir.exists():
        return True
    return outdir.is_dir() and next(outdir.iterdir(), None) is None


class NewTree:
    """A new output directory, written while it is still being rendered.

    Files go to a staging directory beside `outdir` as they come; `commit` renames the
    finished tree into place, `discard` removes it. The tree keeps each file's hash for the
    manifest, not its text. (A writer thread measured slower: its file system calls kept
    taking the GIL from rendering, and when the file system is slow to create files, it is
    the bottleneck either way.)
    """

    def __init__(self, outdir: Path, *, force: bool = False, record: StatRecord | None = None) -> None:
        self.outdir = outdir
        self._force = force
        self._record = record or StatRecord(None)
        outdir.parent.mkdir(parents=True, exist_ok=True)
        self._staging = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.", suffix=".tmp"))
        self._made: set[Path] = {self._staging}
        self._digests: dict[str, str] = {}

    def add(self, rel: str, text: str) -> None:
        data = text.encode("utf-8")
        _create(self._staging / rel, data, self._made)
        self._digests[rel] = hashlib.sha256(data).hexdigest()

    def commit(self) -> WriteResult:
        """Put the tree in place. If `outdir` stopped being absent or empty meanwhile, its
        files are written into the directory there instead, as write_tree does."""
        manifest = _manifest(self._digests).encode("utf-8")
        try:
            _create(self._staging / MANIFEST_NAME, manifest, self._made)
            os.chmod(self._staging, 0o777 & ~_umask())  # mkdtemp made it private
            os.replace(self._staging, self.outdir)  # replaces an empty directory, not a full one
        except OSError:
            if is_new(self.outdir):
                self.discard()
                raise
            staged = self._staged_files()
            self.discard()
            return write_tree(self.outdir, staged, force=self._force, record=self._record)
        except BaseException:
            self.discard()
            raise
        prefix = os.path.join(self.outdir, "")
        for rel, digest in self._digests.items():
            self._record.note(rel, prefix + rel, digest, written=True)
        _record_listing(self._record, self._digests, prefix, hashlib.sha256(manifest).hexdigest(), written=True)
        return WriteResult(tuple(sorted(self._digests)), (), ())

    def discard(self) -> None:
        shutil.rmtree(self._staging, ignore_errors=True)

    def _staged_files(self) -> dict[str, str]:
        return {rel: (self._staging / rel).read_text(encoding="utf-8") for rel in self._digests}


def _write_new(outdir: Path, files: dict[str, str], force: bool, record: StatRecord) -> WriteResult:
    tree = NewTree(outdir, force=force, record=record)
    try:
        for rel in sorted(files):
            tree.add(rel, files[rel])
    except BaseException:
        tree.discard()
        raise
    return tree.commit()


def _create(target: Path, data: bytes, made: set[Path]) -> None:
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    with open(target, "xb") as handle:
        handle.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune_empty_dirs(directory: Path, stop: Path) -> None:
    while directory != stop and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


@dataclass(frozen=True)
class Difference:
    """A file that differs between an output directory and what generation would write."""

    kind: str  # "changed", "missing", or "extra" (owned by the manifest, no longer generated)
    path: str


def compare_tree(outdir: Path, files: dict[str, str]) -> list[Difference]:
    """How `outdir` differs from what write_tree would leave there; reads, never writes."""
    outdir = Path(outdir)
    expected = {**files, MANIFEST_NAME: manifest_text(files)}
    differences = []
    for rel in sorted(expected):
        target = outdir / rel
        if not target.is_file():
            differences.append(Difference("missing", rel))
        elif target.read_bytes() != expected[rel].encode("utf-8"):
            differences.append(Difference("changed", rel))
    try:
        owned = read_manifest(outdir)
    except WriteError:
        owned = {}  # a damaged manifest is already listed as changed
    differences += [Difference("extra", rel) for rel in sorted(owned) if rel not in files and (outdir / rel).is_file()]
    return differences
