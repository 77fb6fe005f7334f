"""Compiled code that Python makes anew in every process, kept between runs as it keeps
module bytecode: the dataclasses' methods and the regular expressions' programs.

The dataclasses module writes each class's __init__, __eq__, __hash__, __repr__ and the
frozen __setattr__ as source text and compiles it when the class is made: for the ~50
dataclasses a run imports (the API model's among them), 330 compilations, 0.04 s of every
run, a tenth of a regeneration. The text is all a compilation depends on, for one
bytecode version, so its code object can be kept under it.

The re module parses each pattern and compiles it into a program (a list of integers) for
the matching engine; the patterns compiled at import by the modules a run uses (tokenize's,
PyYAML's, jinja2's, email's, ...) cost 0.01 s in the main process and 0.025 s in the
validating child. The program depends on the pattern, its flags and the engine's version
alone, so it can be kept under the first two and handed to the engine as re would. It is
kept as the engine's code words in bytes: the validating libraries' patterns are 360,000
words, which as integers took 0.01 s of every process to read back, used or not.

attrs writes its classes' methods as source text too (34 compilations, 0.008 s, in the
validating child: jsonschema's and referencing's classes). Its __hash__ text holds one value
that differs between processes, the hash of the class's name (str hashes are salted), as a
literal: the text is kept with the method reading it from its globals instead, which attrs
makes anew for each class (see install_attrs).

A pattern is kept once a second process compiles it; the first only notes a checksum of
it. Some patterns are made anew in each process: tokenize's, compiled when inspect reads a
builtin's signature, joins its string prefixes in the order of a set of strings, which
differs with each process's salt. Kept on first sight, each cold run added one more (600
of them, 4.8 MB of a 6.2 MB file that every process read at its start).

`install` has dataclasses and re compile through this module, which serves what earlier
runs kept, and `save` keeps what this process compiled anew. The file sits beside the
package's bytecode (in __pycache__, or under sys.pycache_prefix), is written under the same
rule (not with PYTHONDONTWRITEBYTECODE), and starts with the interpreter's bytecode magic
and the matching engine's: another Python reads none of it.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's matching engine, which typeshed leaves out
import dataclasses
from array import array
import importlib.machinery
import importlib.util
import marshal
import os
import re
import sys
import zlib
from pathlib import Path
from types import CodeType
from typing import Any

# Named as the bytecode of a module that does not exist, with a suffix no importer reads.
_KEPT = Path(importlib.util.cache_from_source(str(Path(__file__).with_name("compiled_code.py")))).with_suffix(".bin")
# An array type whose items are the engine's code words (None: there is none, nothing is kept).
_WORDS = next((code for code in "IL" if array(code).itemsize == _sre.CODESIZE), None)
# 3: the entries marshalled alone, then the checksums of patterns compiled once
_MAGIC = importlib.util.MAGIC_NUMBER + f"sre {_sre.MAGIC} {_sre.CODESIZE} 3\n".encode()
_MOST = 8192  # entries kept at the most: those of code no longer run are dropped past it
_MOST_ONCE = 1024  # checksums of patterns compiled once kept at the most, the latest

# A pattern and its flags, and what re's compiler hands the engine for them besides the
# pattern: the flags, the program (its code words, in bytes), the number of groups, the
# group indexes by name and the names by index.
PatternKey = tuple[str | bytes, int]
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
Key = str | PatternKey  # a dataclass method's source text, or a pattern
Compiled = CodeType | Program

# What earlier runs kept, each entry marshalled alone until it is first asked for (a run
# uses half of them: the validating child's patterns are not the main process's), and what
# was compiled or unmarshalled since.
_known: dict[Key, Compiled | bytes] = {}
_new: dict[Key, Compiled] = {}
_used: set[Key] = set()
# Checksums of the patterns earlier processes compiled once (see _compile_pattern), the latest
# first; and the patterns this process compiled, for itself alone, seen here first.
_once: dict[int, None] = {}
_once_here: dict[Key, int] = {}
_re_compile = re._compiler.compile  # type: ignore[attr-defined]


def install() -> None:
    """Have dataclasses and re compile through this module from now on (once a process)."""
    if dataclasses.__dict__.get("exec") is _exec:
        return
    entries, once = _read(_KEPT)
    _known.update(entries)
    _once.update(dict.fromkeys(once))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # the name dataclasses looks up first
    if _WORDS and hasattr(re._parser, "parse") and hasattr(re._compiler, "_code"):  # type: ignore[attr-defined]
        re._compiler.compile = _compile_pattern  # type: ignore[attr-defined]  # what re.compile calls on a miss


def install_attrs() -> None:
    """Have attrs compile the methods it writes through this module (once a process): from
    when attr._make is loaded, if it is not yet (attrs makes its own classes right after)."""
    module: Any = sys.modules.get("attr._make")
    if module is not None:
        module._compile_and_eval = _attrs_compile_and_eval  # what its method makers call
    elif not any(isinstance(finder, _AttrsMakeFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AttrsMakeFinder())


class _AttrsMakeFinder:
    """Finds attr._make as the path finder does, and installs the hook once it is loaded."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "attr._make":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if loader is not None and hasattr(loader, "exec_module"):
            run = loader.exec_module

            def exec_module(module: Any) -> None:
                run(module)
                install_attrs()

            loader.exec_module = exec_module  # type: ignore[method-assign]  # this spec's own loader
        return spec


def compiled(source: str, filename: str = "<string>") -> CodeType:
    """The code of `source` as compile(source, filename, "exec") gives it."""
    key = source if filename == "<string>" else f"{filename}\n{source}"
    code = _kept(key)
    if not isinstance(code, CodeType):
        code = _known[key] = _new[key] = compile(source, filename, "exec")
    _used.add(key)  # once known: save keeps what is used
    return code


# The line of attrs' __hash__ text after `hash((`: the class's own hash, a literal.
_ATTRS_TYPE_HASH = re.compile(r"(hash\(\(\n[ ]+)(-?[0-9]+)(,\n)")
_TYPE_HASH_NAME = "_codegen_type_hash"


def _attrs_compile_and_eval(
    script: str, globs: dict[str, Any] | None, locs: Any = None, filename: str = ""
) -> None:
    """attrs' _compile_and_eval, serving the code from what earlier runs kept."""
    match = _ATTRS_TYPE_HASH.search(script)
    if globs is None or (match is None and "hash((" in script):  # not written as this expects
        eval(compile(script, filename, "exec"), globs, locs)
        return
    if match is not None:
        globs[_TYPE_HASH_NAME] = int(match[2])
        script = f"{script[: match.start(2)]}{_TYPE_HASH_NAME}{script[match.end(2) :]}"
    eval(compiled(script, filename), globs, locs)


def save() -> None:
    """Keep what this process compiled anew, if Python may write bytecode here."""
    if not (_new or _once_here) or sys.dont_write_bytecode:
        return
    keys = (_known.keys() if len(_known) <= _MOST else _used) - _once_here.keys()
    kept = {key: value if type(value := _known[key]) is bytes else marshal.dumps(value) for key in keys}
    once = [*dict.fromkeys([*_once_here.values(), *_once])][:_MOST_ONCE]
    _new.clear()
    _once_here.clear()
    temporary = f"{_KEPT}.{os.getpid()}.tmp"  # renamed over the file whole, as Python writes bytecode
    try:
        _KEPT.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(_MAGIC + marshal.dumps((kept, once)))
        os.chmod(temporary, os.stat(__file__).st_mode & 0o666)  # readable as the code is
        os.replace(temporary, _KEPT)
    except (OSError, ValueError):  # a read-only install: each run compiles, as without this
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None) -> None:
    exec(compiled(source) if isinstance(source, str) else source, globals, locals)


def _compile_pattern(pattern: Any, flags: int = 0) -> re.Pattern[Any]:
    """What re's compiler gives for `pattern`, a string or a parsed pattern, and `flags`."""
    if type(pattern) not in (str, bytes) or flags & re.DEBUG:  # a subclass would not marshal
        return _re_compile(pattern, flags)  # type: ignore[no-any-return]
    key = (pattern, int(flags))
    program = _kept(key)
    if not isinstance(program, tuple):
        try:
            program = _program(pattern, flags)
        except Exception:  # noqa: BLE001 - an invalid pattern: re's compiler raises its error
            return _re_compile(pattern, flags)  # type: ignore[no-any-return]
        _known[key] = program
        checksum = _checksum(key)
        if checksum in _once:  # a second process compiles it: it is worth keeping
            _new[key] = program
            del _once[checksum]
        else:
            _once_here[key] = checksum
    _used.add(key)
    return _engine_compile(pattern, program)


def _checksum(key: PatternKey) -> int:
    """A pattern's, told apart from the others' well enough to note it was seen (a clash
    only keeps a pattern sooner)."""
    pattern, flags = key
    text = pattern.encode("utf-8", "surrogatepass") if isinstance(pattern, str) else b"b" + pattern
    return zlib.crc32(text, flags)


def _engine_compile(pattern: str | bytes, program: Program) -> re.Pattern[Any]:
    flags, words, groups, groupindex, indexgroup = program
    code = array(_WORDS or "L", words).tolist()
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)  # type: ignore[no-any-return]


def _program(pattern: str | bytes, flags: int) -> Program:
    """What re._compiler.compile hands the engine, made as it makes it."""
    parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    code = re._compiler._code(parsed, flags)  # type: ignore[attr-defined]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    words = array(_WORDS or "L", code).tobytes()
    return int(flags | parsed.state.flags), words, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _kept(key: Key) -> Compiled | None:
    """What an earlier run kept under `key`, unmarshalled, if it is well formed."""
    value = _known.get(key)
    if type(value) is not bytes:
        return value  # type: ignore[return-value]
    try:
        loaded: Any = marshal.loads(value)
    except (ValueError, EOFError, TypeError):
        loaded = None
    if not _well_formed(key, loaded):
        del _known[key]
        return None
    _known[key] = loaded
    return loaded  # type: ignore[no-any-return]


def _read(path: Path) -> tuple[dict[Key, bytes], list[int]]:
    """The entries kept at `path`, and the checksums of patterns compiled once (see save)."""
    try:
        data = path.read_bytes()
        if not data.startswith(_MAGIC):
            return {}, []
        loaded = marshal.loads(data[len(_MAGIC) :])
    except (OSError, ValueError, EOFError, TypeError):
        return {}, []
    if not (type(loaded) is tuple and len(loaded) == 2):
        return {}, []
    kept, once = loaded
    if not isinstance(kept, dict) or not isinstance(once, list):
        return {}, []
    entries = {key: value for key, value in kept.items() if _is_key(key) and type(value) is bytes}
    return entries, [checksum for checksum in once if type(checksum) is int]


def _is_key(key: Any) -> bool:
    """Whether `key` is a Key: a source text, or a pattern and its flags."""
    if isinstance(key, str):
        return True
    return type(key) is tuple and len(key) == 2 and isinstance(key[0], (str, bytes)) and type(key[1]) is int


def _well_formed(key: Any, value: Any) -> bool:
    if isinstance(key, str):
        return isinstance(value, CodeType)
    return (
        _is_key(key)
        and type(value) is tuple
        and len(value) == 5
        and type(value[0]) is int
        and type(value[1]) is bytes
        and type(value[2]) is int
        and type(value[3]) is dict
        and type(value[4]) is tuple
    )
