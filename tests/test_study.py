"""Studies: validation of study files, expansion into variants, running with a resumable
store (finished variants never solved again, a killed study resumes), failures recorded,
the results table and the DataFrame API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import logistics.study
from logistics.cli.app import app
from logistics.errors import InputError
from logistics.paths import PROJECT_ROOT
from logistics.pipeline import solutions as pipeline_solutions
from logistics.study import runners
from logistics.study.files import STUDY_SCHEMA_FILE, load_study_file, study_json_schema
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.store import RECORDS_FOLDER
from tests.study_helpers import write_study

cli = CliRunner()


@pytest.fixture
def solve_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the routing problems solved in this process."""
    calls: list[str] = []
    solve = pipeline_solutions.solve

    def counting(problem, settings=None):  # type: ignore[no-untyped-def]
        calls.append(problem.name)
        return solve(problem, settings)

    monkeypatch.setattr(pipeline_solutions, "solve", counting)
    return calls


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Descriptions of the variants run in this process."""
    ran: list[str] = []
    execute = runners.execute_variant

    def counting(task):  # type: ignore[no-untyped-def]
        ran.append(task.description)
        return execute(task)

    monkeypatch.setattr(runners, "execute_variant", counting)
    return ran


def test_checked_in_schema_is_the_generated_one() -> None:
    assert STUDY_SCHEMA_FILE.read_text(encoding="utf-8") == study_json_schema()


def test_bad_study_fields_exit_2_with_every_problem(tmp_path: Path) -> None:
    path = write_study(tmp_path, monte_carlo={"samples": 0}, colour="blue",
                       report={"metrics": ["co2e_wtw_kg", "happiness"]})
    result = cli.invoke(app, ["study", "run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "3 input problem(s)" in text
    assert "monte_carlo.samples" in text and "colour" in text and "happiness" in text
    assert not (tmp_path / "out").exists()  # nothing ran


def test_bad_variants_and_references_listed_together(tmp_path: Path) -> None:
    path = write_study(
        tmp_path,
        grid={"hub": ["kokstad", "fjord-floor"],
              "emissions.electricity_basis": ["location_nve_2022", "coal"]},
        monte_carlo={"samples": 2, "apply_to": {"hub": ["asane"]}},
        report={"headline": {"metric": "co2e_wtw_kg", "axis": "design", "baseline": "direct",
                             "option": "consolidated"}})
    with pytest.raises(InputError) as caught:
        load_study_file(path)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["emissions.electricity_basis", "hub", "monte_carlo.apply_to.hub",
                      "report.headline.baseline", "report.headline.option"]
    hub = next(p for p in caught.value.problems if p.field == "hub")
    assert hub.found == "'fjord-floor'" and "kokstad" in hub.allowed
    assert hub.location.startswith("variant 3 (hub=fjord-floor")  # the first naming it


def test_unknown_dotted_path_is_refused(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hubb": ["kokstad"], "name": ["x"]})
    with pytest.raises(InputError) as caught:
        load_study_file(path)
    assert sorted(p.field for p in caught.value.problems) == ["grid.hubb", "grid.name"]


def test_expansion_order_counts_and_settings(tmp_path: Path) -> None:
    path = write_study(
        tmp_path,
        grid={"hub": ["kokstad", "nygardstangen"],
              "design": ["direct", "consolidated"]},
        one_at_a_time=[{"name": "detour", "low": {"travel.detour_factor": 1.3},
                        "high": {"travel.detour_factor": 1.72}}],
        monte_carlo={"samples": 3, "seed": 4, "apply_to": {"hub": ["kokstad"]}})
    variants = load_study_file(path).variants
    # (base + detour low + detour high) x 4 grid points, + 3 samples on the 2 kokstad points
    assert len(variants) == 3 * 4 + 2 * 3
    assert [v.number for v in variants] == list(range(1, 19))
    first = variants[0]
    assert first.labels == {"hub": "kokstad", "design": "direct"}
    assert [v.kind for v in variants[:5]] == ["grid", "monte_carlo", "monte_carlo",
                                              "monte_carlo", "grid"]
    samples = variants[1:4]
    assert all(len(v.scenario.disruptions) == 1 for v in samples)
    assert [v.sample for v in samples] == [0, 1, 2]
    # every grid point gets the same draws
    second_point = [v for v in variants if v.kind == "monte_carlo"
                    and v.labels["design"] == "consolidated"]
    assert [v.sample_disruption for v in second_point] == [v.sample_disruption for v in samples]
    low = [v for v in variants if v.level == "low"]
    assert len(low) == 4 and all(v.scenario.travel.detour_factor == 1.3 for v in low)
    assert all(v.scenario.solver.solution_limit == 10 for v in variants)
    assert len({v.key for v in variants}) == len(variants)


def test_variant_keys_ignore_names_and_follow_content(tmp_path: Path) -> None:
    one = load_study_file(write_study(tmp_path, name="one")).variants
    other = load_study_file(write_study(tmp_path, name="other")).variants
    assert [v.key for v in one] == [v.key for v in other]
    basis = load_study_file(write_study(
        tmp_path, name="basis", overrides={"dataset_dir": str(tmp_path / "data"),
                                           "emissions.electricity_basis":
                                               "residual_mix_nve_2020"})).variants
    assert {v.key for v in basis}.isdisjoint(v.key for v in one)


def test_rerun_skips_finished_variants(tmp_path: Path, solve_calls: list[str],
                                       executions: list[str]) -> None:
    loaded = load_study_file(write_study(tmp_path))
    first = run_study(loaded, tmp_path / "out", LocalRunner(1))
    assert (first.ran, first.skipped, first.failed) == (2, 0, 0)
    assert len(executions) == 2 and solve_calls  # consolidated: one problem per day
    solved_first = len(solve_calls)
    assert solved_first == 2 * 5
    second = run_study(loaded, tmp_path / "out", LocalRunner(1))
    assert (second.ran, second.skipped) == (0, 2)
    assert len(executions) == 2 and len(solve_calls) == solved_first


def test_variants_share_solutions(tmp_path: Path, solve_calls: list[str]) -> None:
    """The electricity basis changes the accounts, not the routing: the second basis
    reuses every solution of the first."""
    loaded = load_study_file(write_study(
        tmp_path, grid={"emissions.electricity_basis": ["location_nve_2022",
                                                        "residual_mix_nve_2020"]}))
    run_study(loaded, tmp_path / "out", LocalRunner(1))
    assert len(solve_calls) == 5  # five days of the first variant, none of the second
    frame = logistics.study.load(tmp_path / "out")
    assert frame["vehicle_km"].nunique() == 1
    assert frame.loc[1, "co2e_wtw_kg"] > frame.loc[0, "co2e_wtw_kg"]  # 402 g/kWh residual


def test_killed_study_resumes_without_losing_or_redoing_work(
        tmp_path: Path, executions: list[str]) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad", "nygardstangen", "asane"],
                                       "frequency_per_week.default": [1, 2]})
    out = tmp_path / "out"
    records = out / RECORDS_FOLDER
    process = subprocess.Popen(
        [sys.executable, "-m", "logistics", "study", "run", str(path), "--workers", "1",
         "--out", str(out)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=os.environ | {"LOGISTICS_WORKERS": "1"})
    try:
        for _ in range(1200):  # until the first variant is stored (at most 120 s)
            if records.exists() and any(records.glob("*.json")):
                break
            if process.poll() is not None:
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    before = {p.name: p.read_bytes() for p in records.glob("*.json")}
    assert 1 <= len(before) < 6
    assert logistics.study.load(out)["status"].value_counts()["pending"] == 6 - len(before)
    resumed = run_study(load_study_file(path), out, LocalRunner(1))
    assert (resumed.ran, resumed.skipped) == (6 - len(before), len(before))
    assert len(executions) == 6 - len(before)
    assert {p.name: p.read_bytes() for p in records.glob("*.json") if p.name in before} \
        == before
    frame = logistics.study.load(out)
    assert (frame["status"] == "done").all() and len(frame) == 6


def test_failed_variant_is_recorded_and_the_study_goes_on(tmp_path: Path,
                                                          cache_dir: Path) -> None:
    path = write_study(tmp_path, grid={"travel": {"crow-fly": {"model": "crow_fly"},
                                                  "road": {"model": "road",
                                                           "network": "nowhere"}}})
    result = cli.invoke(app, ["study", "run", str(path), "--workers", "1",
                              "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    frame = logistics.study.load(tmp_path / "out")
    assert list(frame["status"]) == ["done", "failed"]
    assert "network" in frame.loc[1, "problems"] and "nowhere" in frame.loc[1, "problems"]
    assert frame.loc[0, "served_demand_share"] == 1.0
    assert pd.isna(frame.loc[1, "co2e_wtw_kg"])
    status = cli.invoke(app, ["study", "status", str(tmp_path / "out")])
    assert status.exit_code == 0
    assert "failed" in status.output and "nowhere" in status.output


def test_results_table_files_agree(tmp_path: Path) -> None:
    loaded = load_study_file(write_study(tmp_path))
    run_study(loaded, tmp_path / "out", LocalRunner(1))
    frame = logistics.study.load(tmp_path / "out")
    assert list(frame["hub"]) == ["kokstad", "nygardstangen"]
    parquet = pd.read_parquet(tmp_path / "out" / "results.parquet")
    csv = pd.read_csv(tmp_path / "out" / "results.csv")
    xlsx = pd.read_excel(tmp_path / "out" / "results.xlsx")
    for table in (parquet, csv, xlsx):
        assert list(table["variant"]) == [1, 2]
        assert table["co2e_wtw_kg"].tolist() == pytest.approx(frame["co2e_wtw_kg"].tolist())
    records = [json.loads((tmp_path / "out" / RECORDS_FOLDER / f"{key}.json").read_text())
               for key in frame["key"]]
    weeks = [r["kpi_per_week"]["vehicle_km"] for r in records]
    assert frame["vehicle_km"].tolist() == weeks
    year = frame["vehicle_km_per_year"] / frame["vehicle_km"]
    # each route's weeks are those of the units it serves: schools 38, kindergartens 47
    assert ((year > 38.0) & (year < 47.0)).all()


def test_load_of_a_folder_without_a_study_exits_2(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        logistics.study.load(tmp_path)
    result = cli.invoke(app, ["study", "status", str(tmp_path)])
    assert result.exit_code == 2 and "study.json" in result.output
