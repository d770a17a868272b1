"""Searches stop by solutions or iterations, record what stopped them, and give the same
routes on every run; PyVRP routes get the driver break their driving needs."""

from __future__ import annotations

import pytest

from logistics.errors import InputError
from logistics.routing.problem import Break, Solution
from logistics.routing.settings import SolverSettings, stop_reason
from logistics.routing.solve import solve
from logistics.routing.solvers.pyvrp import BreakDoesNotFit, solve_pyvrp
from logistics.routing.verify import verify_solution

from .routing_builders import job, plane_matrices, problem, vehicle

# Jobs 1..5 km east of the depot (point 0), at 36 km/h: 100 s between neighbours.
LINE_XY = [(0.0, 0.0), *((1000.0 * k, 0.0) for k in range(1, 6))]
LINE_JOBS = [job(f"j{k}", k, delivery_kg=10.0, service_duration_s=60.0) for k in range(1, 6)]
# 1,000 s of driving out and back; the break is due after 700 s.
SHORT_RULE = Break(duration_s=300.0, after_driving_s=700.0)
NO_CAP_S = 3600.0


def _route_order(solution: Solution) -> list[list[str]]:
    return [[v.job_id for v in r.visits] for r in solution.routes]


def test_stop_reason_names_the_limit_the_cap_or_neither() -> None:
    settings = SolverSettings(time_limit_s=10.0)
    assert stop_reason(settings, "solution_limit", 60, 60, 3.0) == "solution_limit"
    assert stop_reason(settings, "iteration_limit", 500, 120, 9.9) == "time_cap"
    assert stop_reason(settings, "solution_limit", None, 4_000, 10.0) == "time_cap"
    assert stop_reason(settings, "solution_limit", 60, 12, 0.5) == "no_improvement"


def test_ortools_counts_its_solutions_and_stops_at_the_limit() -> None:
    line = problem(LINE_XY, LINE_JOBS, [vehicle("a"), vehicle("b")])
    settings = SolverSettings(backend="ortools", solution_limit=5, time_limit_s=NO_CAP_S)
    first, again = solve(line, settings), solve(line, settings)
    assert first.solver["solutions"] == 5
    assert first.solver["stopped_by"] == "solution_limit"
    assert _route_order(first) == _route_order(again)
    assert first.objective_nok == again.objective_nok


def test_ortools_without_metaheuristic_stops_at_its_local_optimum() -> None:
    line = problem(LINE_XY, LINE_JOBS, [vehicle()])
    settings = SolverSettings(backend="ortools", metaheuristic="greedy_descent",
                              solution_limit=100_000, time_limit_s=NO_CAP_S)
    solution = solve(line, settings)
    assert solution.solver["stopped_by"] == "no_improvement"
    assert 0 < int(str(solution.solver["solutions"])) < 100_000


def test_pyvrp_stops_after_its_iterations_with_the_same_routes_every_run() -> None:
    line = problem(LINE_XY, LINE_JOBS, [vehicle("a"), vehicle("b")])
    settings = SolverSettings(backend="pyvrp", iteration_limit=40, iterations_per_stop=None,
                              time_limit_s=NO_CAP_S)
    first, again = solve(line, settings), solve(line, settings)
    assert first.solver["iterations"] == 40
    assert first.solver["stopped_by"] == "iteration_limit"
    assert _route_order(first) == _route_order(again)


def test_a_route_driving_less_than_the_rule_allows_has_no_break() -> None:
    rule = Break(duration_s=300.0, after_driving_s=1_000.0)
    line = problem(LINE_XY, LINE_JOBS, [vehicle(driver_break=rule)])
    solution = solve_pyvrp(line, SolverSettings(backend="pyvrp", iteration_limit=20))
    assert verify_solution(line, solution) == []
    assert [v.kind for r in solution.routes for v in r.visits].count("break") == 0
    (route,) = solution.routes
    assert route.duration_s == pytest.approx(1_000.0 + 5 * 60.0)


def test_a_route_driving_longer_than_the_rule_allows_gets_one_break_in_time() -> None:
    line = problem(LINE_XY, LINE_JOBS, [vehicle(driver_break=SHORT_RULE)])
    solution = solve(line, SolverSettings(backend="auto", iteration_limit=20))
    assert solution.solver["backend"] == "pyvrp"
    assert verify_solution(line, solution) == []
    (route,) = solution.routes
    kinds = [v.kind for v in route.visits]
    assert kinds.count("break") == 1
    # driving 1,000 s + service 5 x 60 s + the 300 s break, no waiting
    assert route.duration_s == pytest.approx(1_000.0 + 300.0 + 300.0)
    driven_before_s = sum(leg.duration_s for leg in route.legs[: kinds.index("break") + 1])
    assert 300.0 <= driven_before_s <= 700.0


def test_a_break_that_fits_on_no_stop_sends_the_problem_to_ortools() -> None:
    # the shift holds the drive and the service but not the break as well
    tight = vehicle(driver_break=SHORT_RULE, shift_s=(0.0, 1_400.0))
    line = problem(LINE_XY, LINE_JOBS, [tight])
    with pytest.raises(BreakDoesNotFit):
        solve_pyvrp(line, SolverSettings(backend="pyvrp", iteration_limit=20))
    solution = solve(line, SolverSettings(backend="auto", iteration_limit=20,
                                          solution_limit=20))
    assert solution.solver["backend"] == "ortools"
    assert "driver break" in str(solution.solver["pyvrp_declined"])
    assert verify_solution(line, solution) == []


def test_durations_come_from_the_plane_at_36_kmh() -> None:
    """The hand numbers above: 1 km between neighbouring points is 100 s."""
    matrices = plane_matrices(LINE_XY)
    assert matrices.duration_s[0, 1] == pytest.approx(100.0)
    assert matrices.duration_s[5, 0] == pytest.approx(500.0)


def test_the_auto_backend_refuses_ortools_settings_it_might_fall_back_to() -> None:
    line = problem(LINE_XY, LINE_JOBS, [vehicle()])
    with pytest.raises(InputError) as error:
        solve(line, SolverSettings(backend="auto", first_solution="teleport"))
    assert [p.field for p in error.value.problems] == ["first_solution"]


def test_pyvrp_effort_grows_with_the_stops_where_the_floor_is_too_little() -> None:
    settings = SolverSettings(iteration_limit=600, iterations_per_stop=5)
    assert settings.pyvrp_iterations(80) == 600  # 5 x 80 = 400: the floor rules
    assert settings.pyvrp_iterations(120) == 600
    assert settings.pyvrp_iterations(1_100) == 5_500
    assert SolverSettings(iterations_per_stop=None).pyvrp_iterations(1_100) == 850
    assert SolverSettings(iteration_limit=None).pyvrp_iterations(1_100) is None


def test_pyvrp_safety_cap_grows_with_the_iterations_so_the_count_still_stops() -> None:
    settings = SolverSettings(time_limit_s=60.0, iteration_limit=600, iterations_per_stop=5)
    assert settings.pyvrp_time_cap_s(80) == 60.0
    assert settings.pyvrp_time_cap_s(1_100) == 550.0  # 60 s x 5,500 / 600
    assert settings.pyvrp_time_cap_s(100_000) == 3_600.0
    assert SolverSettings(iteration_limit=None).pyvrp_time_cap_s(1_100) == 60.0


def test_pyvrp_search_of_a_larger_problem_runs_its_iterations_per_stop() -> None:
    line = problem(LINE_XY, LINE_JOBS, [vehicle("a"), vehicle("b")])
    settings = SolverSettings(backend="pyvrp", iteration_limit=10, iterations_per_stop=8,
                              time_limit_s=NO_CAP_S)
    first, again = solve(line, settings), solve(line, settings)
    assert line.stops == 5
    assert first.solver["iterations"] == 40  # 8 x 5 stops, above the floor of 10
    assert first.solver["iteration_limit"] == 40
    assert first.solver["stopped_by"] == "iteration_limit"
    assert _route_order(first) == _route_order(again)
