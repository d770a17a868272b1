"""The watchdog of a job process: ends the job's whole process group when the job
process or the server is gone, so no solver outlives the server (even after
``kill -9``).

Started by the job process inside its process group as
``python -m api.watchdog SERVER_PID JOB_PID``; imports nothing heavy.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

POLL_S = 0.2


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def watch(server_pid: int, job_pid: int) -> None:
    """Wait until the job process or the server ends, then kill the process group."""
    while os.getppid() == job_pid and alive(server_pid):
        time.sleep(POLL_S)
    os.killpg(os.getpgrp(), signal.SIGKILL)


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]))
