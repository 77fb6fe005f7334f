"""Fixtures for the runtime's end-to-end tests: the workbench and domain clients and their live
servers; the petstore server here checks the API key the spec requires."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.conftest import ROOT, generate_package, import_fresh
from tests.servers.domain import DomainServer
from tests.servers.petstore import PetstoreServer
from tests.servers.workbench import WorkbenchServer

WORKBENCH_SPEC = ROOT / "specs" / "workbench.yaml"
DOMAIN_SPEC = ROOT / "specs" / "domain.yaml"
PETSTORE_KEY = "test-key-7f3a"


@pytest.fixture(autouse=True)
def _petstore_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Petstore clients find their API key where users keep it: in PETSTORE_API_KEY."""
    monkeypatch.setenv("PETSTORE_API_KEY", PETSTORE_KEY)


@pytest.fixture
def petstore_server(_petstore_server: PetstoreServer) -> Iterator[PetstoreServer]:
    """The live petstore, emptied before each test, requiring the spec's API key; asserts it
    saw no bad requests."""
    _petstore_server.reset()
    _petstore_server.api_key = PETSTORE_KEY
    yield _petstore_server
    _petstore_server.api_key = None
    assert _petstore_server.errors == []


@pytest.fixture(scope="session")
def workbench(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The workbench client package, freshly generated from specs/workbench.yaml."""
    outdir = generate_package(WORKBENCH_SPEC, tmp_path_factory.mktemp("workbench") / "workbench")
    return import_fresh("workbench", outdir)


@pytest.fixture(scope="session")
def _workbench_server() -> Iterator[WorkbenchServer]:
    server = WorkbenchServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workbench_server(_workbench_server: WorkbenchServer) -> Iterator[WorkbenchServer]:
    """A live workbench on 127.0.0.1, emptied before each test; asserts it saw no bad requests."""
    _workbench_server.reset()
    yield _workbench_server
    assert _workbench_server.errors == []


@pytest.fixture
def wb(workbench, workbench_server):  # type: ignore[no-untyped-def]
    """A sync workbench client on the live server whose retries wait no time: `wb.sleeps` lists
    the delays it would have waited."""
    client = workbench.Workbench(base_url=workbench_server.base_url)
    client.sleeps = []
    client._sleep = client.sleeps.append
    yield client
    client.close()


@pytest.fixture(scope="session")
def domain(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The domain client package (auth schemes and pagination styles), freshly generated."""
    outdir = generate_package(DOMAIN_SPEC, tmp_path_factory.mktemp("domain") / "domain")
    return import_fresh("domain", outdir)


@pytest.fixture(scope="session")
def _domain_server() -> Iterator[DomainServer]:
    server = DomainServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def domain_server(_domain_server: DomainServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[DomainServer]:
    """A live domain server, reset before each test; asserts it saw no bad requests. No DOMAIN_*
    variable of the environment leaks into the test."""
    import os

    for name in [n for n in os.environ if n.startswith("DOMAIN_")]:
        monkeypatch.delenv(name)
    _domain_server.reset()
    yield _domain_server
    assert _domain_server.errors == []
