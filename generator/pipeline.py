"""The whole pipeline, stage by stage: load, validate, normalize, select, build, render, write."""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Protocol

from .build import ComponentMemo, OperationMemo, build_api
from .config import Config
from .errors import Diagnostic, SpecError
from .forked import Forked, spare_cores
from .lifetime import outlive
from .memos import build_identity, findings_cache, parse_memo
from .model import Api, Server
from .progress import Report, silent
from .render import FormatCache, RenderMemo, RenderOptions, WriteResult, render, write_tree
from .cache import Fingerprints, cache_dir
from .spec import Document, load
from .spec.checking import Computed, PendingValidation, early_validation
from .spec.normalize import normalize
from .spec.select import Selection, select_operations


class Delivery(Protocol):
    """Where generated files go, told as early as the pipeline allows.

    `begin` comes after the build, before rendering: it may return a callback that receives
    each file as soon as it is final. Those files are then the delivery's alone: the
    pipeline keeps none of them, so `finish` and Generated.files have no files (a big API
    renders to more text than the rest of the run holds). `finish` comes when the files may
    be used (see generate); `discard` instead, when the run fails after `begin`.

    A delivery may also have `holds(files, text)`: which of the files (path, digest) it has
    with that content already (render.Held). Such a file is neither read from the render
    memo nor in `finish`'s files; the delivery keeps `text` (a path's text) in case it
    needs it after all.
    """

    def begin(self, api: Api) -> Callable[[str, str], None] | None: ...

    def finish(self, api: Api, files: dict[str, str]) -> None: ...

    def discard(self) -> None: ...


@dataclass
class _AtTheEnd:
    """A plain callback as a Delivery: all the files at once."""

    deliver: Callable[[Api, dict[str, str]], None]

    def begin(self, api: Api) -> None:
        return None

    def finish(self, api: Api, files: dict[str, str]) -> None:
        self.deliver(api, files)

    def discard(self) -> None:
        pass


@dataclass
class Generated:
    """What a generation made: the API model, the files and the warnings."""

    api: Api
    files: dict[str, str]  # path -> text; empty when a streaming Delivery took them (see there)
    warnings: list[Diagnostic] = field(default_factory=list)


def check_spec(path: str | Path, *, strict: bool = False, cached: bool = True) -> tuple[Document, list[Diagnostic]]:
    """Load and validate a spec; strict makes validation findings fatal."""
    document = load(path)
    findings = PendingValidation(document, findings_cache(cached), background=False).result()
    return document, _checked(findings, strict)


def _checked(findings: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if strict and findings:
        raise SpecError([Diagnostic("error", d.message, d.file, d.line, d.pointer) for d in findings])
    return findings


def _thawed_after(function: Callable[..., Generated]) -> Callable[..., Generated]:
    """Give the collector back what a run exempted from it (see _long_lived), once it ends:
    a caller that goes on should not keep the run's garbage. A caller that froze objects
    of its own before keeps them frozen, and so everything frozen since."""

    @functools.wraps(function)
    def thawing(*args: Any, **kwargs: Any) -> Generated:
        ours = gc.get_freeze_count() == 0
        try:
            return function(*args, **kwargs)
        finally:
            if ours:
                gc.unfreeze()

    return thawing


@_thawed_after
def generate(
    path: str | Path,
    config: Config | None = None,
    *,
    cache: FormatCache | None = None,
    progress: Report = silent,
    deliver: Delivery | Callable[[Api, dict[str, str]], None] | None = None,
    started: Forked[Computed] | None = None,
    **options: Any,
) -> Generated:
    """Everything up to, not including, writing: a bad spec raises before any file exists.

    `deliver`, when given, is told the files as soon as they may be used: before strict
    validation finishes when its findings are only warnings (they cannot change the files),
    after it passed when they are errors. Writing then overlaps validation, and with a
    Delivery that streams (see Delivery.begin), rendering too; nothing reaches its final
    place before validation allows it. A plain callable receives the API model and the files.
    `started` is a validation child the caller started for this spec and config
    (memos.start_validation), before importing this module; else one may be started here.
    `options` are Config fields that replace the config's (a shorthand for tests and scripts).
    """
    config = replace(config or Config(), **options)
    delivery = _AtTheEnd(deliver) if callable(deliver) else deliver
    progress(f"reading {Path(path).name}")
    kept_parse = parse_memo(config, path) if cache is not None else None
    # Strict validation is the slowest check; it runs beside the build, and when the document
    # is quick to load, beside loading it too.
    findings = findings_cache(cache is not None)
    if started is None:
        started = early_validation(path, kept_parse, findings)
    try:
        with _long_lived():
            document = load(path, kept_parse)
    except BaseException:
        if started is not None:
            started.cancel()
        raise
    outlive(document)
    validation = PendingValidation(document, findings, started=started)
    begun = False
    memo: RenderMemo | None = None
    try:
        progress("building the API model")
        fingerprints = Fingerprints()  # the memos' digests of model objects
        components = _component_memo(config, path, fingerprints) if cache is not None else None
        groups = _operations_memo(config, path, fingerprints) if cache is not None else None
        with _long_lived():
            api, later_warnings = build_model(document, config, components, groups)
        outlive(api, components, groups)
        on_file = delivery.begin(api) if delivery is not None else None
        begun = True
        memo = _render_memo(api, Path(path).name, fingerprints) if cache is not None else None
        files = render(
            api,
            source=Path(path).name,
            cache=cache,
            options=render_options(config),
            progress=progress,
            on_file=on_file,
            workers=_render_workers(validation),
            memo=memo,
            held=getattr(delivery, "holds", None),
        )
        if delivery is not None and not config.strict:
            delivery.finish(api, files)
        # While validation may still run (a cold run's longer path), the caches are written.
        if memo is not None:
            memo.save()
        for built in (components, groups):
            if built is not None:
                built.save()
        progress("validating the spec")
        warnings = _checked(validation.result(), config.strict)
        if delivery is not None and config.strict:
            delivery.finish(api, files)
    except BaseException:
        validation.cancel()
        if memo is not None:
            memo.discard()
        if begun and delivery is not None:
            delivery.discard()
        raise
    return Generated(api, files, [*warnings, *later_warnings])


@contextmanager
def _long_lived() -> Iterator[None]:
    """Make the document or the API model without the cyclic garbage collector, and exempt
    them from it afterwards.

    They live until the run ends and hold no cycles, yet every full collection would walk
    their millions of objects again (about 0.2 s of a GitHub regeneration). Reference
    counting still frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _component_memo(config: Config, path: str | Path, fingerprints: Fingerprints) -> ComponentMemo | None:
    """The component schemas' build of this package's last run with caching on, if any."""
    directory = cache_dir("build")
    return ComponentMemo.in_directory(directory, build_identity(config, path), fingerprints) if directory else None


def _operations_memo(config: Config, path: str | Path, fingerprints: Fingerprints) -> OperationMemo | None:
    """The operations' build of this package's last run with caching on, if any."""
    directory = cache_dir("build")
    return OperationMemo.in_directory(directory, build_identity(config, path), fingerprints) if directory else None


def _render_memo(api: Api, source: str, fingerprints: Fingerprints) -> RenderMemo | None:
    """The rendered files of this package's last run with caching on, if any."""
    directory = cache_dir("render")
    return RenderMemo.in_directory(directory, f"{api.package}|{source}", fingerprints) if directory is not None else None


def _render_workers(validation: PendingValidation) -> int:
    """Processes to render with: the cores that validation leaves idle (all of them but
    this one, once it has its answer), at most four."""
    return 1 + min(spare_cores(), 3) if validation.settled() else 1


def build_model(
    document: Document,
    config: Config,
    memo: ComponentMemo | None = None,
    operations_memo: OperationMemo | None = None,
) -> tuple[Api, list[Diagnostic]]:
    """The API model of the client the config asks for (selection, names, base URL applied)."""
    root, upgrade_warnings = normalize(document.root, diagnostic=document.diagnostic)
    root = select_operations(root, selection(config))
    api, build_warnings = build_api(
        root,
        package=config.package_name,
        client_class=config.client_name,
        locate=document.diagnostic,
        names=config.names,
        memo=memo,
        operations_memo=operations_memo,
        # The units found describe the document as read: not one upgraded or cut to a selection.
        unit_digests=document.unit_digests if root is document.root else None,
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
