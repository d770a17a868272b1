"""Running one variant, in whichever process or Dask worker it lands on.

A task carries the variant's merged scenario as plain data, so it travels to any
worker. Each process loads a study folder and makes a travel model once and keeps them
for the variants that follow; routing solutions come from and go to the study's shared
solution cache. A variant that fails returns its problems instead of raising, so the
study goes on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from logistics.errors import InputError, Problem
from logistics.model.study import StudyData, load_study
from logistics.pipeline.run import run_scenario
from logistics.pipeline.solutions import SolutionStore, code_version
from logistics.scenarios.schema import Scenario
from logistics.study.store import DONE, FAILED
from logistics.travel.base import TravelModel
from logistics.travel.factory import make_travel_model
from logistics.travel.settings import TravelSettings


@dataclass(frozen=True)
class VariantTask:
    """What a worker needs to run one variant."""

    key: str
    description: str
    scenario: dict[str, Any]  # the merged scenario as plain data
    source: str
    solutions_dir: str


@lru_cache(maxsize=4)
def _study(study_dir: str, _files_key: str) -> StudyData:
    """The study folder, loaded once per process while its files stay the same."""
    return load_study(Path(study_dir))


@lru_cache(maxsize=8)
def _travel(settings: TravelSettings) -> TravelModel:
    """One travel model (and its matrix caches) per process and settings."""
    return make_travel_model(settings)


def execute_variant(task: VariantTask) -> dict[str, Any]:
    """Run the variant and return its record: KPIs when done, problems when failed."""
    started = time.perf_counter()
    try:
        scenario = Scenario.from_data(task.scenario, task.source, task.description)
        files_key = "|".join(sorted(str(p.stat().st_mtime_ns) for p in
                                    Path(scenario.resolve(scenario.study_dir)).glob("*")))
        study = _study(str(scenario.resolve(scenario.study_dir)), files_key)
        result = run_scenario(scenario, source=task.source, study=study,
                              travel=_travel(scenario.travel), workers=1,
                              solution_store=SolutionStore(Path(task.solutions_dir)))
    except InputError as error:
        return failed_record(task, error.problems, started)
    except Exception as error:  # any failure of one variant is recorded; the study goes on
        return failed_record(task, [Problem(task.source, task.description, "run",
                                            f"{type(error).__name__}: {error}",
                                            "a variant that runs to a result")], started)
    return {"key": task.key, "status": DONE, "scenario": result.name,
            "kpi_per_week": dict(result.kpi_week), "kpi_per_year": dict(result.kpi_year),
            "notes": result.notes, "travel_model": result.travel.get("model"),
            "unserved_count": len(result.unserved), "problems": [],
            "stage_s": result.provenance.get("stage_s", {}),
            "routing_problems_solved": result.provenance.get("routing_problems_solved"),
            "routing_problems_read_from_searches_in_flight": result.provenance.get(
                "routing_problems_read_from_searches_in_flight"),
            "wall_s": round(time.perf_counter() - started, 3), "code_version": code_version()}


def failed_record(task: VariantTask, problems: list[Problem] | tuple[Problem, ...],
                  started: float) -> dict[str, Any]:
    """The record of a variant that did not run to a result."""
    return {"key": task.key, "status": FAILED, "scenario": task.scenario.get("name"),
            "kpi_per_week": {}, "kpi_per_year": {}, "notes": [], "travel_model": None,
            "unserved_count": None,
            "problems": [{"source": p.source, "location": p.location, "field": p.field,
                          "found": p.found, "allowed": p.allowed} for p in problems],
            "wall_s": round(time.perf_counter() - started, 3), "code_version": code_version()}
