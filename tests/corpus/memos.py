"""`make memo-check`: every spec regenerated warm, through the memos, gives what a `--no-cache`
generation of the same document gives (slow: about 15 minutes; not part of `make test`).

For each document in ../shared/corpus/dev, ../shared/specs and specs/: generate with a
private cache, regenerate it unchanged (the output must not move), then regenerate warm
after changes in turn, each compared file by file, and warning by warning (validation's
findings among them), with a `--no-cache` generation:

- an operation added, with an inline model in its response (a new group, new models);
- the first operation's summary and description changed (its group built again, the rest
  served from the memos);
- the first named schema's description changed (the component schemas built again, from
  a document whose other schemas the parse memo reads one by one as they are asked for).

Prints one line per document and exits 1 if any differs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = (ROOT.parent / "shared" / "corpus" / "dev", ROOT.parent / "shared" / "specs", ROOT / "specs")
_METHODS = ("get", "put", "post", "delete", "patch")


def _generate(spec: Path, out: Path, cache: Path | None) -> tuple[int, list[str]]:
    """The exit code, and the warnings printed (validation's findings among them)."""
    env = dict(os.environ, CODEGEN_CACHE_DIR=str(cache) if cache is not None else "")
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), "--package-name", "p"]
    done = subprocess.run(command + ([] if cache is not None else ["--no-cache"]), env=env, capture_output=True, cwd=ROOT)
    printed = (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()
    return done.returncode, [line for line in printed if ": warning: " in line]


def _files(folder: Path) -> dict[Path, bytes]:
    return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _added_operation(document: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"done": {"type": "boolean"}}}
    ok: dict[str, Any] = {"description": "ok"}
    ok |= {"schema": schema} if "swagger" in document else {"content": {"application/json": {"schema": schema}}}
    return {"get": {"operationId": "codegenAdded", "responses": {"200": ok}}}


def _edit_first_operation(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        if isinstance(item, dict) and not str(path).startswith("x-"):
            for method in _METHODS:
                if isinstance(item.get(method), dict):
                    item[method].update(summary="A summary the check changed", description="Changed.")
                    return


def _edit_first_schema(document: dict[str, Any]) -> bool:
    """Whether there was a named schema (OpenAPI's components, Swagger's definitions) to edit."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else document.get("definitions")
    for schema in schemas.values() if isinstance(schemas, dict) else ():
        if isinstance(schema, dict):
            schema["description"] = "A description the check changed."
            return True
    return False


def _warm_matches_cold(document: dict[str, Any], spec: Path, work: Path, cache: Path, step: str) -> bool:
    changed = work / step / spec.name
    changed.parent.mkdir()
    changed.write_text(json.dumps(document, default=str))
    warm = _generate(changed, work / "out", cache)
    cold = _generate(changed, work / step / "cold", None)
    return warm == cold and (warm[0] != 0 or _files(work / "out") == _files(work / step / "cold"))


def check(spec: Path, work: Path) -> str:
    """"ok", "skipped: ..." or what differed, for one document."""
    cache = work / "cache"
    if _generate(spec, work / "out", cache)[0] != 0:
        return "skipped: it does not generate"
    first = _files(work / "out")
    _generate(spec, work / "again", cache)
    if _files(work / "again") != first:
        return "an unchanged regeneration differs"
    text = spec.read_text()
    document = json.loads(text) if spec.suffix == ".json" else yaml.load(text, Loader=yaml.CSafeLoader)
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        return "skipped: no paths to change"
    document["paths"]["/codegen-added"] = _added_operation(document)
    if not _warm_matches_cold(document, spec, work, cache, "added"):
        return "differs after an operation was added"
    _edit_first_operation(document)
    if not _warm_matches_cold(document, spec, work, cache, "edited"):
        return "differs after the first operation was edited"
    if _edit_first_schema(document) and not _warm_matches_cold(document, spec, work, cache, "schema"):
        return "differs after the first schema was edited"
    return "ok"


def main() -> int:
    specs = [p for folder in FOLDERS for p in sorted(folder.glob("*")) if p.suffix in (".json", ".yaml", ".yml")]
    failed = 0
    for spec in specs:
        work = Path(tempfile.mkdtemp(prefix="codegen-memos-"))
        try:
            verdict = check(spec, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        failed += not (verdict == "ok" or verdict.startswith("skipped"))
        print(f"{verdict:50} {spec.name}", flush=True)
    print(f"{len(specs)} documents, {failed} differing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
