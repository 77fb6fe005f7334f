"""Formatting generated Python with black: in parallel, and never twice for the same text.

Black is the most expensive stage by far (about 85 ms a file), so:
- its results are cached on disk, keyed by a hash of the unformatted text, black's version
  and its options: a regeneration only formats files whose content changed, and a changed
  input can never be served a stale result;
- cache misses are formatted by worker processes, one per core.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black

LINE_LENGTH = 100
_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)
# Below this many files a worker pool costs more than it saves.
_PARALLEL_THRESHOLD = 16
CACHE_ENV = "CODEGEN_CACHE_DIR"


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, reported with the file."""


def format_python(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=_MODE)
    except black.InvalidInput as exc:
        raise FormatError(f"generated {path} is not valid Python ({exc}); this is a bug in codegen") from exc


class FormatCache:
    """Formatted texts on disk, one file per entry, named by the hash of what produced it."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._salt = f"{black.__version__}|{_MODE!r}|".encode()

    @classmethod
    def default(cls) -> FormatCache | None:
        """The user's cache ($CODEGEN_CACHE_DIR, else ~/.cache/codegen); None if unusable."""
        configured = os.environ.get(CACHE_ENV)
        if configured == "":
            return None  # explicitly disabled
        base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        directory = base if configured else base / "codegen"
        try:
            (directory / "black").mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return cls(directory / "black")

    def _path(self, source: str) -> Path:
        key = hashlib.sha256(self._salt + source.encode("utf-8")).hexdigest()
        return self.directory / key[:2] / f"{key}.py"

    def get(self, source: str) -> str | None:
        try:
            return self._path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, source: str, formatted: str) -> None:
        target = self._path(source)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(formatted)
            os.replace(tmp, target)  # readers see a whole entry or none
        except OSError:
            pass  # a cache that cannot be written only costs time


def _format_item(item: tuple[str, str]) -> str:
    return format_python(*item)


def _format_all(items: list[tuple[str, str]], jobs: int) -> list[str]:
    if jobs <= 1 or len(items) < _PARALLEL_THRESHOLD:
        return [format_python(path, text) for path, text in items]
    # fork: the workers start with black already imported, so the pool is cheap to start.
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(_format_item, items, chunksize=max(1, len(items) // (jobs * 8))))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def format_files(
    files: dict[str, str],
    skip: frozenset[str] = frozenset(),
    *,
    cache: FormatCache | None = None,
    jobs: int | None = None,
) -> dict[str, str]:
    """Every .py file formatted, except those in `skip` (static files formatted already)."""
    out = dict(files)
    todo = [(path, text) for path, text in files.items() if path.endswith(".py") and path not in skip]
    misses = []
    for path, text in todo:
        cached = cache.get(text) if cache else None
        if cached is None:
            misses.append((path, text))
        else:
            out[path] = cached
    for (path, text), formatted in zip(misses, _format_all(misses, jobs or default_jobs())):
        out[path] = formatted
        if cache:
            cache.put(text, formatted)
    return out
