"""Lines laid out the way black lays them out, so most generated files need no black run.

Black costs about a millisecond per file plus hundreds of microseconds per line: far more
than rendering (GitHub's API would take minutes). Templates for the bulk of the package
(models, enums, resource groups) therefore write black's layout themselves, using these
helpers for the few statements that can outgrow a line. Anything they cannot lay out stays
a long line, and a file with a long code line is passed to black (see format.py). Tests
check that black leaves every other file exactly as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LINE_LENGTH = 100


def from_import(module: str, names: str | list[str], indent: int = 0, limit: int = LINE_LENGTH) -> str:
    """`from module import names`: on one line, or parenthesised with one name per line."""
    names = [names] if isinstance(names, str) else list(names)
    pad = " " * indent
    line = f"{pad}from {module} import {', '.join(names)}"
    if width(line) <= limit:
        return line
    return "\n".join([f"{pad}from {module} import (", *(f"{pad}    {n}," for n in names), f"{pad})"])


def assignment(target: str, value: str, indent: int = 4, limit: int = LINE_LENGTH) -> str:
    """`target = value` for a value black cannot split (a literal): parenthesised if that fits."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if width(line) <= limit or indent + 4 + width(value) > limit:
        return line
    return f"{pad}{target} = (\n{pad}    {value}\n{pad})"


def annotated(
    name: str, annotation: str, default: str = "", indent: int = 4, limit: int = LINE_LENGTH, *, parameter: bool = False
) -> str:
    """`name: annotation = default` in a class body, or as a parameter (then with a comma)."""
    pad = " " * indent
    tail = (f" = {default}" if default else "") + ("," if parameter else "")
    line = f"{pad}{name}: {annotation}{tail}"
    if width(line) <= limit:
        return line
    call = default.find("(")
    if call > 0 and default.endswith(")") and not parameter:
        head = f"{pad}{name}: {annotation} = {default[: call + 1]}"
        if width(head) <= limit:  # a call is split at its own brackets, its arguments on one line
            return f"{head}\n{pad}    {default[call + 1 : -1]}\n{pad})"
    if default and not parameter and width(f"{line[: -len(default)]}(") <= limit:
        # An assignment's value is split off first.
        return f"{line[: -len(default)]}(\n{pad}    {default}\n{pad})"
    return "\n".join(typed(annotation, indent, f"{name}: ", tail, limit))


def typed(expr: str, indent: int, prefix: str = "", suffix: str = "", limit: int = LINE_LENGTH) -> list[str]:
    """Lines for `prefix expr suffix`, splitting a type expression where black splits it.

    A union is parenthesised with one member per line (all on one line if that fits); a
    subscript like List[...] is split at its brackets. Members too long for a line are split
    the same way, recursively.
    """
    pad = " " * indent
    line = f"{pad}{prefix}{expr}{suffix}"
    if width(line) <= limit:
        return [line]
    if len(_top_level_union(expr)) > 1:
        return [f"{pad}{prefix}(", *_inner(expr, indent + 4, limit), f"{pad}){suffix}"]
    opening = expr.find("[")
    if opening > 0 and expr.endswith("]"):
        return [f"{pad}{prefix}{expr[: opening + 1]}", *_inner(expr[opening + 1 : -1], indent + 4, limit), f"{pad}]{suffix}"]
    return [line]


def _inner(expr: str, indent: int, limit: int) -> list[str]:
    """The inside of brackets: on one line if it fits, else a union one member per line."""
    pad = " " * indent
    if width(pad + expr) <= limit:
        return [pad + expr]
    items = _top_level_split(expr, ",")
    if len(items) > 1:  # subscript arguments: one per line, with a trailing comma
        return [line for item in items for line in typed(item, indent, "", ",", limit)]
    parts = _top_level_union(expr)
    if len(parts) == 1:
        return typed(expr, indent, limit=limit)
    return [*typed(parts[0], indent, limit=limit), *(line for p in parts[1:] for line in typed(p, indent, "| ", "", limit))]


def _top_level_union(annotation: str) -> list[str]:
    return _top_level_split(annotation, "|")


def _top_level_split(annotation: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        depth += (char in "[(") - (char in "])")
        if char == separator and depth == 0:
            parts.append(annotation[start:index].strip())
            start = index + 1
    parts.append(annotation[start:].strip())
    return parts


class LaidOut(str):
    """A module's text that knows whether it has a code line too long (`long_line`, as
    long_code_line answers; None: not known), told cheaper than by reading it."""

    long_line: bool | None = None


def long_code_line(text: str, limit: int = LINE_LENGTH) -> bool:
    """Whether a line black would rewrap is longer than the limit.

    Comments and the inside of triple-quoted strings are left alone by black, so only
    the other lines count. Templates open a triple-quoted string only at the start of a
    line (a docstring) or at the end of one (`_FIELDS = r\"\"\"`), close it on a line of its
    own, and escape triple quotes inside it; a triple quote anywhere else is inside a
    one-line literal.
    """
    lines = text.split("\n")
    if text.isascii() and max(map(len, lines)) <= limit:
        return False  # the common case, decided at C speed
    return _scan(lines, limit) is True


def piece_long_line(text: str, limit: int = LINE_LENGTH) -> bool | None:
    """long_code_line of a piece of a module (whole lines, put where no string is open), as
    it is wherever the piece stands; None when the piece leaves a string open: a frame
    with no places of pieces."""
    return framed_long_line(text, "", (), limit)


def framed_long_line(frame: str, place: str, pieces: Iterable[bool | None], limit: int = LINE_LENGTH) -> bool | None:
    """long_code_line of the text `frame` makes when each of its lines that starts with
    `place` (each a line of its own) is replaced by a piece: told from the frame and the
    pieces' answers (piece_long_line) without reading the pieces, each of whose lines then
    reads as it does alone. None where that cannot be told: a piece's answer is None, or
    a piece's place is where a string is open."""
    answers = set(pieces)
    if None in answers:
        return None
    lines = frame.split("\n")
    if '"""' not in frame and frame.isascii() and max(map(len, lines)) <= limit:
        return True in answers
    own = _scan(lines, limit, place, to_the_end=True)
    return None if own is None else own or True in answers


def _scan(lines: list[str], limit: int, place: str = "", to_the_end: bool = False) -> bool | None:
    """Whether a code line is too long, read from the first line (see long_code_line), the
    lines that start with `place` (when given) left to framed_long_line. With `to_the_end`,
    every line is read, and the answer is None when the last one leaves a string open; it
    is None too when a `place` is inside a string."""
    in_string = False
    long = False
    for line in lines:
        if place and line.startswith(place):
            if in_string:
                return None
            continue
        if '"""' not in line:  # most lines: the state stays, only the width matters
            if in_string or len(line) <= limit and line.isascii() or width(line) <= limit:
                continue
            stripped = line.strip()
        else:
            starts_inside = in_string
            stripped = line.strip()
            opens_or_closes = stripped.startswith(('"""', 'r"""')) or stripped.endswith('"""')
            if opens_or_closes and line.count('"""') % 2:
                in_string = not in_string
            if starts_inside or width(line) <= limit:
                continue
        if stripped.startswith("#") or stripped.startswith(('"""', 'r"""')):
            continue  # a comment, or a docstring's first line
        if _UNSPLITTABLE.match(stripped):
            continue
        long = True
        if not to_the_end:
            return True
    return None if to_the_end and in_string else long


# A string item, `"key": name` entry or `keyword="string"` argument of an exploded bracket, or
# a `Name as Name` import: black has nowhere to split these (it adds no parentheses there).
_STRING = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_UNSPLITTABLE = re.compile(rf"^(?:(?:\w+=)?{_STRING}(?::\s*(?:\w+|{_STRING}))?|\w+ as \w+),$")


def width(text: str) -> int:
    """Columns as black counts them: East Asian wide characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Brackets:
    """`head item, item tail` (a call, list, set or tuple): one line if it fits, else one item per line.

    The exploded form ends in a trailing comma, which black treats as a request to keep it
    exploded, so both forms are stable under black. (A one-item tuple's comma is not such a
    request, so those must be short enough for one line.) A call's arguments (`call=True`)
    first try a line of their own between the brackets, as black puts them; a literal's
    items never do.
    """

    def __init__(
        self, head: str, items: list[str | Brackets], tail: str, *, exploded: bool = False, call: bool = False
    ) -> None:
        self.head, self.items, self.tail = head, items, tail
        self.exploded = exploded  # one item per line even when they would fit on one
        self.call = call

    def flat(self) -> str:
        return self.head + ", ".join(_flat(i) for i in self.items) + self.tail

    def lay_out(self, indent: int, prefix: str = "", suffix: str = "", limit: int = LINE_LENGTH) -> str:
        pad = " " * indent
        line = f"{pad}{prefix}{self.flat()}{suffix}"
        if (width(line) <= limit and not self.exploded) or not self.items:
            return line
        hugged = f"{pad}    {', '.join(_flat(i) for i in self.items)}"
        if self.call and not self.exploded and width(hugged) <= limit:
            return "\n".join([f"{pad}{prefix}{self.head}", hugged, f"{pad}{self.tail}{suffix}"])
        inner = [_lay_out(i, indent + 4, limit) for i in self.items]
        return "\n".join([f"{pad}{prefix}{self.head}", *inner, f"{pad}{self.tail}{suffix}"])


def assigned(target: str, annotation: str, value: Brackets, limit: int = LINE_LENGTH) -> str:
    """`target: annotation = value(...)` at module level, where black would split it."""
    head = f"{target}: {annotation} = "
    if width(head + value.head) <= limit:
        return value.lay_out(0, head, limit=limit)
    if width(head + "(") <= limit:  # black splits off an assignment's value first
        return f"{head}(\n{value.lay_out(4, limit=limit)}\n)"
    lines = typed(annotation, 0, f"{target}: ", f" = {value.head}", limit)
    prefix = "\n".join([*lines[:-1], lines[-1][: -len(value.head)]])
    return value.lay_out(0, prefix, limit=limit)


def method_head(name: str, returns: str, indent: int = 4, limit: int = LINE_LENGTH) -> str:
    """`def name(self) -> returns:`, its only parameter on a line of its own if too long."""
    pad = " " * indent
    line = f"{pad}def {name}(self) -> {returns}:"
    if width(line) <= limit:
        return line
    return f"{pad}def {name}(\n{pad}    self,\n{pad}) -> {returns}:"


def brackets(head: str, items: list[str | Brackets], tail: str, *, call: bool = False) -> Brackets:
    return Brackets(head, list(items), tail, call=call)


def _flat(item: str | Brackets) -> str:
    return item.flat() if isinstance(item, Brackets) else item


def _lay_out(item: str | Brackets, indent: int, limit: int) -> str:
    if isinstance(item, Brackets):
        return item.lay_out(indent, suffix=",", limit=limit)
    return f"{' ' * indent}{item},"
