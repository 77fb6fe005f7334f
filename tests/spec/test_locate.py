"""Lines for JSON pointers in JSON and YAML text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.spec.locate import JsonLocator, json_line, pointer_tokens, yaml_line

JSON_TEXT = """{
  "openapi": "3.0.0",
  "paths": {
    "/pets/{id}": {
      "get": {
        "parameters": [
          {"name": "a"},
          {
            "name": "b"
          }
        ]
      }
    },
    "a~b": {"x": 1},
    "caf\\u00e9": [10, 20, {"deep": true}]
  },
  "components": {}
}
"""

YAML_TEXT = """\
openapi: 3.0.0
paths:
  /pets/{id}:
    get:
      parameters:
        - name: a
        - name: b
          in: path
      responses:
        200:
          description: ok
        '404':
          description: missing
  a~b: {x: 1}
base: &base
  inherited: yes
derived:
  <<: *base
  own: 1
"""


def test_pointer_tokens_unescape_and_accept_fragments() -> None:
    assert pointer_tokens("") == []
    assert pointer_tokens("#") == []
    assert pointer_tokens("/paths/~1pets/a~0b") == ["paths", "/pets", "a~b"]
    assert pointer_tokens("#/a/0") == ["a", "0"]
    assert pointer_tokens("/a/~01") == ["a", "~1"]  # ~01 is "~" then "1", not "/"


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("", 1),
        ("/openapi", 2),
        ("/paths/~1pets~1{id}", 4),
        ("/paths/~1pets~1{id}/get/parameters/0", 7),
        ("/paths/~1pets~1{id}/get/parameters/1", 8),
        ("/paths/~1pets~1{id}/get/parameters/1/name", 9),
        ("/paths/a~0b/x", 14),
        ("/paths/café/2/deep", 15),  # keys are compared decoded
        ("/components", 17),
    ],
)
def test_json_line(pointer: str, line: int) -> None:
    assert json_line(JSON_TEXT, pointer) == line


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("/paths/~1pets~1{id}/get/parameters/7", 6),  # index out of range: the array
        ("/paths/~1pets~1{id}/post", 4),  # missing key: the object it is missing from
        ("/paths/~1pets~1{id}/get/parameters/x", 6),  # a name is no array index
        ("/openapi/deeper", 2),  # a string has no members
        ("/nothing/here", 1),
    ],
)
def test_json_line_reports_deepest_existing_prefix(pointer: str, line: int) -> None:
    assert json_line(JSON_TEXT, pointer) == line


def test_json_line_on_minified_and_empty_text() -> None:
    assert json_line('{"a":{"b":[1,2]}}', "/a/b/1") == 1
    assert json_line("", "/a") is None
    assert json_line('{"a": [1, 2', "/a/5") == 1  # malformed text: no crash, best line


def test_json_locator_reuses_prefixes() -> None:
    locator = JsonLocator(JSON_TEXT)
    assert locator.line("/paths/~1pets~1{id}/get/parameters/1") == 8
    assert locator.line("/paths/~1pets~1{id}/get/parameters/0") == 7  # from the cached prefix
    assert locator.line("/components") == 17


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("", 1),
        ("/openapi", 1),
        ("/paths/~1pets~1{id}/get", 4),
        ("/paths/~1pets~1{id}/get/parameters/1", 7),
        ("/paths/~1pets~1{id}/get/parameters/1/in", 8),
        ("/paths/~1pets~1{id}/get/responses/200", 10),  # an unquoted int key
        ("/paths/~1pets~1{id}/get/responses/404/description", 13),  # a quoted one
        ("/paths/a~0b/x", 14),
        ("/derived/own", 19),
        ("/derived/inherited", 16),  # through a merge key, to where it is written
    ],
)
def test_yaml_line(pointer: str, line: int) -> None:
    assert yaml_line(YAML_TEXT, pointer) == line


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("/paths/~1pets~1{id}/get/responses/500", 9),
        ("/paths/~1pets~1{id}/get/parameters/9/name", 5),
        ("/openapi/x", 1),
    ],
)
def test_yaml_line_reports_deepest_existing_prefix(pointer: str, line: int) -> None:
    assert yaml_line(YAML_TEXT, pointer) == line


def test_yaml_line_on_unparsable_text() -> None:
    assert yaml_line("a: [1, 2\n", "/a") is None


GITHUB = Path("/work/shared/corpus/dev/github__api.github.com.json")


@pytest.mark.skipif(not GITHUB.exists(), reason="corpus not available")
def test_json_line_is_fast_on_a_13_mb_spec() -> None:
    text = GITHUB.read_text()
    lines = text.splitlines()
    start = time.perf_counter()
    get_repo = json_line(text, "/paths/~1repos~1{owner}~1{repo}/get")
    late_schema = json_line(text, "/components/schemas/repository/properties/name")
    missing = json_line(text, "/components/schemas/no-such-schema")
    elapsed = time.perf_counter() - start
    assert get_repo is not None and lines[get_repo - 1].strip().startswith('"get"')
    assert late_schema is not None and lines[late_schema - 1].strip().startswith('"name"')
    assert missing is not None and lines[missing - 1].strip().startswith('"schemas"')
    assert elapsed < 1.5, f"locating took {elapsed:.2f}s"
