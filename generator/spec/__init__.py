"""The spec stage: load (YAML/JSON, external $refs bundled), locate lines, resolve refs, validate."""

from .loader import BUNDLE_KEY, Document, Source, load
from .locate import json_line, yaml_line
from .refs import PointerError, deref, resolve_pointer
from .validate import validate

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
