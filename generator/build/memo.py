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
import pickle
import sys
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..cache import Fingerprints, code_digest, entry_name, read_pickled_with_blob, used, write_pickled_with_blob
from ..errors import join_pointer
from ..model import Enum, Model
from ..model.deferred import deferred_from
from ..spec.refs import PointerError, resolve_pointer
from ..spec.units import REMAINDER, UnitDigest, is_container, node_digest
from .schemas import ComponentState, is_inner_pointer

T = TypeVar("T")
_SCHEMAS = "/components/schemas"
KEPT_STATES = 16  # states kept at the most (one per package), the most recently used
_CODE = (
    Path(__file__).parent,
    Path(__file__).parents[1] / "model",
    Path(__file__).parents[1] / "spec" / "refs.py",
    Path(__file__).parents[1] / "errors.py",
)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the building code, read once a process (both build memos salt their keys with it)."""
    files = [p for entry in _CODE for p in (sorted(entry.glob("*.py")) if entry.is_dir() else [entry])]
    return code_digest(f"{__version__}|{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}", files)


def components_key(root: dict[str, Any], salt: str, nodes: NodeDigests | None = None) -> str:
    """A hash of everything building the component schemas reads from `root`."""
    reached = (nodes or NodeDigests(root)).reached(_SCHEMAS)
    return hashlib.sha256(f"{salt}\0{root.get('openapi')!r}\0".encode() + reached).hexdigest()


class NodeDigests:
    """Digests of a document's nodes with every node their references reach, for keys.

    A node's content is written and hashed once per run, and so is what it reaches, however
    many keys include it: the digest of what a node reaches is made of its own digest and
    those of what its references reach (as in a Merkle tree).

    A node is hashed as units.node_digest does, and a container of units (units.py) from its
    units' names and digests. `read_units`, the digests of the units the loader found (see
    parse_memo.py), give those without writing the units out: a regeneration then hashes
    only what its edit changed.
    """

    def __init__(self, root: dict[str, Any], read_units: dict[str, UnitDigest] | None = None) -> None:
        self._root = root
        self._read_units = read_units or {}
        self._nodes: dict[str, tuple[bytes, tuple[str, ...]]] = {}  # pointer -> digest, pointers named
        self._reached: dict[tuple[str, str | None], bytes] = {}

    def reached(self, start: str, covered: str | None = None) -> bytes:
        """A hash of the node at `start` and of every node its references reach, however
        indirectly, leaving out those at or under `covered` (another key holds them)."""
        try:
            return self._reach(start, covered, set())[0]
        except RecursionError:  # a chain of references longer than Python's stack
            return self._walk(start, covered)

    def read_from(self, starts: Iterable[str], covered: str | None = None) -> dict[str, bytes]:
        """Every node `reached` hashes from these starts (leaving out `covered` alike), by
        pointer, with the digest of its own content. A node reaches what its content names,
        so while each of them has that digest (`same`), the starts reach the same nodes and
        `reached` gives what it gave."""
        found: dict[str, bytes] = {}
        todo = list(starts)
        while todo:
            pointer = todo.pop()
            if pointer in found or covered is not None and _under(pointer, covered):
                continue
            found[pointer], targets = self._node(pointer)
            todo.extend(targets)
        return found

    def read_digest(self, pointer: str) -> str | None:
        """The digest the loader found of the unit at `pointer` (never one worked out here,
        which would read the unit): None if it found none."""
        read = self._read_units.get(pointer) if pointer != REMAINDER else None
        return read[0] if read is not None else None

    def same(self, read: Iterable[tuple[str, bytes]]) -> bool:
        """Whether every node has the digest given (see read_from)."""
        return all(self._node(pointer)[0] == digest for pointer, digest in read)

    def _reach(self, pointer: str, covered: str | None, open_: set[str]) -> tuple[bytes, bool]:
        """The digest, and whether it is whole: a reference back to a node still being hashed
        (in `open_`) stands as that node's pointer, which holds only within this walk, since
        that node's content is in the walk already. Whole digests alone are kept."""
        kept = self._reached.get((pointer, covered))
        if kept is not None:
            return kept, True
        if pointer in open_:
            return hashlib.sha256(f"again {pointer}".encode()).digest(), False
        open_.add(pointer)
        node, targets = self._node(pointer)
        digest = hashlib.sha256(f"{len(pointer)}:{pointer}".encode() + node)
        whole = True
        for target in targets:
            if _under(target, pointer) or covered is not None and _under(target, covered):
                continue  # in this node's content already, or held by another key
            part, part_whole = self._reach(target, covered, open_)
            digest.update(part)
            whole = whole and part_whole
        open_.discard(pointer)
        if whole:
            self._reached[(pointer, covered)] = digest.digest()
        return digest.digest(), whole

    def _walk(self, start: str, covered: str | None) -> bytes:
        """What `reached` hashes, in a flat walk: each node reached once, in the order found."""
        digest = hashlib.sha256(b"walked")
        included: set[str] = set()
        todo = [start]
        while todo:
            pointer = todo.pop()
            if pointer in included or pointer != start and _under(pointer, start):
                continue
            if covered is not None and _under(pointer, covered):
                continue
            included.add(pointer)
            node, targets = self._node(pointer)
            digest.update(f"{len(pointer)}:{pointer}".encode() + node)
            todo.extend(targets)
        return digest.digest()

    def _node(self, pointer: str) -> tuple[bytes, tuple[str, ...]]:
        found = self._nodes.get(pointer)
        if found is None:
            # The loader's digests are of units; the remainder's pointer is the root's.
            read = self._read_units.get(pointer) if pointer != REMAINDER else None
            if read is not None:
                found = bytes.fromhex(read[0]), read[1]
            else:
                found = self._container(pointer) if is_container(pointer) else self._resolved(pointer)
            self._nodes[pointer] = found
        return found

    def _container(self, pointer: str) -> tuple[bytes, tuple[str, ...]]:
        """A container of units' digest, made of its units' names and digests (its whole
        content), which the loader may have found already."""
        container = self._resolve(pointer)
        if not isinstance(container, dict):
            return self._resolved(pointer)
        digest = hashlib.sha256(b"container\0")
        named: dict[str, None] = {}
        for name in container:
            unit, names = self._node(join_pointer(pointer, str(name)))
            digest.update(f"{len(str(name))}:{name}".encode() + unit)
            named.update(dict.fromkeys(names))
        return digest.digest(), tuple(named)

    def _resolved(self, pointer: str) -> tuple[bytes, tuple[str, ...]]:
        node = self._resolve(pointer)
        return node_digest(node) if node is not _MISSING else (hashlib.sha256(b"missing").digest(), ())

    def _resolve(self, pointer: str) -> Any:
        try:
            return resolve_pointer(self._root, pointer)
        except PointerError:
            return _MISSING  # the build reports it; a key need only differ


_MISSING = object()


def deferred_pickles(cls: type[T], pickled: Iterable[tuple[str, bytes | memoryview]]) -> list[tuple[str, T]]:
    """Each (name, a pickled object of `cls`), as (name, the object deferred until it is read)."""
    pairs = list(pickled)
    return deferred_from(cls, [name for name, _ in pairs], pickle.loads, [data for _, data in pairs])


def _deferred_in(cls: type[T], blob: memoryview, places: dict[str, tuple[int, int]]) -> dict[str, T]:
    """Each object of `cls` pickled in `blob` where `places` says, by name, deferred until
    it is read."""
    return dict(deferred_from(cls, places, partial(_unpickled_at, blob), places.values()))


def _unpickled_at(blob: memoryview, place: tuple[int, int]) -> Any:
    return pickle.loads(blob[place[0] : place[1]])


class _Blob:
    """Objects pickled one after the other, each found again by where it lies."""

    def __init__(self) -> None:
        self.data = bytearray()

    def add(self, obj: object) -> tuple[int, int]:
        start = len(self.data)
        self.data += pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return start, len(self.data)

    def each(self, objects: dict[str, Any]) -> dict[str, tuple[int, int]]:
        return {name: self.add(obj) for name, obj in objects.items()}


def _under(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")


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

    def key(self, root: dict[str, Any], nodes: NodeDigests | None = None) -> str:
        return components_key(root, self._salt, nodes)

    def get(self, key: str) -> ComponentState | None:
        """The state kept under `key`; its models and enums are deferred (model/deferred.py),
        each unpickled when first used."""
        if self._path is None:
            return None
        found = read_pickled_with_blob(self._path, key)
        kept, blob = found if found is not None else (None, memoryview(b""))
        if not isinstance(kept, tuple) or len(kept) != 5:
            return None
        state, digests, models, enums, inner_types = kept
        if not isinstance(state, ComponentState) or not all(isinstance(d, dict) for d in (digests, models, enums)):
            return None
        if not (isinstance(inner_types, tuple) and len(inner_types) == 2):
            return None
        inner = partial(pickle.loads, blob[inner_types[0] : inner_types[1]])
        models, enums = _deferred_in(Model, blob, models), _deferred_in(Enum, blob, enums)
        state = replace(state, models=models, enums=enums, inner_types=inner)
        for kind, objects in (("models", state.models), ("enums", state.enums)):
            known = [(objects[name], digest) for name, digest in digests.get(kind, {}).items() if name in objects]
            self._fingerprints.know_each((obj for obj, _ in known), (digest for _, digest in known))
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
        # Each model and enum is pickled alone, and the types inside component schemas
        # together: a run unpickles only what it uses (see ComponentState.inner_types).
        blob = _Blob()
        models, enums = blob.each(state.models), blob.each(state.enums)
        inner = {pointer: ref for pointer, ref in state.types.items() if is_inner_pointer(pointer)}
        outer = {pointer: ref for pointer, ref in state.types.items() if pointer not in inner}
        rest = replace(state, models={}, enums={}, types=outer, inner_types=None)
        payload = (rest, self._digests(state), models, enums, blob.add(inner))
        write_pickled_with_blob(self._path, key, payload, bytes(blob.data), KEPT_STATES)

    def _digests(self, state: ComponentState) -> dict[str, dict[str, bytes]]:
        """The fingerprint of each model and enum, as the state's dicts hold them."""
        of = self._fingerprints.of
        return {
            "models": {name: of(model) for name, model in state.models.items()},
            "enums": {name: of(enum) for name, enum in state.enums.items()},
        }
