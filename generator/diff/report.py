"""A list of changes for people (text) and for CI (JSON), with the version bump it calls for."""

from __future__ import annotations

import json
from typing import Any

from .change import MAJOR, MINOR, PATCH, Change
from .surface import Surface

_SECTIONS = (
    (MAJOR, "Breaking"),
    (MINOR, "Additions and compatible changes"),
    (PATCH, "Other changes (not visible in signatures)"),
)
_SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def semver(changes: list[Change]) -> str:
    """The least bump: major for anything breaking, minor for anything new or relaxed, else patch."""
    bumps = {change.bump for change in changes}
    for bump in (MAJOR, MINOR, PATCH):
        if bump in bumps:
            return bump
    return "none"


def text_report(old: Surface, new: Surface, changes: list[Change]) -> str:
    lines = [f"{new.title}: {old.version or '?'} -> {new.version or '?'}"]
    changes = sorted(changes, key=Change.sort_key)
    for bump, title in _SECTIONS:
        section = [change for change in changes if change.bump == bump]
        if section:
            lines += ["", f"{title} ({len(section)}):"]
            lines += [_line(change) for change in section]
    if not changes:
        lines += ["", "No changes to the client's public surface."]
    lines += ["", _verdict(changes)]
    return "\n".join(lines) + "\n"


def json_report(old: Surface, new: Surface, changes: list[Change]) -> str:
    document: dict[str, Any] = {
        "old": {"title": old.title, "version": old.version},
        "new": {"title": new.title, "version": new.version},
        "semver": semver(changes),
        "breaking": sum(change.breaking for change in changes),
        "changes": [_record(change) for change in sorted(changes, key=Change.sort_key)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _line(change: Change) -> str:
    line = f"  {_SIGNS[change.kind]} {change.subject} {change.path} {change.kind}"
    if change.detail:
        line += f": {change.detail}"
    if change.reason:
        line += f" -- {change.reason}"
    return line


def _verdict(changes: list[Change]) -> str:
    bump = semver(changes)
    count = sum(change.breaking for change in changes)
    if bump == MAJOR:
        return f"Suggested version bump: major ({count} breaking change{'s' if count != 1 else ''})"
    return f"Suggested version bump: {bump}"


def _record(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "subject": change.subject,
        "path": change.path,
        "breaking": change.breaking,
        "bump": change.bump,
        "detail": change.detail,
        "reason": change.reason,
    }
