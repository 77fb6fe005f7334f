"""API model to files: render the templates, then format the Python."""

from __future__ import annotations

from ..model import Api
from .format import FormatCache, FormatError, format_files
from .plan import RUNTIME_DIR, render_package
from .writer import MANIFEST_NAME, WriteError, WriteResult, write_tree

__all__ = ["render", "write_tree", "FormatCache", "FormatError", "WriteError", "WriteResult", "MANIFEST_NAME"]


def render(api: Api, source: str, *, cache: FormatCache | None = None) -> dict[str, str]:
    """Every file of the generated package, formatted: relative path -> text."""
    files = render_package(api, source)
    # The runtime modules are formatted in the repository already; formatting them again is waste.
    static = frozenset(f"{api.package}/{p.name}" for p in RUNTIME_DIR.glob("*.py"))
    return format_files(files, skip=static, cache=cache)
