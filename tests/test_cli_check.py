"""`codegen check`: exit 0 when a committed client is current, 1 with the differing files, never writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.render import MANIFEST_NAME
from tests.conftest import PETSTORE_SPEC, ROOT


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def client(tmp_path: Path) -> Path:
    out = tmp_path / "client"
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(out), "-q"]) == 0
    return out


def check(out: Path, *extra: str) -> int:
    return main(["check", str(PETSTORE_SPEC), "-o", str(out), *extra])


def test_a_current_client_passes(client, capsys):
    assert check(client) == 0
    assert f"{client} is current with {PETSTORE_SPEC}" in capsys.readouterr().out
    assert check(client, "-q") == 0
    assert capsys.readouterr().out == ""


def test_changed_missing_and_extra_files_are_listed(client, capsys):
    (client / "petstore" / "_client.py").write_text("# edited by hand\n")
    (client / "petstore" / "models" / "tag.py").unlink()
    # A file the manifest says codegen wrote, which generation no longer writes: it would be removed.
    (client / "petstore" / "resources" / "old.py").write_text("# from an older spec\n")
    manifest = json.loads((client / MANIFEST_NAME).read_text())
    manifest["files"]["petstore/resources/old.py"] = "0" * 64
    (client / MANIFEST_NAME).write_text(json.dumps(manifest))
    before = snapshot(client)
    assert check(client) == 1
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert lines == [
        ["changed", MANIFEST_NAME],
        ["changed", "petstore/_client.py"],
        ["missing", "petstore/models/tag.py"],
        ["extra", "petstore/resources/old.py"],
    ]
    assert "(4 files differ)" in out and f"codegen generate {PETSTORE_SPEC} -o {client}" in out
    assert snapshot(client) == before  # check writes nothing


def test_files_of_the_user_are_not_differences(client):
    (client / "petstore" / "mine.py").write_text("# my own helper\n")
    (client / "NOTES.md").write_text("notes\n")
    assert check(client) == 0


def test_options_count_a_client_for_other_options_is_stale(client, capsys):
    assert check(client, "--line-length", "60") == 1
    assert "changed  petstore/_client.py" in capsys.readouterr().out
    assert check(client, "--exclude-tag", "store") == 1
    assert "changed  petstore/_client.py" in capsys.readouterr().out


def test_a_missing_directory_is_stale(tmp_path, capsys):
    assert check(tmp_path / "nothing") == 1
    out = capsys.readouterr().out
    assert "missing  petstore/_client.py" in out and "... and " in out  # long lists are cut short


def test_a_damaged_manifest_is_a_difference_not_a_crash(client, capsys):
    (client / MANIFEST_NAME).write_text("{not json")
    assert check(client) == 1
    assert f"changed  {MANIFEST_NAME}" in capsys.readouterr().out


def test_a_bad_spec_is_exit_2(tmp_path, capsys):
    spec = tmp_path / "bad.yaml"
    spec.write_text("openapi: [unclosed\n")
    assert main(["check", str(spec), "-o", str(tmp_path / "out")]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_output_directory_may_come_from_the_config(tmp_path, capsys):
    spec = tmp_path / "petstore.yaml"
    spec.write_text(PETSTORE_SPEC.read_text())
    (tmp_path / "codegen.yaml").write_text("output: generated/client\npackage_name: shop\n")
    assert main(["generate", str(spec), "-q"]) == 0
    assert (tmp_path / "generated" / "client" / "shop" / "_client.py").is_file()
    assert main(["check", str(spec)]) == 0
    assert main(["check", str(spec), "--package-name", "other"]) == 1


def test_the_committed_petstore_client_is_current():
    assert main(["check", str(ROOT / "specs" / "petstore.yaml"), "-o", str(ROOT / "generated" / "petstore"), "-q"]) == 0


def test_pre_commit_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [
        {
            "id": "codegen-check",
            "name": "codegen check",
            "description": "Check that a generated client is current with its OpenAPI spec.",
            "entry": "codegen check",
            "language": "python",
            "pass_filenames": False,
        }
    ]
