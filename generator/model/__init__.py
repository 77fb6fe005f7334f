"""The API model (IR): plain frozen dataclasses between the builder and the renderer."""

from .api import (
    Api,
    Credential,
    Pagination,
    SecurityRequirement,
    SecurityScheme,
    Enum,
    EnumMember,
    ErrorCase,
    Field,
    Model,
    Operation,
    Parameter,
    RequestBody,
    ResourceGroup,
    Response,
    Server,
)
from .types import (
    AnyValue,
    EnumRef,
    ListOf,
    Literal,
    MapOf,
    ModelRef,
    Nullable,
    Primitive,
    Tagged,
    TupleOf,
    TypeRef,
    UnionOf,
    strip_nullable,
)

__all__ = [
    "Api", "AnyValue", "Credential", "Pagination", "SecurityRequirement", "SecurityScheme", "Enum", "EnumMember", "EnumRef", "ErrorCase", "Field", "ListOf",
    "Literal", "MapOf", "Model", "ModelRef", "Nullable", "Operation", "Parameter",
    "Primitive", "RequestBody", "ResourceGroup", "Response", "Server", "Tagged", "TupleOf", "TypeRef",
    "UnionOf", "strip_nullable",
]
