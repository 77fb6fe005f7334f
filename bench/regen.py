"""Warm regeneration: GitHub plus one new GET operation, into the same directory, cache on."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from . import fixtures, tools
from .measure import Run, run_tree
from .table import Row

PACKAGE = "github_regen"
# Each side of the ratio is the least of this many runs, a cold run and a regeneration taken
# in turn: one run of either spreads over a fifth of its time on these machines within
# minutes, which a single pair turns into a verdict either way near the target.
ROUNDS = 5


def _mentions_new_operations(out: Path, count: int) -> bool:
    needles = {fixtures.new_operation_id(n).split("/")[-1].replace("-", "_") for n in range(1, count + 1)}
    for path in out.rglob("*.py"):
        text = path.read_text(errors="replace")
        needles = {needle for needle in needles if needle not in text}
    return not needles


def _entries(cache: Path) -> int:
    return sum(1 for path in cache.rglob("*") if path.is_file())


def _check(fill: Run, regens: list[Run], out: Path) -> list[str]:
    if not fill.ok:
        return [f"cold run failed: {fill.output_tail}"]
    failed = [regen for regen in regens if not regen.ok]
    if failed:
        return [f"regeneration failed: {failed[0].output_tail}"]
    return [] if _mentions_new_operations(out, len(regens)) else ["a new operation is not in the regenerated output"]


def _seconds(runs: list[Run]) -> str:
    return ", ".join(f"{run.seconds:.3f}" for run in runs)


def run(context: dict) -> list[Row]:
    work = tools.work_dir() / "regen"
    tools.set_aside(work)
    cache, out = work / "cache", work / "out"
    env = tools.child_env(str(cache))  # a private cache: empty before the first run
    fill = run_tree(tools.codegen_cmd(tools.GITHUB_SPEC, out, PACKAGE, cache=True), env=env, sample=False)
    entries = _entries(cache)
    colds: list[Run] = []
    regens: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / tools.GITHUB_SPEC.name  # same name: generated files quote it
        for number in range(1, ROUNDS + 1):
            # Time alone is reported, so every run here is timed without the memory sampler
            # (see run_tree), the cold reference too: both sides of the ratio are measured alike.
            cold_cmd = tools.codegen_cmd(tools.GITHUB_SPEC, work / f"cold-{number}", PACKAGE)
            colds.append(run_tree(cold_cmd, env=tools.child_env(""), sample=False))
            # Written as GitHub publishes the file (json.dumps with two-space indents and UTF-8
            # gives it back byte for byte), so the text changes only where the operation went,
            # as in a new version of the spec; each round's version has one operation more.
            text = json.dumps(fixtures.with_new_operations(number), indent=2, ensure_ascii=False)
            spec.write_text(text, encoding="utf-8")
            regens.append(run_tree(tools.codegen_cmd(spec, out, PACKAGE, cache=True), env=env, sample=False))
        added = _entries(cache) - entries
        # The same document with every line of its text changed: the loader parses it whole.
        spec.write_text(json.dumps(fixtures.with_new_operations(ROUNDS)))
        rewritten = run_tree(tools.codegen_cmd(spec, out, PACKAGE, cache=True), env=env, sample=False)
    notes = [f"cold run filling the empty cache: {fill.seconds:.1f} s, {entries} entries"]
    notes.append(f"each figure the least of {ROUNDS} runs; regenerations {_seconds(regens)} s, cold runs {_seconds(colds)} s")
    notes.append(f"cache entries the {ROUNDS} regenerations added: {added}")
    if rewritten.ok:
        notes.append(f"the last regeneration from the document written on one line (all text new): {rewritten.seconds:.2f} s")
    else:
        notes.append(f"the regeneration from the document written on one line failed: {rewritten.output_tail}")
    sampled = context.get("cold_github_s")
    notes.append("reference: --no-cache runs timed alike" + (f" (with the sampler, in `gen`: {sampled:.2f} s)" if sampled else ""))
    notes += _check(fill, regens, out)
    notes += [f"cold reference run failed: {cold.output_tail}" for cold in colds if not cold.ok][:1]
    failed = not (fill.ok and all(run.ok for run in colds + regens))
    best_regen, best_cold = min(run.seconds for run in regens), min(run.seconds for run in colds)
    return [Row("regenerate github warm (+1 op)", "s", best_regen, best_cold, "cold generation", 0.1, failed, notes=notes)]
