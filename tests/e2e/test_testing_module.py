"""<package>.testing: what a user's own tests use to fake the API, without a network or URLs."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def mock(petstore):
    from petstore.testing import MockAPI

    return MockAPI()


def _pet(petstore, **fields):
    values = {"id": 1, "name": "Rex", "status": "available", "created_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)}
    return petstore.models.Pet(**{**values, **fields})


def test_typed_answers_per_operation_and_recorded_calls(petstore, mock):
    mock.add("pets.get", _pet(petstore))
    mock.add("pets.list", [_pet(petstore), _pet(petstore, id=2, name="Tom")])
    mock.add("pets.create", _pet(petstore, id=3, name="Max"), status=201)
    with mock.client() as client:
        assert client.pets.get(pet_id=1) == _pet(petstore)
        assert [p.name for p in client.pets.list(limit=2, tags=["a", "b"]).items] == ["Rex", "Tom"]
        created = client.pets.create(name="Max", x_request_id="r-1")
    assert created.id == 3
    get = mock.assert_called("pets.get", times=1)
    assert get.path_params == {"petId": "1"} and get.method == "GET"
    listed = mock.assert_called("pets.list")
    assert listed.query == {"limit": ["2"], "tags": ["a", "b"]}
    create = mock.assert_called("pets.create")
    assert create.json() == {"name": "Max"} and create.headers["x-request-id"] == "r-1"
    assert [c.operation for c in mock.calls()] == ["pets.get", "pets.list", "pets.create"]
    mock.assert_not_called("pets.delete")
    with pytest.raises(AssertionError, match="pets.delete was called 0 time"):
        mock.assert_called("pets.delete")


def test_list_operations_page_through_the_mocks_answers(petstore, mock):
    mock.add("pets.list", [_pet(petstore), _pet(petstore, id=2)]).add("pets.list", [_pet(petstore, id=3)])
    with mock.client() as client:
        assert [p.id for p in client.pets.list(limit=2)] == [1, 2, 3]  # the short page is the last
    assert [c.query for c in mock.calls("pets.list")] == [{"limit": ["2"]}, {"limit": ["2"], "offset": ["2"]}]
    assert mock.calls()[0].headers["x-api-key"] == "mock-api_key"  # placeholder credentials


def test_a_mock_answering_the_same_page_again_does_not_loop(petstore, mock):
    mock.add("pets.list", [_pet(petstore), _pet(petstore, id=2)])  # the last answer repeats
    with mock.client() as client:
        assert [p.id for p in client.pets.list(limit=2)] == [1, 2]
    assert len(mock.calls("pets.list")) == 2


def test_raw_answers_become_the_clients_errors(petstore, mock):
    mock.add("pets.get", status=404, json={"code": "not_found", "message": "no pet 7"})
    mock.add("store.place_order", status=409, content=b"sold out", headers={"Content-Type": "text/plain"})
    with mock.client() as client:
        with pytest.raises(petstore.NotFoundError) as info:
            client.pets.get(pet_id=7)
        assert isinstance(info.value.body, petstore.models.Error) and info.value.body.message == "no pet 7"
        with pytest.raises(petstore.ConflictError) as conflict:
            client.store.place_order(pet_id=1, quantity=1)
        assert conflict.value.body == "sold out"


def test_answers_are_used_in_order_and_the_last_one_repeats(petstore, mock):
    mock.add("pets.list", status=503).add("pets.list", [])  # a retry, then success
    with mock.client() as client:
        assert client.pets.list().items == []
        assert client.pets.list().items == []
    assert len(mock.calls("pets.list")) == 3
    assert len(mock.sleeps) == 1 and 0.375 <= mock.sleeps[0] <= 0.5  # retried without waiting


def test_simulated_timeouts_and_connection_errors(petstore, mock):
    mock.add_timeout("pets.list")
    mock.add_connection_error("pets.create")
    with mock.client(max_retries=1) as client:
        with pytest.raises(petstore.APITimeoutError) as timeout:
            client.pets.list()
        assert timeout.value.attempts == 2
        with pytest.raises(petstore.APIConnectionError) as refused:
            client.pets.create(name="Rex")
        assert refused.value.attempts == 2  # never sent, so safe to repeat
    mock.add_error("pets.get", RuntimeError("boom"))
    with mock.client() as client, pytest.raises(RuntimeError, match="boom"):
        client.pets.get(pet_id=1)


def test_an_unexpected_call_fails_loudly(petstore, mock):
    with mock.client() as client, pytest.raises(AssertionError, match=r"no answer for pets.get .*mock.add\('pets.get'"):
        client.pets.get(pet_id=1)
    with pytest.raises(KeyError, match="no operation 'pets.fetch'; the operations are: pets.create"):
        mock.add("pets.fetch", None)


def test_a_users_own_client_over_the_mock_transport(petstore, mock):
    import httpx

    mock.add("pets.delete", None)
    client = petstore.Petstore(base_url="https://api.example.com/v1", http_client=httpx.Client(transport=mock.transport))
    assert client.pets.delete(pet_id=5) is None
    assert mock.assert_called("pets.delete").url == "https://api.example.com/v1/pets/5"


async def test_async_clients_binary_text_and_event_streams(workbench):
    from workbench.testing import MockAPI
    from workbench._streaming import ServerSentEvent

    mock = MockAPI()
    Event = workbench.models.Event
    mock.add("files.get_blob", b"\x00\x01")
    mock.add("forms.get_note_text", "hello")
    mock.add("events.list", [Event(seq=1, kind="started"), Event(seq=2, kind="finished")])
    mock.add("events.list_raw", [ServerSentEvent(event="ping", data="a\nb", id="7")])
    async with mock.async_client() as client:
        assert await client.files.get_blob(name="x") == b"\x00\x01"
        assert await client.forms.get_note_text(note_id=1) == "hello"
        assert [e.seq async for e in await client.events.list()] == [1, 2]
        assert [e async for e in await client.events.list_raw()] == [ServerSentEvent(event="ping", data="a\nb", id="7")]
    assert mock.assert_called("files.get_blob").path_params == {"name": "x"}
    assert mock.operations[:3] == ["events.list", "events.list_raw", "files.create_upload"]


@pytest.mark.parametrize("package", ["petstore", "workbench"])
def test_the_generated_readme_documents_it_with_an_example_that_works(request, package):
    import pathlib
    import re

    module = request.getfixturevalue(package)
    readme = (pathlib.Path(module.__file__).parents[1] / "README.md").read_text()
    section = readme.split("## Testing code that uses this client")[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert f"from {package}.testing import MockAPI" in code
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    namespace["test_my_code"]()  # the documented test passes as written
