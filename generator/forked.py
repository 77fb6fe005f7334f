"""A function run in a forked child process, its result sent back through a pipe.

fork, not spawn: the child starts with the parent's memory (a parsed document, an API
model), so nothing large is pickled on the way in; only the result is. Where fork is not
available, or the child dies, `result` says so with None and the caller does the work itself.

Plain os.fork and a pipe, not multiprocessing: importing that package alone took 17 ms of
every run, a fiftieth of a regeneration, for what these few lines do.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from . import codecache

__all__ = ["Forked", "can_fork", "spare_cores", "stop_all", "unstoppable"]

T = TypeVar("T")

_running: set[Forked[Any]] = set()  # children not yet answered or stopped (see stop_all)
_leaving: set[int] = set()  # children that answered and are on their way out, not yet reaped


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def spare_cores() -> int:
    """Cores this process may use besides the one it runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    return max(usable - 1, 0)


class Forked(Generic[T]):
    """`function(*args)` in a child process, started at once. A `first` job, if given, runs
    in the child before it, and its answer is sent at once (see `first`): a quick job the
    parent wants well before the long one ends, done on the child's core."""

    def __init__(self, function: Callable[..., T], *args: Any, first: Callable[[], Any] | None = None) -> None:
        _reap_leaving()
        receive, send = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # else the child would write the buffers again
            stream.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow it
            os.close(receive)
            _child_main(function, args, send, first)
        os.close(send)
        self._pid: int | None = pid
        self._pipe: int | None = receive
        self._first_pending = first is not None  # its answer not read yet
        self._first: Any = None
        _running.add(self)

    def first(self) -> Any:
        """The `first` job's answer, waiting for it if need be; None if there was no such
        job, it raised, or the child died."""
        if self._first_pending and self._pipe is not None:
            self._first_pending = False
            try:
                size = _FRAME.unpack(_read_exactly(self._pipe, _FRAME.size))[0]
                answer: tuple[bool, Any] = pickle.loads(_read_exactly(self._pipe, size))
                self._first = answer[1] if answer[0] else None
            except Exception:  # noqa: BLE001 - a child that died midway: the result is lost too
                self.cancel()
        return self._first

    def done(self) -> bool:
        """Whether the result is waiting (or the child has gone): `result` will not block."""
        if self._first_pending and self._readable():
            self.first()  # sent at once, and whole: reading it waits for no work of the child
        return self._pipe is None or (not self._first_pending and self._readable())

    def _readable(self) -> bool:
        if self._pipe is None:
            return False
        readable, _, _ = select.select([self._pipe], [], [], 0)
        return bool(readable)

    def result(self) -> T | None:
        """The function's result; None if the child died or the function raised."""
        self.first()  # read past it
        if self._pipe is None:
            return None
        try:
            answer: tuple[bool, T] | None = pickle.loads(_read_all(self._pipe))
        except Exception:  # noqa: BLE001 - a child that died midway left a broken answer
            answer = None
        finally:
            os.close(self._pipe)
            self._pipe = None
            self._reap(stop=False)
        return answer[1] if answer is not None and answer[0] else None

    def cancel(self) -> None:
        """Stop the child if it still runs: its answer is no longer wanted."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        self._reap(stop=True)

    def _reap(self, stop: bool) -> None:
        """Stop the child and wait for it, or (it answered) let it leave in its own time:
        a child that built a big heap takes a hundredth of a second to be unmapped."""
        if self._pid is not None:
            if stop:
                import signal  # here: a run whose children answer never needs it (0.6 ms)

                try:
                    os.kill(self._pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                _wait(self._pid, 0)
            else:
                _leaving.add(self._pid)
                _reap_leaving()
            self._pid = None
        _running.discard(self)


@contextmanager
def unstoppable() -> Iterator[None]:
    """In a child: a stop (`cancel`) that comes meanwhile waits until the block is over, so
    that what it writes (a cache entry and its temporary file) is not left half done."""
    import signal  # see _reap

    blocked = {signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)


def stop_all() -> None:
    """Stop every child still running (a process about to leave without waiting for them)."""
    for child in list(_running):
        child.cancel()
    _reap_leaving()


def _reap_leaving() -> None:
    for pid in list(_leaving):
        if _wait(pid, os.WNOHANG):
            _leaving.discard(pid)


def _wait(pid: int, options: int) -> bool:
    """Reap the child `pid`; whether it is gone."""
    try:
        return os.waitpid(pid, options)[0] != 0
    except ChildProcessError:  # reaped already
        return True


_FRAME = struct.Struct("<Q")  # the size of the first job's answer, sent before it


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError("the child's answer ends early")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _child_main(
    function: Callable[..., Any], args: tuple[Any, ...], send: int, first: Callable[[], Any] | None
) -> None:  # pragma: no cover
    code = 0
    try:
        if first is not None:
            data = _answer(first)
            _send(send, _FRAME.pack(len(data)) + data)
        _send(send, _answer(function, *args))
        # The parent reads to the end of the pipe: closed here, not when this process is gone
        # (unmapping a big heap took a hundredth of a second of a regeneration's wait).
        os.close(send)
        codecache.save()  # what it compiled, as the parent keeps its own at its end
    except BaseException:  # noqa: BLE001 - nothing of the parent's may run in the child
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing the parent's buffers twice


def _answer(function: Callable[..., Any], *args: Any) -> bytes:  # pragma: no cover - in the child
    try:
        answer = (True, function(*args))
    except Exception:  # noqa: BLE001 - the parent does the work again and reports it
        answer = (False, None)
    return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)


def _send(fd: int, data: bytes) -> None:  # pragma: no cover - in the child
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
