"""The API model: everything the renderer needs to know, and nothing about OpenAPI syntax.

All names here are already Python names (escaped, unique); wire names are kept next to
them for the wire. Collections are tuples so the whole model is immutable and hashable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .types import TypeRef


@dataclass(frozen=True)
class Field:
    """A property of a model, or a top-level field of a JSON request body."""

    name: str  # Python identifier
    wire_name: str
    type: TypeRef  # never Nullable: see `nullable`
    required: bool
    nullable: bool
    description: str = ""
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    default: object = None  # a JSON value from the spec, or None for no default
    has_default: bool = False


@dataclass(frozen=True)
class Model:
    """A dataclass in the generated package, from an object schema."""

    name: str  # PascalCase class name
    module: str  # module under <package>.models
    fields: tuple[Field, ...]
    description: str = ""
    # None: no additional properties declared (kept untyped); a TypeRef types them.
    additional: TypeRef | None = None
    additional_allowed: bool = True
    deprecated: bool = False
    origin: str = ""  # JSON pointer of the schema, for docs and diagnostics


@dataclass(frozen=True)
class EnumMember:
    name: str  # Python identifier (UPPER_SNAKE)
    value: str | int | float | bool


@dataclass(frozen=True)
class Enum:
    name: str
    module: str
    kind: str  # "string", "integer", "number" or "boolean"
    members: tuple[EnumMember, ...]
    description: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str  # Python argument name
    wire_name: str
    location: str  # "path", "query", "header", "cookie"
    type: TypeRef
    required: bool
    description: str = ""
    deprecated: bool = False
    style: str = ""  # as the spec gives it ("" for the location's default); "json" for `content` parameters
    explode: bool = True  # resolved: the spec's value, else the style's default (true for form only)
    default: object = None
    has_default: bool = False


@dataclass(frozen=True)
class RequestBody:
    """The request body as the caller passes it.

    When the body is a JSON object with known properties, `fields` lists them and the
    method takes them as keyword arguments; otherwise the method takes one `body` argument
    of type `type`.
    """

    content_type: str
    type: TypeRef
    required: bool
    fields: tuple[Field, ...] = ()
    model: str | None = None  # the model the fields come from, when there is one
    description: str = ""
    # Every content type the caller may choose for this body (content_type first): those the
    # spec lists with the same schema. One entry, or empty, means no choice.
    content_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX", "default"
    content_type: str | None  # None: no body
    type: TypeRef | None
    description: str = ""


@dataclass(frozen=True)
class ErrorCase:
    """A declared non-2xx response: which exception it raises and how its body decodes."""

    status: str  # "404", "4XX" or "default"
    exception: str  # exception class name in the runtime hierarchy
    type: TypeRef | None
    description: str = ""


@dataclass(frozen=True)
class Operation:
    name: str  # method name on the resource group
    operation_id: str
    method: str  # upper case HTTP method
    path: str  # path template, wire form
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    body: RequestBody | None = None
    success: Response | None = None  # the response a successful call returns
    responses: tuple[Response, ...] = ()
    errors: tuple[ErrorCase, ...] = ()
    idempotent: bool = False  # safe to retry: by method, idempotency key or x-codegen-idempotent
    idempotency_key: str = ""  # wire name of the header parameter that carries an idempotency key
    origin: str = ""


@dataclass(frozen=True)
class ResourceGroup:
    name: str  # attribute on the client (snake_case)
    class_name: str  # PascalCase stem: <Stem>Resource / Async<Stem>Resource
    module: str  # module under <package>.resources
    operations: tuple[Operation, ...]
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    description: str = ""
    variables: tuple[tuple[str, str], ...] = ()  # (name, default)


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    package: str  # import name of the generated package
    client_class: str  # e.g. Petstore; the async client is Async<client_class>
    servers: tuple[Server, ...]
    groups: tuple[ResourceGroup, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    env_prefix: str = ""  # e.g. PETSTORE, for environment variables
    warnings: tuple[str, ...] = field(default=(), compare=False)
