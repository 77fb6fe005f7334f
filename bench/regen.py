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
    # Time alone is reported, so every run here is timed without the memory sampler (see
    # run_tree), the cold reference too: both sides of the ratio are measured alike.
    cold = run_tree(tools.codegen_cmd(tools.GITHUB_SPEC, work / "cold", PACKAGE), env=tools.child_env(""), sample=False)
    fill = run_tree(tools.codegen_cmd(tools.GITHUB_SPEC, out, PACKAGE, cache=True), env=env, sample=False)
    entries = _entries(cache)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / tools.GITHUB_SPEC.name  # same name: generated files quote it
        # Written as GitHub publishes the file (json.dumps with two-space indents and UTF-8
        # gives it back byte for byte), so the text changes only where the operation went,
        # as in a new version of the spec.
        spec.write_text(json.dumps(fixtures.with_new_operation(), indent=2, ensure_ascii=False), encoding="utf-8")
        regen = run_tree(tools.codegen_cmd(spec, out, PACKAGE, cache=True), env=env, sample=False)
        # The same document with every line of its text changed: the loader parses it whole.
        spec.write_text(json.dumps(fixtures.with_new_operation()))
        rewritten = run_tree(tools.codegen_cmd(spec, out, PACKAGE, cache=True), env=env, sample=False)
    notes = [f"cold run filling the empty cache: {fill.seconds:.1f} s, {entries} entries"]
    notes.append(f"cache entries the regeneration added: {_entries(cache) - entries}")
    if rewritten.ok:
        notes.append(f"the same regeneration from the document written on one line (all text new): {rewritten.seconds:.2f} s")
    else:
        notes.append(f"the regeneration from the document written on one line failed: {rewritten.output_tail}")
    sampled = context.get("cold_github_s")
    notes.append("reference: a --no-cache run timed alike" + (f" (with the sampler, in `gen`: {sampled:.2f} s)" if sampled else ""))
    notes += _check(fill, regen, out)
    if not cold.ok:
        notes.append(f"cold reference run failed: {cold.output_tail}")
    failed = not (cold.ok and fill.ok and regen.ok)
    return [
        Row("regenerate github warm (+1 op)", "s", regen.seconds, cold.seconds, "cold generation", 0.1, failed, notes=notes)
    ]
