"""The generated clients the benchmarks use, each generated into a fresh directory.

A client is reused by later benchmarks (and later runs with --only) while what produced it
is unchanged: its stamp is a hash of the spec and, for codegen, of generator/ and templates/.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import tools
from .measure import Run, run_tree

_CHECKED: set[tuple[str, str]] = set()  # up to date in this run: not checked again
SPECS = {"github": tools.GITHUB_SPEC, "stripe": tools.STRIPE_SPEC, "petstore": tools.PETSTORE_SPEC}


def package(tool: str, api: str) -> str:
    return f"{api}_{'cg' if tool == 'codegen' else 'opc'}"


def directory(tool: str, api: str) -> Path:
    """The output directory; it is also the sys.path entry for importing the package."""
    return tools.work_dir() / "clients" / package(tool, api)


def _stamp(tool: str, api: str) -> str:
    digest = hashlib.sha256(SPECS[api].read_bytes())
    if tool == "codegen":
        for root in ("generator", "templates"):
            for path in sorted((tools.REPO / root).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(tools.REPO)).encode() + path.read_bytes())
    return digest.hexdigest()


def _stamp_file(tool: str, api: str) -> Path:
    return directory(tool, api).parent / f"{package(tool, api)}.stamp"


def build(tool: str, api: str) -> Run:
    """Generate cold into a fresh directory, measured (no cache: $CODEGEN_CACHE_DIR="")."""
    out = directory(tool, api)
    tools.set_aside(out)
    _stamp_file(tool, api).unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    make = tools.codegen_cmd if tool == "codegen" else tools.opc_cmd
    stamp = _stamp(tool, api)  # of the sources as they are when the run starts
    run = run_tree(make(SPECS[api], out, package(tool, api)), env=tools.child_env(""))
    if run.ok:
        _stamp_file(tool, api).write_text(stamp)
        _CHECKED.add((tool, api))
    return run


def ensure(tool: str, api: str) -> Path:
    """The client's directory, generated first if missing or out of date."""
    stamp = _stamp_file(tool, api)
    if (tool, api) in _CHECKED:
        return directory(tool, api)
    if not (stamp.exists() and stamp.read_text() == _stamp(tool, api)):
        run = build(tool, api)
        if not run.ok:
            raise RuntimeError(f"{tool} could not generate the {api} client:\n{run.output_tail}")
    _CHECKED.add((tool, api))
    return directory(tool, api)
