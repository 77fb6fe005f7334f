"""JSON Schema (OpenAPI 3.0 and 3.1 dialects) to TypeRefs, models and enums.

Schemas are identified by the JSON pointer they live at, so a schema reached through many
$refs becomes one model, and a recursive schema refers to itself by name instead of
recursing forever. Component schemas are named after their key; inline schemas after
where they stand (the model and property, or the operation), so names do not depend on
the order in which the spec is walked.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Callable, TypeVar

from ..errors import join_pointer
from ..model import (
    AnyValue,
    Enum,
    EnumMember,
    EnumRef,
    Field,
    ListOf,
    Literal,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Primitive,
    Tagged,
    TupleOf,
    TypeRef,
    UnionOf,
)
from ..spec.refs import PointerError, ref_pointer, resolve_pointer
from .context import BuildContext, text
from .naming import RESERVED_CLASS_NAMES, NameAllocator, class_name, constant, identifier, module_name

T = TypeVar("T")
_PRIMITIVES = {"string", "integer", "number", "boolean"}
_COMPONENT_PREFIX = "/components/schemas/"
# The field holding properties the spec does not declare.
EXTRA_FIELD = "additional_properties"


@dataclass(frozen=True)
class ComponentState:
    """What building the component schemas leaves behind: enough to go on from there
    without building them again (see build/memo.py). Warnings are kept unlocated, since
    their lines depend on the rest of the file."""

    models: dict[str, Model]
    enums: dict[str, Enum]
    types: dict[str, TypeRef]
    class_names: NameAllocator
    modules: NameAllocator
    warned: list[tuple[str, str]]
    component_names: dict[str, str]  # the class name each component schema claimed first
    # The types of pointers inside the component schemas, when `types` leaves them out: a
    # memo's state gives them on first need (a regeneration's new operations seldom refer
    # inside a component, and they were a third of restoring the state).
    inner_types: Callable[[], dict[str, TypeRef]] | None = None


@dataclass(frozen=True)
class Additions:
    """What the builder's state gained over a stretch of the build, in the order it came:
    the builder only ever adds to its state, so the state after that stretch is the one
    before it and these (see build/operations_memo.py)."""

    models: tuple[tuple[str, Model], ...]
    enums: tuple[tuple[str, Enum], ...]
    types: tuple[tuple[str, TypeRef], ...]
    class_names: tuple[str, ...]
    modules: tuple[str, ...]
    warned: tuple[tuple[str, str], ...]

    def empty(self) -> bool:
        return not any((self.models, self.enums, self.types, self.class_names, self.modules, self.warned))


def is_inner_pointer(pointer: str) -> bool:
    """Whether `pointer` is inside a component schema (not one itself)."""
    return pointer.startswith(_COMPONENT_PREFIX) and "/" in pointer[len(_COMPONENT_PREFIX) :]


Mark = tuple[int, int, int, int, int, int]  # the sizes of the builder's state (see SchemaBuilder.mark)


class SchemaBuilder:
    def __init__(self, ctx: BuildContext):
        self.ctx = ctx
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self._types: dict[str, TypeRef] = {}  # pointer -> finished type
        self._inner_types: Callable[[], dict[str, TypeRef]] | dict[str, TypeRef] = {}  # see ComponentState
        self._building: set[str] = set()  # pointers whose type is being worked out
        self._class_names = NameAllocator(RESERVED_CLASS_NAMES)
        self._modules = NameAllocator({"__init__"}, fold_case=True)
        self._claimed: dict[str, str] | None = None  # see _component_names
        self._children: dict[str, list[str]] | None = None  # base pointer -> allOf children
        # One object for each of the types, fields and enum members that many schemas have
        # (GitHub: 28,000 properties are typed by 20 primitive types; 35,000 fields are 7,800
        # different ones), so a kept state holds and restores each once.
        self._shared: dict[tuple[Any, ...], Any] = {}

    # -- naming ---------------------------------------------------------------------

    @property
    def _component_names(self) -> dict[str, str]:
        """The class name of each component schema, claimed before any other name is (a
        resumed state has them: claiming them again there would be 0.02 s of a regeneration)."""
        if self._claimed is None:
            self._claimed = self._claim_component_names()
        return self._claimed

    def _claim_component_names(self) -> dict[str, str]:
        """Component schemas get first pick of class names, in sorted key order."""
        schemas = (self.ctx.root.get("components") or {}).get("schemas") or {}
        names: dict[str, str] = {}
        if isinstance(schemas, dict):
            for key in sorted(schemas, key=str):
                base = class_name(str(key))
                names[join_pointer("/components/schemas", key)] = self._class_names.claim(base, base + "Model")
        return names

    def _name_for(self, pointer: str, hint: str) -> str:
        if pointer in self._component_names:
            return self._component_names[pointer]
        base = class_name(hint)
        return self._class_names.claim(base, base + "Model", base + "Object")

    def _module_for(self, name: str) -> str:
        return self._modules.claim(module_name(name))

    # -- entry points ---------------------------------------------------------------

    def build_components(self) -> ComponentState:
        """Build every component schema, used or not: they are the API's vocabulary."""
        schemas = (self.ctx.root.get("components") or {}).get("schemas") or {}
        if not isinstance(schemas, dict):
            self.ctx.fail("components.schemas must be an object", "/components/schemas")
        warned = len(self.ctx.warned)
        for key in schemas:
            pointer = join_pointer("/components/schemas", key)
            self.type_of(schemas[key], pointer, str(key))
        return ComponentState(
            dict(self.models),
            dict(self.enums),
            dict(self._types),
            self._class_names.copy(),
            self._modules.copy(),
            self.ctx.warned[warned:],
            dict(self._component_names),
        )

    def resume(self, state: ComponentState) -> None:
        """Go on from where build_components left an earlier build of the same schemas."""
        self.models, self.enums, self._types = dict(state.models), dict(state.enums), dict(state.types)
        self._class_names, self._modules = state.class_names.copy(), state.modules.copy()
        self._claimed = dict(state.component_names)
        self._inner_types = state.inner_types or {}
        for message, pointer in state.warned:
            self.ctx.warn(message, pointer)

    def _inner_type(self, pointer: str) -> TypeRef | None:
        """The type a resumed state gives a pointer inside a component schema, if any."""
        if not is_inner_pointer(pointer):
            return None
        if callable(self._inner_types):
            self._inner_types = self._inner_types()
        return self._inner_types.get(pointer)

    def mark(self) -> Mark:
        """A point in the build, to ask `added_since` what came after it."""
        sizes = (len(self.models), len(self.enums), len(self._types), self._class_names.count(), self._modules.count())
        return (*sizes, len(self.ctx.warned))

    def added_since(self, mark: Mark) -> Additions:
        models, enums, types, class_names, modules, warned = mark
        return Additions(
            _tail(self.models, models),
            _tail(self.enums, enums),
            _tail(self._types, types),
            self._class_names.taken_since(class_names),
            self._modules.taken_since(modules),
            tuple(self.ctx.warned[warned:]),
        )

    def add(self, added: Additions) -> None:
        """Go on as if the stretch of build that made `added` had run here."""
        self.models.update(added.models)
        self.enums.update(added.enums)
        self._types.update(added.types)
        self._class_names.take(added.class_names)
        self._modules.take(added.modules)
        for message, pointer in added.warned:
            self.ctx.warn(message, pointer)

    def type_of(self, schema: Any, pointer: str, hint: str) -> TypeRef:
        """The type of a schema at `pointer`; `hint` names inline models and enums."""
        if schema is True or schema == {}:
            return AnyValue()
        schema, pointer = self.ctx.deref(schema, pointer)
        if pointer in self._types:
            return self._types[pointer]
        if pointer.startswith(_COMPONENT_PREFIX):
            kept = self._inner_type(pointer)
            if kept is not None:
                return kept
            hint = self._component_names.get(pointer, hint)
        if isinstance(schema, bool):
            return AnyValue()
        schema = self.ctx.mapping(schema, pointer, "a schema")
        if pointer in self._building:
            # Recursion through an unnamed shape (a map or list of itself): models register
            # their name before their fields, so only these arrive here; type the inner use loosely.
            return AnyValue("recursive")
        self._building.add(pointer)
        try:
            inner, nullable = self._split_null(schema, pointer, hint)
        finally:
            self._building.discard(pointer)
        ref = Nullable(inner) if nullable else inner
        key = _type_key(ref)
        if key is not None:
            ref = self._share(key, ref)
        self._types[pointer] = ref
        return ref

    # -- the dialects of "may be null" --------------------------------------------

    def _share(self, key: tuple[Any, ...], value: T) -> T:
        """The one object for values with this key (see _shared). Keys are tuples of strings,
        types and ids, which hash without calling the model's dataclasses."""
        return self._shared.setdefault(key, value)  # type: ignore[no-any-return]

    def _split_null(self, schema: dict[str, Any], pointer: str, hint: str) -> tuple[TypeRef, bool]:
        nullable = schema.get("nullable") is True or schema.get("x-nullable") is True
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
        enum = schema.get("enum")
        if isinstance(enum, list) and None in enum:
            nullable = True
        inner = self._non_null_type(schema, pointer, hint)
        if isinstance(inner, Nullable):
            return inner.inner, True
        return inner, nullable

    def _non_null_type(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        if "const" in schema:
            return self._const(schema["const"], pointer)
        if isinstance(schema.get("enum"), list):
            return self._enum(schema, pointer, hint)
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            tagged = self._tagged(schema, pointer, hint, discriminator)
            if tagged is not None:
                return tagged
        for key in ("oneOf", "anyOf"):
            if key in schema and not schema.get("properties"):
                return self._union(schema, key, pointer, hint)
        if "allOf" in schema:
            return self._all_of(schema, pointer, hint)
        kind = self._kind(schema, pointer)
        if kind == "array":
            return self._array(schema, pointer, hint)
        if kind == "object":
            return self._object(schema, pointer, hint)
        if kind in _PRIMITIVES:
            return Primitive(kind, _format(schema))
        if kind == "null":
            return Nullable(AnyValue("null"))
        if "not" in schema:
            self.ctx.warn("`not` schemas cannot be expressed as a Python type; typed as Any", pointer)
        return AnyValue()

    def _kind(self, schema: dict[str, Any], pointer: str) -> str | None:
        types = schema.get("type")
        if isinstance(types, list):
            real = [t for t in types if t != "null"]
            if len(real) == 1:
                return str(real[0])
            if not real:
                return "null"
            return "multi"
        if isinstance(types, str):
            if types == "file":  # Swagger 2.0's upload type, common in the wild
                return "string"
            return types
        if types is not None:
            self.ctx.warn("`type` must be a string or an array of strings; ignored", join_pointer(pointer, "type"))
        if "properties" in schema or "additionalProperties" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        return None

    # -- shapes -----------------------------------------------------------------------

    def _const(self, value: Any, pointer: str) -> TypeRef:
        if isinstance(value, (str, int, float, bool)):
            return Literal(value)
        if value is None:
            return Nullable(AnyValue("null"))
        return AnyValue("const")

    def _array(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            return TupleOf(
                tuple(
                    self.type_of(item, join_pointer(pointer, "prefixItems", i), f"{hint}Item{i + 1}")
                    for i, item in enumerate(prefix)
                )
            )
        items = schema.get("items")
        if items is None or isinstance(items, list):  # the old list form of tuples is typed loosely
            return ListOf(AnyValue())
        return ListOf(self.type_of(items, join_pointer(pointer, "items"), hint + "Item"))

    def _object(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        properties = schema.get("properties")
        additional = schema.get("additionalProperties", True)
        if not properties:
            if isinstance(additional, dict) and additional:
                value = self.type_of(additional, join_pointer(pointer, "additionalProperties"), hint + "Value")
                return MapOf(value)
            return MapOf(AnyValue())
        return self._model(schema, pointer, hint, self._all_properties(schema, pointer))

    def _all_properties(self, schema: dict[str, Any], pointer: str) -> list[tuple[str, Any, str, bool]]:
        """(wire name, schema, pointer, required) for each declared property."""
        properties = self.ctx.mapping(schema.get("properties") or {}, join_pointer(pointer, "properties"), "properties")
        required = schema.get("required") or []
        if not isinstance(required, list):
            required = []
        return [
            (str(name), prop, join_pointer(pointer, "properties", name), name in required)
            for name, prop in properties.items()
        ]

    def _model(
        self,
        schema: dict[str, Any],
        pointer: str,
        hint: str,
        properties: list[tuple[str, Any, str, bool]],
        *,
        register: bool = True,
    ) -> TypeRef:
        name = self._name_for(pointer, hint)
        ref = ModelRef(name)
        if register:
            self._types[pointer] = ref  # before the fields, so recursion finds it
        names = NameAllocator({EXTRA_FIELD})
        fields = [self._field(names, name, *prop) for prop in properties]
        additional = schema.get("additionalProperties", True)
        extra_type: TypeRef | None = None
        if isinstance(additional, dict) and additional:
            extra_type = self.type_of(additional, join_pointer(pointer, "additionalProperties"), name + "Value")
        self.models[name] = Model(
            name=name,
            module=self._module_for(name),
            fields=tuple(fields),
            description=text(schema.get("description")) or text(schema.get("title")),
            additional=extra_type,
            additional_allowed=additional is not False,
            deprecated=schema.get("deprecated") is True,
            origin=pointer,
        )
        return ref

    def _field(self, names: NameAllocator, owner: str, wire: str, schema: Any, pointer: str, required: bool) -> Field:
        ref = self.type_of(schema, pointer, owner + class_name(wire, "Field"))
        inner = ref.inner if isinstance(ref, Nullable) else ref
        resolved, _ = self.ctx.deref(schema, pointer)
        info = resolved if isinstance(resolved, dict) else {}
        # Sibling keywords beside a $ref (3.1) describe this use of the schema.
        local = schema if isinstance(schema, dict) else {}
        values = (
            names.claim(identifier(wire, "field")),
            wire,
            inner,
            required,
            isinstance(ref, Nullable),
            text(local.get("description")) or text(info.get("description")),
            local.get("deprecated") is True or info.get("deprecated") is True,
            info.get("readOnly") is True or local.get("readOnly") is True,
            info.get("writeOnly") is True or local.get("writeOnly") is True,
            info.get("default"),
            "default" in info,
        )
        default = values[-2]
        if default is not None and type(default) is not str:
            return Field(*values)  # a default that could be 1 or True (1 == True) is not a key
        # GitHub's 35,000 fields are 7,800 different ones (`id`, `url`, `node_id`...). Equal
        # types are one object already (type_of), so in the key the type stands as its id.
        key = ("field", id(inner), *values[:2], *values[3:])
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = Field(*values)
        return found  # type: ignore[no-any-return]

    def _all_of(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        parts = self.ctx.sequence(schema["allOf"], join_pointer(pointer, "allOf"), "allOf")
        own_shape = any(k in schema for k in ("properties", "type", "additionalProperties"))
        if len(parts) == 1 and not own_shape:
            # `allOf: [$ref]` is the 3.0 idiom for annotating a reference.
            return self.type_of(parts[0], join_pointer(pointer, "allOf", 0), hint)
        properties, required = self._collect_properties(schema, pointer, set())
        if not properties:
            # A composition of non-object schemas: the first typed member decides.
            for index, part in enumerate(parts):
                ref = self.type_of(part, join_pointer(pointer, "allOf", index), hint)
                if not isinstance(ref, AnyValue):
                    return ref
            return AnyValue()
        merged = [(wire, s, p, wire in required) for wire, (s, p) in properties.items()]
        return self._model(schema, pointer, hint, merged)

    def _collect_properties(
        self, schema: dict[str, Any], pointer: str, seen: set[str]
    ) -> tuple[dict[str, tuple[Any, str]], set[str]]:
        """Properties and required names of a schema and, recursively, its allOf members."""
        properties: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        if pointer in seen:  # an allOf that reaches its own schema adds nothing new
            return properties, required
        seen.add(pointer)
        for index, part in enumerate(schema.get("allOf") or []):
            resolved, resolved_pointer = self.ctx.deref(part, join_pointer(pointer, "allOf", index))
            resolved = self.ctx.mapping(resolved, resolved_pointer, "an allOf member")
            nested, nested_required = self._collect_properties(resolved, resolved_pointer, seen)
            properties.update(nested)
            required |= nested_required
        for wire, prop, prop_pointer, _ in self._all_properties(schema, pointer):
            properties[wire] = (prop, prop_pointer)
        required.update(r for r in schema.get("required") or [] if isinstance(r, str))
        return properties, required

    def _union(self, schema: dict[str, Any], key: str, pointer: str, hint: str) -> TypeRef:
        parts = self.ctx.sequence(schema[key], join_pointer(pointer, key), key)
        variants: list[TypeRef] = []
        nullable = False
        for index, part in enumerate(parts):
            ref = self.type_of(part, join_pointer(pointer, key, index), f"{hint}Variant{index + 1}")
            if isinstance(ref, Nullable):
                nullable = True
                ref = ref.inner
            if isinstance(ref, AnyValue) and ref.reason == "null":
                nullable = True
                continue
            if ref not in variants:
                variants.append(ref)
        result: TypeRef
        if not variants:
            result = AnyValue()
        elif len(variants) == 1:
            result = variants[0]
        else:
            result = UnionOf(tuple(variants))
        return Nullable(result) if nullable else result

    # -- discriminated unions ----------------------------------------------------------

    def _tagged(
        self, schema: dict[str, Any], pointer: str, hint: str, discriminator: dict[str, Any]
    ) -> TypeRef | None:
        """A union whose cases are told apart by a property, or None when no case is known.

        Cases come from the discriminator's mapping, else from the oneOf/anyOf members
        (tagged by schema name), else from the schemas that extend this one through allOf.
        In that last (inheritance) pattern this schema is a model too, and tags the spec
        does not list decode to it.
        """
        members = schema.get("oneOf") or schema.get("anyOf")
        targets = self._tag_targets(discriminator, members, pointer)
        if not targets:
            return None
        fallback: TypeRef | None = None
        if not isinstance(members, list):
            properties, required = self._collect_properties(schema, pointer, set())
            entries = [(wire, s, p, wire in required) for wire, (s, p) in properties.items()]
            fallback = self._model(schema, pointer, hint, entries, register=False) if entries else None
        # Register the union before building its cases: they usually refer back to it.
        known = [(tag, target) for tag, target in targets if target in self._component_names]
        provisional = Tagged(
            discriminator["propertyName"],
            tuple((tag, ModelRef(self._component_names[target])) for tag, target in known),
            fallback,
        )
        self._types[pointer] = provisional
        cases = []
        for tag, target in targets:
            node, target = self.ctx.deref({"$ref": "#" + target}, join_pointer(pointer, "discriminator"))
            case = self.type_of(node, target, hint + class_name(tag, "Case"))
            cases.append((tag, case.inner if isinstance(case, Nullable) else case))
        return Tagged(discriminator["propertyName"], tuple(cases), fallback)

    def _tag_targets(self, discriminator: dict[str, Any], members: Any, pointer: str) -> list[tuple[str, str]]:
        """(tag, pointer of the case's schema) pairs, explicit mapping first."""
        targets: dict[str, str] = {}
        mapping = discriminator.get("mapping")
        for tag, target in (mapping.items() if isinstance(mapping, dict) else []):
            if not isinstance(target, str):
                continue
            resolved = ref_pointer(target) if target.startswith("#") else join_pointer("/components/schemas", target)
            if resolved is None or not self._exists(resolved):
                # Common in merged specs: the mapping still names the file a schema came from.
                self.ctx.warn(
                    f"discriminator mapping {tag!r} -> {target!r} names no schema in the document; ignored",
                    join_pointer(pointer, "discriminator", "mapping", tag),
                )
            elif resolved != pointer:
                targets[str(tag)] = resolved
        mapped = set(targets.values())
        implicit: list[str | None] = []
        if isinstance(members, list):
            implicit = [ref_pointer(m["$ref"]) for m in members if isinstance(m, dict) and isinstance(m.get("$ref"), str)]
        elif not targets:
            implicit = list(self._extensions_of(pointer))
        for target in implicit:
            if target and target not in mapped and target != pointer:
                targets.setdefault(_last_token(target), target)
        return list(targets.items())

    def _exists(self, pointer: str) -> bool:
        try:
            resolve_pointer(self.ctx.root, pointer)
        except PointerError:
            return False
        return True

    def _extensions_of(self, pointer: str) -> list[str]:
        """Component schemas that extend the one at `pointer` through allOf."""
        if self._children is None:
            self._children = {}
            schemas = (self.ctx.root.get("components") or {}).get("schemas") or {}
            for key in sorted(schemas if isinstance(schemas, dict) else {}, key=str):
                parts = schemas[key].get("allOf") if isinstance(schemas[key], dict) else None
                for part in parts if isinstance(parts, list) else []:
                    if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                        parent = ref_pointer(part["$ref"])
                        if parent:
                            self._children.setdefault(parent, []).append(join_pointer("/components/schemas", key))
        return self._children.get(pointer, [])

    def _enum(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        values = [v for v in schema["enum"] if v is not None]
        kinds = {_value_kind(v) for v in values}
        if not values or len(kinds) != 1 or None in kinds:
            return AnyValue("mixed enum")
        kind = kinds.pop()
        if kind == "boolean":
            return Primitive("boolean")
        name = self._name_for(pointer, hint)
        ref = EnumRef(name, str(kind))
        self._types[pointer] = ref
        self.enums[name] = Enum(
            name=name,
            module=self._module_for(name),
            kind=str(kind),
            members=tuple(
                self._share(("member", m.name, m.value), m) if type(m.value) is str else m
                for m in _members(values, schema.get("x-enum-varnames"))
            ),
            description=text(schema.get("description")),
            origin=pointer,
        )
        return ref




def _type_key(ref: TypeRef) -> tuple[Any, ...] | None:
    """A key that equal types, and they alone, share; None for a type that holds a Literal
    (Literal(1) == Literal(True), as 1 == True) or another type the key does not know."""
    if isinstance(ref, Primitive):
        return ("primitive", ref.kind, ref.format)
    if isinstance(ref, ModelRef):
        return ("model", ref.name)
    if isinstance(ref, EnumRef):
        return ("enum", ref.name, ref.kind)
    if isinstance(ref, AnyValue):
        return ("any", ref.reason)
    inner = ref.inner if isinstance(ref, Nullable) else ref.item if isinstance(ref, ListOf) else None
    inner = ref.value if isinstance(ref, MapOf) else inner
    key = _type_key(inner) if inner is not None else None
    return None if key is None else (type(ref).__name__, key)


def _tail(entries: dict[str, Any], count: int) -> tuple[tuple[str, Any], ...]:
    """The entries added after the first `count`: the dicts here are only added to."""
    return tuple(islice(reversed(entries.items()), len(entries) - count))[::-1]


def _last_token(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _members(values: list[Any], varnames: Any) -> tuple[EnumMember, ...]:
    names = NameAllocator({"name", "value"}, fold_case=False)
    use_varnames = isinstance(varnames, list) and len(varnames) == len(values)
    members = []
    for index, value in enumerate(values):
        raw = str(varnames[index]) if use_varnames else str(value)
        fallback = "EMPTY" if raw == "" else "VALUE"
        candidate = constant(raw, fallback)
        if raw.startswith("-") and candidate[0] != "V":
            candidate = "MINUS_" + candidate
        members.append(EnumMember(names.claim(candidate), value))
    return tuple(members)


def _value_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _format(schema: dict[str, Any]) -> str | None:
    fmt = schema.get("format")
    return fmt if isinstance(fmt, str) else None
