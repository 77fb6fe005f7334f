"""Rendering uses the cores that validation leaves idle, and only those."""

from __future__ import annotations

import pytest

from generator import pipeline


class _Validation:
    def __init__(self, settled: bool) -> None:
        self._settled = settled

    def settled(self) -> bool:
        return self._settled


@pytest.mark.parametrize(("spare", "expected"), [(0, 1), (1, 2), (3, 4), (15, 4)])
def test_an_answered_validation_leaves_every_core_to_rendering(monkeypatch, spare, expected) -> None:
    monkeypatch.setattr(pipeline, "spare_cores", lambda: spare)
    assert pipeline._render_workers(_Validation(True)) == expected  # type: ignore[arg-type]


def test_a_validation_still_running_keeps_rendering_to_one_process(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "spare_cores", lambda: 3)
    assert pipeline._render_workers(_Validation(False)) == 1  # type: ignore[arg-type]
