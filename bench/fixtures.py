"""Inputs built from the GitHub spec itself: its examples, and a one-operation change."""

from __future__ import annotations

import copy
import functools
import json

from . import tools

NEW_PATH = "/repos/{owner}/{repo}/bench-added"
NEW_OPERATION_ID = "repos/get-bench-added"


def new_operation_id(number: int) -> str:
    """The operationId of the `number`th operation with_new_operations adds (from 1)."""
    return NEW_OPERATION_ID if number == 1 else f"{NEW_OPERATION_ID}-{number}"


@functools.cache
def github_spec() -> dict:
    return json.loads(tools.GITHUB_SPEC.read_text())


def example(name: str) -> dict:
    return copy.deepcopy(github_spec()["components"]["examples"][name]["value"])


def schema(name: str) -> dict:
    return github_spec()["components"]["schemas"][name]


EMPTY = {"string": "", "integer": 0, "number": 0.0, "boolean": False, "array": [], "object": {}}


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = schema(node["$ref"].rsplit("/", 1)[-1])
    return node


def complete(value: object, node: dict) -> object:
    """`value` with each required field its example leaves out added (null where nullable):
    the spec's examples are not always valid, and a decoder may rightly refuse them."""
    node = _resolve(node)
    if isinstance(value, list) and "items" in node:
        return [complete(item, node["items"]) for item in value]
    if not (isinstance(value, dict) and "properties" in node):
        return value
    properties = node["properties"]
    out = {key: complete(item, properties[key]) if key in properties else item for key, item in value.items()}
    for key in node.get("required", ()):
        if key not in out:
            field = _resolve(properties[key])
            out[key] = None if field.get("nullable") else copy.deepcopy(EMPTY.get(field.get("type", ""), None))
    return out


def repository_response() -> object:
    """The body of GET /repos/{owner}/{repo}: the spec's example for it, completed."""
    return complete(example("full-repository-default-response"), schema("full-repository"))


def with_new_operations(count: int = 1) -> dict:
    """The GitHub spec plus `count` GET operations (in the largest group, repos), each
    appended after the one before: every version is one operation more than the last."""
    spec = copy.deepcopy(github_spec())
    params = [{"$ref": "#/components/parameters/owner"}, {"$ref": "#/components/parameters/repo"}]
    response = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/minimal-repository"}}}}
    for number in range(1, count + 1):
        path = NEW_PATH if number == 1 else f"{NEW_PATH}-{number}"
        spec["paths"][path] = {
            "get": {
                "summary": "An operation the benchmark adds",
                "tags": ["repos"],
                "operationId": new_operation_id(number),
                "parameters": copy.deepcopy(params),
                "responses": {"200": {"description": "Response", **copy.deepcopy(response)}},
            }
        }
    return spec


def _only_schema_fields(value: dict, name: str) -> dict:
    return {key: item for key, item in value.items() if key in schema(name)["properties"]}


def repositories(count: int = 100) -> list[dict]:
    """`count` different minimal-repository objects, each with its owner (a simple-user)."""
    base = _only_schema_fields(example("minimal-repository"), "minimal-repository")
    out = []
    for i in range(count):
        repo = copy.deepcopy(base)
        login = f"user{i % 37}"
        repo.update(id=base["id"] + i, name=f"repo-{i}", full_name=f"{login}/repo-{i}")
        repo.update(stargazers_count=i * 7, forks_count=i % 11, node_id=f"R_{i:08d}")
        repo["owner"] = _only_schema_fields(repo["owner"], "simple-user")
        repo["owner"].update(login=login, id=1000 + i % 37, node_id=f"U_{i % 37:04d}")
        out.append(repo)
    return out
