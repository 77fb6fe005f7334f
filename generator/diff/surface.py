"""The public surface of a generated client, flat, so two versions compare name by name.

Everything is keyed by the Python name a caller writes (`pets.list`, `limit`, `Pet.owner`),
not by wire names or URL paths: a caller's code breaks on those names and on the types
behind them, never on how the spec spells the HTTP underneath.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import (
    AnyValue,
    Api,
    EnumRef,
    ListOf,
    Literal,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Operation,
    Primitive,
    Tagged,
    TupleOf,
    TypeRef,
    UnionOf,
)

SENT = "sent"  # the caller passes values of it to the API
READ = "read"  # the caller gets values of it back
ARGUMENTS = "arguments"  # a body model flattened into keyword arguments, compared there


@dataclass(frozen=True)
class Slot:
    """A value passed between caller and API: a method argument or a model field."""

    name: str
    type: TypeRef
    required: bool
    nullable: bool  # None means JSON null rather than "left out"
    source: str = ""  # arguments: "path", "query", "header", "cookie", "body field", "body", "content type"
    deprecated: bool = False


@dataclass(frozen=True)
class Returns:
    """What a method gives back, as its callers see it."""

    shape: str  # "none", "value", "stream" (of events) or "page" (iterable over every item)
    type: TypeRef | None = None


@dataclass(frozen=True)
class Method:
    """A method of the client, as its callers see it."""

    path: str  # "pets.list"
    http: str  # "GET /pets", for the report only
    arguments: dict[str, Slot]
    returns: Returns
    errors: dict[str, TypeRef | None]  # status -> the type of the exception's body
    security: frozenset[frozenset[str]]  # alternatives; the empty set: no credentials
    paging: str = ""  # the pagination style, "" when the call does not page
    deprecated: bool = False


@dataclass(frozen=True)
class ModelShape:
    """A model, as the callers that send or read it see it."""

    name: str
    fields: dict[str, Slot]
    uses: frozenset[str]  # SENT, READ, ARGUMENTS; empty: no operation touches it
    deprecated: bool = False


@dataclass(frozen=True)
class EnumShape:
    """An enum, as the callers that send or read it see it."""

    name: str
    kind: str
    members: dict[str | int | float | bool, str]  # value -> member name
    uses: frozenset[str]


@dataclass(frozen=True)
class Surface:
    """What a generated client offers its callers, to compare two versions of it."""

    title: str
    version: str
    package: str
    client_class: str
    base_url: str
    credentials: dict[str, str]  # constructor argument -> environment variable
    methods: dict[str, Method]
    models: dict[str, ModelShape]
    enums: dict[str, EnumShape]


def surface(api: Api) -> Surface:
    operations = [(f"{group.name}.{op.name}", op) for group in api.groups for op in group.operations]
    uses = _uses(api, [op for _, op in operations])
    return Surface(
        title=api.title,
        version=api.version,
        package=api.package,
        client_class=api.client_class,
        base_url=_base_url(api),
        credentials={c.argument: c.env for scheme in api.security_schemes for c in scheme.credentials},
        methods={path: _method(path, op) for path, op in operations},
        models={m.name: _model(m, uses[m.name]) for m in api.models},
        enums={
            e.name: EnumShape(e.name, e.kind, {m.value: m.name for m in e.members}, frozenset(uses[e.name]))
            for e in api.enums
        },
    )


def _method(path: str, op: Operation) -> Method:
    security = frozenset(frozenset(r.schemes) for r in op.security) or frozenset({frozenset()})
    answer = returns(op)
    return Method(
        path=path,
        http=f"{op.method} {op.path}",
        arguments={slot.name: slot for slot in arguments(op)},
        returns=answer,
        errors={e.status: e.type for e in op.errors},
        security=security,
        paging=op.pagination.style if op.pagination and answer.shape == "page" else "",
        deprecated=op.deprecated,
    )


def arguments(op: Operation) -> Iterator[Slot]:
    """The method's keyword arguments, as the generated signature spells them."""
    for p in op.parameters:
        # For a parameter None means "leave it out": it can never send null.
        yield Slot(p.name, p.type, p.required or p.location == "path", False, p.location, p.deprecated)
    body = op.body
    if body is None:
        return
    if body.fields:
        for f in body.fields:
            yield Slot(f.name, f.type, f.required, f.nullable, "body field", f.deprecated)
    else:
        yield Slot("body", body.type, body.required, False, "body")
    if len(body.content_types) > 1 and op.pagination is None:
        choice = UnionOf(tuple(Literal(t) for t in body.content_types))
        yield Slot("content_type", choice, False, False, "content type")


def returns(op: Operation) -> Returns:
    """What the call gives back, in the terms the generated method's annotation uses."""
    success = op.success
    if success is None or success.type is None:
        return Returns("none")
    content_type = (success.content_type or "").split(";")[0].strip().lower()
    ref = success.type
    if content_type == "text/event-stream":
        return Returns("stream", ref)
    if isinstance(ref, Primitive) and ref.format == "binary":
        return Returns("value", ref)
    if content_type.startswith("text/") and "json" not in content_type:
        return Returns("value", Primitive("string"))
    if op.pagination is not None:
        return Returns("page", op.pagination.item_type or AnyValue())
    return Returns("value", ref)


def _model(model: Model, uses: set[str]) -> ModelShape:
    fields = {f.name: Slot(f.name, f.type, f.required, f.nullable, deprecated=f.deprecated) for f in model.fields}
    return ModelShape(model.name, fields, frozenset(uses), model.deprecated)


def _uses(api: Api, operations: list[Operation]) -> defaultdict[str, set[str]]:
    """Which way values of each model and enum travel, following types through models."""
    models = {m.name: m for m in api.models}
    uses: defaultdict[str, set[str]] = defaultdict(set)
    pending: list[tuple[TypeRef, str]] = []
    for op in operations:
        pending += [(slot.type, SENT) for slot in arguments(op)]
        answer = returns(op)
        pending += [(answer.type, READ)] if answer.type is not None else []
        pending += [(e.type, READ) for e in op.errors if e.type is not None]
        if op.body is not None and op.body.fields and op.body.model:
            uses[op.body.model].add(ARGUMENTS)
    while pending:
        ref, use = pending.pop()
        for name in named(ref):
            if use in uses[name]:
                continue
            uses[name].add(use)
            model = models.get(name)
            if model is not None:
                pending += [(f.type, use) for f in model.fields]
                pending += [(model.additional, use)] if model.additional is not None else []
    return uses


def named(ref: TypeRef) -> Iterable[str]:
    """The models and enums a type mentions directly (not those inside the models)."""
    if isinstance(ref, (ModelRef, EnumRef)):
        yield ref.name
    elif isinstance(ref, ListOf):
        yield from named(ref.item)
    elif isinstance(ref, MapOf):
        yield from named(ref.value)
    elif isinstance(ref, Nullable):
        yield from named(ref.inner)
    elif isinstance(ref, (UnionOf, TupleOf)):
        for item in ref.variants if isinstance(ref, UnionOf) else ref.items:
            yield from named(item)
    elif isinstance(ref, Tagged):
        for _, case in ref.cases:
            yield from named(case)
        if ref.fallback is not None:
            yield from named(ref.fallback)


def _base_url(api: Api) -> str:
    if not api.servers:
        return ""
    url = api.servers[0].url
    for name, default in api.servers[0].variables:
        url = url.replace("{" + name + "}", default)
    return url
