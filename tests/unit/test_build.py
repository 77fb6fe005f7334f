"""The builder on small specs: each rule of OpenAPI -> API model."""

import pytest

from generator.build import build_api, default_names
from generator.errors import SpecError
from generator.model import AnyValue, EnumRef, ListOf, MapOf, ModelRef, Primitive, UnionOf


def spec(paths=None, schemas=None, **extra):
    doc = {"openapi": "3.0.3", "info": {"title": "Test API", "version": "1"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def op(**fields):
    return {"responses": {"200": {"description": "ok"}}, **fields}


def groups_of(api):
    return {g.name: [o.name for o in g.operations] for g in api.groups}


def test_default_names_come_from_the_title():
    assert default_names({"info": {"title": "Swagger Petstore"}}) == ("swagger_petstore", "SwaggerPetstore")
    assert default_names({"info": {"title": "123 API"}}) == ("api_123_api", "Client123Api")
    assert default_names({"info": {}}) == ("client", "Client")


def test_groups_come_from_tags_then_the_first_path_segment():
    api, _ = build_api(
        spec(
            {
                "/pets": {"get": op(tags=["pets"], operationId="listPets")},
                "/v1/users/{id}": {"get": op()},
                "/": {"get": op()},
            }
        )
    )
    assert groups_of(api) == {"default": ["list"], "pets": ["list"], "users": ["get"]}


def test_group_extensions_win_over_tags():
    api, _ = build_api(spec({"/a": {"get": op(tags=["t"], **{"x-codegen-group": "special"})}}))
    assert groups_of(api) == {"special": ["list_a"]}


def test_method_names_drop_the_group_prefix():
    api, _ = build_api(
        spec(
            {
                "/pets": {
                    "get": op(tags=["pets"], operationId="listPets"),
                    "post": op(tags=["pets"], operationId="createPet"),
                },
                "/pets/{id}/photos": {"get": op(tags=["pets"], operationId="listPetPhotos")},
                "/repos/{o}/{r}": {"get": op(tags=["repos"], operationId="repos/get")},
                "/categories": {"get": op(tags=["categories"], operationId="getCategories")},
            }
        )
    )
    assert groups_of(api) == {
        "categories": ["get"],
        "pets": ["list", "create", "list_photos"],
        "repos": ["get"],
    }


def test_method_names_without_operation_id_come_from_method_and_path():
    api, _ = build_api(
        spec(
            {
                "/pets": {"get": op(), "post": op()},
                "/pets/{id}": {"get": op(), "put": op(), "delete": op()},
                "/pets/{id}/toys": {"get": op()},
            }
        )
    )
    assert groups_of(api) == {"pets": ["list", "create", "get", "update", "delete", "list_toys"]}


def test_clashing_method_names_fall_back_to_the_full_operation_id():
    api, _ = build_api(
        spec({"/a": {"get": op(tags=["x"], operationId="getX"), "post": op(tags=["x"], operationId="get")}})
    )
    assert groups_of(api) == {"x": ["get", "get_2"]}


def test_parameters_by_location_with_path_first_and_path_level_merged():
    api, _ = build_api(
        spec(
            {
                "/pets/{petId}": {
                    "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "get": op(
                        parameters=[
                            {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                            {"name": "fields", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                        ]
                    ),
                }
            }
        )
    )
    params = api.groups[0].operations[0].parameters
    assert [(p.name, p.wire_name, p.location) for p in params] == [
        ("pet_id", "petId", "path"),
        ("x_trace", "X-Trace", "header"),
        ("fields", "fields", "query"),
        ("session", "session", "cookie"),
    ]
    assert params[0].required and params[0].type == Primitive("integer")
    assert params[2].type == ListOf(Primitive("string"))


def test_optional_path_parameter_is_required_with_a_warning():
    api, warnings = build_api(spec({"/{x}": {"get": op(parameters=[{"name": "x", "in": "path", "schema": {}}])}}))
    assert api.groups[0].operations[0].parameters[0].required
    assert any("must be required" in w.message for w in warnings)


def test_json_body_fields_become_arguments_without_read_only_fields():
    schemas = {
        "NewPet": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "name": {"type": "string"},
                "note": {"type": "string", "nullable": True},
            },
        }
    }
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}}
    api, _ = build_api(spec({"/pets": {"post": op(requestBody=body)}}, schemas))
    operation = api.groups[0].operations[0]
    assert operation.body.model == "NewPet"
    assert [(f.name, f.required, f.nullable) for f in operation.body.fields] == [
        ("name", True, False),
        ("note", False, True),
    ]


def test_body_field_clashing_with_a_parameter_is_renamed():
    schemas = {"B": {"type": "object", "properties": {"name": {"type": "string"}}}}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}}
    params = [{"name": "name", "in": "query", "schema": {"type": "string"}}]
    api, _ = build_api(spec({"/x": {"post": op(parameters=params, requestBody=body)}}, schemas))
    operation = api.groups[0].operations[0]
    assert operation.parameters[0].name == "name"
    assert operation.body.fields[0].name == "body_name"
    assert operation.body.fields[0].wire_name == "name"


def test_responses_success_and_error_map():
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Err"}}}, "description": "x"}
    responses = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
        "404": error,
        "429": error,
        "5XX": error,
        "default": error,
    }
    schemas = {"Err": {"type": "object", "properties": {"message": {"type": "string"}}}}
    api, _ = build_api(spec({"/x": {"get": {"responses": responses}}}, schemas))
    operation = api.groups[0].operations[0]
    assert operation.success.type == Primitive("string")
    assert [(e.status, e.exception) for e in operation.errors] == [
        ("404", "NotFoundError"),
        ("429", "RateLimitError"),
        ("5XX", "InternalServerError"),
        ("default", "APIStatusError"),
    ]
    assert all(e.type == ModelRef("Err") for e in operation.errors)


def test_bad_status_code_is_skipped_with_a_warning():
    api, warnings = build_api(spec({"/": {"get": {"responses": {"abcdef": {"description": "x"}}}}}))
    assert api.groups[0].operations[0].responses == ()
    assert any("not an HTTP status code" in w.message for w in warnings)


def test_idempotency():
    api, _ = build_api(
        spec({"/a": {"get": op(), "post": op(), "patch": op(**{"x-codegen-idempotent": True}), "delete": op()}})
    )
    assert [(o.method, o.idempotent) for o in api.groups[0].operations] == [
        ("GET", True),
        ("POST", False),
        ("DELETE", True),
        ("PATCH", True),
    ]


def test_schema_shapes():
    schemas = {
        "Tag": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Pet": {
            "type": "object",
            "required": ["tags", "meta"],
            "properties": {
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
                "status": {"type": "string", "enum": ["a", "b"]},
                "kind": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "parent": {"$ref": "#/components/schemas/Pet"},
                "note": {"type": ["string", "null"]},
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
        },
    }
    api, _ = build_api(spec(schemas=schemas))
    pet = next(m for m in api.models if m.name == "Pet")
    types = {f.name: (f.type, f.nullable) for f in pet.fields}
    assert types["tags"] == (ListOf(ModelRef("Tag")), False)
    assert types["meta"] == (MapOf(Primitive("integer")), False)
    assert types["status"] == (EnumRef("PetStatus", "string"), False)
    assert types["kind"] == (UnionOf((Primitive("string"), Primitive("integer"))), False)
    assert types["parent"] == (ModelRef("Pet"), False)  # recursion refers back by name
    assert types["note"] == (Primitive("string"), True)
    assert types["owner"] == (ModelRef("PetOwner"), False)
    assert {m.name for m in api.models} == {"Pet", "PetOwner", "Tag"}


def test_nullable_dialects_agree():
    schemas = {
        "A": {"type": "object", "properties": {"x": {"type": "string", "nullable": True}}},
        "B": {"type": "object", "properties": {"x": {"type": ["string", "null"]}}},
        "C": {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}, {"type": "null"}]}}},
    }
    api, _ = build_api(spec(schemas=schemas))
    assert {m.name: (m.fields[0].type, m.fields[0].nullable) for m in api.models} == {
        name: (Primitive("string"), True) for name in "ABC"
    }


def test_all_of_merges_properties_and_required():
    schemas = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Pet": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            ]
        },
        "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}, {"properties": {"a": {"type": "string"}}}]},
    }
    api, _ = build_api(spec(schemas=schemas))
    pet = next(m for m in api.models if m.name == "Pet")
    assert [(f.name, f.required) for f in pet.fields] == [("id", True), ("name", True)]
    assert any(m.name == "Self" for m in api.models)


def test_class_name_clashes_resolve_deterministically():
    schemas = {"pet": {"type": "object", "properties": {"a": {"type": "string"}}}, "Pet": {"type": "string"},
               "List": {"type": "object", "properties": {"a": {"type": "string"}}}}
    api, _ = build_api(spec(schemas=schemas))
    names = sorted(m.name for m in api.models)
    # Component keys claim names in sorted order: "Pet" (a string schema) before "pet".
    assert names == ["ListModel", "PetModel"]
    again, _ = build_api(spec(schemas=dict(reversed(list(schemas.items())))))
    assert sorted(m.name for m in again.models) == names


def test_enum_members_are_safe_and_unique():
    schemas = {"E": {"type": "string", "enum": ["a-b", "1st", "import", "", "A_B"]}}
    api, _ = build_api(spec(schemas=schemas))
    members = [m.name for m in api.enums[0].members]
    assert members == ["A_B", "VALUE_1ST", "IMPORT", "EMPTY", "A_B_2"]


def test_x_enum_varnames_names_members():
    schemas = {"E": {"type": "integer", "enum": [1, 2], "x-enum-varnames": ["ONE", "TWO"]}}
    api, _ = build_api(spec(schemas=schemas))
    assert [(m.name, m.value) for m in api.enums[0].members] == [("ONE", 1), ("TWO", 2)]


@pytest.mark.parametrize(
    "document, message",
    [
        (spec({"/x": {"get": "nope"}}), "must be an object"),
        (spec(schemas={"A": 5}), "a schema must be an object"),
        (spec({"/x": {"get": op(parameters=[{"$ref": "#/components/parameters/Nope"}])}}), "does not exist"),
        (
            spec(
                {"/x": {"post": op(requestBody={"$ref": "#/components/requestBodies/b"})}},
                requestBodies=None,
            )
            | {"components": {"requestBodies": {"b": {"$ref": "#/components/requestBodies/b"}}}},
            "reference cycle",
        ),
    ],
)
def test_documents_the_builder_cannot_understand_are_spec_errors(document, message):
    with pytest.raises(SpecError, match=message) as info:
        build_api(document)
    assert info.value.diagnostics[0].pointer


def test_recursion_through_unnamed_shapes_terminates():
    schemas = {
        "Tree": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Tree"}},
        "Nested": {"type": "array", "items": {"$ref": "#/components/schemas/Nested"}},
        "Holder": {"type": "object", "properties": {"tree": {"$ref": "#/components/schemas/Tree"}}},
    }
    api, _ = build_api(spec(schemas=schemas))
    holder = next(m for m in api.models if m.name == "Holder")
    assert holder.fields[0].type == MapOf(AnyValue("recursive"))


def test_parameters_named_like_the_signature_are_renamed():
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in ("options", "self", "timeout", "body")]
    api, _ = build_api(spec({"/x": {"get": op(parameters=params)}}))
    names = [p.name for p in api.groups[0].operations[0].parameters]
    assert names == ["query_options", "query_self", "query_timeout", "query_body"]


def test_dangling_discriminator_mapping_is_a_warning_not_an_error():
    schemas = {
        "A": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "U": {
            "oneOf": [{"$ref": "#/components/schemas/A"}],
            "discriminator": {"propertyName": "kind", "mapping": {"a": "models/a.yml", "b": "#/nowhere"}},
        },
    }
    api, warnings = build_api(spec(schemas=schemas))
    assert sum("names no schema" in w.message for w in warnings) == 2
    assert any(m.name == "A" for m in api.models)


def test_resource_class_names_avoid_model_names():
    schemas = {"PetsResource": {"type": "object", "properties": {"a": {"type": "string"}}}}
    api, _ = build_api(spec({"/pets": {"get": op(tags=["pets"])}}, schemas))
    assert api.groups[0].class_name == "PetsGroup"


def _two_models(prop: dict) -> tuple:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Shared", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {name: {"type": "object", "properties": {"p": prop}} for name in ("A", "B")},
        },
    }
    api, _ = build_api(spec)
    a, b = (next(m for m in api.models if m.name == name) for name in ("A", "B"))
    return a.fields[0], b.fields[0]


def test_equal_fields_of_different_models_are_one_object():
    """A kept build state holds each once (GitHub: 35,000 fields, 7,800 different)."""
    a, b = _two_models({"type": "string", "description": "The same everywhere.", "default": "x"})
    assert a == b and a is b


@pytest.mark.parametrize(
    "prop",
    [{"type": "integer", "default": 1}, {"const": 1}, {"type": "array", "items": {"const": True}}],
    ids=["a default", "a literal", "a literal inside"],
)
def test_what_could_equal_another_value_is_never_shared(prop):
    """1 == True in Python: a field or type holding such a value stays its own object."""
    a, b = _two_models(prop)
    assert a == b and a is not b and (a.type is not b.type or prop.get("type") == "integer")


def test_equal_parameters_responses_and_error_cases_are_one_object_each():
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    responses = {"200": {"description": "ok"}, "404": {"description": "gone"}}
    api, _ = build_api(
        spec(
            {
                "/a": {"get": {"parameters": [limit], "responses": responses}},
                "/b": {"get": {"parameters": [dict(limit)], "responses": dict(responses)}},
            }
        )
    )
    first, second = [o for g in api.groups for o in g.operations]
    assert first.parameters[0] is second.parameters[0]
    assert first.responses[0] is second.responses[0] and first.errors[0] is second.errors[0]


def test_parameters_equal_only_as_python_compares_them_stay_apart():
    # 1 == True == 1.0 in Python, but the defaults differ in the generated code.
    def flag(default):
        return {"name": "flag", "in": "query", "schema": {"default": default}}

    paths = {f"/{n}": {"get": op(parameters=[flag(d)])} for n, d in (("a", 1), ("b", True), ("c", 1.0))}
    api, _ = build_api(spec(paths))
    defaults = [o.parameters[0].default for g in api.groups for o in g.operations]
    assert [(type(d), d) for d in defaults] == [(int, 1), (bool, True), (float, 1.0)]
