"""A compiled verdict in front of jsonschema, for the common case where nothing is wrong.

openapi-spec-validator checks documents and schemas with the pure-Python jsonschema
library: about 6 s for GitHub's document against the OpenAPI meta-schema and as much again
for its schemas against the JSON Schema meta-schema. jsonschema-rs (which
openapi-spec-validator itself offers as a backend) gives the same verdict in milliseconds, but
its errors are worded and shaped differently. So it only answers "valid?": a valid instance
skips the Python check, and anything else goes through jsonschema, which produces exactly the
errors it always did. The fast check may be stricter than jsonschema (that costs only time),
never laxer: formats are judged by jsonschema's own format checker, called from Rust.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from jsonschema import FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

jsonschema_rs: Any
try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - a dependency, but the slow path still works alone
    jsonschema_rs = None

__all__ = ["Prefiltered", "compiled_is_valid"]

IsValid = Callable[[Any], bool]


def compiled_is_valid(schema: Any, format_checker: FormatChecker | None) -> IsValid | None:
    """A fast validity test equivalent to jsonschema's for `schema`, or None if unavailable.

    `format_checker` is the one the Python validator would use (None: formats not asserted).
    """
    if jsonschema_rs is None:
        return None
    options: dict[str, Any] = {"validate_formats": format_checker is not None}
    if format_checker is not None:
        # Custom formats replace jsonschema-rs's own: the regex dialects differ (\p{L} is
        # Rust-only, \Z Python-only), and a laxer fast check would hide a finding.
        options["formats"] = {name: partial(_conforms, format_checker, name) for name in format_checker.checkers}
    try:
        validator = jsonschema_rs.validator_for(schema, **options)
    except Exception:  # noqa: BLE001 - a meta-schema it cannot compile: use jsonschema alone
        return None
    return partial(_is_valid, validator)


def _conforms(checker: FormatChecker, name: str, value: Any) -> bool:
    return bool(checker.conforms(value, name))


def _is_valid(validator: Any, instance: Any) -> bool:
    try:
        return bool(validator.is_valid(instance))
    except Exception:  # noqa: BLE001 - a value JSON has no type for (a YAML date): ask jsonschema
        return False


class Prefiltered:
    """A jsonschema validator whose iter_errors first asks the compiled check."""

    def __init__(self, python_validator: Any, is_valid: IsValid | None) -> None:
        self._python = python_validator
        self._is_valid = is_valid
        self.schema = python_validator.schema

    def passes(self, instance: Any) -> bool:
        """The compiled verdict that `instance` is valid; False when there is none."""
        return self._is_valid is not None and self._is_valid(instance)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self.passes(instance):
            return iter(())
        return iter(self._python.iter_errors(instance))
