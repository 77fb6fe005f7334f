"""The API model: everything the renderer needs to know, and nothing about OpenAPI syntax.

All names here are already Python names (escaped, unique); wire names are kept next to
them for the wire. Collections are tuples so the whole model is immutable and hashable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .types import EnumRef, ModelRef, TypeRef, named_in


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class EnumMember:
    """A member of an enum: its Python name and its wire value."""

    name: str  # Python identifier (UPPER_SNAKE)
    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class Enum:
    """An enum class in the generated package."""

    name: str
    module: str
    kind: str  # "string", "integer", "number" or "boolean"
    members: tuple[EnumMember, ...]
    description: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter of an operation, as the method takes it and the wire carries it."""

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
    maximum: int | None = None  # an integer parameter's schema maximum (a page size's cap)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Response:
    """A declared response of an operation: its status, content type and type."""

    status: str  # "200", "4XX", "default"
    content_type: str | None  # None: no body
    type: TypeRef | None
    description: str = ""


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """A declared non-2xx response: which exception it raises and how its body decodes."""

    status: str  # "404", "4XX" or "default"
    exception: str  # exception class name in the runtime hierarchy
    type: TypeRef | None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    """An operation, as a method of its resource group."""

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
    # The alternatives of credentials the operation accepts, in the spec's order: the first one
    # the caller configured is sent. Empty: the operation needs no credentials.
    security: tuple[SecurityRequirement, ...] = ()
    pagination: Pagination | None = None

    def types(self) -> list[TypeRef | None]:
        """Every type the operation sends or receives (None where there is none)."""
        types: list[TypeRef | None] = [p.type for p in self.parameters]
        if self.body is not None:
            types += [self.body.type, *(f.type for f in self.body.fields)]
        types += [r.type for r in (*self.responses, *((self.success,) if self.success else ()))]
        types += [e.type for e in self.errors]
        return types + [self.pagination.item_type if self.pagination else None]


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """One alternative of an operation's `security`: every scheme listed is sent together.

    No schemes means anonymous access is one of the alternatives."""

    schemes: tuple[str, ...]  # keys of Api.security_schemes


@dataclass(frozen=True, slots=True)
class Credential:
    """A constructor argument of the client that configures a security scheme."""

    argument: str  # Python argument name, e.g. "api_key"
    env: str  # environment variable read when the argument is not given, e.g. "PETSTORE_API_KEY"
    role: str  # what it is to the scheme: "key", "token", "username", "password", "client_id", "client_secret", "token_url"
    secret: bool = True
    callable: bool = False  # may also be a function returning the value (a token provider)
    default: str = ""  # the value when neither argument nor environment gives one (token_url)


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """How the API authenticates, as the runtime applies it.

    kind is one of:
      "api_key"             `param` in `location` (header, query or cookie)
      "http"                Authorization: <scheme> <token> (bearer, and any other token scheme)
      "basic"               HTTP basic, username and password
      "oauth2"              a token: from client credentials (tokenUrl) when those are
                            configured, else given (a string or a provider)
      "none"                nothing the client can send (mutualTLS: configure the http_client)
    """

    key: str  # the name in components.securitySchemes
    kind: str
    description: str = ""
    location: str = ""  # api_key: "header", "query" or "cookie"
    param: str = ""  # api_key: the wire name of the header, query parameter or cookie
    scheme: str = ""  # http: the Authorization scheme word as the spec spells it ("bearer")
    token_url: str = ""  # oauth2 client credentials
    flows: tuple[str, ...] = ()  # oauth2: the flows the spec declares, e.g. ("clientCredentials",)
    scopes: tuple[str, ...] = ()  # oauth2: every scope the flows declare
    credentials: tuple[Credential, ...] = ()  # the constructor arguments that configure it


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a list operation pages, so that iterating its result walks every page.

    style is one of:
      "cursor"    send `cursor_param` = the `next_cursor` field of the last page (or, without
                  one, the `cursor_item` field of its last item); stop without a next cursor,
                  on a cursor seen before, on an empty page or `has_more` false
      "offset"    `cursor_param` is an offset: advanced by the number of items received;
                  stop on an empty page, a page shorter than the limit, `has_more` false or
                  reaching `total`
      "page"      `cursor_param` is a page number, advanced by one; stops as offset does, and
                  follows a Link rel="next" header when the response has one
      "link"      follow the Link header's rel="next" URL (GitHub); stop without one
      "next_url"  follow the URL in the `next_url` field of the body; stop without one
    Paths are tuples of wire names into the response body; `items` empty: the body is the list.
    """

    style: str
    items: tuple[str, ...] = ()
    item_attrs: tuple[str, ...] = ()  # the same path as attributes of the decoded body
    item_type: TypeRef | None = None
    cursor_param: str = ""  # wire name of the query parameter that moves through the pages
    limit_param: str = ""  # wire name of the page size parameter
    limit_default: int | None = None  # the page size when the caller gives none (the spec's default)
    limit_max: int | None = None  # the largest page size the API serves (the spec's maximum)
    next_cursor: tuple[str, ...] = ()
    cursor_item: str = ""  # cursor style without next_cursor: the item field that is the cursor
    has_more: tuple[str, ...] = ()
    next_url: tuple[str, ...] = ()
    total: tuple[str, ...] = ()  # the number of items in all pages
    total_pages: tuple[str, ...] = ()  # the number of pages
    start: int | None = None  # offset and page: the first value when the caller gives none (the spec's default)
    source: str = "inferred"  # "inferred", or the extension it was declared with
    reason: str = ""  # why, in words, for the generation report

    def summary(self) -> str:
        """How the operation pages, in a few words: for the report and the README."""
        dotted = ".".join
        if self.style == "cursor":
            source = f"`{dotted(self.next_cursor)}`" if self.next_cursor else f"the last item's `{self.cursor_item}`"
            how = f"cursor: `{self.cursor_param}` from {source}"
        elif self.style == "offset":
            how = f"offset: `{self.cursor_param}` advanced by the items received"
        elif self.style == "page":
            how = f"page number: `{self.cursor_param}` advanced by one"
        elif self.style == "link":
            how = "the Link header's rel=\"next\""
        else:
            how = f"next URL in `{dotted(self.next_url)}`"
        items = f"items in `{dotted(self.items)}`" if self.items else "items are the body"
        return f"{how}; {items}"


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """What is said of a group's operations as a whole: by the files about the whole API
    (the README, the client's report) and by its own module's imports. A group an earlier
    run built can then come with it alone, its operations loaded when first used
    (build/operations_memo.py): a regeneration renders few groups of many."""

    methods: tuple[str, ...]  # the operations' method names, in order
    # The operations that page, in order, as the report says it: (method name, how it pages
    # (Pagination.summary), where that was declared, why), plain text: quick to restore.
    paginated: tuple[tuple[str, str, str, str], ...]
    first_read: Operation | None  # the first GET operation
    event_streams: bool  # whether an operation answers with a stream of events
    models: tuple[str, ...]  # the models the operations' types name, sorted
    enums: tuple[str, ...]  # the enums they name, sorted

    @classmethod
    def of(cls, operations: tuple[Operation, ...]) -> GroupSummary:
        named = named_in([t for op in operations for t in op.types()])
        return cls(
            methods=tuple(op.name for op in operations),
            paginated=tuple(
                (op.name, op.pagination.summary(), op.pagination.source, op.pagination.reason)
                for op in operations
                if op.pagination is not None
            ),
            first_read=next((op for op in operations if op.method == "GET"), None),
            event_streams=any(op.success is not None and op.success.content_type == "text/event-stream" for op in operations),
            models=tuple(sorted(named[ModelRef])),
            enums=tuple(sorted(named[EnumRef])),
        )


@dataclass(frozen=True, slots=True)
class ResourceGroup:
    """The operations of one group, as a resource class of the client."""

    name: str  # attribute on the client (snake_case)
    class_name: str  # PascalCase stem: <Stem>Resource / Async<Stem>Resource
    module: str  # module under <package>.resources
    operations: tuple[Operation, ...]
    description: str = ""
    # Made from `operations`, so neither given nor compared.
    summary: GroupSummary = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", GroupSummary.of(self.operations))


@dataclass(frozen=True, slots=True)
class Server:
    """A server the spec lists, with its variables' defaults."""

    url: str
    description: str = ""
    variables: tuple[tuple[str, str], ...] = ()  # (name, default)


@dataclass(frozen=True, slots=True)
class Api:
    """The whole API: what the package and its client are made from."""

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
    security_schemes: tuple[SecurityScheme, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
