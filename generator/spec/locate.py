"""Line numbers for JSON pointers, found in the spec's own text.

Diagnostics name a JSON pointer; people want a line. The parsed document has no positions,
so we go back to the text. Both locators answer with the line of the deepest part of the
pointer that exists: an error about a missing key is best shown at its would-be parent.

JSON is walked with the json module's C scanner, skipping every value we do not descend into,
so even a 13 MB spec answers in a fraction of a second without building a position map.
YAML is composed (not constructed) once into PyYAML's node tree, which carries marks (in
yaml_reading.py, so that a JSON spec never imports PyYAML).
"""

from __future__ import annotations

import json
import json.decoder
import re
from typing import Any, Protocol

from ..errors import unescape_pointer_token

__all__ = ["JsonLocator", "Locator", "json_line", "pointer_tokens", "yaml_line", "yaml_locator"]


class Locator(Protocol):
    def line(self, pointer: str) -> int | None: ...

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring: Any = getattr(json.decoder, "scanstring")  # the C implementation when available


def pointer_tokens(pointer: str) -> list[str]:
    """Split a JSON pointer ("/a/b~1c", "" or "#/a") into unescaped tokens."""
    if pointer.startswith("#"):  # tolerate the URI-fragment form of the same pointer
        pointer = pointer[1:]
    if not pointer:
        return []
    return [unescape_pointer_token(t) for t in pointer.split("/")[1:]]


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


class JsonLocator:
    """Finds values in one JSON text; remembers the positions of containers it has entered.

    A document with many diagnostics asks about many pointers sharing prefixes; caching the
    position of each prefix means the big `paths` object is skipped through only once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        root = _WHITESPACE.match(text, 0)
        start = root.end() if root else 0
        # prefix (tuple of tokens) -> (index of the value, index to report the line of)
        self._cache: dict[tuple[str, ...], tuple[int, int]] = {(): (start, start)}

    def line(self, pointer: str) -> int | None:
        tokens = tuple(pointer_tokens(pointer))
        depth = len(tokens)
        while tokens[:depth] not in self._cache:  # longest known prefix
            depth -= 1
        value_at, report_at = self._cache[tokens[:depth]]
        if value_at >= len(self.text):
            return None  # empty text: nothing to point at
        for depth in range(depth, len(tokens)):
            try:
                found = self._child(value_at, tokens[depth])
            except (ValueError, IndexError):  # malformed text: keep the deepest line found
                found = None
            if found is None:
                break
            value_at, report_at = found
            self._cache[tokens[: depth + 1]] = found
        return _line_at(self.text, report_at)

    def _child(self, at: int, token: str) -> tuple[int, int] | None:
        """(value index, line index) of member `token` of the container starting at `at`."""
        text = self.text
        opener = text[at]
        if opener == "{":
            return self._member(at, token)
        if opener == "[" and token.isdigit():
            return self._item(at, int(token))
        return None

    def _member(self, at: int, token: str) -> tuple[int, int] | None:
        text = self.text
        i = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        while text[i] == '"':
            key_at = i
            key, i = _scanstring(text, i + 1)
            i = _WHITESPACE.match(text, i).end()  # type: ignore[union-attr]
            if text[i] != ":":
                return None
            i = _WHITESPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if key == token:
                # The key's line reads better than the value's when they differ.
                return i, key_at
            i = self._skip_value(i)
            if text[i] != ",":
                return None
            i = _WHITESPACE.match(text, i + 1).end()  # type: ignore[union-attr]
        return None

    def _item(self, at: int, index: int) -> tuple[int, int] | None:
        text = self.text
        i = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        if text[i] == "]":
            return None
        for _ in range(index):
            i = self._skip_value(i)
            if text[i] != ",":
                return None
            i = _WHITESPACE.match(text, i + 1).end()  # type: ignore[union-attr]
        return i, i

    def _skip_value(self, i: int) -> int:
        """Index of the first non-blank character after the value starting at i."""
        _, end = _DECODER.raw_decode(self.text, i)
        return _WHITESPACE.match(self.text, end).end()  # type: ignore[union-attr]


def json_line(text: str, pointer: str) -> int | None:
    """1-based line of the value at `pointer` in JSON `text` (or of its deepest existing prefix)."""
    return JsonLocator(text).line(pointer)


def yaml_locator(text: str) -> Locator:
    """A locator for YAML `text` (yaml_reading.YamlLocator: PyYAML is imported only for YAML)."""
    from .yaml_reading import YamlLocator

    return YamlLocator(text)


def yaml_line(text: str, pointer: str) -> int | None:
    """1-based line of the value at `pointer` in YAML `text` (or of its deepest existing prefix)."""
    return yaml_locator(text).line(pointer)
