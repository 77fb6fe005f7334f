"""Pydantic v2 models built from an OpenAPI schema, for the decoding comparison.

Equivalent to the generated dataclasses: the same fields, the same types (date-time as
datetime, date as date, enums as Enum classes, nested objects as nested models, arrays as
lists, nullable as Optional) and the same nesting; extra fields are kept, as codegen keeps them.
"""

from __future__ import annotations

import datetime
import enum
import keyword
import re
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

CONFIG = ConfigDict(extra="allow", protected_namespaces=())
SCALARS: dict[str, Any] = {"integer": int, "number": float, "boolean": bool, "string": str}
FORMATS: dict[str, Any] = {"date-time": datetime.datetime, "date": datetime.date}


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def field_name(wire: str) -> str:
    name = re.sub(r"\W", "_", wire)
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_") or hasattr(BaseModel, name):
        name = f"f_{name}"
    return name


class Builder:
    def __init__(self, spec: dict):
        self.schemas = spec["components"]["schemas"]
        self.models: dict[str, Any] = {}
        self.building: set[str] = set()

    def model(self, name: str) -> type[BaseModel]:
        """The model of components/schemas/<name>."""
        if name not in self.models:
            if name in self.building:
                raise ValueError(f"schema {name!r} is recursive; not supported here")
            self.building.add(name)
            self.models[name] = self.type_of(self.schemas[name], pascal(name))
            self.building.discard(name)
        return self.models[name]

    def type_of(self, schema: dict, name: str) -> Any:
        kind = self._base(schema, name)
        return Optional[kind] if schema.get("nullable") else kind  # noqa: UP045 - built at run time

    def _base(self, schema: dict, name: str) -> Any:
        if "$ref" in schema:
            return self.model(schema["$ref"].rsplit("/", 1)[-1])
        for combinator in ("allOf", "oneOf", "anyOf"):
            members = schema.get(combinator)
            if members:
                types = tuple(self.type_of(m, f"{name}{i}") for i, m in enumerate(members))
                return types[0] if len(types) == 1 else Union[types]  # noqa: UP007
        kind = schema.get("type")
        if kind == "array":
            return list[self.type_of(schema.get("items", {}), f"{name}Item")]  # type: ignore[misc]
        if kind == "object" or "properties" in schema:
            return self._object(schema, name)
        if "enum" in schema and kind == "string":
            return enum.Enum(name, {f"v{i}": value for i, value in enumerate(schema["enum"])}, type=str)
        return FORMATS.get(schema.get("format", ""), SCALARS.get(kind, Any))

    def _object(self, schema: dict, name: str) -> Any:
        properties = schema.get("properties")
        if not properties:
            extra = schema.get("additionalProperties")
            return dict[str, self.type_of(extra, f"{name}Value") if isinstance(extra, dict) else Any]
        required = set(schema.get("required", ()))
        fields: dict[str, Any] = {}
        for wire, sub in properties.items():
            annotation = self.type_of(sub, name + pascal(wire))
            default = ... if wire in required else None
            fields[field_name(wire)] = (annotation, Field(default, alias=wire))
        return create_model(name, __config__=CONFIG, **fields)
