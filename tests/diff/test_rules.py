"""Each rule of `codegen diff` on a made-up pair: pets.yaml, and a copy with one thing changed."""

from __future__ import annotations

from typing import Any

import pytest

from generator.diff import compare, load_surface, semver
from generator.diff.surface import ARGUMENTS, READ, SENT

from .pairs import FIXTURES, PETS, evolve, only, operation, parameter, schema

PET = {"$ref": "#/components/schemas/Pet"}


def json_response(body: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": body}}}


# -- the surface --------------------------------------------------------------------


def test_identical_specs_have_no_changes():
    surface = load_surface(PETS)
    assert compare(surface, surface) == []
    assert semver([]) == "none"


def test_swagger2_and_openapi3_of_the_same_api_give_the_same_client():
    assert compare(load_surface(FIXTURES / "pets-swagger2.yaml"), load_surface(PETS)) == []


def test_models_and_enums_are_classed_by_the_way_their_values_travel():
    surface = load_surface(PETS)
    uses = {name: set(shape.uses) for name, shape in [*surface.models.items(), *surface.enums.items()]}
    assert uses["Pet"] == {READ} and uses["Mood"] == {READ} and uses["Error"] == {READ}
    assert uses["Owner"] == {SENT} and uses["ListPetsSpecies"] == {SENT}
    assert uses["Toy"] == {SENT, READ}
    assert uses["NewPet"] == {ARGUMENTS}  # its fields are pets.create's keyword arguments


# -- operations ---------------------------------------------------------------------


def test_removed_operation_is_breaking(tmp_path):
    changes = evolve(tmp_path, lambda s: s["paths"]["/pets/{petId}"].pop("delete"))
    change = only(changes, "pets.delete")
    assert (change.kind, change.subject, change.breaking) == ("removed", "operation", True)
    assert semver(changes) == "major"


def test_added_operation_is_minor(tmp_path):
    def edit(spec):
        spec["paths"]["/toys"]["get"] = {"operationId": "listToys", "tags": ["toys"], "responses": {"204": {"description": "ok"}}}

    changes = evolve(tmp_path, edit)
    change = only(changes, "toys.list")
    assert (change.kind, change.detail, change.breaking) == ("added", "GET /toys", False)
    assert semver(changes) == "minor"


def test_renamed_operation_is_removed_plus_added_and_names_its_successor(tmp_path):
    changes = evolve(tmp_path, lambda s: operation(s, "/pets/{petId}", "get").update(operationId="fetchPet"))
    removed, added = only(changes, "pets.get"), only(changes, "pets.fetch")
    assert removed.kind == "removed" and removed.breaking
    assert "renamed to pets.fetch?" in removed.detail
    assert added.kind == "added" and not added.breaking


def test_path_and_method_changes_are_invisible_to_callers(tmp_path):
    def edit(spec):
        moved = spec["paths"]["/animals/{petId}"] = spec["paths"].pop("/pets/{petId}")
        moved["post"] = moved.pop("delete")

    changes = evolve(tmp_path, edit)
    assert {c.path for c in changes} == {"pets.get", "pets.delete"}
    assert all(c.subject == "endpoint" and c.bump == "patch" for c in changes)
    assert only(changes, "pets.delete").detail == "DELETE /pets/{petId} -> POST /animals/{petId}"
    assert semver(changes) == "patch"


def test_deprecations_are_minor(tmp_path):
    def edit(spec):
        operation(spec, "/pets/{petId}", "get")["deprecated"] = True
        parameter(spec, "/pets", "get", "limit")["deprecated"] = True

    changes = evolve(tmp_path, edit)
    assert [(c.path, c.detail, c.bump) for c in changes] == [
        ("pets.get", "deprecated", "minor"),
        ("pets.list(limit=)", "deprecated", "minor"),
    ]


# -- arguments ----------------------------------------------------------------------


def test_removed_parameter_is_breaking(tmp_path):
    changes = evolve(tmp_path, lambda s: operation(s, "/pets", "get")["parameters"].pop(0))
    change = only(changes, "pets.list(limit=)")
    assert (change.kind, change.subject, change.breaking) == ("removed", "parameter", True)
    assert "TypeError" in change.reason


def test_new_required_parameter_is_breaking_and_new_optional_one_is_minor(tmp_path):
    def edit(spec):
        operation(spec, "/pets", "get")["parameters"] += [
            {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "sort", "in": "query", "schema": {"type": "string"}},
        ]

    changes = evolve(tmp_path, edit)
    assert only(changes, "pets.list(owner=)").breaking
    assert only(changes, "pets.list(sort=)").bump == "minor"


def test_optional_to_required_breaks_and_required_to_optional_does_not(tmp_path):
    def edit(spec):
        parameter(spec, "/pets", "get", "limit")["required"] = True
        parameter(spec, "/pets", "get", "species")["required"] = False

    changes = evolve(tmp_path, edit)
    limit, species = only(changes, "pets.list(limit=)"), only(changes, "pets.list(species=)")
    assert limit.breaking and limit.detail == "optional -> required"
    assert not species.breaking and species.detail == "required -> optional"


@pytest.mark.parametrize(
    ("schema_", "breaking"),
    [
        ({"type": "string"}, True),
        ({"type": "boolean"}, True),
        ({"type": "number"}, False),  # widened: every int is a float
        ({"type": "integer", "nullable": True}, False),
        ({"oneOf": [{"type": "integer"}, {"type": "string"}]}, False),
        ({"type": "array", "items": {"type": "integer"}}, True),
    ],
)
def test_parameter_type_change_breaks_unless_it_widens(tmp_path, schema_, breaking):
    changes = evolve(tmp_path, lambda s: parameter(s, "/pets", "get", "limit").update(schema=schema_))
    change = only(changes, "pets.list(limit=)")
    assert change.detail.startswith("type int -> ")
    assert change.breaking is breaking


def test_parameter_moved_from_query_to_header_keeps_its_argument(tmp_path):
    changes = evolve(tmp_path, lambda s: parameter(s, "/pets", "get", "limit").update({"in": "header"}))
    change = only(changes, "pets.list(limit=)")
    assert (change.detail, change.bump) == ("sent as query -> header", "patch")


def test_new_required_body_field_is_breaking_and_optional_one_is_minor(tmp_path):
    def edit(spec):
        new_pet = schema(spec, "NewPet")
        new_pet["properties"].update(species={"type": "string"}, age={"type": "integer"})
        new_pet["required"].append("species")

    changes = evolve(tmp_path, edit)
    species, age = only(changes, "pets.create(species=)"), only(changes, "pets.create(age=)")
    assert species.subject == "body field" and species.breaking
    assert not age.breaking
    # NewPet is only ever pets.create's arguments: reported there, not twice.
    assert not [c for c in changes if c.path.startswith("NewPet.")]


def test_fields_replaced_by_one_body_argument_break_callers(tmp_path):
    def edit(spec):
        body = operation(spec, "/pets", "post")["requestBody"]["content"]["application/json"]
        body["schema"] = {"type": "array", "items": {"$ref": "#/components/schemas/NewPet"}}

    changes = evolve(tmp_path, edit)
    assert only(changes, "pets.create(name=)").kind == "removed"
    assert only(changes, "pets.create(body=)").breaking  # a new required argument


# -- models and fields --------------------------------------------------------------


def test_response_field_removed_is_breaking_for_readers(tmp_path):
    changes = evolve(tmp_path, lambda s: schema(s, "Pet")["properties"].pop("tag"))
    change = only(changes, "Pet.tag")
    assert (change.kind, change.subject, change.breaking) == ("removed", "field", True)
    assert "AttributeError" in change.reason


@pytest.mark.parametrize(
    ("edit", "path", "detail", "breaking"),
    [
        (lambda pet: pet["required"].remove("name"), "Pet.name", "required -> optional", True),
        (lambda pet: pet["properties"]["name"].update(nullable=True), "Pet.name", "now nullable", True),
        (lambda pet: pet["required"].append("tag"), "Pet.tag", "optional -> required", False),
    ],
)
def test_response_field_that_may_now_be_none_is_breaking(tmp_path, edit, path, detail, breaking):
    change = only(evolve(tmp_path, lambda s: edit(schema(s, "Pet"))), path)
    assert change.detail == detail and change.breaking is breaking
    assert ("readers may now get None" in change.reason) is breaking


def test_new_response_field_is_minor_even_when_required(tmp_path):
    def edit(spec):
        pet = schema(spec, "Pet")
        pet["properties"]["born"] = {"type": "string", "format": "date"}
        pet["required"].append("born")

    change = only(evolve(tmp_path, edit), "Pet.born")
    assert (change.kind, change.detail, change.breaking) == ("added", "date", False)


def test_request_model_field_newly_required_or_added_required_is_breaking(tmp_path):
    def edit(spec):
        owner = schema(spec, "Owner")
        owner["required"].append("email")
        owner["properties"].update(phone={"type": "string"}, age={"type": "integer"})
        owner["required"].append("age")

    changes = evolve(tmp_path, edit)
    assert only(changes, "Owner.email").breaking
    assert only(changes, "Owner.age").breaking
    assert not only(changes, "Owner.phone").breaking


def test_field_type_change_is_judged_by_the_way_values_travel(tmp_path):
    def edit(spec):
        schema(spec, "Pet")["properties"]["id"] = {"type": "number"}  # readers may get a float
        schema(spec, "Owner")["properties"]["name"] = {"oneOf": [{"type": "string"}, {"type": "integer"}]}

    changes = evolve(tmp_path, edit)
    assert only(changes, "Pet.id").breaking
    assert not only(changes, "Owner.name").breaking


def test_model_used_both_ways_breaks_on_either_side(tmp_path):
    def edit(spec):
        toy = schema(spec, "Toy")
        toy["required"] = ["color"]  # senders must now pass color; readers may get no name

    changes = evolve(tmp_path, edit)
    assert "leaving it out now fails" in only(changes, "Toy.color").reason
    assert "readers may now get None" in only(changes, "Toy.name").reason


def test_model_removed_is_breaking_and_added_is_minor(tmp_path):
    def edit(spec):
        schemas = spec["components"]["schemas"]
        schemas["Problem"] = schemas.pop("Error")
        operation(spec, "/pets/{petId}", "get")["responses"]["404"] = json_response({"$ref": "#/components/schemas/Problem"})

    changes = evolve(tmp_path, edit)
    assert only(changes, "Error").breaking and only(changes, "Error").kind == "removed"
    assert only(changes, "Problem").bump == "minor"
    assert only(changes, "pets.get", "error").detail == "error 404: body Error -> Problem"


def test_value_changes_of_a_model_no_operation_uses_are_patch(tmp_path):
    def start(spec):
        spec["components"]["schemas"]["Spare"] = {"type": "object", "properties": {"a": {"type": "string"}}}

    def edit(spec):
        spare = schema(spec, "Spare")
        spare["properties"].update(a={"type": "integer"}, b={"type": "string"})
        spare["required"] = ["a", "b"]

    changes = evolve(tmp_path, edit, start=start)
    assert [(c.path, c.bump, c.reason) for c in changes] == [
        ("Spare.a", "patch", "no operation sends or returns it"),
        ("Spare.b", "patch", "no operation sends or returns it"),
    ]


# -- enums --------------------------------------------------------------------------


def test_enum_value_removed_is_breaking_for_senders(tmp_path):
    changes = evolve(tmp_path, lambda s: parameter(s, "/pets", "get", "species")["schema"].update(enum=["cat"]))
    change = only(changes, "ListPetsSpecies.DOG")
    assert (change.kind, change.subject, change.detail, change.breaking) == ("removed", "enum value", "'dog'", True)
    assert "no longer accepts" in change.reason


def test_enum_value_removed_from_a_response_enum_breaks_code_naming_it(tmp_path):
    changes = evolve(tmp_path, lambda s: schema(s, "Mood").update(enum=["happy"]))
    change = only(changes, "Mood.GRUMPY")
    assert change.breaking and "AttributeError" in change.reason and "no longer accepts" not in change.reason


def test_enum_value_added_is_not_breaking(tmp_path):
    def edit(spec):
        schema(spec, "Mood")["enum"].append("sleepy")
        parameter(spec, "/pets", "get", "species")["schema"]["enum"].append("bird")

    changes = evolve(tmp_path, edit)
    mood, species = only(changes, "Mood.SLEEPY"), only(changes, "ListPetsSpecies.BIRD")
    assert (mood.kind, mood.breaking, species.breaking) == ("added", False, False)
    assert "readers already get values" in mood.reason  # clients keep unlisted values
    assert semver(changes) == "minor"


# -- results and errors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method", "responses", "detail", "breaking"),
    [
        ("/pets/{petId}", "get", {"200": json_response({"type": "array", "items": PET})}, "returns Pet -> list[Pet]", True),
        ("/pets/{petId}", "get", {"204": {"description": "gone"}}, "returns Pet -> None", True),
        ("/pets/{petId}", "delete", {"200": json_response(PET)}, "returns None -> Pet", False),
    ],
)
def test_result_type_change(tmp_path, path, method, responses, detail, breaking):
    changes = evolve(tmp_path, lambda s: operation(s, path, method).update(responses=responses))
    change = only(changes, "pets.get" if method == "get" else "pets.delete", "result")
    assert change.detail == detail and change.breaking is breaking


def paged(style: str, param: str):
    """An edit making pets.list page by `style`, moving through the pages with `param`."""

    def edit(spec):
        listing = operation(spec, "/pets", "get")
        listing["parameters"].append({"name": param, "in": "query", "schema": {"type": "integer"}})
        listing["x-codegen-pagination"] = {"style": style, "param": param, "limit": "limit"}

    return edit


def test_plain_list_becoming_a_page_is_breaking(tmp_path):
    # Iterating still works, but indexing and len() on the result do not.
    change = only(evolve(tmp_path, paged("offset", "offset")), "pets.list", "result")
    assert change.detail == "returns list[Pet] -> SyncPage[Pet]" and change.breaking


def test_pagination_style_change_is_invisible_to_callers(tmp_path):
    def edit(spec):
        operation(spec, "/pets", "get")["x-codegen-pagination"]["style"] = "page"

    changes = evolve(tmp_path, edit, start=paged("offset", "page"))
    assert [(c.subject, c.detail, c.bump) for c in changes] == [("pagination", "offset -> page", "patch")]


def test_error_body_type_change_is_judged_for_readers(tmp_path):
    def edit(spec):
        responses = operation(spec, "/pets/{petId}", "get")["responses"]
        responses["404"] = json_response({"type": "string"})
        responses["409"] = json_response({"$ref": "#/components/schemas/Error"})

    changes = evolve(tmp_path, edit)
    changed = [c for c in changes if c.subject == "error"]
    assert [(c.detail, c.breaking) for c in changed] == [
        ("error 404: body Error -> str", True),
        ("error 409: body Any -> Error", False),  # undeclared, the body was plain JSON
    ]


# -- auth, credentials and the client -----------------------------------------------


def add_bearer(spec):
    spec["components"]["securitySchemes"]["token"] = {"type": "http", "scheme": "bearer"}


def test_operation_needing_more_credentials_is_breaking(tmp_path):
    def edit(spec):
        add_bearer(spec)
        operation(spec, "/pets/{petId}", "get")["security"] = [{"key": [], "token": []}]
        operation(spec, "/pets/{petId}", "delete")["security"] = [{"key": []}, {"token": []}]
        operation(spec, "/pets", "get")["security"] = []

    changes = evolve(tmp_path, edit)
    needs_more = only(changes, "pets.get", "auth")
    assert needs_more.breaking and "MissingCredentialsError" in needs_more.reason
    assert only(changes, "pets.delete", "auth").bump == "patch"  # the key alone still works
    assert only(changes, "pets.list", "auth").detail == "credentials key -> none"
    assert only(changes, "pets.list", "auth").bump == "patch"
    assert only(changes, "Pets(bearer_token=)").bump == "minor"


def test_removed_credential_argument_is_breaking(tmp_path):
    def edit(spec):
        del spec["security"], spec["components"]["securitySchemes"]

    changes = evolve(tmp_path, edit)
    change = only(changes, "Pets(api_key=)")
    assert (change.kind, change.breaking) == ("removed", True)


def test_base_url_change_is_patch(tmp_path):
    changes = evolve(tmp_path, lambda s: s.update(servers=[{"url": "https://api.example.com/v2"}]))
    assert [(c.subject, c.bump) for c in changes] == [("base URL", "patch")]
    assert semver(changes) == "patch"


def test_new_title_renames_package_client_and_environment_variables(tmp_path):
    changes = evolve(tmp_path, lambda s: s["info"].update(title="Pet Shop"))
    assert only(changes, "pet_shop").detail == "pets -> pet_shop"
    assert only(changes, "PetShop").detail == "Pets -> PetShop"
    assert only(changes, "PetShop(api_key=)").detail == "$PETS_API_KEY -> $PET_SHOP_API_KEY"
    assert all(c.breaking for c in changes) and len(changes) == 3
