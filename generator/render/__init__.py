"""API model to files: render the templates, then format the Python."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from ..forked import Forked, can_fork
from ..model import Api
from ..progress import Report, silent
from .format import FormatCache, FormatError, format_files
from .layout import long_code_line
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
    on_file: Callable[[str, str], None] | None = None,
    workers: int = 1,
) -> dict[str, str]:
    """Every file of the generated package, formatted: relative path -> text.

    `on_file`, if given, receives each file instead, as soon as it is final (so writing can
    overlap rendering), and the dict returned is empty. Most files come while the rest are
    still being rendered; those black must format come last. With `workers` above 1, forked
    processes render a share of the files each (worth it only on cores nothing else uses).
    """
    progress(f"rendering {api.package}")
    pending: dict[str, str] = {}
    files: dict[str, str] = {}
    deliver = on_file if on_file is not None else files.__setitem__

    def emit(path: str, text: str) -> None:
        if _needs_black(api.package, path, text, options.line_length):
            pending[path] = text
        else:
            deliver(path, text)

    workers = workers if can_fork() else 1
    helpers = [Forked(_rendered_share, api, source, options, (index, workers)) for index in range(1, workers)]
    try:
        render_package(api, source, options, emit=emit, part=(0, workers))
        for index, helper in enumerate(helpers, start=1):
            share = helper.result()
            if share is None:  # the helper died: render its share here
                render_package(api, source, options, emit=emit, part=(index, workers))
            else:
                for path, text in share.items():
                    emit(path, text)
    finally:
        for helper in helpers:  # after a failure here, their work is not wanted
            helper.cancel()
    if pending:
        progress(f"formatting {len(pending)} files")
        for path, text in format_files(pending, cache=cache, line_length=options.line_length).items():
            deliver(path, text)
    return files


def _rendered_share(api: Api, source: str, options: RenderOptions, part: tuple[int, int]) -> dict[str, str]:
    return render_package(api, source, options, part=part)


def _needs_black(package: str, path: str, text: str, line_length: int) -> bool:
    """Rendered modules are in black's layout (see layout.py) unless a line was too long to
    lay out; the runtime modules are formatted in the repository already."""
    return _laid_out(package, path) and long_code_line(text, line_length)


def _laid_out(package: str, path: str) -> bool:
    """Files whose templates write black's layout themselves: every rendered module."""
    name = path[len(package) + 1 :]
    return path.startswith(f"{package}/") and path.endswith(".py") and name not in _runtime_modules()


@lru_cache(maxsize=1)
def _runtime_modules() -> frozenset[str]:
    return frozenset(p.name for p in RUNTIME_DIR.glob("*.py"))
