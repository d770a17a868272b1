"""The benchmark runner and its CLI, through the product's solve() entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.best_of_seeds import search_settings, solve_best_of_seeds
from benchmarks.cli import bench_app
from benchmarks.vrp_instances import gap_pct, run_instance
from benchmarks.vrplib import read_instance, to_routing_problem
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.verify import verify_solution

from .vrplib_fixtures import three_node_vrptw

SHARED = Path(__file__).parents[2] / "shared" / "benchmarks" / "vrp"

# Capacity 10 < 4 + 7 forces one route per customer: the optimum is
# 2 * 1.4 + 2 * 5.0 = 12.8 (distances truncated to one decimal).
FORCED_VRPTW = three_node_vrptw("forced", customer_window_ends=(50, 50))


@pytest.fixture
def forced(tmp_path: Path) -> Path:
    path = tmp_path / "forced.vrp"
    path.write_text(FORCED_VRPTW)
    path.with_suffix(".sol").write_text("Route #1: 1\nRoute #2: 2\nCost 12.8\n")
    return path


@pytest.mark.parametrize("backend", ["ortools", "pyvrp"])
def test_forced_instance_reaches_its_optimum_through_solve(forced: Path, backend: str) -> None:
    result = run_instance(forced, time_limit_s=0.5, backend=backend)
    assert result.feasible
    assert result.objective == pytest.approx(12.8)
    assert result.gap_pct == 0.0
    assert result.vehicles == 2
    assert (result.backend, result.cores) == (backend, 1)


def test_gap_is_relative_to_best_known() -> None:
    assert gap_pct(101.0, 100.0) == 1.0
    assert gap_pct(827.2999999999, 827.3) == 0.0


def test_cli_prints_one_json_object_per_instance(forced: Path) -> None:
    outcome = CliRunner().invoke(bench_app, ["vrp", str(forced), str(forced), "--time-limit-s",
                                             "0.3", "--cores", "1", "--json"])
    assert outcome.exit_code == 0, outcome.output
    lines = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) == {"instance", "objective", "bks", "gap_pct", "vehicles", "feasible",
                             "wall_s", "backend", "cores"}
    assert lines[0]["instance"] == "forced"
    assert lines[0]["bks"] == 12.8
    assert lines[0]["feasible"] is True
    assert lines[0]["backend"] == "pyvrp"  # the product's search, without --backend


def test_cli_table_and_bad_input(forced: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(bench_app, ["vrp", str(forced), "--time-limit-s", "0.3",
                                      "--backend", "pyvrp", "--cores", "1"])
    assert table.exit_code == 0, table.output
    assert "forced" in table.stdout
    assert "1 cores" in table.stdout
    missing = runner.invoke(bench_app, ["vrp", str(tmp_path / "none.vrp")])
    assert missing.exit_code == 2
    unknown = runner.invoke(bench_app, ["vrp", str(forced), "--backend", "gurobi"])
    assert unknown.exit_code == 2


@pytest.mark.skipif(not (SHARED / "solomon" / "C101.vrp").is_file(),
                    reason="shared benchmark instances absent")
def test_two_parallel_searches_keep_the_better_one() -> None:
    problem = to_routing_problem(read_instance(SHARED / "solomon" / "R101.vrp"))
    settings = SolverSettings(time_limit_s=60.0, iteration_limit=200, iterations_per_stop=None,
                              seed=5, backend="pyvrp")
    solution = solve_best_of_seeds(problem, settings, searches=2)
    # Each search, stopped by its iteration count, is the one solve() finds alone.
    alone = [solve(problem, settings.with_overrides({"seed": seed})).objective_nok
             for seed in (5, 6)]
    assert solution.solver["objectives_nok"] == alone
    assert solution.objective_nok == min(alone)
    assert solution.solver["searches"] == 2
    assert solution.solver["best_seed"] == 5 + alone.index(min(alone))
    assert verify_solution(problem, solution) == []


def test_searches_differ_by_seed_and_first_solution_when_left_on_auto() -> None:
    auto = SolverSettings(seed=7)
    singles = [search_settings(auto, k) for k in range(3)]
    assert [s.seed for s in singles] == [7, 8, 9]
    assert singles[0].first_solution == "auto"
    assert len({s.first_solution for s in singles}) == 3
    chosen = SolverSettings(first_solution="savings")
    assert {search_settings(chosen, k).first_solution for k in range(2)} == {"savings"}
