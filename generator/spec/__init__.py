"""The spec stage: load (YAML/JSON, external $refs bundled), locate lines, resolve refs, validate."""

from ..errors import Diagnostic
from .loader import BUNDLE_KEY, Document, Source, load
from .locate import json_line, yaml_line
from .refs import PointerError, deref, resolve_pointer

__all__ = [
    "BUNDLE_KEY",
    "Document",
    "PointerError",
    "Source",
    "deref",
    "json_line",
    "load",
    "resolve_pointer",
    "validate",
    "yaml_line",
]


def validate(doc: Document) -> list[Diagnostic]:
    """Strict validation findings as warnings (see strict.py)."""
    # openapi-spec-validator (20 MB with pydantic) is imported only where validation runs: a
    # cached result needs none of it, and a cache miss runs it in a child process.
    from .strict import validate as strict_validation

    return strict_validation(doc)
