"""Options from codegen.yaml, [tool.codegen] and flags: precedence, types, and the errors for bad ones."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

import pytest

from generator import config as config_module
from generator.cli import FLAG_OPTIONS, load_options
from generator.config import Config, NameOverrides, find_pyproject, load_config
from generator.errors import UsageError

FULL = """\
package_name: acme
client_name: Acme
output: clients/acme
base_url: https://api.example.com/v2
package_version: 2.1.0
include_tags: [pets, "store*"]
exclude_tags: internal
include_operations: ["GET /pets/*"]
exclude_operations: [deletePet]
names:
  groups: {pets: animals}
  methods: {pets.list: all}
  models: {Pet: Animal}
line_length: 88
http_library: httpx2
strict: true
"""


def spec_in(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    spec = directory / "api.yaml"
    spec.write_text("openapi: 3.0.3\n")
    return spec


def test_defaults():
    config = Config()
    assert (config.package_name, config.output, config.base_url, config.package_version) == (None, None, None, None)
    assert config.line_length == 100 and config.http_library == "httpx" and config.strict is False
    assert not config.names and not config.selects


def test_every_option_has_a_parser_and_a_flag():
    options = {f.name for f in fields(Config)} - {"sources"}
    assert set(config_module._PARSERS) == options
    assert set(FLAG_OPTIONS) == options - {"names"}  # renames are too structured for flags


def test_codegen_yaml_beside_the_spec_gives_every_option(tmp_path):
    spec = spec_in(tmp_path / "api")
    (tmp_path / "api" / "codegen.yaml").write_text(FULL)
    config = load_config(spec, cwd=tmp_path)
    assert config.package_name == "acme" and config.client_name == "Acme"
    assert config.output == tmp_path / "api" / "clients" / "acme"  # relative to the file
    assert config.base_url == "https://api.example.com/v2" and config.package_version == "2.1.0"
    assert config.include_tags == ("pets", "store*") and config.exclude_tags == ("internal",)
    assert config.include_operations == ("GET /pets/*",) and config.exclude_operations == ("deletePet",)
    assert config.names == NameOverrides({"pets": "animals"}, {"pets.list": "all"}, {"Pet": "Animal"})
    assert config.line_length == 88 and config.http_library == "httpx2" and config.strict is True
    assert config.sources == (str(tmp_path / "api" / "codegen.yaml"),)


def test_pyproject_in_a_parent_directory_and_yaml_winning_key_by_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.codegen]\npackage-name = "base"\nline-length = 90\nhttp_library = "httpx2"\n'
    )
    work = tmp_path / "sub" / "deeper"
    work.mkdir(parents=True)
    spec = spec_in(tmp_path / "specs")
    assert load_config(spec, cwd=work).package_name == "base"
    (tmp_path / "specs" / "codegen.yml").write_text("package_name: own\n")
    config = load_config(spec, cwd=work)
    assert (config.package_name, config.line_length, config.http_library) == ("own", 90, "httpx2")


def test_the_nearest_pyproject_with_a_codegen_table_counts(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.codegen]\nclient_name = 'Outer'\n")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "pyproject.toml").write_text("[tool.black]\nline-length = 80\n")
    assert find_pyproject(tmp_path / "inner") == tmp_path / "pyproject.toml"
    (tmp_path / "inner" / "pyproject.toml").write_text("[tool.codegen]\nclient_name = 'Inner'\n")
    assert load_config(spec_in(tmp_path / "s"), cwd=tmp_path / "inner").client_name == "Inner"


def test_explicit_config_replaces_the_file_beside_the_spec(tmp_path):
    spec = spec_in(tmp_path)
    (tmp_path / "codegen.yaml").write_text("package_name: beside\nline_length: 70\n")
    other = tmp_path / "elsewhere" / "mine.yaml"
    other.parent.mkdir()
    other.write_text("package_name: chosen\noutput: out\n")
    config = load_config(spec, other, cwd=tmp_path)
    assert config.package_name == "chosen" and config.line_length == 100
    assert config.output == tmp_path / "elsewhere" / "out"
    toml = tmp_path / "pyproject.toml"
    toml.write_text("[tool.codegen]\npackage_name = 'from_toml'\n")
    assert load_config(spec, toml, cwd=tmp_path / "elsewhere").package_name == "from_toml"


def test_flags_win_over_files(tmp_path):
    spec = spec_in(tmp_path)
    (tmp_path / "codegen.yaml").write_text("package_name: fromfile\nline_length: 70\ninclude_tags: [a]\n")
    args = argparse.Namespace(spec=str(spec), config=None, **{k: None for k in FLAG_OPTIONS})
    args.package_name, args.include_tags, args.strict = "fromflag", ["b", "c"], True
    config = load_options(args, cwd=tmp_path)
    assert (config.package_name, config.line_length, config.include_tags, config.strict) == ("fromflag", 70, ("b", "c"), True)


def test_an_empty_config_file_is_no_options(tmp_path):
    spec = spec_in(tmp_path)
    (tmp_path / "codegen.yaml").write_text("# nothing yet\n")
    assert load_config(spec, cwd=tmp_path) == Config()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pakage_name: x\n", "unknown key 'pakage_name' (did you mean 'package_name'?)"),
        ("line-lenght: 80\n", "unknown key 'line-lenght' (did you mean 'line_length'?)"),
        ("colour: blue\n", "unknown key 'colour'"),
        ("names: {model: {A: B}}\n", "unknown key names.model (did you mean 'models'?)"),
        ('line_length: "100"\n', "line_length must be an integer, not a string ('100')"),
        ("line_length: true\n", "line_length must be an integer, not a boolean"),
        ("line_length: 10\n", "line_length must be between 40 and 400, not 10"),
        ("include_tags: 5\n", "include_tags must be a list of strings, not an integer"),
        ("include_tags: [a, 3]\n", "include_tags must be a list of strings"),
        ("http_library: httpx3\n", "http_library must be one of httpx, httpx2, not 'httpx3' (did you mean 'httpx'?)"),
        ("package_name: my-api\n", "package_name 'my-api' is not a valid Python identifier"),
        ("client_name: class\n", "client_name 'class' is not a valid Python identifier"),
        ("base_url: api.example.com\n", "base_url 'api.example.com' is not an http:// or https:// URL"),
        ("package_version: one\n", "package_version 'one' is not a PEP 440 version"),
        ("package_version: [1]\n", "package_version must be a version string, not a list"),
        ("package_version: 1.10\n", "package_version must be a string: write it in quotes (1.1 is a number)"),
        ("strict: yes please\n", "strict must be true or false, not a string"),
        ("names: [a]\n", "names must be a mapping with keys groups, methods, models, not a list"),
        ("names: {models: [A]}\n", "names.models must be a mapping of old name to new name, not a list"),
        ("names: {models: {Pet: 3}}\n", "names.models.Pet must be a non-empty string, not an integer"),
        ("output: ''\n", "output must be a non-empty string"),
        ("- a list\n", "must be a mapping of options, not a list"),
        ("key: [unclosed\n", "is not valid YAML"),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path, text, expected):
    spec = spec_in(tmp_path)
    (tmp_path / "codegen.yaml").write_text(text)
    with pytest.raises(UsageError) as info:
        load_config(spec, cwd=tmp_path)
    assert expected in str(info.value)
    assert str(tmp_path / "codegen.yaml") in str(info.value)


def test_bad_toml_and_bad_tables_are_errors(tmp_path):
    spec = spec_in(tmp_path / "s")
    (tmp_path / "pyproject.toml").write_text("[tool.codegen\n")
    with pytest.raises(UsageError, match="not valid TOML"):
        load_config(spec, cwd=tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool]\ncodegen = 3\n")
    with pytest.raises(UsageError, match=r"\[tool.codegen\] must be a table"):
        load_config(spec, cwd=tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.codegen]\nline_length = 'long'\n")
    with pytest.raises(UsageError, match=r"pyproject.toml \[tool.codegen\]: line_length must be an integer"):
        load_config(spec, cwd=tmp_path)


def test_a_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="config file .*nope.yaml does not exist"):
        load_config(spec_in(tmp_path), tmp_path / "nope.yaml", cwd=tmp_path)


def test_flag_errors_name_the_flag(tmp_path):
    args = argparse.Namespace(spec=str(spec_in(tmp_path)), config=None, **{k: None for k in FLAG_OPTIONS})
    args.http_library = "requests"
    with pytest.raises(UsageError, match="command line: --http-library must be one of httpx, httpx2, not 'requests'"):
        load_options(args, cwd=tmp_path)
