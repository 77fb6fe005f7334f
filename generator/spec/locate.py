"""Line numbers for JSON pointers, found in the spec's own text.

Diagnostics name a JSON pointer; people want a line. The parsed document has no positions,
so we go back to the text. Both locators answer with the line of the deepest part of the
pointer that exists: an error about a missing key is best shown at its would-be parent.

JSON is walked with the json module's C scanner, skipping every value we do not descend into,
so even a 13 MB spec answers in a fraction of a second without building a position map.
YAML is composed (not constructed) once into PyYAML's node tree, which carries marks.
"""

from __future__ import annotations

import json
import json.decoder
import re
from typing import Any

import yaml  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # type: ignore[import-untyped]

from ..errors import unescape_pointer_token

try:  # libyaml makes composing a multi-megabyte spec several times faster
    from yaml import CSafeLoader as _ComposeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _ComposeLoader  # type: ignore[assignment]

__all__ = ["JsonLocator", "YamlLocator", "json_line", "pointer_tokens", "yaml_line"]

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


class YamlLocator:
    """Finds values in one YAML text through its composed node tree (built on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: Node | None = None
        self._composed = False

    def _tree(self) -> Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=_ComposeLoader)
            except yaml.YAMLError:
                self._root = None  # text we cannot parse has no lines to offer
        return self._root

    def line(self, pointer: str) -> int | None:
        node = self._tree()
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for token in pointer_tokens(pointer):
            found = _yaml_child(node, token)
            if found is None:
                break
            node, line = found
        return line


def _yaml_child(node: Node, token: str) -> tuple[Node, int] | None:
    """The child node for `token` and the line to report for it."""
    if isinstance(node, MappingNode):
        hit: tuple[Node, int] | None = None
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            # Keys are compared as written: `200:` is the key "200", as the loader makes it.
            if key_node.value == token:
                hit = (value_node, key_node.start_mark.line + 1)  # last duplicate wins, as in loading
            elif key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                merges.append(value_node)
        if hit is not None:
            return hit
        for merged in merges:  # `<<: *base` brings keys from elsewhere in the file
            for source in merged.value if isinstance(merged, SequenceNode) else [merged]:
                found = _yaml_child(source, token)
                if found is not None:
                    return found
        return None
    if isinstance(node, SequenceNode) and token.isdigit():
        index = int(token)
        if index < len(node.value):
            item = node.value[index]
            return item, item.start_mark.line + 1
    return None


def json_line(text: str, pointer: str) -> int | None:
    """1-based line of the value at `pointer` in JSON `text` (or of its deepest existing prefix)."""
    return JsonLocator(text).line(pointer)


def yaml_line(text: str, pointer: str) -> int | None:
    """1-based line of the value at `pointer` in YAML `text` (or of its deepest existing prefix)."""
    return YamlLocator(text).line(pointer)
