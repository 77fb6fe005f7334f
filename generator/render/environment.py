"""The Jinja environment: where templates live, and the filters that keep spec text inert.

Every string that comes from the spec reaches the output through one of these filters:
as a Python string literal (`pyrepr`), inside a docstring (`docstring`), in a comment
(`comment`), or in TOML (`toml`). None of them can end the construct they are in.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jinja2

from . import pyexpr

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def pyrepr(value: object) -> str:
    """A Python literal for a JSON value from the spec."""
    return repr(value)


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted docstring literal holding `text`, re-indented for its place."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text += " "
    pad = " " * indent
    lines = text.split("\n")
    body = "\n".join([lines[0], *(pad + line if line.strip() else "" for line in lines[1:])])
    closing = f"\n{pad}" if len(lines) > 1 else ""
    return f'"""{body}{closing}"""'


def comment(text: str) -> str:
    """Text safe for a single-line comment."""
    return " ".join(_CONTROL.sub(" ", text).split())


def toml(value: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML for these)."""
    return json.dumps(value, ensure_ascii=False)


def first_line(text: str) -> str:
    return text.strip().split("\n")[0].strip() if text else ""


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        pyrepr=pyrepr,
        docstring=docstring,
        comment=comment,
        toml=toml,
        first_line=first_line,
        annotation=pyexpr.annotation,
        decoder=pyexpr.decoder,
        plain_json=pyexpr.is_plain_json,
    )
    return env
