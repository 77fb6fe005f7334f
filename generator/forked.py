"""A function run in a forked child process, its result sent back through a pipe.

fork, not spawn: the child starts with the parent's memory (a parsed document, an API
model), so nothing large is pickled on the way in; only the result is. Where fork is not
available, or the child dies, `result` says so with None and the caller does the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["Forked", "can_fork", "spare_cores"]

T = TypeVar("T")


def can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def spare_cores() -> int:
    """Cores this process may use besides the one it runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    return max(usable - 1, 0)


class Forked(Generic[T]):
    """`function(*args)` in a child process, started at once."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self._child: Any = context.Process(target=_child_main, args=(function, args, send), daemon=True)
        self._child.start()
        send.close()
        self._pipe: Connection | None = receive

    def done(self) -> bool:
        """Whether the result is waiting (or the child has gone): `result` will not block."""
        return self._pipe is None or self._pipe.poll()

    def result(self) -> T | None:
        """The function's result; None if the child died or the function raised."""
        if self._pipe is None:
            return None
        try:
            answer: tuple[bool, T] | None = self._pipe.recv()
        except (EOFError, OSError):
            answer = None
        finally:
            self._pipe.close()
            self._pipe = None
            self.cancel()
        return answer[1] if answer is not None and answer[0] else None

    def cancel(self) -> None:
        """Stop the child if it still runs: its answer is no longer wanted."""
        if self._child is not None and self._child.is_alive():
            self._child.terminate()
        if self._child is not None:
            self._child.join()
        self._child = None


def _child_main(function: Callable[..., Any], args: tuple[Any, ...], send: Connection) -> None:
    try:
        try:
            answer = (True, function(*args))
        except Exception:  # noqa: BLE001 - the parent does the work again and reports it
            answer = (False, None)
        send.send(answer)
    finally:
        send.close()
