"""Every name a generated module imports beside the models is reserved from model names."""

import ast

from generator.build.naming import RESERVED_CLASS_NAMES, class_name
from tests.conftest import ROOT


def imported_names(source: str, in_models: bool) -> set[str]:
    """Names imported from anywhere but the models and resources themselves."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ""
        sibling_model = in_models and node.level == 1
        if not sibling_model and "models" not in module and "resources" not in module:
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def test_names_imported_by_generated_modules_are_reserved():
    modules = [p for p in (ROOT / "generated").rglob("*.py") if {"models", "resources"} & set(p.parts) or p.name == "_client.py"]
    assert modules
    imported = set().union(*(imported_names(p.read_text(), "models" in p.parts) for p in modules))
    # Only names a model could be given (PascalCase ones) can clash.
    could_clash = {name for name in imported if class_name(name) == name}
    assert could_clash - RESERVED_CLASS_NAMES == set()


def test_a_model_named_like_an_import_is_renamed():
    from generator.build import build_api

    schemas = {name: {"type": "object", "properties": {"a": {"type": "string"}}} for name in ("ClassVar", "Endpoint")}
    api, _ = build_api({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
    assert sorted(m.name for m in api.models) == ["ClassVarModel", "EndpointModel"]
