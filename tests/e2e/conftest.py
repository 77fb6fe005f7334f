"""Fixtures for the runtime's end-to-end tests: the workbench client and its live server."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.conftest import ROOT, generate_package, import_fresh
from tests.servers.workbench import WorkbenchServer

WORKBENCH_SPEC = ROOT / "specs" / "workbench.yaml"


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
