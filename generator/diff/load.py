"""A spec file to the public surface of the client codegen would generate from it."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..spec import load
from .surface import Surface, surface


def load_surface(path: str | Path, config: Config | None = None) -> Surface:
    """Raises SpecError for a spec codegen cannot use, as `generate` would.

    Validation findings are left out: they are warnings to `generate` too, and say nothing
    about what changed between two versions.
    """
    from ..pipeline import build_model  # the pipeline imports the renderer; diff needs none of it early

    api, _ = build_model(load(path), config or Config())
    return surface(api)
