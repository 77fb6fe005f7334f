"""Strict validation without paying for it on every run.

openapi-spec-validator needs 12-25 s on GitHub's spec alone (3 s behind the compiled
prefilter, still about half of everything else codegen does). So its findings are cached,
keyed by a hash of every source file's text and of the validating code's versions (a changed
document can never be served old findings), and a cache miss runs in a forked process beside
the build instead of before it.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..cache import write_entry
from ..errors import Diagnostic
from .loader import Document

__all__ = ["PendingValidation", "findings_key", "located"]

_LIBRARIES = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-path", "jsonschema-rs")
_OUR_CODE = ("strict.py", "prefilter.py")  # what decides the findings, besides the libraries


def findings_key(doc: Document) -> str:
    digest = hashlib.sha256(_code_version().encode())
    for source in doc.sources.values():
        digest.update(f"\0{source.display}\0{source.digest}".encode())
    return digest.hexdigest()


def _code_version() -> str:
    from importlib import metadata  # 3 MB of imports that only a cached run needs

    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    ours = [hashlib.sha256(Path(__file__).with_name(name).read_bytes()).hexdigest() for name in _OUR_CODE]
    return "|".join([*versions, *ours])


class PendingValidation:
    """Findings for one document: from the cache, from a child process, or computed here."""

    def __init__(self, doc: Document, cache_dir: Path | None, *, background: bool = True) -> None:
        self._doc = doc
        self._entry = cache_dir / f"{findings_key(doc)}.json" if cache_dir is not None else None
        self._found = self._cached()
        self._child: Any = None
        self._pipe: Connection | None = None
        if self._found is None and background and _can_fork():
            self._start_child()

    def result(self) -> list[Diagnostic]:
        if self._found is None:
            self._found = self._from_child()
            if self._found is None:  # no child, or it died: do the work here
                self._found = _findings(self._doc)
            if self._entry is not None:
                write_entry(self._entry, json.dumps(self._found))
        return located(self._doc, self._found)

    def cancel(self) -> None:
        """Stop a child whose answer is no longer wanted (the build failed first)."""
        if self._child is not None and self._child.is_alive():
            self._child.terminate()
            self._child.join()
        self._child = None

    def _cached(self) -> list[tuple[str, str]] | None:
        if self._entry is None:
            return None
        try:
            data = json.loads(self._entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, list) or not all(isinstance(p, list) and len(p) == 2 for p in data):
            return None  # not ours, or damaged: validate again
        return [(str(pointer), str(message)) for pointer, message in data]

    def _start_child(self) -> None:
        # fork: the child inherits the parsed document, so nothing large is pickled.
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_child_main, args=(self._doc, send), daemon=True)
        self._child.start()
        send.close()
        self._pipe = receive

    def _from_child(self) -> list[tuple[str, str]] | None:
        if self._pipe is None:
            return None
        try:
            found: list[tuple[str, str]] = self._pipe.recv()
        except (EOFError, OSError):
            found = None  # type: ignore[assignment]
        finally:
            self._pipe.close()
            self._pipe = None
            self.cancel()
        return found


def located(doc: Document, found: list[tuple[str, str]]) -> list[Diagnostic]:
    """(pointer, message) findings as warnings with the file and line each pointer lands on."""
    return [doc.diagnostic("warning", message, pointer) for pointer, message in found]


def _findings(doc: Document) -> list[tuple[str, str]]:
    # Imported here: the validating libraries cost 20 MB, which only the process that
    # validates should pay (the child, usually; nobody, when the cache answers).
    from .strict import findings

    return findings(doc)


def _child_main(doc: Document, send: Connection) -> None:
    try:
        send.send(_findings(doc))
    finally:
        send.close()


def _can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
