"""A checked scenario run to its result folder: the result files and the GIS layers.

The one place that glues a run to what it writes, for ``logistics run``, ``logistics
demo``, the API's job process and the benchmarks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from logistics.outputs.gis import write_layers
from logistics.pipeline.result import ScenarioResult, write_result
from logistics.pipeline.run import run_checked
from logistics.pipeline.scenario_check import CheckedScenario
from logistics.pipeline.solutions import Progress, SolutionStore
from logistics.scenarios.schema import Scenario


def run_to_folder(checked: CheckedScenario, folder: Path, *, workers: int | None = None,
                  progress: Progress | None = None,
                  solution_store: SolutionStore | None = None,
                  shown: Scenario | None = None,
                  started_by: Mapping[str, object] | None = None) -> ScenarioResult:
    """Run a checked scenario (no check again), write its result files and GIS layers
    into ``folder`` and return the result. ``shown`` is the scenario as written into
    ``result.json`` when it differs from the one run (the API's, with paths as the user
    gave them); ``started_by`` names the API key that started the run, for its
    provenance."""
    result = run_checked(checked, workers=workers, progress=progress,
                         solution_store=solution_store)
    if shown is not None:
        result = dataclasses.replace(result, scenario=shown)
    if started_by is not None:
        result = dataclasses.replace(result, provenance=dataclasses.replace(
            result.provenance, started_by=started_by))
    write_result(result, folder)
    write_layers(result, checked, folder)
    return result
