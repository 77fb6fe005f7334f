"""Strict validation findings as located warnings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.errors import Diagnostic
from generator.spec import load, validate
from generator.spec.strict import MAX_MESSAGE

CORPUS = Path("/work/shared/corpus/dev")
SPECS = Path("/work/shared/specs")


def write(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


VALID_30 = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer}
        parent: {$ref: '#/components/schemas/Pet'}
"""


def test_valid_spec_has_no_findings(tmp_path: Path) -> None:
    assert validate(load(write(tmp_path, VALID_30))) == []


def test_bad_default_is_located_where_it_is_written(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        VALID_30 + """\
    Limit:
      type: integer
      default: "ten"
""",
    )
    findings = validate(load(spec))
    assert findings == [
        Diagnostic(
            "warning",
            "invalid default value: 'ten' is not of type 'integer'",
            str(spec),
            24,
            "/components/schemas/Limit/default",
        )
    ]


def test_default_behind_a_ref_points_at_the_target(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              parameters:
                - {name: q, in: query, schema: {$ref: '#/components/schemas/Flag'}}
              responses: {'200': {description: ok}}
        components:
          schemas:
            Flag: {type: boolean, default: "false"}
        """,
    )
    (finding,) = validate(load(spec))
    assert finding.pointer == "/components/schemas/Flag/default"
    assert finding.line == 11


def test_meta_schema_errors_get_a_specific_message(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {type: object, properties: {kind: {const: x}}}
        """,
    )
    (finding,) = validate(load(spec))
    # Not "... is not valid under any of the given schemas": the branch that explains it.
    assert finding.message == "'const' does not match any of the regexes: '^x-'"
    assert finding.pointer.endswith("/schema/properties/kind")
    assert finding.line == 11


def test_semantic_errors_are_located(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        """\
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /a/{id}:
            get:
              operationId: same
              responses: {'200': {description: ok}}
            put:
              operationId: same
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses: {'200': {description: ok}}
        """,
    )
    findings = validate(load(spec))
    assert [(f.pointer, f.line) for f in findings] == [
        ("/paths/~1a~1{id}/get", 5),
        ("/paths/~1a~1{id}/put", 8),
    ]
    assert "Path parameter 'id'" in findings[0].message
    assert "Operation ID 'same'" in findings[1].message


def test_findings_are_deduplicated_and_sorted(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            B: {type: integer, default: "x"}
            A: {type: integer, default: "x"}
        """,
    )
    findings = validate(load(spec))
    assert [f.pointer for f in findings] == ["/components/schemas/A/default", "/components/schemas/B/default"]
    assert validate(load(spec)) == findings  # deterministic


def test_swagger_2(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        """\
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              parameters: [{name: n, in: query, type: integer, default: "1"}]
              responses: {200: {description: ok}}
        """,
    )
    (finding,) = validate(load(spec))
    assert finding.message == "invalid default value: '1' is not of type 'integer'"
    assert (finding.pointer, finding.line) == ("/paths/~1a/get/parameters/0/default", 6)


def test_openapi_32(tmp_path: Path) -> None:
    spec = write(tmp_path, "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n")
    assert validate(load(spec)) == []
    bad = write(tmp_path, "openapi: 3.2.0\ninfo: {title: T}\npaths: {}\n", "bad.yaml")
    (finding,) = validate(load(bad))
    assert finding.message == "'version' is a required property"
    assert finding.pointer == "/info"


def test_bundled_files_validate_and_map_back(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              responses:
                '200':
                  description: ok
                  content: {application/json: {schema: {$ref: 'schemas/thing.yaml'}}}
        """,
    )
    thing = write(
        tmp_path,
        "type: object\nproperties:\n  size:\n    type: integer\n    default: big\n",
        "schemas/thing.yaml",
    )
    findings = validate(load(spec))
    assert findings == [
        Diagnostic(
            "warning",
            "invalid default value: 'big' is not of type 'integer'",
            str(thing),
            5,
            "/properties/size/default",
        )
    ]


def test_long_messages_are_shortened(tmp_path: Path) -> None:
    name = "op" + "x" * 400
    spec = write(
        tmp_path,
        f"""\
        openapi: 3.0.3
        info: {{title: T, version: "1"}}
        paths:
          /a:
            get: {{operationId: {name}, responses: {{'200': {{description: ok}}}}}}
            put: {{operationId: {name}, responses: {{'200': {{description: ok}}}}}}
        """,
    )
    (finding,) = validate(load(spec))
    assert finding.message.startswith("Operation ID 'opxxx")
    assert len(finding.message) == MAX_MESSAGE and finding.message.endswith("...")


def test_huge_values_are_summarised_in_messages(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {type: integer, default: ["
        + ", ".join(["1"] * 100)
        + "]}}}\n",
    )
    (finding,) = validate(load(spec))
    assert finding.message == "invalid default value: [... 100 items] is not of type 'integer'"


def test_a_crash_in_the_library_becomes_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openapi_spec_validator.validation.keywords as keywords

    def explode(self: object, *args: object) -> object:
        raise RuntimeError("unexpected structure")
        yield  # pragma: no cover

    monkeypatch.setattr(keywords.PathValidator, "__call__", explode)
    findings = validate(load(write(tmp_path, VALID_30)))
    assert findings == [
        Diagnostic(
            "warning",
            "strict validation stopped early: unexpected structure",
            str(tmp_path / "api.yaml"),
            4,
            "/paths/~1pets~1{id}",
        )
    ]


@pytest.mark.parametrize(
    ("ref", "shown"),
    [
        ("http://127.0.0.1:9/nope.json#/X", "'http://127.0.0.1:9/nope.json#/X'"),
        ("other.json#/X", "'other.json#/X'"),
        ("#/components/schemas/Nope", "'#/components/schemas/Nope'"),
    ],
)
def test_unresolvable_refs_stop_validation_with_a_located_warning(
    tmp_path: Path, ref: str, shown: str
) -> None:
    # load() never leaves such refs behind; a hand-made root may, and nothing is fetched.
    doc = load(write(tmp_path, VALID_30))
    doc.root["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": ref
    }
    (finding,) = validate(doc)
    assert finding.message == f"strict validation stopped early: cannot resolve $ref {shown}"
    assert finding.pointer == "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema"
    assert finding.line == 14


@pytest.mark.parametrize(
    "name",
    [
        "circular-body-ref.yaml",
        "missing-body-ref.yaml",
        "bad-status-code.yaml",
        "optional-path-param.yaml",
        "invalid-uuid-defaults.yaml",
    ],
)
def test_invalid_specs_do_not_crash(name: str) -> None:
    findings = validate(load(SPECS / "invalid" / name))
    assert all(f.severity == "warning" and f.file for f in findings)


def test_invalid_uuid_defaults() -> None:
    findings = validate(load(SPECS / "invalid" / "invalid-uuid-defaults.yaml"))
    assert [(f.line, f.message) for f in findings] == [
        (15, "invalid default value: 'notauuid' is not a 'uuid'"),
        (27, "invalid default value: 3 is not of type 'string'"),
    ]


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus not available")
def test_corpus_spec_that_passes() -> None:
    assert validate(load(CORPUS / "oad__apispot.io__whois.json")) == []


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus not available")
def test_corpus_spec_that_fails_strictly() -> None:
    findings = validate(load(CORPUS / "oad__vtex.local__Price-Simulations.json"))
    assert len(findings) == 9
    assert all(f.severity == "warning" and f.file.endswith("Price-Simulations.json") for f in findings)
    assert "invalid default value: '' is not of type 'integer'" in {f.message for f in findings}
    assert findings == sorted(findings, key=lambda f: (f.pointer, f.message))
    assert all(f.pointer.startswith("/paths/") and f.pointer.endswith("default") for f in findings)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="corpus not available")
@pytest.mark.parametrize(
    "path",
    # The two biggest (GitHub 13 MB, loket.nl 6 MB) take 25 s each; they were checked by hand.
    [
        p
        for p in sorted(CORPUS.glob("*.json")) + sorted(CORPUS.glob("*.yaml"))
        if p.stat().st_size < 5_000_000
    ],
    ids=lambda p: p.name,
)
def test_whole_corpus_validates_without_crashing(path: Path) -> None:
    findings = validate(load(path))
    assert all(f.severity == "warning" for f in findings)
    assert not any(f.message.startswith("strict validation stopped early") for f in findings)


@pytest.mark.parametrize("version", ["2.0", "3.0", "3.1", "3.2"])
def test_the_meta_schema_read_as_json_is_the_one_the_library_reads(version: str) -> None:
    from openapi_spec_validator.schemas.utils import get_schema_content

    from generator.spec.strict import _meta_schema

    assert _meta_schema(version) == get_schema_content(version)
