"""`python -m bench [--only gen,regen,import,call,decode]`: run, print the table, write JSON."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import calls, decode, gen, importing, machine, regen, tools
from .table import Row, render

BENCHMARKS = {"gen": gen, "regen": regen, "import": importing, "call": calls, "decode": decode}
DEFAULT_RESULTS = tools.REPO / "bench" / "results.json"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    parser.add_argument("--results", default=os.environ.get("BENCH_RESULTS", str(DEFAULT_RESULTS)))
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--check", action="store_true", help="exit 1 when any target is missed")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    return args


def _run_one(name: str, context: dict) -> list[Row]:
    print(f"[bench] {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        rows = BENCHMARKS[name].run(context)
    except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
        traceback.print_exc()
        rows = [Row(name, "s", None, None, "-", None, notes=[f"crashed: {type(exc).__name__}: {exc}"])]
    print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    about = machine.describe()
    context: dict = {}
    try:
        rows = [row for name in args.only for row in _run_one(name, context)]
    finally:
        tools.empty_trash()  # after every timed run (see tools.set_aside)
    print("\n".join(f"{key}: {value}" for key, value in about.items()))
    print()
    print(render(rows, markdown=args.markdown))
    results = {
        "date": datetime.date.today().isoformat(),
        "benchmarks": args.only,
        "machine": about,
        "rows": [row.to_json() for row in rows],
        "context": context,
    }
    Path(args.results).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {args.results}")
    return 1 if args.check and any(row.verdict == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
