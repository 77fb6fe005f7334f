"""Stand-ins for what the validating libraries import and strict validation never uses: their
settings modules, which import pydantic, and urllib.request (see _StandIn); and attrs,
which they make their classes with, compiling through codegen's code cache.

openapi-spec-validator and openapi-schema-validator each read a few environment variables
through pydantic-settings, imported with the libraries whether or not any is set. That
import (pydantic with it) was 0.1 s of the quarter of a second the validating child spends
importing, on the path of every regeneration. When none of their variables is set, the
settings are the defaults, and these modules give exactly those; when one is set, the real
modules are left to read it. Installed only for the versions they were written against, and
only before the real modules are loaded: `install` must run before the libraries' import.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import lru_cache
from types import ModuleType
from typing import Any

from .. import codecache
from ..cache import installed_versions

__all__ = ["install"]

_SPEC_PREFIX = "OPENAPI_SPEC_VALIDATOR_"
_SCHEMA_PREFIX = "OPENAPI_SCHEMA_VALIDATOR_"
_KNOWN_VERSIONS = {"openapi-spec-validator": "0.9.", "openapi-schema-validator": "0.9."}


def install() -> None:
    """Put the stand-ins in place of the settings modules not loaded yet, if they may stand,
    have urllib.request imported on first use (see _StandIn), and attrs compile through the
    code cache."""
    codecache.install_attrs()
    if "urllib.request" not in sys.modules:
        import urllib

        sys.modules["urllib.request"] = urllib.request = _StandIn("urllib.request")  # type: ignore[attr-defined]
    # pydantic-settings matches variable names without regard to case.
    if any(name.upper().startswith((_SPEC_PREFIX, _SCHEMA_PREFIX)) for name in os.environ):
        return
    versions = installed_versions(_KNOWN_VERSIONS)
    if any(not versions.get(name, "").startswith(known) for name, known in _KNOWN_VERSIONS.items()):
        return
    for module in (_spec_settings(), _schema_settings()):
        sys.modules.setdefault(module.__name__, module)


def _spec_settings() -> ModuleType:
    """openapi_spec_validator.settings with its defaults."""
    module = ModuleType("openapi_spec_validator.settings", __doc__)

    class OpenAPISpecValidatorSettings:
        resolved_cache_maxsize = 128
        schema_validator_backend = "auto"

    module.__dict__.update(
        ENV_PREFIX=_SPEC_PREFIX,
        RESOLVED_CACHE_MAXSIZE_DEFAULT=OpenAPISpecValidatorSettings.resolved_cache_maxsize,
        SCHEMA_VALIDATOR_BACKEND_DEFAULT=OpenAPISpecValidatorSettings.schema_validator_backend,
        SCHEMA_VALIDATOR_BACKEND_ALLOWED={"auto", "jsonschema", "jsonschema-rs"},
        OpenAPISpecValidatorSettings=OpenAPISpecValidatorSettings,
        get_resolved_cache_maxsize=lambda: OpenAPISpecValidatorSettings.resolved_cache_maxsize,
        get_schema_validator_backend=lambda: OpenAPISpecValidatorSettings.schema_validator_backend,
    )
    return module


def _schema_settings() -> ModuleType:
    """openapi_schema_validator.settings with its defaults."""
    module = ModuleType("openapi_schema_validator.settings", __doc__)

    class OpenAPISchemaValidatorSettings:
        compiled_validator_cache_max_size = 128

    @lru_cache(maxsize=1)
    def get_settings() -> OpenAPISchemaValidatorSettings:
        return OpenAPISchemaValidatorSettings()

    module.__dict__.update(
        OpenAPISchemaValidatorSettings=OpenAPISchemaValidatorSettings,
        get_settings=get_settings,
        reset_settings_cache=get_settings.cache_clear,
    )
    return module


class _StandIn(ModuleType):
    """urllib.request until something uses it. jsonschema-path imports it (and http.client,
    email and ssl with it: 0.008 s of the validating child's 0.09 s of imports) for fetching
    remote documents, which strict validation never lets it do (strict._NoRetrieval). The
    one name taken from it at import, `urlopen`, forwards to the real function; reading any
    other name imports the real module, which then takes the stand-in's place."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks of any module (__path__, ...)
            raise AttributeError(name)
        return getattr(_real_urllib_request(), name)

    @staticmethod
    def urlopen(*args: Any, **kwargs: Any) -> Any:
        return _real_urllib_request().urlopen(*args, **kwargs)


def _real_urllib_request() -> ModuleType:
    import urllib

    module = sys.modules.get("urllib.request")
    if isinstance(module, _StandIn):
        del sys.modules["urllib.request"]
        try:
            module = importlib.import_module("urllib.request")
        except BaseException:
            sys.modules["urllib.request"] = urllib.request = module  # type: ignore[attr-defined]
            raise
        urllib.request = module  # type: ignore[attr-defined]
    assert module is not None
    return module
