"""Containers of units whose entries are unmarshalled when first read.

A regeneration reads few of the document's units. In the main process the memos give the
build of the component schemas and of the operations, the operations of the path items
that did not change and the digests their keys are made of (build/operations_memo.py),
so only the units an edit changed, and what a changed operation refers to, are read; the
validating child checks only the units it has not found valid before (unit_verdicts.py).
Unmarshalling all of GitHub's path items and components took 0.03 s of each process. The
parse memo therefore keeps each unit alone, and hands the containers of units over as
LazyEntries: dicts whose keys are there from the start and whose values are unmarshalled
by the first read of each.

The dict's own storage holds an _Unread for an entry not yet read. Python code sees only
values (every method that hands out values is overridden), but C code that reads a dict's
storage directly would see the placeholders: marshal refuses a dict subclass, json, pickle
and copy go through the overridden methods, and the compiled validator raises (and is then
taken for "not valid", so the Python one answers). Code that hands a whole document to
such a library calls load_all first.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["LazyEntries", "load_all", "plain"]


class _Unread:
    """An entry's marshalled value, not yet read; marshal and repr refuse it, so that a
    placeholder seen by code that reads around the overridden methods fails loudly."""

    __slots__ = ("data",)

    def __init__(self, data: bytes | memoryview) -> None:
        self.data = data

    def __repr__(self) -> str:
        raise TypeError("an entry of a lazily read container was read around its mapping")


class LazyEntries(dict):  # type: ignore[type-arg]
    """A container of units whose values are unmarshalled on first read (see the module)."""

    __slots__ = ()

    @classmethod
    def of(cls, names: Iterable[str], data: Iterable[bytes | memoryview]) -> LazyEntries:
        """The entries named, each with its marshalled value."""
        return cls(zip(names, map(_Unread, data)))

    def unread(self) -> Iterator[tuple[str, bytes | memoryview]]:
        """Each entry not read yet, with its marshalled value."""
        return ((name, value.data) for name, value in dict.items(self) if type(value) is _Unread)

    def __getitem__(self, key: Any) -> Any:
        value = dict.__getitem__(self, key)
        if type(value) is _Unread:
            value = marshal.loads(value.data)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if dict.__contains__(self, key) else default

    def load_all(self) -> None:
        for name, data in list(self.unread()):
            dict.__setitem__(self, name, marshal.loads(data))

    def items(self) -> Any:
        self.load_all()
        return dict.items(self)

    def values(self) -> Any:
        self.load_all()
        return dict.values(self)

    def __iter__(self) -> Iterator[Any]:
        # Defined so that dict(), update() and ** read through keys() and __getitem__: for a
        # dict subclass that keeps dict's own iterator they copy the storage as it is.
        return dict.__iter__(self)

    def copy(self) -> dict[Any, Any]:
        return dict(self.items())

    def pop(self, key: Any, *default: Any) -> Any:
        if dict.__contains__(self, key):
            self[key]
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[Any, Any]:
        self.load_all()
        return dict.popitem(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return self[key] if dict.__contains__(self, key) else dict.setdefault(self, key, default)

    def __eq__(self, other: object) -> bool:
        self.load_all()
        if isinstance(other, LazyEntries):
            other.load_all()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __or__(self, other: Any) -> Any:
        self.load_all()
        return dict.__or__(self.copy(), other)

    def __ror__(self, other: Any) -> Any:
        self.load_all()
        return dict.__or__(dict(other), self.copy()) if isinstance(other, dict) else NotImplemented

    def __repr__(self) -> str:
        return repr(self.copy())

    def __reduce_ex__(self, protocol: Any) -> Any:  # pickle and copy make a plain dict
        return dict, (self.copy(),)


def load_all(node: Any, depth: int = 2) -> None:
    """Read every lazily read container in `node` (at most `depth` levels down, where the
    containers of units are), in place: for code that reads dicts from C."""
    if type(node) is LazyEntries:
        node.load_all()
    elif depth and type(node) is dict:
        for value in node.values():
            load_all(value, depth - 1)


def plain(node: Any, depth: int = 2) -> Any:
    """`node` with each lazily read container in it (at most `depth` levels down) a plain
    dict; `node` itself when it holds none."""
    if type(node) is LazyEntries:
        return dict(node.items())
    if not depth or type(node) is not dict:
        return node
    changed = {key: made for key, value in node.items() if (made := plain(value, depth - 1)) is not value}
    return node | changed if changed else node
