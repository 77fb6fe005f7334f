"""Compiled dataclass methods, kept between runs as Python keeps module bytecode.

The dataclasses module writes each class's __init__, __eq__, __hash__, __repr__ and the
frozen __setattr__ as source text and compiles it when the class is made: for the ~50
dataclasses a run imports (the API model's among them), 330 compilations, 0.04 s of every
run, a tenth of a regeneration. The text is all a compilation depends on, for one
bytecode version, so its code object can be kept under it: `install` has dataclasses
compile through `compiled`, which serves the code kept by earlier runs, and `save` keeps
what this process compiled anew.

The file sits beside the package's bytecode (in __pycache__, or under
sys.pycache_prefix), is written under the same rule (not with PYTHONDONTWRITEBYTECODE),
and starts with the interpreter's bytecode magic: another Python reads none of it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

# Named as the bytecode of a module that does not exist, with a suffix no importer reads.
_KEPT = Path(importlib.util.cache_from_source(str(Path(__file__).with_name("dataclass_methods.py")))).with_suffix(".bin")
_MAGIC = importlib.util.MAGIC_NUMBER
_MOST = 4096  # entries kept at the most: methods of code no longer run are dropped past it

_known: dict[str, CodeType] = {}
_new: dict[str, CodeType] = {}
_used: set[str] = set()


def install() -> None:
    """Have dataclasses compile through `compiled` from now on (once a process)."""
    if dataclasses.__dict__.get("exec") is _exec:
        return
    _known.update(_read(_KEPT))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # the name dataclasses looks up first


def compiled(source: str) -> CodeType:
    """The code of `source` as compile(source, "<string>", "exec") gives it."""
    _used.add(source)
    code = _known.get(source)
    if code is None:
        code = _known[source] = _new[source] = compile(source, "<string>", "exec")
    return code


def save() -> None:
    """Keep what this process compiled anew, if Python may write bytecode here."""
    if not _new or sys.dont_write_bytecode:
        return
    kept = _known if len(_known) <= _MOST else {source: _known[source] for source in _used}
    _new.clear()
    temporary = f"{_KEPT}.{os.getpid()}.tmp"  # renamed over the file whole, as Python writes bytecode
    try:
        _KEPT.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(_MAGIC + marshal.dumps(kept))
        os.chmod(temporary, os.stat(__file__).st_mode & 0o666)  # readable as the code is
        os.replace(temporary, _KEPT)
    except (OSError, ValueError):  # a read-only install: each run compiles, as without this
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None) -> None:
    exec(compiled(source) if isinstance(source, str) else source, globals, locals)


def _read(path: Path) -> dict[str, CodeType]:
    try:
        data = path.read_bytes()
        if not data.startswith(_MAGIC):
            return {}
        kept = marshal.loads(data[len(_MAGIC) :])
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {source: code for source, code in kept.items() if isinstance(source, str) and isinstance(code, CodeType)}
