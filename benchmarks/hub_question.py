"""The hub question study from an empty folder: speed, stages, memory, repeatability.

Runs ``studies/bergen-hub-question.yaml`` (or ``--study``) three times, each in a fresh
folder so nothing is shared between them:

1. locally with two worker processes: wall time, variants per minute, distinct routing
   problems solved (solutions in the study's store), solves summed over the workers
   (duplicates: more than the distinct ones) and duplicates avoided (problems a worker
   read from another's search in flight instead of solving), seconds by stage summed over
   the variants (planning, matrices, search, accounting; writing of records and tables),
   and peak memory of the process tree;
2. locally again: the checksum of every variant's KPIs must be the same (of those both
   runs finished, when one was stopped at ``--timeout-s``);
3. on a Dask ``LocalCluster`` of two worker processes on loopback: same checksum, and
   its variants per minute beside the local run's (their ratio, since the machine is
   shared);
4. the quality of its searches: on a seeded random sample of the distinct routing
   problems the study plans (``--quality-sample``), the default search against the best
   of ``--long-searches`` searches ``--long-factor`` times as long from other seeds
   (:mod:`benchmarks.search_gap`), with the deliveries each leaves unserved.

Each run is a fresh process (``--run-in FOLDER``) measured by
:mod:`benchmarks.process_memory`; the Dask workers are the cluster's processes, so the
Dask run's peak memory is the driver's alone.

    python -m benchmarks.hub_question [--study PATH] [--timeout-s 3600] [--no-dask]
        [--quality-sample 12] [--long-factor 4] [--long-searches 2] [--quality-only]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.process_memory import MeasuredProcess, run_measured_process
from benchmarks.search_gap import search_gaps
from logistics.paths import PROJECT_ROOT
from logistics.pipeline.run import prepare_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import SOLUTIONS_FOLDER, problem_key
from logistics.pipeline.stages import STAGES
from logistics.routing.problem import RoutingProblem
from logistics.routing.settings import SolverSettings
from logistics.study.files import LoadedStudy, load_study_file
from logistics.study.order import planning_inputs
from logistics.study.run import run_study
from logistics.study.runners import DaskRunner, LocalRunner, Runner
from logistics.study.store import DONE, RECORDS_FOLDER, StudyStore, VariantRecord

HUB_QUESTION_STUDY = PROJECT_ROOT / "studies" / "bergen-hub-question.yaml"
WORKERS = 2
TARGET_S = 600.0
"""Issue 25: the whole study in at most 10 minutes on 2 cores."""


def _records(folder: Path) -> list[VariantRecord]:
    store = StudyStore(folder)
    return [record for path in sorted((folder / RECORDS_FOLDER).glob("*.json"))
            if (record := store.record(path.stem)) is not None]


def kpi_checksum(records: list[VariantRecord]) -> str:
    """SHA-256 of every variant's status and KPIs (week and year) by variant name (its
    number in the study), so that runs of other code versions (other variant keys)
    compare; the order records were written in and their timings do not count."""
    content = sorted((r.scenario or "", r.status, dict(r.kpi_per_week), dict(r.kpi_per_year))
                     for r in records)
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def same_kpis(first: Path, second: Path) -> tuple[bool, int]:
    """Whether the variants recorded in both study folders have the same KPIs, and how
    many there are (fewer than the study's when a run was stopped at its timeout)."""
    ours, theirs = ({r.scenario: r for r in _records(folder)} for folder in (first, second))
    common = sorted(name for name in ours.keys() & theirs.keys() if name is not None)
    return (kpi_checksum([ours[name] for name in common])
            == kpi_checksum([theirs[name] for name in common]), len(common))


def stage_seconds(records: list[VariantRecord]) -> dict[str, float]:
    """Seconds by stage summed over the variants' records (worker time, not wall)."""
    return {stage: round(sum(float((r.stage_s or {}).get(stage, 0.0)) for r in records), 1)
            for stage in STAGES}


def summary(folder: Path, measured: MeasuredProcess, run: dict[str, Any]) -> dict[str, Any]:
    """What one run of the study measured, from its folder and its process."""
    records = _records(folder)
    done = sum(1 for r in records if r.status == DONE)
    distinct = len(list((folder / SOLUTIONS_FOLDER).glob("*.json")))
    solves = sum(r.routing_problems_solved or 0 for r in records)
    return {"status": measured.status, "wall_s": measured.wall_s,
            "variants_done": done, "variants_failed": len(records) - done,
            "variants_per_minute": round(60 * done / measured.wall_s, 1),
            "distinct_routing_problems_solved": distinct,
            "routing_problems_solved_by_workers": solves,
            "duplicate_solves": solves - distinct,
            "duplicate_solves_avoided": sum(
                r.routing_problems_read_from_searches_in_flight or 0 for r in records),
            "stage_s_summed_over_variants": {**stage_seconds(records),
                                             "writing": run.get("writing_s")},
            "peak_mib_driver": measured.peak_mib_process,
            "peak_mib_all_processes_sampled": measured.peak_mib_all_processes_sampled,
            "kpi_checksum": kpi_checksum(records)}


def measured_run(study: Path, folder: Path, timeout_s: float,
                 scheduler: str | None = None) -> dict[str, Any]:
    """Run the study into the empty ``folder`` in a fresh process and summarise it."""
    command = [sys.executable, "-m", "benchmarks.hub_question", "--study", str(study),
               "--run-in", str(folder)]
    if scheduler is not None:
        command += ["--scheduler", scheduler]
    stdout = folder.parent / f"{folder.name}.json"
    measured = run_measured_process(command, stdout, timeout_s)
    text = stdout.read_text(encoding="utf-8").strip()
    run = json.loads(text.splitlines()[-1]) if text else {}
    return summary(folder, measured, run)


def run_in(study: Path, folder: Path, scheduler: str | None) -> None:
    """Run the study into ``folder`` (the measured child process); print its run."""
    runner: Runner = LocalRunner(WORKERS) if scheduler is None else DaskRunner(scheduler)
    result = run_study(load_study_file(study), folder, runner)
    print(json.dumps({"variants": result.variants, "ran": result.ran,
                      "failed": result.failed, "writing_s": result.writing_s}))


def study_problems(loaded: LoadedStudy) -> list[tuple[RoutingProblem, SolverSettings]]:
    """Every distinct routing problem the study's variants plan, with the solver settings
    of the variant that planned it first (variants with equal planning inputs are
    planned once)."""
    planned: set[str] = set()
    problems: dict[str, tuple[RoutingProblem, SolverSettings]] = {}
    for variant in loaded.variants:
        inputs = planning_inputs(variant.scenario)
        if inputs in planned:
            continue
        planned.add(inputs)
        checked = check_scenario(variant.scenario, loaded.source)
        for problem in prepare_scenario(checked).plan.problems:
            problems.setdefault(problem_key(problem.problem),
                                (problem.problem, variant.scenario.solver))
    return list(problems.values())


def search_quality(loaded: LoadedStudy, sample: int, factor: int, searches: int,
                   seed: int = 1) -> dict[str, Any]:
    """The default search against longer ones on ``sample`` of the study's distinct
    routing problems, drawn with ``seed``: per problem, and the mean and worst gap."""
    problems = study_problems(loaded)
    drawn = random.Random(seed).sample(problems, min(sample, len(problems)))
    drawn.sort(key=lambda task: (task[0].stops, task[0].name))
    gaps = search_gaps(drawn, factor, searches, WORKERS)
    return {"distinct_problems": len(problems), "sample": len(drawn), "sample_seed": seed,
            "long_factor": factor, "long_searches": searches,
            "problems": [gap.row() for gap in gaps],
            "mean_gap_pct": round(statistics.fmean(g.gap_pct for g in gaps), 2) if gaps else None,
            "max_gap_pct": round(max((g.gap_pct for g in gaps), default=0.0), 2),
            "extra_unserved_deliveries": sum(g.default_unserved - g.long_unserved
                                             for g in gaps)}


def main() -> None:
    """Measure and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=HUB_QUESTION_STUDY)
    parser.add_argument("--timeout-s", type=float, default=3600.0,
                        help="stop a run that takes longer (it is reported as stopped)")
    parser.add_argument("--no-rerun", action="store_true", help="skip the second local run")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    parser.add_argument("--quality-sample", type=int, default=12,
                        help="distinct routing problems of the study whose default search "
                             "is compared with longer ones (0: none)")
    parser.add_argument("--long-factor", type=int, default=4,
                        help="the long searches run this many times the default's count")
    parser.add_argument("--long-searches", type=int, default=2,
                        help="long searches per problem, each from its own seed")
    parser.add_argument("--quality-only", action="store_true",
                        help="measure the searches' quality only, not the study's runs")
    parser.add_argument("--run-in", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scheduler", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.long_factor < 1 or arguments.long_searches < 1:
        parser.error("--long-factor and --long-searches: at least 1")
    if arguments.run_in is not None:
        run_in(arguments.study, arguments.run_in, arguments.scheduler)
        return
    study, timeout_s = arguments.study, arguments.timeout_s
    loaded = load_study_file(study)
    measured: dict[str, Any] = {"study": study.name, "variants": len(loaded.variants)}
    if arguments.quality_sample > 0:
        measured["search_quality"] = search_quality(
            loaded, arguments.quality_sample, arguments.long_factor, arguments.long_searches)
        print(json.dumps({"search_quality": measured["search_quality"]}, indent=2),
              flush=True)
    if arguments.quality_only:
        return
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        measured["local"] = local = measured_run(study, folder / "local", timeout_s)
        print(json.dumps({"local": local}, indent=2), flush=True)
        if not arguments.no_rerun:
            rerun = measured_run(study, folder / "rerun", timeout_s)
            measured["rerun"] = rerun
            measured["rerun_same_kpis"], measured["rerun_variants_compared"] = same_kpis(
                folder / "local", folder / "rerun")
        if not arguments.no_dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster:
                dask = measured_run(study, folder / "dask", timeout_s,
                                    cluster.scheduler_address)
            measured["dask_2_workers"] = dask
            measured["dask_same_kpis"], measured["dask_variants_compared"] = same_kpis(
                folder / "local", folder / "dask")
            measured["dask_over_local_variants_per_minute"] = round(
                dask["variants_per_minute"] / local["variants_per_minute"], 2)
    measured["local_within_target"] = (local["status"] == "finished"
                                       and local["wall_s"] <= TARGET_S)
    print(json.dumps(measured, indent=2))


if __name__ == "__main__":
    main()
