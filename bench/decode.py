"""Decoding 100 GitHub repositories (each with its owner) into models.

The objects are the spec's own minimal-repository example, varied (ids, names, owners) and
kept to the fields the schema declares. Contenders: codegen's Model.from_dict, pydantic v2's
model_validate on equivalent models built from the same schema, and openapi-python-client's
from_dict. Each decodes the whole list item by item; best of REPEAT interleaved rounds of
NUMBER decodings of the list, each round on a fresh copy of the data.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
import time
import types
from collections.abc import Callable
from typing import Any

from . import clients, fixtures
from .pydantic_models import Builder
from .table import Row

NUMBER = int(os.environ.get("BENCH_DECODE_NUMBER", "20"))
REPEAT = int(os.environ.get("BENCH_DECODE_REPEAT", "7"))
SCHEMA = "minimal-repository"
NAME = "decode 100 repositories"


def _model(tool: str) -> Any:
    sys.path.insert(0, str(clients.ensure(tool, "github")))
    return importlib.import_module(f"{clients.package(tool, 'github')}.models").MinimalRepository


def decoders() -> dict[str, Callable[[list[dict]], list]]:
    ours, theirs = _model("codegen"), _model("opc")
    pydantic = Builder(fixtures.github_spec()).model(SCHEMA)
    return {
        "codegen": lambda data: [ours.from_dict(item) for item in data],
        "pydantic": lambda data: [pydantic.model_validate(item) for item in data],
        "opc": lambda data: [theirs.from_dict(item) for item in data],
    }


def _stand_in(name: str) -> types.ModuleType:
    def missing(attribute: str) -> type:
        return type(attribute, (), {"from_dict": None})  # fails if the data ever needs it

    module = types.ModuleType(name)
    module.__getattr__ = missing  # type: ignore[method-assign]
    return module


def tolerant(call: Callable[[], Any], notes: list[str]) -> Any:
    """openapi-python-client's GitHub client imports modules of schemas it dropped while
    generating (it says so in its output); a stand-in lets decoding data that never uses
    them proceed, and the note says so."""
    for _ in range(20):
        try:
            return call()
        except ModuleNotFoundError as exc:
            if not exc.name or exc.name in sys.modules:
                raise
            sys.modules[exc.name] = _stand_in(exc.name)
            notes.append(f"openapi-python-client's client lacks module {exc.name}: stand-in used")
    raise RuntimeError("too many missing modules")


def check(decoded: list, data: list[dict]) -> None:
    """Every contender decoded the nested owner, and the timestamps into datetimes."""
    last = decoded[-1]
    assert last.owner.login == data[-1]["owner"]["login"], "owner not decoded"
    assert not isinstance(last.pushed_at, str), "date-time left as a string"


def best_ms(decode: Callable[[list[dict]], list], data: list[dict]) -> float:
    rounds = [copy.deepcopy(data) for _ in range(NUMBER)]
    started = time.perf_counter()
    for item in rounds:
        decode(item)
    return (time.perf_counter() - started) / NUMBER * 1000


def run(context: dict) -> list[Row]:
    data, notes = fixtures.repositories(100), []
    contenders = decoders()
    for decode in contenders.values():
        check(tolerant(lambda decode=decode: decode(copy.deepcopy(data)), notes), data)
    best = {name: float("inf") for name in contenders}
    for _ in range(REPEAT):
        for name, decode in contenders.items():
            best[name] = min(best[name], best_ms(decode, data))
    return [
        Row(NAME, "ms", best["codegen"], best["pydantic"], "pydantic v2 model_validate", 1.0),
        Row(NAME, "ms", best["codegen"], best["opc"], "openapi-python-client from_dict", 1.0, notes=notes),
    ]
