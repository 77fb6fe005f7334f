"""Model objects that arrive as a name, their other fields filled in on first use.

A regeneration restores thousands of models and enums from the build memo, and usually
needs few of them whole: the render memo knows each one's digest, and the files they make
are kept. Unpickling them all was a tenth of a GitHub regeneration. A deferred object has
only `name` set; reading any other field (directly, or through repr, ==, hash, pickling or
dataclasses.replace) fills all of its fields from `load` first. It is then an object of
its class, field for field the one `load` gave.

Until then it is of a subclass that adds the filling: a __getattr__ on the class itself
would slow every read of every model's fields (Python 3.11 no longer specializes them).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import fields
from itertools import repeat
from typing import Any, Callable, TypeVar

T = TypeVar("T")

# id -> what fills the object. Not the object itself: one never filled leaves with its
# entry (its class's __del__), so a program that runs the pipeline again and again keeps no
# model of earlier runs, and no id is reused while its entry is here.
# What fills one: a function and the argument to call it with (made by zip in C for thousands).
_PENDING: dict[int, tuple[Callable[[Any], Any], Any]] = {}
_DEFERRED_CLASSES: dict[type, type] = {}  # class -> its subclass for deferred objects


def deferred(cls: type[T], name: str, load: Callable[[], T], **known: Any) -> T:
    """An object of `cls` (a frozen slotted dataclass with a `name` field) named `name`,
    whose other fields `load` gives when one is first read. `known` fields are set now
    (reading them loads nothing); `load` must give them the same values."""
    shell: Any = deferred_from(cls, [name], _called, [load])[0][1]
    for field, value in known.items():
        object.__setattr__(shell, field, value)
    return shell  # type: ignore[no-any-return]


def deferred_from(cls: type[T], names: Iterable[str], load: Callable[[Any], T], arguments: Iterable[Any]) -> list[tuple[str, T]]:
    """(name, deferred(cls, name, a load that calls `load` with the argument)) for each name
    and argument, in loops that run in C (a memo restores 6,600 at once)."""
    names = list(names)
    shells: list[Any] = list(map(object.__new__, repeat(_deferred_class(cls), len(names))))
    deque(map(object.__setattr__, shells, repeat("name"), names), maxlen=0)
    _PENDING.update(zip(map(id, shells), zip(repeat(load), arguments)))
    return list(zip(names, shells))


def _called(load: Callable[[], T]) -> T:
    return load()


def is_pending(obj: object) -> bool:
    """Whether `obj` is deferred and not filled yet."""
    return id(obj) in _PENDING  # an entry leaves with its object: no live object shares its id


def _deferred_class(cls: type) -> type:
    found = _DEFERRED_CLASSES.get(cls)
    if found is None:
        namespace = {
            "__slots__": (),  # the layout of `cls`, so that a filled object can become one
            "__getattr__": _fill_for,
            "__eq__": _equal_when_filled,
            "__del__": _forget,  # not a layout change: a filled object still becomes a `cls`
            "__hash__": cls.__hash__,
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
        }
        found = _DEFERRED_CLASSES[cls] = type(cls.__name__, (cls,), namespace)
    return found


def _fill_for(self: Any, attribute: str) -> Any:
    # Python asks __getattr__ only for an attribute the object lacks: a field not filled yet.
    _fill(self)
    return getattr(self, attribute)


def _equal_when_filled(self: Any, other: object) -> bool:
    _fill(self)
    return self == other  # type: ignore[no-any-return]


def _forget(self: Any, pending: dict[int, tuple[Callable[[Any], Any], Any]] = _PENDING) -> None:
    # Bound as a default: at the interpreter's exit the module's globals may be gone.
    pending.pop(id(self), None)


def _fill(self: Any) -> None:
    filling = _PENDING.get(id(self))
    if filling is None:
        raise AttributeError(f"{type(self).__name__!r} object has no fields to fill")
    cls: Any = type(self).__mro__[1]
    whole = filling[0](filling[1])
    known = [field.name for field in fields(cls) if _is_set(self, field.name)]  # `name`, and any given
    if type(whole) is not cls or any(getattr(whole, name) != getattr(self, name) for name in known):
        raise TypeError(f"deferred {cls.__name__} {self.name!r} was filled with {whole!r}")
    del _PENDING[id(self)]
    for field in fields(cls):
        object.__setattr__(self, field.name, getattr(whole, field.name))
    object.__setattr__(self, "__class__", cls)


def _is_set(obj: Any, name: str) -> bool:
    # The slot's own descriptor: getattr would ask __getattr__, which fills.
    try:
        getattr(type(obj), name).__get__(obj)
        return True
    except AttributeError:
        return False
