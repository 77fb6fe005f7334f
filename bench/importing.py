"""Import cost, each figure the median of fresh interpreters (bytecode already compiled).

- `import httpx` alone: the yardstick.
- `import github_cg` and constructing its client (over an httpx.Client with a MockTransport).
- the first call of `repos.get` (repos is GitHub's largest group, 204 operations): the lazy
  loading of its resource group and models plus decoding, through httpx.MockTransport.
- the same two for openapi-python-client's GitHub package, for reference.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from . import clients, fixtures, tools
from .table import Row

REPEAT = int(os.environ.get("BENCH_IMPORT_REPEAT", "15"))
OPC = "openapi-python-client"

HTTPX = "import time; t = time.perf_counter(); import httpx; print(time.perf_counter() - t)"
SETUP = """
import pathlib, time
t = time.perf_counter()
import httpx
BODY = pathlib.Path({body!r}).read_bytes()
def answer(request):
    return httpx.Response(200, content=BODY, headers={{"content-type": "application/json"}})
"""
CODEGEN_CLIENT = """import github_cg
client = github_cg.BenchClient(
    base_url="https://api.github.com", http_client=httpx.Client(transport=httpx.MockTransport(answer))
)
"""
OPC_CLIENT = """import github_opc
client = github_opc.Client(base_url="https://api.github.com", httpx_args={"transport": httpx.MockTransport(answer)})
client.get_httpx_client()
"""
CODEGEN_CALL = "repo = client.repos.get(owner='octocat', repo='Hello-World')\n"
OPC_CALL = """from github_opc.api.repos import reposget
repo = reposget.sync(owner="octocat", repo="Hello-World", client=client)
"""
END = "print(time.perf_counter() - t); assert repo is not None, 'no repository decoded'\n"


def snippets(body: str) -> dict[str, str]:
    setup = SETUP.format(body=body)
    call = "t = time.perf_counter()\n"
    return {
        "httpx": HTTPX,
        "codegen import": setup + CODEGEN_CLIENT + "print(time.perf_counter() - t)\n",
        "codegen first call": setup + CODEGEN_CLIENT + call + CODEGEN_CALL + END,
        "opc import": setup + OPC_CLIENT + "print(time.perf_counter() - t)\n",
        "opc first call": setup + OPC_CLIENT + call + OPC_CALL + END,
    }


def fresh(code: str, path: str) -> float | str:
    """Milliseconds the snippet printed, or, when it failed, its last line of error."""
    env = tools.child_env(None)
    env["PYTHONPATH"] = path
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["no output"])[-1]
    return float(done.stdout.split()[-1]) * 1000


def medians(codes: dict[str, str], paths: dict[str, str]) -> tuple[dict[str, float | None], dict[str, str]]:
    """The median of each snippet's REPEAT runs (None and a note for one that failed)."""
    samples: dict[str, list[float]] = {name: [] for name in codes}
    errors: dict[str, str] = {}
    for _ in range(REPEAT + 1):  # interleaved, so a slow spell of the machine hits all alike
        for name, code in codes.items():
            result = fresh(code, paths[name]) if name not in errors else ""
            if isinstance(result, str):
                errors.setdefault(name, result)
            else:
                samples[name].append(result)
    # The first round wrote the bytecode: not counted.
    ms = {name: None if name in errors else statistics.median(values[1:]) for name, values in samples.items()}
    return ms, errors


def run(context: dict) -> list[Row]:
    body = tools.work_dir() / "full-repository.json"
    body.write_text(json.dumps(fixtures.repository_response()))
    ours, ref = str(clients.ensure("codegen", "github")), str(clients.ensure("opc", "github"))
    paths = {"httpx": ours, "codegen import": ours, "codegen first call": ours}
    paths.update({"opc import": ref, "opc first call": ref})
    ms, errors = medians(snippets(str(body)), paths)
    context["import_ms"] = ms

    def row(name: str, ours: str, ref: str, ref_name: str, target: float | None) -> Row:
        notes = [f"{key} failed: {errors[key]}" for key in (ours, ref) if key in errors]
        return Row(name, "ms", ms[ours], ms[ref], ref_name, target, ms[ours] is None, ms[ref] is None, notes)

    return [
        row("import + construct github client", "codegen import", "httpx", "import httpx", 1.2),
        row("first call repos.get (lazy load)", "codegen first call", "httpx", "import httpx", 0.5),
        row("import + construct github client", "codegen import", "opc import", OPC, None),
        row("first call repos.get (lazy load)", "codegen first call", "opc first call", OPC, None),
    ]
