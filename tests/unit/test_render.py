"""The render stage alone: the API model to a file plan."""

import ast
import re

import pytest
import yaml

from generator.build import build_api
from generator.config import Config
from generator.pipeline import build_model
from generator.render import render
from generator.render.plan import dist_version, render_package
from generator.spec import load
from tests.conftest import PETSTORE_SPEC, ROOT


def petstore_api():
    api, _ = build_api(yaml.safe_load(PETSTORE_SPEC.read_text()))
    return api


def test_the_plan_has_every_part_of_the_package():
    files = render_package(petstore_api(), "petstore.yaml")
    expected = {
        "pyproject.toml", "README.md", "petstore/__init__.py", "petstore/_client.py", "petstore/py.typed",
        "petstore/models/__init__.py", "petstore/models/pet.py", "petstore/models/pet_status.py",
        "petstore/resources/__init__.py", "petstore/resources/pets.py", "petstore/resources/store.py",
        "petstore/_base_client.py", "petstore/_decode.py", "petstore/_exceptions.py",
    }
    assert expected <= set(files)


def test_every_python_file_parses_and_carries_the_generated_header():
    for path, text in render(petstore_api(), "petstore.yaml").items():
        if path.endswith(".py"):
            ast.parse(text, path)
            assert "Do not edit by hand" in text.split("\n\n")[0], path


def test_generated_pyproject_depends_on_httpx_only():
    pyproject = render_package(petstore_api(), "petstore.yaml")["pyproject.toml"]
    assert re.search(r'^dependencies = \["httpx[^"]*"\]$', pyproject, re.M)
    assert 'version = "1.2.0"' in pyproject


def test_readme_example_is_valid_python_using_the_spec():
    readme = render_package(petstore_api(), "petstore.yaml")["README.md"]
    example = readme.split("```python\n")[1].split("```")[0]
    ast.parse(example)
    assert "client.pets.list()" in example


def test_versions_become_pep_440():
    assert dist_version("1.2.0") == "1.2.0"
    assert dist_version("v2") == "2"
    assert dist_version("2024-01-01") == "0.0.0"
    assert dist_version("1.0-beta") == "0.0.0"


def test_spec_strings_cannot_inject_code():
    spec = yaml.safe_load(PETSTORE_SPEC.read_text())
    spec["info"]["title"] = 'Evil"""\nimport os; os.system("boom")  # '
    spec["info"]["description"] = '"""); import os #\\'
    pet = spec["components"]["schemas"]["Pet"]
    pet["description"] = 'ends with a quote"'
    pet["properties"]["name"]["description"] = '""" + os.system("x") + """'
    spec["components"]["schemas"]["PetStatus"]["enum"].append('"; import os; "')
    api, _ = build_api(spec, package="evil", client_class="Evil")
    files = render(api, 'weird"name.yaml')
    for path, text in files.items():
        if path.endswith(".py"):
            tree = ast.parse(text, path)
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "system"]
            assert not calls, path
    client = ast.parse(files["evil/_client.py"])
    evil_class = next(n for n in client.body if isinstance(n, ast.ClassDef) and n.name == "Evil")
    assert 'os.system("boom")' in ast.get_docstring(evil_class)  # kept, as text


def test_an_inline_enum_of_one_model_lives_in_that_models_module():
    files = render_package(petstore_api(), "petstore.yaml")
    order = files["petstore/models/order.py"]
    assert "class OrderStatus(StrEnum):" in order and "from enum import StrEnum" in order
    assert '__all__ = ["Order", "OrderStatus"]' in order
    assert "petstore/models/order_status.py" not in files
    assert '"OrderStatus": "order",' in files["petstore/models/__init__.py"]
    # Pet's status enum is also NewPet's: it keeps a module of its own, as does any enum
    # an operation uses or that is a named schema.
    assert "petstore/models/pet_status.py" in files


def test_a_named_enum_schema_keeps_its_module_even_with_one_user():
    api, _ = build_model(load(ROOT / "specs" / "shapes.yaml"), Config())
    files = render_package(api, "shapes.yaml")
    assert "shapes/models/level.py" in files  # components/schemas/Level, used by Zoo alone
    assert "class ZooMaybeColor(StrEnum):" in files["shapes/models/zoo.py"]  # inline in Zoo


def _bundled_api(name: str):
    api, _ = build_model(load(ROOT / "specs" / name), Config())
    return api


def test_shares_of_the_plan_make_up_the_whole_package():
    api = _bundled_api("workbench.yaml")
    whole = render_package(api, "workbench.yaml")
    shares = [render_package(api, "workbench.yaml", part=(i, 3)) for i in range(3)]
    assert sum(len(share) for share in shares) == len(whole)
    assert {path: text for share in shares for path, text in share.items()} == whole


@pytest.fixture
def helpers_for_any_size(monkeypatch):
    """Helpers even for a small package: the bundled specs render far fewer files than it takes."""
    import generator.render as rendering

    monkeypatch.setattr(rendering, "FILES_PER_HELPER", 1)


def test_rendering_in_several_processes_gives_the_same_files(helpers_for_any_size):
    api = _bundled_api("workbench.yaml")
    assert render(api, "workbench.yaml", workers=3) == render(api, "workbench.yaml")


def test_a_small_package_is_rendered_without_helpers(monkeypatch):
    from generator import forked

    started = []
    monkeypatch.setattr(forked.Forked, "__init__", lambda self, *args: started.append(args))
    api = _bundled_api("workbench.yaml")
    assert render(api, "workbench.yaml", workers=3) and not started


def test_a_helper_that_fails_leaves_its_share_to_the_main_process(monkeypatch, helpers_for_any_size):
    import generator.render as rendering

    api = _bundled_api("workbench.yaml")
    expected = render(api, "workbench.yaml")

    def fail(*args):
        raise RuntimeError("a helper that breaks")

    monkeypatch.setattr(rendering, "_rendered_share", fail)
    assert render(api, "workbench.yaml", workers=2) == expected


def test_a_failure_here_stops_the_helpers(monkeypatch, helpers_for_any_size):
    import generator.render as rendering
    from generator import forked

    api = _bundled_api("workbench.yaml")
    started = []
    original_init = forked.Forked.__init__

    def remember(self, *args):
        original_init(self, *args)
        started.append(self)

    def fail(*args, **kwargs):
        raise RuntimeError("the main share breaks")

    monkeypatch.setattr(forked.Forked, "__init__", remember)
    monkeypatch.setattr(rendering, "rendered_text", fail)
    with pytest.raises(RuntimeError, match="main share"):
        render(api, "workbench.yaml", workers=3)
    assert len(started) == 2 and all(helper._pid is None for helper in started)
