"""A spec file to the public surface of the client codegen would generate from it."""

from __future__ import annotations

from pathlib import Path

from ..build import build_api
from ..spec import load
from ..spec.normalize import normalize
from .surface import Surface, surface


def load_surface(path: str | Path, *, package: str | None = None, client_class: str | None = None) -> Surface:
    """Raises SpecError for a spec codegen cannot use, as `generate` would.

    Validation findings are left out: they are warnings to `generate` too, and say nothing
    about what changed between two versions.
    """
    document = load(path)
    root, _ = normalize(document.root, diagnostic=document.diagnostic)
    api, _ = build_api(root, package=package, client_class=client_class, locate=document.diagnostic)
    return surface(api)
