"""Normalize: every supported dialect in, one dialect (the OpenAPI 3.x shape) out.

OpenAPI 3.0 / 3.1 / 3.2 documents come back as they are: the very same object, no work done
(the builder reads 3.0 `nullable` and 3.1 type lists itself). A Swagger 2.0 document is
upgraded to OpenAPI 3.0.3 the way a careful converter (swagger2openapi) does it:

- host / basePath / schemes become `servers`;
- definitions, global parameters and responses, securityDefinitions move under `components`
  (body parameters become `components/requestBodies`), and every `$ref` is rewritten to match,
  including those in extensions and in files the loader bundled under `x-codegen-bundled`;
- body and formData parameters become a `requestBody` with one media type per `consumes`
  entry; other parameters get a `schema` and `style`/`explode` from `collectionFormat`;
- response schemas become `content` for each `produces` entry; headers get a `schema`;
- Swagger 2 schema warts are straightened out: `type: file`, `x-nullable`, string
  `discriminator`, JSON-Schema type lists.

The function is pure: the input is never changed. New containers are built only where
something changes; untouched subtrees (examples, enums, extension values, `info`, ...) are
shared with the input, so callers must not mutate the result either.

Anything the upgrade cannot express in 3.0 is reported as a warning Diagnostic whose pointer
is the place in the *original* document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from ..errors import Diagnostic, SpecError, escape_pointer_token, join_pointer, unescape_pointer_token

__all__ = ["OPENAPI_VERSION", "normalize"]

OPENAPI_VERSION = "3.0.3"  # what a Swagger 2.0 document is upgraded to

MakeDiagnostic = Callable[[str, str, str], Diagnostic]  # (severity, message, pointer)

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_JSON = "application/json"
_MULTIPART = "multipart/form-data"
_URLENCODED = "application/x-www-form-urlencoded"

# Fields of a Swagger 2 non-body parameter, header or items object that belong in a 3.0 schema.
_SCHEMA_FIELDS = frozenset(
    {
        "type", "format", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum",
        "multipleOf", "title", "readOnly", "nullable",
    }
)  # fmt: skip
# Keys of a Swagger 2 schema whose values are data, never schemas or refs.
_DATA_KEYS = frozenset({"example", "default", "enum", "const", "examples"})
# Keys of a schema holding one subschema / a list of them / a map of them.
_SUBSCHEMA = frozenset({"additionalProperties", "not", "additionalItems", "contains", "propertyNames"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions"})

_OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}

# collectionFormat -> (style, explode) for a query parameter (or a form field).
_QUERY_STYLES = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}


def _plain_diagnostic(severity: str, message: str, pointer: str) -> Diagnostic:
    return Diagnostic(severity, message, pointer=pointer)


def normalize(
    root: Any, *, diagnostic: MakeDiagnostic | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The document in the OpenAPI 3.x shape, and warnings about anything an upgrade lost.

    OpenAPI 3.x input is returned unchanged (the same object, no warnings). Swagger 2.0 input
    is upgraded to OpenAPI 3.0.3 without touching the input. `diagnostic` makes the warnings
    (pass `Document.diagnostic` to get file and line); by default they carry the pointer only.
    Anything else raises SpecError.
    """
    make = diagnostic or _plain_diagnostic
    if not isinstance(root, dict):
        raise SpecError(make("error", "the document is not a mapping, so it is not an OpenAPI document", ""))
    if "openapi" in root:
        version = root["openapi"]
        if isinstance(version, str) and version.startswith("3."):
            return root, []
        raise SpecError(
            make("error", f"unsupported OpenAPI version {version!r}: expected 3.0.x, 3.1.x or 3.2.x", "/openapi")
        )
    if "swagger" in root:
        version = root["swagger"]
        if str(version) == "2.0":
            upgrader = _Upgrader(root, make)
            return upgrader.run(), upgrader.warnings
        raise SpecError(make("error", f"unsupported Swagger version {version!r}: only 2.0 can be upgraded", "/swagger"))
    raise SpecError(make("error", "neither `openapi` nor `swagger` is set: this is not an OpenAPI document", ""))


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """True when `new` has exactly old's keys and identical values (so `old` can be shared)."""
    return len(old) == len(new) and all(k in new and new[k] is v for k, v in old.items())


def _base_media(media: str) -> str:
    return media.split(";")[0].strip().lower()


def _media_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    seen: list[str] = []
    for item in value:
        if isinstance(item, str) and item.strip() and item not in seen:
            seen.append(item)
    return seen


def _resolve(root: Any, pointer: str) -> Any:
    """The node at a JSON pointer, or raise LookupError."""
    node = root
    if pointer == "":
        return node
    if not pointer.startswith("/"):
        raise LookupError(pointer)
    for raw in pointer[1:].split("/"):
        token = unescape_pointer_token(raw)
        if isinstance(node, dict):
            if token not in node:
                raise LookupError(pointer)
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                raise LookupError(pointer)
            node = node[int(token)]
        else:
            raise LookupError(pointer)
    return node


def _ref_pointer(ref: str) -> str | None:
    """The JSON pointer of an internal $ref ("#/a/b" -> "/a/b"); None for anything else."""
    if not ref.startswith("#"):
        return None
    return unquote(ref[1:])


def _first_token(pointer: str) -> str:
    return unescape_pointer_token(pointer[1:].split("/", 1)[0]) if pointer.startswith("/") else ""


# ---------------------------------------------------------------------------------------------
# Swagger 2.0 -> OpenAPI 3.0.3
# ---------------------------------------------------------------------------------------------


class _Upgrader:
    def __init__(self, root: dict[str, Any], make: MakeDiagnostic) -> None:
        self.root = root
        self.make = make
        self.warnings: list[Diagnostic] = []
        self.consumes = _media_list(root.get("consumes")) or [_JSON]
        self.produces = _media_list(root.get("produces")) or [_JSON]
        params = root.get("parameters")
        self.global_params: dict[str, Any] = params if isinstance(params, dict) else {}
        # Global parameters by where they go: body -> requestBodies, formData -> inlined.
        self.body_params = {n for n, p in self.global_params.items() if isinstance(p, dict) and p.get("in") == "body"}
        self.form_params = {n for n, p in self.global_params.items() if isinstance(p, dict) and p.get("in") == "formData"}
        # Targets of refs that point into extension areas (x-codegen-bundled above all):
        # converted lazily, by the kind of object the referring place expects.
        self.queued: dict[str, str] = {}  # pointer -> kind
        self.queue: list[str] = []
        self.converted: dict[str, Any] = {}
        self.ancestors: set[str] = set()  # proper prefixes of the pointers in `converted`

    def warn(self, message: str, pointer: str) -> None:
        self.warnings.append(self.make("warning", message, pointer))

    # -- the document ---------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        root = self.root
        out: dict[str, Any] = {"openapi": OPENAPI_VERSION}
        if "info" in root:
            out["info"] = root["info"]
        servers = self.servers(root.get("schemes"))
        if servers:
            out["servers"] = servers
        consumed = {
            "swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths",
            "definitions", "parameters", "responses", "securityDefinitions",
        }  # fmt: skip
        extensions: list[str] = []
        for key, value in root.items():
            if key in consumed:
                continue
            if isinstance(key, str) and key.startswith("x-"):
                extensions.append(key)  # after paths and components: they may hold ref targets
                continue
            out[key] = value  # tags, security, externalDocs, and whatever else was there
        paths = root.get("paths")
        if isinstance(paths, dict):
            out["paths"] = self.paths(paths)
        elif "paths" in root:
            out["paths"] = paths
        else:
            out["paths"] = {}
        components = self.components()
        if components:
            out["components"] = components
        self.drain()
        self.ancestors = {p[:i] for p in self.converted for i in range(len(p)) if p[i] == "/"}
        for key in extensions:
            out[key] = self.rebuild(root[key], join_pointer("", key))
        return out

    def servers(self, schemes: Any) -> list[dict[str, Any]]:
        host = self.root.get("host")
        base = self.root.get("basePath")
        base = base.strip() if isinstance(base, str) else ""
        if base and not base.startswith("/"):
            base = "/" + base
        base = base.rstrip("/")
        if not isinstance(host, str) or not host.strip():
            return [{"url": base or "/"}]
        host = host.strip().rstrip("/")
        if "://" in host:  # a wart: the scheme written into `host`
            return [{"url": host + base}]
        names: list[str] = []
        for scheme in schemes if isinstance(schemes, list) else []:
            if isinstance(scheme, str) and scheme.strip() and scheme.strip().lower() not in names:
                names.append(scheme.strip().lower())
        if not names:
            names = ["https"]
        # The first server is the client's default: never plain http when the API offers https.
        names.sort(key=lambda scheme: scheme != "https")
        return [{"url": f"{scheme}://{host}{base}"} for scheme in names]

    def components(self) -> dict[str, Any]:
        root = self.root
        out: dict[str, Any] = {}
        definitions = root.get("definitions")
        if isinstance(definitions, dict) and definitions:
            out["schemas"] = {
                name: self.schema(schema, join_pointer("/definitions", name)) for name, schema in definitions.items()
            }
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for name, param in self.global_params.items():
            pointer = join_pointer("/parameters", name)
            if not isinstance(param, dict):
                parameters[name] = param
            elif name in self.body_params:
                bodies[name] = self.request_body(param, pointer, self.consumes)
            elif name in self.form_params:
                pass  # no 3.0 counterpart: inlined into each operation's requestBody that uses it
            elif isinstance(param.get("$ref"), str):
                target, _ = self.follow(param, pointer)
                if not (isinstance(target, dict) and target.get("in") in ("body", "formData")):
                    parameters[name] = {"$ref": self.ref(param["$ref"], "parameter")}
                # else: inlined into the requestBody of each operation that uses it
            else:
                parameters[name] = self.parameter(param, pointer)
        if parameters:
            out["parameters"] = parameters
        if bodies:
            out["requestBodies"] = bodies
        responses = root.get("responses")
        if isinstance(responses, dict) and responses:
            out["responses"] = {
                name: self.response(response, join_pointer("/responses", name), self.produces)
                for name, response in responses.items()
            }
        security = root.get("securityDefinitions")
        if isinstance(security, dict) and security:
            out["securitySchemes"] = {
                name: self.security_scheme(scheme, join_pointer("/securityDefinitions", name))
                for name, scheme in security.items()
            }
        return out

    # -- $refs ----------------------------------------------------------------------------

    def rewrite_ref(self, ref: str) -> str:
        """A Swagger 2 ref to where the thing it names lives in the 3.0 document."""
        if not ref.startswith("#/"):
            return ref
        if ref.startswith("#/definitions/"):
            return "#/components/schemas/" + ref[len("#/definitions/") :]
        if ref.startswith("#/securityDefinitions/"):
            return "#/components/securitySchemes/" + ref[len("#/securityDefinitions/") :]
        for section in ("parameters", "responses"):
            prefix = f"#/{section}/"
            if not ref.startswith(prefix):
                continue
            name_raw, sep, rest = ref[len(prefix) :].partition("/")
            name = unescape_pointer_token(unquote(name_raw))
            rest = sep + rest
            if section == "parameters" and name in self.body_params:
                return f"#/components/requestBodies/{name_raw}" + self._schema_tail(rest, self.consumes)
            if section == "responses":
                return f"#/components/responses/{name_raw}" + self._schema_tail(rest, self.produces)
            return f"#/components/parameters/{name_raw}" + rest
        return ref

    @staticmethod
    def _schema_tail(rest: str, media: list[str]) -> str:
        """"/schema/..." of a body parameter or response -> "/content/<media>/schema/..."."""
        if rest == "/schema" or rest.startswith("/schema/"):
            return f"/content/{escape_pointer_token(media[0])}" + rest
        return rest

    def ref(self, ref: str, kind: str) -> str:
        """Rewrite a $ref found where a `kind` object is expected; queue extension targets."""
        pointer = _ref_pointer(ref)
        if pointer is not None and _first_token(pointer).startswith("x-"):
            self.enqueue(pointer, kind)
            return ref
        return self.rewrite_ref(ref)

    def enqueue(self, pointer: str, kind: str) -> None:
        if pointer not in self.queued:
            self.queued[pointer] = kind
            self.queue.append(pointer)

    def follow(self, node: dict[str, Any], pointer: str) -> tuple[Any, str]:
        """Follow a chain of internal $refs in the original document: (target, its pointer)."""
        seen = {pointer}
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target_pointer = _ref_pointer(node["$ref"])
            if target_pointer is None or target_pointer in seen:
                return None, pointer
            seen.add(target_pointer)
            try:
                node = _resolve(self.root, target_pointer)
            except LookupError:
                return None, pointer
            pointer = target_pointer
        return node, pointer

    def drain(self) -> None:
        converters: dict[str, Callable[[Any, str], Any]] = {
            "schema": self.schema,
            "parameter": self.parameter,
            "response": lambda node, pointer: self.response(node, pointer, self.produces),
            "pathitem": self.path_item,
            "header": self.header,
        }
        while self.queue:
            pointer = self.queue.pop(0)
            try:
                node = _resolve(self.root, pointer)
            except LookupError:
                continue  # a broken ref: validation reports it
            if isinstance(node, dict):
                self.converted[pointer] = converters[self.queued[pointer]](node, pointer)

    def rebuild(self, node: Any, pointer: str) -> Any:
        """An extension area: converted ref targets put in place, other refs rewritten."""
        if pointer in self.converted:
            return self.converted[pointer]
        if pointer not in self.ancestors:
            return self.rewrite_refs(node)
        if isinstance(node, dict):
            new = {k: self.rebuild(v, join_pointer(pointer, k)) for k, v in node.items()}
            return node if _same(node, new) else new
        if isinstance(node, list):
            items = [self.rebuild(v, join_pointer(pointer, i)) for i, v in enumerate(node)]
            return node if all(a is b for a, b in zip(items, node)) else items
        return node

    def rewrite_refs(self, node: Any) -> Any:
        """Every "$ref" string in a subtree rewritten; the same object when none changes."""
        if isinstance(node, dict):
            new: dict[str, Any] = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    new[key] = self.rewrite_ref(value)
                elif key in _DATA_KEYS or not isinstance(value, (dict, list)):
                    new[key] = value
                else:
                    new[key] = self.rewrite_refs(value)
            return node if _same(node, new) else new
        if isinstance(node, list):
            items = [self.rewrite_refs(v) for v in node]
            return node if all(a is b for a, b in zip(items, node)) else items
        return node

    def extensions(self, node: dict[str, Any], out: dict[str, Any]) -> None:
        """Copy the x- keys of a node (their refs rewritten) into its converted form.

        `x-nullable` is not copied: on a parameter or header it has moved into the schema."""
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-") and key != "x-nullable":
                out[key] = self.rewrite_refs(value)

    # -- schemas --------------------------------------------------------------------------

    def schema(self, node: Any, pointer: str) -> Any:
        if not isinstance(node, dict):
            return node  # a boolean schema or garbage: validation's business
        new: dict[str, Any] = {}
        nullable = False
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                new[key] = self.ref(value, "schema")
            elif key in _DATA_KEYS:
                new[key] = value
            elif key == "type":
                if value == "file":
                    new["type"] = "string"
                    new["format"] = "binary"
                elif value == "null":  # JSON Schema's null type: 3.0 has only `nullable`
                    nullable = True
                elif isinstance(value, list):
                    nullable = self._type_list(value, new, pointer) or nullable
                else:
                    new[key] = value
            elif key == "format":
                if node.get("type") != "file":  # `type: file` means format: binary
                    new[key] = value
            elif key == "x-nullable":
                if value is True:
                    nullable = True
                elif not isinstance(value, bool):
                    new[key] = value
            elif key == "nullable":
                nullable = nullable or value is True
                if value is not True:
                    new[key] = value
            elif key == "discriminator" and isinstance(value, str):
                new[key] = {"propertyName": value}
            elif key == "items":
                if isinstance(value, list):
                    new[key] = self._tuple_items(value, join_pointer(pointer, "items"))
                else:
                    new[key] = self.schema(value, join_pointer(pointer, "items"))
            elif key in _SUBSCHEMA:
                new[key] = self.schema(value, join_pointer(pointer, key)) if isinstance(value, dict) else value
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                items = [self.schema(v, join_pointer(pointer, key, i)) for i, v in enumerate(value)]
                new[key] = value if all(a is b for a, b in zip(items, value)) else items
            elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                props = {k: self.schema(v, join_pointer(pointer, key, k)) for k, v in value.items()}
                new[key] = value if _same(value, props) else props
            elif isinstance(key, str) and key.startswith("x-"):
                new[key] = self.rewrite_refs(value)
            else:
                new[key] = value
        if nullable:
            if "$ref" in new:  # siblings of $ref are ignored in 3.0: wrap it to say "or null"
                ref = new.pop("$ref")
                new = {"allOf": [{"$ref": ref}], **new}
            new["nullable"] = True
        return node if _same(node, new) else new

    def _type_list(self, types: list[Any], new: dict[str, Any], pointer: str) -> bool:
        """JSON Schema's `type: [a, "null"]` in 3.0 terms; True when null is among them."""
        names = [t for t in types if isinstance(t, str) and t != "null"]
        names = ["string" if t == "file" else t for t in dict.fromkeys(names)]
        if len(names) == 1:
            new["type"] = names[0]
        elif len(names) > 1:
            new["anyOf"] = [{"type": t} for t in names]
        return "null" in types

    def _tuple_items(self, items: list[Any], pointer: str) -> Any:
        converted = [self.schema(v, join_pointer(pointer, i)) for i, v in enumerate(items)]
        if len(converted) <= 1:
            return converted[0] if converted else {}
        self.warn("tuple `items` (a list of schemas) cannot be expressed in OpenAPI 3.0; any of them is accepted", pointer)
        return {"anyOf": converted}

    # -- parameters -----------------------------------------------------------------------

    def simple_schema(self, node: dict[str, Any], pointer: str) -> dict[str, Any]:
        """The schema of a non-body parameter, header or items object (Swagger 2 inlines it)."""
        schema: dict[str, Any] = {}
        for key, value in node.items():
            if key in _SCHEMA_FIELDS:
                schema[key] = value
            elif key == "x-nullable":
                schema[key] = value
            elif key == "items":
                if isinstance(value, dict):
                    inner = self.simple_schema(value, join_pointer(pointer, "items"))
                    fmt = value.get("collectionFormat")
                    if fmt not in (None, "csv"):
                        self.warn(
                            f"collectionFormat {fmt!r} of nested array items cannot be expressed in OpenAPI 3.0",
                            join_pointer(pointer, "items", "collectionFormat"),
                        )
                    schema[key] = inner
                else:
                    schema[key] = value
            elif key == "$ref" and isinstance(value, str):  # not allowed in an items object; common anyway
                schema[key] = value
        if isinstance(node.get("schema"), dict) and "type" not in node:  # a body-style schema on a non-body parameter
            schema.update(node["schema"])
        converted = self.schema(schema, pointer)
        return converted if isinstance(converted, dict) else schema

    def parameter(self, node: dict[str, Any], pointer: str) -> Any:
        """A Swagger 2 non-body parameter as an OpenAPI 3.0 parameter."""
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return {"$ref": self.ref(node["$ref"], "parameter")}
        where = node.get("in")
        out: dict[str, Any] = {}
        for key in ("name", "in", "description", "required", "deprecated"):
            if key in node:
                out[key] = node[key]
        if where == "path":
            out["required"] = True
        if where == "query" and "allowEmptyValue" in node:
            out["allowEmptyValue"] = node["allowEmptyValue"]
        schema = self.simple_schema(node, pointer)
        if schema.get("type") == "array":
            style = self.style(node, pointer)
            if style is not None:
                out["style"], out["explode"] = style
        out["schema"] = schema
        for key in ("example", "examples"):
            if key in node:
                out[key] = node[key]
        self.extensions(node, out)
        return out

    def style(self, node: dict[str, Any], pointer: str) -> tuple[str, bool] | None:
        """style/explode of an array parameter from its collectionFormat (default csv)."""
        where = node.get("in")
        fmt = node.get("collectionFormat", "csv")
        at = join_pointer(pointer, "collectionFormat")
        if where in ("query", "formData"):
            if fmt in _QUERY_STYLES:
                return _QUERY_STYLES[fmt]
            if fmt == "tsv":
                self.warn("collectionFormat 'tsv' has no OpenAPI 3.0 style; sent as form (comma-separated)", at)
            else:
                self.warn(f"unknown collectionFormat {fmt!r}; sent as form (comma-separated)", at)
            return ("form", False)
        if where in ("path", "header"):
            if fmt != "csv":
                self.warn(
                    f"collectionFormat {fmt!r} is not possible for a {where} parameter in OpenAPI 3.0; "
                    "sent comma-separated (style simple)",
                    at,
                )
            return ("simple", False)
        return None

    def request_body(self, node: dict[str, Any], pointer: str, media: list[str]) -> dict[str, Any]:
        """A Swagger 2 body parameter as a requestBody, one content entry per media type."""
        out: dict[str, Any] = {}
        if "description" in node:
            out["description"] = node["description"]
        entry: dict[str, Any] = {}
        if "schema" in node:
            entry["schema"] = self.schema(node["schema"], join_pointer(pointer, "schema"))
        out["content"] = {m: dict(entry) for m in media}
        if "required" in node:
            out["required"] = node["required"]
        if isinstance(node.get("name"), str):
            out["x-codegen-body-name"] = node["name"]
        self.extensions(node, out)
        return out

    def form_body(self, fields: list[tuple[dict[str, Any], str]], consumes: list[str]) -> dict[str, Any]:
        """formData parameters as one object schema in a form requestBody."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        has_file = False
        for node, pointer in fields:
            name = node.get("name")
            if not isinstance(name, str):
                continue
            if node.get("type") == "file":
                has_file = True
            schema = self.simple_schema(node, pointer)
            if "description" in node and "description" not in schema:
                schema = {**schema, "description": node["description"]}
            extra: dict[str, Any] = {}
            self.extensions(node, extra)
            if extra:
                schema = {**schema, **extra}
            properties[name] = schema
            if node.get("required") is True:
                required.append(name)
            if schema.get("type") == "array":
                style = self.style(node, pointer)
                if style is not None and style != ("form", True):
                    encoding[name] = {"style": style[0], "explode": style[1]}
        schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        media = [m for m in consumes if _base_media(m) in (_MULTIPART, _URLENCODED)]
        if has_file and not any(_base_media(m) == _MULTIPART for m in media):
            media.insert(0, _MULTIPART)
        if not media:
            media = [_URLENCODED]
        content: dict[str, Any] = {}
        for m in media:
            entry: dict[str, Any] = {"schema": schema}
            if encoding and _base_media(m) == _URLENCODED:
                entry["encoding"] = encoding
            content[m] = entry
        body: dict[str, Any] = {"content": content}
        if required:
            body["required"] = True
        return body

    # -- paths and operations -------------------------------------------------------------

    def paths(self, paths: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path, item in paths.items():
            pointer = join_pointer("/paths", path)
            if isinstance(path, str) and path.startswith("x-"):
                out[path] = self.rewrite_refs(item)
            else:
                out[path] = self.path_item(item, pointer)
        return out

    def classify(self, params: Any, pointer: str) -> list[tuple[str, Any, dict[str, Any] | None, str]]:
        """Each parameter as (kind, the node as written, the resolved node, its pointer).

        kind is "param" (stays a parameter), "body", "form" or "other" (not understood)."""
        result: list[tuple[str, Any, dict[str, Any] | None, str]] = []
        if not isinstance(params, list):
            return result
        for index, node in enumerate(params):
            at = join_pointer(pointer, index)
            if not isinstance(node, dict):
                result.append(("other", node, None, at))
                continue
            target, target_pointer = self.follow(node, at)
            if not isinstance(target, dict):
                result.append(("param" if "$ref" in node else "other", node, None, at))
                continue
            where = target.get("in")
            kind = "body" if where == "body" else "form" if where == "formData" else "param"
            result.append((kind, node, target, target_pointer))
        return result

    def path_item(self, item: Any, pointer: str) -> Any:
        if not isinstance(item, dict):
            return item
        shared = self.classify(item.get("parameters"), join_pointer(pointer, "parameters"))
        out: dict[str, Any] = {}
        for key, value in item.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = self.ref(value, "pathitem")
            elif key == "parameters":
                params = [self.param_ref(node, at) for kind, node, _, at in shared if kind in ("param", "other")]
                if params:
                    out[key] = params
                dropped = [at for kind, _, _, at in shared if kind in ("body", "form")]
                if dropped and not any(m in item for m in _METHODS):
                    self.warn("body/formData parameters of a path with no operations are dropped", dropped[0])
            elif key in _METHODS and isinstance(value, dict):
                out[key] = self.operation(value, join_pointer(pointer, key), shared)
            elif isinstance(key, str) and key.startswith("x-"):
                out[key] = self.rewrite_refs(value)
            else:
                out[key] = value
        return out

    def param_ref(self, node: Any, pointer: str) -> Any:
        """A non-body parameter in an operation or path item: converted, or its ref rewritten."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return {"$ref": self.ref(node["$ref"], "parameter")}
        return self.parameter(node, pointer) if isinstance(node, dict) else node

    def operation(
        self, op: dict[str, Any], pointer: str, shared: list[tuple[str, Any, dict[str, Any] | None, str]]
    ) -> dict[str, Any]:
        consumes = _media_list(op.get("consumes")) or self.consumes
        produces = _media_list(op.get("produces")) or self.produces
        own = self.classify(op.get("parameters"), join_pointer(pointer, "parameters"))

        def key_of(target: dict[str, Any] | None) -> tuple[Any, Any]:
            return (target.get("name"), target.get("in")) if target else (None, None)

        own_keys = {key_of(t) for _, _, t, _ in own if t is not None}
        # Path-level body/formData parameters apply unless the operation overrides them.
        inherited = [p for p in shared if p[0] in ("body", "form") and key_of(p[2]) not in own_keys]
        bodies = [p for p in own if p[0] == "body"] or [p for p in inherited if p[0] == "body"]
        forms = [p for p in inherited if p[0] == "form"] + [p for p in own if p[0] == "form"]

        request_body: dict[str, Any] | None = None
        if bodies:
            if len(bodies) > 1:
                self.warn("an operation can have only one body parameter; the first one is used", bodies[1][3])
            if forms:
                self.warn("an operation cannot have both body and formData parameters; the formData ones are dropped", forms[0][3])
            request_body = self.body_for(bodies[0], consumes)
        elif forms:
            request_body = self.form_body([(t, at) for _, _, t, at in forms if t is not None], consumes)

        params = [self.param_ref(node, at) for kind, node, _, at in own if kind in ("param", "other")]

        out: dict[str, Any] = {}
        placed = False
        for key, value in op.items():
            if key in ("consumes", "produces"):
                continue
            if key == "schemes":
                servers = self.servers(value)
                if self.root.get("host") and servers != self.servers(self.root.get("schemes")):
                    out["servers"] = servers
                continue
            if key == "parameters":
                if params:
                    out["parameters"] = params
                if request_body is not None:
                    out["requestBody"] = request_body
                placed = True
            elif key == "responses" and isinstance(value, dict):
                if not placed and request_body is not None:
                    out["requestBody"] = request_body
                    placed = True
                out[key] = {
                    code: self.response(response, join_pointer(pointer, "responses", code), produces)
                    for code, response in value.items()
                }
            elif isinstance(key, str) and key.startswith("x-"):
                out[key] = self.rewrite_refs(value)
            else:
                out[key] = value
        if not placed and request_body is not None:
            out["requestBody"] = request_body
        return out

    def body_for(self, param: tuple[str, Any, dict[str, Any] | None, str], consumes: list[str]) -> dict[str, Any]:
        _, node, target, at = param
        assert target is not None
        ref = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(ref, str) and ref.startswith("#/parameters/") and consumes == self.consumes:
            name = unescape_pointer_token(unquote(ref[len("#/parameters/") :]))
            if name in self.body_params and "/" not in ref[len("#/parameters/") :]:
                return {"$ref": self.rewrite_ref(ref)}
        return self.request_body(target, at, consumes)

    # -- responses and headers ------------------------------------------------------------

    def response(self, node: Any, pointer: str, produces: list[str]) -> Any:
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return {"$ref": self.ref(node["$ref"], "response")}
        out: dict[str, Any] = {"description": node.get("description", "")}
        content: dict[str, Any] = {}
        if "schema" in node:
            schema = self.schema(node["schema"], join_pointer(pointer, "schema"))
            content = {m: {"schema": schema} for m in produces}
        examples = node.get("examples")
        if isinstance(examples, dict):
            for media, example in examples.items():
                if media in content:
                    content[media]["example"] = example
        headers = node.get("headers")
        if isinstance(headers, dict) and headers:
            out["headers"] = {
                name: self.header(header, join_pointer(pointer, "headers", name)) for name, header in headers.items()
            }
        if content:
            out["content"] = content
        self.extensions(node, out)
        return out

    def header(self, node: Any, pointer: str) -> Any:
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):  # not allowed in 2.0, allowed in 3.0
            return {"$ref": self.ref(node["$ref"], "header")}
        out: dict[str, Any] = {}
        if "description" in node:
            out["description"] = node["description"]
        schema = self.simple_schema(node, pointer)
        if schema.get("type") == "array":
            fmt = node.get("collectionFormat", "csv")
            if fmt != "csv":
                self.warn(
                    f"collectionFormat {fmt!r} is not possible for a header in OpenAPI 3.0; read comma-separated",
                    join_pointer(pointer, "collectionFormat"),
                )
        out["schema"] = schema
        self.extensions(node, out)
        return out

    # -- security -------------------------------------------------------------------------

    def security_scheme(self, node: Any, pointer: str) -> Any:
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        out: dict[str, Any]
        if kind == "basic":
            out = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out = {"type": "apiKey"}
            for key in ("name", "in"):
                if key in node:
                    out[key] = node[key]
        elif kind == "oauth2":
            out = {"type": "oauth2"}
            flow = node.get("flow")
            if flow in _OAUTH2_FLOWS:
                name, urls = _OAUTH2_FLOWS[flow]
                spec: dict[str, Any] = {}
                for url in urls:
                    if url in node:
                        spec[url] = node[url]
                scopes = node.get("scopes")
                spec["scopes"] = scopes if isinstance(scopes, dict) else {}
                out["flows"] = {name: spec}
            else:
                self.warn(f"unknown OAuth2 flow {flow!r}; the scheme has no flows", join_pointer(pointer, "flow"))
                out["flows"] = {}
        else:
            self.warn(f"unknown security scheme type {kind!r}; carried over unchanged", join_pointer(pointer, "type"))
            return self.rewrite_refs(node)
        if "description" in node:
            out["description"] = node["description"]
        self.extensions(node, out)
        return out
