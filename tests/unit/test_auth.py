"""The builder's reading of security: schemes, their constructor arguments and environment
variables, and each operation's requirements (generator/build/auth.py)."""

from __future__ import annotations

from generator.build import build_api
from generator.build.auth import operation_security, security_schemes
from generator.build.context import BuildContext
from generator.model import SecurityRequirement


def doc(schemes=None, security=None, paths=None):
    root = {"openapi": "3.0.3", "info": {"title": "Acme", "version": "1"}, "paths": paths or {}}
    if schemes is not None:
        root["components"] = {"securitySchemes": schemes}
    if security is not None:
        root["security"] = security
    return root


def schemes_of(root, prefix="ACME"):
    ctx = BuildContext(root)
    return security_schemes(ctx, prefix), ctx.warnings


def arguments(scheme):
    return [(c.argument, c.env, c.role) for c in scheme.credentials]


def test_every_kind_of_scheme():
    schemes, warnings = schemes_of(
        doc(
            {
                "k": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "b": {"type": "http", "scheme": "Bearer"},
                "basic": {"type": "http", "scheme": "basic"},
                "o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {"w": "", "r": ""}}}},
                "u": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "x", "tokenUrl": "y", "scopes": {}}}},
                "id": {"type": "openIdConnect", "openIdConnectUrl": "https://a/.well-known"},
                "tls": {"type": "mutualTLS"},
            }
        )
    )
    assert warnings == []
    by_key = {s.key: s for s in schemes}
    assert [s.key for s in schemes] == ["k", "b", "basic", "o", "u", "id", "tls"]  # the spec's order
    assert (by_key["k"].kind, by_key["k"].location, by_key["k"].param) == ("api_key", "header", "X-Api-Key")
    assert arguments(by_key["k"]) == [("api_key", "ACME_API_KEY", "key")]
    assert (by_key["b"].kind, by_key["b"].scheme) == ("http", "Bearer")
    assert arguments(by_key["b"]) == [("bearer_token", "ACME_BEARER_TOKEN", "token")]
    assert by_key["b"].credentials[0].callable  # a token provider is accepted
    assert arguments(by_key["basic"]) == [("username", "ACME_USERNAME", "username"), ("password", "ACME_PASSWORD", "password")]
    assert not by_key["basic"].credentials[0].secret and by_key["basic"].credentials[1].secret
    o = by_key["o"]
    assert (o.kind, o.token_url, o.flows, o.scopes) == ("oauth2", "https://a/token", ("clientCredentials",), ("r", "w"))
    # three token-taking schemes: each access_token is named after its scheme
    assert arguments(o) == [
        ("o_access_token", "ACME_O_ACCESS_TOKEN", "token"),
        ("client_id", "ACME_CLIENT_ID", "client_id"),
        ("client_secret", "ACME_CLIENT_SECRET", "client_secret"),
        ("token_url", "ACME_TOKEN_URL", "token_url"),
    ]
    assert o.credentials[3].default == "https://a/token"
    assert arguments(by_key["u"]) == [("u_access_token", "ACME_U_ACCESS_TOKEN", "token")]
    assert (by_key["id"].kind, by_key["id"].flows) == ("oauth2", ("openIdConnect",))
    assert by_key["tls"].kind == "none" and by_key["tls"].credentials == ()


def test_a_single_oauth2_scheme_takes_plain_names():
    schemes, _ = schemes_of(doc({"oauth": {"type": "oauth2", "flows": {"password": {"tokenUrl": "/t", "scopes": {}}}}}))
    assert arguments(schemes[0]) == [("access_token", "ACME_ACCESS_TOKEN", "token")]  # a user's token: given


def test_several_api_keys_are_named_after_their_schemes():
    schemes, _ = schemes_of(
        doc(
            {
                "clientId": {"type": "apiKey", "in": "header", "name": "PLAID-CLIENT-ID"},
                "secret": {"type": "apiKey", "in": "header", "name": "PLAID-SECRET"},
                "timeout": {"type": "apiKey", "in": "query", "name": "t"},  # the client's own argument
            }
        )
    )
    assert [arguments(s)[0][:2] for s in schemes] == [
        ("client_id", "ACME_CLIENT_ID"),
        ("secret", "ACME_SECRET"),
        ("timeout_2", "ACME_TIMEOUT_2"),
    ]


def test_unusable_schemes_are_warned_about():
    schemes, warnings = schemes_of(
        doc({"k": {"type": "apiKey", "in": "body", "name": "x"}, "w": {"type": "weird"}, "h": {"type": "http"}})
    )
    assert [s.key for s in schemes] == ["w", "h"]
    assert schemes[0].kind == "none" and schemes[1].scheme == "Bearer"
    assert len(warnings) == 3 and "#/components/securitySchemes/k" in warnings[0].format()


def test_referenced_schemes_are_followed():
    root = doc({"k": {"$ref": "#/components/x/key"}})
    root["components"]["x"] = {"key": {"type": "apiKey", "in": "cookie", "name": "sid"}}
    schemes, _ = schemes_of(root)
    assert (schemes[0].location, schemes[0].param) == ("cookie", "sid")


def requirements(node, root):
    ctx = BuildContext(root)
    schemes, _ = schemes_of(root)
    return operation_security(ctx, node, "/paths/~1x/get", schemes), ctx.warnings


SCHEMES = {"a": {"type": "apiKey", "in": "header", "name": "A"}, "b": {"type": "http", "scheme": "bearer"}}


def test_operations_inherit_the_documents_security_and_may_override_it():
    root = doc(SCHEMES, security=[{"a": []}])
    assert requirements({}, root)[0] == (SecurityRequirement(("a",)),)
    assert requirements({"security": []}, root)[0] == ()  # public
    assert requirements({"security": [{"b": ["scope"]}]}, root)[0] == (SecurityRequirement(("b",)),)
    assert requirements({}, doc(SCHEMES))[0] == ()  # nothing declared anywhere


def test_alternatives_combinations_and_anonymous_access():
    root = doc(SCHEMES)
    found, _ = requirements({"security": [{"b": []}, {"a": [], "b": []}, {}, {"a": []}]}, root)
    # everything after the anonymous alternative is moot: it always applies
    assert found == (SecurityRequirement(("b",)), SecurityRequirement(("a", "b")), SecurityRequirement(()))


def test_requirements_naming_undeclared_schemes_are_dropped_with_a_warning():
    found, warnings = requirements({"security": [{"nope": []}, {"a": []}]}, doc(SCHEMES))
    assert found == (SecurityRequirement(("a",)),)
    assert len(warnings) == 1 and "nope" in warnings[0].message


def test_the_api_model_carries_schemes_and_requirements():
    root = doc(
        {"api_key": {"type": "apiKey", "in": "query", "name": "key"}},
        security=[{"api_key": []}],
        paths={
            "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
        },
    )
    api, warnings = build_api(root, package="acme")
    assert warnings == [] and [s.key for s in api.security_schemes] == ["api_key"]
    ops = {op.path: op for g in api.groups for op in g.operations}
    assert ops["/a"].security == (SecurityRequirement(("api_key",)),) and ops["/b"].security == ()
    assert api.security_schemes[0].credentials[0].env == "ACME_API_KEY"


def test_swagger_2_security_definitions_arrive_upgraded():
    from generator.spec.normalize import normalize

    swagger = {
        "swagger": "2.0",
        "info": {"title": "Old", "version": "1"},
        "securityDefinitions": {
            "key": {"type": "apiKey", "in": "query", "name": "k"},
            "oauth": {"type": "oauth2", "flow": "application", "tokenUrl": "https://o/token", "scopes": {}},
            "basic": {"type": "basic"},
        },
        "security": [{"key": []}],
        "paths": {},
    }
    root, _ = normalize(swagger)
    api, _ = build_api(root)
    kinds = {s.key: (s.kind, s.token_url) for s in api.security_schemes}
    assert kinds == {"key": ("api_key", ""), "oauth": ("oauth2", "https://o/token"), "basic": ("basic", "")}
