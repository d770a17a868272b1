"""Study throughput and resilience cost (a benchmark, not a test).

* variants per minute of one small study (consolidated, 24 Bergen units, crow-fly,
  six variants that each change the routing) with 1 and 2 local worker processes and
  on a Dask cluster of two worker processes on loopback, each in a fresh study folder
  (no solution shared between the three);
* ``resilience --samples 20`` on a scenario as a ratio to one plain run of the same
  scenario, with its twin design (``--designs both``, the default) and for its own
  design alone (``--designs own``), each from an empty solution store.

Run: ``python -m benchmarks.studies [--scenario consolidated-ev] [--samples 20]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from logistics.analysis.resilience import Designs
from logistics.analysis.resilience.designs import design_variants
from logistics.analysis.resilience.report import resilience_report
from logistics.model.dataset import load_dataset
from logistics.paths import DATASET_DIR, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import run_scenario
from logistics.pipeline.scenario_check import check_file
from logistics.study.files import load_study_file
from logistics.study.run import run_study
from logistics.study.runners import DaskRunner, LocalRunner, Runner

THROUGHPUT_UNITS = 24


def _small_study(folder: Path) -> Path:
    """A copy of the Bergen study with its first units, and a six-variant study on it."""
    data = folder / "data"
    shutil.copytree(DATASET_DIR, data)
    with (DATASET_DIR / "units.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows, fields = list(reader)[:THROUGHPUT_UNITS], list(reader.fieldnames or [])
    with (data / "units.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    hubs = [h.id for h in load_dataset(data).hubs]
    study = {"name": "throughput", "base": "consolidated-ev",
             "overrides": {"dataset_dir": str(data)},
             "grid": {"hub": hubs, "frequency_per_week.dry_food": [1, 2]}}
    path = folder / "throughput.yaml"
    path.write_text(yaml.safe_dump(study), encoding="utf-8")
    return path


def _variants_per_minute(path: Path, runner: Runner, folder: Path) -> float:
    loaded = load_study_file(path)
    started = time.perf_counter()
    run_study(loaded, folder, runner)
    return 60 * len(loaded.variants) / (time.perf_counter() - started)


def throughput(folder: Path) -> dict[str, float]:
    """Variants per minute with 1 and 2 local workers and a two-worker Dask cluster."""
    from distributed import LocalCluster

    path = _small_study(folder)
    measured = {f"local_{n}_workers": _variants_per_minute(path, LocalRunner(n),
                                                           folder / f"local-{n}")
                for n in (1, 2)}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        measured["dask_2_workers"] = _variants_per_minute(
            path, DaskRunner(cluster.scheduler_address), folder / "dask")
    return {name: round(value, 2) for name, value in measured.items()}


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def resilience_ratio(scenario_name: str, samples: int) -> dict[str, Any]:
    """Wall time of the resilience report, with the twin design and for the scenario's
    own design alone, over one plain run of the same scenario (and, with the twin, over
    a plain run of each design it compares)."""
    path = SHIPPED_SCENARIOS_DIR / f"{scenario_name}.yaml"
    scenario, checked = check_file(path)
    plain_s = _timed(lambda: run_scenario(scenario, dataset=checked.dataset,
                                          travel=checked.travel))
    twin = design_variants(scenario)
    twin_s = sum(_timed(partial(run_scenario, variant, dataset=checked.dataset,
                                travel=checked.travel))
                 for name, variant in twin.items() if name != scenario.design)
    measured: dict[str, Any] = {"plain_run_s": round(plain_s, 1),
                                "plain_run_of_the_twin_design_s": round(twin_s, 1)}
    designs: tuple[Designs, ...] = ("both", "own")
    for chosen in designs:
        report_s = _timed(partial(resilience_report, scenario, checked.dataset, checked.travel,
                                  samples=samples, seed=1, designs=chosen))
        measured[f"designs_{chosen}"] = {"resilience_s": round(report_s, 1),
                                         "ratio": round(report_s / plain_s, 1)}
    measured["designs_both"]["ratio_to_both_plain_runs"] = round(
        measured["designs_both"]["resilience_s"] / (plain_s + twin_s), 1)
    return measured


def main() -> None:
    """Measure and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="consolidated-ev")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--only", choices=("throughput", "resilience"))
    arguments = parser.parse_args()
    measured: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        if arguments.only in (None, "throughput"):
            measured["variants_per_minute"] = throughput(Path(folder))
    if arguments.only in (None, "resilience"):
        measured["resilience"] = resilience_ratio(arguments.scenario, arguments.samples)
    print(json.dumps(measured, indent=2))


if __name__ == "__main__":
    main()
