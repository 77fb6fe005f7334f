"""Request bodies in every encoding, against the live workbench server that parses them."""

from __future__ import annotations

import hashlib
import io

import pytest


def test_multipart_with_files_in_every_form_and_fields(workbench, wb, workbench_server, tmp_path):
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n1,2\n")
    upload = wb.files.create_upload(
        file=report,  # a path: read, named after the file
        description="quarterly",
        tags=["x", "y"],
        attachments=[b"raw bytes", io.BytesIO(b"file object"), ("notes.txt", b"a tuple", "text/plain"), ("r.csv", report)],
        meta=workbench.models.UploadFormMeta(source="scanner"),
    )
    assert upload.filename == "report.csv" and upload.size == 8
    assert upload.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert upload.content_type == "text/csv"  # guessed from the name
    assert upload.description == "quarterly" and upload.tags == ["x", "y"]
    assert upload.attachments == ["upload", "upload", "notes.txt", "r.csv"]
    assert upload.meta == {"source": "scanner"}  # an object part travels as JSON
    parts = workbench_server.uploads[-1]
    assert [p.name for p in parts] == ["file", "description", "tags", "tags", *["attachments"] * 4, "meta"]
    assert [p.data for p in parts if p.name == "attachments"] == [b"raw bytes", b"file object", b"a tuple", b"a,b\n1,2\n"]
    assert parts[6].content_type == "text/plain" and parts[-1].content_type == "application/json"


def test_multipart_file_as_a_tuple_and_an_open_file(workbench, wb, workbench_server, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG fake")
    upload = wb.files.create_upload(file=("custom.bin", b"\x00\x01", "application/x-custom"))
    assert (upload.filename, upload.content_type, upload.size) == ("custom.bin", "application/x-custom", 2)
    with open(path, "rb") as handle:
        upload = wb.files.create_upload(file=handle)
    assert (upload.filename, upload.content_type) == ("photo.png", "image/png")
    assert "description" not in [p.name for p in workbench_server.uploads[-1]]  # left out, not sent empty


def test_form_urlencoded(workbench, wb, workbench_server):
    echo = wb.forms.submit_contact(name="Ann Lee", email="ann@example.com", topics=["a&b", "c"], subscribe=False)
    assert workbench_server.last_request.body == b"name=Ann+Lee&email=ann%40example.com&topics=a%26b&topics=c&subscribe=false"
    assert echo.fields == {"name": ["Ann Lee"], "email": ["ann@example.com"], "topics": ["a&b", "c"], "subscribe": ["false"]}


def test_octet_stream_from_bytes_files_paths_and_iterators(workbench, wb, workbench_server, tmp_path):
    data = bytes(range(256)) * 64
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    assert wb.files.put_blob(name="bytes", body=data).size == len(data)
    with open(path, "rb") as handle:
        assert wb.files.put_blob(name="file", body=handle).size == len(data)
    assert wb.files.put_blob(name="path", body=path).size == len(data)
    chunks = (data[i : i + 1000] for i in range(0, len(data), 1000))
    assert wb.files.put_blob(name="iter", body=chunks).sha256 == hashlib.sha256(data).hexdigest()
    streamed = workbench_server.last_request
    assert streamed.headers["transfer-encoding"] == "chunked"  # sent as it was read
    assert set(workbench_server.blobs.values()) == {data}
    assert {r.headers["content-type"] for r in workbench_server.requests} == {"application/octet-stream"}


async def test_async_octet_stream_from_files_and_async_iterators(workbench, workbench_server, tmp_path):
    data = b"async bytes" * 1000
    path = tmp_path / "data.bin"
    path.write_bytes(data)

    async def chunks():
        for i in range(0, len(data), 4096):
            yield data[i : i + 4096]

    async with workbench.AsyncWorkbench(base_url=workbench_server.base_url) as client:
        with open(path, "rb") as handle:
            assert (await client.files.put_blob(name="f", body=handle)).size == len(data)
        assert (await client.files.put_blob(name="a", body=chunks())).size == len(data)
        assert (await client.files.create_upload(file=path)).size == len(data)
    assert set(workbench_server.blobs.values()) == {data}


def test_text_plain(workbench, wb, workbench_server):
    note = wb.forms.create_note(body="Grüße\nzwei Zeilen")
    assert workbench_server.last_request.headers["content-type"] == "text/plain"
    assert workbench_server.last_request.body == "Grüße\nzwei Zeilen".encode()
    assert note.text == "Grüße\nzwei Zeilen"
    assert wb.forms.get_note_text(note_id=note.id) == "Grüße\nzwei Zeilen"


@pytest.mark.parametrize(
    "content_type, fields",
    [
        ("application/json", {"title": "T", "tags": ["a", "b"], "pages": 3}),
        ("application/x-www-form-urlencoded", {"title": ["T"], "tags": ["a", "b"], "pages": ["3"]}),
        ("multipart/form-data", {"title": ["T"], "tags": ["a", "b"], "pages": ["3"]}),
    ],
)
def test_the_caller_chooses_among_several_content_types(workbench, wb, content_type, fields):
    echo = wb.forms.create_document(title="T", tags=["a", "b"], pages=3, content_type=content_type)
    assert echo.content_type == content_type and echo.fields == fields


def test_json_is_the_default_and_other_content_types_are_refused(workbench, wb, workbench_server):
    assert wb.forms.create_document(title="T").content_type == "application/json"
    with pytest.raises(ValueError, match="takes application/json or"):
        wb.forms.create_document(title="T", content_type="text/csv")  # type: ignore[arg-type]
    assert len(workbench_server.requests) == 1


def test_extra_body_merges_into_fields_of_every_encoding(workbench, wb, workbench_server):
    wb.forms.create_document(title="T", extra_body={"draft": True})
    assert workbench_server.last_request.json() == {"title": "T", "draft": True}
    wb.forms.create_document(title="T", content_type="application/x-www-form-urlencoded", extra_body={"draft": True})
    assert workbench_server.last_request.body == b"title=T&draft=true"
    with pytest.raises(TypeError, match="extra_body"):
        wb.files.put_blob(name="b", body=b"x", extra_body={"no": "fields"})
