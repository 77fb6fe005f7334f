"""Retries against live servers with injected faults. The clients' sleep is replaced by a list
(`wb.sleeps`, `sleeps`), so every delay is asserted and none is waited."""

from __future__ import annotations

import email.utils
import io
import time
import uuid

import pytest


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(petstore, petstore_server, sleeps):
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        client._sleep = sleeps.append
        yield client


def test_two_retries_by_default_with_exponential_backoff_and_jitter(petstore, client, petstore_server, sleeps):
    petstore_server.fail_next(5, status=503)
    with pytest.raises(petstore.InternalServerError) as info:
        client.pets.list()
    assert info.value.attempts == 3 and "(after 3 attempts)" in str(info.value)
    assert len(petstore_server.requests) == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_backoff_doubles_up_to_a_cap_of_8_seconds(petstore):
    client = petstore.Petstore(base_url="http://127.0.0.1:9")
    delays = [client._retry_delay(attempt, 10, None) for attempt in range(1, 9)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(0.5 * 2 ** (attempt - 1), 8.0)
        assert 0.75 * ceiling <= delay <= ceiling
    assert client._retry_delay(11, 10, None) is None  # out of retries
    client.close()


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(petstore, client, petstore_server, status):
    petstore_server.fail_next(1, status=status)
    assert client.pets.list().items == []
    assert [r.reply_status for r in petstore_server.requests] == [status, 200]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_other_statuses_are_not(petstore, client, petstore_server, status, sleeps):
    petstore_server.fail_next(1, status=status)
    with pytest.raises(petstore.APIStatusError) as info:
        client.pets.list()
    assert info.value.status_code == status and info.value.attempts == 1
    assert len(petstore_server.requests) == 1 and sleeps == []


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"Retry-After": "2"}, 2.0),
        ({"Retry-After": "0"}, 0.0),
        ({"retry-after-ms": "150"}, 0.15),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),  # the precise one wins
        ({"Retry-After": "60"}, 60.0),  # the cap itself is still honoured
    ],
)
def test_retry_after_is_honoured(petstore, client, petstore_server, sleeps, headers, expected):
    petstore_server.fail_next(1, status=429, headers=headers)
    assert client.pets.list().items == []
    assert sleeps == [expected]


def test_retry_after_as_an_http_date(petstore, client, petstore_server, sleeps):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    petstore_server.fail_next(1, status=503, headers={"Retry-After": when})
    assert client.pets.list().items == []
    assert len(sleeps) == 1 and 28 <= sleeps[0] <= 30


@pytest.mark.parametrize("headers", [{"Retry-After": "3600"}, {"retry-after-ms": "61000"}])
def test_a_retry_after_beyond_the_cap_fails_fast(petstore, client, petstore_server, sleeps, headers):
    petstore_server.fail_next(1, status=429, headers=headers)
    with pytest.raises(petstore.RateLimitError) as info:
        client.pets.list()
    assert info.value.attempts == 1 and sleeps == []
    assert len(petstore_server.requests) == 1
    assert info.value.headers.get("retry-after") == headers.get("Retry-After")


def test_timeouts_are_retried_for_idempotent_calls(petstore, client, petstore_server):
    petstore_server.delay_next(1, 0.5)
    assert client.pets.list(timeout=0.1).items == []
    assert [r.delayed for r in petstore_server.requests] == [0.5, 0.0]


def test_puts_and_deletes_are_retried(petstore, client, petstore_server):
    pet = client.pets.create(name="Rex")
    petstore_server.fail_next(1, status=502, method="PUT")
    assert client.pets.update(pet_id=pet.id, name="Max").name == "Max"
    petstore_server.fail_next(1, status=500, method="DELETE")
    assert client.pets.delete(pet_id=pet.id) is None
    assert [(r.method, r.reply_status) for r in petstore_server.requests[1:]] == [
        ("PUT", 502),
        ("PUT", 200),
        ("DELETE", 500),
        ("DELETE", 204),
    ]


def test_a_post_without_an_idempotency_key_is_never_sent_twice(workbench, wb, workbench_server):
    workbench_server.fail_next(1, status=503)
    with pytest.raises(workbench.InternalServerError) as info:
        wb.payments.send_message(text="hi")
    assert info.value.attempts == 1 and wb.sleeps == []
    workbench_server.delay_next(1, 0.5)
    with pytest.raises(workbench.APITimeoutError) as timeout:
        wb.payments.send_message(text="hi", timeout=0.1)
    assert timeout.value.attempts == 1
    assert len(workbench_server.requests) == 2


def test_a_post_with_an_idempotency_key_is_retried_with_the_same_key(workbench, wb, workbench_server):
    workbench_server.fail_next(2, status=500)
    payment = wb.payments.create(amount=5, currency="EUR")
    keys = [r.headers["idempotency-key"] for r in workbench_server.requests]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert uuid.UUID(keys[0]).version == 4 and payment.idempotency_key == keys[0]
    assert len(workbench_server.payments) == 1
    second = wb.payments.create(amount=5, currency="EUR")
    assert second.idempotency_key != payment.idempotency_key  # a new call, a new key
    mine = wb.payments.create(amount=7, currency="EUR", idempotency_key="order-42")
    assert workbench_server.last_request.headers["idempotency-key"] == "order-42" and mine.amount == 7


def test_a_dropped_connection_with_an_idempotency_key_is_retried(workbench, wb, workbench_server):
    workbench_server.drop_next(1)
    payment = wb.payments.create(amount=5, currency="EUR")
    assert [r.fault for r in workbench_server.requests] == ["drop", None]
    assert {r.headers["idempotency-key"] for r in workbench_server.requests} == {payment.idempotency_key}


def test_a_post_marked_idempotent_by_the_spec_is_retried(workbench, wb, workbench_server):
    workbench_server.fail_next(1, status=503)
    assert wb.payments.start_job(name="nightly").name == "nightly"
    assert [r.reply_status for r in workbench_server.requests] == [503, 202]


def test_a_streamed_request_body_is_not_retried(workbench, wb, workbench_server):
    workbench_server.fail_next(1, status=503)
    with pytest.raises(workbench.InternalServerError) as info:
        wb.files.put_blob(name="b", body=iter([b"chunk-1,", b"chunk-2"]))  # a PUT, but it cannot be resent
    assert info.value.attempts == 1 and len(workbench_server.requests) == 1


def test_a_seekable_file_body_is_resent_from_its_start(workbench, wb, workbench_server):
    data = io.BytesIO(b"skip:" + bytes(range(256)) * 100)
    data.read(5)  # the body is what is left of the file
    workbench_server.fail_next(1, status=503)
    blob = wb.files.put_blob(name="b", body=data)
    assert blob.size == 25600
    first, second = workbench_server.requests
    assert first.body == second.body == bytes(range(256)) * 100
    assert second.headers["content-length"] == "25600"


async def test_async_retries_and_idempotency_keys(workbench, workbench_server):
    sleeps = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with workbench.AsyncWorkbench(base_url=workbench_server.base_url) as client:
        client._sleep = sleep
        workbench_server.fail_next(1, status=429, headers={"retry-after-ms": "20"})
        payment = await client.payments.create(amount=1, currency="EUR")
        assert sleeps == [0.02]
        assert [r.headers["idempotency-key"] for r in workbench_server.requests] == [payment.idempotency_key] * 2
        workbench_server.fail_next(1, status=503)
        with pytest.raises(workbench.InternalServerError) as info:
            await client.payments.send_message(text="once")
        assert info.value.attempts == 1
