"""Loading a spec: read the file, parse JSON or YAML, check it is OpenAPI, bundle external $refs.

The result is a Document whose `root` holds only internal refs ("#/..."): every file a $ref
names is parsed once and placed under root["x-codegen-bundled"][key], and the refs are
rewritten to point there. Later stages never open files, yet every pointer into the root
still maps back to a file and line (Document.locate).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..errors import Diagnostic, SpecError, join_pointer
from .locate import JsonLocator, Locator, yaml_locator
from .refs import PointerError, resolve_pointer

if TYPE_CHECKING:
    from .parse_memo import ParseMemo
    from .units import UnitDigest

__all__ = ["BUNDLE_KEY", "Document", "Source", "load"]

BUNDLE_KEY = "x-codegen-bundled"

# ---------------------------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------------------------


@dataclass
class Source:
    """One file that contributed to the document, kept for line numbers.

    Its text is needed while loading and again only if a diagnostic needs a line number, so
    `load` releases it (13 MB for GitHub's spec, otherwise held for the whole run) and a line
    lookup reads the file again, provided it still has the same content.
    """

    path: Path  # absolute, symlinks resolved: the file's identity
    display: str  # how diagnostics name it: as the user gave it, or relative to that
    text: str | None  # as parsed; None once released, or never made (the parse memo answered)
    kind: str  # "json" or "yaml": which parser read it, and so which locator fits
    digest: str  # sha256 of the file's bytes, its identity ("" until asked for: see content_digest)
    # Another identity of the bytes, when the parse memo found them (ParseMemo.parsed_file):
    # comparing the text with a validating child's needs no hash of them all.
    identity: str = ""
    _raw: bytes | None = field(default=None, repr=False, compare=False)  # to hash when asked
    _locator: Locator | None = field(default=None, repr=False, compare=False)
    _changed: bool = field(default=False, repr=False, compare=False)  # on disk since it was read

    def release(self) -> None:
        self.text = None

    def content_digest(self) -> str:
        """The sha256 of the file's bytes, worked out on first need (0.009 s for GitHub's)."""
        if not self.digest and self._raw is not None:
            self.digest, self._raw = file_digest(self._raw), None
        return self.digest

    def content(self) -> str | None:
        """The text as parsed: kept, or read again; None if the file changed meanwhile."""
        if self.text is not None:
            return self.text
        try:
            data = _read_bytes(self.path, self.display)
            return _text_of(data, self.display) if file_digest(data) == self.content_digest() else None
        except SpecError:
            return None

    def line(self, pointer: str) -> int | None:
        """1-based line of `pointer` (a pointer into this file's own content)."""
        if self._locator is None:
            text = None if self._changed else self.content()
            if text is None:
                self._changed = True  # no line numbers, rather than wrong ones
                return None
            self._locator = JsonLocator(text) if self.kind == "json" else yaml_locator(text)
        return self._locator.line(pointer)


def file_digest(data: bytes) -> str:
    """A source file's identity: the sha256 of its bytes (hashing the decoded text instead
    took three times as long, and encoding it made a second copy of a big spec)."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Document:
    """A loaded spec: its root with external references bundled in, and where each part came
    from."""

    root: dict[str, Any]
    path: Path  # the root file, as given
    sources: dict[str, Source]  # by display name; the root file first
    # Bundled prefix ("/x-codegen-bundled/pet") -> (display name of its file, pointer inside it)
    bundled: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The digests of the units (units.py), when the parse memo found them and nothing was
    # bundled into the root: validation and the build memos' keys need not make them again.
    unit_digests: dict[str, UnitDigest] | None = None

    @property
    def root_source(self) -> Source:
        return next(iter(self.sources.values()))

    @property
    def version(self) -> str:
        """The declared version: "2.0" for Swagger, "3.0.3", "3.1.0", ... for OpenAPI."""
        value = self.root.get("openapi", self.root.get("swagger"))
        return str(value)

    def _split(self, pointer: str) -> tuple[Source, str]:
        """The file a pointer into the bundled root lands in, and the pointer inside that file."""
        if pointer.startswith("/" + BUNDLE_KEY + "/"):
            head = "/".join(pointer.split("/", 3)[:3])  # "/x-codegen-bundled/<key>"
            if head in self.bundled:
                display, inner = self.bundled[head]
                return self.sources[display], inner + pointer[len(head) :]
        return self.root_source, pointer

    def locate(self, pointer: str) -> tuple[str, int | None]:
        """(file as shown to the user, 1-based line) for a JSON pointer into `root`."""
        source, inner = self._split(pointer)
        return source.display, source.line(inner)

    def diagnostic(self, severity: str, message: str, pointer: str) -> Diagnostic:
        """A Diagnostic at `pointer`, with the file, line and pointer as that file sees them."""
        source, inner = self._split(pointer)
        return Diagnostic(severity, message, file=source.display, line=source.line(inner), pointer=inner)


# ---------------------------------------------------------------------------------------------
# Reading and parsing one file
# ---------------------------------------------------------------------------------------------


def _fail(message: str, file: str, line: int | None = None, pointer: str = "") -> SpecError:
    return SpecError(Diagnostic("error", message, file=file, line=line, pointer=pointer))


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _fail("the file does not exist", display) from None
    except IsADirectoryError:
        raise _fail("this is a directory, not a spec file", display) from None
    except OSError as exc:
        raise _fail(f"the file cannot be read: {exc.strerror or exc}", display) from None


def _text_of(data: bytes, display: str) -> str:
    try:
        return _decoded(data)
    except UnicodeDecodeError as exc:
        undecodable = exc.object  # the bytes the codec was given, which exc.start counts in
        line = undecodable[: exc.start].count(b"\n") + 1
        raise _fail(
            f"the file is not UTF-8 text (byte 0x{undecodable[exc.start]:02x} cannot be decoded)", display, line
        ) from None


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_JSON_START = re.compile(r"\s*[{\[]")  # how _parse tells JSON from YAML
_JSON_START_BYTES = re.compile(rb"\s*[{\[]")


def _decoded(data: bytes) -> str:
    """The text of a spec file: UTF-8 (a byte-order mark dropped) or UTF-16 (which has one).

    JSON text comes back with every non-ASCII character written as a \\u escape: the same
    document. A Python string stores every character in the width of its widest, so one
    emoji would make GitHub's 13 MB spec a 50 MB string, kept for line numbers. In JSON such
    characters can only stand inside strings, where an escape means the same; lines do not
    move. The escaping works on the bytes, so that wide string never exists, even briefly.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # editors on Windows write UTF-16 with a mark
        return _ascii_json(data.decode("utf-16"))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.isascii() or not _JSON_START_BYTES.match(data):
        return data.decode("utf-8")
    try:
        return escaped_json(data)
    except UnicodeDecodeError:
        return data.decode("utf-8")  # raises again, with the position in the whole text


def escaped_json(data: bytes) -> str:
    """UTF-8 JSON bytes as text with every non-ASCII character a \\u escape (see _decoded);
    raises UnicodeDecodeError where they are not UTF-8."""
    return "".join(_escaped_pieces(data))


def _escaped_pieces(data: bytes) -> Iterator[str]:
    """The text of JSON bytes with non-ASCII characters escaped, a piece at a time: the
    codec hands its error handler the whole input, copied, at every non-ASCII run it stops
    at, so a few dozen runs in a 13 MB file cost 40 ms where pieces of 64 KB cost none."""
    start = 0
    while start < len(data):
        end = min(start + _DECODED_PIECE, len(data))
        while end < len(data) and 0x80 <= data[end] < 0xC0:  # not within a character
            end += 1
        piece = data[start:end]
        yield piece.decode("ascii") if piece.isascii() else piece.decode("ascii", _ESCAPE_NON_ASCII)
        start = end


_DECODED_PIECE = 1 << 16


def _escaped_run(error: UnicodeError) -> tuple[str, int]:
    """For the ASCII codec: the run of non-ASCII bytes it stopped at, decoded as UTF-8 and
    written as JSON escapes, and where to go on. (The codec does the ASCII at C speed; a
    regular expression over the bytes took four times as long.)"""
    assert isinstance(error, UnicodeDecodeError)
    data, end = error.object, error.start
    while end < len(data) and data[end] >= 0x80:
        end += 1
    return json.dumps(data[error.start : end].decode("utf-8"))[1:-1], end


_ESCAPE_NON_ASCII = "codegen-json-escape"
codecs.register_error(_ESCAPE_NON_ASCII, _escaped_run)


def _ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character written as a \\u escape (see _decoded)."""
    if text.isascii() or not _JSON_START.match(text):
        return text
    return _NON_ASCII.sub(lambda match: json.dumps(match.group())[1:-1], text)


def _parse(
    text: str, display: str, memo: ParseMemo | None = None, data: bytes | None = None
) -> tuple[Any, str, dict[str, UnitDigest] | None]:
    """The parsed content, which parser read it ("json" or "yaml"), and its units' digests
    when `memo` (a JSON document's last parse) found them. `data` is the file's bytes, which
    the memo keeps to compare the next run's with."""
    if not text or text.isspace():
        raise _fail("the file is empty", display)
    if _JSON_START.match(text):  # JSON by content, whatever the file is called
        # No second try as YAML: YAML would read `{"a": }` as a null and hide the mistake.
        try:
            if memo is not None:
                value, units = memo.parsed(text, data)
                return value, "json", units
            return share_strings(json.loads(text), aliases=False), "json", None
        except json.JSONDecodeError as exc:
            raise _fail(f"not valid JSON: {exc.msg}", display, exc.lineno) from None
        except RecursionError:
            raise _fail("the document is nested too deeply to read", display) from None
    from .yaml_reading import parse_yaml  # PyYAML is imported only for YAML

    data = parse_yaml(text, display)
    return share_strings(data, aliases=True), "yaml", None


def share_strings(root: Any, aliases: bool) -> Any:
    """`root` with equal string values made one object (the parsers share only mapping keys).

    In GitHub's spec 150,000 value strings ("string", "uri", "object", repeated descriptions)
    have 19,000 distinct texts: 10 MB become 2 MB, in 60 ms. With `aliases` (YAML), a
    container may be reached twice, or from itself, and is visited once.
    """
    memo: dict[str, str] = {}
    seen: set[int] = set()
    stack = [root] if type(root) is dict or type(root) is list else []
    while stack:
        node = stack.pop()
        if aliases:
            if id(node) in seen:
                continue
            seen.add(id(node))
        for key, value in node.items() if type(node) is dict else enumerate(node):
            if type(value) is str:
                node[key] = memo.setdefault(value, value)
            elif type(value) is dict or type(value) is list:
                stack.append(value)
    return root


_OPENAPI_3 = re.compile(r"3\.[0-2](?:\.[0-9]+)?(?:[-+].*)?")


def _check_openapi(data: Any, source: Source) -> None:
    display = source.display
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise _fail(
            f"an OpenAPI document must be a mapping at the top level, but this file holds {kind}", display, 1
        )
    if "openapi" in data:
        version, field_name = data["openapi"], "openapi"
        supported = isinstance(version, (str, float)) and bool(_OPENAPI_3.fullmatch(str(version)))
    elif "swagger" in data:
        version, field_name = data["swagger"], "swagger"
        supported = isinstance(version, (str, float)) and str(version) == "2.0"
    else:
        raise _fail(
            "this is not an OpenAPI document: it has no top-level `openapi` (3.x) or `swagger` (2.0) field",
            display,
            1,
        )
    if not supported:
        raise _fail(
            f"unsupported {field_name} version {version!r}: the generator reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2",
            display,
            source.line("/" + field_name),
            "/" + field_name,
        )


# ---------------------------------------------------------------------------------------------
# Bundling external $refs
# ---------------------------------------------------------------------------------------------

# Containers whose keys are names chosen by the spec's author: a property may be called
# "example" or "default" (and a response code is "default"), so nothing in them is skipped.
_NAMED_MAPS = frozenset(
    {
        "properties", "patternProperties", "dependentSchemas", "definitions", "$defs", "schemas",
        "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes",
        "links", "callbacks", "pathItems", "paths", "webhooks", "content", "encoding", "variables",
    }
)  # fmt: skip
# Keys whose values are data, not spec: a "$ref" inside an example payload is just text.
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})
_EXAMPLE_OBJECT_KEYS = frozenset(
    {"summary", "description", "value", "externalValue", "dataValue", "serializedValue"}
)

# Cheap tests on the raw text, so a big spec without external refs is never walked in Python.
_EXTERNAL_REF_JSON = re.compile(r'"\$ref"\s*:\s*"(?!#)')
_EXTERNAL_REF_YAML = re.compile(r"\$ref[\"']?\s*:\s*(?![\"']?#)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def may_refer_outside(json_text: str) -> bool:
    """Whether JSON text may hold a $ref to another file (False: it certainly holds none)."""
    return _EXTERNAL_REF_JSON.search(json_text) is not None


def _is_data(node: dict[str, Any], key: str, value: Any) -> bool:
    if key in _DATA_KEYS:
        return True
    if key == "examples" and isinstance(value, list):  # JSON Schema `examples`: a list of values
        return True
    if key == "value" and "$ref" not in node:  # the payload of an Example Object
        return all(k in _EXAMPLE_OBJECT_KEYS or k.startswith("x-") for k in node)
    return False


def _find_refs(data: Any, internal_too: bool) -> Iterator[tuple[dict[str, Any], str]]:
    """(node, pointer) of each {"$ref": "..."} in document order; internal ones only if asked."""
    stack: list[tuple[Any, str, str]] = [(data, "", "")]
    seen: set[int] = set()  # YAML aliases share nodes; each is visited (and rewritten) once
    while stack:
        node, pointer, parent_key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and (internal_too or not ref.startswith("#")):
                yield node, pointer
            named = parent_key in _NAMED_MAPS
            children = [
                (v, join_pointer(pointer, k), str(k))
                for k, v in node.items()
                if isinstance(v, (dict, list)) and (named or not _is_data(node, str(k), v))
            ]
        else:
            children = [
                (v, join_pointer(pointer, i), "") for i, v in enumerate(node) if isinstance(v, (dict, list))
            ]
        stack.extend(reversed(children))


@dataclass
class _File:
    """A file the bundler read, and where its content sits in the bundled root."""

    source: Source
    data: Any
    prefix: str = ""  # where its content sits in the bundled root; "" for the root file


@dataclass
class _Ref:
    """A $ref the bundler found, and what it points at."""

    node: dict[str, Any]
    file: _File  # the file the $ref is written in
    pointer: str  # the $ref object's pointer inside that file
    target: Path | None  # the file it names; None for "#..." (the same file)
    fragment: str  # the JSON pointer after "#", still URI-encoded


class _Bundler:
    def __init__(self, root: _File) -> None:
        self.root = root
        self.files: dict[Path, _File] = {root.source.path: root}
        self.refs: list[_Ref] = []

    def run(self) -> dict[str, tuple[str, str]]:
        queue = [self.root]
        while queue:  # breadth first; each file once, so files that refer to each other are fine
            file = queue.pop(0)
            for ref in self._refs_in(file):
                self.refs.append(ref)
                if ref.target is not None and ref.target not in self.files:
                    self.files[ref.target] = self._load(ref)
                    queue.append(self.files[ref.target])
        # A root that names only itself ("api.yaml#/...") needs rewriting but no bundle.
        bundled = self._place() if len(self.files) > 1 else {}
        for ref in self.refs:
            self._rewrite(ref)
        return bundled

    def _refs_in(self, file: _File) -> list[_Ref]:
        text = file.source.content() or ""  # kept until loading ends
        if file is self.root:
            outside = may_refer_outside(text) if file.source.kind == "json" else _EXTERNAL_REF_YAML.search(text)
            if not outside:
                return []
            # The root's internal refs stay as they are, and so does a bundle already in it.
            found = _find_refs({k: v for k, v in file.data.items() if k != BUNDLE_KEY}, False)
        else:
            if "$ref" not in text:
                return []
            found = _find_refs(file.data, True)
        return [self._parse_ref(file, node, pointer) for node, pointer in found]

    def _where(self, file: _File, pointer: str) -> tuple[str, int | None, str]:
        at = join_pointer(pointer, "$ref")
        return file.source.display, file.source.line(at), at

    def _error(self, file: _File, pointer: str, message: str) -> SpecError:
        display, line, at = self._where(file, pointer)
        return _fail(message, display, line, at)

    def _parse_ref(self, file: _File, node: dict[str, Any], pointer: str) -> _Ref:
        ref: str = node["$ref"]
        location, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            raise self._error(
                file, pointer, f"$ref {ref!r}: only JSON pointer fragments (#/...) are supported"
            )
        if not location:
            return _Ref(node, file, pointer, None, fragment)
        if _URL.match(location) and not location.lower().startswith("file:"):
            raise self._error(
                file,
                pointer,
                f"$ref {ref!r}: remote references are not supported; download the file and refer to it by path",
            )
        if location.lower().startswith("file:"):
            target = Path(unquote(urlsplit(location).path))
        else:
            target = file.source.path.parent / unquote(location)
        return _Ref(node, file, pointer, target.resolve(), fragment)

    def _load(self, ref: _Ref) -> _File:
        assert ref.target is not None
        root = self.root.source
        relative = os.path.relpath(ref.target, root.path.parent)
        display = os.path.normpath(os.path.join(os.path.dirname(root.display), relative))
        if not ref.target.is_file():
            missing = "is a directory" if ref.target.is_dir() else "does not exist"
            raise self._error(
                ref.file, ref.pointer, f"$ref {ref.node['$ref']!r}: the file {display} {missing}"
            )
        where, line, _ = self._where(ref.file, ref.pointer)
        referenced_from = f"{where}:{line}" if line else where
        try:
            data = _read_bytes(ref.target, display)
            text = _text_of(data, display)
            source = Source(ref.target, display, text, "json", file_digest(data))
            data, source.kind, _ = _parse(text, display)
        except SpecError as exc:  # say which $ref brought the broken file in
            raise SpecError(
                [
                    replace(d, message=f"{d.message} (referenced from {referenced_from})")
                    for d in exc.diagnostics
                ]
            ) from None
        return _File(source, data)

    def _place(self) -> dict[str, tuple[str, str]]:
        """Put each external file's content into the root under a stable key derived from its name."""
        bundle = self.root.data.setdefault(BUNDLE_KEY, {})
        if not isinstance(bundle, dict):
            raise _fail(
                f"`{BUNDLE_KEY}` is reserved for the generator and must be a mapping",
                self.root.source.display,
                self.root.source.line("/" + BUNDLE_KEY),
                "/" + BUNDLE_KEY,
            )
        taken = set(bundle)
        placed: dict[str, tuple[str, str]] = {}
        # Keys are given in order of the files' paths, not of discovery, so they stay put when
        # refs elsewhere in the spec are reordered.
        externals = sorted(
            (f for f in self.files.values() if f is not self.root), key=lambda f: f.source.display
        )
        for file in externals:
            key = _bundle_key(file.source.path, taken)
            taken.add(key)
            bundle[key] = file.data
            file.prefix = join_pointer("", BUNDLE_KEY, key)
            placed[file.prefix] = (file.source.display, "")
        return placed

    def _rewrite(self, ref: _Ref) -> None:
        target = ref.file if ref.target is None else self.files[ref.target]
        if ref.target is not None and target is not self.root:
            # Checked here, where the $ref's own file and line are known, rather than later.
            try:
                resolve_pointer(target.data, unquote(ref.fragment))
            except PointerError:
                raise self._error(
                    ref.file,
                    ref.pointer,
                    f"$ref {ref.node['$ref']!r}: #{ref.fragment} does not exist in {target.source.display}",
                ) from None
        ref.node["$ref"] = "#" + target.prefix + ref.fragment


def _bundle_key(path: Path, taken: set[str]) -> str:
    # The file's stem, case kept: the last pointer segment of a whole-file ref becomes a model name.
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem) or "file"
    key, n = stem, 1
    while key in taken:
        n += 1
        key = f"{stem}_{n}"
    return key


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def load(path: str | Path, memo: ParseMemo | None = None) -> Document:
    """Read, parse and bundle the spec at `path`. Raises SpecError for anything unusable.
    `memo`, the last parse of this spec (JSON only), makes parsing a changed text cost about
    what the change does."""
    display = str(path)
    given = Path(path)
    raw = _read_bytes(given, display)
    answered = memo.parsed_file(raw) if memo is not None else None
    if answered is not None:  # a JSON document with no $ref to another file: nothing to bundle
        source = Source(given.resolve(), display, None, "json", "", identity=answered[2], _raw=raw)
        _check_openapi(answered[0], source)
        return Document(root=answered[0], path=given, sources={display: source}, unit_digests=answered[1])
    source = Source(given.resolve(), display, None, "json", file_digest(raw))
    source.text = _text_of(raw, display)
    data, source.kind, units = _parse(source.text, display, memo, raw)
    _check_openapi(data, source)
    bundler = _Bundler(_File(source, data))
    bundled = bundler.run()
    by_name = {f.source.display: f.source for f in bundler.files.values()}
    # The root file first, then the bundled files in the order their keys were given.
    sources = {display: source} | {name: by_name[name] for name, _ in bundled.values()}
    for each in sources.values():
        each.release()
    units = units if not bundler.refs else None  # the root's $refs were rewritten
    return Document(root=data, path=given, sources=sources, bundled=bundled, unit_digests=units)
