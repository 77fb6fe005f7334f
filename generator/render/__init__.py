"""API model to files: render the templates, then format the Python."""

from __future__ import annotations

from functools import lru_cache

from ..model import Api
from ..progress import Report, silent
from .format import FormatCache, FormatError, format_files
from .options import RenderOptions
from .plan import RUNTIME_DIR, render_package
from .writer import MANIFEST_NAME, Difference, WriteError, WriteResult, compare_tree, write_tree

__all__ = [
    "render",
    "write_tree",
    "compare_tree",
    "Difference",
    "FormatCache",
    "FormatError",
    "RenderOptions",
    "WriteError",
    "WriteResult",
    "MANIFEST_NAME",
]


def render(
    api: Api,
    source: str,
    *,
    cache: FormatCache | None = None,
    options: RenderOptions = RenderOptions(),
    progress: Report = silent,
) -> dict[str, str]:
    """Every file of the generated package, formatted: relative path -> text."""
    progress(f"rendering {api.package}")
    files = render_package(api, source, options)
    # The runtime modules are formatted in the repository already; formatting them again is waste.
    static = frozenset(f"{api.package}/{name}" for name in _runtime_modules())
    laid_out = frozenset(p for p in files if _laid_out(api.package, p))
    progress(f"formatting {sum(p.endswith('.py') and p not in static for p in files)} files")
    return format_files(files, skip=static, cache=cache, line_length=options.line_length, laid_out=laid_out)


def _laid_out(package: str, path: str) -> bool:
    """Files whose templates write black's layout themselves: every rendered module."""
    name = path[len(package) + 1 :]
    return path.startswith(f"{package}/") and path.endswith(".py") and name not in _runtime_modules()


@lru_cache(maxsize=1)
def _runtime_modules() -> frozenset[str]:
    return frozenset(p.name for p in RUNTIME_DIR.glob("*.py"))
