"""A live implementation of specs/workbench.yaml: bodies, binary, text, events, parameter styles.

Every handler checks what the spec says the request must be (content type, encoding, required
fields, headers) and records anything else in `server.errors`, which the test fixture asserts
is empty; it answers 415 or 400 too, so that a client cannot pass by accident. Echo routes
answer with the request as it arrived (raw path, raw query, headers) for exact assertions.

Event streams are sent with chunked transfer encoding, event by event, so that tests can
see a client read them lazily: `events_gate` holds the stream after its first event until a
test sets it, and `stream_aborted` is set when a client goes away before the stream's end.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import threading
import time
from typing import Any, Iterator
from urllib.parse import parse_qsl

from .base import Abort, LiveServer, Reply, Request

__all__ = ["WorkbenchServer", "Part"]

BASE = "/api"


class Part:
    """One part of a multipart body, as parsed by the standard library's email parser."""

    def __init__(self, name: str, filename: str | None, content_type: str | None, data: bytes) -> None:
        self.name, self.filename, self.content_type, self.data = name, filename, content_type, data

    def __repr__(self) -> str:
        return f"Part({self.name!r}, filename={self.filename!r}, content_type={self.content_type!r}, {len(self.data)} bytes)"


def problem(status: int, title: str, detail: str = "") -> Reply:
    body: dict[str, Any] = {"title": title, "status": status}
    if detail:
        body["detail"] = detail
    return Reply(status, json=body)


class WorkbenchServer(LiveServer):
    def __init__(self) -> None:
        super().__init__()
        routes = {
            ("POST", "/uploads"): self._upload,
            ("PUT", "/blobs/{name}"): self._put_blob,
            ("GET", "/blobs/{name}"): self._get_blob,
            ("DELETE", "/blobs/{name}"): self._delete_blob,
            ("POST", "/notes"): self._create_note,
            ("GET", "/notes/{noteId}/text"): self._note_text,
            ("POST", "/contact"): self._contact,
            ("POST", "/documents"): self._document,
            ("GET", "/events"): self._events,
            ("GET", "/events/raw"): self._raw_events,
            ("POST", "/payments"): self._payment,
            ("POST", "/jobs"): self._job,
            ("POST", "/messages"): self._message,
            ("GET", "/styles/path/{plain}/{list}/{obj}/{label}/{matrix}/{exploded}"): self._echo,
            ("GET", "/styles/query"): self._echo,
            ("GET", "/items/{itemId}"): self._echo,
            ("GET", "/problems/{status}"): self._problem,
        }
        for (method, template), handler in routes.items():
            self.route(method, BASE + template, handler)
        self.reset()

    @property
    def base_url(self) -> str:
        return self.url + BASE

    def reset(self) -> None:
        super().reset()
        self.blobs: dict[str, bytes] = {}
        self.notes: list[str] = []
        self.uploads: list[list[Part]] = []
        self.payments: dict[str, dict[str, Any]] = {}
        self.jobs = 0
        self.events_gate: threading.Event | None = None
        self.stream_aborted = threading.Event()

    # -- checks

    def _expect(self, condition: bool, status: int, message: str) -> None:
        """A request the spec does not allow: recorded as a server error and answered with `status`."""
        if not condition:
            self._record_error(message)
            raise Abort(problem(status, "bad request", message))

    def _media(self, request: Request) -> str:
        return (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def _accepts(self, request: Request, media: str) -> None:
        accept = request.headers.get("Accept", "*/*")
        ok = any(part.split(";")[0].strip() in (media, "*/*", media.split("/")[0] + "/*") for part in accept.split(","))
        self._expect(ok, 406, f"Accept {accept!r} does not admit {media}")

    def _json(self, request: Request) -> Any:
        self._expect(self._media(request) == "application/json", 415, f"expected JSON, got {self._media(request)!r}")
        try:
            return request.json()
        except ValueError as exc:
            self._expect(False, 400, f"invalid JSON: {exc}")

    def multipart(self, request: Request) -> list[Part]:
        header = request.headers.get("Content-Type") or ""
        self._expect(self._media(request) == "multipart/form-data", 415, f"expected multipart/form-data, got {header!r}")
        self._expect("boundary=" in header, 400, "multipart Content-Type without a boundary")
        raw = f"Content-Type: {header}\r\n\r\n".encode() + request.body
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        self._expect(message.is_multipart(), 400, "body is not multipart")
        parts = []
        for item in message.iter_parts():
            disposition = item.get("Content-Disposition", "")
            self._expect(disposition.startswith("form-data"), 400, f"part without form-data disposition: {disposition!r}")
            name = item.get_param("name", header="content-disposition")
            filename = item.get_param("filename", header="content-disposition")
            data = item.get_payload(decode=True) or b""
            parts.append(Part(str(name), None if filename is None else str(filename), item.get("Content-Type"), data))
        return parts

    def form(self, request: Request) -> dict[str, Any]:
        self._expect(
            self._media(request) == "application/x-www-form-urlencoded", 415, f"expected a form, got {self._media(request)!r}"
        )
        fields: dict[str, Any] = {}
        for name, value in parse_qsl(request.body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(request.body)):
            fields.setdefault(name, []).append(value)
        return fields

    # -- files

    def _upload(self, request: Request) -> Reply:
        parts = self.multipart(request)
        self.uploads.append(parts)
        by_name: dict[str, list[Part]] = {}
        for part in parts:
            by_name.setdefault(part.name, []).append(part)
        files = by_name.get("file", [])
        self._expect(len(files) == 1 and files[0].filename is not None, 400, f"exactly one file part needed: {parts}")
        file = files[0]
        body: dict[str, Any] = {
            "filename": file.filename,
            "size": len(file.data),
            "contentType": file.content_type or "",
            "sha256": hashlib.sha256(file.data).hexdigest(),
        }
        for text in ("description",):
            if text in by_name:
                part = by_name[text][0]
                self._expect(part.filename is None, 400, f"{text} must be a field, not a file")
                body[text] = part.data.decode()
        if "tags" in by_name:
            body["tags"] = [p.data.decode() for p in by_name["tags"]]
        if "attachments" in by_name:
            body["attachments"] = [p.filename or "" for p in by_name["attachments"]]
        if "meta" in by_name:
            meta = by_name["meta"][0]
            self._expect(meta.content_type == "application/json", 400, f"meta must be JSON, got {meta.content_type!r}")
            body["meta"] = json.loads(meta.data)
        return Reply(201, json=body)

    def _put_blob(self, request: Request) -> Reply:
        media = self._media(request)
        self._expect(media == "application/octet-stream", 415, f"expected application/octet-stream, got {media!r}")
        name = request.path_params["name"]
        self.blobs[name] = request.body
        return Reply(200, json={"name": name, "size": len(request.body), "sha256": hashlib.sha256(request.body).hexdigest()})

    def _get_blob(self, request: Request) -> Reply:
        self._accepts(request, "application/octet-stream")
        name = request.path_params["name"]
        if name not in self.blobs:
            return problem(404, "not found", f"no blob {name!r}")
        return Reply(200, body=self.blobs[name], headers={"Content-Type": "application/octet-stream"})

    def _delete_blob(self, request: Request) -> Reply:
        if self.blobs.pop(request.path_params["name"], None) is None:
            return problem(404, "not found")
        return Reply(204)

    # -- other encodings

    def _create_note(self, request: Request) -> Reply:
        header = request.headers.get("Content-Type") or ""
        self._expect(self._media(request) == "text/plain", 415, f"expected text/plain, got {header!r}")
        self.notes.append(request.body.decode("utf-8"))
        return Reply(201, json={"id": len(self.notes), "text": self.notes[-1]})

    def _note_text(self, request: Request) -> Reply:
        self._accepts(request, "text/plain")
        index = int(request.path_params["noteId"]) - 1
        if not 0 <= index < len(self.notes):
            return problem(404, "not found")
        return Reply(200, body=self.notes[index].encode(), headers={"Content-Type": "text/plain; charset=utf-8"})

    def _contact(self, request: Request) -> Reply:
        fields = self.form(request)
        self._expect("name" in fields and "email" in fields, 400, f"name and email are required: {fields}")
        return Reply(200, json={"contentType": self._media(request), "fields": fields})

    def _document(self, request: Request) -> Reply:
        media = self._media(request)
        fields: dict[str, Any]
        if media == "application/json":
            fields = self._json(request)
        elif media == "multipart/form-data":
            fields = {}
            for part in self.multipart(request):
                self._expect(part.filename is None, 400, "documents have no files")
                fields.setdefault(part.name, []).append(part.data.decode())
        else:
            fields = self.form(request)
        self._expect("title" in fields, 400, f"title is required: {fields}")
        return Reply(201, json={"contentType": media, "fields": fields})

    # -- events

    def _events(self, request: Request) -> Reply:
        self._accepts(request, "text/event-stream")
        query = dict(request.query)
        count = int(query.get("count", "3"))
        done = query.get("done") == "true"
        gate = self.events_gate

        def chunks() -> Iterator[bytes]:
            yield b": the stream begins\n\n"
            for seq in range(1, count + 1):
                kind = "started" if seq == 1 else "finished" if seq == count else "progress"
                data = json.dumps({"seq": seq, "kind": kind, "message": f"step {seq}"})
                yield f"id: {seq}\nevent: {kind}\ndata: {data}\n\n".encode()
                if seq == 1 and gate is not None:
                    gate.wait(5)  # the test has seen the first event before the second exists
                elif count > 50:
                    time.sleep(0.01)
            if done:
                yield b"data: [DONE]\n\n"

        return Reply(
            200,
            chunks=chunks(),
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
            on_abort=self.stream_aborted.set,
        )

    def _raw_events(self, request: Request) -> Reply:
        self._accepts(request, "text/event-stream")
        text = (
            ": comment lines are ignored\r\n"
            "retry: 1500\r\n"
            "event: greeting\r\n"
            "id: a1\r\n"
            "data: hello\r\n"
            "data: world\r\n"
            "\r\n"
            "data:no space after the colon\n"
            "\n"
            "event: no-data-is-no-event\n"
            "\n"
            "id: a2\n"
            "data: {\"json\": true}\n"
            "\n"
            "data: an unfinished event at the end is dropped\n"
        )
        return Reply(200, chunks=iter([text.encode()]), headers={"Content-Type": "text/event-stream"})

    # -- idempotency

    def _payment(self, request: Request) -> Reply:
        key = request.headers.get("Idempotency-Key")
        self._expect(bool(key), 400, "Idempotency-Key is required")
        body = self._json(request)
        assert key is not None
        if key not in self.payments:
            self.payments[key] = {"id": len(self.payments) + 1, **body, "idempotencyKey": key}
        return Reply(201, json=self.payments[key])

    def _job(self, request: Request) -> Reply:
        body = self._json(request)
        self.jobs += 1
        return Reply(202, json={"id": self.jobs, "name": body["name"]})

    def _message(self, request: Request) -> Reply:
        self._json(request)
        self.jobs += 1
        return Reply(201, json={"id": self.jobs})

    # -- echo and problems

    def _echo(self, request: Request) -> Reply:
        return Reply(
            200,
            json={
                "contentType": self._media(request),
                "path": request.path,
                "query": request.raw_query,
                "headers": {k.lower(): v for k, v in request.headers.raw},
            },
        )

    def _problem(self, request: Request) -> Reply:
        status = int(request.path_params["status"])
        if status < 400:
            return self._echo(request)
        return problem(status, f"status {status}", f"you asked for {status}\nsecond line")
