"""What the generator hands the runtime for auth and pagination: the client's credential
arguments, each Endpoint's security alternatives and Paging, and the schemes the domain
server does not cover (HTTP digest, other Authorization words, mutual TLS), over httpx's
MockTransport."""

from __future__ import annotations

import hashlib
import inspect

import httpx
import pytest
import yaml

from tests.conftest import generate_package, import_fresh

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Vault", "version": "1"},
    "servers": [{"url": "https://vault.example.com/v2"}],
    "paths": {
        "/digest": {"get": {"operationId": "getDigest", "tags": ["things"], "security": [{"digest": []}], "responses": OK}},
        "/token": {"get": {"operationId": "getToken", "tags": ["things"], "security": [{"custom": []}], "responses": OK}},
        "/tls": {"get": {"operationId": "getTls", "tags": ["things"], "security": [{"tls": []}], "responses": OK}},
        "/open": {
            "get": {
                "operationId": "listOpen",
                "tags": ["things"],
                "security": [],
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}, {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"Link": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"type": "array", "items": {"type": "integer"}}}},
                    }
                },
            }
        },
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["things"],
                "security": [{"oauth": ["read"]}, {"custom": []}],
                "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {"type": "array", "items": {"type": "string"}},
                                        "next": {"type": "string", "nullable": True},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "digest": {"type": "http", "scheme": "digest"},
            "custom": {"type": "http", "scheme": "Token"},
            "tls": {"type": "mutualTLS"},
            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": {"read": ""}}}},
        }
    },
}


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    root = tmp_path_factory.mktemp("vault")
    spec = root / "vault.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    return import_fresh("vault", generate_package(spec, root / "out"))


def test_endpoints_describe_security_and_paging(vault):
    from vault.resources import things

    assert things._GET_DIGEST.security == (("digest",),)
    assert things._LIST_ITEMS.security == (("oauth",), ("custom",))
    paging = things._LIST_ITEMS.paging
    assert (paging.style, paging.param, paging.items, paging.next_cursor) == ("cursor", "cursor", ("data",), ("next",))
    assert things._GET_TLS.paging is None


def test_the_constructor_takes_the_schemes_arguments(vault):
    sync = inspect.signature(vault.Vault.__init__).parameters
    # in the order of components.securitySchemes (safe_dump sorted them: custom, digest, oauth, tls)
    assert ["token", "username", "password", "access_token", "client_id", "client_secret", "token_url"] == [
        name for name in sync if name in ("username", "password", "token", "access_token", "client_id", "client_secret", "token_url")
    ]
    assert sync["token"].annotation == "str | Callable[[], str] | None"
    asynchronous = inspect.signature(vault.AsyncVault.__init__).parameters
    assert asynchronous["access_token"].annotation == "str | Callable[[], str | Awaitable[str]] | None"
    assert inspect.signature(things_list(vault)).return_annotation == "AsyncPager[str]"


def things_list(vault):
    from vault.resources import things

    return things.AsyncThingsResource.list_items


def _client(vault, handler, **credentials):
    return vault.Vault(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **credentials)


def test_http_digest_answers_the_servers_challenge(vault):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        if "Authorization" not in request.headers:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Digest realm="v", nonce="abc", qop="auth"'})
        return httpx.Response(200, json={})

    client = _client(vault, handler, username="ann", password="pw")
    assert client.things.get_digest() == {}
    assert seen[0] is None and seen[1].startswith('Digest username="ann", realm="v"')
    assert hashlib.md5(b"ann:v:pw").hexdigest() not in repr(client)


def test_other_authorization_words_and_mutual_tls(vault):
    requests = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"data": [], "next": None})

    client = _client(vault, handler, token="t0k")
    client.things.get_token()
    assert requests[-1].headers["Authorization"] == "Token t0k"
    client.things.get_tls()  # nothing to send: the http_client carries the certificate
    assert "Authorization" not in requests[-1].headers
    client.things.list_items()  # no client credentials: the second alternative
    assert requests[-1].headers["Authorization"] == "Token t0k"


def test_a_token_url_on_another_host_and_its_override(vault, monkeypatch):
    hosts = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append((request.method, request.url.host, request.url.path))
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "a1", "expires_in": 60})
        return httpx.Response(200, json={"data": ["x"], "next": None})

    client = _client(vault, handler, client_id="id", client_secret="secret")
    assert list(client.things.list_items()) == ["x"]
    assert hosts == [("POST", "auth.example.com", "/token"), ("GET", "vault.example.com", "/v2/items")]
    monkeypatch.setenv("VAULT_TOKEN_URL", "https://login.example.org/oauth2/token")
    hosts.clear()
    client = _client(vault, handler, client_id="id", client_secret="secret")
    list(client.things.list_items())
    assert hosts[0] == ("POST", "login.example.org", "/oauth2/token")


def test_a_next_link_is_followed_exactly_as_given(vault):
    urls, requests = [], []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        requests.append(request)
        if len(urls) == 1:
            return httpx.Response(200, json=[1, 2], headers={"Link": '</v2/open?page=2&q=a%20b&token=xyz>; rel="next"'})
        return httpx.Response(200, json=[3])

    client = _client(vault, handler, token="t0k")
    assert list(client.things.list_open(q="a b", extra_headers={"X-Trace": "t1"})) == [1, 2, 3]
    assert urls == ["https://vault.example.com/v2/open?q=a%20b", "https://vault.example.com/v2/open?page=2&q=a%20b&token=xyz"]
    assert [r.headers["X-Trace"] for r in requests] == ["t1", "t1"]  # per-call options hold for every page
