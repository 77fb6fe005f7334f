"""What the figures were measured on."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from . import tools


def _first(path: str, key: str) -> str:
    for line in Path(path).read_text().splitlines():
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
    return "?"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _codegen_black() -> str:
    python = Path(tools.CODEGEN).parent / "python"
    code = "import black; print(black.__version__)"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def describe() -> dict[str, str]:
    memory_kb = int(_first("/proc/meminfo", "MemTotal").split()[0])
    return {
        "cpu": _first("/proc/cpuinfo", "model name"),
        "cores": str(len(os.sched_getaffinity(0))),
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "httpx": _version("httpx"),
        "pydantic": _version("pydantic"),
        "openapi-python-client": _version("openapi-python-client"),
        "black (codegen's)": _codegen_black(),
    }
