"""The shipped hub-question study's shape, the stage times of a study run, and the KPI
checksum its benchmark compares runs with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from benchmarks.hub_question import (
    HUB_QUESTION_STUDY,
    kpi_checksum,
    same_kpis,
    search_quality,
    stage_seconds,
    study_problems,
)
from logistics.paths import PROJECT_ROOT
from logistics.pipeline.run import prepare_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import problem_key
from logistics.pipeline.stages import STAGES
from logistics.study.files import load_study_file
from logistics.study.order import work_order
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.store import DONE, StudyStore, VariantRecord
from tests.study_helpers import write_study


def test_hub_question_study_crosses_sites_fleets_frequencies_inputs_and_outages() -> None:
    loaded = load_study_file(HUB_QUESTION_STUDY)
    base_points = 3 * 3 * 3  # sites x fleets x frequency policies
    kinds = Counter(v.kind for v in loaded.variants)
    assert kinds == {"grid": base_points, "sensitivity": base_points * 6 * 2,
                     "monte_carlo": base_points * 20}
    inputs = {s.name for s in loaded.study.one_at_a_time}
    assert inputs == {"hub cost", "shared-route share", "driver cost per hour",
                      "detour factor", "electricity basis", "hub energy"}
    assert set(loaded.study.axis_labels("fleet.hub")) == {"electric", "diesel",
                                                           "electric-vans"}


def test_study_records_time_by_stage_and_reruns_to_the_same_kpis(tmp_path: Path) -> None:
    path = write_study(tmp_path)
    loaded = load_study_file(path)
    first = run_study(loaded, tmp_path / "first", LocalRunner(1))
    records = [StudyStore(tmp_path / "first").record(v.key) for v in loaded.variants]
    assert first.ran == 2 and first.failed == 0 and first.writing_s > 0
    for record in records:
        assert record is not None and record.status == DONE and record.stage_s is not None
        stages = record.stage_s
        assert set(stages) == set(STAGES)
        assert all(seconds >= 0 for seconds in stages.values())
        assert sum(stages.values()) <= record.wall_s
        assert stages["search"] > 0 and stages["planning"] > 0
    done = [r for r in records if r is not None]
    assert stage_seconds(done)["search"] == round(sum((r.stage_s or {})["search"]
                                                      for r in done), 1)
    run_study(loaded, tmp_path / "again", LocalRunner(1))
    again = [StudyStore(tmp_path / "again").record(v.key) for v in loaded.variants]
    assert kpi_checksum(done) == kpi_checksum([r for r in reversed(again) if r is not None])


def test_kpi_checksum_sees_a_changed_kpi_and_ignores_timings() -> None:
    record = VariantRecord(key="a", status=DONE, scenario="study-v0001",
                           kpi_per_week={"cost_nok": 100.0}, kpi_per_year={"cost_nok": 5200.0},
                           notes=(), travel_model="crowfly", unserved_count=0, problems=(),
                           wall_s=1.0, code_version="x")
    slower = replace(record, wall_s=9.0, stage_s={"search": 8.0})
    dearer = replace(record, kpi_per_week={"cost_nok": 100.01})
    assert kpi_checksum([record]) == kpi_checksum([slower])
    assert kpi_checksum([record]) != kpi_checksum([dearer])
    assert kpi_checksum([record]) == kpi_checksum([replace(record, key="b")])  # other code


def test_base_points_run_first_and_accounting_variants_solve_nothing(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad"]},
                       one_at_a_time=[{"name": "hub energy",
                                       "low": {"emissions.hub_energy_scale": 0.5},
                                       "high": {"emissions.hub_energy_scale": 2.0}}],
                       monte_carlo={"samples": 2, "seed": 1})
    loaded = load_study_file(path)
    ordered = work_order(loaded.variants)
    assert [v.kind for v in ordered] == ["grid", "monte_carlo", "monte_carlo",
                                         "sensitivity", "sensitivity"]
    assert [v.kind for v in loaded.variants][:2] == ["grid", "monte_carlo"]
    run_study(loaded, tmp_path / "out", LocalRunner(1))
    store = StudyStore(tmp_path / "out")
    records = {(v.kind, v.level): store.record(v.key) for v in loaded.variants
               if v.kind != "monte_carlo"}
    solved = {where: record.routing_problems_solved for where, record in records.items()
              if record is not None}
    assert (solved[("grid", "base")] or 0) > 0
    assert solved[("sensitivity", "low")] == solved[("sensitivity", "high")] == 0


def test_benchmark_runs_from_an_empty_folder_and_counts_solves(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study", monte_carlo={"samples": 1, "seed": 1})
    empty = tmp_path / "empty"
    empty.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    finished = subprocess.run(
        [sys.executable, "-m", "benchmarks.hub_question", "--study", str(study), "--no-dask",
         "--quality-sample", "0"],
        cwd=empty, env=environment, capture_output=True, text=True, timeout=600, check=True)
    text = finished.stdout
    measured = json.loads(text[text.rindex("\n{") + 1:])  # the last, whole report
    local = measured["local"]
    assert measured["variants"] == 4 and local["variants_done"] == 4
    assert local["variants_failed"] == 0 and local["status"] == "finished"
    assert local["routing_problems_solved_by_workers"] == (
        local["distinct_routing_problems_solved"] + local["duplicate_solves"])
    assert local["duplicate_solves"] == 0 and local["distinct_routing_problems_solved"] > 0
    assert measured["rerun_same_kpis"] is True and measured["rerun_variants_compared"] == 4
    assert set(local["stage_s_summed_over_variants"]) == {*STAGES, "writing"}
    assert list(empty.iterdir()) == []  # nothing left behind where it ran


def test_runs_compare_on_the_variants_both_finished(tmp_path: Path) -> None:
    def write(folder: Path, kpis: dict[str, float]) -> None:
        store = StudyStore(folder)
        for name, cost in kpis.items():
            store.save(VariantRecord(
                key=f"{folder.name}-{name}", status=DONE, scenario=name,
                kpi_per_week={"cost_nok": cost}, kpi_per_year={}, notes=(), travel_model=None,
                unserved_count=0, problems=(), wall_s=1.0, code_version="x"))

    write(tmp_path / "whole", {"v1": 1.0, "v2": 2.0, "v3": 3.0})
    write(tmp_path / "stopped", {"v1": 1.0, "v3": 3.0})
    write(tmp_path / "other", {"v2": 2.5, "v3": 3.0})
    assert same_kpis(tmp_path / "whole", tmp_path / "stopped") == (True, 2)
    assert same_kpis(tmp_path / "whole", tmp_path / "other") == (False, 2)


def test_search_quality_compares_the_default_with_longer_searches(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad"]},
                       one_at_a_time=[{"name": "detour factor",
                                       "low": {"travel.detour_factor": 1.3},
                                       "high": {"travel.detour_factor": 1.72}},
                                      {"name": "hub energy",
                                       "low": {"emissions.hub_energy_scale": 0.5},
                                       "high": {"emissions.hub_energy_scale": 2.0}}])
    loaded = load_study_file(path)
    problems = study_problems(loaded)
    keys = [problem_key(problem) for problem, _ in problems]
    assert all(settings.iteration_limit == 50 for _, settings in problems)  # the variants'

    assert len(set(keys)) == len(keys)
    planned = {problem_key(p.problem) for variant in loaded.variants
               for p in prepare_scenario(check_scenario(variant.scenario,
                                                        loaded.source)).plan.problems}
    assert planned == set(keys)  # every problem some variant plans, each once
    measured = search_quality(loaded, sample=2, factor=2, searches=2)
    rows = measured["problems"]
    assert measured["distinct_problems"] == len(problems)
    assert measured["sample"] == len(rows) == 2
    for row in rows:
        assert row["long_iterations"] == 2 * row["default_iterations"]
        by_hand_pct = 100 * (row["default_nok"] / min(row["default_nok"], row["long_nok"]) - 1)
        assert abs(row["gap_pct"] - by_hand_pct) < 0.01  # the NOK shown are rounded
        assert row["gap_pct"] >= 0
    assert measured["max_gap_pct"] == max(row["gap_pct"] for row in rows)
    assert measured["extra_unserved_deliveries"] == sum(
        row["default_unserved"] - row["long_unserved"] for row in rows)
    again = search_quality(loaded, sample=2, factor=2, searches=2)
    assert again["problems"] == rows  # searches stop by count: the same on a rerun
