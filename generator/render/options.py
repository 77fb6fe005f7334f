"""Choices of the user that change the rendered files but not the API model."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import __version__

# The generated package's requirement for each HTTP library it can be built on. httpx2 is the
# maintained fork of httpx (same API, its own import name).
HTTP_REQUIREMENTS = {"httpx": "httpx>=0.27,<1", "httpx2": "httpx2>=2.16,<3"}
_IMPORT_HTTPX = re.compile(r"^import httpx$", re.MULTILINE)


@dataclass(frozen=True)
class RenderOptions:
    """The options that decide how the files are written, besides the API model."""

    http_library: str = "httpx"
    package_version: str | None = None  # the distribution's version; None: from info.version
    line_length: int = 100  # black's
    codegen_version: str = __version__  # stamped into every file's header

    @property
    def http_requirement(self) -> str:
        return HTTP_REQUIREMENTS[self.http_library]


def use_http_library(text: str, library: str) -> str:
    """Python source importing `library` under the name `httpx`, so code and runtime read alike."""
    if library == "httpx":
        return text
    return _IMPORT_HTTPX.sub(f"import {library} as httpx", text)
