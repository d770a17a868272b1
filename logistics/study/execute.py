"""Running one variant, in whichever process or Dask worker it lands on.

A task carries the variant's merged scenario as plain data, so it travels to any
worker. Each process loads a study folder and makes a travel model once and keeps them
for the variants that follow; routing solutions come from and go to the study's shared
solution cache. A variant that fails returns its problems instead of raising, so the
study goes on.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from logistics.errors import InputError, Problem
from logistics.model.dataset import DataSet, load_dataset
from logistics.pipeline.run import run_scenario
from logistics.pipeline.solutions import SolutionStore, code_version
from logistics.scenarios.schema import Scenario
from logistics.study.store import DONE, FAILED, VariantRecord
from logistics.travel.base import TravelModel
from logistics.travel.factory import make_travel_model
from logistics.travel.settings import TravelSettings


@dataclass(frozen=True)
class VariantTask:
    """What a worker needs to run one variant."""

    key: str
    description: str
    scenario: Mapping[str, object]  # the merged scenario as plain data (JSON)
    source: str
    solutions_dir: str


@lru_cache(maxsize=4)
def _dataset(dataset_dir: str, _files_key: str) -> DataSet:
    """The study folder, loaded once per process while its files stay the same."""
    return load_dataset(Path(dataset_dir))


@lru_cache(maxsize=8)
def _travel(settings: TravelSettings) -> TravelModel:
    """One travel model (and its matrix caches) per process and settings."""
    return make_travel_model(settings)


def execute_variant(task: VariantTask) -> VariantRecord:
    """Run the variant and return its record: KPIs when done, problems when failed."""
    started = time.perf_counter()
    try:
        scenario = Scenario.from_data(task.scenario, task.source, task.description)
        files_key = "|".join(sorted(str(p.stat().st_mtime_ns) for p in
                                    Path(scenario.resolve(scenario.dataset_dir)).glob("*")))
        dataset = _dataset(str(scenario.resolve(scenario.dataset_dir)), files_key)
        result = run_scenario(scenario, source=task.source, dataset=dataset,
                              travel=_travel(scenario.travel), workers=1,
                              solution_store=SolutionStore(Path(task.solutions_dir)))
    except InputError as error:
        return failed_record(task, error.problems, started)
    except Exception as error:  # any failure of one variant is recorded; the study goes on
        return failed_record(task, [Problem(task.source, task.description, "run",
                                            f"{type(error).__name__}: {error}",
                                            "a variant that runs to a result")], started)
    return VariantRecord(
        key=task.key, status=DONE, scenario=result.name, kpi_per_week=dict(result.kpi_week),
        kpi_per_year=dict(result.kpi_year), notes=tuple(result.notes),
        travel_model=result.travel_model, unserved_count=len(result.unserved),
        problems=(), stage_s=result.provenance.stage_s,
        routing_problems_solved=result.provenance.routing_problems_solved,
        routing_problems_read_from_searches_in_flight=(
            result.provenance.routing_problems_read_from_searches_in_flight),
        wall_s=round(time.perf_counter() - started, 3), code_version=code_version())


def failed_record(task: VariantTask, problems: list[Problem] | tuple[Problem, ...],
                  started: float) -> VariantRecord:
    """The record of a variant that did not run to a result."""
    name = task.scenario.get("name")
    return VariantRecord(
        key=task.key, status=FAILED, scenario=name if isinstance(name, str) else None,
        kpi_per_week={}, kpi_per_year={}, notes=(), travel_model=None, unserved_count=None,
        problems=tuple(problems), wall_s=round(time.perf_counter() - started, 3),
        code_version=code_version())
