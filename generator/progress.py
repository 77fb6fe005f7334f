"""What `codegen generate` is doing, shown on the terminal while it works.

Stage messages share one line of stderr, each replacing the last, and the line is cleared
when the work is done: a terminal sees what is happening, while logs and pipes (stderr not
a terminal) and --quiet get nothing, so CI output stays clean.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

Report = Callable[[str], None]  # called with each stage's message


def silent(message: str) -> None:
    """The report of a caller that shows no progress."""


class Progress:
    def __init__(self, stream: TextIO, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self._shown = False

    @classmethod
    def on(cls, stream: TextIO, *, quiet: bool = False) -> Progress:
        """Progress on `stream` when it is a terminal and the user did not ask for quiet."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream, not quiet and callable(isatty) and bool(isatty()))

    def __call__(self, message: str) -> None:
        if self.enabled:
            # \r and "erase to end of line": the new message replaces the old in place.
            self.stream.write(f"\r\033[Kcodegen: {message}...")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False
