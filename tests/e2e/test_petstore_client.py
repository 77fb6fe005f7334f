"""The generated petstore client against a live server that checks every request against the spec."""

from __future__ import annotations

import datetime
import uuid

import pytest


@pytest.fixture
def client(petstore, petstore_server):
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        yield client


def test_create_get_update_delete(petstore, client, petstore_server):
    models = petstore.models
    pet = client.pets.create(
        name="Rex",
        status=models.PetStatus.AVAILABLE,
        tags=[models.Tag(name="good")],
        owner=models.Owner(name="Ann", address=models.OwnerAddress(city="Oslo")),
        birthday=datetime.date(2020, 5, 17),
    )
    # The body arrives exactly as the spec says: wire names, no nulls for what was left out.
    assert petstore_server.last_request.json() == {
        "name": "Rex",
        "status": "available",
        "tags": [{"name": "good"}],
        "owner": {"name": "Ann", "address": {"city": "Oslo"}},
        "birthday": "2020-05-17",
    }
    assert petstore_server.last_request.headers["content-type"] == "application/json"
    assert isinstance(pet, models.Pet)
    assert pet.id == 1 and pet.name == "Rex"
    assert pet.status is models.PetStatus.AVAILABLE
    assert pet.tags == [models.Tag(name="good")]
    assert pet.owner.address.city == "Oslo"
    assert pet.birthday == datetime.date(2020, 5, 17)
    assert isinstance(pet.created_at, datetime.datetime) and pet.created_at.tzinfo is not None

    assert client.pets.get(pet_id=pet.id) == pet

    updated = client.pets.update(pet_id=pet.id, name="Rex II", notes="likes walks")
    assert updated.name == "Rex II" and updated.notes == "likes walks"
    cleared = client.pets.update(pet_id=pet.id, name="Rex II", notes=None)
    assert petstore_server.last_request.json() == {"name": "Rex II", "notes": None}
    assert cleared.notes is None

    assert client.pets.delete(pet_id=pet.id) is None
    assert petstore_server.last_request.method == "DELETE"
    with pytest.raises(petstore.NotFoundError):
        client.pets.get(pet_id=pet.id)


def test_list_with_query_and_header_parameters(petstore, client, petstore_server):
    statuses = ["available", "sold", "available"]
    for index, status in enumerate(statuses):
        client.pets.create(name=f"pet{index}", status=status)
    pets = client.pets.list(limit=5, status=petstore.models.PetStatus.AVAILABLE, x_request_id="trace-1")
    request = petstore_server.last_request
    assert request.query == [("limit", "5"), ("status", "available")]
    assert request.headers["x-request-id"] == "trace-1"
    assert [p.name for p in pets] == ["pet2", "pet0"]  # newest first
    assert all(isinstance(p, petstore.models.Pet) for p in pets)


def test_array_query_parameter_is_repeated(petstore, client, petstore_server):
    client.pets.create(name="a", tags=[petstore.models.Tag(name="x"), petstore.models.Tag(name="y")])
    client.pets.create(name="b", tags=[petstore.models.Tag(name="x")])
    pets = client.pets.list(tags=["x", "y"])
    assert petstore_server.last_request.query == [("tags", "x"), ("tags", "y")]
    assert [p.name for p in pets] == ["a"]


def test_not_found_raises_with_the_parsed_error_body(petstore, client):
    with pytest.raises(petstore.NotFoundError) as info:
        client.pets.get(pet_id=999)
    error = info.value
    assert error.status_code == 404
    assert isinstance(error.body, petstore.models.Error)
    assert error.body.code == "not_found"
    assert "999" in error.body.message
    assert "GET" in str(error) and "/v1/pets/999" in str(error) and error.body.message in str(error)
    assert isinstance(error, petstore.APIStatusError) and isinstance(error, petstore.APIError)
    assert error.headers["content-type"].startswith("application/json")


def test_unprocessable_entity_carries_the_validation_error_model(petstore, client):
    pet = client.pets.create(name="Rex")
    with pytest.raises(petstore.UnprocessableEntityError) as info:
        client.store.place_order(pet_id=pet.id, quantity=0)
    body = info.value.body
    assert isinstance(body, petstore.models.ValidationError)
    assert [e.field for e in body.errors] == ["quantity"]


def test_conflict_for_an_unavailable_pet(petstore, client):
    pet = client.pets.create(name="Rex", status="sold")
    with pytest.raises(petstore.ConflictError) as info:
        client.store.place_order(pet_id=pet.id, quantity=1)
    assert info.value.status_code == 409
    assert isinstance(info.value.body, petstore.models.Error)


def test_orders_inventory_and_nested_inline_models(petstore, client, petstore_server):
    pet = client.pets.create(name="Rex", status="available")
    ship = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    order = client.store.place_order(pet_id=pet.id, quantity=2, ship_date=ship)
    assert petstore_server.last_request.json() == {"petId": pet.id, "quantity": 2, "shipDate": ship.isoformat()}
    assert isinstance(order.id, uuid.UUID) and order.quantity == 2 and order.ship_date == ship
    assert order.status is petstore.models.OrderStatus.PLACED
    assert client.store.get_order(order_id=order.id) == order
    inventory = client.store.get_inventory()
    assert isinstance(inventory, dict) and all(isinstance(v, int) for v in inventory.values())

    petstore_server.add_vaccination(pet.id, "rabies", "2023-03-01")
    petstore_server.add_vaccination(pet.id, "flu", "2024-03-01")
    shots = client.pets.list_vaccinations(pet_id=pet.id, since=datetime.date(2024, 1, 1))
    assert petstore_server.last_request.query == [("since", "2024-01-01")]
    assert isinstance(shots, petstore.models.ListPetVaccinationsResponse)
    assert [(v.name, v.date) for v in shots.vaccinations] == [("flu", datetime.date(2024, 3, 1))]


def test_unknown_enum_values_and_extra_fields_are_kept(petstore, client, petstore_server):
    pet = client.pets.create(name="Rex")
    petstore_server.pets[pet.id]["status"] = "on-holiday"
    petstore_server.pets[pet.id]["mood"] = "happy"
    fetched = client.pets.get(pet_id=pet.id)
    assert fetched.status == "on-holiday"
    assert fetched.additional_properties == {"mood": "happy"}
    assert fetched.to_dict()["mood"] == "happy"
    _expect_server_noticed_off_schema_reply(petstore_server)


def test_a_response_off_the_schema_raises_naming_the_json_path(petstore, client, petstore_server):
    pet = client.pets.create(name="Rex")
    petstore_server.pets[pet.id]["tags"] = [{"name": 5}]
    with pytest.raises(petstore.ResponseValidationError) as info:
        client.pets.get(pet_id=pet.id)
    assert info.value.path == "$.tags[0].name"
    assert "expected string" in str(info.value)
    _expect_server_noticed_off_schema_reply(petstore_server)


def _expect_server_noticed_off_schema_reply(server):
    """These tests make the server send what the spec forbids; its self-check must have seen it."""
    assert server.errors
    server.clear_errors()


def test_path_parameters_are_percent_encoded(petstore, client, petstore_server):
    with pytest.raises(petstore.BadRequestError, match="must be a UUID"):
        client.store.get_order(order_id="../pets/1")
    assert petstore_server.last_request.path == "/v1/store/orders/..%2Fpets%2F1"


def test_default_timeout_and_with_options(petstore, petstore_server):
    client = petstore.Petstore(base_url=petstore_server.base_url)
    assert client.timeout.read == 30.0 and client.timeout.connect == 5.0
    quick = client.with_options(timeout=0.2, max_retries=0)
    assert quick._http is client._http  # the pool is shared
    petstore_server.delay_next(1, 1.0)
    with pytest.raises(petstore.APITimeoutError):
        quick.pets.list()
    assert client.pets is not quick.pets
    client.close()


def test_base_url_from_the_environment(petstore, petstore_server, monkeypatch):
    monkeypatch.setenv("PETSTORE_BASE_URL", petstore_server.base_url)
    with petstore.Petstore() as client:
        assert client.pets.list().items == []
    monkeypatch.delenv("PETSTORE_BASE_URL")
    assert petstore.Petstore().base_url == "http://localhost:8080/v1"  # servers[0]


def test_idempotent_calls_are_retried_and_others_are_not(petstore, client, petstore_server):
    client._sleep = lambda seconds: None
    petstore_server.fail_next(1, status=503)
    assert client.pets.list().items == []
    assert len(petstore_server.requests_to("GET")) == 2
    petstore_server.clear_requests()
    petstore_server.fail_next(1, status=503)
    with pytest.raises(petstore.InternalServerError) as info:
        client.pets.create(name="Rex")
    assert info.value.attempts == 1
    assert len(petstore_server.requests_to("POST")) == 1


def test_a_dropped_connection_is_a_connection_error(petstore, petstore_server):
    with petstore.Petstore(base_url=petstore_server.base_url, max_retries=0) as client:
        petstore_server.drop_next(1)
        with pytest.raises(petstore.APIConnectionError):
            client.pets.list()


async def test_async_client_end_to_end(petstore, petstore_server):
    async with petstore.AsyncPetstore(base_url=petstore_server.base_url) as client:
        pet = await client.pets.create(name="Rex", status="pending", x_request_id="abc")
        assert petstore_server.last_request.headers["x-request-id"] == "abc"
        assert pet.status is petstore.models.PetStatus.PENDING
        assert await client.pets.get(pet_id=pet.id) == pet
        assert [p.id async for p in client.pets.list(status="pending")] == [pet.id]
        updated = await client.pets.update(pet_id=pet.id, name="Max")
        assert updated.name == "Max"
        shots = await client.pets.list_vaccinations(pet_id=pet.id)
        assert shots.vaccinations == []
        assert isinstance(await client.store.get_inventory(), dict)
        order = await client.store.place_order(pet_id=pet.id, quantity=1)
        assert (await client.store.get_order(order_id=order.id)).id == order.id
        assert await client.pets.delete(pet_id=pet.id) is None
        with pytest.raises(petstore.NotFoundError) as info:
            await client.pets.get(pet_id=pet.id)
        assert info.value.body.code == "not_found"
        with pytest.raises(petstore.UnprocessableEntityError):
            await client.store.place_order(pet_id=pet.id, quantity=0)
