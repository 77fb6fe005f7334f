"""The meta-schema check of a document over the units it has not found valid before.

Checking GitHub's whole document against the OpenAPI meta-schema took 0.012 s of each
validation, and needed every unit's value read (lazy_entries.py). But the meta-schemas of
every OpenAPI version judge each unit alone: above a unit, the keywords that look into a
container of units judge each entry by its name and its value (properties,
patternProperties, additionalProperties, unevaluatedProperties, propertyNames), and the
others (type, required, an anyOf of required keys) look at a container's own keys, never
at its entries. A document is then valid exactly when its remainder is, with each
container holding no entry, and when each unit is, wherever it sits. So a unit found valid
in an earlier valid document, under the same pointer and with the same digest, is valid
again; only the others need checking, in a document made of the remainder and of them.

judges_units_alone shows that of a meta-schema, from its keywords, for each container a
document has; where it cannot, the whole document is checked as before. The check asks the
compiled validator only for "valid": any finding comes from checking the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ..errors import join_pointer
from .refs import PointerError, ref_pointer, resolve_pointer
from .units import UnitDigest, entry_pointer, unit_containers

__all__ = ["KeptChecks", "OperationIds", "judges_units_alone", "with_units_only"]

# Keywords that say nothing of the instance, or were followed into the schemas they name.
_NOTES = frozenset({"$schema", "$id", "id", "$comment", "title", "description", "$defs", "definitions", "$ref", "allOf"})
# Keywords that judge each member of an object by its name and value alone.
_PER_MEMBER = frozenset({"properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "propertyNames"})
# Keywords that judge an object's own keys, which a document with its containers emptied
# keeps: allowed above a container, not on one (whose keys are units).
_OWN_KEYS = frozenset({"required"})
_ALTERNATIVES = ("anyOf", "oneOf")


def judges_units_alone(meta_schema: dict[str, Any], container: tuple[str, ...]) -> bool:
    """Whether the meta-schema judges each entry of the container at `container` (keys from
    the root) by its name and value alone, with nothing above it reading more than one."""
    return _judges_alone(_Frozen(meta_schema), container)


class _Frozen:
    """A meta-schema, hashable by identity, for caching what is shown of it."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def __hash__(self) -> int:
        return id(self.schema)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Frozen) and other.schema is self.schema


@cache
def _judges_alone(meta: _Frozen, container: tuple[str, ...]) -> bool:
    applied = _applied([meta.schema], meta.schema)
    for key in container:
        if applied is None or not all(_above_units(schema, last=False) for schema in applied):
            return False
        applied = _applied(_member_schemas(applied, key), meta.schema)
    return applied is not None and all(_above_units(schema, last=True) for schema in applied)


def _above_units(schema: Any, last: bool) -> bool:
    """Whether `schema`, applied to the root, `components` or (`last`) a container of units,
    judges the entries of the containers below one by one (see the module)."""
    if isinstance(schema, bool):
        return True
    allowed = _NOTES | _PER_MEMBER | {"type"} | (frozenset() if last else _OWN_KEYS | set(_ALTERNATIVES))
    if not set(schema) <= allowed:
        return False
    # Alternatives may only ask for keys, which a document with its containers emptied keeps.
    asks_keys = _OWN_KEYS | (_NOTES - {"$ref", "allOf"})
    return all(isinstance(branch, dict) and set(branch) <= asks_keys for key in _ALTERNATIVES for branch in schema.get(key, ()))


def _applied(schemas: list[Any], root: dict[str, Any]) -> list[Any] | None:
    """The schemas applied to one instance: these and those their $ref and allOf name, at
    any depth; None when a $ref is not to a place in the meta-schema itself."""
    found: list[Any] = []
    todo = list(schemas)
    while todo:
        schema = todo.pop()
        if any(schema is seen for seen in found):
            continue
        found.append(schema)
        if isinstance(schema, dict):
            ref = schema.get("$ref")
            if ref is not None:
                pointer = ref_pointer(ref) if isinstance(ref, str) else None
                if pointer is None:
                    return None
                try:
                    todo.append(resolve_pointer(root, pointer))
                except PointerError:
                    return None
            todo.extend(schema.get("allOf", ()))
    return found


def _member_schemas(applied: list[Any], key: str) -> list[Any]:
    """The schemas that the member `key` of an object is judged by, under `applied`."""
    found: list[Any] = []
    evaluated = False
    for schema in applied:
        if not isinstance(schema, dict):
            continue
        named = [schema["properties"][key]] if key in schema.get("properties", {}) else []
        named += [sub for pattern, sub in schema.get("patternProperties", {}).items() if re.search(pattern, key)]
        if not named and "additionalProperties" in schema:
            named.append(schema["additionalProperties"])
        evaluated = evaluated or bool(named)
        found += named
    if not evaluated:
        found += [schema["unevaluatedProperties"] for schema in applied if isinstance(schema, dict) and "unevaluatedProperties" in schema]
    return found


def with_units_only(root: dict[str, Any], kept: Callable[[str], bool]) -> dict[str, Any]:
    """The root with each container of units holding only the units whose pointer `kept`
    takes (the remainder whole), of plain dicts: for the compiled validator."""
    made = dict(root)
    for keys, container in unit_containers(root):
        prefix = join_pointer("", *keys)
        entries = {name: container[name] for name in container if kept(entry_pointer(prefix, name))}
        if len(keys) == 1:
            made[keys[0]] = entries
        else:
            made[keys[0]] = {**made[keys[0]], keys[1]: entries}
    return made


# A path item's operationIds, each with where it is (the tokens of its pointer), in order.
OperationIds = list[tuple[list[str], Any]]


class KeptChecks:
    """What earlier validations found of units, each under its pointer with its digest:
    the units the meta-schema found valid in the latest valid document, and each path
    item's operationIds (for the check of their uniqueness, which spans path items). Kept
    between runs by the caller, for one meta-schema and salted with the validating code."""

    def __init__(self, valid: dict[str, str], operation_ids: dict[str, tuple[str, OperationIds]]) -> None:
        self.valid = valid
        self.operation_ids: dict[str, tuple[str, OperationIds]] = {}  # this run's, to keep
        self._last_ids = operation_ids

    def unjudged(self, read: dict[str, UnitDigest]) -> Callable[[str], bool]:
        """Whether a unit, of the digests `read`, was not found valid before."""
        valid = self.valid
        return lambda pointer: pointer not in read or valid.get(pointer) != read[pointer][0]

    def all_valid(self, read: dict[str, UnitDigest]) -> None:
        self.valid = {pointer: digest for pointer, (digest, _) in read.items()}

    def operation_ids_of(self, pointer: str, digest: str) -> OperationIds | None:
        """The operationIds of the path item at `pointer` while its digest is `digest`."""
        kept = self._last_ids.get(pointer)
        if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == digest and isinstance(kept[1], list)):
            return None
        self.operation_ids[pointer] = kept
        return kept[1]

    def keep_operation_ids(self, pointer: str, digest: str, found: OperationIds) -> None:
        self.operation_ids[pointer] = (digest, found)
