"""The `codegen` command as a user runs it: exit codes, messages, and what it leaves on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.errors import SpecError
from tests.conftest import PETSTORE_SPEC, ROOT, SHARED

BAD_REF = """openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Missing"}
"""
SCHEMA_NOT_AN_OBJECT = """openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Pet: 42
"""


def run(*args: str, cwd: Path | None = None, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env
    )


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("not-yaml.yaml", "openapi: [unclosed\n  - : x", "not valid YAML"),
        ("not-openapi.yaml", "just: a mapping\n", "not an OpenAPI"),
        ("missing-ref.yaml", BAD_REF, "does not exist"),
        ("schema-is-a-number.yaml", SCHEMA_NOT_AN_OBJECT, "must be an object"),
        ("empty.yaml", "", "empty"),
        ("a-list.json", "[1, 2]", "not"),
    ],
)
def test_bad_input_is_a_clear_error_and_touches_nothing(tmp_path, name, content, expected):
    spec = tmp_path / name
    spec.write_text(content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("generate", str(spec), "-o", str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert expected.lower() in result.stderr.lower()
    assert name in result.stderr  # the file is named
    assert snapshot(out) == {"keep.txt": b"mine"}


def test_a_missing_file_is_a_clear_error(tmp_path):
    result = run("generate", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_errors_give_file_line_and_pointer(tmp_path):
    spec = tmp_path / "missing-ref.yaml"
    spec.write_text(BAD_REF)
    result = run("generate", str(spec), "-o", str(tmp_path / "o"))
    assert "missing-ref.yaml:11" in result.stderr
    assert "#/paths/~1x/get/responses/200/content/application~1json/schema/$ref" in result.stderr


@pytest.mark.parametrize("spec", sorted((SHARED / "specs" / "invalid").glob("*.yaml")), ids=lambda p: p.name)
def test_shared_invalid_specs_never_crash(tmp_path, spec):
    result = run("generate", str(spec), "-o", str(tmp_path / "out"))
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2), result.stderr
    assert spec.name in result.stderr  # every finding names where it is
    if result.returncode == 2:
        assert not (tmp_path / "out").exists()


def test_strict_makes_validation_findings_fatal(tmp_path):
    spec = SHARED / "specs" / "invalid" / "invalid-uuid-defaults.yaml"
    lenient = run("generate", str(spec), "-o", str(tmp_path / "a"))
    assert lenient.returncode == 0 and "warning" in lenient.stderr
    strict = run("generate", str(spec), "-o", str(tmp_path / "b"), "--strict")
    assert strict.returncode == 2 and "error" in strict.stderr
    assert not (tmp_path / "b").exists()  # nor its staging directory, written while rendering
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b.")]


def test_validate_reports_and_exits_zero_unless_strict():
    spec = SHARED / "specs" / "invalid" / "invalid-uuid-defaults.yaml"
    result = run("validate", str(spec))
    assert result.returncode == 0
    assert "invalid-uuid-defaults.yaml:" in result.stdout and "#/paths" in result.stdout
    assert run("validate", str(spec), "--strict").returncode == 2
    assert "valid" in run("validate", str(PETSTORE_SPEC)).stdout


def test_bad_arguments_exit_2(tmp_path):
    assert run("generate").returncode == 2
    assert run("frobnicate").returncode == 2
    bad = run("generate", str(PETSTORE_SPEC), "--package-name", "not-valid", "-o", str(tmp_path / "o"))
    assert bad.returncode == 2 and "--package-name" in bad.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", [[], ["generate"], ["validate"]])
def test_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage: codegen" in result.stdout


def test_output_is_byte_identical_across_hash_seeds(tmp_path):
    for seed, name in (("1", "a"), ("12345", "b")):
        result = run("generate", str(PETSTORE_SPEC), "-o", str(tmp_path / name), "-q", "--no-cache", seed=seed)
        assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_package_and_client_names_from_options(tmp_path):
    result = run(
        "generate", str(PETSTORE_SPEC), "-o", str(tmp_path / "o"), "--package-name", "shop", "--client-name", "Shop"
    )
    assert result.returncode == 0, result.stderr
    assert "class Shop(SyncAPIClient)" in (tmp_path / "o" / "shop" / "_client.py").read_text()
    assert "Generated shop (Shop)" in result.stdout


def test_default_output_directory_is_the_package_name(tmp_path):
    result = run("generate", str(PETSTORE_SPEC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "petstore" / "petstore" / "__init__.py").is_file()


def test_regeneration_keeps_user_files_and_reports_unchanged(tmp_path):
    out = tmp_path / "o"
    run("generate", str(PETSTORE_SPEC), "-o", str(out))
    (out / "petstore" / "extra.py").write_text("# mine\n")
    result = run("generate", str(PETSTORE_SPEC), "-o", str(out))
    assert result.returncode == 0
    assert "0 written" in result.stdout and "0 removed" in result.stdout
    assert (out / "petstore" / "extra.py").read_text() == "# mine\n"


def test_files_are_delivered_before_validation_finishes_unless_strict(monkeypatch):
    """Non-strict findings are warnings and cannot change the files, so writing overlaps
    validation; a strict run hands the files over only once validation has passed."""
    from generator.pipeline import generate
    from generator.spec.checking import PendingValidation

    events: list[str] = []
    original = PendingValidation.result

    def result(self):  # type: ignore[no-untyped-def]
        events.append("validated")
        return original(self)

    monkeypatch.setattr(PendingValidation, "result", result)
    petstore = ROOT / "specs" / "petstore.yaml"
    generate(petstore, deliver=lambda api, files: events.append("delivered"))
    assert events == ["delivered", "validated"]
    events.clear()
    generate(petstore, strict=True, deliver=lambda api, files: events.append("delivered"))
    assert events == ["validated", "delivered"]


def test_generate_loads_neither_black_nor_the_validator_in_its_own_process(tmp_path: Path) -> None:
    """Memory and start-up: templates lay out black's style themselves, and strict validation
    (20+ MB of libraries) runs in a forked child on a cache miss, or not at all on a hit."""
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        f"sys.argv = ['codegen', 'generate', {str(PETSTORE_SPEC)!r}, '-o', {str(tmp_path / 'o')!r}, '-q']\n"
        "code = main()\n"
        "print(code, sorted(m for m in ('black', 'openapi_spec_validator', 'jsonschema') if m in sys.modules))\n"
    )
    for _ in ("cold cache", "warm cache"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "CODEGEN_CACHE_DIR": str(tmp_path / "cache")},
        )
        assert result.stdout.strip() == "0 []", result.stderr


def json_petstore(tmp_path: Path, description: str = "") -> Path:
    """The petstore spec as JSON (a parse memo, and so an early validation, is for JSON only)."""
    spec = yaml.safe_load(PETSTORE_SPEC.read_text())
    spec["info"]["description"] = description
    path = tmp_path / "petstore.json"
    path.write_text(json.dumps(spec, indent=2))
    return path


def test_a_regeneration_starts_validating_before_it_imports_the_pipeline(tmp_path: Path) -> None:
    """The validating child imports its libraries while this process imports the builder,
    the renderer and jinja2: it is started before any of them is imported."""
    spec = json_petstore(tmp_path)
    script = (
        "import sys\n"
        "from generator import cli\n"
        "def start(*args, **kwargs):\n"
        "    child = original(*args, **kwargs)\n"
        "    heavy = ('generator.pipeline', 'generator.build', 'generator.render', 'generator.model', 'jinja2')\n"
        "    print(child is not None, sorted(m for m in heavy if m in sys.modules))\n"
        "    return child\n"
        "original, cli.start_validation = cli.start_validation, start\n"
        f"sys.exit(cli.main(['generate', {str(spec)!r}, '-o', {str(tmp_path / 'o')!r}, '-q']))\n"
    )
    env = {**os.environ, "CODEGEN_CACHE_DIR": str(tmp_path / "cache")}
    for started in (False, True):  # the first run keeps the parse the second starts from
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env)
        assert (run.returncode, run.stdout.strip()) == (0, f"{started} []"), run.stderr


def test_the_command_hands_its_validation_child_to_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cli, pipeline
    from generator.spec import checking

    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec, out = json_petstore(tmp_path), str(tmp_path / "o")
    assert cli.main(["generate", str(spec), "-o", out, "-q"]) == 0
    started = []

    def start(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(original(*args, **kwargs))
        # From here on, in this process only (the child is forked already):
        monkeypatch.setattr(checking, "_findings", lambda *args: pytest.fail("validated in the parent"))
        monkeypatch.setattr(pipeline, "early_validation", lambda *args: pytest.fail("a second child"))
        return started[-1]

    original = cli.start_validation
    monkeypatch.setattr(cli, "start_validation", start)
    json_petstore(tmp_path, "changed: the findings cache has no entry for this text")
    assert cli.main(["generate", str(spec), "-o", out, "-q"]) == 0
    assert len(started) == 1 and started[0] is not None


def test_a_run_that_fails_before_the_pipeline_stops_its_validation_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cli, forked

    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec, out = json_petstore(tmp_path), str(tmp_path / "o")
    assert cli.main(["generate", str(spec), "-o", out, "-q"]) == 0
    started = []
    original = cli.start_validation
    monkeypatch.setattr(cli, "start_validation", lambda *a, **k: started.append(original(*a, **k)) or started[-1])
    monkeypatch.setattr(cli, "_cache", lambda args: 1 / 0)  # a bug of ours, between the start and the pipeline
    assert cli.main(["generate", str(spec), "-o", out, "-q"]) == cli.EXIT_INTERNAL
    assert started[0] is not None and started[0] not in forked._running


def test_a_new_directory_receives_files_while_they_are_rendered(monkeypatch):
    """Most files reach the writer before rendering ends, every file reaches it once, and the
    pipeline keeps none of them once they are the writer's."""
    from generator.pipeline import generate

    events: list[tuple[str, str]] = []

    class Recorder:
        def begin(self, api):  # type: ignore[no-untyped-def]
            events.append(("begin", api.package))
            return lambda path, text: events.append(("file", path))

        def finish(self, api, files):  # type: ignore[no-untyped-def]
            events.append(("finish", str(len(files))))

        def discard(self):  # type: ignore[no-untyped-def]
            events.append(("discard", ""))

    generated = generate(ROOT / "specs" / "petstore.yaml", deliver=Recorder())
    assert events[0] == ("begin", "petstore") and events[-1] == ("finish", "0")
    assert generated.files == {}
    delivered = sorted(path for kind, path in events if kind == "file")
    assert delivered == sorted(generate(ROOT / "specs" / "petstore.yaml").files)
    events.clear()
    with pytest.raises(SpecError):  # strict validation fails after rendering began
        generate(SHARED / "specs" / "invalid" / "invalid-uuid-defaults.yaml", deliver=Recorder(), strict=True)
    assert [kind for kind, _ in events if kind != "file"] == ["begin", "discard"]


def test_the_command_ends_with_its_output_flushed_and_no_helper_left(monkeypatch, capsys):
    """`codegen` leaves by os._exit (see cli.run), which would not flush or stop a child."""
    import multiprocessing
    import time

    from generator import cli

    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,), daemon=True)
    exits: list[int] = []

    def main() -> int:
        child.start()
        print("done", end="")
        return 0

    monkeypatch.setattr(cli, "main", main)
    monkeypatch.setattr(cli.os, "_exit", exits.append)
    cli.run()
    child.join(5)
    assert exits == [0] and not child.is_alive() and capsys.readouterr().out == "done"


def test_the_command_stops_a_forked_helper_it_left_running(monkeypatch):
    import time

    from generator import cli, forked

    children: list[forked.Forked] = []
    monkeypatch.setattr(cli, "main", lambda: children.append(forked.Forked(time.sleep, 30)) or 0)
    monkeypatch.setattr(cli.os, "_exit", lambda code: None)
    started = time.monotonic()
    cli.run()
    assert not forked._running and children[0].result() is None and time.monotonic() - started < 5


def test_a_command_of_ours_does_not_import_the_plugins():
    """Registering `diff` imports the whole comparison; `codegen validate` (or generate) need not."""
    code = (
        "import sys; from generator import cli; "
        f"cli.main(['validate', {str(PETSTORE_SPEC)!r}]); print('generator.diff' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_a_regeneration_reads_only_the_files_its_stat_record_cannot_vouch_for(tmp_path, monkeypatch):
    from generator import cli
    from generator.render import writer

    out = tmp_path / "out"
    command = ["generate", str(PETSTORE_SPEC), "-o", str(out), "-q"]
    assert cli.main(command) == 0
    for path in out.rglob("*"):  # older than any record from now on, so not "racy"
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**10))
    assert cli.main(command) == 0  # the times changed: every file is read once, and recorded
    edited = out / "README.md"
    edited.write_text("edited by hand\n")
    reads: list[str] = []
    holds = writer._holds
    monkeypatch.setattr(writer, "_holds", lambda path, data: reads.append(path) or holds(path, data))
    assert cli.main(command) == 0
    assert reads == [str(edited)] and edited.read_text() != "edited by hand\n"


def test_a_regeneration_takes_the_files_in_place_from_the_validating_child(tmp_path, monkeypatch):
    """With a JSON spec whose parse is kept, the validation child stats the files the output
    directory's record knows first, and this process takes its answer: a file edited since
    is written again, the others are left as they are."""
    from generator import cli
    from generator.stat_record import StatRecord

    spec = tmp_path / "petstore.json"
    spec.write_text(json.dumps(yaml.safe_load(PETSTORE_SPEC.read_text())))
    out = tmp_path / "out"
    command = ["generate", str(spec), "-o", str(out), "-q"]
    assert cli.main(command) == 0
    for path in out.rglob("*"):  # older than any record from now on, so not "racy"
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**10))
    assert cli.main(command) == 0  # records the aged stats
    edited = out / "README.md"
    before = edited.read_text()
    edited.write_text("edited by hand\n")
    taken: list[object] = []
    take = StatRecord.take
    monkeypatch.setattr(StatRecord, "take", lambda self, checked: taken.append(checked) or take(self, checked))
    assert cli.main(command) == 0
    assert edited.read_text() == before
    assert len(taken) == 1 and taken[0] is not None and taken[0][2] == {"README.md"}  # type: ignore[index]
