"""The compiled verdict in front of jsonschema must never change what validation finds."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for  # type: ignore[import-untyped]
from openapi_schema_validator.validators import OAS30Validator

from generator.spec import load, prefilter, strict
from generator.spec.prefilter import Prefiltered, compiled_is_valid
from generator.spec.strict import findings

CORPUS = Path("/work/shared/corpus/dev")
SPECS = Path("/work/shared/specs")


def _clear_compiled() -> None:
    strict._instrumented.cache_clear()
    strict._VERDICTS.clear()


@pytest.fixture
def python_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Validation with jsonschema alone, as openapi-spec-validator does it."""
    monkeypatch.setattr(prefilter, "jsonschema_rs", None)
    _clear_compiled()
    yield
    monkeypatch.undo()
    _clear_compiled()


def _python_findings(path: Path) -> list[tuple[str, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prefilter, "jsonschema_rs", None)
        _clear_compiled()
        try:
            return findings(load(path))
        finally:
            patch.undo()
            _clear_compiled()


def _draft4_errors(schema: dict[str, Any]) -> list[Any]:
    """What OAS30Validator.check_schema would complain of, as jsonschema finds it."""
    meta = OAS30Validator.META_SCHEMA
    meta_validator = validator_for(meta)
    return list(meta_validator(meta, format_checker=meta_validator.FORMAT_CHECKER).iter_errors(schema))


@pytest.mark.parametrize(
    ("schema", "valid"),
    [
        ({"type": "string", "pattern": r"^\p{L}+$"}, False),  # Rust regex only: Python rejects it
        ({"type": "string", "pattern": r"(?<name>a)"}, False),  # ECMA named group, not Python's
        ({"type": "string", "pattern": r"\Aab\Z"}, True),  # Python only: jsonschema-rs alone rejects it
        ({"type": "string", "pattern": r"(?P<name>a)"}, True),
        ({"maxLength": 10.0}, False),  # draft 4: 10.0 is not an integer
        ({"enum": [1, 1.0]}, False),
        ({"enum": [True, 1]}, True),
        ({"type": "strnig"}, False),
    ],
)
def test_schema_verdicts_match_jsonschema(schema: dict[str, Any], valid: bool) -> None:
    meta = OAS30Validator.META_SCHEMA
    is_valid = compiled_is_valid(meta, validator_for(meta).FORMAT_CHECKER)
    assert is_valid is not None
    assert (not _draft4_errors(schema)) is valid
    assert is_valid(schema) is valid


def test_values_json_has_no_type_for_go_to_jsonschema() -> None:
    python = validator_for({"type": "string"})({"type": "string"})
    checked = Prefiltered(python, compiled_is_valid({"type": "string"}, None))
    errors = list(checked.iter_errors(datetime.date(2024, 1, 1)))
    assert [e.message for e in errors] == ["datetime.date(2024, 1, 1) is not of type 'string'"]


def test_without_the_compiled_library_jsonschema_decides(python_only: None) -> None:
    assert compiled_is_valid({"type": "string"}, None) is None
    python = validator_for({"type": "string"})({"type": "string"})
    assert [e.message for e in Prefiltered(python, None).iter_errors(3)] == ["3 is not of type 'string'"]


def test_regex_dialects_are_judged_as_python_judges_them(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(textwrap.dedent(r"""
            openapi: 3.0.3
            info: {title: t, version: "1"}
            paths: {}
            components:
              schemas:
                Letters: {type: string, pattern: '^\p{L}+$'}
                Anchored: {type: string, pattern: '\Aab\Z'}
            """))
    found = findings(load(spec))
    assert found == _python_findings(spec)
    assert [pointer for pointer, _ in found] == ["/components/schemas/Letters/pattern"]


EQUIVALENCE = [
    *sorted((SPECS / "edge").glob("*")),
    *sorted((SPECS / "invalid").glob("*")),
    *(
        CORPUS / name
        for name in (
            "oad__fec.gov.json",  # 111 findings
            "oad__xero.com__xero_accounting.json",  # 17
            "oad__vtex.local__Price-Simulations.json",  # 9
            "oad2017__appveyor.com__0.20170106.0.json",  # Swagger 2.0, 4
            "oad__linode.com.json",  # a Python-only regex in a pattern
        )
    ),
]


@pytest.mark.parametrize("path", [p for p in EQUIVALENCE if p.exists()], ids=lambda p: p.name)
def test_findings_are_those_of_jsonschema_alone(path: Path) -> None:
    assert findings(load(path)) == _python_findings(path)
