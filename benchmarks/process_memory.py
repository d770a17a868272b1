"""Wall time and peak memory of a command run in a fresh process: ``ru_maxrss`` of the
process (``os.wait4``: the process and the children it reaped), and the summed resident
memory of the process and every descendant, sampled every :data:`SAMPLE_EVERY_S`
seconds. A command still running at the timeout is killed with its descendants."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_EVERY_S = 0.25
KIB_PER_MIB = 1024
BYTES_PER_MIB = 1024 * 1024


@dataclass(frozen=True)
class MeasuredProcess:
    """How a measured command ended, how long it took and the memory it held."""

    returncode: int
    timed_out: bool
    wall_s: float
    peak_mib_process: float
    peak_mib_all_processes_sampled: float

    @property
    def status(self) -> str:
        return ("stopped at the timeout" if self.timed_out else "finished"
                if self.returncode == 0 else f"failed (exit {self.returncode})")


def run_measured_process(command: Sequence[str], stdout: Path, timeout_s: float
                         ) -> MeasuredProcess:
    """Run ``command`` with its standard output into ``stdout``; its measurements."""
    started = time.perf_counter()
    with stdout.open("w", encoding="utf-8") as report:
        child = subprocess.Popen(list(command), stdout=report)
        watched = psutil.Process(child.pid)
        peak_tree_bytes = 0
        timed_out = False
        while _running(watched):  # never poll(): the child is reaped by wait4 below
            peak_tree_bytes = max(peak_tree_bytes, _tree_rss_bytes(watched))
            if time.perf_counter() - started > timeout_s:
                _kill_tree(watched)
                timed_out = True
                break
            time.sleep(SAMPLE_EVERY_S)
        _, status, usage = os.wait4(child.pid, 0)
    return MeasuredProcess(os.waitstatus_to_exitcode(status), timed_out,
                           round(time.perf_counter() - started, 1),
                           round(usage.ru_maxrss / KIB_PER_MIB, 1),
                           round(peak_tree_bytes / BYTES_PER_MIB, 1))


def _tree_rss_bytes(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants now (0 once it is gone)."""
    total = 0
    try:
        for member in [process, *process.children(recursive=True)]:
            try:
                total += member.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    except psutil.NoSuchProcess:
        return 0
    return total


def _kill_tree(process: psutil.Process) -> None:
    members = [process, *process.children(recursive=True)]
    for member in members:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            continue


def _running(process: psutil.Process) -> bool:
    """Whether a child still runs (a zombie waiting to be reaped does not)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
