"""Diagnostics: what the generator tells a person about their spec.

Every problem found in a spec is a Diagnostic with the file, the line and the JSON
pointer where it is. Fatal problems travel as a SpecError; the CLI prints them and exits 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    """A finding about the input, located in its file where possible."""

    severity: str  # "error" or "warning"
    message: str
    file: str = ""
    line: int | None = None
    pointer: str = ""  # JSON pointer into the document, "" for the whole document

    def format(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
        at = f" (at #{self.pointer})" if self.pointer else ""
        return f"{where}: {self.severity}: {self.message}{at}"


class SpecError(Exception):
    """A spec the generator cannot understand. Nothing is written when one is raised."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(Exception):
    """Bad arguments or options: exit 2 with the message."""


class WriteError(Exception):
    """The output directory cannot take the package: exit 2 with the message."""


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: object) -> str:
    """Append tokens to a JSON pointer ("" is the document root)."""
    # A plain loop: the builder joins pointers about a million times on GitHub's spec.
    for token in tokens:
        text = str(token)
        pointer += "/" + (escape_pointer_token(text) if "~" in text or "/" in text else text)
    return pointer
