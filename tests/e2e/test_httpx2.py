"""A client generated for httpx2 (the maintained fork of httpx) against the live petstore.

httpx is imported nowhere in such a client: the test proves it by making `import httpx` fail
while the package is imported and used.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from generator.pipeline import generate, generate_into
from generator.render import FormatCache
from tests.conftest import PETSTORE_SPEC, import_fresh
from tests.e2e.conftest import PETSTORE_KEY

PACKAGE = "petstore_httpx2"


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("httpx2") / "client"
    generate_into(out, generate(PETSTORE_SPEC, package_name=PACKAGE, http_library="httpx2", cache=FormatCache.default()))
    return out


@pytest.fixture
def no_httpx(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`import httpx` fails (httpx2 still imports), as on a machine with only httpx2."""
    real_import = builtins.__import__

    def guarded(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "httpx" or name.startswith("httpx."):
            raise ImportError("httpx is not installed here")
        return real_import(name, *args, **kwargs)

    hidden = {name: module for name, module in sys.modules.items() if name == "httpx" or name.startswith("httpx.")}
    for name in hidden:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", guarded)
    yield


@pytest.fixture
def pkg(outdir: Path, no_httpx: None):  # type: ignore[no-untyped-def]
    return import_fresh(PACKAGE, outdir)  # resources and models load lazily, in the tests: httpx stays hidden


def test_the_package_depends_on_httpx2_only(outdir: Path):
    pyproject = (outdir / "pyproject.toml").read_text()
    assert 'dependencies = ["httpx2>=2.16,<3"]' in pyproject
    sources = {p.name: p.read_text() for p in (outdir / PACKAGE).rglob("*.py")}
    importing = sorted(name for name, text in sources.items() if "import httpx2 as httpx" in text)
    assert "_base_client.py" in importing and "_client.py" in importing
    assert not [name for name, text in sources.items() if "\nimport httpx\n" in text or "from httpx " in text]


def test_sync_calls_on_httpx2(pkg, petstore_server):
    with pkg.Petstore(base_url=petstore_server.base_url, api_key=PETSTORE_KEY) as client:
        assert isinstance(client._http, httpx2.Client)
        pet = client.pets.create(name="Rex", status="available")
        assert client.pets.get(pet_id=pet.id) == pet
        assert petstore_server.last_request.headers["x-api-key"] == PETSTORE_KEY
        client.pets.create(name="Bo")
        assert [p.name for p in client.pets.list(limit=1)] == ["Bo", "Rex"]  # pages walked lazily
        with pytest.raises(pkg.NotFoundError) as info:
            client.pets.get(pet_id=999)
        assert info.value.status_code == 404 and isinstance(info.value.body, pkg.models.Error)
        raw = client.pets.with_raw_response.get(pet_id=pet.id)
        assert isinstance(raw.http_response, httpx2.Response) and raw.parse() == pet


async def test_async_calls_on_httpx2(pkg, petstore_server):
    async with pkg.AsyncPetstore(base_url=petstore_server.base_url, api_key=PETSTORE_KEY) as client:
        assert isinstance(client._http, httpx2.AsyncClient)
        pet = await client.pets.create(name="Rex")
        assert (await client.pets.get(pet_id=pet.id)).name == "Rex"
        assert [p.name async for p in client.pets.list()] == ["Rex"]


def test_a_connection_error_is_the_clients_own(pkg):
    client = pkg.Petstore(base_url="http://127.0.0.1:9", api_key=PETSTORE_KEY, max_retries=0)
    with client, pytest.raises(pkg.APIConnectionError) as info:
        client.pets.get(pet_id=1)
    assert isinstance(info.value.__cause__, httpx2.TransportError)


def test_the_testing_module_runs_on_httpx2(pkg):
    import importlib

    mock = importlib.import_module(PACKAGE + ".testing").MockAPI()
    mock.add("pets.get", {"id": 1, "name": "Rex", "status": "sold", "createdAt": "2024-01-01T00:00:00Z"})
    with mock.client() as client:
        assert isinstance(client._http._transport, httpx2.MockTransport)
        assert client.pets.get(pet_id=1).name == "Rex"
    assert mock.assert_called("pets.get").path_params == {"petId": "1"}
