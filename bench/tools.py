"""Where things are, and the command lines of the two generators.

codegen runs from the project's own environment (.venv, as `make generate` runs it; override
with $BENCH_CODEGEN); openapi-python-client, pydantic and the generated clients run from the
benchmark environment, the interpreter running this package (.venv-bench).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BENCH_CORPUS", REPO.parent / "shared" / "corpus" / "dev"))
GITHUB_SPEC = CORPUS / "github__api.github.com.json"
STRIPE_SPEC = CORPUS / "stripe__spec3_yaml.yaml"
PETSTORE_SPEC = REPO / "specs" / "petstore.yaml"
BENCH_BIN = Path(sys.executable).parent
CODEGEN = os.environ.get("BENCH_CODEGEN", str(REPO / ".venv" / "bin" / "codegen"))
OPC = str(BENCH_BIN / "openapi-python-client")
CLIENT_CLASS = "BenchClient"  # codegen's --client-name for every client the bench generates


def work_dir() -> Path:
    path = Path(os.environ.get("BENCH_WORK_DIR", "/tmp/codegen-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def set_aside(path: Path) -> None:
    """Move `path` out of the way, to be deleted when the benchmarks are over.

    Deleting thousands of files leaves the file system busy for seconds afterwards (on this
    project's machines, creating GitHub's 6,750 files then takes 2-4 s instead of 0.3 s), so
    a deletion just before a timed generation would time the harness, not the generator.
    """
    if path.exists():
        trash = work_dir() / "trash"
        trash.mkdir(exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(dir=trash)) / path.name)


def empty_trash() -> None:
    shutil.rmtree(work_dir() / "trash", ignore_errors=True)


def child_env(cache_dir: str | None = "") -> dict[str, str]:
    """The environment of a generator run; cache_dir "" disables codegen's cache."""
    env = dict(os.environ)
    env["PATH"] = f"{BENCH_BIN}{os.pathsep}{env.get('PATH', '')}"  # OPC's ruff hooks
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache_dir is not None:
        env["CODEGEN_CACHE_DIR"] = cache_dir
    return env


def codegen_cmd(spec: Path, out: Path, package: str, cache: bool = False) -> list[str]:
    cmd = [CODEGEN, "generate", str(spec), "-o", str(out), "--package-name", package]
    cmd += ["--client-name", CLIENT_CLASS, "-q"]
    return cmd if cache else cmd + ["--no-cache"]


def opc_cmd(spec: Path, out: Path, package: str) -> list[str]:
    config = out.parent / f"{package}.opc.yaml"
    config.write_text(f"package_name_override: {package}\nproject_name_override: {package}\n")
    return [OPC, "generate", "--path", str(spec), "--output-path", str(out), "--config", str(config)]
