"""Operations: the methods on the client's resource groups, their arguments and results."""

from __future__ import annotations

from ..model import AnyValue
from .change import ADDED, CHANGED, REMOVED, Change, breaking, compatible, unseen
from .slots import compare_slot
from .surface import SENT, Method, Returns, Slot
from .types import accepts, same, spell

_SENT = frozenset({SENT})


def compare_methods(old: dict[str, Method], new: dict[str, Method]) -> list[Change]:
    changes = []
    for path in sorted(old.keys() - new.keys()):
        detail = old[path].http + _successor(old[path], [new[p] for p in new.keys() - old.keys()])
        changes.append(breaking(REMOVED, "operation", path, detail, "calling it raises AttributeError"))
    for path in sorted(new.keys() - old.keys()):
        changes.append(compatible(ADDED, "operation", path, new[path].http))
    for path in sorted(old.keys() & new.keys()):
        changes += compare_method(old[path], new[path])
    return changes


def compare_method(old: Method, new: Method) -> list[Change]:
    path = new.path
    changes = compare_arguments(old, new) + _compare_returns(old, new) + _compare_errors(old, new)
    changes += _compare_security(old, new)
    if old.http != new.http:
        changes.append(
            unseen(CHANGED, "endpoint", path, f"{old.http} -> {new.http}", "the method keeps its name and signature")
        )
    if old.paging and new.paging and old.paging != new.paging:
        changes.append(unseen(CHANGED, "pagination", path, f"{old.paging} -> {new.paging}", "iterating works the same"))
    if new.deprecated and not old.deprecated:
        changes.append(compatible(CHANGED, "operation", path, "deprecated"))
    return changes


def compare_arguments(old: Method, new: Method) -> list[Change]:
    changes = []
    for name in sorted(old.arguments.keys() - new.arguments.keys()):
        slot = old.arguments[name]
        changes.append(
            breaking(REMOVED, _subject(slot), _where(new, name), spell(slot.type), "calls passing it raise TypeError")
        )
    for name in sorted(new.arguments.keys() - old.arguments.keys()):
        slot = new.arguments[name]
        where, detail = _where(new, name), spell(slot.type) + ("" if slot.required else ", optional")
        if slot.required:
            changes.append(breaking(ADDED, _subject(slot), where, detail, "calls without it raise TypeError"))
        else:
            changes.append(compatible(ADDED, _subject(slot), where, detail))
    for name in sorted(old.arguments.keys() & new.arguments.keys()):
        slot = new.arguments[name]
        changes += compare_slot(_subject(slot), _where(new, name), old.arguments[name], slot, _SENT)
    return changes


def _compare_returns(old: Method, new: Method) -> list[Change]:
    before, after = old.returns, new.returns
    if before.shape == after.shape and same(before.type, after.type):
        return []
    detail = f"returns {_describe(before)} -> {_describe(after)}"
    if before.shape == "none":
        return [compatible(CHANGED, "result", new.path, detail, "callers had nothing to use before")]
    if after.shape == "none":
        return [breaking(CHANGED, "result", new.path, detail, "callers using the result get None")]
    if before.shape != after.shape:
        return [breaking(CHANGED, "result", new.path, detail, "the result is another kind of object")]
    assert before.type is not None and after.type is not None
    if accepts(before.type, after.type):
        return [compatible(CHANGED, "result", new.path, detail, "every new result is also an old one")]
    return [breaking(CHANGED, "result", new.path, detail, f"readers expecting {spell(before.type)} get another type")]


def _compare_errors(old: Method, new: Method) -> list[Change]:
    """The body each declared error status decodes into (`error.body`).

    An undeclared status leaves the body as plain JSON, so a status that stops being
    declared takes the typed body away from readers, while a newly declared one is a
    narrowing they do not notice.
    """
    changes = []
    for status in sorted(old.errors.keys() | new.errors.keys()):
        before, after = old.errors.get(status) or AnyValue(), new.errors.get(status) or AnyValue()
        if same(before, after):
            continue
        detail = f"error {status}: body {spell(before)} -> {spell(after)}"
        if accepts(before, after):
            changes.append(unseen(CHANGED, "error", new.path, detail, "every new body is also an old one"))
        else:
            reason = f"handlers reading error.body as {spell(before)} get another type"
            changes.append(breaking(CHANGED, "error", new.path, detail, reason))
    return changes


def _compare_security(old: Method, new: Method) -> list[Change]:
    if old.security == new.security:
        return []
    detail = f"credentials {_alternatives(old.security)} -> {_alternatives(new.security)}"
    # A caller is set up for one old alternative; it still works if a new one needs no more.
    stranded = [a for a in old.security if not any(b <= a for b in new.security)]
    if stranded:
        reason = f"callers configured for {_alternatives(frozenset(stranded))} get MissingCredentialsError"
        return [breaking(CHANGED, "auth", new.path, detail, reason)]
    return [unseen(CHANGED, "auth", new.path, detail, "what callers configured is still enough")]


def _successor(method: Method, added: list[Method]) -> str:
    """The added method on the same endpoint, if any: most likely a rename."""
    same_endpoint = sorted(m.path for m in added if m.http == method.http)
    return f" (renamed to {same_endpoint[0]}?)" if same_endpoint else ""


def _describe(returns: Returns) -> str:
    if returns.shape == "page":
        return f"SyncPage[{spell(returns.type)}]"
    if returns.shape == "stream":
        return f"Stream[{spell(returns.type)}]"
    return spell(returns.type)


def _alternatives(alternatives: frozenset[frozenset[str]]) -> str:
    return " or ".join(sorted(" + ".join(sorted(a)) or "none" for a in alternatives))


def _subject(slot: Slot) -> str:
    return slot.source if slot.source in ("body field", "body", "content type") else "parameter"


def _where(method: Method, argument: str) -> str:
    return f"{method.path}({argument}=)"
