"""Formatting generated Python with black: in parallel, and never twice for the same text.

Black is the most expensive stage by far (about 85 ms a file), so:
- its results are cached on disk, keyed by a hash of the unformatted text, black's version
  and its options: a regeneration only formats files whose content changed, and a changed
  input can never be served a stale result;
- cache misses are formatted by worker processes, one per core.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any

from ..cache import cache_dir, write_entry

LINE_LENGTH = 100  # the default; the line_length option changes it


def _black() -> ModuleType:
    # Imported on first use: most packages have no file that needs it (see layout.py), and
    # black costs 0.1 s and 7 MB to import.
    import black

    return black


@lru_cache(maxsize=None)
def _mode(line_length: int) -> Any:
    black = _black()
    return black.Mode(target_versions={black.TargetVersion.PY311}, line_length=line_length)


# Below this many files a worker pool costs more than it saves.
_PARALLEL_THRESHOLD = 16


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, reported with the file."""


def format_python(path: str, source: str, line_length: int = LINE_LENGTH) -> str:
    black = _black()
    try:
        return str(black.format_str(source, mode=_mode(line_length)))
    except black.InvalidInput as exc:
        raise FormatError(f"generated {path} is not valid Python ({exc}); this is a bug in codegen") from exc


class FormatCache:
    """Formatted texts on disk, one file per entry, named by the hash of what produced it."""

    def __init__(self, directory: Path):
        self.directory = directory

    @classmethod
    def default(cls) -> FormatCache | None:
        """The user's cache (see generator.cache); None if caching is off or unusable."""
        directory = cache_dir("black")
        return cls(directory) if directory is not None else None

    def _path(self, source: str, line_length: int) -> Path:
        # black's version and every option are in the key: a changed setting never reads an old entry.
        salt = f"{_black().__version__}|{_mode(line_length)!r}|".encode()
        key = hashlib.sha256(salt + source.encode("utf-8")).hexdigest()
        return self.directory / key[:2] / f"{key}.py"

    def get(self, source: str, line_length: int = LINE_LENGTH) -> str | None:
        try:
            return self._path(source, line_length).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, source: str, formatted: str, line_length: int = LINE_LENGTH) -> None:
        write_entry(self._path(source, line_length), formatted)


def _format_item(line_length: int, item: tuple[str, str]) -> str:
    return format_python(*item, line_length=line_length)


def _format_all(items: list[tuple[str, str]], jobs: int, line_length: int = LINE_LENGTH) -> list[str]:
    if jobs <= 1 or len(items) < _PARALLEL_THRESHOLD:
        return [format_python(path, text, line_length) for path, text in items]
    # Imported here: a run that formats this much pays for them anyway; most runs never get here.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with black already imported, so the pool is cheap to start.
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(partial(_format_item, line_length), items, chunksize=max(1, len(items) // (jobs * 8))))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def format_files(
    files: dict[str, str],
    skip: frozenset[str] = frozenset(),
    *,
    cache: FormatCache | None = None,
    jobs: int | None = None,
    line_length: int = LINE_LENGTH,
) -> dict[str, str]:
    """Every .py file formatted, except those in `skip` (static files formatted already).

    Which rendered files need black at all is render's decision (see render._needs_black).
    """
    out = dict(files)
    todo = [(path, text) for path, text in files.items() if path.endswith(".py") and path not in skip]
    misses = []
    for path, text in todo:
        cached = cache.get(text, line_length) if cache else None
        if cached is None:
            misses.append((path, text))
        else:
            out[path] = cached
    for (path, text), formatted in zip(misses, _format_all(misses, jobs or default_jobs(), line_length)):
        out[path] = formatted
        if cache:
            cache.put(text, formatted, line_length)
    return out
