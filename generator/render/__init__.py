"""API model to files: render the templates, then format the Python."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Callable

from ..forked import Forked, can_fork
from ..model import Api
from ..progress import Report, silent
from .format import FormatCache, FormatError, format_files
from .layout import LaidOut, long_code_line
from .options import RenderOptions
from .memo import RenderMemo
from .plan import (
    RUNTIME_DIR,
    ModelSide,
    Piece,
    Planned,
    RenderContext,
    file_plan,
    model_side,
    models_key,
    rendered_text,
)
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
    "RenderMemo",
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
    memo: RenderMemo | None = None,
    held: Held | None = None,
) -> dict[str, str]:
    """Every file of the generated package, formatted: relative path -> text.

    `on_file`, if given, receives each file instead, as soon as it is final (so writing can
    overlap rendering), and the dict returned is empty. Most files come while the rest are
    still being rendered; those black must format come last. With `workers` above 1, forked
    processes render a share of the files each (worth it only on cores nothing else uses).
    `memo` gives the texts of files whose inputs it has seen, and keeps the new ones; the
    caller saves it once the files are used. `held(files, text)` tells which of the files
    (path, digest) the receiver has with that content already (`text` gives a path's text,
    should it be needed after all): such a file the memo keeps is neither read nor given out.
    """
    progress(f"rendering {api.package}")
    pending: dict[str, str] = {}
    files: dict[str, str] = {}
    deliver = on_file if on_file is not None else files.__setitem__

    def emit(path: str, text: str, needs_black: bool) -> None:
        if needs_black:
            pending[path] = text
        else:
            deliver(path, text)

    todo: list[tuple[Planned, bytes | None]] = []
    serve = partial(_serve, memo, emit, held) if memo is not None else None
    models = _kept_models(api, source, options, memo, serve)
    side = models.side if models is not None and models.side is not None else model_side(api)
    for planned in file_plan(api, source, options, memo.compiled_templates if memo is not None else None, side):
        key = memo.key(planned.inputs) if memo is not None and planned.inputs is not None else None
        if models is not None and planned.part == "models" and key is not None:
            models.files.append((planned.path, key))
        if serve is None or key is None or not serve([(planned.path, key)])[0]:
            todo.append((_assembled(planned, memo) if memo is not None else planned, key))
        elif memo is not None and planned.pieces is not None:
            memo.retain(_pieces_key(memo, planned.path))  # for when the group changes

    def rendered(position: int, text: str) -> None:
        planned, key = todo[position]
        needs_black = _needs_black(api.package, planned.path, text, options.line_length)
        if memo is not None and key is not None:
            memo.keep(key, text, needs_black)
        emit(planned.path, text, needs_black)

    _render_all([planned for planned, _ in todo], options, workers, rendered)
    if memo is not None and models is not None and models.side is None:  # once their texts are kept
        memo.keep_files(models.key, models.files, side.kinds)
    if pending:
        progress(f"formatting {len(pending)} files")
        for path, text in format_files(pending, cache=cache, line_length=options.line_length).items():
            deliver(path, text)
    return files


@dataclass
class _KeptModels:
    """The files of models and enums under one memo key (see plan.models_key): `side` when
    the memo had them (and they were given out), else the files found for it this run."""

    key: bytes
    side: ModelSide | None
    files: list[tuple[str, bytes]] = field(default_factory=list)


def _kept_models(
    api: Api,
    source: str,
    options: RenderOptions,
    memo: RenderMemo | None,
    serve: Callable[..., list[bool]] | None,
) -> _KeptModels | None:
    """Give out the files of models and enums as a whole when the memo has them for these
    inputs: most regenerations change no model, and then neither the plan of thousands of
    files nor their keys need be made again."""
    if memo is None or serve is None:
        return None
    key = memo.key(models_key(api, RenderContext(api, source, options).file()))
    kept = memo.get_files(key)
    if kept is None:
        return _KeptModels(key, None)
    files, digests, kinds = kept
    serve(files, digests)  # get_files found each one
    return _KeptModels(key, ModelSide(kinds), files)


# Which of the files (path, digest of the content) the receiver has already; the callable
# gives a path's text, should the receiver need it after all.
Held = Callable[[list[tuple[str, str]], Callable[[str], str]], set[str]]


def _serve(
    memo: RenderMemo,
    emit: Callable[[str, str, bool], None],
    held: Held | None,
    files: list[tuple[str, bytes]],
    digests: list[str | None] | None = None,
) -> list[bool]:
    """Give out each file (path, key) that the memo keeps under its key, or leave it to a
    receiver that holds it (then it is not even read); whether each was: not when the memo
    has no text under its key. Asked for thousands of files at once, for the models, with
    the final digest of each text when known (see RenderMemo.final_digest)."""
    in_place: set[str] = set()
    if held is not None:
        if digests is None:
            digests = [memo.final_digest(key) for _, key in files]
        asked = [(path, digest) for (path, _), digest in zip(files, digests) if digest is not None]
        keys = dict(files)
        in_place = held(asked, lambda path: _kept_text(memo, keys[path])) if asked else set()
    memo.retain_each([key for path, key in files if path in in_place])
    served = []
    for path, key in files:
        kept = memo.get(key) if path not in in_place else None
        if kept is not None:
            emit(path, *kept)
        served.append(kept is not None or path in in_place)
    return served


def _kept_text(memo: RenderMemo, key: bytes) -> str:
    kept = memo.peek(key)
    assert kept is not None  # served from it a moment ago
    return kept[0]


def _assembled(planned: Planned, memo: RenderMemo) -> Planned:
    """A group's file to render, made with the pieces of its operations that the memo kept
    from the file's last version; the others are rendered here (so that the memo keeps them)
    rather than where the file is."""
    group = planned.pieces
    if group is None:
        return planned
    where = _pieces_key(memo, planned.path)
    old = memo.get_data(where)
    old = old if isinstance(old, dict) else {}
    operations = group.group.operations
    keys = dict(zip((op.name for op in operations), memo.keys(group.inputs(), operations)))
    found = {name: Piece.of(old.get(key)) for name, key in keys.items()}
    pieces = {name: piece for name, piece in found.items() if piece is not None}
    pieces |= group.render([op for op in operations if op.name not in pieces])
    memo.keep_data(where, {keys[name]: tuple(piece) for name, piece in pieces.items()})
    return replace(planned, make=partial(group.make, pieces))


def _pieces_key(memo: RenderMemo, path: str) -> bytes:
    """Where the pieces of the group file at `path` are kept (see plan.GroupPieces)."""
    return memo.key(("operation pieces", path))


# A forked helper costs more than it saves below this many files to render for it.
FILES_PER_HELPER = 200


def _render_all(
    plan: list[Planned], options: RenderOptions, workers: int, rendered: Callable[[int, str], None]
) -> None:
    """Render each planned file, telling `rendered` its position in `plan` and its text."""
    workers = max(1, min(workers if can_fork() else 1, len(plan) // FILES_PER_HELPER))
    helpers = [Forked(_rendered_share, plan, options, (index, workers)) for index in range(1, workers)]
    try:
        for position in range(0, len(plan), workers):
            rendered(position, rendered_text(plan[position], options))
        for index, helper in enumerate(helpers, start=1):
            share = helper.result()
            for offset, position in enumerate(range(index, len(plan), workers)):
                # When the helper died, its share is rendered here.
                rendered(position, share[offset] if share is not None else rendered_text(plan[position], options))
    finally:
        for helper in helpers:  # after a failure here, their work is not wanted
            helper.cancel()


def _rendered_share(plan: list[Planned], options: RenderOptions, part: tuple[int, int]) -> list[str]:
    index, count = part
    return [rendered_text(planned, options) for planned in plan[index::count]]


def _needs_black(package: str, path: str, text: str, line_length: int) -> bool:
    """Rendered modules are in black's layout (see layout.py) unless a line was too long to
    lay out; the runtime modules are formatted in the repository already."""
    if not _laid_out(package, path):
        return False
    known = text.long_line if isinstance(text, LaidOut) else None
    return long_code_line(text, line_length) if known is None else known


def _laid_out(package: str, path: str) -> bool:
    """Files whose templates write black's layout themselves: every rendered module."""
    name = path[len(package) + 1 :]
    return path.startswith(f"{package}/") and path.endswith(".py") and name not in _runtime_modules()


@lru_cache(maxsize=1)
def _runtime_modules() -> frozenset[str]:
    return frozenset(p.name for p in RUNTIME_DIR.glob("*.py"))
