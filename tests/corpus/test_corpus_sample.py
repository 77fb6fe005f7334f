"""A fixed sample of real-world specs, end to end: generated, compiles, imports, mypy-clean.

The fast slice of `make corpus` (tests/corpus/run.py) that runs with every `make test`.
Generation runs in-process; importing runs in one fresh interpreter for all packages; mypy
runs once over all packages, because its start-up dominates.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.pipeline import generate, generate_into
from tests.corpus.run import IMPORT_CHECK, SHARED, package_name, parse_import_check

CORPUS = SHARED / "corpus" / "dev"
SAMPLE: dict[str, Path] = {
    # small OpenAPI 3.0 documents
    "apispot-whois": CORPUS / "oad__apispot.io__whois.json",
    "randommer": CORPUS / "oad__randommer.io.json",
    "circleci": CORPUS / "oad__circleci.com.json",
    "shorten-rest": CORPUS / "oad__shorten.rest.json",
    # Swagger 2.0
    "visagecloud-swagger2": CORPUS / "oad2017__visagecloud.com__1.1.json",
    # OpenAPI 3.1
    "webscraping-3.1": CORPUS / "oad__webscraping.ai.json",
    # fails strict validation (a default of the wrong type), generates with a warning
    "vtex-not-strict": CORPUS / "oad__vtex.local__Price-Simulations.json",
    # oneOf + discriminator
    "edge-discriminator": SHARED / "specs" / "edge" / "discriminator.yaml",
}
IDS = list(SAMPLE)


@dataclass
class Sample:
    spec: Path
    package: str
    outdir: Path
    seconds: float = 0.0
    error: str | None = None  # generation failed: the exception, with its traceback
    compile_errors: list[str] = field(default_factory=list)

    @property
    def generated(self) -> bool:
        return self.error is None

    @property
    def pkgdir(self) -> Path:
        return self.outdir / self.package


def _compile_errors(pkgdir: Path) -> list[str]:
    errors = []
    for path in sorted(pkgdir.rglob("*.py")):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            errors.append(f"{path.relative_to(pkgdir.parent)}:{exc.lineno}: {exc.msg}: {(exc.text or '').strip()}")
    return errors


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Sample]:
    base = tmp_path_factory.mktemp("corpus-sample")
    result = {}
    for key, spec in SAMPLE.items():
        package = package_name(spec)
        sample = Sample(spec, package, base / key)
        started = time.perf_counter()
        try:
            generate_into(sample.outdir, generate(spec, package_name=package))
        except Exception:
            sample.error = traceback.format_exc(limit=-8)
        sample.seconds = time.perf_counter() - started
        if sample.generated:
            sample.compile_errors = _compile_errors(sample.pkgdir)
        result[key] = sample
    assert len({s.package for s in result.values()}) == len(result), "sample package names must be distinct"
    return result


def _require_generated(sample: Sample, key: str) -> None:
    if not sample.generated:
        pytest.fail(f"{sample.spec.name} was not generated (see test_generates[{key}])", pytrace=False)


@pytest.fixture(scope="module")
def import_results(samples: dict[str, Sample]) -> dict[str, Any]:
    """One fresh interpreter imports every generated package, module, model and resource group."""
    generated = [s for s in samples.values() if s.generated]
    if not generated:
        return {}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(s.outdir) for s in generated))
    env.pop("PYTHONWARNINGS", None)
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK, *(s.package for s in generated)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    parsed = parse_import_check(proc.stdout)
    if parsed is None:
        pytest.fail(f"the import check died (exit {proc.returncode}):\n{proc.stderr[-3000:]}", pytrace=False)
    return parsed


@pytest.fixture(scope="module")
def mypy_output(samples: dict[str, Sample], tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, list[str]]:
    """One mypy run (default settings) over every sample package that compiles.

    A package with a syntax error is left out: mypy would stop at it and check nothing else.
    """
    checked = [s for s in samples.values() if s.generated and not s.compile_errors]
    if not checked:
        return 0, "", []
    workdir = tmp_path_factory.mktemp("corpus-mypy")
    proc = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(workdir / "cache"),
            *(str(s.pkgdir) for s in checked),
        ],
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=600,
    )
    if proc.returncode not in (0, 1):
        pytest.fail(f"mypy failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}", pytrace=False)
    return proc.returncode, proc.stdout, [s.package for s in checked]


@pytest.mark.parametrize("key", IDS)
def test_generates(samples: dict[str, Sample], key: str) -> None:
    sample = samples[key]
    if not sample.generated:
        pytest.fail(f"generating {sample.spec.name} raised:\n{sample.error}", pytrace=False)
    assert (sample.pkgdir / "__init__.py").is_file()
    assert (sample.pkgdir / "py.typed").is_file()


@pytest.mark.parametrize("key", IDS)
def test_compiles(samples: dict[str, Sample], key: str) -> None:
    sample = samples[key]
    _require_generated(sample, key)
    if sample.compile_errors:
        pytest.fail("syntax errors in the generated package:\n" + "\n".join(sample.compile_errors), pytrace=False)


@pytest.mark.parametrize("key", IDS)
def test_imports_every_module_model_and_group(
    samples: dict[str, Sample], import_results: dict[str, Any], key: str
) -> None:
    sample = samples[key]
    _require_generated(sample, key)
    result = import_results[sample.package]
    if result["failures"]:
        pytest.fail(
            "\n".join(f"-- {f['where']}:\n{f['error']}" for f in result["failures"][:5])
            + (f"\n... and {len(result['failures']) - 5} more" if len(result["failures"]) > 5 else ""),
            pytrace=False,
        )
    assert result["modules"] > 0
    assert len(result["clients"]) == 2, result["clients"]  # the sync and the async client


@pytest.mark.parametrize("key", IDS)
def test_mypy_clean(samples: dict[str, Sample], mypy_output: tuple[int, str, list[str]], key: str) -> None:
    sample = samples[key]
    _require_generated(sample, key)
    if sample.compile_errors:
        pytest.fail("not type-checked: the package does not compile (see test_compiles)", pytrace=False)
    _, stdout, checked = mypy_output
    assert sample.package in checked
    prefix = sample.package + os.sep
    errors = [line for line in stdout.splitlines() if line.startswith(prefix) and ": error: " in line]
    if errors:
        pytest.fail(f"{len(errors)} mypy errors:\n" + "\n".join(errors[:20]), pytrace=False)


def test_strict_rejects_what_the_default_tolerates() -> None:
    """vtex has a default of the wrong type: a warning normally, an error with --strict."""
    with pytest.raises(SpecError) as info:
        generate(SAMPLE["vtex-not-strict"], strict=True)
    assert any("default" in d.message and d.pointer for d in info.value.diagnostics)
