"""Models and enums: the classes a caller imports from `<package>.models`.

A name that disappears breaks whoever names it, whatever the class is used for. What a
changed field or value means depends on which way the class travels: see surface.SENT/READ.
"""

from __future__ import annotations

from .change import ADDED, CHANGED, REMOVED, Change, breaking, compatible, unseen
from .slots import compare_slot
from .surface import ARGUMENTS, READ, SENT, EnumShape, ModelShape
from .types import spell

_UNUSED = "no operation sends or returns it"


def compare_models(old: dict[str, ModelShape], new: dict[str, ModelShape]) -> list[Change]:
    changes = []
    for name in sorted(old.keys() - new.keys()):
        changes.append(breaking(REMOVED, "model", name, "", "importing it raises ImportError"))
    for name in sorted(new.keys() - old.keys()):
        changes.append(compatible(ADDED, "model", name, _fields(new[name])))
    for name in sorted(old.keys() & new.keys()):
        changes += compare_model(old[name], new[name])
    return changes


def compare_model(old: ModelShape, new: ModelShape) -> list[Change]:
    changes = []
    if new.deprecated and not old.deprecated:
        changes.append(compatible(CHANGED, "model", new.name, "deprecated"))
    uses = old.uses | new.uses
    directions = uses & {SENT, READ}
    if not directions and ARGUMENTS in uses:
        return changes  # only ever a method's keyword arguments: compared there, once
    for name in sorted(old.fields.keys() - new.fields.keys()):
        detail = spell(old.fields[name].type)
        changes.append(breaking(REMOVED, "field", f"{new.name}.{name}", detail, _removed_field_reason(directions)))
    for name in sorted(new.fields.keys() - old.fields.keys()):
        changes.append(_added_field(new, name, directions))
    for name in sorted(old.fields.keys() & new.fields.keys()):
        path = f"{new.name}.{name}"
        changes += compare_slot("field", path, old.fields[name], new.fields[name], directions)
    return changes


def _removed_field_reason(directions: frozenset[str]) -> str:
    if READ in directions:
        return "reading it raises AttributeError"
    if SENT in directions:
        return "passing it raises TypeError"
    return "code naming it fails"


def _added_field(model: ModelShape, name: str, directions: frozenset[str]) -> Change:
    field = model.fields[name]
    path, detail = f"{model.name}.{name}", spell(field.type) + ("" if field.required else ", optional")
    if field.required and SENT in directions:
        return breaking(ADDED, "field", path, detail, f"creating a {model.name} without it raises TypeError")
    if not directions:
        return unseen(ADDED, "field", path, detail, _UNUSED)
    return compatible(ADDED, "field", path, detail)


def compare_enums(old: dict[str, EnumShape], new: dict[str, EnumShape]) -> list[Change]:
    changes = []
    for name in sorted(old.keys() - new.keys()):
        changes.append(breaking(REMOVED, "enum", name, "", "importing it raises ImportError"))
    for name in sorted(new.keys() - old.keys()):
        changes.append(compatible(ADDED, "enum", name, _values(new[name])))
    for name in sorted(old.keys() & new.keys()):
        changes += compare_enum(old[name], new[name])
    return changes


def compare_enum(old: EnumShape, new: EnumShape) -> list[Change]:
    if old.kind != new.kind:
        return [breaking(CHANGED, "enum", new.name, f"{old.kind} -> {new.kind}", "every value changes type")]
    changes = []
    for value in _ordered(old.members.keys() - new.members.keys()):
        path = f"{new.name}.{old.members[value]}"
        changes.append(breaking(REMOVED, "enum value", path, repr(value), _removed_value_reason(new)))
    for value in _ordered(new.members.keys() - old.members.keys()):
        path = f"{new.name}.{new.members[value]}"
        reason = "readers already get values the client does not list" if READ in new.uses else ""
        changes.append(compatible(ADDED, "enum value", path, repr(value), reason))
    for value in _ordered(old.members.keys() & new.members.keys()):
        before, after = old.members[value], new.members[value]
        if before != after:
            detail = f"{value!r} is now {new.name}.{after}"
            reason = f"code naming {new.name}.{before} raises AttributeError"
            changes.append(breaking(CHANGED, "enum value", f"{new.name}.{before}", detail, reason))
    return changes


def _removed_value_reason(enum: EnumShape) -> str:
    if SENT in enum.uses:
        return "the API no longer accepts it, and naming the member raises AttributeError"
    return "code naming the member raises AttributeError"


def _ordered(values: set[str | int | float | bool]) -> list[str | int | float | bool]:
    """Enum values of mixed JSON types sorted one way every run."""
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _fields(model: ModelShape) -> str:
    return ", ".join(model.fields)


def _values(enum: EnumShape) -> str:
    return ", ".join(repr(v) for v in enum.members)
