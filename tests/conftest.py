"""Fixtures shared by the suite: generated client packages and live servers."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator.pipeline import generate, generate_into
from tests.servers.petstore import PetstoreServer

# The suite must neither read nor fill the user's format cache: it gets one of its own.
os.environ["CODEGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="codegen-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PETSTORE_SPEC = ROOT / "specs" / "petstore.yaml"


def generate_package(spec: Path, outdir: Path, **options: Any) -> Path:
    generate_into(outdir, generate(spec, **options))
    return outdir


def counted_calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """A list that grows by one at each call of owner.<name> (which still runs) until the test ends."""
    calls: list[int] = []
    original = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def import_fresh(package: str, location: Path):  # type: ignore[no-untyped-def]
    """Import a generated package from `location`, forgetting any earlier one of that name."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(location))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(location))


@pytest.fixture(scope="session")
def petstore(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The petstore client package, freshly generated from specs/petstore.yaml."""
    outdir = generate_package(PETSTORE_SPEC, tmp_path_factory.mktemp("petstore") / "petstore")
    return import_fresh("petstore", outdir)


@pytest.fixture(scope="session")
def _petstore_server() -> Iterator[PetstoreServer]:
    server = PetstoreServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def petstore_server(_petstore_server: PetstoreServer) -> Iterator[PetstoreServer]:
    """A live petstore on 127.0.0.1, emptied before each test; asserts it saw no bad requests."""
    _petstore_server.reset()
    yield _petstore_server
    assert _petstore_server.errors == []
