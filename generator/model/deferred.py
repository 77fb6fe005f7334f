"""Model objects that arrive as a name, their other fields filled in on first use.

A regeneration restores thousands of models and enums from the build memo, and usually
needs few of them whole: the render memo knows each one's digest, and the files they make
are kept. Unpickling them all was a tenth of a GitHub regeneration. A deferred object is
an instance of its class with only `name` set; reading any other field (directly, or
through repr, ==, hash, pickling or dataclasses.replace) fills all of its fields from
`load` first. It is then the object `load` gave, field for field.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Callable, TypeVar

T = TypeVar("T")

# id -> (the object, what fills it); the entry holds its object, so its id stays its own.
_PENDING: dict[int, tuple[Any, Callable[[], Any]]] = {}


def deferred(cls: type[T], name: str, load: Callable[[], T]) -> T:
    """An instance of `cls` (a slotted dataclass with a `name` field and fill_on_use
    installed) named `name`, whose other fields `load` gives when one is first read."""
    shell = object.__new__(cls)
    object.__setattr__(shell, "name", name)
    _PENDING[id(shell)] = (shell, load)
    return shell


def is_pending(obj: object) -> bool:
    """Whether `obj` is deferred and not filled yet."""
    entry = _PENDING.get(id(obj))
    return entry is not None and entry[0] is obj


def fill_on_use(cls: type) -> None:
    """Let deferred instances of `cls` fill themselves when a field they lack is read."""
    cls.__getattr__ = _fill  # type: ignore[attr-defined]


def _fill(self: Any, attribute: str) -> Any:
    # Python asks __getattr__ only for an attribute the object lacks: a slot not set yet.
    entry = _PENDING.get(id(self))
    if entry is None or entry[0] is not self:
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attribute!r}")
    del _PENDING[id(self)]
    whole = entry[1]()
    if type(whole) is not type(self) or whole.name != self.name:
        raise TypeError(f"deferred {type(self).__name__} {self.name!r} was filled with {whole!r}")
    for field in fields(whole):
        object.__setattr__(self, field.name, getattr(whole, field.name))
    return getattr(self, attribute)
