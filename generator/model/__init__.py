"""The API model (IR): plain frozen dataclasses between the builder and the renderer."""

from dataclasses import fields, is_dataclass
from typing import Any

from ..codecache import compiled
from . import api as _api
from . import types as _types
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
    GroupSummary,
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
    names_in,
    strip_nullable,
)

__all__ = [
    "Api", "AnyValue", "Credential", "Pagination", "SecurityRequirement", "SecurityScheme", "Enum", "EnumMember", "EnumRef", "ErrorCase", "Field", "GroupSummary", "ListOf",
    "Literal", "MapOf", "Model", "ModelRef", "Nullable", "Operation", "Parameter",
    "Primitive", "RequestBody", "ResourceGroup", "Response", "Server", "Tagged", "TupleOf", "TypeRef",
    "UnionOf", "names_in", "strip_nullable",
]


def _pickled_by_fields(cls: type) -> None:
    """Pickle instances as cls(*fields). For frozen slotted classes, dataclasses' own way sets
    each field through Python code on load: twice as slow for the build memo's snapshots."""
    names = tuple(f.name for f in fields(cls) if f.init)

    def reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = reduce  # type: ignore[method-assign,assignment]


def _plain_repr(cls: type) -> None:
    """dataclasses' repr, without its guard against cycles: the model holds none, and the guard
    took 40% of each repr, which the render memo takes of every model and group."""
    shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields(cls) if f.repr)
    namespace: dict[str, Any] = {}
    exec(compiled(f"def __repr__(self):\n    return f'{cls.__qualname__}({shown})'"), {}, namespace)
    cls.__repr__ = namespace["__repr__"]  # type: ignore[method-assign]


for _module in (_api, _types):
    for _value in list(vars(_module).values()):
        if isinstance(_value, type) and is_dataclass(_value) and _value.__module__ == _module.__name__:
            _pickled_by_fields(_value)
            _plain_repr(_value)
