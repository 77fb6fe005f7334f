"""The stand-ins for the validating libraries' settings modules (generator/spec/library_settings.py).

Each case runs in a fresh interpreter: what stands in a module is decided at import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

MODULES = ("openapi_spec_validator.settings", "openapi_schema_validator.settings")

# What each module gives the libraries, as the libraries use it, printed as JSON.
READ_SETTINGS = """
import json, sys
import openapi_spec_validator.settings as spec
import openapi_schema_validator.settings as schema
settings = spec.OpenAPISpecValidatorSettings()
print(json.dumps({
    "spec": [settings.resolved_cache_maxsize, settings.schema_validator_backend,
             spec.get_resolved_cache_maxsize(), spec.get_schema_validator_backend(),
             spec.ENV_PREFIX, spec.RESOLVED_CACHE_MAXSIZE_DEFAULT, spec.SCHEMA_VALIDATOR_BACKEND_DEFAULT,
             sorted(spec.SCHEMA_VALIDATOR_BACKEND_ALLOWED)],
    "schema": schema.get_settings().compiled_validator_cache_max_size,
    "cached": schema.get_settings() is schema.get_settings(),
    "public": {name: sorted(n for n in vars(sys.modules[name]) if not n.startswith("_")) for name in %r},
    "pydantic": "pydantic" in sys.modules,
}))
"""


def run(prelude: str, environ: dict[str, str] | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("OPENAPI_")}
    env.update(environ or {})
    code = prelude + READ_SETTINGS % (MODULES,)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


STAND_INS = "import generator.spec.strict\n"
REAL = ""


def test_the_stand_ins_give_what_the_real_modules_give_by_default() -> None:
    ours, real = run(STAND_INS), run(REAL)
    assert ours["pydantic"] is False and real["pydantic"] is True
    assert ours["spec"] == real["spec"] and ours["schema"] == real["schema"]
    assert ours["cached"] and real["cached"]


def test_the_stand_ins_have_every_name_the_real_modules_define() -> None:
    ours, real = run(STAND_INS), run(REAL)
    imported = {"warnings", "field_validator", "BaseSettings", "SettingsConfigDict", "Field", "lru_cache"}
    for module in MODULES:
        assert set(real["public"][module]) - imported <= set(ours["public"][module]), module


@pytest.mark.parametrize(
    ("variable", "value", "read"),
    [
        ("OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE", "7", lambda found: found["spec"][0] == 7),
        ("openapi_spec_validator_schema_validator_backend", "jsonschema", lambda found: found["spec"][1] == "jsonschema"),
        ("OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE", "3", lambda found: found["schema"] == 3),
    ],
)
def test_a_set_variable_leaves_the_real_modules_to_read_it(variable: str, value: str, read: Callable) -> None:
    ours, real = run(STAND_INS, {variable: value}), run(REAL, {variable: value})
    assert ours == real
    assert read(ours)


def test_the_real_modules_once_loaded_stay() -> None:
    ours = run("import openapi_spec_validator.settings, openapi_schema_validator.settings\n" + STAND_INS)
    assert ours["pydantic"] is True


URLLIB = """
import json, sys
import generator.spec.strict
first = type(sys.modules["urllib.request"]).__name__, "http.client" in sys.modules
from urllib.request import urlopen
import urllib.request
read = urlopen("data:,kept%20whole").read().decode()
path = urllib.request.url2pathname("/a%20b")
print(json.dumps({"first": first, "read": read, "path": path, "now": type(sys.modules["urllib.request"]).__name__,
                  "same": urllib.request is sys.modules["urllib.request"]}))
"""


def test_urllib_request_is_imported_when_first_used_and_then_is_itself() -> None:
    done = subprocess.run([sys.executable, "-c", URLLIB], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert found["first"] == ["_StandIn", False]  # validating imported neither it nor http.client
    assert found["read"] == "kept whole" and found["path"] == "/a b"
    assert found["now"] == "module" and found["same"]
