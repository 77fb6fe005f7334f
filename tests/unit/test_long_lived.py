"""A run exempts the document and the API model from the cyclic collector while it lasts,
and gives them back when it ends."""

from __future__ import annotations

import gc

import pytest

from generator.errors import SpecError
from generator.pipeline import generate
from tests.conftest import PETSTORE_SPEC


def test_the_document_and_model_are_exempt_while_the_run_lasts_and_given_back_after(monkeypatch):
    import generator.pipeline as pipeline

    frozen_while_rendering = []
    original = pipeline.render

    def render(*args, **kwargs):
        frozen_while_rendering.append(gc.get_freeze_count())
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render", render)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    generate(PETSTORE_SPEC, cache=None)
    assert frozen_while_rendering[0] > 0
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_caller_that_froze_objects_keeps_them_frozen():
    """The caller's objects stay out of the collector's generations. (How many objects are
    frozen may still fall: frozen garbage, a template cache's replaced keys say, is freed.)"""
    mine = [[n] for n in range(100)]
    gc.freeze()
    try:
        generate(PETSTORE_SPEC, cache=None)
        tracked = {id(obj) for obj in gc.get_objects()}
        assert not any(id(obj) in tracked for obj in mine) and gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_failed_run_gives_them_back_too(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.0\ninfo: [not, an, object]\npaths: {}\n")
    with pytest.raises(SpecError):
        generate(broken, cache=None)
    assert gc.get_freeze_count() == 0 and gc.isenabled()


@pytest.mark.parametrize("ending_with_exit", [True, False])
def test_a_process_that_ends_with_exit_keeps_the_document_and_model_till_then(monkeypatch, ending_with_exit):
    from generator import lifetime
    from generator.model import Api
    from generator.spec import Document

    monkeypatch.setattr(lifetime, "_held", [])
    monkeypatch.setattr(lifetime, "_ending_with_exit", ending_with_exit)
    generated = generate(PETSTORE_SPEC, cache=None)
    kinds = {type(held) for held in lifetime._held}
    assert kinds == ({Document, Api, type(None)} if ending_with_exit else set())
    assert any(held is generated.api for held in lifetime._held) == ending_with_exit
