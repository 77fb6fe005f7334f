"""A function in a forked child: its result, or None when it could not give one."""

from __future__ import annotations

import os
import time

import pytest

from generator import forked
from generator.forked import Forked, spare_cores, stop_all, unstoppable


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _boom() -> None:
    raise ValueError("no")


def _sleep() -> str:
    time.sleep(30)
    return "too late"


def _write_slowly(path: str, ready: str) -> None:
    with unstoppable():
        open(ready, "w").close()
        time.sleep(0.3)
        with open(path, "w") as handle:
            handle.write("whole")


def test_a_stop_waits_for_an_unstoppable_block(tmp_path) -> None:
    target, ready = tmp_path / "entry", tmp_path / "ready"
    child = Forked(_write_slowly, str(target), str(ready))
    deadline = time.monotonic() + 10
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    child.cancel()  # within the block: the child finishes it, then stops
    assert target.read_text() == "whole"


def test_the_result_comes_from_another_process() -> None:
    pid, doubled = Forked(_pid_and, 21).result() or (0, 0)
    assert doubled == 42 and pid != os.getpid()


def test_an_exception_in_the_child_is_none_here() -> None:
    assert Forked(_boom).result() is None


def test_a_cancelled_child_stops_and_answers_none() -> None:
    child = Forked(_sleep)
    assert not child.done()
    started = time.monotonic()
    child.cancel()
    assert child.result() is None
    assert time.monotonic() - started < 5


def test_done_tells_when_the_result_is_waiting() -> None:
    child = Forked(_pid_and, 1)
    deadline = time.monotonic() + 10
    while not child.done() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.done() and child.result() is not None


def test_a_big_result_comes_whole() -> None:
    """More than a pipe holds: the child writes while the parent reads."""
    assert Forked(bytes, 5_000_000).result() == bytes(5_000_000)


def test_a_child_that_dies_answers_none() -> None:
    assert Forked(os._exit, 3).result() is None


def test_stop_all_stops_the_children_still_running() -> None:
    children = [Forked(_sleep), Forked(_sleep)]
    started = time.monotonic()
    stop_all()
    assert [child.result() for child in children] == [None, None]
    assert time.monotonic() - started < 5


def test_spare_cores_leaves_this_one_out() -> None:
    assert 0 <= spare_cores() < (os.cpu_count() or 1)


def test_a_child_that_answered_is_reaped_without_waiting_for_its_exit() -> None:
    child = Forked(_pid_and, 1)
    pid = child._pid
    assert child.result() is not None
    deadline = time.monotonic() + 10
    while forked._leaving and time.monotonic() < deadline:
        time.sleep(0.01)
        stop_all()  # reaps those that left, waits for none
    assert not forked._leaving
    with pytest.raises(ChildProcessError):  # no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_the_answer_comes_before_the_child_is_gone(monkeypatch, tmp_path) -> None:
    """The parent reads the answer to the end of the pipe, which the child closes once it
    has written it: what the child does after that (saving its compiled code, unmapping its
    heap as it exits) is not waited for."""
    go, gone = tmp_path / "go", tmp_path / "gone"

    def linger() -> None:  # in the child, after the answer: waits for the parent's word
        deadline = time.monotonic() + 10
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        gone.touch()

    monkeypatch.setattr(forked.codecache, "save", linger)
    child = Forked(_pid_and, 2)
    pid = child._pid
    assert child.result() == (pid, 4)
    assert not gone.exists()  # answered while the child lingered
    go.touch()
    os.waitpid(pid, 0)
    forked._leaving.discard(pid)


def _tell(value: int) -> int:
    return value + 1


def _wait_for(path: str) -> str:
    deadline = time.monotonic() + 10
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    return "done"


def test_a_first_job_is_answered_before_the_function_ends(tmp_path) -> None:
    go = tmp_path / "go"
    child = Forked(_wait_for, str(go), first=lambda: _tell(1))
    assert child.first() == 2
    assert not child.done()  # the first answer is not the result
    go.touch()
    assert child.result() == "done"
    assert child.first() == 2  # kept


def test_a_first_job_left_unread_or_failing_leaves_the_result_whole() -> None:
    assert Forked(_pid_and, 3, first=lambda: bytes(200_000)).result()[1] == 6  # bigger than a pipe holds
    failing = Forked(_pid_and, 3, first=_boom)
    assert failing.first() is None and failing.result()[1] == 6
    assert Forked(_pid_and, 3).first() is None
