"""Running a study: the variants not yet done, on a runner, each record stored as it
finishes, then the results table."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from logistics.pipeline.solutions import SolutionStore
from logistics.study.execute import VariantTask
from logistics.study.files import LoadedStudy
from logistics.study.order import work_order
from logistics.study.runners import Runner
from logistics.study.store import DONE, StudyStore, VariantRecord
from logistics.study.table import results_table, write_tables

StudyProgress = Callable[[int, int, VariantRecord], None]
"""Called as ``progress(finished, to_run, record)`` after each variant."""


@dataclass(frozen=True)
class StudyRun:
    """What one ``study run`` did."""

    folder: Path
    variants: int
    skipped: int
    ran: int
    failed: int
    writing_s: float
    """Time spent writing the variants' records and the results tables."""


def run_study(loaded: LoadedStudy, folder: Path, runner: Runner,
              progress: StudyProgress | None = None,
              solutions: SolutionStore | None = None) -> StudyRun:
    """Run every variant of ``loaded`` not already done in ``folder``, store each record
    as it finishes, then write the results table; routing solutions are shared through
    ``solutions`` (default: the study folder's own store)."""
    store = StudyStore(folder)
    shared = solutions or store.solutions
    store.write_manifest(loaded)
    tasks: dict[str, VariantTask] = {}
    for variant in work_order(loaded.variants):
        if variant.key not in tasks and not store.done(variant.key):
            tasks[variant.key] = VariantTask(variant.key, variant.describe(),
                                             variant.scenario.model_dump(mode="json"),
                                             loaded.source, str(shared.folder))
    records: list[VariantRecord] = []
    writing_s = 0.0

    def on_record(record: VariantRecord) -> None:
        nonlocal writing_s
        started = time.perf_counter()
        store.save(record)
        writing_s += time.perf_counter() - started
        records.append(record)
        if progress is not None:
            progress(len(records), len(tasks), record)

    runner.run(list(tasks.values()), on_record)
    started = time.perf_counter()
    write_tables(results_table(folder), folder)
    writing_s += time.perf_counter() - started
    unique = len({v.key for v in loaded.variants})
    failed = sum(1 for record in records if record.status != DONE)
    return StudyRun(folder, len(loaded.variants), unique - len(tasks), len(tasks), failed,
                    round(writing_s, 3))
