"""Rendered files kept between runs, so that a regeneration renders only what changed.

A file of one model, enum or resource group is rendered from inputs its plan lists
(plan.Planned.inputs); the memo keeps its text under a hash of their repr, salted with
everything else that decides the text: codegen's version, the templates, the rendering
code and jinja2's version. Equal keys therefore mean equal text, and a changed input or
template can only miss, never be served an old text.

The memo of one package is a single pack file: reading one file costs far less than
reading thousands. A run that made new entries appends them to the pack while what other
runs left there stays below what this run uses, and otherwise writes the pack anew with its
own entries alone: the pack stays under twice what a run uses, and a regeneration that
changed one group writes that group's entries, not 20 MB again.
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
import struct
import tempfile
from dataclasses import is_dataclass
from pathlib import Path
from collections.abc import Iterable
from typing import IO, Any

import jinja2

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, where the pack is always written anew
    fcntl = None  # type: ignore[assignment]

from .. import __version__
from ..cache import Fingerprints, code_digest, entry_name, mapped, prune, used
from .environment import TEMPLATES_DIR

_MAGIC = b"codegen-render-memo 2\n"
KEPT_PACKS = 16  # packs kept at the most (one per package), the most recently used
# key, sha256 of the text (UTF-8), needs black, length of the UTF-8 text that follows
_RECORD = struct.Struct("<32s32s?I")
_CODE = Path(__file__).parent, Path(__file__).parents[1] / "model"


def code_version() -> str:
    """A hash of everything besides a file's inputs that decides its text."""
    files = [*TEMPLATES_DIR.rglob("*"), *(p for folder in _CODE for p in folder.glob("*.py"))]
    return code_digest(f"{__version__}|{jinja2.__version__}", sorted(p for p in files if p.is_file()))


class RenderMemo:
    """The texts of one package's last run, and the entries of this run as it goes."""

    def __init__(
        self,
        path: Path | None,
        salt: str = "",
        compiled_templates: Path | None = None,
        fingerprints: Fingerprints | None = None,
    ) -> None:
        self.compiled_templates = compiled_templates  # where jinja2 may keep compiled templates
        self.fingerprints = fingerprints or Fingerprints()
        self._path = path
        self._salt = salt.encode()
        self._data = memoryview(_read(path) if path is not None else b"")
        self._old, self._whole = _index(self._data)
        self._kept: list[memoryview] = []  # old records this run uses again
        self._new: IO[bytes] | None = None  # this run's new entries, written as they come
        self._new_count = 0
        self._new_digests: dict[bytes, str] = {}  # see final_digest: of this run's new texts

    @classmethod
    def in_directory(cls, directory: Path, identity: str, fingerprints: Fingerprints | None = None) -> RenderMemo:
        return cls(directory / f"{entry_name(identity)}.pack", code_version(), directory / "templates", fingerprints)

    def key(self, inputs: tuple[Any, ...]) -> bytes:
        """A hash of the inputs' repr, in which each model object (also one in a tuple of the
        inputs) stands as the digest of its own repr, and a tuple of model objects alone as one
        digest of theirs (the models of a package are thousands: their reprs took 0.005 s)."""
        shown = tuple(self._shown_each(item) if type(item) is tuple else self._shown(item) for item in inputs)
        return hashlib.sha256(self._salt + repr(shown).encode()).digest()

    def keys(self, inputs: tuple[Any, ...], objects: Iterable[Any]) -> list[bytes]:
        """key(inputs + (obj,)) for each of the objects, the inputs shown once (a group's
        pieces are keyed by hundreds of operations each)."""
        shown = [repr(self._shown_each(item) if type(item) is tuple else self._shown(item)) for item in inputs]
        head = self._salt + ("(" + "".join(f"{item}, " for item in shown)).encode()
        tail = b")" if shown else b",)"  # as a tuple of one shows itself
        return [hashlib.sha256(head + repr(self._shown(obj)).encode() + tail).digest() for obj in objects]

    def _shown_each(self, items: tuple[Any, ...]) -> Any:
        if items and all(map(_is_model, set(map(type, items)))):
            return _Digest(hashlib.sha256(b"objects\0" + self.fingerprints.joined(items)).digest())
        return tuple(map(self._shown, items))

    def _shown(self, item: Any) -> Any:
        return _Digest(self.fingerprints.of(item)) if _is_model(type(item)) else item

    def get(self, key: bytes) -> tuple[str, bool] | None:
        """The text kept under `key` and whether it still needs black; it is kept for the next run."""
        found = self.peek(key)
        if found is not None:
            self.retain(key)
        return found

    def peek(self, key: bytes) -> tuple[str, bool] | None:
        """The text kept under `key` and whether it still needs black, for this run alone."""
        found = self._old.get(key)
        if found is None:
            return None
        needs_black, _, start, end = found
        return str(self._data[start:end], "utf-8"), needs_black

    def final_digest(self, key: bytes) -> str | None:
        """The sha256 (hex) of the UTF-8 text kept under `key`, read without the text; None
        when there is none, or when it still needs black (it is not the file's text then)."""
        if key in self._new_digests:
            return self._new_digests[key]
        found = self._old.get(key)
        if found is None or found[0]:
            return None
        record = found[1]
        return self._data[record + 32 : record + 64].hex()

    def retain(self, key: bytes) -> None:
        """Keep the entry under `key`, if there is one, for the next run (once a run)."""
        self.retain_each([key])

    def retain_each(self, keys: list[bytes]) -> None:
        """retain, for each of the keys (the thousands of a package's kept models)."""
        data = self._data
        self._kept += [data[found[1] : found[3]] for found in map(self._old.get, keys) if found is not None]

    def get_data(self, key: bytes) -> Any:
        """What keep_data kept under `key` (None when nothing is: when it cannot be read, or
        when it was not kept by keep_data, it is what marshal makes of some bytes, which the
        caller checks), for this run alone."""
        found = self._old.get(key)
        try:  # marshal, not JSON: 4,000 paths and 6,600 kinds took 0.005 s to read as JSON
            return marshal.loads(self._data[found[2] : found[3]]) if found is not None else None
        except (ValueError, EOFError, TypeError):
            return None

    def keep_data(self, key: bytes, data: Any) -> None:
        """A new entry of values marshal can keep (see get_data)."""
        self._keep(key, marshal.dumps(data), False)

    def get_files(self, key: bytes) -> tuple[list[tuple[str, bytes]], list[str | None], dict[str, tuple[str, str]]] | None:
        """The files kept together under `key` (see keep_files), each path with the key of its
        text, the final digest of each text (see final_digest), and the kinds kept with them;
        None unless every one of those texts is here."""
        kept = self.get_data(_files_key(key))
        try:
            paths, keys, digests, kinds = kept
            files = [(path, keys[at : at + 32]) for at, path in zip(range(0, len(keys), 32), paths)]
            valid = isinstance(kinds, dict) and len(keys) == 32 * len(paths) == 32 * len(digests)
            valid = valid and all(type(path) is str for path in paths)
        except (ValueError, TypeError):  # not four values, or not these
            return None
        if not valid or not all(text_key in self._old for _, text_key in files):
            return None
        self.retain(_files_key(key))
        return files, digests, kinds

    def keep_files(self, key: bytes, files: list[tuple[str, bytes]], kinds: dict[str, tuple[str, str]]) -> None:
        """Keep, under `key`, which files the inputs it was made of make (each path with the
        key of its text, which `get` or `keep` has for the next run, and that text's final
        digest: asking the pack for 4,000 of them took 2 ms), and the kinds of the models and
        enums (see plan.ModelSide)."""
        paths, keys = [path for path, _ in files], [text_key for _, text_key in files]
        self.keep_data(_files_key(key), (paths, b"".join(keys), [self.final_digest(text_key) for text_key in keys], kinds))

    def keep(self, key: bytes, text: str, needs_black: bool) -> None:
        """A new entry: written to the next pack at once, so a big first run holds no texts."""
        self._keep(key, text.encode("utf-8"), needs_black)

    def _keep(self, key: bytes, data: bytes, needs_black: bool) -> None:
        if self._path is None:
            return
        if self._new is None:
            self._new = _new_pack(self._path)
        if self._new is None:
            self._path = None  # the cache cannot be written: render without keeping anything
            return
        try:
            digest = _write_record(self._new, key, needs_black, data)
        except OSError:
            self.discard()
            self._path = None
            return
        self._new_count += 1
        if not needs_black:
            self._new_digests[key] = digest.hex()

    def save(self) -> None:
        """Keep this run's entries for the next run: the new ones appended to the pack, or a
        pack written anew with this run's alone (see _appended); the pack as it is when it
        holds exactly those."""
        if self._path is None or (self._new_count == 0 and len(self._kept) == len(self._old)):
            self.discard()
            if self._path is not None:
                used(self._path)
            return
        if self._new is None:
            self._new = _new_pack(self._path)
        if self._new is None:
            return
        try:
            if self._appended():
                self.discard()  # the new entries are in the pack now
                used(self._path)  # also when there were none: the pack is in use
            else:
                for record in self._kept:
                    self._new.write(record)
                self._new.close()
                os.replace(self._new.name, self._path)
                self._new = None
        except OSError:
            self.discard()
        prune(self._path.parent, KEPT_PACKS, ".pack")

    def _appended(self) -> bool:
        """Add this run's new entries at the end of the pack, when what the other runs left
        there is at most as much as this run uses: a regeneration that changed one group
        writes that group, not the whole pack again. A later entry under the same key wins
        (see _index); a run that finds the pack too full writes it anew with its own alone.
        """
        assert self._path is not None and self._new is not None
        used_bytes = sum(len(record) for record in self._kept) + self._new.tell() - len(_MAGIC)
        if not self._whole or len(self._data) + self._new.tell() > 2 * (used_bytes + len(_MAGIC)):
            return False
        if fcntl is None:
            return False
        self._new.flush()
        with open(self._new.name, "rb") as new, open(self._path, "ab") as pack:
            new.seek(len(_MAGIC))
            # One appender at a time: another run's records must not land inside ours.
            fcntl.flock(pack, fcntl.LOCK_EX)
            pack.write(new.read())
        return True

    def discard(self) -> None:
        """Drop this run's entries (a failed run), leaving the old pack as it was."""
        if self._new is not None:
            self._new.close()
            try:
                os.unlink(self._new.name)
            except OSError:
                pass
            self._new = None


_MODEL_TYPES: dict[type, bool] = {}  # whether a type of input is a dataclass (asked 35,000 times a run)


def _is_model(kind: type) -> bool:
    model = _MODEL_TYPES.get(kind)
    if model is None:
        model = _MODEL_TYPES[kind] = is_dataclass(kind)
    return model


class _Digest(bytes):
    """A model object in a key, as its digest (no repr of an input looks like this one)."""

    def __repr__(self) -> str:
        return f"<{self.hex()}>"


def _files_key(key: bytes) -> bytes:
    """Where files kept together under `key` are listed: apart from any text's key."""
    return hashlib.sha256(b"files\0" + key).digest()


def _read(path: Path) -> bytes | mmap.mmap:
    try:
        data = mapped(path)
    except (OSError, ValueError):
        return b""
    return data if data[: len(_MAGIC)] == _MAGIC else b""


def _index(data: memoryview) -> tuple[dict[bytes, tuple[bool, int, int, int]], bool]:
    """key -> (needs black, where its record starts, where its text starts and ends) for each
    whole record, the last one for a key that is there twice; and whether the pack ends with
    a whole record (a damaged tail is ignored)."""
    index: dict[bytes, tuple[bool, int, int, int]] = {}
    unpack, size, end = _RECORD.unpack_from, _RECORD.size, len(data)  # a loop over 4,000 records
    at = len(_MAGIC) if end else 0
    while at + size <= end:
        key, _, needs_black, length = unpack(data, at)
        start = at + size
        stop = start + length
        if stop > end:
            break
        index[key] = (needs_black, at, start, stop)
        at = stop
    return index, at == end and end > 0


def _new_pack(path: Path) -> IO[bytes] | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False)
        handle.write(_MAGIC)
        return handle
    except OSError:
        return None


def _write_record(handle: IO[bytes], key: bytes, needs_black: bool, text: bytes) -> bytes:
    """Write the record; the sha256 of its text."""
    digest = hashlib.sha256(text).digest()
    handle.write(_RECORD.pack(key, digest, needs_black, len(text)))
    handle.write(text)
    return digest
