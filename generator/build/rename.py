"""Name overrides from the configuration, applied to the finished API model.

Overrides are keyed by the names codegen gives without them (what a user sees in the
generated code): groups by attribute, methods by `group.method`, models and enums by class
name. Renaming after the build, rather than while naming, keeps every other name exactly
where it was: an override never shifts an unrelated name. An override of something that
does not exist, or onto a name already taken, is an error with a suggestion.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass, replace
from typing import Any

from ..config import NameOverrides, suggest
from ..errors import UsageError
from ..model import (
    Api,
    Enum,
    EnumRef,
    Model,
    ModelRef,
    Operation,
    RequestBody,
    ResourceGroup,
)
from .naming import RESERVED_CLASS_NAMES, TYPE_NAMES, class_name, module_name

# Attributes of the client and of resource classes that a group or method may not take.
CLIENT_ATTRS = frozenset({"with_options", "close", "copy", "base_url", "timeout", "max_retries"})
RESOURCE_ATTRS = frozenset({"with_raw_response", "with_streaming_response", "with_options"})


def apply_names(api: Api, names: NameOverrides) -> Api:
    if not names:
        return api
    if names.models:
        api = _rename_models(api, dict(names.models))
    if names.methods:
        existing = [f"{g.name}.{op.name}" for g in api.groups for op in g.operations]
        _check_used("names.methods", names.methods, existing, "method")
        api = replace(api, groups=tuple(_rename_methods(g, names.methods) for g in api.groups))
    if names.groups:
        api = _rename_groups(api, dict(names.groups))
    return api


def _check_used(option: str, overrides: Mapping[str, str], existing: Iterable[str], what: str) -> None:
    known = sorted(existing)
    for old in overrides:
        if old not in known:
            raise UsageError(f"{option}: the client has no {what} {old!r}{suggest(old, known)}")


def _check_free(option: str, new: str, taken: Iterable[str], *, fold: bool = False) -> None:
    key = new.lower() if fold else new
    if key in {t.lower() if fold else t for t in taken}:
        raise UsageError(f"{option}: the name {new!r} is already taken")


# -- models and enums -------------------------------------------------------------------


def _rename_models(api: Api, renames: dict[str, str]) -> Api:
    current = [m.name for m in api.models] + [e.name for e in api.enums]
    _check_used("names.models", renames, current, "model or enum")
    final = [renames.get(n, n) for n in current]
    own = {m.name: m.module for m in api.models} | {e.name: e.module for e in api.enums}
    modules = {n: (module_name(renames[n]) if n in renames else own[n]) for n in current}
    for old, new in renames.items():
        if new in RESERVED_CLASS_NAMES:
            raise UsageError(f"names.models: {new!r} is a name the generated code uses itself")
        _check_free(f"names.models.{old}", new, [f for f, n in zip(final, current) if n != old])
        _check_free(f"names.models.{old}", modules[old], [m for n, m in modules.items() if n != old], fold=True)
    renamed = _rewrite(api, renames, modules)
    return replace(
        renamed,
        models=tuple(sorted(renamed.models, key=lambda m: m.name)),
        enums=tuple(sorted(renamed.enums, key=lambda e: e.name)),
    )


def _rewrite(node: Any, renames: dict[str, str], modules: dict[str, str]) -> Any:
    """`node` with every reference to a renamed model or enum following it."""
    if isinstance(node, (ModelRef, EnumRef)):
        return replace(node, name=renames[node.name]) if node.name in renames else node
    if isinstance(node, tuple):
        items = tuple(_rewrite(x, renames, modules) for x in node)
        return node if all(a is b for a, b in zip(items, node)) else items
    if not is_dataclass(node) or isinstance(node, type):
        return node
    changes = {}
    for f in fields(node):
        if not f.init:  # made from the others (ResourceGroup.summary): made again by replace
            continue
        value = getattr(node, f.name)
        new = _rewrite(value, renames, modules)
        if new is not value:
            changes[f.name] = new
    if isinstance(node, (Model, Enum)) and node.name in renames:
        changes.update(name=renames[node.name], module=modules[node.name])
    if isinstance(node, RequestBody) and node.model in renames:
        changes["model"] = renames[node.model]
    return replace(node, **changes) if changes else node


# -- methods ----------------------------------------------------------------------------


def _rename_methods(group: ResourceGroup, renames: Mapping[str, str]) -> ResourceGroup:
    mine = {key.split(".", 1)[1]: new for key, new in renames.items() if key.split(".", 1)[0] == group.name}
    if not mine:
        return group
    names = [op.name for op in group.operations]
    operations: list[Operation] = []
    for op in group.operations:
        new = mine.get(op.name)
        if new is None:
            operations.append(op)
            continue
        option = f"names.methods.{group.name}.{op.name}"
        if new in RESOURCE_ATTRS or new in TYPE_NAMES or new.startswith("_"):
            raise UsageError(f"{option}: {new!r} cannot be a method name (it would shadow a name the class needs)")
        _check_free(option, new, [mine.get(n, n) for n in names if n != op.name])
        operations.append(replace(op, name=new))
    return replace(group, operations=tuple(operations))


# -- groups -----------------------------------------------------------------------------


def _rename_groups(api: Api, renames: dict[str, str]) -> Api:
    _check_used("names.groups", renames, [g.name for g in api.groups], "group")
    stems = {n[len("Async") if n.startswith("Async") else 0 : -len("Resource")] for n in _class_names(api) if n.endswith("Resource")}
    groups = []
    for group in api.groups:
        new = renames.get(group.name)
        if new is None:
            groups.append(group)
            continue
        option = f"names.groups.{group.name}"
        if new in CLIENT_ATTRS or new.startswith("_") or keyword.iskeyword(new):
            raise UsageError(f"{option}: {new!r} cannot be a group name (the client has an attribute of that name)")
        others = [g for g in api.groups if g is not group]
        _check_free(option, new, [renames.get(g.name, g.name) for g in others])
        stem, module = class_name(new, "Group"), module_name(new)
        _check_free(option + " (its class)", stem, [*(_final_stem(g, renames) for g in others), *stems], fold=True)
        _check_free(option + " (its module)", module, [_final_module(g, renames) for g in others], fold=True)
        groups.append(replace(group, name=new, class_name=stem, module=module))
    return replace(api, groups=tuple(groups))


def _class_names(api: Api) -> list[str]:
    return [m.name for m in api.models] + [e.name for e in api.enums]


def _final_stem(group: ResourceGroup, renames: dict[str, str]) -> str:
    return class_name(renames[group.name], "Group") if group.name in renames else group.class_name


def _final_module(group: ResourceGroup, renames: dict[str, str]) -> str:
    return module_name(renames[group.name]) if group.name in renames else group.module
