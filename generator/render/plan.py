"""The file plan: every file of the generated package, rendered from the API model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

import jinja2

from ..model import (
    Api,
    Enum,
    EnumRef,
    ListOf,
    Literal,
    Model,
    ModelRef,
    Operation,
    Pagination,
    Parameter,
    Primitive,
    ResourceGroup,
    SecurityScheme,
    TypeRef,
    names_in,
)
from . import pyexpr
from .environment import TEMPLATES_DIR, comment, docstring, environment
from .layout import Brackets, LaidOut, annotated, framed_long_line, piece_long_line
from .options import RenderOptions, use_http_library

RUNTIME_DIR = TEMPLATES_DIR / "runtime"
_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


@dataclass(frozen=True)
class RenderContext:
    """What every file of a package is rendered with: the API, the spec's name, the options."""

    api: Api
    source: str  # the spec's file name, for headers
    options: RenderOptions = RenderOptions()

    @property
    def title(self) -> str:
        return self.api.title

    @property
    def version(self) -> str:
        return self.api.version

    def file(self) -> FileContext:
        return FileContext(self.source, self.api.title, self.api.version, self.options)


@dataclass(frozen=True)
class FileContext:
    """What a file made from a part of the API (a model, an enum, a group, the models index)
    shows of the rest of the run: its header and layout. Such a file's template sees this
    and its own values, never the whole API."""

    source: str
    title: str
    version: str
    options: RenderOptions


@dataclass(frozen=True)
class Planned:
    """One file of the package, and what makes its text.

    `inputs`, when set, is everything `make` reads, as values whose repr says all they hold:
    equal inputs make equal text, so a memo may keep the text under them (see memo.py).
    """

    path: str
    make: Callable[[], str]
    inputs: tuple[Any, ...] | None = None
    part: str = ""  # "models" for the files of models and enums (see models_key)
    pieces: GroupPieces | None = None  # a group's file: made of pieces a memo may keep apart


Part = tuple[int, int]  # (index, count): the files whose ordinal is index modulo count


def render_package(
    api: Api,
    source: str,
    options: RenderOptions = RenderOptions(),
    emit: Callable[[str, str], None] | None = None,
    part: Part = (0, 1),
) -> dict[str, str]:
    """All files of the package: relative POSIX path -> text. Python files are not yet formatted.

    `emit`, if given, receives each file as it is made instead, and the dict returned is
    empty: a caller that writes files as they come need not hold them all. `part` renders
    only a share of the files, so that processes can split the work.
    """
    files: dict[str, str] = {}
    deliver = emit if emit is not None else files.__setitem__
    index, count = part
    for ordinal, planned in enumerate(file_plan(api, source, options)):
        if ordinal % count == index:
            deliver(planned.path, rendered_text(planned, options))
    return files


def rendered_text(planned: Planned, options: RenderOptions) -> str:
    text = planned.make()
    # The code is written against httpx; another library of the same API is imported under its name.
    return use_http_library(text, options.http_library) if planned.path.endswith(".py") else text


@dataclass(frozen=True)
class ModelSide:
    """How the models and enums lie in modules: `kinds` says, by name, whether each is a
    model or an enum and its module (the files that import them go by it). The rest makes
    the files of models and enums; it is None where the caller has those files already
    (render's memo keeps them together, see `models_key`)."""

    kinds: dict[str, tuple[str, str]]
    named: dict[str, set[str]] | None = None  # by model, the names its types refer to
    homes: dict[str, Model] | None = None  # see enum_homes
    enums_of: dict[str, list[Enum]] | None = None  # by model, the enums its module holds


def model_side(api: Api) -> ModelSide:
    named = {model.name: names_in(_model_types(model), (ModelRef, EnumRef)) for model in api.models}
    homes = enum_homes(api, named)
    kinds = {m.name: ("model", m.module) for m in api.models}
    kinds |= {e.name: ("enum", homes[e.name].module if e.name in homes else e.module) for e in api.enums}
    enums_of: dict[str, list[Enum]] = {}
    for enum in api.enums:
        if enum.name in homes:
            enums_of.setdefault(homes[enum.name].name, []).append(enum)
    return ModelSide(kinds, named, homes, enums_of)


def models_key(api: Api, file: FileContext) -> tuple[Any, ...]:
    """Everything the files of models and enums (and the models index) are made from, as
    inputs for a memo: the files' context, the package, every model and enum, and the enums
    an operation uses (which keeps them out of their model's module, see enum_homes)."""
    return ("models", file, api.package, api.models, api.enums, tuple(sorted(_operation_enums(api))))


def file_plan(
    api: Api, source: str, options: RenderOptions, compiled: Path | None = None, side: ModelSide | None = None
) -> Iterator[Planned]:
    """Every file of the package, in a fixed order; `compiled` keeps the templates compiled
    between runs (see environment). With a `side` that has no files of models and enums
    (see ModelSide), those files are left out."""
    ctx = RenderContext(api, source, options)
    file = ctx.file()
    env = environment(compiled)
    pkg = api.package
    side = side or model_side(api)
    common: dict[str, Any] = {
        "ctx": ctx,
        "api": api,
        "base_url": default_base_url(api),
        "dist_name": pkg.replace("_", "-"),
        "dist_version": options.package_version or dist_version(api.version),
        "security": security_view(api),
        "paginated": paginated(api),
    }

    def whole(path: str, template: str, values: Callable[[], dict[str, Any]] = dict) -> Planned:
        return Planned(path, lambda: env.get_template(template).render(**common, **values()))

    yield whole(f"{pkg}/__init__.py", "package/__init__.py.jinja")
    yield whole(f"{pkg}/_client.py", "package/_client.py.jinja", lambda: {"client_docs": client_docs(api)})
    yield whole("pyproject.toml", "package/pyproject.toml.jinja")
    yield whole("README.md", "package/README.md.jinja", lambda: readme_values(api))
    yield from _model_files(env, api, file, side)
    yield whole(f"{pkg}/resources/__init__.py", "package/resources/__init__.py.jinja")
    templates = env.get_template(_GROUP_TEMPLATE), env.get_template(_OPERATION_TEMPLATE)
    for group in api.groups:
        # The names its operations' types refer to: the names its module imports are among them.
        known = _kinds_of({*group.summary.models, *group.summary.enums}, side.kinds)
        path = f"{pkg}/resources/{group.module}.py"
        pieces = GroupPieces(templates, file, group, known)
        yield Planned(path, partial(pieces.make, {}), (_GROUP_TEMPLATE, "_group_values", file, group, known), "", pieces)
    yield Planned(f"{pkg}/py.typed", str)
    for module in sorted(RUNTIME_DIR.glob("*.py")):
        yield Planned(f"{pkg}/{module.name}", partial(_runtime_module, ctx, module))


def _model_files(env: jinja2.Environment, api: Api, file: FileContext, side: ModelSide) -> Iterator[Planned]:
    """The models index, the module of each model, and that of each enum with one of its own."""
    named, homes, enums_of, kinds = side.named, side.homes, side.enums_of, side.kinds
    if named is None or homes is None or enums_of is None:
        return
    pkg = api.package
    exports = tuple(sorted((name, module) for name, (_, module) in kinds.items()))
    index = f"{pkg}/models/__init__.py"
    yield _alone(env, index, "package/models/__init__.py.jinja", _index_values, file, exports, part="models")
    for model in api.models:
        own = tuple(enums_of.get(model.name, ()))
        known = _kinds_of(named[model.name], kinds)
        path = f"{pkg}/models/{model.module}.py"
        yield _alone(env, path, "package/models/model.py.jinja", _model_values, file, model, own, known, part="models")
    for enum in api.enums:
        if enum.name not in homes:
            path = f"{pkg}/models/{enum.module}.py"
            yield _alone(env, path, "package/models/enum.py.jinja", _enum_values, file, enum, part="models")


Kinds = tuple[tuple[str, tuple[str, str]], ...]  # (name, (kind, module)) of the models and enums a file names


_GROUP_TEMPLATE = "package/resources/group.py.jinja"
_OPERATION_TEMPLATE = "package/resources/operation.py.jinja"
class Piece(NamedTuple):
    """What an operation makes of its group's module alone, and what the module's imports
    need to know of it."""

    endpoint: str  # its Endpoint constant
    method: str  # in the sync resource class
    async_method: str  # in the async one
    raw: str  # its line in the sync WithRawResponse class
    async_raw: str
    streamed: str  # its line in the sync WithStreamingResponse class
    async_streamed: str
    literal: bool  # it takes a choice of content type
    pages_any: bool  # it pages items of no declared type
    pages: bool  # it pages
    annotations: str  # the annotations it writes that imports are found in
    long_line: bool | None  # whether its texts have a code line too long (layout.piece_long_line)

    @classmethod
    def of(cls, kept: Any) -> Piece | None:
        """A piece as a memo kept it (a tuple), if it is one."""
        if type(kept) is not tuple or len(kept) != len(cls._fields):
            return None
        texts, flags = kept[:7] + kept[10:11], kept[7:10]
        if not all(isinstance(t, str) for t in texts) or not all(isinstance(f, bool) for f in flags):
            return None
        if not (kept[11] is None or type(kept[11]) is bool):
            return None
        return cls(*kept)

    def marked(self, position: int) -> Piece:
        """The piece with its texts' places in `position` order, see GroupPieces.make."""
        return Piece._make([*(f"\x00{position * 7 + index}\x00" for index in range(7)), *self[7:]])


@dataclass(frozen=True)
class GroupPieces:
    """A group's module, made of what each operation makes alone (its Endpoint constant and
    its two methods) and what the group makes of them all (imports, classes).

    An operation's piece depends on the operation, the group's name and the file's context
    alone (see `inputs`), so that a memo can keep it apart: a group that gained or changed
    an operation renders that operation's piece, and takes the others from the memo.
    """

    templates: tuple[jinja2.Template, jinja2.Template]  # the group's and the operations' pieces'
    file: FileContext
    group: ResourceGroup
    kinds: Kinds

    def inputs(self) -> tuple[Any, ...]:
        """What an operation's piece is made of besides the operation itself."""
        return (_OPERATION_TEMPLATE, "operation_pieces", self.file, self.group.name, self.group.class_name)

    def render(self, operations: list[Operation]) -> dict[str, Piece]:
        """The pieces of these operations of the group, by name."""
        if not operations:
            return {}
        views = {op.name: _operation_view(self.group, op) for op in operations}
        values = {
            "ctx": self.file,
            "ops": views,
            "class_name": self.group.class_name,
            "docs": {op.name: operation_doc(op) for op in operations},
            # Endpoint(...) for each operation: the static description the runtime works from
            "endpoint_calls": {op.name: _endpoint_call(self.group, op, views[op.name]) for op in operations},
        }
        module: Any = self.templates[1].make_module(values)
        limit = self.file.options.line_length
        return {op.name: _piece(module, op, views[op.name], limit) for op in operations}

    def make(self, pieces: dict[str, Piece]) -> str:
        """The module, from these pieces and those of the other operations, rendered here.

        The group's template is rendered with a place (a numbered marker) for each text of
        a piece, and the texts are then put in their places: the text the template made
        alone tells, with the pieces' own answers, whether the module has a code line too
        long (layout.framed_long_line), without reading the pieces' thousands of lines."""
        operations = self.group.operations
        missing = [op for op in operations if op.name not in pieces]
        every = {**pieces, **self.render(missing)}
        ordered = [every[op.name] for op in operations]
        marked = {op.name: piece.marked(position) for position, (op, piece) in enumerate(zip(operations, ordered))}
        frame = self.templates[0].render(**_group_values(self.file, self.group, self.kinds, ordered), pieces=marked)
        parts = _PLACE.split(frame)  # the frame's text, then a place's number, then text, ...
        texts = [text for piece in ordered for text in piece[:7]]
        parts[1::2] = map(texts.__getitem__, map(int, parts[1::2]))
        made = LaidOut("".join(parts))
        whole_lines = len(_PLACE_LINE.findall(frame)) == len(parts) // 2
        limit = self.file.options.line_length
        made.long_line = framed_long_line(frame, "\x00", (p.long_line for p in ordered), limit) if whole_lines else None
        return made


_PLACE = re.compile("\x00([0-9]+)\x00")  # a piece's text's place in its group's module (GroupPieces.make)
_PLACE_LINE = re.compile("^\x00[0-9]+\x00$", re.MULTILINE)


def _piece(module: Any, op: Operation, view: OperationView, limit: int) -> Piece:
    """The operation's piece, made with the operation template's macros (`module`)."""
    raw, async_raw, streamed, async_streamed = (
        str(module.view(op, is_async, kind)) for kind in ("Raw", "Streamed") for is_async in (False, True)
    )
    paging = view.paging is not None
    piece = Piece(
        endpoint=str(module.endpoint(op)),
        method=str(module.method(op, False)),
        async_method=str(module.method(op, True)),
        raw=raw,
        async_raw=async_raw,
        streamed=streamed,
        async_streamed=async_streamed,
        literal=bool(view.content_types),
        pages_any=paging and "Any" in view.returns_sync,
        pages=paging,
        annotations=f"{view.returns_sync} {view.returns_async} {view.body} {' '.join(view.files.values())}",
        long_line=None,
    )
    answers = {piece_long_line(text, limit) for text in piece[:7]}
    return piece._replace(long_line=None if None in answers else True in answers)


def _alone(
    env: jinja2.Environment,
    path: str,
    template: str,
    values: Callable[..., dict[str, Any]],
    *inputs: Any,
    part: str = "",
) -> Planned:
    """A file whose template sees values(*inputs) and nothing else, so the inputs key its text."""
    made = partial(_render_alone, env, template, values, inputs)
    return Planned(path, made, (template, values.__name__, *inputs), part)


def _render_alone(
    env: jinja2.Environment, template: str, values: Callable[..., dict[str, Any]], inputs: tuple[Any, ...]
) -> str:
    return env.get_template(template).render(**values(*inputs))


def _kinds_of(names: set[str], kinds: dict[str, tuple[str, str]]) -> Kinds:
    """The entries of `kinds` for these names of models and enums."""
    return tuple(sorted((name, kinds[name]) for name in names if name in kinds))


def _model_types(model: Model) -> list[TypeRef]:
    return [f.type for f in model.fields] + ([model.additional] if model.additional else [])


def _model_values(file: FileContext, model: Model, own: tuple[Enum, ...], kinds: Kinds) -> dict[str, Any]:
    needs = _needs(
        _model_types(model),
        dict(kinds),
        own={model.name, *(e.name for e in own)},
        # additional_properties is a Dict of the undeclared values' type, Any when untyped.
        typing=("Dict",) if model.additional else ("Any", "Dict"),
        unset=any(f.nullable and not f.required for f in model.fields),
    )
    return {
        "ctx": file,
        "model": model,
        "needs": needs,
        "field_lines": field_lines(model, file.options.line_length),
        "enums": [(e, _enum_base(e)) for e in own],
        "names": [model.name, *(e.name for e in own)],
    }


def _index_values(file: FileContext, exports: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {"ctx": file, "exports": exports}


def _enum_values(file: FileContext, enum: Enum) -> dict[str, Any]:
    return {"ctx": file, "enum": enum, "base": _enum_base(enum)}


def _runtime_module(ctx: RenderContext, path: Path) -> str:
    return runtime_header(ctx) + path.read_text(encoding="utf-8")


def field_lines(model: Model, limit: int) -> list[str]:
    """A model's annotated fields, each with its description as a docstring."""
    lines = []
    for f in model.fields:
        lines.append(annotated(f.name, pyexpr.field_annotation(f), pyexpr.field_default(f), 4, limit))
        text = " ".join(t for t in (f.description, "Deprecated." if f.deprecated else "") if t)
        if text:
            lines.append("    " + docstring(text, 4))
    return lines


def runtime_header(ctx: RenderContext) -> str:
    return (
        f"# Generated by codegen {ctx.options.codegen_version} from {comment(ctx.source)}: part of the runtime,\n"
        "# the same in every client. Do not edit by hand: changes are lost when the client is regenerated.\n"
    )


def default_base_url(api: Api) -> str:
    if not api.servers:
        return ""
    server = api.servers[0]
    url = server.url
    for name, default in server.variables:
        url = url.replace("{" + name + "}", default)
    return url


def dist_version(version: str) -> str:
    """info.version as a PEP 440 version (specs use anything: "v1", "2024-01-01", "1.0-beta")."""
    candidate = version.strip().lstrip("vV")
    if _PEP440.match(candidate):
        return candidate
    return "0.0.0"


# -- imports a module needs -----------------------------------------------------------


@dataclass(frozen=True)
class Needs:
    """What a module imports, worked out from the annotations and decoders it will contain."""

    typing: tuple[str, ...]
    stdlib: tuple[str, ...]  # standard library modules the annotations name
    type_imports: tuple[tuple[str, str], ...]  # (module, name) imported for annotations only
    unset: bool  # the UNSET sentinel


def enum_homes(api: Api, named: dict[str, set[str]]) -> dict[str, Model]:
    """Inline enums that one model alone uses, each defined in that model's module.

    Most enums are a property's inline `enum` (GitHub: 2,600 of its 3,024 enums belong to one
    model), and a module less per such enum is a file less to write and to import. An enum
    that several models or any operation use, or that is a schema of its own in
    components, keeps a module of its own. `named` holds, by model, the names its types refer to.
    """
    users: dict[str, set[str]] = {}
    enums = {e.name for e in api.enums}
    for model in api.models:
        for name in named[model.name] & enums:
            users.setdefault(name, set()).add(model.name)
    for name in _operation_enums(api):
        users.setdefault(name, set()).add("")  # an operation's: imported by its resource module
    by_name = {m.name: m for m in api.models}
    inline = {e.name for e in api.enums if not _is_named_schema(e.origin)}
    return {
        name: by_name[next(iter(owners))]
        for name, owners in users.items()
        if len(owners) == 1 and "" not in owners and name in inline
    }


def _operation_enums(api: Api) -> set[str]:
    return {name for group in api.groups for name in group.summary.enums}


def _is_named_schema(origin: str) -> bool:
    """Whether a pointer names a schema of components (or Swagger's definitions) itself."""
    tokens = origin.split("/")
    return tokens[1:3] == ["components", "schemas"] and len(tokens) == 4 or tokens[1:2] == ["definitions"] and len(tokens) == 3


def _needs(
    annotated: Iterable[TypeRef],
    kinds: dict[str, tuple[str, str]],
    *,
    own: Iterable[str] = (),
    typing: Iterable[str] = (),
    unset: bool = False,
) -> Needs:
    annotations = " ".join(pyexpr.annotation(t) for t in annotated)
    names = {n for n in re.findall(r"\b[A-Z]\w*", annotations) if n in kinds} - set(own)
    used_typing = set(typing) | set(_TYPING_NAMES.findall(annotations))
    if names:
        used_typing.add("TYPE_CHECKING")
    return Needs(
        typing=tuple(sorted(used_typing)),
        stdlib=tuple(m for m in ("datetime", "decimal", "uuid") if f"{m}." in annotations),
        type_imports=tuple(sorted((kinds[n][1], n) for n in names)),
        unset=unset,
    )


_TYPING_NAMES = re.compile(r"\b(Any|Dict|List|Literal|Tuple)\b")  # what annotations take from typing


def _enum_base(enum: Enum) -> str:
    return {"string": "StrEnum", "integer": "IntEnum"}.get(enum.kind, "Enum")


# -- resource groups --------------------------------------------------------------------


def _group_types(group: ResourceGroup) -> list[TypeRef]:
    """The types a group's module annotates with."""
    annotated: list[TypeRef] = []
    for op in group.operations:
        annotated += [p.type for p in op.parameters]
        if op.body:
            annotated += [f.type for f in op.body.fields] if op.body.fields else [op.body.type]
        if _typed_success(op):
            assert op.success is not None and op.success.type is not None
            annotated.append(op.success.type)
        if op.pagination is not None and op.pagination.item_type is not None:
            annotated.append(op.pagination.item_type)
    return annotated


def _group_values(file: FileContext, group: ResourceGroup, kinds: Kinds, pieces: list[Piece]) -> dict[str, Any]:
    """The values of a group's template, besides its operations' pieces (`pieces`, in order)."""
    unset = any(f.nullable and not f.required for op in group.operations if op.body for f in op.body.fields)
    typing = ["Unpack"] + (["Literal"] if any(p.literal for p in pieces) else [])
    if any(p.pages_any for p in pieces):
        typing.append("Any")
    needs = _needs(_group_types(group), dict(kinds), typing=typing, unset=unset)
    used = " ".join(p.annotations for p in pieces)
    types = ["RequestOptions"] + [n for n in ("BinaryContent", "FileTypes") if n in used]
    if needs.unset:
        types += ["UNSET", "Unset"]
    return {
        "ctx": file,
        "group": group,
        "needs": needs,
        "types_imports": sorted(types),
        "streaming_imports": [n for n in ("AsyncStream", "ServerSentEvent", "Stream") if re.search(rf"\b{n}\b", used)],
        "pagination_imports": ["AsyncPager", "Paging", "SyncPage"] if any(p.pages for p in pieces) else [],
        "uses_params": any(op.parameters for op in group.operations),
    }


@dataclass(frozen=True)
class OperationView:
    """What the group template needs to know about one operation, beyond the API model."""

    const: str  # the module constant holding its Endpoint
    name: str  # "group.method"
    kind: str  # see _response_kind
    endpoint_type: str  # T of Endpoint[T]
    returns_sync: str
    returns_async: str
    call: str  # the client method: _request, or _stream for event streams
    params: tuple[str, ...]  # Param(...) expressions
    accept: str | None
    body: str  # annotation of the `body` argument, when the body is not fields
    files: dict[str, str]  # field name -> annotation, for file fields of multipart bodies
    content_types: tuple[str, ...]  # the caller's choice of body content type, if any
    security: str  # the Endpoint's security alternatives, as a Python literal ("" for none)
    paging: Brackets | None  # the Endpoint's paging=Paging(...) argument (None when the operation does not page)
    call_args: tuple[str | Brackets, ...]  # what the method hands the client


def _endpoint_call(group: ResourceGroup, op: Operation, view: OperationView) -> Brackets:
    """Endpoint(...), with only what differs from the defaults."""
    q = pyexpr.pyrepr
    args: list[str | Brackets] = [q(f"{group.name}.{op.name}"), q(op.method), q(op.path)]
    if view.params:
        args.append(Brackets("[", list(view.params), "]"))
    if op.body:
        args.append(f"body_type={q(op.body.content_type)}")
        if view.content_types:
            args.append(Brackets("body_types=(", [q(t) for t in view.content_types], ")"))
        if op.body.fields:
            args.append(_frozenset("fields=", [f.wire_name for f in op.body.fields if f.nullable]))
    if view.kind != "json":
        args.append(f"response={q(view.kind)}")
    if view.accept:
        args.append(f"accept={q(view.accept)}")
    if _decoded_success(op, view):
        assert op.success is not None and op.success.type is not None
        args.append(f"decode={q(pyexpr.describe(op.success.type))}")
    errors = [f"{q(e.status)}: {q(pyexpr.describe(e.type))}" for e in op.errors if e.type]
    if errors:
        args.append(Brackets("errors={", list(errors), "}"))
    if op.idempotency_key:
        args.append(f"idempotency_header={q(op.idempotency_key)}")
    elif op.idempotent:
        args.append("idempotent=True")
    if view.security:
        args.append(f"security={view.security}")
    if view.paging:
        args.append(view.paging)
    if op.deprecated:
        args.append("deprecated=True")
    deprecated = [p.wire_name for p in op.parameters if p.deprecated]
    deprecated += [f.wire_name for f in (op.body.fields if op.body else ()) if f.deprecated]
    if deprecated:
        args.append(_frozenset("deprecated_inputs=", deprecated))
    return Brackets("Endpoint(", args, ")", exploded=True)


def _decoded_success(op: Operation, view: OperationView) -> bool:
    if op.success is None or op.success.type is None:
        return False
    return view.kind == "json" or (view.kind == "sse" and view.endpoint_type != "ServerSentEvent")


def _frozenset(prefix: str, names: list[str]) -> Brackets:
    items: list[str | Brackets] = [Brackets("{", [pyexpr.pyrepr(n) for n in names], "}")] if names else []
    return Brackets(f"{prefix}frozenset(", items, ")")


def _call_args(op: Operation, const: str, content_types: tuple[str, ...]) -> tuple[str | Brackets, ...]:
    names = [p.name for p in op.parameters]
    values: str | Brackets = f"({names[0]},)" if len(names) == 1 else Brackets("(", list(names), ")")
    body: str | Brackets = "None"
    if op.body and op.body.fields:
        body = Brackets("{", [f"{pyexpr.pyrepr(f.wire_name)}: {f.name}" for f in op.body.fields], "}")
    elif op.body:
        body = "body"
    return (const, values, body, "options", *(["content_type"] if content_types else []))


def _operation_view(group: ResourceGroup, op: Operation) -> OperationView:
    kind = _response_kind(op)
    endpoint_type = _return_annotation(op)
    returns_sync = returns_async = endpoint_type
    if kind == "sse":
        returns_sync, returns_async = f"Stream[{endpoint_type}]", f"AsyncStream[{endpoint_type}]"
    body = op.body
    choice = body.content_types if body and len(body.content_types) > 1 else ()
    call = "_stream" if kind == "sse" else "_request"
    paging = None
    if op.pagination is not None and kind == "json":
        item = pyexpr.annotation(op.pagination.item_type) if op.pagination.item_type is not None else "Any"
        returns_sync, returns_async = f"SyncPage[{item}]", f"AsyncPager[{item}]"
        call, paging = "_paginate", paging_expr(op.pagination)
        choice = ()
    const = "_" + op.name.upper()
    params = tuple(_param_expr(p) for p in op.parameters)
    return OperationView(
        const=const,
        name=f"{group.name}.{op.name}",
        kind=kind,
        endpoint_type=endpoint_type,
        returns_sync=returns_sync,
        returns_async=returns_async,
        call=call,
        params=params,
        accept=_accept(op, kind),
        body=_body_annotation(op),
        files=_file_fields(op),
        content_types=choice,
        security=pyexpr.pyrepr(tuple(r.schemes for r in op.security)) if op.security else "",
        paging=paging,
        call_args=_call_args(op, const, choice),
    )


def paging_expr(pagination: Pagination, keyword: str = "paging=") -> Brackets:
    """`paging=Paging(...)` for an operation's Endpoint: only what differs from the defaults."""
    args: list[str | Brackets] = [pyexpr.pyrepr(pagination.style)]
    keywords = (
        ("param", pagination.cursor_param, ""),
        ("items", pagination.items, ()),
        ("item_attrs", pagination.item_attrs, pagination.items),
        ("limit", pagination.limit_param, ""),
        ("limit_default", pagination.limit_default, None),
        ("limit_max", pagination.limit_max, None),
        ("start", pagination.start, None),
        ("next_cursor", pagination.next_cursor, ()),
        ("cursor_item", pagination.cursor_item, ""),
        ("has_more", pagination.has_more, ()),
        ("next_url", pagination.next_url, ()),
        ("total", pagination.total, ()),
        ("total_pages", pagination.total_pages, ()),
    )
    args += [f"{name}={pyexpr.pyrepr(value)}" for name, value, default in keywords if value != default]
    return Brackets(f"{keyword}Paging(", args, ")")


_DEFAULT_STYLES = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def _param_expr(param: Parameter) -> str:
    """The Param(...) for a parameter; style and explode only when they are not the defaults."""
    default = _DEFAULT_STYLES.get(param.location, "simple")
    style = param.style or default
    args = [pyexpr.pyrepr(param.wire_name), pyexpr.pyrepr(param.location)]
    if style != default or param.explode != (style == "form"):
        args += [pyexpr.pyrepr("" if style == default else style), repr(param.explode)]
    return f"Param({', '.join(args)})"


def _accept(op: Operation, kind: str) -> str | None:
    """The Accept header when the answer is not JSON (JSON error bodies stay acceptable)."""
    if kind in ("json", "none") or op.success is None or not op.success.content_type:
        return None
    if any(e.type is not None for e in op.errors):
        return f"{op.success.content_type}, application/json;q=0.9"
    return op.success.content_type


def _is_file(ref: TypeRef) -> bool:
    return isinstance(ref, Primitive) and ref.kind == "string" and ref.format in ("binary", "byte")


def _body_annotation(op: Operation) -> str:
    if op.body is None or op.body.fields:
        return ""
    if _is_file(op.body.type) and not _is_json_type(op.body.content_type):
        return "BinaryContent"
    return pyexpr.annotation(op.body.type)


def _file_fields(op: Operation) -> dict[str, str]:
    """Annotations of the file fields of a multipart body: anything an upload may be."""
    if op.body is None or not op.body.content_type.lower().startswith("multipart/"):
        return {}
    files = {}
    for f in op.body.fields:
        if _is_file(f.type):
            base = "FileTypes"
        elif isinstance(f.type, ListOf) and _is_file(f.type.item):
            base = "List[FileTypes]"
        else:
            continue
        # The same nullability rules as the other fields (see _macros.jinja).
        files[f.name] = base + (" | None" if f.nullable or not f.required else "") + (" | Unset" if f.nullable and not f.required else "")
    return files


def _is_json_type(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _typed_success(op: Operation) -> bool:
    """Whether the success body decodes into a declared type (JSON, or the events of a typed stream)."""
    if op.success is None or op.success.type is None:
        return False
    kind = _response_kind(op)
    return kind == "json" or (kind == "sse" and not _is_text(op.success.type))


def _is_text(ref: TypeRef) -> bool:
    return isinstance(ref, Primitive) and ref.kind == "string" and ref.format is None


def _response_kind(op: Operation) -> str:
    """How the success body is read: "json", "text", "binary", "sse" (event stream) or "none"."""
    if op.success is None or op.success.type is None:
        return "none"
    content_type = (op.success.content_type or "").split(";")[0].strip().lower()
    if content_type == "text/event-stream":
        return "sse"
    ref = op.success.type
    if isinstance(ref, Primitive) and ref.format == "binary":
        return "binary"
    if content_type.startswith("text/") and "json" not in content_type:
        return "text"
    return "json"


def _return_annotation(op: Operation) -> str:
    """What a call returns; for an event stream, what each event is."""
    kind = _response_kind(op)
    if kind == "none":
        return "None"
    if kind == "binary":
        return "bytes"
    if kind == "text":
        return "str"
    assert op.success is not None and op.success.type is not None
    if kind == "sse" and _is_text(op.success.type):
        return "ServerSentEvent"
    return pyexpr.annotation(op.success.type)


def operation_doc(op: Operation) -> str:
    """The method's docstring: summary, description, arguments and the errors it declares."""
    parts = [op.summary or op.description.split("\n")[0] or f"{op.method} {op.path}"]
    if op.description and op.description != parts[0]:
        parts.append(op.description)
    if op.deprecated:
        parts.append("Deprecated: the API may remove this operation.")
    # In signature order: path parameters, the body, then the other parameters.
    args = [(p.name, p.description) for p in op.parameters if p.location == "path"]
    if op.body and op.body.fields:
        args += [(f.name, f.description) for f in op.body.fields]
    elif op.body:
        args.append(("body", op.body.description))
    for p in op.parameters:
        if p.location == "path":
            continue
        text = p.description
        if op.idempotency_key and p.wire_name == op.idempotency_key:
            text = (text + " " if text else "") + "Generated when not given, and the same on every retry."
        args.append((p.name, text))
    if op.body and len(op.body.content_types) > 1:
        args.append(("content_type", "How the body is sent: " + ", ".join(op.body.content_types) + "."))
    described = [f"    {name}: {' '.join(text.split())}" for name, text in args if text]
    if described:
        parts.append("Args:\n" + "\n".join(described))
    raises = [f"    {e.exception}: {_error_doc(e.status, e.description)}" for e in op.errors]
    if raises:
        parts.append("Raises:\n" + "\n".join(raises))
    return "\n\n".join(parts)


def _error_doc(status: str, description: str) -> str:
    when = "any other error status" if status == "default" else f"status {status}"
    text = " ".join(description.split())
    return f"{text} ({when})" if text else when.capitalize()


# -- security: the client's constructor arguments ----------------------------------------


@dataclass(frozen=True)
class CredentialArgument:
    """A constructor argument of the client that carries a credential."""

    name: str
    sync_annotation: str
    async_annotation: str
    env: str
    doc: str  # for the constructor's docstring and the README (spec text included: escape it)
    role: str


@dataclass(frozen=True)
class SecurityView:
    """The security schemes as the client module and the README spell them."""

    specs: tuple[Brackets, ...]  # SchemeSpec(...) expressions
    arguments: tuple[CredentialArgument, ...]
    secret_names: tuple[str, ...]  # header, query and cookie names that carry keys (lower case)

    @property
    def callables(self) -> bool:
        return any("Callable" in a.sync_annotation for a in self.arguments)

    def argument_roles(self) -> str:
        """`_credential_arguments = ((argument, role), ...)` in the client class."""
        pairs = _tuple([f"({pyexpr.pyrepr(a.name)}, {pyexpr.pyrepr(a.role)})" for a in self.arguments])
        target = "_credential_arguments = "
        return f"    {target}{pairs}" if isinstance(pairs, str) else pairs.lay_out(4, target)

    def configure_call(self) -> Brackets:
        """`_auth.configure(SECURITY, {argument: argument, ...}, url)`."""
        names: list[str | Brackets] = [pyexpr.pyrepr(a.name) + ": " + a.name for a in self.arguments]
        return Brackets("_auth.configure(", ["SECURITY", Brackets("{", names, "}"), "url"], ")", call=True)


def _tuple(items: list[str]) -> str | Brackets:
    """A tuple literal as black writes it: `(a,)` for one item (never split: black keeps
    such a comma only on one line, so a long one is left to black), else split when long."""
    return f"({items[0]},)" if len(items) == 1 else Brackets("(", list(items), ")")


def security_view(api: Api) -> SecurityView:
    specs, arguments, secrets = [], [], set()
    for scheme in api.security_schemes:
        specs.append(_scheme_spec(scheme))
        if scheme.kind == "api_key":
            secrets.add(scheme.param.lower())
        for credential in scheme.credentials:
            base = "str"
            sync, async_ = base, base
            if credential.callable:
                sync, async_ = "str | Callable[[], str]", "str | Callable[[], str | Awaitable[str]]"
            arguments.append(
                CredentialArgument(
                    credential.argument,
                    sync + " | None",
                    async_ + " | None",
                    credential.env,
                    _credential_doc(scheme, credential.role, credential.default),
                    credential.role,
                )
            )
    return SecurityView(tuple(specs), tuple(arguments), tuple(sorted(secrets)))


def _scheme_spec(scheme: SecurityScheme) -> Brackets:
    credentials = [f"({', '.join(pyexpr.pyrepr(v) for v in (c.role, c.argument, c.env))})" for c in scheme.credentials]
    args = [pyexpr.pyrepr(scheme.key), pyexpr.pyrepr(scheme.kind), _tuple(credentials) if credentials else "()"]
    for name, value in (("location", scheme.location), ("param", scheme.param), ("scheme", scheme.scheme), ("token_url", scheme.token_url)):
        if value and not (name == "scheme" and scheme.kind != "http"):
            args.append(f"{name}={pyexpr.pyrepr(value)}")
    return Brackets("_auth.SchemeSpec(", args, ")", call=True)


def _credential_doc(scheme: SecurityScheme, role: str, default: str) -> str:
    where = f"security scheme {scheme.key!r}"
    if scheme.kind == "api_key":
        return f"The API key sent in the {scheme.location} {scheme.param!r} ({where})."
    if scheme.kind == "http":
        return f"The token sent as `Authorization: {scheme.scheme} <token>`, or a function returning it ({where})."
    if scheme.kind in ("basic", "digest"):
        return f"The {role} for HTTP {scheme.scheme.lower()} authentication ({where})."
    if role == "token":
        how = "OpenID Connect" if "openIdConnect" in scheme.flows else "OAuth2"
        return f"An {how} access token, or a function returning the current one ({where})."
    if role == "token_url":
        return f"Where client-credentials tokens come from (default: {default})."
    return f"The OAuth2 {role.replace('_', ' ')} of the client-credentials flow ({where}); tokens are fetched and refreshed as needed."


def client_docs(api: Api) -> dict[bool, str]:
    """The constructor docstrings of the client, by whether it is the async one."""
    return {is_async: client_doc(api, is_async) for is_async in (False, True)}


def client_doc(api: Api, is_async: bool) -> str:
    """The docstring of the client's constructor."""
    server_variables = api.servers[0].variables if api.servers else ()
    lines = [
        "Create a client.",
        "",
        "Args:",
        f"    base_url: The API's address; defaults to ${api.env_prefix}_BASE_URL, then to the spec's first server.",
    ]
    if server_variables:
        names = ", ".join(name for name, _ in server_variables)
        lines.append(f"    server_variables: Values for the variables of the spec's first server ({names}), when no base_url is given.")
    for argument in security_view(api).arguments:
        lines.append(f"    {argument.name}: {argument.doc} Defaults to ${argument.env}.")
    awaited = "; coroutine functions are awaited" if is_async else ""
    lines += [
        "    timeout: Seconds (or an httpx.Timeout) for each request; 30 s total, 5 s to connect by default.",
        "    max_retries: How many times an idempotent call is retried after a transient failure.",
        "    default_headers: Headers sent with every request.",
        "    http_client: An httpx client to send requests with, configured as you like (its timeout,",
        "        headers and transport are kept).",
        "    auth: Any httpx.Auth, applied to every request after the spec's credentials (to sign",
        "        requests, or for a scheme the spec cannot describe).",
        "    on_request: Functions called with each httpx.Request before it is sent, on every attempt",
        f"        (to sign, trace or count it){awaited}.",
        f"    on_response: Functions called with each httpx.Response as it arrives{awaited}.",
    ]
    return "\n".join(lines)


# -- README example ----------------------------------------------------------------------


def readme_values(api: Api) -> dict[str, Any]:
    """What the README says of the operations as a whole (worked out here: the template's
    filters over GitHub's 1,200 operations took 25 ms of every regeneration), from each
    group's summary: a regeneration loads the operations of few groups."""
    return {
        "example": usage_example(api),
        "first_read": first_read(api),
        "event_streams": any(group.summary.event_streams for group in api.groups),
    }


class Paged(NamedTuple):
    group: ResourceGroup
    method: str
    how: str  # Pagination.summary


def paginated(api: Api) -> list[Paged]:
    """The operations that page, in order."""
    return [Paged(group, name, how) for group in api.groups for name, how, _, _ in group.summary.paginated]


def first_read(api: Api) -> tuple[ResourceGroup, Operation] | None:
    """The operation examples show: the first GET, else the first of all."""
    found = next(((group, group.summary.first_read) for group in api.groups if group.summary.first_read), None)
    if found is not None:
        return found[0], found[1]
    return next(((group, group.operations[0]) for group in api.groups if group.operations), None)


def usage_example(api: Api) -> str:
    """A short program using the client, built from the spec's first read operation."""
    lines = [f"from {api.package} import {api.client_class}, APIStatusError", ""]
    found = first_read(api)
    if found is None:
        return "\n".join([*lines, f"client = {api.client_class}()"])
    group, op = found
    args = ", ".join(f"{p.name}={_example_value(p.type)}" for p in op.parameters if p.required)
    if op.pagination is not None:
        return "\n".join(
            [
                *lines,
                f"with {api.client_class}() as client:",
                "    try:",
                f"        for item in client.{group.name}.{op.name}({args}):  # every page, fetched as needed",
                "            print(item)",
                "    except APIStatusError as error:",
                "        print(error.status_code, error.body)",
            ]
        )
    return "\n".join(
        [
            *lines,
            f"with {api.client_class}() as client:",
            "    try:",
            f"        result = client.{group.name}.{op.name}({args})",
            "        print(result)",
            "    except APIStatusError as error:",
            "        print(error.status_code, error.body)",
        ]
    )


def _example_value(ref: TypeRef) -> str:
    if isinstance(ref, Primitive):
        return {"integer": "1", "number": "1.0", "boolean": "True"}.get(ref.kind, '"string"')
    if isinstance(ref, Literal):
        return repr(ref.value)
    if isinstance(ref, ListOf):
        return f"[{_example_value(ref.item)}]"
    return '"value"'
