"""What the generator hands the runtime: the Endpoint of each operation and the method's
signature, for the spec features the runtime acts on."""

from __future__ import annotations

import inspect

import pytest
import yaml

from tests.conftest import generate_package, import_fresh

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Edges", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": {
                "operationId": "createThing",
                "tags": ["things"],
                "parameters": [
                    {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}},
                    {"name": "Content-Type", "in": "header", "schema": {"type": "string"}},
                    {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                    {"name": "content_type", "in": "query", "schema": {"type": "string"}},
                    {"name": "ids", "in": "query", "explode": False, "schema": {"type": "array", "items": {"type": "integer"}}},
                    {"name": "tags", "in": "query", "style": "form", "explode": True, "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Thing"}},
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                        "application/xml": {"schema": {"type": "string"}},
                    },
                },
                "responses": {"201": {"description": "ok"}},
            },
            "patch": {
                "operationId": "patchThing",
                "tags": ["things"],
                "x-codegen-idempotent": True,
                "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {"200": {"description": "ok", "content": {"text/csv": {"schema": {"type": "string"}}}}},
            },
            "get": {
                "operationId": "watchThing",
                "tags": ["things"],
                "responses": {
                    "200": {"description": "events", "content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "picture": {"type": "string", "format": "binary"}},
            }
        }
    },
}


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    root = tmp_path_factory.mktemp("edges")
    spec = root / "edges.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    return import_fresh("edges", generate_package(spec, root / "out"))


def test_endpoints(edges):
    from edges.resources import things

    create = things._CREATE
    assert create.name == "things.create" and create.method == "POST" and create.path == "/things/{id}"
    assert [tuple(p) for p in create.params] == [
        ("id", "path", "", None),
        ("Idempotency-Key", "header", "", None),  # Content-Type and Accept are the client's to set
        ("content_type", "query", "", None),
        ("ids", "query", "", False),
        ("tags", "query", "", None),  # form, explode: true is the default
    ]
    assert create.idempotent and create.idempotency_header == "Idempotency-Key"
    assert create.body_types == ("application/json", "application/x-www-form-urlencoded")  # same schema only
    patch = things._PATCH
    assert patch.idempotent and patch.idempotency_header is None
    assert (patch.body_type, patch.response, patch.accept) == ("application/octet-stream", "text", "text/csv")
    watch = things._WATCH
    assert watch.response == "sse" and watch.accept == "text/event-stream" and watch.decode is not None


def test_signatures(edges):
    from edges.resources import things

    create = inspect.signature(things.ThingsResource.create).parameters
    assert list(create) == ["self", "id", "name", "picture", "idempotency_key", "query_content_type", "ids", "tags", "content_type", "options"]
    assert create["idempotency_key"].default is None  # generated when not given
    assert create["content_type"].default == "application/json"
    assert "BinaryContent" in str(inspect.signature(things.ThingsResource.patch).parameters["body"].annotation)
    assert inspect.signature(things.ThingsResource.watch).return_annotation == "Stream[Thing]"
    assert inspect.signature(things.AsyncThingsResource.watch).return_annotation == "AsyncStream[Thing]"
