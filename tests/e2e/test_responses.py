"""Responses: JSON, binary, text, 204, raw and streamed responses, and server-sent events."""

from __future__ import annotations

import threading

import httpx
import pytest


def test_binary_text_and_no_content(workbench, wb, workbench_server):
    data = bytes(range(256))
    wb.files.put_blob(name="b", body=data)
    assert wb.files.get_blob(name="b") == data
    assert workbench_server.last_request.headers["accept"] == "application/octet-stream, application/json;q=0.9"
    note = wb.forms.create_note(body="hello")
    text = wb.forms.get_note_text(note_id=note.id)
    assert text == "hello" and isinstance(text, str)
    assert wb.files.delete_blob(name="b") is None
    assert workbench_server.last_request.reply_status == 204


def test_raw_response_gives_status_headers_and_parse(workbench, wb, workbench_server):
    workbench_server.fail_next(1, status=503)
    raw = wb.files.with_raw_response.put_blob(name="b", body=b"abc")
    assert raw.status_code == 200 and raw.attempts == 2
    assert raw.headers["content-type"] == "application/json"
    assert raw.request.method == "PUT" and raw.operation == "files.put_blob"
    assert raw.json()["size"] == 3 and raw.content.startswith(b"{")
    blob = raw.parse()
    assert isinstance(blob, workbench.models.Blob) and blob.size == 3 and raw.parse() is blob
    assert wb.files.with_raw_response.delete_blob(name="b").parse() is None
    assert wb.files.with_raw_response.get_blob is not None  # and the resource's own methods stay plain
    assert wb.files.with_raw_response is wb.files.with_raw_response  # cached per resource


def test_streaming_response_reads_lazily_and_can_go_to_a_file(workbench, wb, workbench_server, tmp_path):
    data = bytes(range(256)) * 4096  # 1 MiB
    wb.files.put_blob(name="big", body=data)
    with wb.files.with_streaming_response.get_blob(name="big") as response:
        assert response.status_code == 200
        assert not response.http_response.is_stream_consumed  # nothing read yet
        response.stream_to_file(tmp_path / "big.bin", chunk_size=65536)
    assert (tmp_path / "big.bin").read_bytes() == data
    assert response.http_response.is_closed
    with wb.files.with_streaming_response.get_blob(name="big") as response:
        sizes = [len(chunk) for chunk in response.iter_bytes(chunk_size=100_000)]
    assert sum(sizes) == len(data) and max(sizes) <= 100_000
    with wb.files.with_streaming_response.put_blob(name="x", body=b"12") as response:
        assert response.parse().size == 2  # parse() reads what it needs


async def test_async_raw_and_streaming_responses(workbench, workbench_server, tmp_path):
    async with workbench.AsyncWorkbench(base_url=workbench_server.base_url) as client:
        raw = await client.files.with_raw_response.put_blob(name="b", body=b"xyz")
        assert raw.status_code == 200 and (await raw.parse()).size == 3
        async with client.files.with_streaming_response.get_blob(name="b") as response:
            assert [chunk async for chunk in response.iter_bytes()] == [b"xyz"]
        async with client.files.with_streaming_response.get_blob(name="b") as response:
            await response.stream_to_file(tmp_path / "b.bin")
        assert (tmp_path / "b.bin").read_bytes() == b"xyz"
        assert response.http_response.is_closed


# -- server-sent events ----------------------------------------------------------------------------


def test_events_are_typed_models(workbench, wb, workbench_server):
    with wb.events.list(count=3) as events:
        received = list(events)
    assert [(e.seq, e.kind) for e in received] == [(1, "started"), (2, "progress"), (3, "finished")]
    assert all(isinstance(e, workbench.models.Event) for e in received)
    assert received[0].kind is workbench.models.EventKind.STARTED
    assert workbench_server.last_request.headers["accept"] == "text/event-stream, application/json;q=0.9"
    assert [e.seq for e in wb.events.list(count=2, done=True)] == [1, 2]  # [DONE] ends the stream


def test_events_arrive_as_they_are_sent(workbench, wb, workbench_server):
    workbench_server.events_gate = gate = threading.Event()
    events = wb.events.list(count=2)
    first = next(iter(events))  # the server sends the second only after the gate opens
    assert first.seq == 1 and not gate.is_set()
    gate.set()
    assert [e.seq for e in events] == [2]
    assert events.response.is_closed  # released at the end


def test_leaving_a_stream_early_closes_the_connection(workbench, wb, workbench_server):
    with wb.events.list(count=500) as events:
        for event in events:
            if event.seq == 2:
                break
    assert events.response.is_closed
    assert workbench_server.stream_aborted.wait(5)  # the server saw the client go
    assert wb.styles.get_item(item_id="still-works").path == "/api/items/still-works"


def test_raw_events_follow_the_event_stream_format(workbench, wb):
    events = list(wb.events.list_raw())
    SSE = workbench._streaming.ServerSentEvent
    assert events == [
        SSE(event="greeting", data="hello\nworld", id="a1", retry=1500),
        SSE(event="message", data="no space after the colon", id="a1"),  # the last id carries over
        SSE(event="message", data='{"json": true}', id="a2"),
    ]
    assert events[2].json() == {"json": True}


def test_a_stream_through_the_raw_and_streaming_views(workbench, wb):
    raw = wb.events.with_raw_response.list(count=2)
    assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
    assert [e.seq for e in raw.parse()] == [1, 2]
    with wb.events.with_streaming_response.list_raw() as response:
        assert next(iter(response.parse())).event == "greeting"
    assert response.http_response.is_closed


def test_an_event_off_the_schema_names_the_json_path(workbench, wb, workbench_server):
    workbench_server.fail_next(
        1, status=200, body='data: {"seq": "one", "kind": "started"}\n\n', headers={"Content-Type": "text/event-stream"}
    )
    with pytest.raises(workbench.ResponseValidationError) as info:
        list(wb.events.list())
    assert info.value.path == "$.seq" and "event 'message'" in str(info.value)


async def test_async_events(workbench, workbench_server):
    async with workbench.AsyncWorkbench(base_url=workbench_server.base_url) as client:
        stream = await client.events.list(count=3, done=True)
        assert [e.seq async for e in stream] == [1, 2, 3]
        assert stream.response.is_closed
        async with await client.events.list(count=500) as events:
            async for event in events:
                if event.seq == 2:
                    break
        assert events.response.is_closed
        assert workbench_server.stream_aborted.wait(5)
        raw = [e.event async for e in await client.events.list_raw()]
        assert raw == ["greeting", "message", "message"]


def test_response_objects_do_not_hide_httpx(workbench, wb):
    raw = wb.styles.with_raw_response.get_item(item_id="a")
    assert isinstance(raw.http_response, httpx.Response) and isinstance(raw.url, httpx.URL)
    assert repr(raw) == "<APIResponse styles.get_item [200]>"


def test_response_and_stream_types_are_exported_lazily(workbench):
    assert workbench.APIResponse is workbench._response.APIResponse
    assert workbench.AsyncStream is workbench._streaming.AsyncStream
    assert workbench.ServerSentEvent is workbench._streaming.ServerSentEvent
    with pytest.raises(AttributeError):
        workbench.NoSuchThing  # noqa: B018
