"""Auth against a live server: every security scheme of specs/domain.yaml, per-operation
requirements, credentials from arguments and the environment, OAuth2 client credentials
(cached, refreshed, one token request for many threads or tasks), and no secret anywhere
it could leak. The server accepts a request only with exactly the credentials the spec asks
for, and says which arrived."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading

import httpx
import pytest

from tests.servers import domain as srv

ALL = dict(
    header_key=srv.HEADER_KEY,
    query_key=srv.QUERY_KEY,
    cookie_key=srv.COOKIE_KEY,
    bearer_token=srv.BEARER,
    username=srv.USERNAME,
    password=srv.PASSWORD,
    client_id=srv.CLIENT_ID,
    client_secret=srv.CLIENT_SECRET,
    user_access_token=srv.USER_TOKEN,
    oidc_access_token=srv.OIDC_TOKEN,
)
SECRETS = [srv.HEADER_KEY, srv.QUERY_KEY, srv.COOKIE_KEY, srv.BEARER, srv.PASSWORD, srv.CLIENT_SECRET, srv.USER_TOKEN, srv.OIDC_TOKEN]


@pytest.fixture
def make(domain, domain_server):
    """Build sync clients on the live server; closed after the test."""
    made = []

    def build(**credentials):
        client = domain.Domain(base_url=domain_server.base_url, **credentials)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.mark.parametrize(
    ("method", "credentials", "scheme"),
    [
        ("header_key", {"header_key": srv.HEADER_KEY}, "header_key"),
        ("query_key", {"query_key": srv.QUERY_KEY}, "query_key"),
        ("cookie_key", {"cookie_key": srv.COOKIE_KEY}, "cookie_key"),
        ("bearer", {"bearer_token": srv.BEARER}, "bearer"),
        ("basic", {"username": srv.USERNAME, "password": srv.PASSWORD}, "basic"),
        ("client", {"client_id": srv.CLIENT_ID, "client_secret": srv.CLIENT_SECRET}, "client"),
        ("client", {"client_access_token": None, "client_id": srv.CLIENT_ID, "client_secret": srv.CLIENT_SECRET}, "client"),
        ("user", {"user_access_token": srv.USER_TOKEN}, "user"),
        ("oidc", {"oidc_access_token": srv.OIDC_TOKEN}, "oidc"),
        ("default", {"header_key": srv.HEADER_KEY}, "header_key"),  # the document's requirement
    ],
)
def test_each_scheme_sends_its_credentials(make, domain_server, method, credentials, scheme):
    client = make(**credentials)
    received = getattr(client.auth, method)()
    assert received.schemes == [scheme]


def test_credentials_travel_exactly_where_the_scheme_says(make, domain_server):
    client = make(**ALL)
    client.auth.header_key()
    assert domain_server.last_request.headers.get_all("X-Key") == [srv.HEADER_KEY]
    client.auth.query_key(q="x y")
    assert domain_server.last_request.query == [("q", "x y"), ("key", srv.QUERY_KEY)]
    client.auth.cookie_key(theme="dark")
    assert domain_server.last_request.headers["Cookie"] == "theme=dark; key_cookie=ck-3c"
    client.auth.basic()
    assert domain_server.last_request.headers["Authorization"] == "Basic YW5uOnBhOnNzIDU="
    client.auth.user()
    assert domain_server.last_request.headers["Authorization"] == f"Bearer {srv.USER_TOKEN}"


def test_each_operation_sends_exactly_what_its_requirement_asks(make, domain_server):
    """With every credential configured, each operation sends only its own (the server refuses
    extra credentials): alternatives take the first configured, combinations send all."""
    client = make(**ALL)
    expected = {
        "default": ["header_key"],
        "header_key": ["header_key"],
        "query_key": ["query_key"],
        "cookie_key": ["cookie_key"],
        "bearer": ["bearer"],
        "basic": ["basic"],
        "client": ["client"],
        "user": ["user"],
        "oidc": ["oidc"],
        "public": [],
        "either": ["bearer"],  # the first alternative configured
        "both": ["header_key", "query_key"],
        "optional": ["bearer"],
    }
    for method, schemes in expected.items():
        assert getattr(client.auth, method)().schemes == schemes, method
    public = domain_server.requests_to("GET", "/api/auth/public")[0]
    assert "Authorization" not in public.headers and "X-Key" not in public.headers
    assert "Cookie" not in public.headers and public.query == []


def test_alternatives_fall_back_to_what_is_configured(make, domain_server):
    client = make(header_key=srv.HEADER_KEY)
    assert client.auth.either().schemes == ["header_key"]  # no bearer token: the second alternative
    assert client.auth.optional().schemes == []  # anonymous is an alternative
    assert "Authorization" not in domain_server.last_request.headers


def test_credentials_come_from_the_environment(domain, domain_server, monkeypatch):
    monkeypatch.setenv("DOMAIN_HEADER_KEY", srv.HEADER_KEY)
    monkeypatch.setenv("DOMAIN_USERNAME", srv.USERNAME)
    monkeypatch.setenv("DOMAIN_PASSWORD", srv.PASSWORD)
    monkeypatch.setenv("DOMAIN_CLIENT_ID", srv.CLIENT_ID)
    monkeypatch.setenv("DOMAIN_CLIENT_SECRET", srv.CLIENT_SECRET)
    with domain.Domain(base_url=domain_server.base_url) as client:
        assert client.auth.header_key().schemes == ["header_key"]
        assert client.auth.basic().schemes == ["basic"]
        assert client.auth.client().schemes == ["client"]
    with domain.Domain(base_url=domain_server.base_url, header_key="wrong") as client:
        with pytest.raises(domain.AuthenticationError):  # an argument wins over the environment
            client.auth.header_key()


def test_a_missing_credential_fails_before_anything_is_sent(domain, make, domain_server):
    client = make()
    with pytest.raises(domain.MissingCredentialsError) as info:
        client.auth.bearer()
    message = str(info.value)
    assert message.startswith("auth.bearer needs credentials")
    assert "bearer_token=" in message and "DOMAIN_BEARER_TOKEN" in message
    with pytest.raises(domain.MissingCredentialsError) as either:
        client.auth.either()
    assert "bearer_token=" in str(either.value) and "header_key=" in str(either.value)
    with pytest.raises(domain.MissingCredentialsError) as basic:
        make(username="ann").auth.basic()  # half a credential is none
    assert "DOMAIN_PASSWORD" in str(basic.value)
    with pytest.raises(domain.MissingCredentialsError) as oauth:
        client.auth.client()
    assert "client_access_token=" in str(oauth.value) and "client_id=..., client_secret=..." in str(oauth.value)
    assert isinstance(info.value, domain.APIError)
    assert domain_server.requests == []
    assert client.auth.public().schemes == []  # what needs nothing still works
    assert client.auth.optional().schemes == []


# -- OAuth2 client credentials -----------------------------------------------------------------


def test_client_credentials_fetch_one_token_and_reuse_it(make, domain_server):
    client = make(client_id=srv.CLIENT_ID, client_secret=srv.CLIENT_SECRET)
    for _ in range(3):
        assert client.auth.client().schemes == ["client"]
    assert domain_server.token_requests == 1
    token_request = domain_server.requests_to("POST", "/oauth/token")[0]
    assert token_request.body == b"grant_type=client_credentials"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert [r.headers["Authorization"] for r in domain_server.requests_to("GET")] == ["Bearer ct-1"] * 3
    copy = client.with_options(max_retries=0)
    copy.auth.client()
    assert domain_server.token_requests == 1  # a copy shares the token


def test_tokens_are_refreshed_shortly_before_they_expire(make, domain_server):
    domain_server.token_lifetime = 100
    client = make(client_id=srv.CLIENT_ID, client_secret=srv.CLIENT_SECRET)
    now = [1000.0]
    client._credentials.schemes["client"].clock = lambda: now[0]
    client.auth.client()
    now[0] += 89  # 100 s lifetime: fetched again 10 s before the end
    client.auth.client()
    assert domain_server.token_requests == 1
    now[0] += 2
    client.auth.client()
    assert domain_server.token_requests == 2
    assert domain_server.last_request.headers["Authorization"] == "Bearer ct-2"


def test_a_token_without_expiry_is_kept_until_refused(make, domain_server):
    domain_server.token_lifetime = None
    client = make(client_id=srv.CLIENT_ID, client_secret=srv.CLIENT_SECRET)
    client._credentials.schemes["client"].clock = lambda: 1e12
    client.auth.client()
    client.auth.client()
    assert domain_server.token_requests == 1


def test_a_401_fetches_a_new_token_and_retries_once(domain, make, domain_server):
    client = make(client_id=srv.CLIENT_ID, client_secret=srv.CLIENT_SECRET)
    client.auth.client()
    domain_server.revoke_tokens()  # e.g. the server rotated its keys before the token's expiry
    assert client.auth.client().schemes == ["client"]
    assert domain_server.token_requests == 2
    calls = domain_server.requests_to("GET", "/api/auth/client")
    assert [c.headers["Authorization"] for c in calls] == ["Bearer ct-1", "Bearer ct-1", "Bearer ct-2"]
    assert [c.reply_status for c in calls] == [200, 401, 200]

    domain_server.fail_next(2, status=401, path="/api/auth/client")
    domain_server.clear_requests()
    with pytest.raises(domain.AuthenticationError) as info:
        client.auth.client()  # refused again with a fresh token: once is enough
    assert len(domain_server.requests_to("GET", "/api/auth/client")) == 2
    assert domain_server.token_requests == 3
    assert info.value.status_code == 401


def test_a_401_with_a_fixed_credential_is_not_retried(domain, make, domain_server):
    client = make(header_key="wrong")
    with pytest.raises(domain.AuthenticationError):
        client.auth.header_key()
    assert len(domain_server.requests) == 1


def test_a_refused_client_secret_is_a_clear_error_without_the_secret(domain, make, domain_server):
    client = make(client_id=srv.CLIENT_ID, client_secret="not-the-secret")
    with pytest.raises(domain.AuthenticationError) as info:
        client.auth.client()
    message = str(info.value)
    assert "token request" in message and "/oauth/token" in message and "unknown client" in message
    assert "not-the-secret" not in message and info.value.status_code == 401
    assert domain_server.requests_to("GET") == []  # the operation itself was never sent


def test_many_threads_needing_a_token_cause_one_token_request(make, domain_server):
    domain_server.token_delay = 0.3
    client = make(client_id=srv.CLIENT_ID, client_secret=srv.CLIENT_SECRET)
    start = threading.Barrier(8)
    results: list[list[str]] = []

    def call() -> None:
        start.wait()
        results.append(client.auth.client().schemes)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [["client"]] * 8
    assert domain_server.token_requests == 1


async def test_many_tasks_needing_a_token_cause_one_token_request(domain, domain_server):
    domain_server.token_delay = 0.3
    async with domain.AsyncDomain(
        base_url=domain_server.base_url, client_id=srv.CLIENT_ID, client_secret=srv.CLIENT_SECRET
    ) as client:
        results = await asyncio.gather(*(client.auth.client() for _ in range(8)))
        assert [r.schemes for r in results] == [["client"]] * 8
        domain_server.revoke_tokens()
        assert (await client.auth.client()).schemes == ["client"]  # refreshed after the 401
    assert domain_server.token_requests == 2


# -- tokens from providers -------------------------------------------------------------------


def test_a_token_provider_is_asked_on_every_attempt(make, domain_server):
    asked = []

    def provider() -> str:
        asked.append(1)
        return srv.USER_TOKEN

    client = make(user_access_token=provider, bearer_token=lambda: srv.BEARER)
    client._sleep = lambda seconds: None
    domain_server.fail_next(1, status=503, path="/api/auth/user")
    assert client.auth.user().schemes == ["user"]
    assert len(asked) == 2  # the retry asked again: a provider may refresh its token
    assert client.auth.bearer().schemes == ["bearer"]


async def test_async_clients_await_async_token_providers(domain, domain_server):
    async def provider() -> str:
        await asyncio.sleep(0)
        return srv.OIDC_TOKEN

    async with domain.AsyncDomain(base_url=domain_server.base_url, oidc_access_token=provider, header_key=srv.HEADER_KEY) as client:
        assert (await client.auth.oidc()).schemes == ["oidc"]
        with pytest.raises(domain.MissingCredentialsError):
            await client.auth.both()  # needs the query key too


# -- what the spec cannot describe -------------------------------------------------------------


class Signature(httpx.Auth):
    """Request signing: a digest over the method, URL and the headers the client set."""

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        text = f"{request.method} {request.url} {request.headers.get('X-Key')}"
        request.headers["X-Signature"] = hashlib.sha256(text.encode()).hexdigest()
        yield request


def test_any_httpx_auth_signs_requests_after_the_specs_credentials(make, domain_server):
    client = make(header_key=srv.HEADER_KEY, auth=Signature())
    client.auth.header_key()
    request = domain_server.last_request
    expected = hashlib.sha256(f"GET {domain_server.base_url}/auth/header-key {srv.HEADER_KEY}".encode()).hexdigest()
    assert request.headers["X-Signature"] == expected


# -- secrets stay secret -----------------------------------------------------------------------


def test_secrets_never_appear_in_reprs_logs_or_errors(domain, make, domain_server, caplog):
    client = make(**ALL)
    texts = [repr(client), repr(client.with_options(timeout=3)), repr(client._credentials)]
    texts += [repr(scheme) for scheme in client._credentials.schemes.values()]
    with caplog.at_level(logging.DEBUG, logger="domain"):
        for method in ("header_key", "query_key", "cookie_key", "bearer", "basic", "client", "user", "oidc", "both"):
            getattr(client.auth, method)()
        wrong = make(**{**ALL, "query_key": "wrong " + srv.QUERY_KEY})
        with pytest.raises(domain.AuthenticationError) as info:
            wrong.auth.query_key()
        texts.append(str(info.value))
        with pytest.raises(domain.MissingCredentialsError) as missing:
            make().auth.basic()
        texts.append(str(missing.value))
    logged = [record.getMessage() for record in caplog.records]
    assert any("request headers:" in line for line in logged)  # debug logging was on
    assert any("key=<redacted>" in line for line in logged)
    texts += logged
    for text in texts:
        for secret in [*SECRETS, "YW5uOnBhOnNzIDU=", "ct-1", "qk%202"]:
            assert secret not in text, (secret, text)


# -- the servers are strict: a client cannot pass by sending too much --------------------------


def test_the_domain_server_refuses_missing_wrong_and_extra_credentials(domain_server):
    base = domain_server.base_url
    assert httpx.get(f"{base}/auth/header-key").status_code == 401  # missing
    assert httpx.get(f"{base}/auth/header-key", headers={"X-Key": "nope"}).status_code == 401  # wrong
    both = httpx.get(f"{base}/auth/header-key", headers={"X-Key": srv.HEADER_KEY, "Authorization": f"Bearer {srv.BEARER}"})
    assert both.status_code == 400  # more than the requirement: a client bug, recorded
    public = httpx.get(f"{base}/auth/public", headers={"X-Key": srv.HEADER_KEY})
    assert public.status_code == 400
    assert len(domain_server.errors) == 2
    domain_server.clear_errors()
    ok = httpx.get(f"{base}/auth/both", params={"key": srv.QUERY_KEY}, headers={"X-Key": srv.HEADER_KEY})
    assert ok.json() == {"operation": "authBoth", "schemes": ["header_key", "query_key"]}


def test_the_petstore_needs_its_key_except_for_the_inventory(petstore, petstore_server, monkeypatch):
    monkeypatch.delenv("PETSTORE_API_KEY")
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        with pytest.raises(petstore.MissingCredentialsError, match=r"api_key=\.\.\. \(or set PETSTORE_API_KEY\)"):
            client.pets.get(pet_id=1)
        assert client.store.get_inventory() == {"available": 0, "pending": 0, "sold": 0}
    assert "X-API-Key" not in petstore_server.last_request.headers  # the public operation got no key
    with petstore.Petstore(base_url=petstore_server.base_url, api_key="wrong") as client:
        with pytest.raises(petstore.AuthenticationError):
            client.pets.list()
    raw = httpx.get(f"{petstore_server.base_url}/store/inventory", headers={"X-API-Key": "test-key-7f3a"})
    assert raw.status_code == 400 and raw.json()["code"] == "unexpected_credentials"
