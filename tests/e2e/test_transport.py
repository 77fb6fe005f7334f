"""Transport: connection pools, bring-your-own httpx clients, base URLs, per-call options,
with_options, timeouts and connection errors, hooks and logging; against live servers."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys

import httpx
import pytest


@pytest.fixture
def client(petstore, petstore_server):
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        client._sleep = lambda seconds: None
        yield client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- pools, context managers, close ------------------------------------------------------------


def test_calls_share_one_pooled_connection_and_close_releases_it(petstore, petstore_server):
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        for _ in range(3):
            client.pets.list()
        copy = client.with_options(max_retries=5)
        copy.pets.list()
        assert isinstance(client._http, httpx.Client) and copy._http is client._http
        copy.close()  # a copy does not own the pool
        assert not client._http.is_closed
    assert client._http.is_closed
    assert len({r.connection_id for r in petstore_server.requests}) == 1  # keep-alive, one connection


async def test_async_client_pools_and_closes(petstore, petstore_server):
    async with petstore.AsyncPetstore(base_url=petstore_server.base_url) as client:
        assert isinstance(client._http, httpx.AsyncClient)
        for _ in range(3):
            await client.pets.list()
    assert client._http.is_closed
    assert len({r.connection_id for r in petstore_server.requests}) == 1


def test_bring_your_own_http_client_keeps_its_settings(petstore, petstore_server):
    seen = []
    http = httpx.Client(
        headers={"X-Custom": "mine"},
        timeout=0.2,
        event_hooks={"request": [lambda request: seen.append(request.url.path)]},
    )
    client = petstore.Petstore(base_url=petstore_server.base_url, http_client=http, max_retries=0)
    assert client.pets.list().items == []
    assert petstore_server.last_request.headers["x-custom"] == "mine"
    assert seen == ["/v1/pets"]
    petstore_server.delay_next(1, 1.0)
    with pytest.raises(petstore.APITimeoutError):  # its 0.2 s timeout, not our 30 s default
        client.pets.list()
    client.close()
    assert not http.is_closed  # not ours to close
    http.close()


def test_own_http_client_cookies_params_and_later_header_changes_are_sent(petstore, petstore_server):
    http = httpx.Client(headers={"X-Custom": "first", "Accept": "text/plain"}, cookies={"session": "abc"})
    client = petstore.Petstore(base_url=petstore_server.base_url, http_client=http, max_retries=0)
    client.pets.list()
    sent = petstore_server.last_request.headers
    assert sent["x-custom"] == "first" and sent["cookie"] == "session=abc"
    assert sent["accept"] == "application/json"  # ours wins over the client's
    assert sent["user-agent"].startswith("petstore/")
    http.headers["X-Custom"] = "second"  # a change to the client after the first call
    client.pets.list(timeout=None)
    assert petstore_server.last_request.headers["x-custom"] == "second"
    with_params = httpx.Client(params={"trace": "1"})
    with pytest.raises(petstore.BadRequestError, match="trace"):  # the strict server refuses what it got
        petstore.Petstore(base_url=petstore_server.base_url, http_client=with_params, max_retries=0).pets.list(limit=5)
    assert petstore_server.last_request.query_params == {"trace": ["1"], "limit": ["5"]}
    http.close()
    with_params.close()


def test_base_url_from_servers_with_variables_overridable(workbench, workbench_server, monkeypatch):
    monkeypatch.delenv("WORKBENCH_BASE_URL", raising=False)
    assert workbench.Workbench().base_url == "http://localhost:8080/api"  # servers[0], default variables
    client = workbench.Workbench(server_variables={"host": "127.0.0.1", "port": str(workbench_server.port)})
    assert client.base_url == workbench_server.base_url
    assert client.styles.get_item(item_id="x").path == "/api/items/x"
    monkeypatch.setenv("WORKBENCH_BASE_URL", "http://127.0.0.1:1/env")
    assert workbench.Workbench().base_url == "http://127.0.0.1:1/env"
    assert workbench.Workbench(base_url="http://example.test/x/").base_url == "http://example.test/x"
    client.close()


# -- per-call options and with_options -----------------------------------------------------------


def test_per_call_extra_headers_query_and_body(workbench, wb, workbench_server):
    echo = wb.styles.query(
        repeated=["a"],
        extra_headers={"X-Extra": "1", "accept": "application/json"},
        extra_query={"repeated": "replaced", "debug": True},
    )
    assert echo.query == "repeated=replaced&debug=true"  # extra_query wins over the argument
    assert echo.headers["x-extra"] == "1"
    assert [k for k, _ in workbench_server.last_request.headers.raw].count("accept") + [
        k for k, _ in workbench_server.last_request.headers.raw
    ].count("Accept") == 1  # replaced whatever its case, not sent twice
    wb.payments.start_job(name="j", extra_body={"priority": 5})
    assert workbench_server.last_request.json() == {"name": "j", "priority": 5}


def test_per_call_timeout_and_max_retries(petstore, client, petstore_server):
    petstore_server.delay_next(3, 0.5)
    with pytest.raises(petstore.APITimeoutError) as info:
        client.pets.list(timeout=0.1)
    assert info.value.attempts == 3  # a GET: the default 2 retries
    assert "GET http://127.0.0.1" in str(info.value) and "timed out" in str(info.value)
    petstore_server.reset()
    petstore_server.delay_next(1, 0.5)
    with pytest.raises(petstore.APITimeoutError) as info:
        client.pets.list(timeout=0.1, max_retries=0)
    assert info.value.attempts == 1


def test_with_options_returns_a_configured_copy(petstore, client, petstore_server):
    quick = client.with_options(timeout=0.1, max_retries=0, default_headers={"X-Team": "a"})
    assert quick is not client and quick._http is client._http
    assert (client.max_retries, quick.max_retries) == (2, 0)
    assert client.timeout.read == 30.0 and quick.timeout == 0.1
    quick.pets.list()
    assert petstore_server.last_request.headers["x-team"] == "a"
    client.pets.list()
    assert "x-team" not in petstore_server.last_request.headers
    petstore_server.delay_next(1, 0.5)
    with pytest.raises(petstore.APITimeoutError):
        quick.pets.list()
    assert client.pets.list().items == []  # the original's 30 s timeout still applies


def test_default_timeout_is_30s_with_5s_to_connect(petstore):
    with petstore.Petstore(base_url="http://127.0.0.1:9") as client:
        assert client.timeout == httpx.Timeout(30.0, connect=5.0)
        assert client._http.timeout == httpx.Timeout(30.0, connect=5.0)


def test_a_refused_connection_is_a_connection_error_and_retried_even_for_post(petstore):
    sleeps: list[float] = []
    with petstore.Petstore(base_url=f"http://127.0.0.1:{_free_port()}/v1") as client:
        client._sleep = sleeps.append
        with pytest.raises(petstore.APIConnectionError) as info:
            client.pets.create(name="Rex")  # nothing was sent, so even a POST may try again
    assert not isinstance(info.value, petstore.APITimeoutError)
    assert info.value.attempts == 3 and len(sleeps) == 2
    assert "connection failed (after 3 attempts)" in str(info.value)


def test_a_dropped_connection_is_retried_for_get_but_not_for_post(petstore, client, petstore_server):
    petstore_server.drop_next(1)
    assert client.pets.list().items == []
    assert [r.fault for r in petstore_server.requests] == ["drop", None]
    petstore_server.clear_requests()
    petstore_server.drop_next(1, reset=True)
    with pytest.raises(petstore.APIConnectionError) as info:
        client.pets.create(name="Rex")  # it may have arrived: never sent twice
    assert info.value.attempts == 1
    assert len(petstore_server.requests_to("POST")) == 1 and petstore_server.pets == {}


# -- hooks -----------------------------------------------------------------------------------------


def test_hooks_run_before_every_attempt_and_after_every_response(petstore, petstore_server):
    attempts = []
    statuses = []

    def sign(request: httpx.Request) -> None:
        attempts.append(request.url.path)
        request.headers["X-Signature"] = f"sig-{len(attempts)}"

    client = petstore.Petstore(
        base_url=petstore_server.base_url, on_request=[sign], on_response=[lambda r: statuses.append(r.status_code)]
    )
    client._sleep = lambda s: None
    petstore_server.fail_next(1, status=503)
    client.pets.list()
    assert statuses == [503, 200]
    assert [r.headers["x-signature"] for r in petstore_server.requests] == ["sig-1", "sig-2"]  # signed per attempt
    traced = client.with_options(on_request=[])  # a copy may drop or replace them
    traced.pets.list()
    assert len(attempts) == 2 and statuses == [503, 200, 200]
    client.on_response.append(lambda r: statuses.append(-1))  # or a client can add more later
    client.pets.list()
    assert statuses[-2:] == [200, -1]
    client.close()


async def test_async_hooks_may_be_coroutines(petstore, petstore_server):
    seen = []

    async def trace(request: httpx.Request) -> None:
        seen.append(("request", request.method))

    async with petstore.AsyncPetstore(
        base_url=petstore_server.base_url, on_request=[trace], on_response=[lambda r: seen.append(("response", r.status_code))]
    ) as client:
        await client.pets.list()
    assert seen == [("request", "GET"), ("response", 200)]


# -- logging ---------------------------------------------------------------------------------------


def test_log_lines_name_method_url_status_time_and_attempt_without_secrets(wb, workbench_server, caplog):
    caplog.set_level(logging.DEBUG, logger="workbench")
    workbench_server.fail_next(1, status=503)
    wb.styles.query(
        repeated=["a"],
        extra_headers={"Authorization": "Bearer s3cret-token", "X-Api-Key": "s3cret-key"},
        extra_query={"api_key": "s3cret-query"},
    )
    records = [r for r in caplog.records if r.name == "workbench"]
    lines = [r.getMessage() for r in records if r.levelno == logging.INFO]
    assert len(lines) == 2
    first, second = lines
    url = f"{workbench_server.base_url}/styles/query?repeated=a&api_key=<redacted>"
    assert first.startswith(f"GET {url} -> 503 Service Unavailable in "), first
    assert "ms (styles.query, attempt 1 of 3); retrying in 0." in first
    assert second.startswith(f"GET {url} -> 200 OK in ") and second.endswith("(styles.query, attempt 2 of 3)")
    everything = "\n".join(r.getMessage() for r in records)
    assert "request headers:" in everything and "response headers:" in everything
    assert "s3cret" not in everything and "authorization: <redacted>" in everything.lower()


def _run_with_env(package_dir, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_LOG")}
    environ.update(env, PYTHONPATH=str(package_dir))
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)


def test_logging_is_off_by_default_and_on_with_an_environment_variable(petstore, petstore_server):
    package_dir = os.path.dirname(os.path.dirname(petstore.__file__))
    code = (
        "import petstore\n"
        f"client = petstore.Petstore(base_url={petstore_server.base_url!r})\n"
        "client.pets.list(extra_headers={'Authorization': 'Bearer s3cret'})\n"
    )
    quiet = _run_with_env(package_dir, code)
    assert quiet.returncode == 0 and quiet.stderr == ""
    loud = _run_with_env(package_dir, code, PETSTORE_LOG="debug")
    assert loud.returncode == 0, loud.stderr
    assert "INFO petstore] GET http://127.0.0.1" in loud.stderr and "-> 200 OK" in loud.stderr
    assert "DEBUG petstore] request headers:" in loud.stderr and "s3cret" not in loud.stderr


def test_secrets_stay_out_of_repr_and_error_messages(petstore, petstore_server):
    base = petstore_server.base_url.replace("http://", "http://user:pa55word@")
    client = petstore.Petstore(base_url=base, default_headers={"Authorization": "Bearer s3cret"}, max_retries=0)
    assert "pa55word" not in repr(client) and "s3cret" not in repr(client)
    with pytest.raises(petstore.BadRequestError) as info:
        client.pets.get(pet_id=9, extra_query={"token": "s3cret"})  # the strict server refuses it
    assert str(info.value).startswith(f"GET {petstore_server.base_url}/pets/9 failed with status 400: unknown query")
    assert "s3cret" not in str(info.value) and "pa55word" not in str(info.value)
    client.close()


def test_header_values_with_line_breaks_are_refused_before_sending(petstore, client, petstore_server):
    for bad in ("a\r\nX-Injected: 1", "a\nb", "a\rb"):
        with pytest.raises(ValueError, match="CR, LF"):
            client.pets.list(x_request_id=bad)
        with pytest.raises(ValueError, match="CR, LF"):
            client.pets.list(extra_headers={"X-Other": bad})
    assert petstore_server.requests == []


def test_error_bodies_in_json_are_kept_json_in_the_log_free_message(petstore, client, petstore_server):
    petstore_server.fail_next(1, status=400, body={"detail": "first line\nsecond line"})
    with pytest.raises(petstore.BadRequestError) as info:
        client.pets.list()
    assert str(info.value).endswith("failed with status 400: first line")
    assert "\n" not in str(info.value)
    assert json.dumps(info.value.body)  # undeclared shape: kept as parsed JSON
