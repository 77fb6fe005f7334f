"""Per-call overhead: the petstore client against the same request made with bare httpx.

Both go through an httpx.Client over the same httpx.MockTransport, so what differs is only
what the client adds: building the request from typed arguments, auth, retry bookkeeping,
status handling and decoding the body into a model. Best of REPEAT rounds of NUMBER calls,
the rounds interleaved between the contenders.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import timeit
from collections.abc import Callable

import httpx

from . import clients
from .table import Row

NUMBER = int(os.environ.get("BENCH_CALL_NUMBER", "2000"))
REPEAT = int(os.environ.get("BENCH_CALL_REPEAT", "7"))
BASE = "http://petstore.test/v1"
KEY = "bench-key"
PET = {
    "id": 1,
    "name": "Rex",
    "status": "available",
    "tags": [{"id": 1, "name": "dog"}],
    "owner": {"name": "Ann", "email": "ann@example.com", "address": {"city": "Oslo"}},
    "birthday": "2020-01-02",
    "notes": None,
    "createdAt": "2024-05-06T07:08:09Z",
}
BODY = json.dumps(PET).encode()


def answer(request: httpx.Request) -> httpx.Response:
    status = 201 if request.method == "POST" else 200
    return httpx.Response(status, content=BODY, headers={"content-type": "application/json"})


def http() -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(answer))


def contenders() -> dict[str, Callable[[], object]]:
    sys.path.insert(0, str(clients.ensure("codegen", "petstore")))
    package = importlib.import_module("petstore_cg")
    client = package.BenchClient(base_url=BASE, api_key=KEY, http_client=http())
    bare, headers, new_pet = http(), {"X-API-Key": KEY}, {"name": "Rex", "status": "available"}
    return {
        "codegen get": lambda: client.pets.get(pet_id=1),
        "httpx get": lambda: bare.get(f"{BASE}/pets/1", headers=headers).json(),
        "codegen post": lambda: client.pets.create(**new_pet),
        "httpx post": lambda: bare.post(f"{BASE}/pets", json=new_pet, headers=headers).json(),
    }


def best_of(functions: dict[str, Callable[[], object]], number: int, repeat: int) -> dict[str, float]:
    """Microseconds a call, the best of `repeat` interleaved rounds of `number` calls."""
    for function in functions.values():
        function()  # warm: lazy imports, connection set-up
    best = {name: float("inf") for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            seconds = timeit.Timer(function).timeit(number)
            best[name] = min(best[name], seconds / number * 1e6)
    return best


def run(context: dict) -> list[Row]:
    us = best_of(contenders(), NUMBER, REPEAT)
    return [
        Row("call: GET pet -> model", "us", us["codegen get"], us["httpx get"], "bare httpx", 1.25),
        Row("call: POST pet (JSON body)", "us", us["codegen post"], us["httpx post"], "bare httpx", 1.25),
    ]
