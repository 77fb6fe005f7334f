"""Cold generation of GitHub and Stripe: codegen against openapi-python-client 0.29.1."""

from __future__ import annotations

from . import clients
from .measure import Run
from .table import Row

OPC = "openapi-python-client"


def _failure_notes(tool: str, run: Run) -> list[str]:
    if run.ok:
        return []
    lines = [line.strip(" │╭╮╰╯─") for line in run.output_tail.splitlines()]  # no box drawing
    said = " ".join(line for line in lines if line)[-300:]
    return [f"{tool} failed (exit {run.returncode}) after {run.seconds:.0f} s: {said}"]


def generation(api: str, context: dict) -> list[Row]:
    ours = clients.build("codegen", api)
    ref = clients.build("opc", api)
    context[f"cold_{api}_s"] = ours.seconds if ours.ok else None
    notes = _failure_notes("codegen", ours) + _failure_notes(OPC, ref)
    failed = {"ours_failed": not ours.ok, "ref_failed": not ref.ok}
    return [
        Row(f"generate {api} cold: time", "s", ours.seconds, ref.seconds, OPC, 1 / 3, notes=notes, **failed),
        Row(f"generate {api} cold: peak tree PSS", "MB", ours.peak_pss_mb, ref.peak_pss_mb, OPC, 0.5, **failed),
        Row(f"generate {api} cold: max process RSS", "MB", ours.max_rss_mb, ref.max_rss_mb, OPC, None, **failed),
    ]


def run(context: dict) -> list[Row]:
    return generation("github", context) + generation("stripe", context)
