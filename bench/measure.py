"""Measuring a command: wall time and peak memory of its whole process tree.

Peak memory is the largest sum, over the process and all its descendants, of their PSS
(proportional set size, /proc/PID/smaps_rollup), sampled every SAMPLE_S seconds. PSS
divides pages shared between processes (forked workers share their parent's pages
copy-on-write) among those that share them, so the sum counts each page once: the memory
the tool costs the machine. A sampler can miss a peak shorter than its interval, so the
largest RSS of any single process of the tree is reported as well, exactly, from the
kernel's accounting (wait4's ru_maxrss: the child and every descendant it waited for).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_S = 0.05


@dataclass
class Run:
    seconds: float
    peak_pss_mb: float
    max_rss_mb: float
    returncode: int
    output_tail: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(root: int) -> list[int]:
    children = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    return sum(_pss_kb(pid) for pid in _tree(root))


def _sample(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], tree_pss_kb(pid))
        stop.wait(SAMPLE_S)


def run_tree(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None, *, sample: bool = True) -> Run:
    """Run `cmd` to completion; its time, peak tree PSS and largest single-process RSS.

    Without `sample`, the peak PSS is not measured (0): the sampler reads every process's
    stat and the tree's page tables twenty times a second, on the cores the measured tree
    runs on, so a figure of time alone is taken without it.
    """
    # Each run starts with the earlier runs' files on disk: a regeneration timed right after
    # the run that filled its cache otherwise shares the machine with the writeback of the
    # hundred megabytes that run wrote (0.6 s became 0.8-0.95 s). Its own writes still count.
    os.sync()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_sample, args=(proc.pid, stop, peak), daemon=True)
    if sample:
        sampler.start()
    output = _drain(proc)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    if sample:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = "\n".join(output.decode(errors="replace").strip().splitlines()[-5:])
    return Run(seconds, peak[0] / 1024, usage.ru_maxrss / 1024, proc.returncode, tail)


def _drain(proc: subprocess.Popen) -> bytes:
    assert proc.stdout is not None
    chunks = []
    while chunk := proc.stdout.read(65536):
        chunks.append(chunk)
    proc.stdout.close()
    return b"".join(chunks)
