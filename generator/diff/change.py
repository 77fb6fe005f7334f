"""One difference between two clients' public surfaces, and what it means for a caller."""

from __future__ import annotations

from dataclasses import dataclass

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
MAJOR, MINOR, PATCH = "major", "minor", "patch"
BUMPS = (MAJOR, MINOR, PATCH)
# The order a report lists subjects in: the client, then its methods, then the models.
_AREAS = {"package": 0, "client": 0, "base URL": 0, "credential": 0, "model": 2, "field": 2, "enum": 3, "enum value": 3}


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a client, and the version bump it calls for."""

    kind: str  # ADDED, REMOVED or CHANGED
    subject: str  # "operation", "parameter", "body field", "result", "model", "field", "enum value", ...
    path: str  # the Python name a caller writes: "pets.list", "pets.list(limit=)", "Pet.owner"
    detail: str  # what changed, in the client's Python terms
    bump: str  # the least version bump this change calls for: MAJOR, MINOR or PATCH
    reason: str = ""  # why it breaks a caller, or why it does not

    @property
    def breaking(self) -> bool:
        return self.bump == MAJOR

    def sort_key(self) -> tuple[int, int, str, str, str, str]:
        return BUMPS.index(self.bump), _AREAS.get(self.subject, 1), self.path, self.subject, self.kind, self.detail


def breaking(kind: str, subject: str, path: str, detail: str, reason: str) -> Change:
    return Change(kind, subject, path, detail, MAJOR, reason)


def compatible(kind: str, subject: str, path: str, detail: str, reason: str = "") -> Change:
    """A change a caller can take up without touching code: new or relaxed surface."""
    return Change(kind, subject, path, detail, MINOR, reason)


def unseen(kind: str, subject: str, path: str, detail: str, reason: str = "") -> Change:
    """A change below the client's signatures: the HTTP underneath, defaults, behaviour."""
    return Change(kind, subject, path, detail, PATCH, reason)
