"""Loading specs: parsing, the fatal errors, and bundling of external $refs."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from generator.errors import Diagnostic, SpecError
from generator.spec import BUNDLE_KEY, Document, deref, load, resolve_pointer

HEADER = 'openapi: "3.0.3"\ninfo: {title: T, version: "1"}\n'


def openapi(body: str) -> str:
    """A 3.0 spec: the fixed header, then `body` (dedented)."""
    return HEADER + textwrap.dedent(body)


def write(base: Path, name: str, text: str) -> Path:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def only_error(exc: pytest.ExceptionInfo[SpecError]) -> Diagnostic:
    assert len(exc.value.diagnostics) == 1
    diagnostic = exc.value.diagnostics[0]
    assert diagnostic.severity == "error"
    return diagnostic


# --- parsing --------------------------------------------------------------------------------


def test_yaml_scalars_stay_what_they_look_like(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        openapi("""\
        paths: {}
        x-data:
          created: 2024-01-31
          stamp: 2024-01-31T10:00:00Z
          answers: [yes, no, on, off, y, n]
          flags: [true, True, TRUE, false, False, tRuE]
          time: 12:30
          count: 42
          hex: 0x1F
          octal: 0o17
          zip: 0123
          ratio: 1.5
          exp: 1e3
          version: 1.10
          nothing: null
          tilde: ~
          on: push
          200: ok
          404: {description: gone}
          true: yes
          1.5: float key
        """),
    )
    data = load(spec).root["x-data"]
    assert data["created"] == "2024-01-31"
    assert data["stamp"] == "2024-01-31T10:00:00Z"
    assert data["answers"] == ["yes", "no", "on", "off", "y", "n"]
    assert data["flags"] == [True, True, True, False, False, True]
    assert data["time"] == "12:30"  # not sexagesimal 750
    assert data["count"] == 42 and isinstance(data["count"], int)
    assert data["hex"] == 31 and data["octal"] == 15
    assert data["zip"] == 123  # YAML 1.2: decimal, not octal
    assert data["ratio"] == 1.5 and data["exp"] == 1000.0 and data["version"] == 1.1
    assert data["nothing"] is None and data["tilde"] is None
    assert data["on"] == "push"
    assert data["200"] == "ok" and data["404"] == {"description": "gone"}
    assert data["true"] == "yes"
    assert data["1.5"] == "float key"
    assert all(isinstance(k, str) for k in data)


def test_yaml_merge_keys_and_aliases(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        openapi("""\
        paths: {}
        x-base: &base {a: 1, b: 2}
        x-derived:
          <<: *base
          b: 3
        """),
    )
    root = load(spec).root
    assert root["x-derived"] == {"a": 1, "b": 3}


def test_json_is_detected_by_content(tmp_path: Path) -> None:
    spec = write(
        tmp_path, "api.yaml", '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}'
    )
    doc = load(spec)
    assert doc.root["openapi"] == "3.1.0"
    assert doc.root_source.kind == "json"
    assert doc.version == "3.1.0"


def test_json_keeps_numbers_and_dates(tmp_path: Path) -> None:
    spec = write(
        tmp_path, "api.json", '{"swagger": "2.0", "x": {"d": "2024-01-01", "n": 1.5, "i": 3, "b": true}}'
    )
    assert load(spec).root["x"] == {"d": "2024-01-01", "n": 1.5, "i": 3, "b": True}


def test_non_ascii_json_is_kept_compact_and_means_the_same(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    text = (
        '{"openapi": "3.0.0", "info": {"title": "Caf\u00e9 \U0001f600", "version": "1"},\n'
        ' "paths": {"/gr\u00fc\u00dfe": {"get": {"summary": "\u00bfQu\u00e9?",\n'
        ' "responses": {"200": {"description": "\u2713 \\u00e9"}}}}}}'
    )
    spec.write_text(text, encoding="utf-8")
    doc = load(spec)
    assert doc.root == __import__("json").loads(text)
    assert doc.root["info"]["title"] == "Caf\u00e9 \U0001f600"
    assert (doc.root_source.content() or "").isascii()  # one emoji would widen every character to 4 bytes
    assert doc.locate("/paths/~1gr\u00fc\u00dfe/get/responses/200") == (str(spec), 3)


def test_equal_string_values_are_one_object(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.json",
        '{"openapi": "3.0.0", "components": {"schemas": {"A": {"type": "string"}, "B": {"type": "string"},'
        ' "C": {"enum": ["x", "string"]}}}}',
    )
    schemas = load(spec).root["components"]["schemas"]
    assert schemas["A"]["type"] is schemas["B"]["type"] is schemas["C"]["enum"][1]


def test_yaml_aliases_and_cycles_load(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        HEADER + "x-shared: &s {type: string, items: [a, a]}\nx-again: *s\nx-loop: &l [*l, b]\npaths: {}\n",
    )
    root = load(spec).root
    assert root["x-again"] is root["x-shared"] and root["x-shared"]["items"] == ["a", "a"]
    assert root["x-loop"][0] is root["x-loop"]


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_bytes(b'\xef\xbb\xbf{"openapi": "3.0.0", "paths": {}}')
    assert load(spec).root["openapi"] == "3.0.0"


@pytest.mark.parametrize(
    "encoded",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its byte-order mark
        lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    ],
)
def test_marked_json_with_non_ascii_text_means_the_same(tmp_path: Path, encoded) -> None:  # type: ignore[no-untyped-def]
    text = '{"openapi": "3.0.0", "info": {"title": "Caf\u00e9 \U0001f600", "version": "1"}, "paths": {}}'
    spec = tmp_path / "api.json"
    spec.write_bytes(encoded(text))
    doc = load(spec)
    assert doc.root == __import__("json").loads(text)
    assert (doc.root_source.content() or "").isascii()


@pytest.mark.parametrize(
    ("header", "version"),
    [
        ('swagger: "2.0"', "2.0"),
        ("swagger: 2.0", "2.0"),  # unquoted: a float, and still clearly 2.0
        ('openapi: "3.0.0"', "3.0.0"),
        ("openapi: 3.0.3", "3.0.3"),
        ("openapi: 3.1.0", "3.1.0"),
        ("openapi: 3.1.1", "3.1.1"),
        ("openapi: 3.2.0", "3.2.0"),
    ],
)
def test_supported_versions(tmp_path: Path, header: str, version: str) -> None:
    spec = write(tmp_path, "api.yaml", header + "\ninfo: {title: T, version: '1'}\npaths: {}\n")
    assert load(spec).version == version


# --- fatal errors ----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load(tmp_path / "nope.yaml")
    error = only_error(exc)
    assert error.file == str(tmp_path / "nope.yaml")
    assert "does not exist" in error.message


def test_directory_is_not_a_spec(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load(tmp_path)
    assert "directory" in only_error(exc).message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER)
    spec.chmod(0)
    try:
        with pytest.raises(SpecError) as exc:
            load(spec)
    finally:
        spec.chmod(0o644)
    assert "cannot be read" in only_error(exc).message


def test_not_utf8(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_bytes(b"openapi: 3.0.0\ninfo:\n  title: caf\xe9\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert "UTF-8" in error.message and error.line == 3


def test_not_utf8_json_names_its_line(tmp_path: Path) -> None:
    """Non-ASCII JSON is escaped byte run by byte run; a bad run still names its own line."""
    spec = tmp_path / "api.json"
    spec.write_bytes('{"openapi": "3.0.0",\n"x": "\u00e9",\n"y": "'.encode() + b'caf\xe9"}\n')
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert "byte 0xe9" in error.message and error.line == 3


@pytest.mark.parametrize("text", ["", "   \n\n", "# just a comment\n", "null\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(text)
    with pytest.raises(SpecError) as exc:
        load(spec)
    message = only_error(exc).message
    assert "empty" in message or "no document" in message


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", "openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\npaths: {}\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert error.message.startswith("not valid YAML")
    assert error.line is not None and 3 <= error.line <= 5
    assert "Traceback" not in str(exc.value)


def test_invalid_yaml_indentation(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", "openapi: 3.0.0\ninfo:\n  title: T\n version: 1\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    assert only_error(exc).line == 4


def test_invalid_json_reports_the_line(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.json", '{\n  "openapi": "3.0.0",\n  "info": {"title": }\n}\n')
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert error.message.startswith("not valid JSON")
    assert error.line == 3


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "str"), ("[1, 2]", "a list")]
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(text)
    with pytest.raises(SpecError) as exc:
        load(spec)
    message = only_error(exc).message
    assert "mapping at the top level" in message and kind in message


def test_not_openapi(tmp_path: Path) -> None:
    spec = write(tmp_path, "config.yaml", "name: my-service\nreplicas: 3\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    assert "not an OpenAPI document" in only_error(exc).message


@pytest.mark.parametrize(
    ("header", "line"),
    [
        ("openapi: 4.0.0", 2),
        ("openapi: 2.0", 2),
        ("swagger: '1.2'", 2),
        ("openapi: true", 2),
        ("openapi: 3.3.0", 2),
    ],
)
def test_unsupported_version(tmp_path: Path, header: str, line: int) -> None:
    spec = write(tmp_path, "api.yaml", f"# comment\n{header}\ninfo: {{title: T, version: '1'}}\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert "unsupported" in error.message
    assert error.line == line
    assert error.pointer in ("/openapi", "/swagger")


# --- locating ---------------------------------------------------------------------------------


def test_locate_and_diagnostic_in_the_root_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "specs/api.yaml", HEADER + "paths:\n  /pets:\n    get:\n      responses: {}\n")
    monkeypatch.chdir(tmp_path)
    doc = load("specs/api.yaml")
    assert doc.path == Path("specs/api.yaml")
    assert doc.locate("/paths/~1pets/get") == ("specs/api.yaml", 5)
    diagnostic = doc.diagnostic("warning", "no 200 response", "/paths/~1pets/get/responses/200")
    assert diagnostic == Diagnostic(
        "warning", "no 200 response", "specs/api.yaml", 6, "/paths/~1pets/get/responses/200"
    )
    assert (
        diagnostic.format()
        == "specs/api.yaml:6: warning: no 200 response (at #/paths/~1pets/get/responses/200)"
    )


# --- external $refs ---------------------------------------------------------------------------


def test_no_external_refs_leaves_the_root_alone(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        HEADER + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {}\n",
    )
    doc = load(spec)
    assert BUNDLE_KEY not in doc.root
    assert doc.bundled == {}
    assert doc.root["components"]["schemas"]["A"] == {"$ref": "#/components/schemas/B"}


def test_a_ref_to_the_root_file_by_name_becomes_internal(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\nx-a: {$ref: './api.yaml#/info'}\n")
    doc = load(spec)
    assert doc.root["x-a"] == {"$ref": "#/info"}
    assert BUNDLE_KEY not in doc.root


def test_two_files(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        openapi("""\
        paths:
          /pets:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: 'Pet.yaml'}
                default: {$ref: 'common.yaml#/responses/Error'}
        """),
    )
    write(
        tmp_path,
        "Pet.yaml",
        """\
        type: object
        properties:
          id: {type: integer}
          tag: {$ref: '#/definitions/Tag'}
        definitions:
          Tag: {type: string}
        """,
    )
    write(tmp_path, "common.yaml", "responses:\n  Error:\n    description: failed\n")
    doc = load(spec)
    responses = doc.root["paths"]["/pets"]["get"]["responses"]
    # A whole-file ref ends in the file's stem, case kept: the model is called Pet.
    assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": "#/x-codegen-bundled/Pet"}
    assert responses["default"] == {"$ref": "#/x-codegen-bundled/common/responses/Error"}
    pet = doc.root[BUNDLE_KEY]["Pet"]
    # The external file's own internal ref points into its bundled copy.
    assert pet["properties"]["tag"] == {"$ref": "#/x-codegen-bundled/Pet/definitions/Tag"}
    assert deref(doc.root, pet["properties"]["tag"], "/x")[0] == {"type": "string"}
    assert resolve_pointer(doc.root, "/x-codegen-bundled/common/responses/Error") == {"description": "failed"}
    assert list(doc.sources) == [str(spec), str(tmp_path / "Pet.yaml"), str(tmp_path / "common.yaml")]
    assert doc.bundled == {
        "/x-codegen-bundled/Pet": (str(tmp_path / "Pet.yaml"), ""),
        "/x-codegen-bundled/common": (str(tmp_path / "common.yaml"), ""),
    }
    # Pointers into the bundle map back to the file the text is in.
    assert doc.locate("/x-codegen-bundled/Pet/definitions/Tag") == (str(tmp_path / "Pet.yaml"), 6)
    diagnostic = doc.diagnostic("warning", "w", "/x-codegen-bundled/common/responses/Error/description")
    assert (diagnostic.file, diagnostic.line, diagnostic.pointer) == (
        str(tmp_path / "common.yaml"),
        3,
        "/responses/Error/description",
    )


def test_three_files_with_a_cycle_and_a_ref_back_to_the_root(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.json",
        """\
        {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},
         "components": {"schemas": {
            "Root": {"type": "string"},
            "Node": {"$ref": "a.json#/Node"}}}}
        """,
    )
    write(tmp_path, "a.json", '{"Node": {"properties": {"next": {"$ref": "b.yaml#/Link"}}}}')
    write(
        tmp_path,
        "b.yaml",
        """\
        Link:
          properties:
            node: {$ref: 'a.json#/Node'}
            root: {$ref: 'api.json#/components/schemas/Root'}
            self: {$ref: 'b.yaml#/Link'}
        """,
    )
    doc = load(spec)
    bundle = doc.root[BUNDLE_KEY]
    assert set(bundle) == {"a", "b"}
    assert doc.root["components"]["schemas"]["Node"] == {"$ref": "#/x-codegen-bundled/a/Node"}
    assert bundle["a"]["Node"]["properties"]["next"] == {"$ref": "#/x-codegen-bundled/b/Link"}
    link = bundle["b"]["Link"]["properties"]
    assert link["node"] == {"$ref": "#/x-codegen-bundled/a/Node"}
    assert link["root"] == {"$ref": "#/components/schemas/Root"}  # the root is not bundled again
    assert link["self"] == {"$ref": "#/x-codegen-bundled/b/Link"}
    assert doc.locate("/x-codegen-bundled/b/Link/properties/root") == (str(tmp_path / "b.yaml"), 4)


def test_relative_refs_from_a_subdirectory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        "spec/api.yaml",
        HEADER + "paths: {}\ncomponents:\n  schemas:\n    Pet: {$ref: './schemas/pet.yaml'}\n",
    )
    write(
        tmp_path,
        "spec/schemas/pet.yaml",
        "properties:\n  id: {$ref: 'common/id.yaml#/Id'}\n  owner: {$ref: '../../shared/owner.yaml'}\n",
    )
    write(tmp_path, "spec/schemas/common/id.yaml", "Id: {type: integer, format: int64}\n")
    write(tmp_path, "shared/owner.yaml", "type: string\n")
    monkeypatch.chdir(tmp_path)
    doc = load("spec/api.yaml")
    pet = doc.root[BUNDLE_KEY]["pet"]
    assert pet["properties"]["id"] == {"$ref": "#/x-codegen-bundled/id/Id"}
    assert pet["properties"]["owner"] == {"$ref": "#/x-codegen-bundled/owner"}
    # Display names are relative, as the user gave the root.
    assert list(doc.sources) == [
        "spec/api.yaml",
        os.path.normpath("shared/owner.yaml"),
        os.path.normpath("spec/schemas/common/id.yaml"),
        os.path.normpath("spec/schemas/pet.yaml"),
    ]


def test_same_stem_in_two_directories_gets_distinct_stable_keys(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        HEADER
        + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'v2/pet.yaml'}\n    B: {$ref: 'v1/pet.yaml'}\n",
    )
    write(tmp_path, "v1/pet.yaml", "title: one\n")
    write(tmp_path, "v2/pet.yaml", "title: two\n")
    doc = load(spec)
    schemas = doc.root["components"]["schemas"]
    # Keys follow the files' paths, not the order the refs happen to appear in.
    assert schemas["B"] == {"$ref": "#/x-codegen-bundled/pet"}
    assert schemas["A"] == {"$ref": "#/x-codegen-bundled/pet_2"}
    assert doc.root[BUNDLE_KEY]["pet_2"] == {"title": "two"}


def test_unsafe_characters_in_a_file_name(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\nx-a: {$ref: 'my%20pet~v1.yaml'}\n")
    write(tmp_path, "my pet~v1.yaml", "type: string\n")
    doc = load(spec)
    assert doc.root["x-a"] == {"$ref": "#/x-codegen-bundled/my_pet_v1"}


def test_refs_in_example_data_are_left_alone(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        openapi("""\
        paths: {}
        components:
          schemas:
            Doc:
              type: object
              example: {$ref: 'not-a-file.yaml'}
              default: {$ref: 'nor-this.yaml'}
              properties:
                default: {$ref: 'prop.yaml'}
                example: {$ref: 'prop.yaml'}
                $ref: {type: string}
          examples:
            Sample:
              value: {$ref: 'data-only.yaml'}
        """),
    )
    write(tmp_path, "prop.yaml", "type: integer\n")
    doc = load(spec)
    schema = doc.root["components"]["schemas"]["Doc"]
    assert schema["example"] == {"$ref": "not-a-file.yaml"}
    assert schema["default"] == {"$ref": "nor-this.yaml"}
    # ... but a property that happens to be called "default" is a schema like any other.
    assert schema["properties"]["default"] == {"$ref": "#/x-codegen-bundled/prop"}
    assert schema["properties"]["example"] == {"$ref": "#/x-codegen-bundled/prop"}
    assert doc.root["components"]["examples"]["Sample"]["value"] == {"$ref": "data-only.yaml"}


def test_yaml_aliases_are_rewritten_once(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        HEADER + "paths: {}\nx-a: &shared {$ref: 'pet.yaml'}\nx-b: *shared\n",
    )
    write(tmp_path, "pet.yaml", "type: object\n")
    doc = load(spec)
    assert doc.root["x-a"] == doc.root["x-b"] == {"$ref": "#/x-codegen-bundled/pet"}


def test_missing_external_file(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        HEADER + "paths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'pet.yaml'\n",
    )
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert error.file == str(spec)
    assert error.line == 7
    assert error.pointer == "/components/schemas/Pet/$ref"
    assert "pet.yaml" in error.message and "does not exist" in error.message


def test_missing_file_referenced_from_an_external_file(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\nx-a: {$ref: 'sub/a.yaml'}\n")
    write(tmp_path, "sub/a.yaml", "type: object\nproperties:\n  b: {$ref: 'b.yaml'}\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert error.file == str(tmp_path / "sub" / "a.yaml")
    assert (error.line, error.pointer) == (3, "/properties/b/$ref")
    assert str(tmp_path / "sub" / "b.yaml") in error.message


def test_missing_pointer_target_in_an_external_file(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\nx-a:\n  $ref: 'common.yaml#/schemas/Nope'\n")
    write(tmp_path, "common.yaml", "schemas:\n  Pet: {}\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert (error.file, error.line, error.pointer) == (str(spec), 5, "/x-a/$ref")
    assert "#/schemas/Nope does not exist in" in error.message


def test_remote_refs_are_not_fetched(tmp_path: Path) -> None:
    spec = write(
        tmp_path, "api.yaml", HEADER + "paths: {}\nx-a: {$ref: 'https://example.com/pet.yaml#/Pet'}\n"
    )
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert "remote references are not supported" in error.message
    assert (error.line, error.pointer) == (4, "/x-a/$ref")


def test_broken_external_file_says_where_it_was_referenced(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\nx-a: {$ref: 'bad.yaml'}\n")
    write(tmp_path, "bad.yaml", "a: [1,\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    error = only_error(exc)
    assert error.file == str(tmp_path / "bad.yaml")
    assert "not valid YAML" in error.message and f"referenced from {spec}:4" in error.message


def test_anchor_fragments_are_refused(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\nx-a: {$ref: 'pet.yaml#Pet'}\n")
    write(tmp_path, "pet.yaml", "{}\n")
    with pytest.raises(SpecError) as exc:
        load(spec)
    assert "JSON pointer fragments" in only_error(exc).message


def test_bundled_document_type(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths: {}\n")
    assert isinstance(load(spec), Document)


def test_the_text_is_read_again_for_line_numbers_only_if_unchanged(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", HEADER + "paths:\n  /pets:\n    get:\n      responses: {}\n")
    doc = load(spec)
    assert doc.root_source.text is None  # released: line numbers are rarely needed
    assert doc.locate("/paths/~1pets/get") == (str(spec), 5)
    changed = load(spec)
    spec.write_text("# edited meanwhile\n" + spec.read_text())
    assert changed.locate("/paths/~1pets/get") == (str(spec), None)  # never a wrong line
