"""Formatting generated Python with black."""

from __future__ import annotations

import black

LINE_LENGTH = 100
_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)


class FormatError(Exception):
    """Generated code black could not parse: a generator bug, reported with the file."""


def format_python(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=_MODE)
    except black.InvalidInput as exc:
        raise FormatError(f"generated {path} is not valid Python ({exc}); this is a bug in codegen") from exc


def format_files(files: dict[str, str], skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Format every .py file except those in `skip` (static files that are formatted already)."""
    return {
        path: format_python(path, text) if path.endswith(".py") and path not in skip else text
        for path, text in files.items()
    }
