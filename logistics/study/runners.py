"""Where a study's variants run: a local process pool (default) or a Dask cluster.

Both run :func:`~logistics.study.execute.execute_variant` on the same tasks and hand
each record back as it finishes, so they give the same results; a worker lost on the
way is recorded as that variant's failure.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Protocol

from logistics.errors import InputError, Problem
from logistics.study.execute import VariantTask, execute_variant, failed_record
from logistics.study.store import VariantRecord

OnRecord = Callable[[VariantRecord], None]
"""Called with each variant's record as soon as it finishes."""


class Runner(Protocol):
    """Runs tasks and hands back their records as they finish."""

    @property
    def description(self) -> str:
        """Where the variants run, for progress and the manifest."""
        ...

    def run(self, tasks: Sequence[VariantTask], on_record: OnRecord) -> None:
        """Run every task; ``on_record`` receives each record."""
        ...


def _lost(task: VariantTask, error: BaseException) -> VariantRecord:
    return failed_record(task, [Problem(task.source, task.description, "worker",
                                        f"{type(error).__name__}: {error}",
                                        "a worker that returns the variant's result")], 0.0)


class LocalRunner:
    """A process pool on this machine; one process runs the tasks in order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    @property
    def description(self) -> str:
        return f"local, {self.workers} worker process{'es' if self.workers > 1 else ''}"

    def run(self, tasks: Sequence[VariantTask], on_record: OnRecord) -> None:
        if self.workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                on_record(execute_variant(task))
            return
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            futures: dict[Future[VariantRecord], VariantTask] = {
                pool.submit(execute_variant, task): task for task in tasks}
            for future in as_completed(futures):
                try:
                    record = future.result()
                except Exception as error:  # a worker process died
                    record = _lost(futures[future], error)
                on_record(record)


class DaskRunner:
    """The workers of a running Dask distributed scheduler. They must see the same
    project files and the study folder (its shared solution cache)."""

    def __init__(self, address: str) -> None:
        self.address = address

    @property
    def description(self) -> str:
        return f"Dask scheduler {self.address}"

    def run(self, tasks: Sequence[VariantTask], on_record: OnRecord) -> None:
        from distributed import Client
        from distributed import as_completed as dask_completed

        try:
            client = Client(self.address, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise InputError([Problem("--scheduler", "", "scheduler",
                                      f"{self.address!r} ({type(error).__name__})",
                                      "the address of a running Dask scheduler, "
                                      "tcp://HOST:PORT")]) from None
        with client:
            futures = client.map(execute_variant, list(tasks),
                                 key=[f"variant-{task.key}" for task in tasks], pure=False)
            by_key = {future.key: task for future, task in zip(futures, tasks, strict=True)}
            for future in dask_completed(futures):
                try:
                    record = future.result()
                except Exception as error:  # a worker died or the task was lost
                    record = _lost(by_key[future.key], error)
                on_record(record)
