"""normalize: OpenAPI 3.x passes through untouched; Swagger 2.0 is upgraded to OpenAPI 3.0.3."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Diagnostic, SpecError
from generator.spec.normalize import normalize

CORPUS = Path("/work/shared/corpus/dev")


def swagger(**fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}
    doc.update(fields)
    return doc


def upgrade(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Diagnostic]]:
    before = copy.deepcopy(doc)
    out, warnings = normalize(doc)
    assert doc == before, "normalize changed its input"
    assert out["openapi"] == "3.0.3"
    json.dumps(out)  # plain data, no cycles
    return out, warnings


def op(out: dict[str, Any], path: str = "/x", method: str = "get") -> dict[str, Any]:
    result: dict[str, Any] = out["paths"][path][method]
    return result


def with_op(operation: dict[str, Any], path: str = "/x", method: str = "get", **fields: Any) -> dict[str, Any]:
    operation.setdefault("responses", {"200": {"description": "ok"}})
    return swagger(paths={path: {method: operation}}, **fields)


# -- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "3.1.1", "3.2.0"])
def test_openapi_3_is_returned_as_is(version: str) -> None:
    doc = {"openapi": version, "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {}}}}
    out, warnings = normalize(doc)
    assert out is doc
    assert warnings == []


@pytest.mark.parametrize(
    "doc",
    [
        [],
        "openapi: 3.0.0",
        None,
        {"info": {}},
        {"swagger": "1.2"},
        {"openapi": "2.0"},
        {"openapi": "4.0.0"},
        {"openapi": 3},
    ],
)
def test_anything_else_is_a_spec_error(doc: Any) -> None:
    with pytest.raises(SpecError) as info:
        normalize(doc)
    assert info.value.diagnostics[0].severity == "error"


def test_untouched_subtrees_are_shared_not_copied() -> None:
    enum = ["a", "b"]
    info = {"title": "T", "version": "1", "x-logo": {"url": "u"}}
    doc = swagger(info=info, definitions={"A": {"type": "object", "properties": {"e": {"type": "string", "enum": enum}}}})
    out, _ = upgrade(doc)
    assert out["info"] is info
    schema = out["components"]["schemas"]["A"]
    assert schema is doc["definitions"]["A"]  # nothing in it needed changing
    assert schema["properties"]["e"]["enum"] is enum


# -- servers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "urls"),
    [
        ({"host": "api.example.com", "basePath": "/v1", "schemes": ["https"]}, ["https://api.example.com/v1"]),
        ({"host": "api.example.com", "basePath": "/v1/"}, ["https://api.example.com/v1"]),
        ({"host": "api.example.com:8080", "basePath": "/", "schemes": ["http"]}, ["http://api.example.com:8080"]),
        # https first whatever the listed order: the first server is the default.
        ({"host": "h", "schemes": ["http", "https"]}, ["https://h", "http://h"]),
        ({"basePath": "/api"}, ["/api"]),
        ({}, ["/"]),
    ],
)
def test_servers_from_host_base_path_and_schemes(fields: dict[str, Any], urls: list[str]) -> None:
    out, _ = upgrade(swagger(**fields))
    assert [s["url"] for s in out["servers"]] == urls
    for key in ("host", "basePath", "schemes", "swagger"):
        assert key not in out


def test_operation_schemes_become_operation_servers() -> None:
    doc = with_op({"schemes": ["wss"]}, host="h", schemes=["https"])
    out, _ = upgrade(doc)
    assert op(out)["servers"] == [{"url": "wss://h"}]
    assert "schemes" not in op(out)


# -- components and $refs ------------------------------------------------------------------


def test_definitions_become_component_schemas_and_refs_follow_everywhere() -> None:
    doc = swagger(
        definitions={
            "Pet": {
                "type": "object",
                "properties": {
                    "owner": {"$ref": "#/definitions/Person"},
                    "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                    "extra": {"additionalProperties": {"$ref": "#/definitions/Tag"}},
                },
            },
            "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object"}]},
            "Person": {"type": "object"},
            "Tag": {"type": "string"},
        },
        paths={
            "/pets": {
                "get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}}
            }
        },
    )
    out, warnings = upgrade(doc)
    schemas = out["components"]["schemas"]
    assert "definitions" not in out and warnings == []
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Person"}
    assert schemas["Pet"]["properties"]["tags"]["items"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Pet"]["properties"]["extra"]["additionalProperties"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Dog"]["allOf"][0] == {"$ref": "#/components/schemas/Pet"}
    content = op(out, "/pets")["responses"]["200"]["content"]
    assert content == {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}


def test_global_parameters_and_responses() -> None:
    doc = swagger(
        consumes=["application/json", "application/xml"],
        parameters={
            "limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"},
            "pet": {"name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"}},
        },
        responses={"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/Error"}}},
        definitions={"Pet": {"type": "object"}, "Error": {"type": "object"}},
        paths={
            "/pets": {
                "post": {
                    "parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/pet"}],
                    "responses": {"404": {"$ref": "#/responses/NotFound"}},
                }
            }
        },
    )
    out, _ = upgrade(doc)
    components = out["components"]
    assert components["parameters"] == {
        "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}
    }
    body = components["requestBodies"]["pet"]
    assert list(body["content"]) == ["application/json", "application/xml"]
    assert body["content"]["application/xml"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert body["required"] is True and body["x-codegen-body-name"] == "pet"
    assert components["responses"]["NotFound"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    operation = op(out, "/pets", "post")
    assert operation["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    assert operation["requestBody"] == {"$ref": "#/components/requestBodies/pet"}
    assert operation["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}


def test_a_global_body_used_with_other_media_types_is_inlined() -> None:
    doc = with_op(
        {"consumes": ["text/plain"], "parameters": [{"$ref": "#/parameters/note"}]},
        method="post",
        parameters={"note": {"name": "note", "in": "body", "schema": {"type": "string"}}},
    )
    out, _ = upgrade(doc)
    body = op(out, method="post")["requestBody"]
    assert body["content"] == {"text/plain": {"schema": {"type": "string"}}}
    assert body["x-codegen-body-name"] == "note"


def test_global_form_parameters_are_inlined_where_used() -> None:
    doc = with_op(
        {"parameters": [{"$ref": "#/parameters/name"}]},
        method="post",
        parameters={"name": {"name": "name", "in": "formData", "type": "string", "required": True}},
    )
    out, _ = upgrade(doc)
    assert "parameters" not in out.get("components", {})
    schema = op(out, method="post")["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema == {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}


def test_refs_into_body_parameter_and_response_schemas() -> None:
    doc = swagger(
        parameters={"p": {"name": "p", "in": "body", "schema": {"type": "object"}}},
        responses={"R": {"description": "r", "schema": {"type": "object"}}},
        definitions={
            "A": {"$ref": "#/parameters/p/schema"},
            "B": {"$ref": "#/responses/R/schema"},
            "C": {"$ref": "#/securityDefinitions/key"},
        },
    )
    out, _ = upgrade(doc)
    schemas = out["components"]["schemas"]
    assert schemas["A"]["$ref"] == "#/components/requestBodies/p/content/application~1json/schema"
    assert schemas["B"]["$ref"] == "#/components/responses/R/content/application~1json/schema"
    assert schemas["C"]["$ref"] == "#/components/securitySchemes/key"


def test_security_definitions() -> None:
    doc = swagger(
        security=[{"key": []}],
        securityDefinitions={
            "basic": {"type": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-env": "KEY"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {"r": "read"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {}},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t"},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"w": "write"}},
            "odd": {"type": "magic"},
        },
    )
    out, warnings = upgrade(doc)
    schemes = out["components"]["securitySchemes"]
    assert out["security"] == [{"key": []}]
    assert schemes["basic"] == {"type": "http", "scheme": "basic", "description": "user and password"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header", "x-env": "KEY"}
    assert schemes["implicit"]["flows"] == {"implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}}
    assert schemes["password"]["flows"] == {"password": {"tokenUrl": "https://t", "scopes": {}}}
    assert schemes["app"]["flows"] == {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}
    assert schemes["code"]["flows"] == {
        "authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"w": "write"}}
    }
    assert [w.pointer for w in warnings] == ["/securityDefinitions/odd/type"]


# -- parameters -----------------------------------------------------------------------------


def test_parameter_fields_move_into_schema() -> None:
    param = {
        "name": "size", "in": "query", "description": "d", "required": False, "type": "integer",
        "format": "int64", "minimum": 1, "maximum": 10, "default": 5, "enum": [1, 5, 10],
        "x-nullable": True, "allowEmptyValue": True, "x-thing": 1,
    }  # fmt: skip
    out, _ = upgrade(with_op({"parameters": [param]}))
    assert op(out)["parameters"] == [
        {
            "name": "size", "in": "query", "description": "d", "required": False, "allowEmptyValue": True,
            "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 10, "default": 5,
                       "enum": [1, 5, 10], "nullable": True},
            "x-thing": 1,
        }
    ]  # fmt: skip


def test_path_parameters_are_required() -> None:
    out, _ = upgrade(with_op({"parameters": [{"name": "id", "in": "path", "type": "string"}]}, path="/x/{id}"))
    assert op(out, "/x/{id}")["parameters"][0]["required"] is True


@pytest.mark.parametrize(
    ("where", "fmt", "style", "explode", "warned"),
    [
        ("query", None, "form", False, False),  # Swagger's default is csv, 3.0's is explode
        ("query", "csv", "form", False, False),
        ("query", "multi", "form", True, False),
        ("query", "ssv", "spaceDelimited", False, False),
        ("query", "pipes", "pipeDelimited", False, False),
        ("query", "tsv", "form", False, True),
        ("query", "bogus", "form", False, True),
        ("path", None, "simple", False, False),
        ("path", "csv", "simple", False, False),
        ("path", "multi", "simple", False, True),
        ("header", "pipes", "simple", False, True),
    ],
)
def test_collection_format(where: str, fmt: str | None, style: str, explode: bool, warned: bool) -> None:
    param: dict[str, Any] = {"name": "ids", "in": where, "type": "array", "items": {"type": "integer"}}
    if where == "path":
        param["required"] = True
    if fmt is not None:
        param["collectionFormat"] = fmt
    out, warnings = upgrade(with_op({"parameters": [param]}, path="/x/{ids}"))
    converted = op(out, "/x/{ids}")["parameters"][0]
    assert (converted["style"], converted["explode"]) == (style, explode)
    assert converted["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert "collectionFormat" not in converted
    if warned:
        assert [w.pointer for w in warnings] == ["/paths/~1x~1{ids}/get/parameters/0/collectionFormat"]
        assert warnings[0].severity == "warning"
    else:
        assert warnings == []


def test_path_level_parameters() -> None:
    doc = swagger(
        paths={
            "/x/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "type": "string"},
                    {"name": "payload", "in": "body", "schema": {"type": "object"}},
                ],
                "put": {"responses": {"200": {"description": "ok"}}},
                "patch": {
                    "parameters": [{"name": "payload", "in": "body", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}},
                },
            }
        }
    )
    out, _ = upgrade(doc)
    item = out["paths"]["/x/{id}"]
    assert item["parameters"] == [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    assert item["put"]["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}
    assert item["patch"]["requestBody"]["content"]["application/json"]["schema"] == {"type": "string"}


# -- request bodies ------------------------------------------------------------------------


def test_body_parameter_becomes_request_body() -> None:
    body = {"name": "pet", "in": "body", "description": "the pet", "required": True, "schema": {"$ref": "#/definitions/Pet"}, "x-extra": 1}
    doc = with_op(
        {"consumes": ["application/json", "text/xml"], "parameters": [{"name": "q", "in": "query", "type": "string"}, body]},
        method="post",
        consumes=["application/yaml"],
        definitions={"Pet": {"type": "object"}},
    )
    out, _ = upgrade(doc)
    operation = op(out, method="post")
    assert [p["name"] for p in operation["parameters"]] == ["q"]
    assert operation["requestBody"] == {
        "description": "the pet",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
            "text/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
        },
        "required": True,
        "x-codegen-body-name": "pet",
        "x-extra": 1,
    }
    assert "consumes" not in operation and "consumes" not in out


def test_body_media_types_fall_back_to_global_then_json() -> None:
    body = {"name": "b", "in": "body", "schema": {"type": "object"}}
    out, _ = upgrade(with_op({"parameters": [body]}, method="post", consumes=["application/vnd.x+json"]))
    assert list(op(out, method="post")["requestBody"]["content"]) == ["application/vnd.x+json"]
    out, _ = upgrade(with_op({"parameters": [body]}, method="post"))
    assert list(op(out, method="post")["requestBody"]["content"]) == ["application/json"]


def form_schema(operation: dict[str, Any], media: str) -> dict[str, Any]:
    schema: dict[str, Any] = operation["requestBody"]["content"][media]["schema"]
    return schema


def test_form_data_defaults_to_urlencoded() -> None:
    params = [
        {"name": "name", "in": "formData", "type": "string", "required": True, "description": "who"},
        {"name": "age", "in": "formData", "type": "integer", "x-note": "n"},
        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
        {"name": "ids", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
    ]
    out, warnings = upgrade(with_op({"parameters": params}, method="post"))
    operation = op(out, method="post")
    assert "parameters" not in operation and warnings == []
    body = operation["requestBody"]
    assert list(body["content"]) == ["application/x-www-form-urlencoded"] and body["required"] is True
    assert form_schema(operation, "application/x-www-form-urlencoded") == {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "who"},
            "age": {"type": "integer", "x-note": "n"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "ids": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name"],
    }
    encoding = body["content"]["application/x-www-form-urlencoded"]["encoding"]
    assert encoding == {"tags": {"style": "form", "explode": False}}


def test_form_data_with_a_file_is_multipart() -> None:
    params = [
        {"name": "file", "in": "formData", "type": "file", "required": True},
        {"name": "note", "in": "formData", "type": "string"},
    ]
    out, _ = upgrade(with_op({"parameters": params}, method="post", consumes=["application/json"]))
    operation = op(out, method="post")
    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    assert form_schema(operation, "multipart/form-data")["properties"]["file"] == {"type": "string", "format": "binary"}


@pytest.mark.parametrize(
    ("consumes", "media"),
    [
        (["multipart/form-data"], ["multipart/form-data"]),
        (["application/x-www-form-urlencoded", "multipart/form-data"], ["application/x-www-form-urlencoded", "multipart/form-data"]),
        (["application/json"], ["application/x-www-form-urlencoded"]),
    ],
)
def test_form_media_types_follow_consumes(consumes: list[str], media: list[str]) -> None:
    params = [{"name": "a", "in": "formData", "type": "string"}]
    out, _ = upgrade(with_op({"consumes": consumes, "parameters": params}, method="post"))
    assert list(op(out, method="post")["requestBody"]["content"]) == media


def test_body_and_form_data_together_warns_and_keeps_the_body() -> None:
    params = [
        {"name": "b", "in": "body", "schema": {"type": "object"}},
        {"name": "f", "in": "formData", "type": "string"},
    ]
    out, warnings = upgrade(with_op({"parameters": params}, method="post"))
    assert list(op(out, method="post")["requestBody"]["content"]) == ["application/json"]
    assert [w.pointer for w in warnings] == ["/paths/~1x/post/parameters/1"]
    assert "formData" in warnings[0].message


def test_warnings_are_made_by_the_given_diagnostic_factory() -> None:
    params = [{"name": "a", "in": "query", "type": "array", "items": {}, "collectionFormat": "tsv"}]

    def make(severity: str, message: str, pointer: str) -> Diagnostic:
        return Diagnostic(severity, message, file="spec.yaml", line=7, pointer=pointer)

    _, warnings = normalize(with_op({"parameters": params}), diagnostic=make)
    assert [(w.file, w.line, w.severity) for w in warnings] == [("spec.yaml", 7, "warning")]


# -- responses ------------------------------------------------------------------------------


def test_responses_get_content_per_produces_and_headers_get_schemas() -> None:
    response = {
        "description": "ok",
        "schema": {"type": "array", "items": {"type": "string"}},
        "headers": {
            "X-Rate": {"type": "integer", "description": "left", "x-h": 1},
            "X-Ids": {"type": "array", "items": {"type": "string"}},
        },
        "examples": {"application/json": ["a"], "text/html": "<p>"},
        "x-resp": True,
    }
    out, _ = upgrade(with_op({"produces": ["application/json", "text/csv"], "responses": {"200": response}}, produces=["text/plain"]))
    converted = op(out)["responses"]["200"]
    schema = {"type": "array", "items": {"type": "string"}}
    assert converted["content"] == {
        "application/json": {"schema": schema, "example": ["a"]},
        "text/csv": {"schema": schema},
    }
    assert converted["headers"] == {
        "X-Rate": {"description": "left", "schema": {"type": "integer"}, "x-h": 1},
        "X-Ids": {"schema": {"type": "array", "items": {"type": "string"}}},
    }
    assert converted["x-resp"] is True and "examples" not in converted


def test_responses_default_to_global_produces_then_json_and_bodiless_ones_have_no_content() -> None:
    responses = {"200": {"description": "ok", "schema": {"type": "object"}}, "204": {"description": "none"}}
    out, _ = upgrade(with_op({"responses": responses}, produces=["application/xml"]))
    assert list(op(out)["responses"]["200"]["content"]) == ["application/xml"]
    assert op(out)["responses"]["204"] == {"description": "none"}
    out, _ = upgrade(with_op({"responses": responses}))
    assert list(op(out)["responses"]["200"]["content"]) == ["application/json"]


# -- schema warts ---------------------------------------------------------------------------


def test_schema_dialect_fixes() -> None:
    doc = swagger(
        definitions={
            "Upload": {"type": "file"},
            "Pet": {
                "type": "object",
                "discriminator": "kind",
                "x-custom": {"keep": True},
                "properties": {
                    "kind": {"type": "string"},
                    "photo": {"type": "file", "description": "p"},
                    "nick": {"type": "string", "x-nullable": True},
                    "owner": {"$ref": "#/definitions/Person", "x-nullable": True, "description": "o"},
                    "age": {"type": ["integer", "null"]},
                    "either": {"type": ["integer", "string"]},
                    "nothing": {"type": "null"},
                    "strict": {"type": "string", "x-nullable": False},
                },
            },
            "Person": {"type": "object"},
        }
    )
    out, _ = upgrade(doc)
    schemas = out["components"]["schemas"]
    assert schemas["Upload"] == {"type": "string", "format": "binary"}
    pet = schemas["Pet"]
    assert pet["discriminator"] == {"propertyName": "kind"}
    assert pet["x-custom"] == {"keep": True}
    props = pet["properties"]
    assert props["photo"] == {"type": "string", "format": "binary", "description": "p"}
    assert props["nick"] == {"type": "string", "nullable": True}
    assert props["owner"] == {"allOf": [{"$ref": "#/components/schemas/Person"}], "description": "o", "nullable": True}
    assert props["age"] == {"type": "integer", "nullable": True}
    assert props["either"] == {"anyOf": [{"type": "integer"}, {"type": "string"}]}
    assert props["nothing"] == {"nullable": True}
    assert props["strict"] == {"type": "string"}


def test_file_type_in_a_response_schema() -> None:
    responses = {"200": {"description": "the file", "schema": {"type": "file"}}}
    out, _ = upgrade(with_op({"produces": ["application/pdf"], "responses": responses}))
    assert op(out)["responses"]["200"]["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def test_tuple_items_warn() -> None:
    doc = swagger(definitions={"Pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}})
    out, warnings = upgrade(doc)
    assert out["components"]["schemas"]["Pair"]["items"] == {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert [w.pointer for w in warnings] == ["/definitions/Pair/items"]


def test_examples_are_data_not_schemas() -> None:
    example = {"$ref": "#/definitions/NotARef", "type": "file"}
    doc = swagger(definitions={"A": {"type": "object", "example": example, "default": example}})
    out, _ = upgrade(doc)
    assert out["components"]["schemas"]["A"]["example"] is example
    assert out["components"]["schemas"]["A"]["default"] is example


# -- what is carried over --------------------------------------------------------------------


def test_tags_info_external_docs_security_and_extensions_are_kept() -> None:
    doc = swagger(
        tags=[{"name": "pets", "x-t": 1}],
        externalDocs={"url": "https://docs"},
        security=[{"k": []}],
        paths={
            "x-path-ext": {"v": 1},
            "/x": {
                "x-item": 2,
                "get": {
                    "tags": ["pets"],
                    "operationId": "getX",
                    "summary": "s",
                    "deprecated": True,
                    "security": [],
                    "x-codegen-name": "fetch",
                    "responses": {"200": {"description": "ok"}, "x-r": 3},
                },
            },
        },
        **{"x-top": {"$ref": "#/definitions/A"}, "x-plain": [1, 2]},
    )
    out, _ = upgrade(doc)
    assert out["tags"] is doc["tags"]
    assert out["externalDocs"] is doc["externalDocs"]
    assert out["security"] is doc["security"]
    assert out["x-plain"] is doc["x-plain"]
    assert out["x-top"] == {"$ref": "#/components/schemas/A"}  # refs in extensions follow the move
    assert out["paths"]["x-path-ext"] == {"v": 1}
    assert out["paths"]["/x"]["x-item"] == 2
    operation = op(out)
    for key in ("tags", "operationId", "summary", "deprecated", "security", "x-codegen-name"):
        assert operation[key] == doc["paths"]["/x"]["get"][key]
    assert operation["responses"]["x-r"] == 3


# -- bundled external files -----------------------------------------------------------------


def test_refs_into_bundled_files_are_converted_by_how_they_are_used() -> None:
    bundled = {
        "pet.yaml": {
            "type": "object",
            "properties": {"photo": {"type": "file"}, "owner": {"$ref": "#/definitions/Person"}},
            "x-nullable": True,
        },
        "common.yaml": {
            "parameters": {"limit": {"name": "limit", "in": "query", "type": "array", "items": {"type": "integer"}}},
            "responses": {"Err": {"description": "e", "schema": {"$ref": "#/x-codegen-bundled/pet.yaml"}}},
            "unused": {"$ref": "#/definitions/Person", "type": "file"},
        },
    }
    doc = swagger(
        definitions={"Pet": {"$ref": "#/x-codegen-bundled/pet.yaml"}, "Person": {"type": "object"}},
        paths={
            "/x": {
                "get": {
                    "parameters": [{"$ref": "#/x-codegen-bundled/common.yaml/parameters/limit"}],
                    "responses": {"500": {"$ref": "#/x-codegen-bundled/common.yaml/responses/Err"}},
                }
            }
        },
        **{"x-codegen-bundled": bundled},
    )
    out, _ = upgrade(doc)
    assert out["components"]["schemas"]["Pet"] == {"$ref": "#/x-codegen-bundled/pet.yaml"}
    assert op(out)["parameters"] == [{"$ref": "#/x-codegen-bundled/common.yaml/parameters/limit"}]
    result = out["x-codegen-bundled"]
    pet = result["pet.yaml"]
    assert pet["properties"]["photo"] == {"type": "string", "format": "binary"}
    assert pet["properties"]["owner"] == {"$ref": "#/components/schemas/Person"}
    assert pet["nullable"] is True
    common = result["common.yaml"]
    assert common["parameters"]["limit"] == {
        "name": "limit", "in": "query", "style": "form", "explode": False,
        "schema": {"type": "array", "items": {"type": "integer"}},
    }  # fmt: skip
    assert common["responses"]["Err"]["content"]["application/json"]["schema"] == {"$ref": "#/x-codegen-bundled/pet.yaml"}
    # Not referenced from a known place: only its refs are rewritten.
    assert common["unused"] == {"$ref": "#/components/schemas/Person", "type": "file"}


def test_a_bundled_body_parameter_is_inlined() -> None:
    bundled = {"params.yaml": {"body": {"name": "thing", "in": "body", "schema": {"type": "file"}}}}
    doc = with_op({"parameters": [{"$ref": "#/x-codegen-bundled/params.yaml/body"}]}, method="put")
    doc["x-codegen-bundled"] = bundled
    out, _ = upgrade(doc)
    body = op(out, method="put")["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"type": "string", "format": "binary"}
    assert body["x-codegen-body-name"] == "thing"


# -- real documents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "oad2017__openapi-converter.herokuapp.com__1.0.0.json",  # multipart form bodies
        "oad2017__visagecloud.com__1.1.json",  # collectionFormat multi, apiKey
        "oad2017__apitore.com__wordnetHypernymApis__0.0.1.json",
    ],
)
def test_small_corpus_documents_upgrade_to_valid_openapi_3(name: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    from openapi_spec_validator import OpenAPIV30SpecValidator

    doc = json.loads(path.read_text(encoding="utf-8"))
    out, warnings = upgrade(doc)
    assert warnings == []
    assert [e.message for e in OpenAPIV30SpecValidator(out).iter_errors()] == []
