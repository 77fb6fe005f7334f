"""Tests of the live test servers themselves: the LiveServer framework and PetstoreServer."""

from __future__ import annotations

import json
import re
import socket
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

try:  # the way tests/conftest.py imports it (needs the project root on sys.path)
    from tests.servers.base import Abort, LiveServer, Reply, Request
    from tests.servers.petstore import PetstoreServer, petstore_server
except (
    ModuleNotFoundError
):  # only tests/ is on sys.path (pytest's rootdir-less default)
    from servers.base import Abort, LiveServer, Reply, Request  # type: ignore[no-redef]
    from servers.petstore import PetstoreServer, petstore_server  # type: ignore[no-redef]

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def new_client(**kwargs: Any) -> httpx.Client:
    # Plain http only: verify=False skips loading the CA bundle (~100 ms per client).
    kwargs.setdefault("timeout", 5)
    return httpx.Client(verify=False, **kwargs)


def call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request on a fresh client (like httpx.request, but fast to set up)."""
    timeout = kwargs.pop("timeout", 5)
    with new_client(timeout=timeout) as c:
        return c.request(method, url, **kwargs)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def live() -> Iterator[LiveServer]:
    """A bare LiveServer with a few routes, fresh for each test."""
    server = LiveServer()

    @server.route("GET", "/echo/{name}/parts/{part}", name="echo")
    def echo(request: Request) -> Reply:
        return Reply(
            200,
            json={
                "path_params": request.path_params,
                "query": request.query,
                "query_params": request.query_params,
                "ua": request.headers.get("USER-AGENT"),
            },
        )

    @server.route("POST", "/echo/{name}/parts/{part}")
    def echo_body(request: Request) -> Reply:
        return Reply(
            200, body=request.body, headers={"Content-Type": "application/octet-stream"}
        )

    @server.route("GET", "/ok")
    def ok(request: Request) -> Reply:
        return Reply(200, json={"ok": True})

    @server.route("POST", "/ok")
    def ok_post(request: Request) -> Reply:
        return Reply(201, json=request.json())

    @server.route("DELETE", "/ok")
    def ok_delete(request: Request) -> Reply:
        return Reply(204)

    @server.route("GET", "/boom")
    def boom(request: Request) -> Reply:
        raise RuntimeError("kaboom")

    @server.route("GET", "/abort")
    def abort(request: Request) -> Reply:
        raise Abort(Reply.error(418, "teapot", "short and stout"))

    with server:
        yield server


@pytest.fixture(scope="module")
def _petstore() -> Iterator[PetstoreServer]:
    with petstore_server() as server:
        yield server


@pytest.fixture
def server(_petstore: PetstoreServer) -> Iterator[PetstoreServer]:
    """The module's PetstoreServer, reset for each test; fails the test on server errors."""
    _petstore.reset()
    yield _petstore
    assert _petstore.errors == []


@pytest.fixture
def client(server: PetstoreServer) -> Iterator[httpx.Client]:
    with new_client(base_url=server.base_url, timeout=5) as c:
        yield c


def problems(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    return [(e["field"], e["problem"]) for e in body["errors"]]


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"code", "message"}, body
    assert response.headers["content-type"] == "application/json"
    return body["code"]


# =========================================================================== LiveServer


def test_starts_on_a_free_loopback_port_and_stops() -> None:
    with LiveServer() as a, LiveServer() as b:
        assert a.port != b.port
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", a.url)
        assert call("GET", a.url + "/nothing").status_code == 404
        url = a.url
    assert not a.running
    with pytest.raises(httpx.ConnectError):
        call("GET", url + "/nothing", timeout=1)
    a.stop()  # idempotent


def test_stop_is_fast_even_with_idle_keep_alive_connections(live: LiveServer) -> None:
    with new_client() as c:
        assert (
            c.get(live.url + "/ok").status_code == 200
        )  # leaves a pooled connection open
        start = time.monotonic()
        live.stop()
        assert time.monotonic() - start < 0.3


def test_start_stop_and_start_again() -> None:
    server = LiveServer()
    server.route("GET", "/ok", lambda r: Reply(200, json=1))
    for _ in range(2):
        server.start()
        assert call("GET", server.url + "/ok").json() == 1
        server.stop()


def test_route_path_params_are_percent_decoded(live: LiveServer) -> None:
    r = call("GET", live.url + "/echo/a%20b/parts/x%2Fy")
    assert r.status_code == 200
    assert r.json()["path_params"] == {"name": "a b", "part": "x/y"}
    req = live.last_request
    assert req.path == "/echo/a%20b/parts/x%2Fy"
    assert req.route == "/echo/{name}/parts/{part}" and req.route_name == "echo"


def test_query_pairs_in_order_and_grouped(live: LiveServer) -> None:
    r = call("GET", live.url + "/echo/n/parts/p?b=2&a=1&b=3&c=&d&e=x+y%2Bz")
    body = r.json()
    assert body["query"] == [
        ["b", "2"],
        ["a", "1"],
        ["b", "3"],
        ["c", ""],
        ["d", ""],
        ["e", "x y+z"],
    ]
    assert body["query_params"] == {
        "b": ["2", "3"],
        "a": ["1"],
        "c": [""],
        "d": [""],
        "e": ["x y+z"],
    }
    assert live.last_request.raw_query == "b=2&a=1&b=3&c=&d&e=x+y%2Bz"
    assert live.last_request.target == "/echo/n/parts/p?b=2&a=1&b=3&c=&d&e=x+y%2Bz"


def test_headers_are_case_insensitive_and_raw_kept(live: LiveServer) -> None:
    r = call(
        "GET",
        live.url + "/echo/n/parts/p",
        headers={"User-Agent": "probe/1", "X-Multi": "1"},
    )
    assert r.json()["ua"] == "probe/1"
    headers = live.last_request.headers
    assert headers["x-multi"] == headers["X-MULTI"] == "1"
    assert "user-agent" in headers and "nope" not in headers
    assert ("User-Agent", "probe/1") in headers.raw or (
        "user-agent",
        "probe/1",
    ) in headers.raw


def test_body_bytes_and_json(live: LiveServer) -> None:
    r = call("POST", live.url + "/ok", json={"a": [1, 2]})
    assert r.status_code == 201 and r.json() == {"a": [1, 2]}
    assert live.last_request.body == b'{"a":[1,2]}' or json.loads(
        live.last_request.body
    ) == {"a": [1, 2]}
    assert live.last_request.json() == {"a": [1, 2]}


def test_chunked_request_bodies_are_decoded(live: LiveServer) -> None:
    def parts() -> Iterator[bytes]:
        yield b"hello "
        yield b"chunked "
        yield b"world"

    r = call("POST", live.url + "/echo/n/parts/p", content=parts())
    assert live.last_request.headers["transfer-encoding"] == "chunked"
    assert r.content == b"hello chunked world"
    assert live.last_request.body == b"hello chunked world"


def test_unmatched_route_is_404_json(live: LiveServer) -> None:
    r = call("GET", live.url + "/nope")
    assert r.status_code == 404
    assert r.json() == {"code": "no_route", "message": "no route for GET /nope"}
    assert (
        call("GET", live.url + "/ok/").status_code == 404
    )  # no trailing-slash leniency


def test_wrong_method_is_405_with_allow(live: LiveServer) -> None:
    r = call("PUT", live.url + "/ok", json={})
    assert r.status_code == 405
    assert r.headers["allow"] == "DELETE, GET, POST"
    assert r.json()["code"] == "method_not_allowed"
    assert call("FOO", live.url + "/ok").status_code == 405


def test_handler_exception_is_500_and_recorded(live: LiveServer) -> None:
    r = call("GET", live.url + "/boom")
    assert r.status_code == 500
    assert r.json() == {"code": "server_error", "message": "RuntimeError: kaboom"}
    assert len(live.errors) == 1 and "kaboom" in live.errors[0]
    live.clear_errors()
    assert live.errors == []


def test_abort_answers_with_its_reply(live: LiveServer) -> None:
    r = call("GET", live.url + "/abort")
    assert r.status_code == 418 and r.json()["code"] == "teapot"


def test_every_response_has_content_length_except_204(live: LiveServer) -> None:
    r = call("GET", live.url + "/ok")
    assert r.headers["content-length"] == str(len(r.content))
    r = call("GET", live.url + "/nope")
    assert r.headers["content-length"] == str(len(r.content))
    r = call("DELETE", live.url + "/ok")
    assert r.status_code == 204 and r.content == b""
    assert "content-length" not in r.headers and "transfer-encoding" not in r.headers


def test_request_log(live: LiveServer) -> None:
    with pytest.raises(LookupError):
        live.last_request
    with new_client(base_url=live.url) as c:
        c.get("/ok?x=1", headers={"X-Trace": "t1"})
        c.post("/ok", json={"n": 1})
        c.get("/nope")
    reqs = live.requests
    assert [(r.method, r.target) for r in reqs] == [
        ("GET", "/ok?x=1"),
        ("POST", "/ok"),
        ("GET", "/nope"),
    ]
    assert reqs[0].headers["x-trace"] == "t1" and reqs[0].body == b""
    assert reqs[1].json() == {"n": 1}
    assert [r.reply_status for r in reqs] == [200, 201, 404]
    assert live.last_request is reqs[-1]
    assert reqs[2].route is None
    assert [r.target for r in live.requests_to("GET", "/ok")] == ["/ok?x=1"]
    assert len(live.requests_to(path="/ok")) == 2
    live.clear_requests()
    assert live.requests == []


def test_keep_alive_reuses_one_connection(live: LiveServer) -> None:
    with new_client(base_url=live.url) as c:
        assert c.get("/ok").status_code == 200
        assert c.post("/ok", json=1).status_code == 201
        assert (
            c.get("/nope").status_code == 404
        )  # error responses keep the connection too
    first, second, third = live.requests
    assert first.connection_id == second.connection_id == third.connection_id
    assert first.http_version == "HTTP/1.1"


def test_connection_close_is_honoured(live: LiveServer) -> None:
    with new_client(base_url=live.url) as c:
        r = c.get("/ok", headers={"Connection": "close"})
        assert r.headers["connection"] == "close"
        c.get("/ok")
    assert live.requests[0].connection_id != live.requests[1].connection_id


# --------------------------------------------------------------------------- fault injection


def test_fail_next_answers_the_next_n_requests(live: LiveServer) -> None:
    live.fail_next(2, 429, headers={"Retry-After": "1"})
    with new_client(base_url=live.url) as c:
        statuses = [c.get("/ok") for _ in range(3)]
    assert [r.status_code for r in statuses] == [429, 429, 200]
    assert statuses[0].headers["retry-after"] == "1"
    assert statuses[0].json() == {"code": "injected_fault", "message": "injected 429"}
    assert [r.fault for r in live.requests] == ["fail", "fail", None]
    assert live.pending_faults == []


def test_fail_next_default_is_one_503(live: LiveServer) -> None:
    live.fail_next()
    assert call("GET", live.url + "/ok").status_code == 503
    assert call("GET", live.url + "/ok").status_code == 200


def test_fail_next_bodies(live: LiveServer) -> None:
    live.fail_next(1, 500, body={"custom": True})
    live.fail_next(
        1, 502, body=b"<html>bad gateway</html>", headers={"Content-Type": "text/html"}
    )
    live.fail_next(1, 500, body="")
    r1, r2, r3 = (call("GET", live.url + "/ok") for _ in range(3))
    assert (r1.status_code, r1.json()) == (500, {"custom": True})
    assert (r2.status_code, r2.text, r2.headers["content-type"]) == (
        502,
        "<html>bad gateway</html>",
        "text/html",
    )
    assert (r3.status_code, r3.content, r3.headers["content-length"]) == (500, b"", "0")


def test_fail_next_only_for_a_method_and_path(live: LiveServer) -> None:
    live.fail_next(1, 503, method="POST", path="/ok")
    live.fail_next(
        1, 500, path="/echo/{name}/parts/{part}"
    )  # a route template matches too
    assert call("GET", live.url + "/ok").status_code == 200
    assert call("GET", live.url + "/echo/a/parts/b").status_code == 500
    assert call("POST", live.url + "/ok", json=1).status_code == 503
    assert call("POST", live.url + "/ok", json=1).status_code == 201


def test_fail_next_applies_to_unrouted_paths_too(live: LiveServer) -> None:
    live.fail_next(1, 503)
    assert call("GET", live.url + "/no/such/path").status_code == 503


def test_fail_next_is_thread_safe(live: LiveServer) -> None:
    live.fail_next(5, 503)
    with ThreadPoolExecutor(8) as pool:
        codes = list(
            pool.map(lambda _: call("GET", live.url + "/ok").status_code, range(20))
        )
    assert sorted(codes) == [200] * 15 + [503] * 5


def test_drop_next_closes_without_a_response(live: LiveServer) -> None:
    live.drop_next(1)
    with new_client(base_url=live.url) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/ok")
        assert (
            c.get("/ok").status_code == 200
        )  # the client recovers on a new connection
    dropped, ok = live.requests
    assert dropped.fault == "drop" and dropped.reply_status is None
    assert ok.connection_id != dropped.connection_id


def test_drop_next_on_a_reused_connection(live: LiveServer) -> None:
    with new_client(base_url=live.url) as c:
        assert c.get("/ok").status_code == 200
        live.drop_next(1, method="POST")
        assert c.get("/ok").status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            c.post("/ok", json=1)


def test_drop_next_with_reset(live: LiveServer) -> None:
    live.drop_next(1, reset=True)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        call("GET", live.url + "/ok")
    assert live.last_request.fault == "drop"


def test_delay_next_makes_a_short_timeout_fire(live: LiveServer) -> None:
    live.delay_next(1, 2.0)
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        call("GET", live.url + "/ok", timeout=0.1)
    assert time.monotonic() - start < 1.0
    assert (
        call("GET", live.url + "/ok", timeout=1).status_code == 200
    )  # only the next one
    start = time.monotonic()
    live.stop()  # wakes the still-sleeping handler
    assert time.monotonic() - start < 0.3


def test_delay_next_responds_late(live: LiveServer) -> None:
    live.delay_next(1, 0.1, path="/ok")
    start = time.monotonic()
    assert call("GET", live.url + "/ok").status_code == 200
    assert time.monotonic() - start >= 0.1
    assert live.last_request.delayed == 0.1


def test_delay_combines_with_fail(live: LiveServer) -> None:
    live.delay_next(1, 0.1)
    live.fail_next(1, 504)
    start = time.monotonic()
    assert call("GET", live.url + "/ok").status_code == 504
    assert time.monotonic() - start >= 0.1


def test_reset_forgets_everything_and_abandons_delayed_requests(
    live: LiveServer,
) -> None:
    calls = []
    live.route("POST", "/count", lambda r: calls.append(1) or Reply(204))
    live.delay_next(1, 0.15)
    with pytest.raises(httpx.ReadTimeout):
        call("POST", live.url + "/count", timeout=0.05)
    live.fail_next(3)
    live.reset()  # the test that set up the delay is over
    assert live.requests == [] and live.pending_faults == [] and live.errors == []
    time.sleep(0.25)
    assert calls == []  # the abandoned request never reached its handler
    assert call("POST", live.url + "/count").status_code == 204 and calls == [1]


def test_clear_faults(live: LiveServer) -> None:
    live.fail_next(3)
    live.drop_next(1)
    assert len(live.pending_faults) == 2
    live.clear_faults()
    assert call("GET", live.url + "/ok").status_code == 200


# =========================================================================== PetstoreServer


def test_petstore_server_factory() -> None:
    with petstore_server(sample=True) as s:
        assert s.base_url == s.url + "/v1"
        names = [p["name"] for p in call("GET", s.base_url + "/pets").json()]
        assert names == ["Bo", "Polly", "Tom", "Rex"]
    assert not s.running


def test_reset_empties_the_store_and_restarts_ids(
    server: PetstoreServer, client: httpx.Client
) -> None:
    server.add_pet("A")
    server.fail_next(5)
    server.reset()
    assert server.requests == [] and server.pending_faults == []
    assert client.get("/pets").json() == []
    assert client.post("/pets", json={"name": "B"}).json()["id"] == 1


# --------------------------------------------------------------------------- createPet


def test_create_pet(server: PetstoreServer, client: httpx.Client) -> None:
    r = client.post("/pets", json={"name": "Rex", "tags": [{"name": "dog"}]})
    assert r.status_code == 201
    pet = r.json()
    assert pet["id"] == 1 and pet["name"] == "Rex" and pet["status"] == "available"
    assert pet["tags"] == [{"name": "dog"}]
    assert RFC3339_UTC.match(pet["createdAt"])
    assert set(pet) == {
        "id",
        "name",
        "status",
        "tags",
        "createdAt",
    }  # absent fields stay absent
    assert client.post("/pets", json={"name": "Tom"}).json()["id"] == 2
    assert server.last_request.route_name == "createPet"


def test_create_pet_with_every_field(
    server: PetstoreServer, client: httpx.Client
) -> None:
    body = {
        "name": "Rex",
        "status": "pending",
        "tags": [{"id": 7, "name": "dog"}],
        "owner": {
            "name": "Ann",
            "email": "ann@example.com",
            "address": {"street": "1 Road", "city": "X", "postcode": "1"},
        },
        "birthday": "2020-02-29",
        "notes": None,
    }
    pet = client.post("/pets", json=body).json()
    assert {k: pet[k] for k in body} == body


def test_create_pet_uses_the_clock(
    server: PetstoreServer, client: httpx.Client
) -> None:
    server.clock = lambda: datetime(2024, 1, 2, 3, 4, 5, 999, tzinfo=timezone.utc)
    assert (
        client.post("/pets", json={"name": "A"}).json()["createdAt"]
        == "2024-01-02T03:04:05Z"
    )


def test_unknown_body_fields_are_accepted_recorded_and_not_stored(
    server: PetstoreServer, client: httpx.Client
) -> None:
    r = client.post(
        "/pets",
        json={
            "name": "A",
            "colour": "red",
            "id": 99,
            "owner": {"name": "B", "nick": "b"},
            "tags": [{"name": "t", "x": 1}],
        },
    )
    assert r.status_code == 201
    assert server.last_request.unknown_fields == [
        "colour",
        "id",
        "owner.nick",
        "tags[0].x",
    ]
    pet = r.json()
    assert (
        pet["id"] == 1
        and "colour" not in pet
        and pet["owner"] == {"name": "B"}
        and pet["tags"] == [{"name": "t"}]
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("name", "is required")]),
        ({"name": 1}, [("name", "must be a string")]),
        ({"name": None}, [("name", "must not be null")]),
        (
            {"name": "A", "status": "lost"},
            [("status", "must be one of: available, pending, sold")],
        ),
        ({"name": "A", "status": None}, [("status", "must not be null")]),
        (
            {"name": "A", "birthday": "2020-1-1"},
            [("birthday", "must be a date (YYYY-MM-DD)")],
        ),
        (
            {"name": "A", "birthday": "2021-02-29"},
            [("birthday", "must be a valid calendar date")],
        ),
        (
            {"name": "A", "birthday": "2020-01-01T00:00:00Z"},
            [("birthday", "must be a date (YYYY-MM-DD)")],
        ),
        ({"name": "A", "tags": "dog"}, [("tags", "must be an array")]),
        ({"name": "A", "tags": ["dog"]}, [("tags[0]", "must be an object")]),
        ({"name": "A", "tags": [{"id": 1}]}, [("tags[0].name", "is required")]),
        (
            {"name": "A", "tags": [{"name": "a", "id": "1"}]},
            [("tags[0].id", "must be an integer")],
        ),
        (
            {"name": "A", "tags": [{"name": "a", "id": 2**63}]},
            [("tags[0].id", "must fit in int64")],
        ),
        ({"name": "A", "owner": {}}, [("owner.name", "is required")]),
        (
            {"name": "A", "owner": {"name": "B", "email": "nope"}},
            [("owner.email", "must be an email address")],
        ),
        (
            {"name": "A", "owner": {"name": "B", "address": {"city": 5}}},
            [("owner.address.city", "must be a string")],
        ),
        (
            {"name": "A", "owner": {"name": "B", "address": "here"}},
            [("owner.address", "must be an object")],
        ),
        ({"name": "A", "notes": 5}, [("notes", "must be a string")]),
        ([{"name": "A"}], [("(body)", "must be an object")]),
        ("A", [("(body)", "must be an object")]),
        (
            {"name": 1, "status": "x"},
            [
                ("name", "must be a string"),
                ("status", "must be one of: available, pending, sold"),
            ],
        ),
    ],
)
def test_create_pet_validation(
    server: PetstoreServer,
    client: httpx.Client,
    body: Any,
    expected: list[tuple[str, str]],
) -> None:
    r = client.post("/pets", json=body)
    assert problems(r) == expected
    assert server.pets == {}


def test_a_null_body_is_invalid(server: PetstoreServer, client: httpx.Client) -> None:
    r = client.post(
        "/pets", content=b"null", headers={"Content-Type": "application/json"}
    )
    assert problems(r) == [("(body)", "must not be null")]


# --------------------------------------------------------------------------- bodies: syntax


@pytest.mark.parametrize(
    ("headers", "content", "status", "code"),
    [
        ({}, b'{"name": "A"}', 415, "unsupported_media_type"),
        (
            {"Content-Type": "text/plain"},
            b'{"name": "A"}',
            415,
            "unsupported_media_type",
        ),
        (
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"name=A",
            415,
            "unsupported_media_type",
        ),
        (
            {"Content-Type": "application/json; charset=latin-1"},
            b'{"name": "A"}',
            415,
            "unsupported_media_type",
        ),
        ({"Content-Type": "application/json"}, b"", 400, "missing_body"),
        ({}, b"", 400, "missing_body"),
        ({"Content-Type": "application/json"}, b"{name: A}", 400, "invalid_json"),
        ({"Content-Type": "application/json"}, b'{"name": "A"', 400, "invalid_json"),
        (
            {"Content-Type": "application/json"},
            b'{"name": "A", "x": NaN}',
            400,
            "invalid_json",
        ),
        (
            {"Content-Type": "application/json"},
            b'{"name": "A", "name": "B"}',
            400,
            "invalid_json",
        ),
        (
            {"Content-Type": "application/json"},
            b'{"name": "\xff"}',
            400,
            "invalid_json",
        ),
        (
            {"Content-Type": "application/json"},
            b'\xef\xbb\xbf{"name": "A"}',
            400,
            "invalid_json",
        ),
    ],
)
def test_body_syntax_errors(
    server: PetstoreServer,
    client: httpx.Client,
    headers: dict[str, str],
    content: bytes,
    status: int,
    code: str,
) -> None:
    r = client.post("/pets", headers=headers, content=content)
    assert r.status_code == status, r.text
    assert error_code(r) == code


@pytest.mark.parametrize(
    "ctype",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON; charset=UTF-8",
    ],
)
def test_json_content_types_accepted(
    server: PetstoreServer, client: httpx.Client, ctype: str
) -> None:
    r = client.post("/pets", headers={"Content-Type": ctype}, content=b'{"name": "A"}')
    assert r.status_code == 201


def test_body_on_an_operation_without_one_is_rejected(
    server: PetstoreServer, client: httpx.Client
) -> None:
    server.add_pet("A")
    r = client.request("GET", "/pets/1", json={"x": 1})
    assert r.status_code == 400 and error_code(r) == "unexpected_body"
    r = client.request("DELETE", "/pets/1", content=b"x")
    assert r.status_code == 400 and error_code(r) == "unexpected_body"
    assert 1 in server.pets


# --------------------------------------------------------------------------- getPet / path params


def test_get_pet(server: PetstoreServer, client: httpx.Client) -> None:
    stored = server.add_pet("Rex", tags=["dog"], notes="hi")
    r = client.get("/pets/1")
    assert r.status_code == 200 and r.json() == stored


def test_get_pet_not_found(server: PetstoreServer, client: httpx.Client) -> None:
    r = client.get("/pets/999")
    assert r.status_code == 404
    assert r.json() == {"code": "not_found", "message": "pet 999 not found"}


@pytest.mark.parametrize(
    "raw", ["abc", "1.0", "1e3", "+1", "0x1", "99999999999999999999", "1%20", "%31"]
)
def test_pet_id_must_be_an_int64(
    server: PetstoreServer, client: httpx.Client, raw: str
) -> None:
    server.add_pet("A")
    r = client.get(f"/pets/{raw}")
    if raw == "%31":  # percent-decoded "1" is a valid id
        assert r.status_code == 200
        return
    assert r.status_code == 400, r.text
    assert error_code(r) == "invalid_path_parameter"


def test_negative_pet_id_is_just_not_found(
    server: PetstoreServer, client: httpx.Client
) -> None:
    assert client.get("/pets/-1").status_code == 404


def test_routes_are_exact(server: PetstoreServer, client: httpx.Client) -> None:
    assert error_code(client.get("/pets/")) == "no_route"
    assert call("GET", server.url + "/pets").status_code == 404  # no base path
    r = client.patch("/pets/1", json={"name": "A"})
    assert r.status_code == 405 and r.headers["allow"] == "DELETE, GET, PUT"


# --------------------------------------------------------------------------- updatePet


def test_update_pet_replaces_everything(
    server: PetstoreServer, client: httpx.Client
) -> None:
    old = server.add_pet(
        "Rex",
        status="pending",
        tags=["dog"],
        notes="n",
        birthday="2020-01-01",
        created_at="2024-01-01T00:00:00Z",
    )
    r = client.put("/pets/1", json={"name": "Max"})
    assert r.status_code == 200
    assert r.json() == {
        "id": 1,
        "name": "Max",
        "status": "available",
        "createdAt": old["createdAt"],
    }
    assert client.get("/pets/1").json() == r.json()


def test_update_pet_notes_null_vs_absent(
    server: PetstoreServer, client: httpx.Client
) -> None:
    server.add_pet("Rex", notes="n")
    r = client.put("/pets/1", json={"name": "Rex", "notes": None})
    assert r.json()["notes"] is None
    assert json.loads(server.last_request.body) == {"name": "Rex", "notes": None}
    r = client.put("/pets/1", json={"name": "Rex", "notes": "again"})
    assert r.json()["notes"] == "again"
    r = client.put("/pets/1", json={"name": "Rex"})
    assert "notes" not in r.json()


def test_update_pet_errors(server: PetstoreServer, client: httpx.Client) -> None:
    r = client.put("/pets/5", json={"name": "A"})
    assert r.status_code == 404 and r.json() == {
        "code": "not_found",
        "message": "pet 5 not found",
    }
    server.add_pet("A")
    assert problems(client.put("/pets/1", json={"status": "sold"})) == [
        ("name", "is required")
    ]
    assert client.put("/pets/1", content=b"{}").status_code == 415
    assert client.get("/pets/1").json()["name"] == "A"


# --------------------------------------------------------------------------- deletePet


def test_delete_pet(server: PetstoreServer, client: httpx.Client) -> None:
    server.add_pet("A")
    server.add_vaccination(1, "rabies", "2021-01-01")
    r = client.delete("/pets/1")
    assert r.status_code == 204 and r.content == b""
    assert "content-type" not in r.headers
    assert client.get("/pets/1").status_code == 404
    assert client.delete("/pets/1").status_code == 404
    assert server.vaccinations == {}


# --------------------------------------------------------------------------- listPets


def test_list_pets_newest_first(server: PetstoreServer, client: httpx.Client) -> None:
    server.add_pet("old", created_at="2024-01-01T00:00:00Z")
    server.add_pet("new", created_at="2024-03-01T00:00:00Z")
    server.add_pet("mid", created_at="2024-02-01T00:00:00Z")
    server.add_pet(
        "mid2", created_at="2024-02-01T00:00:00Z"
    )  # same time: higher id first
    assert [p["name"] for p in client.get("/pets").json()] == [
        "new",
        "mid2",
        "mid",
        "old",
    ]


def test_list_pets_limit(server: PetstoreServer, client: httpx.Client) -> None:
    for i in range(25):
        server.add_pet(f"p{i}")
    assert len(client.get("/pets").json()) == 20  # the spec's default
    assert len(client.get("/pets", params={"limit": 3}).json()) == 3
    assert len(client.get("/pets", params={"limit": 100}).json()) == 25
    assert client.get("/pets", params={"limit": 1}).json()[0]["name"] == "p24"


def test_list_pets_filters(server: PetstoreServer, client: httpx.Client) -> None:
    server.add_pet("a", tags=["dog", "big"])
    server.add_pet("b", tags=["dog"], status="sold")
    server.add_pet("c", tags=["cat", "big"])
    server.add_pet("d")

    def names(**params: Any) -> list[str]:
        r = client.get("/pets", params=params)
        assert r.status_code == 200, r.text
        return [p["name"] for p in r.json()]

    assert names(status="sold") == ["b"]
    assert names(status="available") == ["d", "c", "a"]
    assert names(tags="dog") == ["b", "a"]
    assert names(tags=["dog", "big"]) == ["a"]
    assert server.last_request.raw_query == "tags=dog&tags=big"  # form, explode=true
    assert names(tags=["dog"], status="available", limit=5) == ["a"]
    assert (
        names(tags="dog,big") == []
    )  # not exploded: one tag literally named "dog,big"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("limit=0", [("limit", "must be >= 1")]),
        ("limit=101", [("limit", "must be <= 100")]),
        ("limit=abc", [("limit", "must be an integer")]),
        ("limit=1.5", [("limit", "must be an integer")]),
        ("limit=", [("limit", "must be an integer")]),
        ("limit=%2B5", [("limit", "must be an integer")]),
        ("limit=5&limit=6", [("limit", "must be given at most once")]),
        ("status=lost", [("status", "must be one of: available, pending, sold")]),
        ("status=Available", [("status", "must be one of: available, pending, sold")]),
        ("status=sold&status=pending", [("status", "must be given at most once")]),
        (
            "limit=0&status=x",
            [
                ("limit", "must be >= 1"),
                ("status", "must be one of: available, pending, sold"),
            ],
        ),
    ],
)
def test_list_pets_query_validation(
    server: PetstoreServer,
    client: httpx.Client,
    query: str,
    expected: list[tuple[str, str]],
) -> None:
    assert problems(client.get(f"/pets?{query}")) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/pets?page=2",
        "/pets?limit=1&Limit=2",
        "/pets?tags[]=a",
        "/store/inventory?x=1",
        "/pets/1?fields=name",
    ],
)
def test_unknown_query_parameters_are_rejected(
    server: PetstoreServer, client: httpx.Client, path: str
) -> None:
    server.add_pet("A")
    r = client.get(path)
    assert r.status_code == 400
    assert error_code(r) == "unknown_query_parameter"


# --------------------------------------------------------------------------- vaccinations


def test_list_vaccinations(server: PetstoreServer, client: httpx.Client) -> None:
    server.add_pet("A")
    server.add_vaccination(1, "b", "2022-05-01")
    server.add_vaccination(1, "a", "2021-05-01")
    server.add_vaccination(1, "c", "2023-05-01")
    r = client.get("/pets/1/vaccinations")
    assert r.json() == {
        "petId": 1,
        "vaccinations": [
            {"name": "a", "date": "2021-05-01"},
            {"name": "b", "date": "2022-05-01"},
            {"name": "c", "date": "2023-05-01"},
        ],
    }
    r = client.get("/pets/1/vaccinations", params={"since": "2022-05-01"})
    assert [v["name"] for v in r.json()["vaccinations"]] == ["b", "c"]
    assert client.get("/pets/1/vaccinations?since=2025-01-01").json() == {
        "petId": 1,
        "vaccinations": [],
    }


def test_list_vaccinations_errors(server: PetstoreServer, client: httpx.Client) -> None:
    r = client.get("/pets/2/vaccinations")
    assert r.status_code == 404 and r.json()["message"] == "pet 2 not found"
    server.add_pet("A")
    assert problems(client.get("/pets/1/vaccinations?since=2022-5-1")) == [
        ("since", "must be a date (YYYY-MM-DD)")
    ]
    assert problems(client.get("/pets/1/vaccinations?since=2022-05-01T00:00:00Z")) == [
        ("since", "must be a date (YYYY-MM-DD)")
    ]
    assert client.get("/pets/x/vaccinations").status_code == 400


# --------------------------------------------------------------------------- store


def test_place_and_get_order(server: PetstoreServer, client: httpx.Client) -> None:
    server.add_pet("A")
    r = client.post(
        "/store/orders",
        json={"petId": 1, "quantity": 2, "shipDate": "2024-06-01T12:00:00Z"},
    )
    assert r.status_code == 201
    order = r.json()
    assert uuid.UUID(order["id"]).version == 4
    assert order == {
        "id": order["id"],
        "petId": 1,
        "quantity": 2,
        "shipDate": "2024-06-01T12:00:00Z",
        "status": "placed",
        "complete": False,
    }
    assert client.get(f"/store/orders/{order['id']}").json() == order
    assert client.get(f"/store/orders/{order['id'].upper()}").json() == order
    minimal = client.post("/store/orders", json={"petId": 1, "quantity": 1}).json()
    assert "shipDate" not in minimal and minimal["id"] != order["id"]


@pytest.mark.parametrize("status", ["pending", "sold"])
def test_order_for_a_pet_not_available_is_409(
    server: PetstoreServer, client: httpx.Client, status: str
) -> None:
    server.add_pet("A", status=status)
    r = client.post("/store/orders", json={"petId": 1, "quantity": 1})
    assert r.status_code == 409
    assert r.json() == {
        "code": "pet_not_available",
        "message": f"pet 1 is {status}, not available",
    }
    assert server.orders == {}


def test_order_for_a_missing_pet_is_422(
    server: PetstoreServer, client: httpx.Client
) -> None:
    assert problems(client.post("/store/orders", json={"petId": 9, "quantity": 1})) == [
        ("petId", "no pet with id 9")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("petId", "is required"), ("quantity", "is required")]),
        ({"petId": 1, "quantity": 0}, [("quantity", "must be >= 1")]),
        ({"petId": 1, "quantity": 1.0}, [("quantity", "must be an integer")]),
        ({"petId": 1, "quantity": 1.5}, [("quantity", "must be an integer")]),
        ({"petId": 1, "quantity": True}, [("quantity", "must be an integer")]),
        ({"petId": 1, "quantity": "1"}, [("quantity", "must be an integer")]),
        ({"petId": 1, "quantity": 2**31}, [("quantity", "must fit in int32")]),
        ({"petId": "1", "quantity": 1}, [("petId", "must be an integer")]),
        (
            {"petId": 1, "quantity": 1, "shipDate": "2024-01-01"},
            [
                (
                    "shipDate",
                    "must be an RFC 3339 date-time with a UTC offset (YYYY-MM-DDTHH:MM:SSZ)",
                )
            ],
        ),
        (
            {"petId": 1, "quantity": 1, "shipDate": "2024-01-01T00:00:00"},
            [
                (
                    "shipDate",
                    "must be an RFC 3339 date-time with a UTC offset (YYYY-MM-DDTHH:MM:SSZ)",
                )
            ],
        ),
        (
            {"petId": 1, "quantity": 1, "shipDate": "2024-01-01 00:00:00Z"},
            [
                (
                    "shipDate",
                    "must be an RFC 3339 date-time with a UTC offset (YYYY-MM-DDTHH:MM:SSZ)",
                )
            ],
        ),
        (
            {"petId": 1, "quantity": 1, "shipDate": "2024-13-01T00:00:00Z"},
            [("shipDate", "must be a valid date-time")],
        ),
        (
            {"petId": 1, "quantity": 1, "shipDate": 1700000000},
            [("shipDate", "must be a string")],
        ),
    ],
)
def test_place_order_validation(
    server: PetstoreServer,
    client: httpx.Client,
    body: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    server.add_pet("A")
    assert problems(client.post("/store/orders", json=body)) == expected


@pytest.mark.parametrize(
    "ship_date",
    [
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00.123456Z",
        "2024-01-01T02:00:00+02:00",
        "2024-01-01t00:00:00z",
    ],
)
def test_place_order_accepts_rfc3339(
    server: PetstoreServer, client: httpx.Client, ship_date: str
) -> None:
    server.add_pet("A")
    r = client.post(
        "/store/orders", json={"petId": 1, "quantity": 1, "shipDate": ship_date}
    )
    assert r.status_code == 201 and r.json()["shipDate"] == ship_date


def test_get_order_errors(server: PetstoreServer, client: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    r = client.get(f"/store/orders/{missing}")
    assert r.status_code == 404 and r.json() == {
        "code": "not_found",
        "message": f"order {missing} not found",
    }
    for bad in ["123", "not-a-uuid", missing.replace("-", ""), "{" + missing + "}"]:
        r = client.get(f"/store/orders/{bad}")
        assert r.status_code == 400 and error_code(r) == "invalid_path_parameter", bad


def test_inventory(server: PetstoreServer, client: httpx.Client) -> None:
    assert client.get("/store/inventory").json() == {
        "available": 0,
        "pending": 0,
        "sold": 0,
    }
    server.seed_sample()
    assert client.get("/store/inventory").json() == {
        "available": 2,
        "pending": 1,
        "sold": 1,
    }


# --------------------------------------------------------------------------- cross-cutting


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/pets", {}),
        ("POST", "/pets", {"json": {"name": "A"}}),
        ("POST", "/pets", {"json": {}}),  # 422
        ("GET", "/pets/77", {}),  # 404
        ("GET", "/nowhere", {}),  # no route
        ("DELETE", "/pets/1", {}),  # 204
    ],
)
def test_request_id_is_echoed(
    server: PetstoreServer, client: httpx.Client, method: str, path: str, kwargs: dict
) -> None:
    server.add_pet("A")
    r = client.request(method, path, headers={"X-Request-Id": "req-123"}, **kwargs)
    assert r.headers["x-request-id"] == "req-123"
    assert "x-request-id" not in client.get("/pets").headers


def test_request_id_is_echoed_on_injected_failures(
    server: PetstoreServer, client: httpx.Client
) -> None:
    server.fail_next(1, 429, headers={"Retry-After": "0"})
    r = client.get("/pets", headers={"X-Request-Id": "r1"})
    assert (
        r.status_code == 429
        and r.headers["x-request-id"] == "r1"
        and r.headers["retry-after"] == "0"
    )


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        ("application/json", True),
        ("*/*", True),
        ("application/*", True),
        ("text/html, application/json;q=0.5", True),
        ("text/html", False),
        ("application/xml", False),
        ("text/html, application/json;q=0", False),
    ],
)
def test_accept_header(
    server: PetstoreServer, client: httpx.Client, accept: str, ok: bool
) -> None:
    r = client.get("/pets", headers={"Accept": accept})
    if ok:
        assert r.status_code == 200
    else:
        assert r.status_code == 406 and error_code(r) == "not_acceptable"


def test_faults_by_operation_path(server: PetstoreServer, client: httpx.Client) -> None:
    server.add_pet("A")
    server.fail_next(1, 503, method="GET", path="/v1/pets/{petId}")
    assert client.get("/pets").status_code == 200
    assert client.get("/pets/1").status_code == 503
    assert client.get("/pets/1").status_code == 200
    assert [r.route_name for r in server.requests] == ["listPets", "getPet", "getPet"]


def test_responses_match_the_spec(server: PetstoreServer, client: httpx.Client) -> None:
    """Drive every operation; the server checks its own responses (fixture asserts no errors)."""
    server.seed_sample()
    client.get("/pets", params={"tags": ["dog"], "status": "available", "limit": 2})
    client.post(
        "/pets",
        json={"name": "N", "notes": None, "owner": {"name": "O", "address": {}}},
    )
    client.get("/pets/2")
    client.put("/pets/2", json={"name": "T", "tags": [{"id": 1, "name": "x"}]})
    client.get("/pets/1/vaccinations")
    order = client.post("/store/orders", json={"petId": 1, "quantity": 3}).json()
    client.get(f"/store/orders/{order['id']}")
    client.post("/store/orders", json={"petId": 3, "quantity": 1})  # 409
    client.get("/store/inventory")
    client.delete("/pets/4")
    client.get("/pets/999")
    assert [r.reply_status for r in server.requests] == [
        200,
        201,
        200,
        200,
        200,
        201,
        200,
        409,
        200,
        204,
        404,
    ]
    assert server.errors == []


def test_response_self_check_catches_a_broken_server(
    server: PetstoreServer, client: httpx.Client
) -> None:
    server.add_pet("A")
    server.pets[1]["status"] = "lost"  # corrupt the store behind the server's back
    assert client.get("/pets/1").status_code == 200
    assert len(server.errors) == 1 and "getPet" in server.errors[0]
    server.clear_errors()


def test_concurrent_creates_get_distinct_ids(server: PetstoreServer) -> None:
    with ThreadPoolExecutor(8) as pool:
        ids = list(
            pool.map(
                lambda i: call(
                    "POST", server.base_url + "/pets", json={"name": f"p{i}"}
                ).json()["id"],
                range(30),
            )
        )
    assert sorted(ids) == list(range(1, 31))


def test_raw_socket_request_is_logged_exactly(server: PetstoreServer) -> None:
    """What the log holds is what was on the wire, not what a client library meant."""
    raw = (
        b"POST /v1/pets?x=%41 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
        b'X-Odd-Case: V\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{"name":"A"}\n'
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 400 ")
    req = server.last_request
    assert req.target == "/v1/pets?x=%41" and req.query == [("x", "A")]
    assert ("X-Odd-Case", "V") in req.headers.raw
    assert req.body == b'{"name":"A"}\n'
