"""`codegen diff` as a command: text and JSON reports, exit statuses, bad specs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from generator.diff import register
from generator.errors import SpecError

from .pairs import PETS, operation, pets, write


def codegen(*argv: str) -> int:
    """Run the diff command the way the `codegen` CLI wires it: through register()."""
    parser = argparse.ArgumentParser(prog="codegen")
    register(parser.add_subparsers())
    args = parser.parse_args(["diff", *map(str, argv)])
    return int(args.run(args))


@pytest.fixture
def specs(tmp_path):
    """An old spec and a new one with one change of each weight: breaking, minor, patch."""
    new = pets()
    new["paths"]["/pets/{petId}"].pop("delete")  # breaking
    new["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}  # minor
    new["servers"] = [{"url": "https://pets.example.com"}]  # patch
    return write(tmp_path, old=pets(), new=new)


@pytest.fixture
def minor_only(tmp_path):
    new = pets()
    operation(new, "/pets", "get")["parameters"].append({"name": "sort", "in": "query", "schema": {"type": "string"}})
    return write(tmp_path, minor_old=pets(), minor_new=new)


def test_text_report_groups_changes_and_suggests_a_bump(specs, capsys):
    assert codegen(specs["old"], specs["new"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Pets: 1.0.0 -> 1.0.0"
    breaking, additions, other = out.index("Breaking (1):"), out.index("Additions"), out.index("Other")
    assert breaking < out.index("- operation pets.delete removed") < additions < out.index("+ field Pet.age") < other
    assert "calling it raises AttributeError" in out
    assert out.rstrip().endswith("Suggested version bump: major (1 breaking change)")


def test_json_report_has_a_stable_schema(specs, capsys):
    codegen(specs["old"], specs["new"], "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["old"] == {"title": "Pets", "version": "1.0.0"}
    assert (report["semver"], report["breaking"]) == ("major", 1)
    assert [(c["kind"], c["subject"], c["path"], c["breaking"]) for c in report["changes"]] == [
        ("removed", "operation", "pets.delete", True),
        ("added", "field", "Pet.age", False),
        ("changed", "base URL", "Pets(base_url=)", False),
    ]
    assert set(report["changes"][0]) == {"kind", "subject", "path", "breaking", "bump", "detail", "reason"}


def test_json_report_is_the_same_every_run(specs, capsys):
    codegen(specs["old"], specs["new"], "--format", "json")
    first = capsys.readouterr().out
    codegen(specs["old"], specs["new"], "--format", "json")
    assert capsys.readouterr().out == first


def test_fail_on_breaking_exits_1_only_when_something_breaks(specs, minor_only, capsys):
    assert codegen(specs["old"], specs["new"], "--fail-on-breaking") == 1
    assert codegen(minor_only["minor_old"], minor_only["minor_new"], "--fail-on-breaking") == 0
    assert "Suggested version bump: minor" in capsys.readouterr().out


def test_identical_specs_report_no_changes(capsys):
    assert codegen(PETS, PETS, "--fail-on-breaking") == 0
    out = capsys.readouterr().out
    assert "No changes to the client's public surface." in out
    assert out.rstrip().endswith("Suggested version bump: none")


def test_package_and_client_names_apply_to_both_versions(tmp_path, capsys):
    renamed = pets()
    renamed["info"]["title"] = "Pet Shop"
    paths = write(tmp_path, old=pets(), new=renamed)
    assert codegen(paths["old"], paths["new"], "--package-name", "pets", "--client-name", "Pets", "--fail-on-breaking") == 0
    assert codegen(paths["old"], paths["new"], "--fail-on-breaking") == 1


def test_a_spec_that_cannot_be_read_raises_spec_error(tmp_path):
    with pytest.raises(SpecError, match="does not exist"):
        codegen(PETS, tmp_path / "missing.yaml")


def test_module_entry_point_runs_alone(specs, tmp_path):
    def run(*argv):
        command = [sys.executable, "-m", "generator.diff", *map(str, argv)]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    breaking = run(specs["old"], specs["new"], "--format", "json", "--fail-on-breaking")
    assert breaking.returncode == 1 and json.loads(breaking.stdout)["semver"] == "major"
    missing = run(PETS, tmp_path / "missing.yaml")
    assert missing.returncode == 2 and "missing.yaml" in missing.stderr and not missing.stdout


def test_the_configuration_beside_the_new_spec_names_the_surface(specs, capsys):
    """diff reports in the names `generate` would use: the same codegen.yaml applies."""
    (specs["new"].parent / "codegen.yaml").write_text("names:\n  groups: {pets: animals}\n")
    assert codegen(specs["old"], specs["new"]) == 0
    out = capsys.readouterr().out
    assert "- operation animals.delete removed" in out and "pets.delete" not in out


def test_an_explicit_config_can_leave_operations_out(minor_only, tmp_path, capsys):
    config = tmp_path / "without-listing.yaml"
    config.write_text("exclude_operations: ['GET /pets']\n")
    assert codegen(minor_only["minor_old"], minor_only["minor_new"], "--config", config, "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changes"] == [] and report["semver"] == "none"  # the new `sort` is in an excluded call


def test_a_bad_config_is_a_usage_error(specs, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("nmaes: {}\n")
    from generator.errors import UsageError

    with pytest.raises(UsageError, match="names"):
        codegen(specs["old"], specs["new"], "--config", config)
