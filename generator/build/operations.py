"""Paths and operations to resource groups of methods."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from collections.abc import Callable
from functools import cached_property, partial
from typing import Any, TypeVar

from ..errors import join_pointer
from ..model import (
    AnyValue,
    SecurityScheme,
    ErrorCase,
    Field,
    ModelRef,
    Operation,
    Parameter,
    Primitive,
    RequestBody,
    ResourceGroup,
    Response,
    TypeRef,
)
from ..model.deferred import deferred
from .auth import operation_security
from .context import BuildContext, text
from .naming import NameAllocator, class_name, identifier, module_name, words
from .operations_memo import OperationMemo
from .pagination import pagination_of
from .schemas import SchemaBuilder

T = TypeVar("T")

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
_VERSION_SEGMENT = re.compile(r"^(v\d+[a-z0-9]*|api|rest)$", re.IGNORECASE)
# Names every method's signature already has; spec names that clash are renamed.
OPTION_ARGS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"})
SIGNATURE_NAMES = OPTION_ARGS | {"self", "options", "body"}
# Attributes of the resource classes themselves.
RESOURCE_ATTRS = frozenset({"with_raw_response", "with_streaming_response", "with_options"})
_GROUP_EXTENSIONS = ("x-codegen-group", "x-speakeasy-group", "x-fern-sdk-group-name")
_NAME_EXTENSIONS = ("x-codegen-name", "x-fern-sdk-method-name", "x-speakeasy-name-override")

ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}

# Header parameters that carry an idempotency key (compared in lower case): with one, a
# POST or PATCH is safe to retry, because the server recognises a repeated attempt.
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})
# Header parameters OpenAPI says to ignore because the client sets them from the media types.
_IGNORED_HEADERS = frozenset({"accept", "content-type"})

_BODY_PREFERENCE = (
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
)


@dataclass
class _RawOperation:
    """An operation as the document has it, with its group and where it is; its node and
    path item are read when first asked for (an operation served from the memo never is)."""

    group: str
    method: str
    path: str
    pointer: str
    path_pointer: str
    read: Callable[[], tuple[dict[str, Any], dict[str, Any]]]  # its node and its path item

    @cached_property
    def _read(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.read()

    @property
    def node(self) -> dict[str, Any]:
        return self._read[0]

    @property
    def path_item(self) -> dict[str, Any]:
        return self._read[1]


class OperationBuilder:
    def __init__(
        self,
        ctx: BuildContext,
        schemas: SchemaBuilder,
        security_schemes: tuple[SecurityScheme, ...] = (),
        memo: OperationMemo | None = None,
    ):
        """`memo`, when given, may hold groups an earlier run built (see operations_memo.py)."""
        self.ctx = ctx
        self.schemas = schemas
        self.security_schemes = security_schemes
        self.memo = memo
        # One object for equal parameters, responses and error cases (GitHub: 3,500 parameters
        # are 460 different ones), so that a group's kept records hold and restore each once.
        # Keyed by repr, which tells 1 from True and 1.0 where == does not.
        self._shared: dict[str, Any] = {}

    def build_groups(self) -> list[ResourceGroup]:
        raw = self._collect()
        by_group: dict[str, list[_RawOperation]] = {}
        for op in raw:
            by_group.setdefault(op.group, []).append(op)
        attrs = NameAllocator({"with_options", "close", "copy", "base_url", "timeout", "max_retries"})
        modules = NameAllocator({"__init__"}, fold_case=True)
        # Resource classes are <Stem>Resource and Async<Stem>Resource: no stem may make a model's name.
        model_names = [*self.schemas.models, *self.schemas.enums]
        classes = NameAllocator(
            {n[len("Async") if n.startswith("Async") else 0 : -len("Resource")] for n in model_names if n.endswith("Resource")},
            fold_case=True,
        )
        groups = []
        for group in sorted(by_group):
            attr = attrs.claim(identifier(group, "group"))
            shell = ResourceGroup(
                name=attr,
                class_name=classes.claim(class_name(group, "Group"), class_name(group, "Group") + "Group"),
                module=modules.claim(module_name(attr)),
                operations=(),
                description=self._tag_description(group),
            )
            groups.append(self._group(group, by_group[group], shell))
        return groups

    def _group(self, group: str, raw: list[_RawOperation], shell: ResourceGroup) -> ResourceGroup:
        """The group, `shell` with its operations: each from the memo if it has it, or all of
        them, served whole and loaded when first read (see operations_memo.py)."""
        names = NameAllocator(RESOURCE_ATTRS)
        if self.memo is None:
            return replace(shell, operations=tuple(self._named_operation(group, op, names) for op in raw))
        places = [(op.method, op.path, op.pointer, op.path_pointer) for op in raw]
        served = self.memo.group(group, places, self.schemas)
        if served is not None:
            known = {"class_name": shell.class_name, "module": shell.module, "description": shell.description}
            load = partial(_with_operations, shell, served.operations)
            built = deferred(ResourceGroup, shell.name, load, **known, summary=served.summary)
        else:
            records = [
                self.memo.operation(group, place, self.schemas, names, partial(self._named_operation, group, op, names))
                for place, op in zip(places, raw)
            ]
            built = replace(shell, operations=tuple(record.operation for record in records))
        self.memo.end_group(built)
        return built

    def _tag_description(self, group: str) -> str:
        for tag in self.ctx.root.get("tags") or []:
            if isinstance(tag, dict) and tag.get("name") == group and isinstance(tag.get("description"), str):
                return tag["description"].strip()
        return ""

    # -- collecting -----------------------------------------------------------------

    def _collect(self) -> list[_RawOperation]:
        """Every operation, in the document's order: those of a path item the memo knows
        unchanged from it, without reading the path item (see OperationMemo.collected)."""
        paths = self.ctx.mapping(self.ctx.root.get("paths") or {}, "/paths", "paths")
        found: list[_RawOperation] = []
        for path in paths:
            path_pointer = join_pointer("/paths", path)
            if str(path).startswith("x-"):
                continue
            kept = self.memo.collected(path_pointer) if self.memo is not None else None
            if kept is None:
                found += self._operations_of(paths[path], str(path), path_pointer)
                continue
            for method, group in kept:
                read = partial(_operation_in, paths, path, method)
                found.append(_RawOperation(group, method.upper(), str(path), join_pointer(path_pointer, method), path_pointer, read))
        return found

    def _operations_of(self, item: Any, path: str, path_pointer: str) -> list[_RawOperation]:
        """The operations of the path item at `path_pointer`, read; the memo keeps their
        methods and groups, where the path item holds them itself (not through a $ref)."""
        item, item_pointer = self.ctx.deref(item, path_pointer)
        item = self.ctx.mapping(item, item_pointer, f"path item {path}")
        found = []
        for method in HTTP_METHODS:
            if method not in item:
                continue
            pointer = join_pointer(item_pointer, method)
            node = self.ctx.mapping(item[method], pointer, f"operation {method.upper()} {path}")
            read = partial(tuple, (node, item))
            found.append(_RawOperation(self._group_of(node, path), method.upper(), path, pointer, item_pointer, read))
        if self.memo is not None and item_pointer == path_pointer:
            self.memo.keep_collected(path_pointer, tuple((op.method.lower(), op.group) for op in found))
        return found

    def _group_of(self, node: dict[str, Any], path: str) -> str:
        for key in _GROUP_EXTENSIONS:
            if isinstance(node.get(key), str) and node[key].strip():
                return node[key].strip()
        tags = node.get("tags")
        if isinstance(tags, list) and tags and isinstance(tags[0], str) and tags[0].strip():
            return tags[0].strip()
        for segment in path.strip("/").split("/"):
            if segment and not segment.startswith("{") and not _VERSION_SEGMENT.match(segment):
                return segment
        return "default"

    # -- operations -------------------------------------------------------------------

    def _named_operation(self, group: str, op: _RawOperation, names: NameAllocator) -> Operation:
        """The operation, its method named among those `names` (the group's) has given out."""
        preferred, full = self._method_names(group, op)
        return self._operation(names.claim(preferred, full), op)

    def _method_names(self, group: str, op: _RawOperation) -> tuple[str, str]:
        """The short name (group words removed) and a longer fallback for clashes."""
        for key in _NAME_EXTENSIONS:
            if isinstance(op.node.get(key), str) and op.node[key].strip():
                name = identifier(op.node[key], "call")
                return name, name
        operation_id = op.node.get("operationId")
        if isinstance(operation_id, str) and words(operation_id):
            op_words = [w.lower() for w in words(operation_id)]
        else:
            op_words = _derived_words(op.method, op.path)
        full = identifier("_".join(op_words), "call")
        short = _without_group_words(op_words, [w.lower() for w in words(group)])
        return identifier("_".join(short), "call"), full

    def _operation(self, name: str, op: _RawOperation) -> Operation:
        operation_id = op.node.get("operationId")
        # `content_type` is the argument that chooses among a body's content types.
        arg_names = NameAllocator(SIGNATURE_NAMES | ({"content_type"} if self._several_body_types(op) else set()))
        parameters = self._parameters(op, arg_names)
        parameters, idempotency_key = _with_idempotency_key(parameters, op.node)
        body = self._request_body(op, name, arg_names)
        responses, success, errors = self._responses(op, name)
        idempotent = op.method in IDEMPOTENT_METHODS or bool(idempotency_key)
        if isinstance(op.node.get("x-codegen-idempotent"), bool):
            idempotent = op.node["x-codegen-idempotent"]
        built = Operation(
            name=name,
            operation_id=operation_id if isinstance(operation_id, str) else "",
            method=op.method,
            path=op.path,
            summary=text(op.node.get("summary")),
            description=text(op.node.get("description")),
            deprecated=op.node.get("deprecated") is True,
            parameters=tuple(parameters),
            body=body,
            success=success,
            responses=tuple(responses),
            errors=tuple(errors),
            idempotent=idempotent,
            idempotency_key=idempotency_key,
            origin=op.pointer,
            security=operation_security(self.ctx, op.node, op.pointer, self.security_schemes),
        )
        pagination = pagination_of(
            built,
            op.node,
            self.schemas.models,
            response_headers=self._success_headers(op, success),
            warn=self.ctx.warn,
            pointer=op.pointer,
        )
        return replace(built, pagination=pagination) if pagination else built

    def _success_headers(self, op: _RawOperation, success: Response | None) -> frozenset[str]:
        """The names (lower case) of the headers the success response declares."""
        if success is None:
            return frozenset()
        listed = op.node.get("responses")
        entry = listed.get(success.status) if isinstance(listed, dict) else None
        if entry is None and isinstance(listed, dict):
            entry = next((v for k, v in listed.items() if str(k).upper() == success.status), None)
        if entry is None:
            return frozenset()
        node, _ = self.ctx.deref(entry, join_pointer(op.pointer, "responses", success.status))
        headers = node.get("headers") if isinstance(node, dict) else None
        return frozenset(str(name).lower() for name in headers) if isinstance(headers, dict) else frozenset()

    # -- parameters -------------------------------------------------------------------

    def _parameters(self, op: _RawOperation, names: NameAllocator) -> list[Parameter]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner, owner_pointer in ((op.path_item, op.path_pointer), (op.node, op.pointer)):
            listed = owner.get("parameters") or []
            listed = self.ctx.sequence(listed, join_pointer(owner_pointer, "parameters"), "parameters")
            for index, entry in enumerate(listed):
                node, pointer = self.ctx.deref(entry, join_pointer(owner_pointer, "parameters", index))
                node = self.ctx.mapping(node, pointer, "a parameter")
                if not isinstance(node.get("name"), str) or node.get("in") not in ("path", "query", "header", "cookie"):
                    self.ctx.warn("parameter without a usable `name` and `in`; skipped", pointer)
                    continue
                if node["in"] == "header" and node["name"].lower() in _IGNORED_HEADERS:
                    continue  # OpenAPI: such a definition SHALL be ignored; the client sets these
                merged[(node["name"], node["in"])] = (node, pointer)
        # Path parameters first: they identify the resource and read best leading the call.
        ordered = sorted(merged.values(), key=lambda item: item[0]["in"] != "path")
        return [self._parameter(node, pointer, op, names) for node, pointer in ordered]

    def _parameter(self, node: dict[str, Any], pointer: str, op: _RawOperation, names: NameAllocator) -> Parameter:
        location = node["in"]
        wire = node["name"]
        required = node.get("required") is True
        if location == "path" and not required:
            self.ctx.warn(f"path parameter {wire!r} must be required; treated as required", pointer)
            required = True
        schema = node.get("schema")
        style = str(node["style"]) if isinstance(node.get("style"), str) else ""
        if schema is None and isinstance(node.get("content"), dict) and node["content"]:
            media_type, media = next(iter(node["content"].items()))
            schema = media.get("schema") if isinstance(media, dict) else None
            # A parameter with `content` is serialized by its media type, not a style.
            style = "json" if _is_json(str(media_type)) else style
        hint = class_name(op.node.get("operationId") or op.path) + class_name(wire, "Param")
        ref: TypeRef = AnyValue()
        default: Any = None
        has_default = False
        maximum: int | None = None
        if schema is not None:
            ref = self.schemas.type_of(schema, join_pointer(pointer, "schema"), hint)
            resolved, _ = self.ctx.deref(schema, join_pointer(pointer, "schema"))
            if isinstance(resolved, dict) and "default" in resolved:
                default, has_default = resolved["default"], True
            if isinstance(resolved, dict) and isinstance(resolved.get("maximum"), int) and not isinstance(resolved["maximum"], bool):
                maximum = resolved["maximum"]
        default_style = "form" if location in ("query", "cookie") else "simple"
        explode = node["explode"] if isinstance(node.get("explode"), bool) else (style or default_style) == "form"
        return self._one(Parameter(
            name=names.claim(identifier(wire, "param"), identifier(f"{location}_{wire}", "param")),
            wire_name=wire,
            location=location,
            type=ref,
            required=required,
            description=text(node.get("description")),
            deprecated=node.get("deprecated") is True,
            style=style,
            explode=explode,
            default=default,
            has_default=has_default,
            maximum=maximum,
        ))

    # -- request body -----------------------------------------------------------------

    def _request_body(self, op: _RawOperation, method_name: str, names: NameAllocator) -> RequestBody | None:
        if "requestBody" not in op.node:
            return None
        node, pointer = self.ctx.deref(op.node["requestBody"], join_pointer(op.pointer, "requestBody"))
        node = self.ctx.mapping(node, pointer, "a request body")
        content = self.ctx.mapping(node.get("content") or {}, join_pointer(pointer, "content"), "content")
        if not content:
            return None
        content_type = _pick_content_type(list(content))
        media = self.ctx.mapping(content[content_type], join_pointer(pointer, "content", content_type), "a media type")
        schema = media.get("schema")
        content_types = self._body_alternatives(content, content_type, schema, pointer)
        hint = class_name(op.node.get("operationId") or f"{method_name} {op.path}") + "Body"
        schema_pointer = join_pointer(pointer, "content", content_type, "schema")
        ref: TypeRef = AnyValue() if schema is None else self.schemas.type_of(schema, schema_pointer, hint)
        if schema is None and not _is_json(content_type):
            ref = Primitive("string", "binary")
        required = node.get("required") is True
        fields: tuple[Field, ...] = ()
        model: str | None = None
        if isinstance(ref, ModelRef) and ref.name in self.schemas.models:
            model = ref.name
            fields = tuple(
                _renamed(f, names.claim(f.name, identifier("body_" + f.wire_name, "field")))
                for f in self.schemas.models[model].fields
                if not f.read_only
            )
        return RequestBody(
            content_type=content_type,
            type=ref,
            required=required,
            fields=fields,
            model=model,
            description=text(node.get("description")),
            content_types=content_types,
        )

    def _several_body_types(self, op: _RawOperation) -> bool:
        if "requestBody" not in op.node:
            return False
        node, _ = self.ctx.deref(op.node["requestBody"], join_pointer(op.pointer, "requestBody"))
        return isinstance(node, dict) and isinstance(node.get("content"), dict) and len(node["content"]) > 1

    def _body_alternatives(self, content: dict[str, Any], chosen: str, schema: Any, pointer: str) -> tuple[str, ...]:
        """The content types a caller may choose between: those with the chosen one's schema."""
        if len(content) < 2:
            return ()
        wanted = self._resolved(schema, join_pointer(pointer, "content", chosen, "schema"))
        same = []
        for media_type, media in content.items():
            other = media.get("schema") if isinstance(media, dict) else None
            if media_type == chosen or self._resolved(other, join_pointer(pointer, "content", media_type, "schema")) == wanted:
                same.append(str(media_type))
        if len(same) < 2:
            return ()
        return (chosen, *sorted((t for t in same if t != chosen), key=_preference))

    def _resolved(self, schema: Any, pointer: str) -> Any:
        return None if schema is None else self.ctx.deref(schema, pointer)[0]

    # -- responses --------------------------------------------------------------------

    def _responses(self, op: _RawOperation, method_name: str) -> tuple[list[Response], Response | None, list[ErrorCase]]:
        listed = self.ctx.mapping(op.node.get("responses") or {}, join_pointer(op.pointer, "responses"), "responses")
        responses: list[Response] = []
        for status, entry in listed.items():
            status = str(status).upper() if str(status).lower() != "default" else "default"
            status_pointer = join_pointer(op.pointer, "responses", status)
            if status != "default" and not re.fullmatch(r"[1-5](\d\d|XX)", status):
                self.ctx.warn(f"{status!r} is not an HTTP status code; response ignored", status_pointer)
                continue
            node, pointer = self.ctx.deref(entry, status_pointer)
            node = self.ctx.mapping(node, pointer, f"response {status}")
            hint = class_name(op.node.get("operationId") or f"{method_name} {op.path}")
            hint += "Response" if status.startswith("2") else f"{status}Error".replace("default", "Default")
            responses.append(self._response(status, node, pointer, hint))
        success = _pick_success(responses)
        errors = [
            self._one(ErrorCase(r.status, _error_class(r.status), r.type, r.description))
            for r in responses
            if r.status == "default" or r.status[0] in "45"
        ]
        return responses, success, errors

    def _response(self, status: str, node: dict[str, Any], pointer: str, hint: str) -> Response:
        content = node.get("content")
        description = text(node.get("description"))
        if not isinstance(content, dict) or not content:
            return self._one(Response(status, None, None, description))
        content_type = _pick_content_type(list(content))
        media = content[content_type] if isinstance(content[content_type], dict) else {}
        schema = media.get("schema")
        schema_pointer = join_pointer(pointer, "content", content_type, "schema")
        base = content_type.split(";")[0].strip().lower()
        ref: TypeRef
        if base == "text/event-stream":
            # The schema describes the data of each event; without one (or a plain string)
            # the events stay as they came.
            resolved = None if schema is None else self.ctx.deref(schema, schema_pointer)[0]
            typed = isinstance(resolved, dict) and resolved.get("type") != "string"
            ref = self.schemas.type_of(schema, schema_pointer, hint + "Event") if typed else Primitive("string")
        else:
            ref = AnyValue() if schema is None else self.schemas.type_of(schema, schema_pointer, hint)
            if not _is_json(content_type):
                ref = Primitive("string") if base.startswith("text/") else Primitive("string", "binary")
        return self._one(Response(status, content_type, ref, description))

    def _one(self, obj: T) -> T:
        """The object for everything equal to `obj` (see _shared)."""
        return self._shared.setdefault(repr(obj), obj)  # type: ignore[no-any-return]


def _renamed(field: Field, name: str) -> Field:
    if field.name == name:
        return field
    return replace(field, name=name)


def _derived_words(method: str, path: str) -> list[str]:
    """Words for an operation that has no operationId: a verb and the path's nouns."""
    segments = [s for s in path.strip("/").split("/") if s]
    nouns = [s for s in segments if not s.startswith("{") and not _VERSION_SEGMENT.match(s)]
    ends_in_param = bool(segments) and segments[-1].startswith("{")
    verb = {
        "GET": "get" if ends_in_param else "list",
        "POST": "create",
        "PUT": "update",
        "PATCH": "update",
        "DELETE": "delete",
    }.get(method, method.lower())
    noun_words = [w.lower() for noun in nouns for w in words(noun)]
    return [verb, *noun_words]


def _without_group_words(op_words: list[str], group_words: list[str]) -> list[str]:
    """Drop the group's name (plural or singular) from a method name, once."""
    if not group_words:
        return op_words
    forms = [group_words]
    last = group_words[-1]
    for singular in (last[:-3] + "y" if last.endswith("ies") else None, last[:-1] if last.endswith("s") else None):
        if singular:
            forms.append([*group_words[:-1], singular])
    for form in forms:
        n = len(form)
        for start in range(len(op_words) - n + 1):
            if op_words[start : start + n] == form:
                rest = op_words[:start] + op_words[start + n :]
                if rest and not rest[0].isdigit():
                    return rest
    return op_words


def _pick_content_type(types: list[str]) -> str:
    for preferred in _BODY_PREFERENCE:
        for t in types:
            if t.split(";")[0].strip().lower() == preferred:
                return t
    for t in types:
        if _is_json(t):
            return t
    return types[0]


def _preference(content_type: str) -> int:
    base = content_type.split(";")[0].strip().lower()
    return _BODY_PREFERENCE.index(base) if base in _BODY_PREFERENCE else len(_BODY_PREFERENCE)


def _operation_in(paths: dict[str, Any], path: str, method: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The operation under `method` of the path item at `path`, and the path item."""
    item = paths[path]
    return item[method], item


def _with_idempotency_key(parameters: list[Parameter], node: dict[str, Any]) -> tuple[list[Parameter], str]:
    """Find the idempotency key header, if the operation takes one, and make it optional: the
    client generates a key when the caller passes none."""
    for index, param in enumerate(parameters):
        if param.location == "header" and (param.wire_name.lower() in IDEMPOTENCY_HEADERS or node.get("x-codegen-idempotency-key") == param.wire_name):
            if param.required:
                parameters = [*parameters[:index], _optional(param), *parameters[index + 1 :]]
            return parameters, param.wire_name
    return parameters, ""


def _optional(param: Parameter) -> Parameter:
    return replace(param, required=False)


def _is_json(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _pick_success(responses: list[Response]) -> Response | None:
    twos = sorted((r for r in responses if r.status.startswith("2")), key=lambda r: r.status)
    if twos:
        with_body = [r for r in twos if r.type is not None]
        return with_body[0] if with_body else twos[0]
    return None


def _error_class(status: str) -> str:
    if status.isdigit():
        code = int(status)
        if code in ERROR_CLASSES:
            return ERROR_CLASSES[code]
        if code >= 500:
            return "InternalServerError"
    if status == "5XX":
        return "InternalServerError"
    return "APIStatusError"


def _with_operations(shell: ResourceGroup, operations: Callable[[], tuple[Operation, ...]]) -> ResourceGroup:
    return replace(shell, operations=operations())
