"""What building the component schemas made, kept between runs.

Building GitHub's 969 component schemas (3,300 models and 3,000 enums with their inline
ones) is most of the build, and a change to the operations alone leaves it the same. The
memo keeps the builder's state after that phase (schemas.ComponentState) under a key made
of everything the phase reads: the component schemas' JSON, in their order, and the JSON
of every node elsewhere that their $refs reach, however indirectly; the OpenAPI version;
and a hash of the building code. A run whose key matches goes on from that state.

One file per package (the last run's state) keeps the cache from growing with every
version of a spec. It starts with its key, so a mismatch is found before anything is
unpickled. Like Python's own bytecode cache, it trusts the user's cache directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import __version__
from ..cache import Fingerprints, code_digest, entry_name, prune, used
from ..spec.refs import PointerError, ref_pointer, resolve_pointer
from .schemas import ComponentState

_SCHEMAS = "/components/schemas"
KEPT_STATES = 16  # states kept at the most (one per package), the most recently used
_REF = re.compile(r'"\$ref": ("(?:[^"\\]|\\.)*")')
_CODE = (
    Path(__file__).parent,
    Path(__file__).parents[1] / "model",
    Path(__file__).parents[1] / "spec" / "refs.py",
    Path(__file__).parents[1] / "errors.py",
)


def code_version() -> str:
    files = [p for entry in _CODE for p in (sorted(entry.glob("*.py")) if entry.is_dir() else [entry])]
    return code_digest(f"{__version__}|{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}", files)


def components_key(root: dict[str, Any], salt: str) -> str:
    """A hash of everything building the component schemas reads from `root`."""
    digest = hashlib.sha256(f"{salt}\0{root.get('openapi')!r}".encode())
    included: list[str] = []
    todo = [_SCHEMAS]
    while todo:
        pointer = todo.pop()
        if any(pointer == p or pointer.startswith(p + "/") for p in included):
            continue
        included.append(pointer)
        try:
            text = json.dumps(resolve_pointer(root, pointer), default=repr)
        except PointerError:
            text = "missing"  # the build reports it; the key need only differ from a present node
        digest.update(f"\0{pointer}\0{text}".encode())
        for quoted in _REF.findall(text):
            target = ref_pointer(json.loads(quoted))
            if target is not None:
                todo.append(target)
    return digest.hexdigest()


class ComponentMemo:
    """The state of one package's last component build, and this run's, to keep."""

    def __init__(self, path: Path | None, salt: str = "", fingerprints: Fingerprints | None = None) -> None:
        """`fingerprints` learns the digests of the models and enums a hit restores, and gives
        those of the state to keep (see cache.Fingerprints)."""
        self._path = path
        self._salt = salt
        self._fingerprints = fingerprints or Fingerprints()
        self._pending: tuple[str, ComponentState] | None = None

    @classmethod
    def in_directory(cls, directory: Path, identity: str, fingerprints: Fingerprints | None = None) -> ComponentMemo:
        return cls(directory / f"{entry_name(identity)}.pickle", code_version(), fingerprints)

    def key(self, root: dict[str, Any]) -> str:
        return components_key(root, self._salt)

    def get(self, key: str) -> ComponentState | None:
        if self._path is None:
            return None
        try:
            with self._path.open("rb") as handle:
                if handle.readline() != key.encode() + b"\n":
                    return None
                state, digests = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a missing or damaged entry only costs the build
            return None
        if not isinstance(state, ComponentState) or not isinstance(digests, dict):
            return None
        for kind, objects in (("models", state.models), ("enums", state.enums)):
            for name, digest in digests.get(kind, {}).items():
                if name in objects:
                    self._fingerprints.know(objects[name], digest)
        used(self._path)
        return state

    def keep(self, key: str, state: ComponentState) -> None:
        """This run's state, written by `save` when the run has time for it."""
        self._pending = (key, state)

    def save(self) -> None:
        if self._path is None or self._pending is None:
            return
        key, state = self._pending
        self._pending = None
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(key.encode() + b"\n")
                    pickle.dump((state, self._digests(state)), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self._path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            return  # only the next run's time is lost
        prune(self._path.parent, KEPT_STATES, ".pickle")

    def _digests(self, state: ComponentState) -> dict[str, dict[str, bytes]]:
        """The fingerprint of each model and enum, as the state's dicts hold them."""
        of = self._fingerprints.of
        return {
            "models": {name: of(model) for name, model in state.models.items()},
            "enums": {name: of(enum) for name, enum in state.enums.items()},
        }
