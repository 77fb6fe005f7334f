"""Two clients' public surfaces to the list of changes between them, most serious first."""

from __future__ import annotations

from .change import ADDED, CHANGED, REMOVED, Change, breaking, compatible, unseen
from .models import compare_enums, compare_models
from .operations import compare_methods
from .surface import Surface


def compare(old: Surface, new: Surface) -> list[Change]:
    changes = _compare_client(old, new) + _compare_credentials(old, new)
    changes += compare_methods(old.methods, new.methods)
    changes += compare_models(old.models, new.models)
    changes += compare_enums(old.enums, new.enums)
    return sorted(changes, key=Change.sort_key)


def _compare_client(old: Surface, new: Surface) -> list[Change]:
    changes = []
    if old.package != new.package:
        reason = f"`import {old.package}` raises ImportError"
        changes.append(breaking(CHANGED, "package", new.package, f"{old.package} -> {new.package}", reason))
    if old.client_class != new.client_class:
        reason = f"importing {old.client_class} raises ImportError"
        detail = f"{old.client_class} -> {new.client_class}"
        changes.append(breaking(CHANGED, "client", new.client_class, detail, reason))
    if old.base_url != new.base_url:
        detail = f"{old.base_url or '(none)'} -> {new.base_url or '(none)'}"
        reason = "the default: calls go elsewhere unless the caller sets one"
        changes.append(unseen(CHANGED, "base URL", f"{new.client_class}(base_url=)", detail, reason))
    return changes


def _compare_credentials(old: Surface, new: Surface) -> list[Change]:
    """The client's constructor arguments for credentials, and their environment variables."""
    changes = []
    for argument in sorted(old.credentials.keys() - new.credentials.keys()):
        where = f"{new.client_class}({argument}=)"
        changes.append(breaking(REMOVED, "credential", where, old.credentials[argument], "passing it raises TypeError"))
    for argument in sorted(new.credentials.keys() - old.credentials.keys()):
        where = f"{new.client_class}({argument}=)"
        changes.append(compatible(ADDED, "credential", where, f"or ${new.credentials[argument]}"))
    for argument in sorted(old.credentials.keys() & new.credentials.keys()):
        before, after = old.credentials[argument], new.credentials[argument]
        if before != after:
            where, detail = f"{new.client_class}({argument}=)", f"${before} -> ${after}"
            changes.append(breaking(CHANGED, "credential", where, detail, f"a credential set in ${before} is not read"))
    return changes
