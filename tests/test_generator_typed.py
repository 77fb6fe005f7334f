"""The generator's own code stays fully typed."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_generator_passes_mypy():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", os.devnull, "generator"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout
