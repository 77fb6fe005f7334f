"""Where one package's memos of its last run are, found without the pipeline's imports.

The command line starts validating a regeneration's spec before it imports the pipeline
(start_validation): the validating child then imports its libraries while this process
imports the builder, the renderer and jinja2, instead of after. So this module, and what it
imports, stays light: no model, no builder, no renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import cache_dir
from .config import Config
from .forked import Forked
from .spec.checking import Computed, early_validation
from .spec.parse_memo import ParseMemo

__all__ = ["build_identity", "findings_cache", "parse_memo", "start_validation"]


def build_identity(config: Config, path: str | Path) -> str:
    """What the memos of one package's runs are kept under: its name and its spec's."""
    return f"{config.package_name}|{Path(path).name}"


def parse_memo(config: Config, path: str | Path) -> ParseMemo | None:
    """The spec's last parse for this package with caching on, if any."""
    directory = cache_dir("parse")
    return ParseMemo.in_directory(directory, build_identity(config, path)) if directory else None


def findings_cache(cached: bool) -> Path | None:
    """Where validation findings are kept; None when this run does not cache."""
    return cache_dir("validate") if cached else None


def start_validation(
    path: str | Path, config: Config, cached: bool, first: Callable[[], Any] | None = None
) -> Forked[Computed] | None:
    """A child validating the spec at `path` as pipeline.generate would, started now, that
    does the `first` job before (see Forked); None where generate would not start one before
    loading (see checking.early_validation)."""
    if not cached:
        return None
    return early_validation(path, parse_memo(config, path), findings_cache(cached), first)
