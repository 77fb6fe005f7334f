"""Everything that reads YAML: the spec loader's YAML dialect, and line numbers in YAML text.

Kept apart so that a run on a JSON spec does not import PyYAML (13 ms of a regeneration).
"""

from __future__ import annotations

import re
from typing import Any

import yaml  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # type: ignore[import-untyped]

from .loader import _fail
from .locate import pointer_tokens

try:  # libyaml parses several times faster; Stripe's spec is 4 MB of YAML
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = ["SpecLoader", "YamlLocator", "parse_yaml"]

# The JSON-compatible subset of YAML people mean when they write an OpenAPI document.

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class SpecLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader with YAML 1.2 core-schema scalars instead of YAML 1.1's.

    YAML 1.1 turns `on:` into True, `2024-01-01` into a date, `12:30` into 750 and `0123`
    into 83. In a spec these are keys, examples and descriptions that must stay what they
    look like, so: booleans are only true/false, dates stay strings, numbers are decimal
    (or 0x/0o), and non-string mapping keys keep their text (`200:` is the key "200").
    """

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)  # apply `<<` merge keys first, as SafeLoader does
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                # The text as written: `200` -> "200", `true` -> "true", never "True".
                key = key_node.value if isinstance(key_node, ScalarNode) else str(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: Any) -> int:
        text = str(self.construct_scalar(node))
        try:
            if text[:2] in ("0o", "0x"):
                return int(text[2:], 8 if text[1] == "o" else 16)
            return int(text)  # decimal even with leading zeros, as in YAML 1.2
        except ValueError:  # an explicit `!!int` in a 1.1 form such as 0b101 or 1_000
            return int(super().construct_yaml_int(node))


SpecLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|false)$", re.IGNORECASE), list("tTfF"))
SpecLoader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
SpecLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
SpecLoader.add_constructor(_INT, SpecLoader.construct_yaml_int)


def parse_yaml(text: str, display: str) -> Any:
    """The content of a YAML spec; SpecError for anything that is not a YAML document."""
    try:
        data = yaml.load(text, Loader=SpecLoader)
    except yaml.MarkedYAMLError as exc:
        raise _fail(f"not valid YAML: {_yaml_problem(exc)}", display, _yaml_line(exc)) from None
    except yaml.YAMLError as exc:  # e.g. a control character the YAML reader refuses
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        raise _fail(f"not valid YAML: {exc}", display, line) from None
    except RecursionError:
        raise _fail("the document is nested too deeply to read", display) from None
    if data is None:
        raise _fail("the file holds no document (only comments or null)", display)
    return data


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return ", ".join(parts) if parts else "syntax error"


def _yaml_line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


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
                self._root = yaml.compose(self.text, Loader=_BaseLoader)
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


