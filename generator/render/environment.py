"""The Jinja environment: where templates live, and the filters that keep spec text inert.

Every string that comes from the spec reaches the output through one of these filters:
as a Python string literal (`pyrepr`), inside a docstring (`docstring`), in a comment
(`comment`), or in TOML (`toml`). None of them can end the construct they are in.
"""

from __future__ import annotations

import json
import re
import textwrap
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache

from . import layout, pyexpr
from .pyexpr import pyrepr

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted docstring literal holding `text`, laid out as black lays docstrings out.

    Lines are stripped of trailing space, leading tabs expanded, and continuation lines
    dedented by their common indentation, then indented for their place.
    """
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    pad = " " * indent
    first, *rest = [_expand_leading_tabs(line).rstrip() for line in text.split("\n")]
    rest = textwrap.dedent("\n".join(rest)).split("\n") if rest else []
    body = "\n".join([first, *(pad + line if line else "" for line in rest)])
    if body.startswith('"'):
        body = " " + body
    if body.endswith('"') and not rest:  # else the closing quotes are on a line of their own
        body += " "
    closing = f"\n{pad}" if rest else ""
    return f'"""{body}{closing}"""'


def _expand_leading_tabs(line: str) -> str:
    stripped = line.lstrip()
    return line[: len(line) - len(stripped)].expandtabs() + stripped


def comment(text: str) -> str:
    """Text safe for a single-line comment."""
    return " ".join(_CONTROL.sub(" ", text).split())


def toml(value: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML for these)."""
    return json.dumps(value, ensure_ascii=False)


def first_line(text: str) -> str:
    return text.strip().split("\n")[0].strip() if text else ""


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """jinja2's cache of compiled templates, where a damaged or unwritable cache costs only time."""

    def __init__(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # then nothing is read or written there
        super().__init__(str(directory))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - any damage means: compile the template again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=None)
def environment(compiled: Path | None = None) -> jinja2.Environment:
    """The templates' environment; `compiled` is a directory that keeps them compiled between
    runs (jinja2 checks each against its template's source and its own version)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        bytecode_cache=_CompiledTemplates(compiled) if compiled is not None else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates do not change during a run; checking costs a stat per file
    )
    env.globals.update(
        from_import=layout.from_import,
        assignment=layout.assignment,
        annotated=layout.annotated,
        brackets=layout.brackets,
        typed=layout.typed,
        assigned=layout.assigned,
        method_head=layout.method_head,
        field_annotation=pyexpr.field_annotation,
        field_default=pyexpr.field_default,
    )
    env.filters.update(
        pyrepr=pyrepr,
        docstring=docstring,
        comment=comment,
        toml=toml,
        first_line=first_line,
        annotation=pyexpr.annotation,
        describe=pyexpr.describe,
        module_entry=lambda export: f"{pyrepr(export[0])}: {pyrepr(export[1])}",
        field_line=pyexpr.field_line,
    )
    # The shared macros, made once: an `{% import %}` in each template would make this module
    # again for every file rendered (jinja2 cannot reuse it once a template has globals).
    env.globals["m"] = env.get_template("package/_macros.jinja").module
    return env
