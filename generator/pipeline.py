"""The whole pipeline, stage by stage: load, validate, normalize, select, build, render, write."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from .build import build_api
from .config import Config
from .errors import Diagnostic, SpecError
from .model import Api, Server
from .progress import Report, silent
from .render import FormatCache, RenderOptions, WriteResult, render, write_tree
from .cache import cache_dir
from .spec import Document, load
from .spec.checking import PendingValidation
from .spec.normalize import normalize
from .spec.select import Selection, select_operations


@dataclass
class Generated:
    api: Api
    files: dict[str, str]
    warnings: list[Diagnostic] = field(default_factory=list)


def check_spec(path: str | Path, *, strict: bool = False, cached: bool = True) -> tuple[Document, list[Diagnostic]]:
    """Load and validate a spec; strict makes validation findings fatal."""
    document = load(path)
    findings = PendingValidation(document, _findings_cache(cached), background=False).result()
    return document, _checked(findings, strict)


def _checked(findings: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if strict and findings:
        raise SpecError([Diagnostic("error", d.message, d.file, d.line, d.pointer) for d in findings])
    return findings


def _findings_cache(cached: bool) -> Path | None:
    return cache_dir("validate") if cached else None


def generate(
    path: str | Path,
    config: Config | None = None,
    *,
    cache: FormatCache | None = None,
    progress: Report = silent,
    deliver: Callable[[Api, dict[str, str]], None] | None = None,
    **options: Any,
) -> Generated:
    """Everything up to, not including, writing: a bad spec raises before any file exists.

    `deliver`, when given, receives the API model and the files as soon as they may be used:
    before strict validation finishes when its findings are only warnings (they cannot change
    the files), after it passed when they are errors. Writing then overlaps validation.
    `options` are Config fields that replace the config's (a shorthand for tests and scripts).
    """
    config = replace(config or Config(), **options)
    progress(f"reading {Path(path).name}")
    document = load(path)
    # Strict validation is the slowest check; it runs beside the build.
    validation = PendingValidation(document, _findings_cache(cache is not None))
    try:
        api, files, later_warnings = _build_and_render(document, path, config, cache, progress)
        if deliver is not None and not config.strict:
            deliver(api, files)
    except BaseException:
        validation.cancel()
        raise
    progress("validating the spec")
    warnings = _checked(validation.result(), config.strict)
    if deliver is not None and config.strict:
        deliver(api, files)
    return Generated(api, files, [*warnings, *later_warnings])


def _build_and_render(
    document: Document, path: str | Path, config: Config, cache: FormatCache | None, progress: Report
) -> tuple[Api, dict[str, str], list[Diagnostic]]:
    progress("building the API model")
    api, warnings = build_model(document, config)
    files = render(api, source=Path(path).name, cache=cache, options=render_options(config), progress=progress)
    return api, files, warnings


def build_model(document: Document, config: Config) -> tuple[Api, list[Diagnostic]]:
    """The API model of the client the config asks for (selection, names, base URL applied)."""
    root, upgrade_warnings = normalize(document.root, diagnostic=document.diagnostic)
    root = select_operations(root, selection(config))
    api, build_warnings = build_api(
        root,
        package=config.package_name,
        client_class=config.client_name,
        locate=document.diagnostic,
        names=config.names,
    )
    return with_base_url(api, config.base_url), [*upgrade_warnings, *build_warnings]


def generate_into(outdir: str | Path, generated: Generated, *, force: bool = False) -> WriteResult:
    return write_tree(Path(outdir), generated.files, force=force)


def selection(config: Config) -> Selection:
    return Selection(config.include_tags, config.exclude_tags, config.include_operations, config.exclude_operations)


def render_options(config: Config) -> RenderOptions:
    return RenderOptions(
        http_library=config.http_library, package_version=config.package_version, line_length=config.line_length
    )


def with_base_url(api: Api, base_url: str | None) -> Api:
    """The API with `base_url` as its first server: the client's default base URL."""
    if base_url is None:
        return api
    return replace(api, servers=(Server(base_url, "set by the base_url option"), *api.servers[1:]))
