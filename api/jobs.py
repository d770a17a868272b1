"""The durable job queue: jobs solved by worker processes (what a job does is the
runner's, by default :func:`api.runner.solve_job`).

Jobs live in the database (:class:`api.store.RunStore`); ``workers`` threads of the
server each claim the oldest queued job and solve it in a fresh process (``spawn``).
That process leads its own process group, dies with the server (``PR_SET_PDEATHSIG``)
and starts :mod:`api.watchdog`, which kills the whole group (the solver processes
included) once the job process or the server is gone. Cancelling a job kills its group.
A clean shutdown kills running jobs and queues them again; a run left ``running`` by a
server that died is marked failed with reason ``interrupted`` when the next one starts.
Any exception fails the run with its message.
"""

from __future__ import annotations

import ctypes
import dataclasses
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from api.audit import SERVER, Actor, AuditTrail
from api.paths import Roots
from api.store import RunRecord, RunStore
from logistics.errors import InputError

RESILIENCE_FILE = "resilience.json"
REPORT_KIND, STUDY_KIND = "report", "study"
"""Job kinds beside scenario runs and resilience studies: a decision report of runs,
a batch study."""
PURCHASES_KIND = "purchases"
"""The job kind of an import of uploaded purchase documents."""
PR_SET_PDEATHSIG = 1
IDLE_POLL_S = 1.0
DATABASE_RETRY_S = 1.0
T = TypeVar("T")

logger = logging.getLogger(__name__)


class DatabaseAway(Exception):
    """The database could not be reached and the server is stopping."""


@dataclass(frozen=True)
class Job:
    """What a job process is given: the run, its scenario as stored (paths relative to
    the roots), its options, where its results go."""

    run_id: int
    kind: str
    scenario: dict[str, Any]
    options: dict[str, Any]
    results_dir: Path
    solver_workers: int
    started_by: dict[str, Any] | None = None
    """The key that queued the job (``key_id``, ``key_name``), for its provenance."""

    @property
    def folder(self) -> Path:
        return run_folder(self.results_dir, self.run_id)


Runner = Callable[[Job], Mapping[str, object] | None]
"""Solves a job in the job process and writes its files; returns the run's summary
(None for a job without one). Must be a module-level function (it is pickled)."""


def run_folder(results_dir: Path, run_id: int) -> Path:
    """The result folder of a run: ``<results_dir>/runs/<id>``."""
    return results_dir / "runs" / str(run_id)


class JobQueue:
    """Worker threads taking jobs from the database and solving each in a process."""

    def __init__(self, store: RunStore, roots: Roots, runner: Runner, workers: int,
                 solver_workers: int, audit: AuditTrail) -> None:
        self.store = store
        self.audit = audit
        self.roots = roots
        self.runner = runner
        self.workers = workers
        self.solver_workers = solver_workers
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[int, BaseProcess] = {}
        self._lock = threading.Lock()

    def start(self) -> list[int]:
        """Mark runs a dead server left running as interrupted, then start the
        workers; returns the interrupted runs' ids."""
        interrupted = self.store.interrupt_running()
        for run_id in interrupted:
            record = self.store.get(run_id)
            kind = "run" if record is None else record.kind
            self.audit.record(SERVER, f"{kind}.finish", f"run {run_id}", "failed",
                              "interrupted: the server stopped while it ran")
        for number in range(self.workers):
            thread = threading.Thread(target=self._work, name=f"job-worker-{number}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)
        return interrupted

    def wake(self) -> None:
        """A job was queued: let an idle worker take it now."""
        self._wake.set()

    def cancel(self, run_id: int) -> bool:
        """Cancel a queued or running job (its processes are killed); False when it
        had finished."""
        cancelled = self.store.cancel(run_id)
        if cancelled:
            self._kill(run_id)
        return cancelled

    def stop(self) -> None:
        """Stop the workers; running jobs are killed and queued again."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            running = list(self._running)
        for run_id in running:
            self._kill(run_id)
        for thread in self._threads:
            thread.join(timeout=10)

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                record = self.store.claim_next()
            except Exception:  # the database is away for a moment: try again
                logger.exception("could not claim a job")
                record = None
            if record is None:
                self._wake.wait(IDLE_POLL_S)
                self._wake.clear()
                continue
            try:
                self._execute(record)
            except DatabaseAway:  # stopping while the database is away: the next start
                logger.warning("run %s: its outcome could not be stored; the next start "
                               "marks it interrupted", record.id)

    def _stored(self, action: Callable[[], T]) -> T:
        """``action`` on the database, tried again every second while the database is
        away (a restarted PostgreSQL server, a locked SQLite file), so a finished job
        is never lost; :class:`DatabaseAway` when the server stops meanwhile (the next
        start marks the job interrupted)."""
        while True:
            try:
                return action()
            except sa.exc.DBAPIError:
                if self._stopping.is_set():
                    raise DatabaseAway from None
                logger.warning("the database is away; trying again", exc_info=True)
                self._stopping.wait(DATABASE_RETRY_S)

    def _execute(self, record: RunRecord) -> None:
        started_by = self._stored(lambda: self.audit.actor(record.key_id))
        job = Job(record.id, record.kind, record.scenario, record.options,
                  self.roots.results_dir, self.solver_workers,
                  {"key_id": started_by.key_id, "key_name": started_by.name})
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_job_process, name=f"job-{record.id}",
                                  args=(job, self.runner, os.getpid(), sender))
        with self._lock:
            process.start()
            self._running[record.id] = process
        sender.close()
        current = self._stored(lambda: self.store.get(record.id))
        if current is not None and current.status == "cancelled":  # while it was claimed
            self._kill(record.id)
        outcome = _outcome(receiver, process)
        process.join()
        with self._lock:
            del self._running[record.id]
        if self._stopping.is_set():
            self._stored(lambda: self.store.requeue(record.id))
            return
        if outcome is None:
            self._stored(lambda: self.store.fail(
                record.id, "error", f"the job process ended with exit code {process.exitcode}"))
        elif outcome[0] == "done":
            self._stored(lambda: self.store.finish(record.id, outcome[1]))
        else:
            _, reason, message, problems = outcome
            self._stored(lambda: self.store.fail(
                record.id, reason, self.roots.scrub(message),
                [{k: self.roots.scrub(v) for k, v in p.items()} for p in problems]
                if problems else None))
        self._stored(lambda: self._audit_finish(record.id, started_by))

    def _audit_finish(self, run_id: int, started_by: Actor) -> None:
        """Record how a job ended, in the name of the key that started it."""
        record = self.store.get(run_id)
        if record is None:
            return
        detail = " ".join(part for part in (record.reason, record.message) if part)
        self.audit.record(started_by, f"{record.kind}.finish", f"run {run_id}",
                          record.status, self.roots.scrub(detail))

    def _kill(self, run_id: int) -> None:
        with self._lock:
            process = self._running.get(run_id)
        if process is None or process.pid is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # not yet its own group leader
            process.kill()


def _outcome(receiver: Connection, process: BaseProcess) -> tuple[Any, ...] | None:
    """What the job process sent, or None when it ended without a word."""
    wait([receiver, process.sentinel])
    try:
        return tuple(receiver.recv()) if receiver.poll() else None
    except (EOFError, OSError):
        return None
    finally:
        receiver.close()


def _job_process(job: Job, runner: Runner, server_pid: int, sender: Connection) -> None:
    """The job process: own process group, dies with the server, watched; sends
    ``("done", summary)`` or ``("failed", reason, message, problems)``."""
    os.setpgrp()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server_pid:  # the server died before the line above
        os._exit(1)
    subprocess.Popen([sys.executable, "-m", "api.watchdog", str(server_pid),
                      str(os.getpid())])
    try:
        sender.send(("done", runner(job)))
    except InputError as error:
        sender.send(("failed", "input", f"{len(error.problems)} input problem(s)",
                     [dataclasses.asdict(p) for p in error.problems]))
    except Exception as error:
        sender.send(("failed", "error", f"{type(error).__name__}: {error}", None))
    finally:
        sender.close()
