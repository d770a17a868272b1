"""The OR-Tools adapter: every constraint family, checked with the independent checker."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from logistics.errors import InputError
from logistics.routing.problem import Solution, UnservedReason
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.verify import verify_solution
from tests.routing_builders import job, plane_matrices, problem, vehicle

FAST = SolverSettings(time_limit_s=0.5, backend="ortools")
H = 3600.0


def solved(p, settings: SolverSettings = FAST) -> Solution:  # type: ignore[no-untyped-def]
    solution = solve(p, settings)
    assert verify_solution(p, solution) == []
    return solution


def served_ids(solution: Solution) -> set[str]:
    return {v.job_id for r in solution.routes for v in r.visits if v.kind in ("delivery", "pickup")}


def test_capacity_in_kg_and_m3_splits_routes() -> None:
    xy = [(0, 0), (1000, 0), (2000, 0), (0, 1000), (0, 2000)]
    heavy = [job(f"k{i}", i, delivery_kg=300.0) for i in (1, 2)]
    bulky = [job(f"m{i}", i, delivery_m3=3.0) for i in (3, 4)]
    fleet = [vehicle("a", capacity_kg=400.0, capacity_m3=4.0),
             vehicle("b", capacity_kg=400.0, capacity_m3=4.0)]
    solution = solved(problem(xy, heavy + bulky, fleet))
    assert not solution.unserved
    for route in solution.routes:
        ids = {v.job_id for v in route.visits}
        assert not {"k1", "k2"} <= ids and not {"m3", "m4"} <= ids
        assert route.legs[0].load_kg == pytest.approx(sum(
            300.0 for i in ids if i.startswith("k")))


def test_pickups_ride_back_and_deliveries_leave_with_the_vehicle() -> None:
    """A (collect 80 kg) must come after B (deliver 80 kg) in a 100 kg van; windows forbid it."""
    xy = [(0, 0), (1000, 0), (2000, 0)]
    collect = job("collect", 1, ((7 * H, 8 * H),), pickup_kg=80.0)
    deliver = job("deliver", 2, ((10 * H, 11 * H),), delivery_kg=80.0)
    solution = solved(problem(xy, [collect, deliver], [vehicle(capacity_kg=100.0)]))
    assert len(solution.unserved) == 1


def test_pickup_after_delivery_fits() -> None:
    xy = [(0, 0), (1000, 0), (2000, 0)]
    deliver = job("deliver", 1, ((7 * H, 8 * H),), delivery_kg=80.0)
    collect = job("collect", 2, ((10 * H, 11 * H),), pickup_kg=80.0)
    solution = solved(problem(xy, [collect, deliver], [vehicle(capacity_kg=100.0)]))
    assert not solution.unserved
    loads = [v.load_kg for v in solution.routes[0].visits]
    assert loads == pytest.approx([0.0, 80.0])


def test_several_windows_use_the_one_that_fits_the_shift() -> None:
    xy = [(0, 0), (3600, 0)]
    two_windows = job("j", 1, ((7 * H, 7.5 * H), (12 * H, 12.5 * H)), service_duration_s=600)
    solution = solved(problem(xy, [two_windows], [vehicle(shift_s=(9 * H, 17 * H))]))
    visit = solution.routes[0].visits[0]
    assert 12 * H <= visit.start_s <= 12.5 * H
    # the route starts as late as the first stop allows: no idling at the depot
    assert solution.routes[0].start_s == pytest.approx(visit.start_s - 360.0)
    assert visit.arrival_s == pytest.approx(visit.start_s)


def test_gap_between_windows_is_never_used() -> None:
    xy = [(0, 0), (100, 0), (200, 0)]
    jobs = [job("a", 1, ((8 * H, 8.1 * H), (10 * H, 10.1 * H)), service_duration_s=0.5 * H),
            job("b", 2, ((8 * H, 8.2 * H),), service_duration_s=0.5 * H)]
    solution = solved(problem(xy, jobs, [vehicle()]))
    starts = {v.job_id: v.start_s for v in solution.routes[0].visits}
    assert 10 * H <= starts["a"] <= 10.1 * H + 1e-6 and starts["b"] <= 8.2 * H + 1e-6


def test_max_route_duration_and_shift() -> None:
    xy = [(0, 0), (18000, 0), (-18000, 0)]  # 30 min each way at 36 km/h
    jobs = [job("east", 1, service_duration_s=1800), job("west", 2, service_duration_s=1800)]
    fleet = [vehicle("a", max_duration_s=2.5 * H), vehicle("b", max_duration_s=2.5 * H)]
    solution = solved(problem(xy, jobs, fleet))
    assert len(solution.routes) == 2 and not solution.unserved
    narrow = solved(problem(xy, jobs, [vehicle(shift_s=(8 * H, 10.5 * H))]))
    assert len(served_ids(narrow)) == 1


def test_fixed_cost_and_per_km_cost_choose_the_cheap_vehicle() -> None:
    xy = [(0, 0), (5000, 0), (5000, 5000)]
    jobs = [job("a", 1), job("b", 2)]
    fleet = [vehicle("dear", fixed_cost_nok=2000.0), vehicle("cheap", fixed_cost_nok=100.0)]
    solution = solved(problem(xy, jobs, fleet))
    assert [r.vehicle_id for r in solution.routes] == ["cheap"]
    route = solution.routes[0]
    expected = 100.0 + route.distance_m / 1000 * 5.0 + route.duration_s / H * 400.0
    assert solution.objective_nok == pytest.approx(expected)


def test_each_vehicle_drives_on_its_own_profile() -> None:
    xy = [(0, 0), (6000, 0)]
    slow = plane_matrices(xy, speed_kmh=12.0, profile="bike")
    p = problem(xy, [job("a", 1)], [vehicle("bike", profile="bike")],
                extra_profiles={"bike": slow})
    route = solved(p).routes[0]
    assert route.legs[0].duration_s == pytest.approx(1800.0)


def test_several_depots() -> None:
    xy = [(0, 0), (50000, 0), (500, 0), (50500, 0)]
    jobs = [job("near0", 2), job("near1", 3)]
    fleet = [vehicle("west", start=0, end=0), vehicle("east", start=1, end=1)]
    solution = solved(problem(xy, jobs, fleet))
    by_vehicle = {r.vehicle_id: [v.job_id for v in r.visits] for r in solution.routes}
    assert by_vehicle == {"west": ["near0"], "east": ["near1"]}


def test_allowed_vehicles_are_respected() -> None:
    xy = [(0, 0), (1000, 0), (2000, 0)]
    jobs = [job("only_b", 1, allowed_vehicles=frozenset({"b"})), job("any", 2)]
    fleet = [vehicle("a", fixed_cost_nok=0.0), vehicle("b", fixed_cost_nok=5000.0)]
    solution = solved(problem(xy, jobs, fleet))
    for route in solution.routes:
        if "only_b" in {v.job_id for v in route.visits}:
            assert route.vehicle_id == "b"
    assert served_ids(solution) == {"only_b", "any"}


def test_unreachable_point_and_unusable_arc() -> None:
    xy = [(0, 0), (1000, 0), (2000, 0), (3000, 0)]
    base = plane_matrices(xy)
    distance, duration = base.distance_m.copy(), base.duration_s.copy()
    for m in (distance, duration):
        m[3, :] = np.nan
        m[:, 3] = np.nan
        m[3, 3] = 0.0
        m[1, 2] = np.nan  # one-way block between two stops
    matrices = type(base)(base.points, distance, duration, "plane", True)
    jobs = [job("a", 1), job("b", 2), job("island", 3)]
    solution = solved(problem(xy, jobs, [vehicle()], matrices=matrices))
    assert [(u.job_id, u.reason) for u in solution.unserved] == [
        ("island", UnservedReason.UNREACHABLE)]
    order = [v.job_id for v in solution.routes[0].visits]
    assert order == ["b", "a"]


def test_solver_record_and_settings_validation() -> None:
    xy = [(0, 0), (1000, 0)]
    p = problem(xy, [job("a", 1)], [vehicle()])
    solution = solved(p, SolverSettings(time_limit_s=0.2, seed=7, backend="ortools"))
    for key in ("backend", "seed", "time_limit_s", "wall_s", "status", "first_solution",
                "metaheuristic"):
        assert key in solution.solver
    assert solution.solver["seed"] == 7 and solution.solver["backend"] == "ortools"
    with pytest.raises(InputError) as error:
        solve(p, SolverSettings(first_solution="teleport", metaheuristic="luck",
                                backend="ortools"))
    assert len(error.value.problems) == 2
    with pytest.raises(ValidationError):
        SolverSettings(backend="abacus")


def test_same_settings_give_identical_solutions() -> None:
    rng = np.random.default_rng(3)
    xy = [(0.0, 0.0), *rng.uniform(-8000, 8000, size=(14, 2)).tolist()]
    jobs = [job(f"j{i}", i, ((8 * H + 600 * i, 12 * H + 600 * i),), service_duration_s=300,
                delivery_kg=float(rng.uniform(10, 120))) for i in range(1, 15)]
    fleet = [vehicle("a", capacity_kg=500.0), vehicle("b", capacity_kg=500.0, start=0, end=0)]
    p = problem(xy, jobs, fleet)
    settings = SolverSettings(time_limit_s=5.0, solution_limit=200, seed=3, backend="ortools")
    first, second = solve(p, settings), solve(p, settings)
    assert first.routes == second.routes and first.unserved == second.unserved
    assert first.objective_nok == second.objective_nok
    assert verify_solution(p, first) == []


def test_every_job_accounted_once_when_fleet_is_short() -> None:
    xy = [(0, 0)] + [(1000.0 * i, 0.0) for i in range(1, 7)]
    jobs = [job(f"j{i}", i, delivery_kg=400.0) for i in range(1, 7)]
    solution = solved(problem(xy, jobs, [vehicle(capacity_kg=1000.0)]))
    assert len(served_ids(solution)) == 2 and len(solution.unserved) == 4
    assert {u.reason for u in solution.unserved} == {UnservedReason.FLEET_CAPACITY_SHORTFALL}
    assert math.isclose(solution.objective_nok - 4 * 100_000.0,
                        sum(r.distance_m / 1000 * 5 + r.duration_s / H * 400
                            for r in solution.routes))
