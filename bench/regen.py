"""Warm regeneration: GitHub plus one new GET operation, into the same directory, cache on."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from . import fixtures, tools
from .measure import Run, run_tree
from .table import Row

PACKAGE = "github_regen"


def _mentions_new_operation(out: Path) -> bool:
    needle = fixtures.NEW_OPERATION_ID.split("/")[-1].replace("-", "_")
    return any(needle in path.read_text(errors="replace") for path in out.rglob("*.py"))


def _entries(cache: Path) -> int:
    return sum(1 for path in cache.rglob("*") if path.is_file())


def _check(fill: Run, regen: Run, out: Path) -> list[str]:
    if not fill.ok:
        return [f"cold run failed: {fill.output_tail}"]
    if not regen.ok:
        return [f"regeneration failed: {regen.output_tail}"]
    return [] if _mentions_new_operation(out) else ["the new operation is not in the regenerated output"]


def run(context: dict) -> list[Row]:
    work = tools.work_dir() / "regen"
    tools.set_aside(work)
    cache, out = work / "cache", work / "out"
    env = tools.child_env(str(cache))  # a private cache: empty before the first run
    fill = run_tree(tools.codegen_cmd(tools.GITHUB_SPEC, out, PACKAGE, cache=True), env=env)
    entries = _entries(cache)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / tools.GITHUB_SPEC.name  # same name: generated files quote it
        # Written as GitHub publishes the file (json.dumps with two-space indents and UTF-8
        # gives it back byte for byte), so the text changes only where the operation went,
        # as in a new version of the spec.
        spec.write_text(json.dumps(fixtures.with_new_operation(), indent=2, ensure_ascii=False), encoding="utf-8")
        regen = run_tree(tools.codegen_cmd(spec, out, PACKAGE, cache=True), env=env)
        # The same document with every line of its text changed: the loader parses it whole.
        spec.write_text(json.dumps(fixtures.with_new_operation()))
        rewritten = run_tree(tools.codegen_cmd(spec, out, PACKAGE, cache=True), env=env)
    notes = [f"cold run filling the empty cache: {fill.seconds:.1f} s, {entries} entries"]
    notes.append(f"cache entries the regeneration added: {_entries(cache) - entries}")
    if rewritten.ok:
        notes.append(f"the same regeneration from the document written on one line (all text new): {rewritten.seconds:.2f} s")
    else:
        notes.append(f"the regeneration from the document written on one line failed: {rewritten.output_tail}")
    cold = context.get("cold_github_s")
    if cold is None:
        cold = fill.seconds
        notes.append("reference: that cache-filling run (run `gen` too for the --no-cache time)")
    notes += _check(fill, regen, out)
    failed = not (fill.ok and regen.ok)
    return [
        Row("regenerate github warm (+1 op)", "s", regen.seconds, cold, "cold generation", 0.1, failed, notes=notes)
    ]
