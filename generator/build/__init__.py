"""OpenAPI document (one dialect, after normalize) to the API model."""

from __future__ import annotations

import json
from typing import Any

from ..config import NameOverrides
from ..errors import Diagnostic
from ..model import Api, Server
from ..spec.units import UnitDigest
from .auth import security_schemes
from .memo import ComponentMemo, NodeDigests, components_key
from .context import BuildContext, Locate, plain_diagnostic, text
from .naming import class_name, identifier, snake
from .operations import OperationBuilder
from .operations_memo import OperationMemo
from .rename import apply_names
from .schemas import SchemaBuilder

__all__ = ["ComponentMemo", "OperationMemo", "build_api", "default_names"]


def default_names(root: dict[str, Any]) -> tuple[str, str]:
    """The package name and client class name a spec's title suggests."""
    info: dict[str, Any] = root["info"] if isinstance(root.get("info"), dict) else {}
    title: str = info["title"] if isinstance(info.get("title"), str) else ""
    package = snake(title) or "client"
    if package[0].isdigit():
        package = "api_" + package
    return identifier(package, "api"), class_name(title, "Client") if title else "Client"


def build_api(
    root: dict[str, Any],
    *,
    package: str | None = None,
    client_class: str | None = None,
    locate: Locate = plain_diagnostic,
    names: NameOverrides | None = None,
    memo: ComponentMemo | None = None,
    operations_memo: OperationMemo | None = None,
    unit_digests: dict[str, UnitDigest] | None = None,
) -> tuple[Api, list[Diagnostic]]:
    """Build the API model; returns it with the warnings found on the way. `names` renames
    groups, methods and models (see rename.py). `memo` may hold the component schemas'
    build from an earlier run, and `operations_memo` the resource groups' (see memo.py and
    operations_memo.py); each keeps this run's. `unit_digests` are those of root's units
    that the loader found (units.py), which the memos' keys are made of."""
    ctx = BuildContext(root, locate)
    ctx.mapping(root.get("info", {}), "/info", "info")
    default_package, default_class = default_names(root)
    package = package or default_package
    client_class = client_class or default_class
    schemas = SchemaBuilder(ctx)
    nodes = NodeDigests(root, unit_digests)
    components_key = _components(schemas, memo, nodes, operations_memo is not None)
    env_prefix = package.upper()
    schemes = security_schemes(ctx, env_prefix)
    if operations_memo is not None:
        # Besides its path items, every group reads the security schemes and the default security.
        security = json.dumps(root.get("security"), default=repr)
        operations_memo.start(f"{components_key}\0{schemes!r}\0{security}", nodes)
    groups = OperationBuilder(ctx, schemas, schemes, operations_memo).build_groups()
    info = root.get("info") or {}
    api = Api(
        title=text(info.get("title")) or client_class,
        version=str(info.get("version", "")),
        description=text(info.get("description")),
        package=package,
        client_class=client_class,
        servers=_servers(root),
        groups=tuple(groups),
        models=tuple(sorted(schemas.models.values(), key=lambda m: m.name)),
        enums=tuple(sorted(schemas.enums.values(), key=lambda e: e.name)),
        env_prefix=env_prefix,
        security_schemes=schemes,
    )
    return apply_names(api, names or NameOverrides()), ctx.warnings


def _components(schemas: SchemaBuilder, memo: ComponentMemo | None, nodes: NodeDigests, keyed: bool) -> str:
    """Build the component schemas, or take them from the memo; the key of what they read
    (when there is a memo, or `keyed` asks for it)."""
    root = schemas.ctx.root
    key = memo.key(root, nodes) if memo is not None else components_key(root, "", nodes) if keyed else ""
    state = memo.get(key) if memo is not None else None
    if state is not None:
        schemas.resume(state)
        return key
    state = schemas.build_components()
    if memo is not None:
        memo.keep(key, state)
    return key


def _servers(root: dict[str, Any]) -> tuple[Server, ...]:
    servers = []
    for entry in root.get("servers") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            continue
        variables: dict[str, Any] = entry["variables"] if isinstance(entry.get("variables"), dict) else {}
        pairs = tuple(
            (str(name), str(var.get("default", "")))
            for name, var in variables.items()
            if isinstance(var, dict)
        )
        servers.append(Server(entry["url"], text(entry.get("description")), pairs))
    return tuple(servers)
