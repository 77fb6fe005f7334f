"""State shared by the builder's passes: the document, $ref resolution and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NoReturn

from ..errors import Diagnostic, SpecError
from ..spec.refs import deref, plain_diagnostic

Locate = Callable[[str, str, str], Diagnostic]  # (severity, message, pointer) -> Diagnostic


@dataclass
class BuildContext:
    """The document being built from, and what the build has to say about it (warnings,
    resolved $refs)."""

    root: dict[str, Any]
    locate: Locate = plain_diagnostic
    warnings: list[Diagnostic] = field(default_factory=list)
    warned: list[tuple[str, str]] = field(default_factory=list)  # (message, pointer) of each warning
    # $ref -> the node its chain ends at, and that node's pointer. The answer depends on the
    # reference alone, and GitHub's spec asks for its 13,000 references 100,000 times.
    _resolved: dict[str, tuple[Any, str]] = field(default_factory=dict, repr=False)

    def warn(self, message: str, pointer: str) -> None:
        self.warnings.append(self.locate("warning", message, pointer))
        self.warned.append((message, pointer))

    def fail(self, message: str, pointer: str) -> NoReturn:
        raise SpecError(self.locate("error", message, pointer))

    def mapping(self, node: Any, pointer: str, what: str) -> dict[str, Any]:
        """The node as a mapping, or a fatal error naming what was expected there."""
        if not isinstance(node, dict):
            self.fail(f"{what} must be an object, not {_json_type(node)}", pointer)
        return node

    def sequence(self, node: Any, pointer: str, what: str) -> list[Any]:
        if not isinstance(node, list):
            self.fail(f"{what} must be an array, not {_json_type(node)}", pointer)
        return node

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow a chain of internal $refs to the node it ends at, and that node's pointer."""
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            return node, pointer
        found = self._resolved.get(ref)
        if found is None:  # a failure raises, so only whole chains are kept
            found = self._resolved[ref] = deref(self.root, node, pointer, self.locate)
        return found


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def text(value: Any) -> str:
    """A spec string, trimmed; anything that is not a string reads as empty."""
    return value.strip() if isinstance(value, str) else ""
