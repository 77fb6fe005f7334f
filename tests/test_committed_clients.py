"""generated/ holds the clients of specs/, exactly as generation writes them today."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.render.writer import MANIFEST_NAME, manifest_text
from tests.conftest import ROOT

SPECS = sorted(p for p in (ROOT / "specs").iterdir() if p.suffix in (".yaml", ".yml", ".json"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_committed_client_is_current(spec: Path):
    committed = ROOT / "generated" / spec.stem
    assert committed.is_dir(), f"run `make generate`: {committed} is missing"
    files = generate(spec).files
    expected = {**files, MANIFEST_NAME: manifest_text(files)}
    on_disk = {
        str(p.relative_to(committed)): p.read_text(encoding="utf-8")
        for p in committed.rglob("*")
        # Tool caches (.mypy_cache, __pycache__) are not part of the package.
        if p.is_file() and not any(part.startswith((".", "__pycache__")) for part in p.relative_to(committed).parts[:-1])
    }
    stale = sorted(path for path in expected.keys() | on_disk.keys() if expected.get(path) != on_disk.get(path))
    assert not stale, f"generated/{spec.stem} is out of date in {stale[:10]}; run `make generate`"


def test_committed_clients_pass_mypy_strict_and_pyflakes():
    """The code we ship to users is held to a higher bar than the default mypy run."""
    import os
    import subprocess
    import sys

    for spec in SPECS:
        committed = ROOT / "generated" / spec.stem
        package = next(p.name for p in committed.iterdir() if (p / "__init__.py").is_file())
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, package],
            cwd=committed, capture_output=True, text=True,
        )
        assert mypy.returncode == 0, mypy.stdout
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F", "."],
            cwd=committed, capture_output=True, text=True,
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
