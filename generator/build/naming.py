"""Turning spec strings into safe, stable Python names.

Every identifier in the generated code passes through here, so a name from the spec can
never become code: anything that is not a letter, digit or underscore is dropped, and
keywords, soft keywords and shadowing-prone builtins are escaped with a trailing underscore.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import islice

# Derived names grow with nesting (loket.nl's inline schemas reach 220 characters); past
# this length they are cut, and a hash of the whole name keeps them distinct and stable.
MAX_NAME_LENGTH = 80

_WORD = re.compile(r"[A-Z]+\d*(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+[a-z]*")

# Names the generated annotations use. A field or method with one of these names would
# shadow it for the rest of its class body, so they are escaped there. (`list` and `dict`
# stay usable as method names because annotations spell them `List` and `Dict`.)
TYPE_NAMES = frozenset(
    {"str", "int", "float", "bool", "bytes", "object", "frozenset", "datetime", "uuid", "decimal"}
)
# Names the generated modules import beside the models; a model may not take one, or it
# would shadow the import. tests/unit/test_reserved_names.py keeps this list complete.
RESERVED_CLASS_NAMES = frozenset(
    {
        # typing and the standard library
        "Any", "Awaitable", "Callable", "ClassVar", "Dict", "Enum", "IntEnum", "List", "Literal",
        "Mapping", "Optional", "Sequence", "StrEnum", "Tuple", "Union", "Unpack",
        # the runtime
        "AsyncAPIClient", "AsyncAPIResource", "AsyncRawMethod", "AsyncStream", "AsyncStreamedMethod",
        "BinaryContent", "Endpoint", "FileTypes", "Model", "NotGiven", "Param", "RawMethod", "RequestHook",
        "RequestOptions", "ResourceView", "ResponseHook", "ServerSentEvent", "Stream", "StreamedMethod",
        "SyncAPIClient", "SyncAPIResource", "TimeoutTypes", "Unset",
        "AsyncPage", "AsyncPager", "Page", "Pager", "Paging", "SyncPage", "SyncPager",
    }
)


_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


# Cached: a big spec asks for the words of the same few thousand strings about 100,000 times.
@cache
def words(text: str) -> tuple[str, ...]:
    """Split a spec string into words: camelCase, snake_case, kebab-case, spaces, symbols."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts: list[str] = []
    for chunk in _NON_WORD.split(ascii_text):
        parts.extend(_WORD.findall(chunk))
    return tuple(parts)


@cache
def snake(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


def upper_snake(text: str) -> str:
    return "_".join(w.upper() for w in words(text))


def _pascal_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def shorten(name: str, limit: int = MAX_NAME_LENGTH) -> str:
    """`name`, or its first characters and a hash of all of it when it is too long."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    sep = "_" if "_" in name or name.islower() else ""
    return name[: limit - len(digest) - len(sep)].rstrip("_") + sep + (digest if sep else digest.upper())


@cache
def class_name(text: str, fallback: str = "Model") -> str:
    """A PascalCase class name; never empty, never starting with a digit."""
    name = "".join(_pascal_word(w) for w in words(text))
    if not name:
        return fallback
    if name[0].isdigit():
        name = fallback + name
    return shorten(name)


def identifier(text: str, fallback: str = "value", reserved: frozenset[str] = TYPE_NAMES) -> str:
    """A snake_case identifier safe as an argument, attribute or method name."""
    name = snake(text)
    if not name:
        return fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return escape(name, reserved)


def constant(text: str, fallback: str = "VALUE") -> str:
    """An UPPER_SNAKE name for an enum member."""
    name = upper_snake(text)
    if not name:
        return fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def module_name(text: str) -> str:
    name = snake(text) or "module"
    if name[0].isdigit():
        name = f"m_{name}"
    return escape(shorten(name))


def escape(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """Escape Python keywords and any name the caller reserves, with a trailing underscore."""
    if keyword.iskeyword(name) or name in reserved:
        return name + "_"
    return name


class NameAllocator:
    """Hands out unique names within one namespace, deterministically.

    A name that is already taken gets the smallest free numeric suffix; callers that care
    about stability (models) first try a more specific candidate from where the thing stands,
    so suffixes only appear for true clashes.
    """

    def __init__(self, reserved: set[str] | frozenset[str] = frozenset(), *, fold_case: bool = False):
        self._fold = fold_case
        # A dict for its order: what was taken after a point is its tail (see `taken_since`).
        self._taken: dict[str, None] = dict.fromkeys(self._key(n) for n in reserved)

    def _key(self, name: str) -> str:
        return name.lower() if self._fold else name

    def copy(self) -> NameAllocator:
        other = NameAllocator(fold_case=self._fold)
        other._taken = dict(self._taken)
        return other

    def taken(self, name: str) -> bool:
        return self._key(name) in self._taken

    def count(self) -> int:
        """How many names are taken: a point to ask `taken_since` about."""
        return len(self._taken)

    def taken_since(self, count: int) -> tuple[str, ...]:
        """The names taken after `count` of them were, in the order they were taken."""
        return tuple(islice(reversed(self._taken), len(self._taken) - count))[::-1]

    def take(self, names: Iterable[str]) -> None:
        """Take names another allocator gave out (see taken_since), as it did."""
        self._taken.update(dict.fromkeys(names))

    def claim(self, *candidates: str) -> str:
        """The first free candidate, or the first one with the smallest free suffix."""
        for candidate in candidates:
            if not self.taken(candidate):
                self._taken[self._key(candidate)] = None
                return candidate
        base = candidates[0]
        sep = "_" if base[-1:].isdigit() or "_" in base or base.islower() else ""
        n = 2
        while self.taken(f"{base}{sep}{n}"):
            n += 1
        name = f"{base}{sep}{n}"
        self._taken[self._key(name)] = None
        return name
