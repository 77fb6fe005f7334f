"""`codegen generate` with options from files and flags; its progress on a terminal and its summary."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import MANIFEST_NAME
from tests.conftest import PETSTORE_SPEC

SUMMARY = re.compile(
    r"^Generated (\w+) \((\w+)\) in (.+): (\d+) operations, (\d+) models, (\d+) enums; "
    r"files (\d+) written, (\d+) unchanged, (\d+) removed; \d+\.\ds$"
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """The petstore spec in a directory of its own, where a codegen.yaml may go beside it."""
    copy = tmp_path / "spec" / "petstore.yaml"
    copy.parent.mkdir()
    copy.write_text(PETSTORE_SPEC.read_text())
    return copy


def owned(out: Path) -> int:
    return len(json.loads((out / MANIFEST_NAME).read_text())["files"])


def test_options_from_codegen_yaml(spec, tmp_path):
    (spec.parent / "codegen.yaml").write_text(
        "output: ../out\npackage_name: shop\nclient_name: Shop\nbase_url: https://shop.example/v9\n"
        "package_version: 4.5.6\nhttp_library: httpx2\nexclude_tags: [store]\n"
        "names: {models: {Pet: Animal}}\n"
    )
    assert main(["generate", str(spec), "-q"]) == 0
    out = tmp_path / "out"
    client = (out / "shop" / "_client.py").read_text()
    assert "class Shop(SyncAPIClient)" in client
    assert "DEFAULT_BASE_URL = \"https://shop.example/v9\"" in client
    assert "import httpx2 as httpx" in client
    pyproject = (out / "pyproject.toml").read_text()
    assert 'version = "4.5.6"' in pyproject and 'dependencies = ["httpx2>=2.16,<3"]' in pyproject
    assert '__version__ = "4.5.6"' in (out / "shop" / "__init__.py").read_text()
    assert not (out / "shop" / "resources" / "store.py").exists()
    assert (out / "shop" / "models" / "animal.py").is_file()


def test_flags_win_over_the_config_file(spec, tmp_path):
    (spec.parent / "codegen.yaml").write_text("package_name: shop\npackage_version: 1.0.0\n")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "-q", "--package-version", "2.0.0", "--base-url", "http://h:1"]) == 0
    assert 'version = "2.0.0"' in (out / "pyproject.toml").read_text()
    assert 'DEFAULT_BASE_URL = "http://h:1"' in (out / "shop" / "_client.py").read_text()


def test_line_length(tmp_path):
    lines = {}
    for length in (60, 100, 120):
        out = tmp_path / str(length)
        assert main(["generate", str(PETSTORE_SPEC), "-o", str(out), "-q", "--line-length", str(length)]) == 0
        lines[length] = (out / "petstore" / "resources" / "pets.py").read_text().splitlines()
    # Black splits what it can (code, not comments or docstrings): shorter lines, more of them.
    assert len(lines[60]) > len(lines[100]) > len(lines[120])
    longer_than_60 = {n: sum(len(line) > 60 for line in text) for n, text in lines.items()}
    assert longer_than_60[60] < longer_than_60[100] <= longer_than_60[120]
    assert max(len(line) for line in lines[120]) > 100
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "default"), "-q"]) == 0
    assert (tmp_path / "default" / "petstore" / "resources" / "pets.py").read_text().splitlines() == lines[100]


@pytest.mark.parametrize(
    "config, message",
    [
        ("pakage_name: x\n", "unknown key 'pakage_name' (did you mean 'package_name'?)"),
        ("line_length: wide\n", "line_length must be an integer, not a string ('wide')"),
        ("names: {models: {Pett: Animal}}\n", "names.models: the client has no model or enum 'Pett' (did you mean 'Pet'?)"),
        ("include_tags: [pest]\n", "include_tags: 'pest' matches no tag of the spec (did you mean 'pets'?)"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(spec, tmp_path, capsys, config, message):
    (spec.parent / "codegen.yaml").write_text(config)
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_flags_exit_2(tmp_path, capsys):
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "o"), "--http-library", "requests"]) == 2
    assert "--http-library must be one of httpx, httpx2" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["generate", str(PETSTORE_SPEC), "--line-length", "wide"])
    assert info.value.code == 2


def test_summary_counts_written_unchanged_and_removed(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(out)]) == 0
    first = SUMMARY.match(capsys.readouterr().out.splitlines()[0])
    assert first is not None, "the first line is the summary"
    package, client, where, operations, models, enums, written, unchanged, removed = first.groups()
    assert (package, client, where) == ("petstore", "Petstore", str(out))
    assert (int(operations), int(models), int(enums)) == (9, 12, 2)
    assert (int(written), int(unchanged), int(removed)) == (owned(out), 0, 0)

    assert main(["generate", str(PETSTORE_SPEC), "-o", str(out), "--exclude-tag", "store"]) == 0
    again = SUMMARY.match(capsys.readouterr().out.splitlines()[0])
    assert again is not None
    assert again.group(4) == "6"  # the three store operations are left out
    # The client and README list the groups; the store module goes; everything else is as it was.
    assert (int(again.group(7)), int(again.group(8)), int(again.group(9))) == (2, owned(out) - 2, 1)


def test_progress_on_a_terminal(monkeypatch, tmp_path, capsys):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "out")]) == 0
    shown = terminal.getvalue()
    stages = re.findall(r"\r\x1b\[Kcodegen: ([^\r]*)\.\.\.", shown)
    assert stages[:3] == ["reading petstore.yaml", "building the API model", "rendering petstore"]
    # No file needs black ("formatting N files" otherwise). Strict validation's findings are
    # only warnings here, so the files are written first.
    assert stages[3:] == [f"writing {tmp_path / 'out'}", "validating the spec"]
    assert shown.endswith("\r\x1b[K")  # the line is cleared before the summary
    assert SUMMARY.match(capsys.readouterr().out.splitlines()[0])


def test_no_progress_when_quiet_or_not_a_terminal(monkeypatch, tmp_path, capsys):
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "a")]) == 0
    assert "codegen: reading" not in capsys.readouterr().err  # captured: not a terminal
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "b"), "--quiet"]) == 0
    assert terminal.getvalue() == ""
    assert capsys.readouterr().out == ""


def test_progress_is_cleared_when_generation_fails(monkeypatch, tmp_path):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents: {schemas: {A: 42}}\n")
    assert main(["generate", str(bad), "-o", str(tmp_path / "out")]) == 2
    shown = terminal.getvalue()
    assert "codegen: reading bad.yaml..." in shown
    cleared_at = shown.rindex("\r\x1b[K")
    assert "must be an object" in shown[cleared_at:]  # the error comes after the line is cleared


def test_commands_of_other_packages_are_registered_when_present(monkeypatch, tmp_path, capsys):
    from generator import cli

    plugin = tmp_path / "extra_commands"
    plugin.mkdir()
    (plugin / "__init__.py").write_text("")
    (plugin / "command.py").write_text(
        "def register(commands):\n"
        "    hello = commands.add_parser('hello', help='say hello')\n"
        "    hello.set_defaults(run=lambda args: print('hello') or 0)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "PLUGIN_COMMANDS", ("extra_commands.command", "absent_package.command"))
    assert main(["hello"]) == 0
    assert capsys.readouterr().out == "hello\n"


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    """`codegen generate ... | head -1`: the files are written, and nothing is said about the pipe."""
    import subprocess

    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait() == 141
    assert err == ""
    assert (tmp_path / "out" / "petstore" / "_client.py").is_file()


def test_verbose_names_the_files_options_came_from(spec, tmp_path, capsys):
    (spec.parent / "codegen.yaml").write_text("package_name: shop\n")
    assert main(["generate", str(spec), "-o", str(tmp_path / "out"), "-v"]) == 0
    err = capsys.readouterr().err
    assert f"Options from {spec.parent / 'codegen.yaml'}, command line" in err
