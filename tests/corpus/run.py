"""Run the generator over every real-world and test spec in ../shared and check each client.

    python -m tests.corpus.run [--only SUBSTRING ...] [--jobs N] [--no-mypy] [--report PATH]

For each document (../shared/corpus/dev/*, ../shared/specs/{edge,versions,invalid}/*):

generated   `python -m generator generate SPEC -o OUT/pkg --package-name c_<stem>` in its own
            subprocess, with its wall time and peak memory (the subprocess's own maxrss, from
            wait4). For specs/invalid/ a clean exit 2 (no traceback, nothing written) also passes.
compiles    `python -m compileall -q` over the package.
imports     a subprocess that imports the package and every module in it, every name in
            `<pkg>.models.__all__` (lazy models too), constructs each client class with
            base_url="http://127.0.0.1:9" and touches every resource group attribute.
mypy        `python -m mypy --no-incremental` on the package, run in the output directory.

Progress is printed per document as it finishes, then a table and totals; a JSON report is
written (default: corpus-report.json in the temp directory). Exit status 1 if anything fails.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import queue
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
TAIL_LINES = 15
TEST_BASE_URL = "http://127.0.0.1:9"

# Documents and the directory each comes from; "invalid" ones may also be rejected cleanly.
SOURCES: tuple[tuple[str, Path], ...] = (
    ("corpus", SHARED / "corpus" / "dev"),
    ("edge", SHARED / "specs" / "edge"),
    ("versions", SHARED / "specs" / "versions"),
    ("invalid", SHARED / "specs" / "invalid"),
)


# --------------------------------------------------------------------------------------
# The import check: run in a fresh interpreter, one or more package names as arguments.
# Prints one JSON object (package -> result) as its last line; exit 1 if anything failed.
# Shared with tests/corpus/test_corpus_sample.py.

IMPORT_CHECK = r'''
import asyncio, functools, importlib, json, pkgutil, sys, time, traceback, warnings

TAIL = %(tail)d
BASE_URL = %(base_url)r


def _tail(text, lines=TAIL):
    return "\n".join(text.rstrip().splitlines()[-lines:])


def check(package):
    result = {"modules": 0, "models": 0, "clients": [], "groups": 0, "failures": [], "warnings": []}
    failures = result["failures"]

    def fail(where):
        # The traceback without the import machinery's own frames, which only add noise.
        lines = traceback.format_exc().splitlines()
        kept, skip = [], False
        for line in lines:
            if line.startswith("  File "):
                skip = "<frozen importlib" in line or "/importlib/__init__.py" in line
            elif not line.startswith("    "):
                skip = False
            if not skip:
                kept.append(line)
        failures.append({"where": where, "error": _tail("\n".join(kept))})

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        started = time.perf_counter()
        try:
            pkg = importlib.import_module(package)
        except BaseException:
            fail("import " + package)
            return result
        result["import_s"] = round(time.perf_counter() - started, 3)
        result["lazy_modules_after_import"] = sum(1 for m in sys.modules if m.startswith(package + "."))

        for name in getattr(pkg, "__all__", []):
            try:
                getattr(pkg, name)
            except BaseException:
                fail(package + "." + name)

        # Every model, through the lazy module __getattr__ of <pkg>.models.
        try:
            models = importlib.import_module(package + ".models")
            names = list(models.__all__)
        except BaseException:
            fail(package + ".models.__all__")
            names = []
        for name in names:
            try:
                value = getattr(models, name)
                if getattr(value, "__name__", name) != name:
                    failures.append({"where": package + ".models." + name,
                                     "error": "resolves to %%r" %% (value,)})
                result["models"] += 1
            except BaseException:
                fail(package + ".models." + name)

        # Every module and subpackage.
        def onerror(name):
            fail("import " + name)

        for info in pkgutil.walk_packages(pkg.__path__, package + ".", onerror=onerror):
            try:
                importlib.import_module(info.name)
                result["modules"] += 1
            except BaseException:
                fail("import " + info.name)

        # Each client class, constructed, with every resource group attribute touched.
        try:
            client_module = importlib.import_module(package + "._client")
            client_names = list(client_module.__all__)
        except BaseException:
            fail(package + "._client.__all__")
            client_names = []
        for class_name in client_names:
            try:
                cls = getattr(pkg, class_name)
            except BaseException:
                fail(package + "." + class_name + " (not exported by the package)")
                continue
            try:
                client = cls(base_url=BASE_URL)
            except BaseException:
                fail(class_name + "(base_url=...)")
                continue
            result["clients"].append(class_name)
            for attr, value in vars(cls).items():
                if isinstance(value, (functools.cached_property, property)) and not attr.startswith("_"):
                    try:
                        group = getattr(client, attr)
                        result["groups"] += 1
                        type(group).__name__
                    except BaseException:
                        fail(class_name + "()." + attr)
            try:
                closed = client.close()
                if asyncio.iscoroutine(closed):
                    asyncio.run(closed)
            except BaseException:
                fail(class_name + "().close()")
    result["warnings"] = sorted({"%%s: %%s" %% (w.category.__name__, w.message) for w in caught})[:20]
    return result


results = {package: check(package) for package in sys.argv[1:]}
print()
print(json.dumps(results))
sys.exit(1 if any(r["failures"] for r in results.values()) else 0)
''' % {"tail": TAIL_LINES, "base_url": TEST_BASE_URL}


def parse_import_check(stdout: str) -> dict[str, Any] | None:
    """The JSON object the import check prints as its last line, or None if it died first."""
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


# --------------------------------------------------------------------------------------
# Subprocesses, each reaped with wait4 so its own peak memory is known.


@dataclass
class Proc:
    argv: list[str]
    returncode: int | None  # None: killed after the timeout
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float,
    env: dict[str, str] | None = None,
    cpus: frozenset[int] | None = None,
) -> Proc:
    """Run argv to completion or timeout; `cpus` pins it (and what it forks) to those cores."""
    import subprocess

    with tempfile.TemporaryFile("w+b") as out, tempfile.TemporaryFile("w+b") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True
        )
        if cpus:
            try:  # before it has started anything of its own: its worker pools inherit the mask
                os.sched_setaffinity(proc.pid, cpus)
            except (OSError, AttributeError):
                pass
        returncode: int | None = None
        rusage = None
        deadline = started + timeout
        delay = 0.005
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # our own child's session only
                except ProcessLookupError:
                    pass
                _, status, rusage = os.wait4(proc.pid, 0)
                returncode = None
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        seconds = time.perf_counter() - started
        proc.returncode = -1 if returncode is None else returncode  # reaped by us, not by Popen
        out.seek(0)
        err.seek(0)
        return Proc(
            list(argv),
            returncode,
            seconds,
            rusage.ru_maxrss / 1024 if rusage is not None else 0.0,  # KiB on Linux
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def tail(text: str, lines: int = TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


# --------------------------------------------------------------------------------------
# Documents.


@dataclass(frozen=True)
class Doc:
    kind: str  # corpus, edge, versions, invalid
    path: Path

    @property
    def name(self) -> str:
        return self.path.name if self.kind == "corpus" else f"{self.kind}/{self.path.name}"

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def package_name(spec: Path) -> str:
    """A valid, deterministic import name for the package generated from `spec`."""
    stem = spec.name
    for suffix in SPEC_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    snake = re.sub(r"[^0-9a-zA-Z]+", "_", stem).strip("_").lower()
    name = "c_" + snake
    assert name.isidentifier(), name
    return name


def discover(only: Sequence[str] = ()) -> list[Doc]:
    docs = []
    for kind, directory in SOURCES:
        for path in sorted(directory.iterdir()):
            if path.suffix in SPEC_SUFFIXES and path.is_file():
                doc = Doc(kind, path)
                if not only or any(s.lower() in doc.name.lower() for s in only):
                    docs.append(doc)
    return docs


# --------------------------------------------------------------------------------------
# Checking one document.


def snapshot_generator(target: Path) -> str:
    """Copy generator/ and templates/ to `target`; return a digest of what was copied.

    Generating from a copy keeps a long run consistent while the working tree is being edited
    (the generator finds its templates relative to its own package).
    """
    import hashlib

    digest = hashlib.sha256()
    for part in ("generator", "templates"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for path in sorted((target / part).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(target)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class Options:
    python: str
    generator_path: Path  # put on PYTHONPATH for `python -m generator`
    format_cache: bool  # let the generator use its black cache (else every run formats afresh)
    mypy: bool
    gen_timeout: float
    check_timeout: float
    mypy_timeout: float
    keep: Path | None


@dataclass
class Result:
    doc: str
    kind: str
    spec: str
    size_kb: int
    package: str
    generated: str = "not run"  # ok | exit N | timeout | rejected (exit 2) | ...
    gen_ok: bool = False
    rejected: bool = False  # an invalid spec, cleanly refused with exit 2
    gen_s: float | None = None
    gen_peak_mb: float | None = None
    operations: int | None = None
    models: int | None = None
    enums: int | None = None
    warnings: int | None = None
    files: int | None = None
    package_kb: int | None = None
    compiles: str = "not run"
    compile_s: float | None = None
    compile_warnings: list[str] = field(default_factory=list)
    imports: str = "not run"
    import_s: float | None = None
    import_detail: dict[str, Any] = field(default_factory=dict)
    mypy: str = "not run"
    mypy_errors: int | None = None
    mypy_first: list[str] = field(default_factory=list)
    mypy_s: float | None = None
    mypy_peak_mb: float | None = None
    failures: dict[str, str] = field(default_factory=dict)  # step -> stderr excerpt

    @property
    def applicable(self) -> bool:
        """Whether compile/import/mypy count for this document (not for a cleanly rejected spec)."""
        return not self.rejected

    @property
    def compile_ok(self) -> bool:
        return self.compiles == "ok"

    @property
    def import_ok(self) -> bool:
        return self.imports == "ok"

    @property
    def mypy_ok(self) -> bool:
        return self.mypy == "ok"

    def passed(self, with_mypy: bool) -> bool:
        if self.rejected:
            return True
        return self.gen_ok and self.compile_ok and self.import_ok and (self.mypy_ok or not with_mypy)


SUMMARY = re.compile(
    r"Generated \S+ \((?P<client>[^)]*)\) in .*?: (?P<ops>\d+) operations, (?P<models>\d+) models, (?P<enums>\d+) enums"
)
WARNING_LINE = re.compile(r": warning: ")
MORE_WARNINGS = re.compile(r"\.\.\. and (\d+) more warnings")
MYPY_ERROR = re.compile(r"^.+?:\d+(?::\d+)?: error: ", re.M)
MYPY_FOUND = re.compile(r"Found (\d+) errors? in (\d+) files?")


def check_document(doc: Doc, options: Options, cpus: frozenset[int] | None = None) -> Result:
    package = package_name(doc.path)
    result = Result(doc.name, doc.kind, str(doc.path), doc.size // 1024, package)
    work = Path(tempfile.mkdtemp(prefix=f"corpus-{package[:40]}-"))
    try:
        _check(doc, options, result, work, cpus)
    finally:
        if options.keep is not None:
            target = options.keep / package
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(str(work), target)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return result


def _check(doc: Doc, options: Options, result: Result, work: Path, cpus: frozenset[int] | None) -> None:
    outdir = work / "pkg"
    py = options.python
    env = dict(os.environ, PYTHONPATH=str(options.generator_path), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONWARNINGS", None)
    if not options.format_cache:
        env["CODEGEN_CACHE_DIR"] = ""  # cold: black runs on every file, and nothing lands in ~/.cache
    argv = [py, "-m", "generator", "generate", str(doc.path), "-o", str(outdir), "--package-name", result.package]

    gen = run_process(argv, cwd=work, timeout=options.gen_timeout, env=env, cpus=cpus)
    result.gen_s = round(gen.seconds, 2)
    result.gen_peak_mb = round(gen.peak_mb, 1)
    traceback_seen = "Traceback (most recent call last)" in gen.stderr
    wrote = outdir.exists() and any(outdir.iterdir())
    if gen.timed_out:
        result.generated = f"timeout ({options.gen_timeout:.0f}s)"
        result.failures["generate"] = tail(gen.stderr)
        return
    if gen.returncode == 0 and not traceback_seen:
        result.generated = "ok"
        result.gen_ok = True
    elif doc.kind == "invalid" and gen.returncode == 2 and not traceback_seen and not wrote:
        result.generated = "rejected (exit 2)"
        result.rejected = True
        result.failures["rejected (expected)"] = tail(gen.stderr)  # kept for the record, not a failure
        return
    else:
        why = f"exit {gen.returncode}"
        if traceback_seen:
            why += ", traceback"
        if gen.returncode == 2 and wrote:
            why += ", wrote files"
        result.generated = why
        excerpt = tail(gen.stderr)
        if gen.returncode == 3 and gen.seconds < 600:  # an internal error: rerun with --debug for the traceback
            debug = run_process([*argv, "--debug"], cwd=work, timeout=options.gen_timeout, env=env, cpus=cpus)
            debug_excerpt = tail(debug.stderr, 25)
            if debug_excerpt:
                excerpt = debug_excerpt
        result.failures["generate"] = excerpt
        return

    summary = SUMMARY.search(gen.stdout)
    if summary:
        result.operations = int(summary["ops"])
        result.models = int(summary["models"])
        result.enums = int(summary["enums"])
    more = MORE_WARNINGS.search(gen.stderr)
    result.warnings = len(WARNING_LINE.findall(gen.stderr)) + (int(more[1]) if more else 0)
    pkgdir = outdir / result.package
    if not pkgdir.is_dir():
        result.generated = "ok, but no package directory"
        result.gen_ok = False
        result.failures["generate"] = f"{pkgdir} missing; output has {sorted(p.name for p in outdir.iterdir())}"
        return
    files = [p for p in pkgdir.rglob("*") if p.is_file()]
    result.files = len(files)
    result.package_kb = sum(p.stat().st_size for p in files) // 1024

    # compiles
    env_bytecode = dict(env)
    env_bytecode.pop("PYTHONDONTWRITEBYTECODE")
    comp = run_process(
        [py, "-W", "always", "-m", "compileall", "-q", str(pkgdir)], cwd=outdir, timeout=options.check_timeout, env=env_bytecode, cpus=cpus
    )
    result.compile_s = round(comp.seconds, 2)
    result.compile_warnings = [line for line in (comp.stdout + comp.stderr).splitlines() if "Warning" in line][:10]
    if comp.returncode == 0:
        result.compiles = "ok"
    else:
        result.compiles = "timeout" if comp.timed_out else f"exit {comp.returncode}"
        result.failures["compile"] = tail(comp.stdout + comp.stderr)

    # imports (in a clean interpreter that sees only the generated package and httpx)
    env_import = dict(env_bytecode, PYTHONPATH=str(outdir))
    imp = run_process([py, "-c", IMPORT_CHECK, result.package], cwd=outdir, timeout=options.check_timeout, env=env_import, cpus=cpus)
    result.import_s = round(imp.seconds, 2)
    parsed = parse_import_check(imp.stdout)
    detail = parsed.get(result.package) if parsed else None
    if detail is not None:
        result.import_detail = {k: v for k, v in detail.items() if k != "failures"}
    if imp.returncode == 0 and detail is not None and not detail["failures"]:
        result.imports = "ok"
    else:
        if imp.timed_out:
            result.imports = "timeout"
        elif detail is not None and detail["failures"]:
            result.imports = f"{len(detail['failures'])} failed"
        else:
            result.imports = f"exit {imp.returncode}"
        if detail is not None and detail["failures"]:
            first = detail["failures"][:3]
            more_failures = len(detail["failures"]) - len(first)
            excerpt = "\n".join(f"-- {f['where']}:\n{f['error']}" for f in first)
            if more_failures:
                excerpt += f"\n... and {more_failures} more failures: " + ", ".join(
                    f["where"] for f in detail["failures"][3:13]
                )
            result.failures["import"] = excerpt
        else:
            result.failures["import"] = tail(imp.stderr or imp.stdout)

    # mypy
    if options.mypy:
        my = run_process(
            [py, "-m", "mypy", "--no-incremental", "--cache-dir", str(work / "mypy-cache"), result.package],
            cwd=outdir,
            timeout=options.mypy_timeout,
            env=env,
            cpus=cpus,
        )
        result.mypy_s = round(my.seconds, 2)
        result.mypy_peak_mb = round(my.peak_mb, 1)
        errors = MYPY_ERROR.findall(my.stdout)
        found = MYPY_FOUND.search(my.stdout)
        result.mypy_errors = int(found[1]) if found else len(errors)
        result.mypy_first = [line for line in my.stdout.splitlines() if ": error: " in line][:5]
        if my.timed_out:
            result.mypy = "timeout"
            result.failures["mypy"] = tail(my.stdout + my.stderr)
        elif my.returncode == 0:
            result.mypy = "ok"
        elif my.returncode in (1, 2) and result.mypy_errors:
            result.mypy = f"{result.mypy_errors} errors" + (" (blocking)" if my.returncode == 2 else "")
            result.failures["mypy"] = "\n".join(
                [*result.mypy_first, *(line for line in my.stdout.splitlines()[-1:] if line.startswith("Found"))]
            )
        else:
            result.mypy = f"exit {my.returncode}"
            result.failures["mypy"] = tail(my.stdout + my.stderr)


# --------------------------------------------------------------------------------------
# Output.


def _cell(value: Any, fmt: str = "{}") -> str:
    return "-" if value is None else fmt.format(value)


def _mark(ok: bool, text: str) -> str:
    return "ok" if ok else text


def progress_line(result: Result, done: int, total: int, elapsed: float) -> str:
    gen = f"gen {_cell(result.gen_s, '{:.1f}')}s {_cell(result.gen_peak_mb, '{:.0f}')}MB"
    if result.rejected:
        steps = "rejected cleanly (exit 2)"
    else:
        steps = (
            f"generated={result.generated} compiles={result.compiles} imports={result.imports} "
            f"mypy={result.mypy}" + (f" ({result.mypy_s:.0f}s)" if result.mypy_s is not None else "")
        )
    return f"[{done}/{total} {elapsed:6.0f}s] {result.doc}: {gen}; {steps}"


def print_table(results: list[Result], with_mypy: bool, stream: Any = sys.stdout) -> None:
    headers = ("document", "ops", "gen s", "peak MB", "generated", "compiles", "imports", "mypy")
    rows = []
    for r in results:
        rows.append(
            (
                r.doc,
                _cell(r.operations),
                _cell(r.gen_s, "{:.1f}"),
                _cell(r.gen_peak_mb, "{:.0f}"),
                r.generated,
                "n/a" if r.rejected else r.compiles,
                "n/a" if r.rejected else r.imports,
                "n/a" if r.rejected else (r.mypy if with_mypy else "skipped"),
            )
        )
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    widths[0] = min(widths[0], 60)
    right = {1, 2, 3}

    def fmt(row: Sequence[str]) -> str:
        cells = []
        for i, cell in enumerate(row):
            text = str(cell)
            if i == 0 and len(text) > widths[0]:
                text = text[: widths[0] - 1] + "…"
            cells.append(text.rjust(widths[i]) if i in right else text.ljust(widths[i]))
        return "  ".join(cells).rstrip()

    print(fmt(headers), file=stream)
    print("  ".join("-" * w for w in widths), file=stream)
    for row in rows:
        print(fmt(row), file=stream)


def totals(results: list[Result], with_mypy: bool) -> dict[str, Any]:
    applicable = [r for r in results if r.applicable]
    counts: dict[str, Any] = {
        "documents": len(results),
        "generated": sum(r.gen_ok or r.rejected for r in results),
        "rejected_invalid": sum(r.rejected for r in results),
        "checked": len(applicable),
        "compiles": sum(r.compile_ok for r in applicable),
        "imports": sum(r.import_ok for r in applicable),
        "mypy": sum(r.mypy_ok for r in applicable) if with_mypy else None,
        "passed": sum(r.passed(with_mypy) for r in results),
    }
    return counts


def totals_line(counts: dict[str, Any]) -> str:
    line = (
        f"generated {counts['generated']}/{counts['documents']}"
        + (f" (of which {counts['rejected_invalid']} invalid specs rejected cleanly)" if counts["rejected_invalid"] else "")
        + f", compiles {counts['compiles']}/{counts['checked']}, imports {counts['imports']}/{counts['checked']}"
    )
    if counts["mypy"] is not None:
        line += f", mypy {counts['mypy']}/{counts['checked']}"
    return line + f"; passed {counts['passed']}/{counts['documents']}"


def print_failures(results: list[Result], stream: Any = sys.stdout) -> None:
    for r in results:
        failures = {k: v for k, v in r.failures.items() if k != "rejected (expected)"}
        if not failures:
            continue
        print(f"\n=== {r.doc} ({r.spec})", file=stream)
        for step, excerpt in failures.items():
            print(f"--- {step}:", file=stream)
            print(excerpt.rstrip() or "(no output)", file=stream)


# --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", action="extend", default=[], metavar="SUBSTRING",
                        help="check only documents whose name contains one of these (case-insensitive)")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="documents checked at once (default 2)")
    parser.add_argument("--no-mypy", dest="mypy", action="store_false", help="skip the mypy check")
    parser.add_argument("--report", type=Path, help="JSON report path (default: corpus-report.json in the temp dir)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per generation (default 900)")
    parser.add_argument("--check-timeout", type=float, default=600, help="seconds for compileall and the import check")
    parser.add_argument("--mypy-timeout", type=float, default=1800, help="seconds per mypy run (default 1800)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep each generated package under DIR/<package>")
    parser.add_argument("--smallest-first", action="store_true", help="run small documents first (default: biggest first)")
    parser.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                        help="generate with the live working tree instead of a copy of generator/ and templates/ "
                        "taken at the start (edits made during the run then change its results)")
    parser.add_argument("--format-cache", action="store_true",
                        help="let the generator reuse its black cache ($CODEGEN_CACHE_DIR or ~/.cache/codegen); "
                        "by default it is disabled so that generation times are cold")
    args = parser.parse_args(argv)

    docs = discover(args.only)
    if not docs:
        print(f"no documents match {args.only}", file=sys.stderr)
        return 2
    docs.sort(key=lambda d: d.size, reverse=not args.smallest_first)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    report_path = args.report or Path(tempfile.gettempdir()) / "corpus-report.json"
    snapshot_dir = Path(tempfile.mkdtemp(prefix="corpus-generator-"))
    try:
        if args.snapshot:
            generator_path = snapshot_dir
            snapshot = snapshot_generator(snapshot_dir)
        else:
            generator_path, snapshot = ROOT, "live working tree"
        options = Options(
            sys.executable, generator_path, args.format_cache, args.mypy, args.timeout, args.check_timeout, args.mypy_timeout, args.keep
        )
        return _run(docs, options, args, report_path, snapshot)
    finally:
        shutil.rmtree(snapshot_dir, ignore_errors=True)


def _run(docs: list[Doc], options: Options, args: argparse.Namespace, report_path: Path, snapshot: str) -> int:
    import subprocess

    where = subprocess.run(
        [options.python, "-c", "import generator; print(generator.__file__)"],
        env=dict(os.environ, PYTHONPATH=str(options.generator_path)),
        cwd=tempfile.gettempdir(),  # like the generation runs: not from a directory holding generator/
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not where.startswith(str(options.generator_path)):
        print(f"the generator would be imported from {where!r}, not from {options.generator_path}", file=sys.stderr)
        return 2
    # Each job gets its share of the cores, so the generator's formatting pool (one worker per
    # core it may use) does not multiply the processes: --jobs 2 on 2 cores runs 2 at a time.
    jobs = max(1, min(args.jobs, len(docs)))
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    slots: queue.Queue[frozenset[int] | None] = queue.Queue()
    for i in range(jobs):
        n = len(available)
        share = available[i * n // jobs : (i + 1) * n // jobs] or available[i % n : i % n + 1] if n else []
        slots.put(frozenset(share) or None)
    print(
        f"checking {len(docs)} documents with {jobs} jobs (mypy {'on' if args.mypy else 'off'}, "
        f"{max(1, len(available) // jobs)} core(s) each, format cache {'on' if options.format_cache else 'off'}); "
        f"generator: {snapshot}",
        flush=True,
    )
    started = time.perf_counter()
    results: dict[Doc, Result] = {}
    lock = threading.Lock()

    def one(doc: Doc) -> Result:
        cpus = slots.get()
        try:
            result = check_document(doc, options, cpus)
        except Exception as exc:  # a bug of this runner: report it as the document's failure
            import traceback

            result = Result(doc.name, doc.kind, str(doc.path), doc.size // 1024, package_name(doc.path))
            result.generated = f"runner error: {type(exc).__name__}"
            result.failures["runner"] = tail(traceback.format_exc())
        finally:
            slots.put(cpus)
        with lock:
            results[doc] = result
            print(progress_line(result, len(results), len(docs), time.perf_counter() - started), flush=True)
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            list(pool.map(one, docs))
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    ordered = [results[d] for d in sorted(docs, key=lambda d: (SOURCES_ORDER[d.kind], d.path.name))]
    elapsed = time.perf_counter() - started
    print()
    print_table(ordered, args.mypy)
    counts = totals(ordered, args.mypy)
    print_failures(ordered)
    print()
    print(totals_line(counts) + f"  [{elapsed:.0f}s]")
    report = {
        "totals": counts,
        "elapsed_s": round(elapsed, 1),
        "mypy": args.mypy,
        "generator_snapshot": snapshot,
        "jobs": jobs,
        "format_cache": options.format_cache,
        "python": sys.version,
        "results": [r.__dict__ for r in ordered],
    }
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"report: {report_path}")
    return 0 if counts["passed"] == counts["documents"] else 1


SOURCES_ORDER = {kind: i for i, (kind, _) in enumerate(SOURCES)}


if __name__ == "__main__":
    sys.exit(main())
