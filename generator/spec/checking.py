"""Strict validation without paying for it on every run.

openapi-spec-validator needs 12-25 s on GitHub's spec alone (3 s behind the compiled
prefilter, still about half of everything else codegen does). So its findings are cached,
keyed by a hash of every source file's text and of the validating code's versions (a changed
document can never be served old findings), and a cache miss runs in a forked process beside
the build instead of before it.

An entry also keeps each path item's and each named schema's findings, keyed by the content
of that unit and of everything its $refs reach (strict.findings_by_unit). A changed document
misses the entry, but the units it did not change are answered by the latest entries: after
a one-operation change, only that operation's path item is validated again.

When the document is quick to load (its parse memo is kept), the child is started before the
parent loads it (early_validation): the child imports the validating libraries (a quarter of
a second) while the parent loads, then loads the document itself. Its answer names the
texts it validated (each source file's digest), and one for other texts than the parent's
(a file changed in between) is not used.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..cache import code_digest, entry_name, installed_versions, used, write_atomically, write_entry
from ..errors import Diagnostic
from ..forked import Forked, can_fork, unstoppable
from .loader import Document, load
from .parse_memo import ParseMemo
from .unit_verdicts import KeptChecks
from .units import ClosureState, UnitDigest, closure_digests_after, document_digest, named_units, unit_digest, units

__all__ = ["PendingValidation", "early_validation", "findings_key", "located"]

Finding = tuple[str, str]
UnitFindings = dict[str, list[Finding]]
Texts = tuple[tuple[str, str], ...]  # what a document was read from: each source file's name and digest
# A child's answer: the texts it validated, by identity (see _identities) and by digest, and
# their findings.
Computed = tuple[Texts, Texts, list[Finding]]
RECENT_ENTRIES = 4  # how many of the latest entries may answer for unchanged units
KEPT_ENTRIES = 64  # entries kept at the most, the most recently used (one per document version)
KEPT_CLOSURES = 16  # closure digests kept at the most (one per document file name)

_LIBRARIES = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-path", "jsonschema-rs")
_OUR_CODE = ("strict.py", "prefilter.py", "units.py")  # what decides the findings and their keys
_VALUE = "value "  # how texts told by the document's value start (see _value_texts)


def findings_key(doc: Document, code_version: str | None = None) -> str:
    return _key(_texts(doc), code_version)


def _key(texts: Texts, code_version: str | None = None) -> str:
    digest = hashlib.sha256((code_version or _code_version()).encode())
    for display, text in texts:
        digest.update(f"\0{display}\0{text}".encode())
    return digest.hexdigest()


def _texts(doc: Document) -> Texts:
    """What the findings are of: the document's value (_value_texts) where the loader found
    its units' digests, else each source file's bytes, by their sha256. Validation reads the
    value alone, so either tells findings apart."""
    return _value_texts(doc, doc.unit_digests) or _file_texts(doc)


def _value_texts(doc: Document, read: dict[str, UnitDigest] | None) -> Texts | None:
    """The value of a document read from one file, as units.document_digest makes it from
    the units' digests `read` (0.003 s for GitHub's spec, where hashing its 13 MB took
    0.009 s)."""
    value = document_digest(doc.root, read) if read is not None and len(doc.sources) == 1 else None
    return ((doc.root_source.display, f"{_VALUE}{value}"),) if value is not None else None


def _file_texts(doc: Document) -> Texts:
    return tuple((source.display, source.content_digest()) for source in doc.sources.values())


def _same_texts(answered: Texts, doc: Document) -> bool:
    """Whether texts a child answered with are `doc`'s, whichever way each side told them
    (a document that one side read through the parse memo and the other did not)."""
    if not answered or not answered[0][1].startswith(_VALUE):
        return answered == _file_texts(doc)
    read = doc.unit_digests or {pointer: unit_digest(node) for pointer, node in named_units(doc.root)}
    return answered == _value_texts(doc, read)


def _identities(doc: Document) -> Texts | None:
    """The texts as the parse memo tells them apart (Source.identity), where it could for
    every source: two processes that read the same bytes from the same kept parse agree on
    them without a digest of all they read."""
    sources = doc.sources.values()
    if not all(source.identity for source in sources):
        return None
    return tuple((source.display, source.identity) for source in sources)


@cache  # the code cannot change under a running process; a run asks twice
def _code_version() -> str:
    versions = installed_versions(_LIBRARIES)
    return code_digest("|".join(f"{name}={versions.get(name, '?')}" for name in _LIBRARIES), (
        Path(__file__).with_name(name) for name in _OUR_CODE
    ))


class PendingValidation:
    """Findings for one document: from the cache, from a child process, or computed here."""

    def __init__(
        self, doc: Document, cache_dir: Path | None, *, background: bool = True, started: Forked[Computed] | None = None
    ) -> None:
        """`started` is the early_validation child for this document, if one was started."""
        self._doc = doc
        self._cache_dir = cache_dir
        self._salt = _code_version() if cache_dir is not None else ""
        self._child = started
        # A child started for this spec asks the cache itself: here the cache's key would
        # need the file's sha256 (0.009 s of GitHub's), which the child's answer spares.
        self._found = self._cached() if started is None else None
        if self._found is not None:
            self.cancel()
        elif self._child is None and background and can_fork():
            self._child = Forked(_findings_with_texts, doc, cache_dir, self._salt, self._entry())

    def settled(self) -> bool:
        """Whether nothing is left running: `result` will not wait for a child."""
        return self._child is None or self._child.done()

    def result(self) -> list[Diagnostic]:
        if self._found is None:
            answer = self._child.result() if self._child is not None else None
            self._child = None
            if answer is not None and (answer[0] == _identities(self._doc) or _same_texts(answer[1], self._doc)):
                self._found = answer[2]  # kept in the cache by the child, for these texts
            else:  # no child, it died, or it validated another text than this document's: do the work here
                computed = _findings(self._doc, self._cache_dir, self._salt)
                entry = self._entry()
                if entry is not None:
                    _keep(entry, computed)
                self._found = computed[0]
        return located(self._doc, self._found)

    def cancel(self) -> None:
        """Stop a child whose answer is no longer wanted (the build failed first)."""
        if self._child is not None:
            self._child.cancel()
            self._child = None

    def _entry(self) -> Path | None:
        """Where the cache keeps this document's findings."""
        if self._cache_dir is None:
            return None
        return self._cache_dir / f"{findings_key(self._doc, self._salt)}.json"

    def _cached(self) -> list[Finding] | None:
        path = self._entry()
        entry = _read_entry(path) if path is not None else None
        if entry is None:
            return None
        assert path is not None
        used(path)
        return entry[0]


def _keep(entry: Path, computed: tuple[list[Finding], UnitFindings]) -> None:
    write_entry(entry, json.dumps({"findings": computed[0], "units": computed[1]}), KEPT_ENTRIES)


def _read_entry(path: Path) -> tuple[list[Finding], UnitFindings] | None:
    """An entry's findings and per-unit findings; None if it is missing, not ours or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found, units = _finding_list(data["findings"]), data["units"]
        # Most units have no findings: their empty lists need no look inside.
        return found, {str(key): [] if value == [] else _finding_list(value) for key, value in units.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _finding_list(data: Any) -> list[Finding]:
    if not isinstance(data, list) or not all(isinstance(p, list) and len(p) == 2 for p in data):
        raise ValueError("not a list of findings")
    return [(str(pointer), str(message)) for pointer, message in data]


def _known_units(cache_dir: Path) -> UnitFindings:
    """Per-unit findings from the latest entries: a changed document's unchanged units."""
    try:
        entries = [(entry.stat().st_mtime_ns, Path(entry.path)) for entry in os.scandir(cache_dir)]
    except OSError:
        return {}
    known: UnitFindings = {}
    for _, path in sorted(entries, reverse=True)[:RECENT_ENTRIES]:
        entry = _read_entry(path) if path.suffix == ".json" else None
        known.update(entry[1] if entry is not None else {})
    return known


def located(doc: Document, found: list[Finding]) -> list[Diagnostic]:
    """(pointer, message) findings as warnings with the file and line each pointer lands on."""
    return [doc.diagnostic("warning", message, pointer) for pointer, message in found]


def early_validation(
    path: str | Path, memo: ParseMemo | None, cache_dir: Path | None, first: Callable[[], Any] | None = None
) -> Forked[Computed] | None:
    """A child validating the spec at `path` that loads it itself, started now, before the
    caller loads it; None where that would not pay: without a kept parse the child's own
    parse would cost as much again, and a second copy of the document in memory. It does
    the `first` job before (see Forked)."""
    if memo is None or not memo.kept() or cache_dir is None or not can_fork():
        return None
    return Forked(_findings_of_file, path, memo.read_only(), cache_dir, _code_version(), first=first)


def _findings_of_file(path: str | Path, memo: ParseMemo, cache_dir: Path, salt: str) -> Computed:
    gc.disable()  # a short-lived process: collections would only walk the document it makes
    doc = load(path, memo)
    texts = _texts(doc)
    entry = cache_dir / f"{_key(texts, salt)}.json"
    kept = _read_entry(entry)  # asked before the validating libraries are imported (0.09 s)
    if kept is not None:
        return _identities(doc) or texts, texts, kept[0]
    return _findings_with_texts(doc, cache_dir, salt, entry, texts)


def _findings_with_texts(
    doc: Document, cache_dir: Path | None, salt: str, entry: Path | None, texts: Texts | None = None
) -> Computed:
    """A child's answer: the findings, kept in the cache `entry` here rather than in the
    parent, which is then done sooner (the entry is that of the texts validated, whichever
    document the parent has); each unit's findings stay here, in the entry. `texts` are
    the document's, if worked out already."""
    computed = _findings(doc, cache_dir, salt)
    if entry is not None:
        with unstoppable():
            _keep(entry, computed)
    texts = texts if texts is not None else _texts(doc)
    return _identities(doc) or texts, texts, computed[0]


def _findings(doc: Document, cache_dir: Path | None, salt: str) -> tuple[list[Finding], UnitFindings]:
    # Imported here: the validating libraries cost 20 MB, which only the process that
    # validates should pay (the child, usually; nobody, when the cache answers).
    from .strict import findings_by_unit

    if cache_dir is None:
        return findings_by_unit(doc, None, salt)
    last = _LastValidation(cache_dir / f"{entry_name(doc.path.name)}.closures", salt)
    found = findings_by_unit(doc, _known_units(cache_dir), salt, last.keys, last.checks(doc.version))
    last.save()
    return found


# What a meta-schema's version kept (see unit_verdicts.KeptChecks): the units found valid,
# and each path item's operationIds.
_Kept = tuple[str, dict[str, str], dict[str, Any]]


class _LastValidation:
    """What the last validation of a document of the same file name found, kept beside the
    findings (a new version of a spec is often validated from another directory): its units'
    closure digests, from which the units' keys are worked out (units.closure_digests_after),
    and what its checks found of single units (unit_verdicts.KeptChecks). Whatever document
    that was, a unit's key is reused only where it and all it reaches are as they were, and
    what was found of a unit only where it is as it was."""

    def __init__(self, path: Path, salt: str) -> None:
        self._path = path
        self._salt = salt
        self._state: ClosureState = {}
        self._checks: tuple[str, KeptChecks] | None = None
        self._kept: tuple[ClosureState, _Kept] | None = None

    def keys(self, root: Any, read: dict[str, UnitDigest] | None) -> dict[str, str]:
        last = self._last()[0]
        try:
            keys, self._state = closure_digests_after(units(root, read, last), last, self._salt)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):  # a kept state of another shape
            keys, self._state = closure_digests_after(units(root, read), {}, self._salt)
        return keys

    def checks(self, version: str) -> KeptChecks:
        """What was found under the meta-schema of `version` (nothing, for another)."""
        kept_version, valid, operation_ids = self._last()[1]
        same = kept_version == version
        self._checks = (version, KeptChecks(valid if same else {}, operation_ids if same else {}))
        return self._checks[1]

    def save(self) -> None:
        version, checks = self._checks if self._checks is not None else ("", KeptChecks({}, {}))
        kept = (version, checks.valid, checks.operation_ids)
        with unstoppable():  # a stopped child leaves no temporary file behind
            write_atomically(self._path, lambda handle: marshal.dump((self._salt, self._state, kept), handle), KEPT_CLOSURES)

    def _last(self) -> tuple[ClosureState, _Kept]:
        """The kept closure digests, and what was kept of the checks; read once."""
        if self._kept is None:
            self._kept = self._read()
        return self._kept

    def _read(self) -> tuple[ClosureState, _Kept]:
        try:
            salt, state, (version, valid, operation_ids) = marshal.loads(self._path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}, ("", {}, {})
        if salt != self._salt or not all(isinstance(part, dict) for part in (state, valid, operation_ids)):
            return {}, ("", {}, {})
        return state, (str(version), valid, operation_ids)
