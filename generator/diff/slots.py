"""The rules for one value slot (a method argument or a model field) present in both versions.

Which rules apply depends on the way values travel: a sender breaks when the new slot
refuses something the old one took; a reader breaks when the new slot can hand back
something the old one never did.
"""

from __future__ import annotations

from .change import CHANGED, Change, breaking, compatible, unseen
from .surface import READ, SENT, Slot
from .types import accepts, same, spell


def compare_slot(subject: str, path: str, old: Slot, new: Slot, directions: frozenset[str]) -> list[Change]:
    changes: list[Change] = []
    differences = _differences(old, new)
    if differences:
        detail = "; ".join(differences)
        problems = _problems(old, new, directions)
        if problems:
            changes.append(breaking(CHANGED, subject, path, detail, "; ".join(problems)))
        elif directions:
            changes.append(compatible(CHANGED, subject, path, detail))
        else:
            changes.append(unseen(CHANGED, subject, path, detail, "no operation sends or returns it"))
    if old.source and new.source and old.source != new.source:
        changes.append(
            unseen(CHANGED, subject, path, f"sent as {old.source} -> {new.source}", "the argument keeps its name")
        )
    if new.deprecated and not old.deprecated:
        changes.append(compatible(CHANGED, subject, path, "deprecated"))
    return changes


def may_be_none(slot: Slot) -> bool:
    """Whether a reader can find None in it: an optional field is None when absent."""
    return slot.nullable or not slot.required


def _differences(old: Slot, new: Slot) -> list[str]:
    differences = []
    if not same(old.type, new.type):
        differences.append(f"type {spell(old.type)} -> {spell(new.type)}")
    if old.required != new.required:
        differences.append("optional -> required" if new.required else "required -> optional")
    if old.nullable != new.nullable:
        differences.append("now nullable" if new.nullable else "no longer nullable")
    return differences


def _problems(old: Slot, new: Slot, directions: frozenset[str]) -> list[str]:
    problems = []
    if SENT in directions:
        if not accepts(new.type, old.type):
            problems.append(f"a {spell(old.type)} that callers pass is not a {spell(new.type)}")
        if new.required and not old.required:
            problems.append("leaving it out now fails")
        if old.nullable and not new.nullable:
            problems.append("passing None no longer sends null")
    if READ in directions:
        if not accepts(old.type, new.type):
            problems.append(f"readers expecting {spell(old.type)} may get {spell(new.type)}")
        if may_be_none(new) and not may_be_none(old):
            problems.append("readers may now get None")
    return problems
