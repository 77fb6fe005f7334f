"""The whole pipeline, stage by stage: load, validate, normalize, build, render, write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .build import build_api
from .errors import Diagnostic, SpecError
from .model import Api
from .render import FormatCache, WriteResult, render, write_tree
from .spec import Document, load, validate
from .spec.normalize import normalize


@dataclass
class Generated:
    api: Api
    files: dict[str, str]
    warnings: list[Diagnostic] = field(default_factory=list)


def check_spec(path: str | Path, *, strict: bool = False) -> tuple[Document, list[Diagnostic]]:
    """Load and validate a spec; strict makes validation findings fatal."""
    document = load(path)
    findings = validate(document)
    if strict and findings:
        raise SpecError([Diagnostic("error", d.message, d.file, d.line, d.pointer) for d in findings])
    return document, findings


def generate(
    path: str | Path,
    *,
    package: str | None = None,
    client_class: str | None = None,
    strict: bool = False,
    cache: FormatCache | None = None,
) -> Generated:
    """Everything up to, not including, writing: a bad spec raises before any file exists."""
    document, warnings = check_spec(path, strict=strict)
    root, upgrade_warnings = normalize(document.root, diagnostic=document.diagnostic)
    api, build_warnings = build_api(root, package=package, client_class=client_class, locate=document.diagnostic)
    files = render(api, source=Path(path).name, cache=cache)
    return Generated(api, files, [*warnings, *upgrade_warnings, *build_warnings])


def generate_into(outdir: str | Path, generated: Generated, *, force: bool = False) -> WriteResult:
    return write_tree(Path(outdir), generated.files, force=force)
