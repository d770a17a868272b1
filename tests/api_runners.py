"""Job runners that solve nothing, for the API tests. A job process unpickles its
runner, so they are module-level functions in a module that imports little."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.jobs import Job


def replay_result(sources: dict[str, Path], job: Job) -> dict[str, Any]:
    """A runner that solves nothing: copies the result folder solved before for the
    job's design and returns its summary."""
    from logistics.pipeline.result import RESULT_FILE

    shutil.copytree(sources[job.scenario["design"]], job.folder)
    document: dict[str, Any] = json.loads((job.folder / RESULT_FILE).read_text())
    return document


def no_result(job: Job) -> None:
    """A runner that writes nothing and returns at once."""


def failing_with_runtime_error(job: Job) -> None:
    """A runner raising an exception outside the package's error family."""
    raise RuntimeError(f"solver crashed on {job.scenario['name']}")


def sleeping_in_child(job: Job) -> None:
    """A runner that waits on a child process (a stand-in for a solver process) and
    records its pid in the run folder."""
    job.folder.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen(["sleep", "60"])
    (job.folder / "child.pid").write_text(str(child.pid))
    child.wait()


def sleeping_two_seconds(job: Job) -> None:
    """A runner that writes ``started`` into the run folder, then takes two seconds."""
    import time

    job.folder.mkdir(parents=True, exist_ok=True)
    (job.folder / "started").touch()
    time.sleep(2)


def writing_on_a_full_disk(job: Job) -> None:
    """A runner whose disk is full: every flush to disk fails with ``ENOSPC`` (only in
    this job process) while it writes ``result.json``."""
    import errno
    import os

    from logistics.io.durable import write_text_atomically

    def full(_: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    os.fsync = full
    write_text_atomically(job.folder / "result.json", '{"kpi_per_week": {}}')
