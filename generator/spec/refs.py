"""JSON pointers and internal $refs over the loaded (bundled) document.

After loading, every $ref in the document is internal ("#/..."): external files were bundled
into the root. So resolution here never touches the file system.

Errors need a file and a line, which this module does not know. Functions that can fail take
a `diagnostic` callable with the signature of `Document.diagnostic` (severity, message,
pointer) -> Diagnostic; pass `doc.diagnostic` to get file and line, or leave the default to
get the pointer alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from ..errors import Diagnostic, SpecError, join_pointer, unescape_pointer_token

__all__ = ["MakeDiagnostic", "PointerError", "deref", "plain_diagnostic", "resolve_pointer"]

MakeDiagnostic = Callable[[str, str, str], Diagnostic]  # (severity, message, pointer)


def plain_diagnostic(severity: str, message: str, pointer: str) -> Diagnostic:
    """A diagnostic without file or line, for callers that have no Document at hand."""
    return Diagnostic(severity, message, pointer=pointer)


class PointerError(LookupError):
    """A JSON pointer that leads nowhere in the document."""

    def __init__(self, pointer: str, failed_at: str) -> None:
        self.pointer = pointer
        self.failed_at = failed_at  # the longest prefix of `pointer` that does not exist
        super().__init__(f"{pointer!r} does not exist (no {failed_at!r})")


def resolve_pointer(root: Any, pointer: str) -> Any:
    """The value at a JSON pointer ("" is the root; "/a/0/b~1c" walks keys and indexes)."""
    if pointer and not pointer.startswith("/"):
        raise PointerError(pointer, pointer)
    node = root
    walked = ""
    for raw in pointer.split("/")[1:] if pointer else []:
        walked += "/" + raw
        token = unescape_pointer_token(raw)
        if isinstance(node, dict):
            if token not in node:
                raise PointerError(pointer, walked)
            node = node[token]
        elif isinstance(node, list):
            # RFC 6901: array indexes are plain decimal numbers, no sign and no leading zero.
            if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
                raise PointerError(pointer, walked)
            index = int(token)
            if index >= len(node):
                raise PointerError(pointer, walked)
            node = node[index]
        else:
            raise PointerError(pointer, walked)
    return node


def ref_pointer(ref: str) -> str | None:
    """The JSON pointer an internal $ref names ("#/a/b" -> "/a/b"), or None if not internal."""
    if not ref.startswith("#"):
        return None
    # A fragment is a URI part: "%7B" may stand for "{" (RFC 6901 section 6).
    return unquote(ref[1:])


def deref(
    root: Any,
    node: Any,
    pointer: str,
    diagnostic: MakeDiagnostic = plain_diagnostic,
) -> tuple[Any, str]:
    """Follow `node`'s chain of $refs to the node it ends at; return it and its pointer.

    `pointer` is where `node` sits in `root`. A node that is not a {"$ref": "..."} object
    comes back unchanged. Sibling keys beside a $ref are not merged in: callers that honour
    them (3.1 allows `description` next to `$ref`) read them from `node` themselves.

    Only a $ref whose target is again a $ref can loop; a schema that refers to itself from
    one of its properties is recursive, which is legal and never followed here.
    Raises SpecError for a cycle, a missing target or a reference outside the document.
    """
    chain = [pointer]
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        at = join_pointer(pointer, "$ref")
        target = ref_pointer(ref)
        if target is None:
            raise SpecError(diagnostic("error", f"$ref {ref!r} is not a reference within the document", at))
        if target in chain:
            loop = chain[chain.index(target) :]
            shown = " -> ".join("#" + p for p in [*loop, target])
            raise SpecError(diagnostic("error", f"reference cycle: {shown}", target))
        try:
            node = resolve_pointer(root, target)
        except PointerError:
            raise SpecError(diagnostic("error", f"$ref target {ref} does not exist", at)) from None
        pointer = target
        chain.append(pointer)
    return node, pointer
