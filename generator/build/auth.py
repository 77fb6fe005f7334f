"""Security schemes and requirements: how the API authenticates, and what each operation needs.

`security_schemes` reads `components.securitySchemes` into SecurityScheme objects, each with
the client constructor arguments (and environment variables) that configure it;
`operation_security` resolves an operation's `security` (or the document's) into the
alternatives the runtime chooses between. Both are pure functions of the document.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from ..errors import join_pointer
from ..model import Credential, SecurityRequirement, SecurityScheme
from .context import BuildContext
from .naming import NameAllocator, identifier, snake

# Constructor arguments every client has: a scheme's arguments never take these names.
CLIENT_ARGUMENTS = frozenset(
    {
        "self", "base_url", "server_variables", "timeout", "max_retries", "default_headers",
        "http_client", "on_request", "on_response", "auth",
    }
)
_API_KEY_LOCATIONS = ("header", "query", "cookie")


def security_schemes(ctx: BuildContext, env_prefix: str) -> tuple[SecurityScheme, ...]:
    """Every scheme the document declares, in its order, with the arguments that configure it."""
    components = ctx.root.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(declared, dict):
        return ()
    raw: list[SecurityScheme] = []
    for key, entry in declared.items():
        pointer = join_pointer("/components/securitySchemes", str(key))
        node, node_pointer = ctx.deref(entry, pointer)
        if not isinstance(node, dict):
            ctx.warn("a security scheme must be an object; ignored", node_pointer)
            continue
        scheme = _scheme(ctx, str(key), node, node_pointer)
        if scheme is not None:
            raw.append(scheme)
    return _with_credentials(raw, env_prefix)


def _scheme(ctx: BuildContext, key: str, node: dict[str, Any], pointer: str) -> SecurityScheme | None:
    kind = node.get("type")
    description = node["description"].strip() if isinstance(node.get("description"), str) else ""
    if kind == "apiKey":
        location = node.get("in")
        name = node.get("name")
        if location not in _API_KEY_LOCATIONS or not isinstance(name, str) or not name:
            ctx.warn("an apiKey scheme needs `name` and `in` (header, query or cookie); ignored", pointer)
            return None
        return SecurityScheme(key, "api_key", description, location=str(location), param=name)
    if kind == "http":
        word = node.get("scheme")
        if not isinstance(word, str) or not word.strip():
            ctx.warn("an http scheme needs `scheme` (bearer, basic, ...); taken as bearer", pointer)
            word = "bearer"
        lower = word.strip().lower()
        if lower == "basic":
            return SecurityScheme(key, "basic", description, scheme="Basic")
        if lower == "digest":
            return SecurityScheme(key, "digest", description, scheme="Digest")
        return SecurityScheme(key, "http", description, scheme="Bearer" if lower == "bearer" else word.strip())
    if kind == "oauth2":
        flows: dict[str, Any] = node["flows"] if isinstance(node.get("flows"), dict) else {}
        names = tuple(str(f) for f in flows if isinstance(flows[f], dict))
        token_url = ""
        client = flows.get("clientCredentials")
        if isinstance(client, dict):
            if isinstance(client.get("tokenUrl"), str) and client["tokenUrl"].strip():
                token_url = client["tokenUrl"].strip()
            else:
                ctx.warn("the clientCredentials flow has no tokenUrl; tokens must be given", join_pointer(pointer, "flows", "clientCredentials"))
        scopes = sorted(
            {str(s) for f in names for s in (flows[f].get("scopes") or {}) if isinstance(flows[f].get("scopes"), dict)}
        )
        return SecurityScheme(key, "oauth2", description, token_url=token_url, flows=names, scopes=tuple(scopes))
    if kind == "openIdConnect":
        # The discovery document is the user's business: the client sends the token as bearer.
        return SecurityScheme(key, "oauth2", description, flows=("openIdConnect",))
    if kind == "mutualTLS":
        return SecurityScheme(key, "none", description)
    ctx.warn(f"unknown security scheme type {kind!r}; operations needing it send no credentials for it", pointer)
    return SecurityScheme(key, "none", description)


def _with_credentials(schemes: list[SecurityScheme], env_prefix: str) -> tuple[SecurityScheme, ...]:
    """Give each scheme its constructor arguments: plain names (api_key, bearer_token,
    username, client_id, ...) when one scheme of a kind has them to itself, else prefixed
    with the scheme's name."""
    wanted: dict[str, list[tuple[str, str, bool]]] = {}  # key -> [(plain name, role, callable)]
    for scheme in schemes:
        wanted[scheme.key] = _plain_arguments(scheme)
    counts: dict[str, int] = {}
    for arguments in wanted.values():
        for name, _, _ in arguments:
            counts[name] = counts.get(name, 0) + 1
    names = NameAllocator(CLIENT_ARGUMENTS)
    out = []
    for scheme in schemes:
        credentials = []
        for plain, role, is_callable in wanted[scheme.key]:
            prefixed = _prefixed(scheme, plain)
            name = names.claim(plain, prefixed) if counts[plain] == 1 else names.claim(prefixed)
            credentials.append(
                Credential(
                    argument=name,
                    env=f"{env_prefix}_{name.upper()}",
                    role=role,
                    secret=role not in ("username", "token_url", "client_id"),
                    callable=is_callable,
                    default=scheme.token_url if role == "token_url" else "",
                )
            )
        out.append(_replace(scheme, credentials=tuple(credentials)))
    return tuple(out)


def _plain_arguments(scheme: SecurityScheme) -> list[tuple[str, str, bool]]:
    if scheme.kind == "api_key":
        return [("api_key", "key", False)]
    if scheme.kind == "http":
        return [("bearer_token" if scheme.scheme == "Bearer" else "token", "token", True)]
    if scheme.kind in ("basic", "digest"):
        return [("username", "username", False), ("password", "password", False)]
    if scheme.kind == "oauth2":
        arguments = [("access_token", "token", True)]
        if scheme.token_url:
            arguments += [("client_id", "client_id", False), ("client_secret", "client_secret", False), ("token_url", "token_url", False)]
        return arguments
    return []


def _prefixed(scheme: SecurityScheme, plain: str) -> str:
    base = identifier(scheme.key, "auth")
    if scheme.kind == "api_key":
        return base  # several keys: each by its scheme's name (plaid: client_id, secret, ...)
    if plain in ("token", "bearer_token", "access_token") and snake(scheme.key).endswith("token"):
        return base
    return f"{base}_{plain}"


def _replace(scheme: SecurityScheme, **changes: Any) -> SecurityScheme:
    return replace(scheme, **changes)


def operation_security(
    ctx: BuildContext,
    node: dict[str, Any],
    pointer: str,
    schemes: Iterable[SecurityScheme],
) -> tuple[SecurityRequirement, ...]:
    """The alternatives of credentials an operation accepts: its own `security`, else the
    document's. `security: []` (or none anywhere) needs none; an empty requirement `{}`
    among the alternatives makes credentials optional."""
    if "security" in node:
        listed, where = node["security"], join_pointer(pointer, "security")
    elif "security" in ctx.root:
        listed, where = ctx.root["security"], "/security"
    else:
        return ()
    if not isinstance(listed, list):
        ctx.warn("`security` must be an array of requirements; ignored", where)
        return ()
    known = {s.key for s in schemes}
    alternatives: list[SecurityRequirement] = []
    for index, requirement in enumerate(listed):
        if not isinstance(requirement, dict):
            ctx.warn("a security requirement must be an object; ignored", join_pointer(where, index))
            continue
        missing = [str(name) for name in requirement if str(name) not in known]
        if missing:
            ctx.warn(
                f"security requirement names undeclared scheme(s) {', '.join(missing)}; this alternative is ignored",
                join_pointer(where, index),
            )
            continue
        entry = SecurityRequirement(tuple(str(name) for name in requirement))
        if entry not in alternatives:
            alternatives.append(entry)
    if listed and not alternatives:
        return ()
    # Nothing after an anonymous alternative can matter: it always applies.
    for index, entry in enumerate(alternatives):
        if not entry.schemes:
            return tuple(alternatives[: index + 1])
    return tuple(alternatives)
