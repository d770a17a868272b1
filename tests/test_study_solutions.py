"""The shared solution cache: stored solutions read back equal, a second run of a
scenario solves nothing, and a result folder converts to DataFrames."""

from __future__ import annotations

from pathlib import Path

import pytest

from logistics.outputs.gis import write_layers
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline import solutions as pipeline_solutions
from logistics.pipeline.result import write_result
from logistics.pipeline.run import prepare_scenario, run_checked, run_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import SolutionStore, solution_key
from logistics.routing.settings import SolverSettings
from logistics.scenarios.files import load_scenario
from logistics.study import result_frames
from tests.conftest import make_small_dataset
from tests.study_helpers import QUICK_SOLVER


@pytest.fixture
def scenario(tmp_path: Path):  # type: ignore[no-untyped-def]
    data = make_small_dataset(tmp_path / "data", units=6)
    return load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml").with_overrides(
        {"dataset_dir": str(data), **QUICK_SOLVER})


def test_second_run_reads_every_solution_from_the_store(tmp_path: Path, scenario,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    solve = pipeline_solutions.solve
    monkeypatch.setattr(pipeline_solutions, "solve",
                        lambda problem, settings=None: calls.append(problem.name)
                        or solve(problem, settings))
    store = SolutionStore(tmp_path / "solutions")
    first = run_scenario(scenario, workers=1, solution_store=store)
    assert len(calls) == first.provenance.routing_problems == 5
    assert len(list(store.folder.glob("*.json"))) == 5
    second = run_scenario(scenario, workers=1, solution_store=store)
    assert len(calls) == 5  # nothing solved again
    assert second.kpi_week == first.kpi_week


def test_stored_solution_reads_back_equal(tmp_path: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    checked = check_scenario(scenario)
    plan = prepare_scenario(checked).plan
    problem = plan.problems[0].problem
    solution = pipeline_solutions.solve_problems(plan.problems[:1], scenario.solver, 1)[0]
    store = SolutionStore(tmp_path / "solutions")
    key = solution_key(problem, scenario.solver)
    assert store.get(key) is None
    store.put(key, solution)
    assert store.get(key) == solution
    other = SolverSettings(solution_limit=11)
    assert solution_key(problem, other) != key  # other settings, other solution


def test_damaged_solution_file_is_solved_again(tmp_path: Path) -> None:
    store = SolutionStore(tmp_path)
    store.path("abc").write_text("{not json", encoding="utf-8")
    assert store.get("abc") is None


def test_result_folder_as_dataframes(tmp_path: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    checked = check_scenario(scenario)
    result = run_checked(checked, workers=1)
    folder = write_result(result, tmp_path / "result")
    write_layers(result, checked, folder)
    frames = result_frames(folder)
    kpis = frames.kpis.set_index("kpi")
    assert frames.routes["distance_km"].sum() == pytest.approx(
        kpis.loc["vehicle_km_driven", "per_week"], rel=1e-3)
    assert kpis.loc["vehicle_km", "per_year"] == pytest.approx(result.kpi_year["vehicle_km"])
    assert set(frames.stops["route_id"]) == set(frames.routes["route_id"])
    assert frames.unserved.empty
    routes = frames.layers["routes"]
    assert len(routes) == len(frames.routes) and routes.crs.to_epsg() == 4326
    assert (routes.geometry.geom_type == "LineString").all()
    assert len(frames.layers["units"]) == 6
