"""PyVRP backend: schedules it returns obey the problem, unsupported features are refused."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.vrp_instances import check_routes, routes_in_customers
from benchmarks.vrplib import read_instance, route_cost, to_routing_problem
from logistics.errors import LogisticsError
from logistics.routing.problem import (
    Break,
    Job,
    RoutingProblem,
    Shipment,
    Solution,
    UnservedReason,
    Vehicle,
)
from logistics.routing.settings import SolverSettings
from logistics.routing.solvers.pyvrp import UnsupportedByPyVRP, solve_pyvrp
from logistics.routing.verify import verify_solution
from logistics.travel.base import Point, TravelMatrices

SHARED = Path(__file__).parents[2] / "shared" / "benchmarks" / "vrp"
FAST = SolverSettings(time_limit_s=0.3, seed=3, backend="pyvrp")

# A line of points 0..5 km east of the depot (point 0) and a second depot at point 6.
XS_M = [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0]
SPEED_M_PER_S = 10.0


def _matrices(nan_point: int | None = None) -> TravelMatrices:
    points = tuple(Point(id=f"p{i}", lon=x / 1000, lat=0.0) for i, x in enumerate(XS_M))
    xs = np.array(XS_M)
    distance = np.abs(xs[:, None] - xs[None, :])
    if nan_point is not None:
        distance[nan_point, :] = np.nan
        distance[:, nan_point] = np.nan
        distance[nan_point, nan_point] = 0.0
    return TravelMatrices(points=points, distance_m=distance,
                          duration_s=distance / SPEED_M_PER_S, model="line",
                          approximate=True)


def _vehicle(vid: str, **changes: object) -> Vehicle:
    base = Vehicle(id=vid, vehicle_type_id="van", profile="road", start=0, end=0,
                   capacity_kg=100.0, capacity_m3=10.0, shift_s=(0.0, 36_000.0),
                   cost_nok_per_km=10.0, cost_nok_per_hour=300.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def _job(jid: str, location: int, **changes: object) -> Job:
    base = Job(id=jid, location=location, time_windows_s=((0.0, 36_000.0),),
               service_duration_s=60.0, delivery_kg=10.0, delivery_m3=0.5)
    return replace(base, **changes)  # type: ignore[arg-type]


def _problem(jobs: list[Job], vehicles: list[Vehicle], nan_point: int | None = None,
             shipments: tuple[Shipment, ...] = ()) -> RoutingProblem:
    matrices = _matrices(nan_point)
    return RoutingProblem(name="line", points=matrices.points, matrices={"road": matrices},
                          jobs=tuple(jobs), vehicles=tuple(vehicles), shipments=shipments)


def _assert_schedule_holds(problem: RoutingProblem, solution: Solution) -> None:
    """Replay every route with the problem's floats: travel, windows, loads, shift."""
    assert verify_solution(problem, solution) == []
    vehicles = {v.id: v for v in problem.vehicles}
    for route in solution.routes:
        vehicle = vehicles[route.vehicle_id]
        distance = problem.distance_m(vehicle.profile)
        duration = problem.duration_s(vehicle.profile)
        path = [vehicle.start, *(v.location for v in route.visits), vehicle.end]
        assert [(leg.from_location, leg.to_location) for leg in route.legs] == list(
            itertools.pairwise(path))
        for leg in route.legs:
            assert leg.distance_m == distance[leg.from_location, leg.to_location]
        clock = route.start_s
        assert clock >= vehicle.shift_s[0]
        previous = vehicle.start
        load_kg = sum(problem.job(v.job_id).delivery_kg for v in route.visits)
        assert load_kg <= vehicle.capacity_kg + 1e-9
        for visit in route.visits:
            job = problem.job(visit.job_id)
            assert visit.arrival_s == pytest.approx(clock + duration[previous, visit.location])
            start, end = job.time_windows_s[0]
            assert start - 1e-6 <= visit.start_s <= end + 1e-6
            assert visit.departure_s >= visit.start_s + job.service_duration_s - 1e-6
            load_kg += job.pickup_kg - job.delivery_kg
            assert visit.load_kg == pytest.approx(load_kg)
            assert 0 <= visit.load_kg <= vehicle.capacity_kg + 1e-9
            clock, previous = visit.departure_s, visit.location
        assert route.end_s == pytest.approx(clock + duration[previous, vehicle.end])
        assert route.end_s <= vehicle.shift_s[1] + 1e-6
        if vehicle.max_distance_m is not None:
            assert route.distance_m <= vehicle.max_distance_m + 1e-6


def _cost_nok(problem: RoutingProblem, solution: Solution) -> float:
    vehicles = {v.id: v for v in problem.vehicles}
    total = sum(problem.job(u.job_id).penalty_nok for u in solution.unserved)
    for route in solution.routes:
        v = vehicles[route.vehicle_id]
        total += (v.fixed_cost_nok + route.distance_m / 1000 * v.cost_nok_per_km
                  + route.duration_s / 3600 * v.cost_nok_per_hour)
    return total


def test_serves_every_job_within_windows_and_capacity() -> None:
    jobs = [_job("a", 1, time_windows_s=((3000.0, 3600.0),)),
            _job("b", 3, delivery_kg=60.0, pickup_kg=30.0),
            _job("c", 5, delivery_kg=50.0, time_windows_s=((0.0, 1200.0),)),
            _job("d", 4, time_windows_s=((7200.0, 9000.0),))]
    problem = _problem(jobs, [_vehicle("v1"), _vehicle("v2")])
    solution = solve_pyvrp(problem, FAST)
    assert solution.unserved == ()
    assert sorted(v.job_id for r in solution.routes for v in r.visits) == ["a", "b", "c", "d"]
    _assert_schedule_holds(problem, solution)
    assert solution.objective_nok == pytest.approx(_cost_nok(problem, solution))
    assert solution.solver["backend"] == "pyvrp"


def test_volume_is_a_capacity_dimension() -> None:
    jobs = [_job("a", 2, delivery_kg=1.0, delivery_m3=6.0),
            _job("b", 2, delivery_kg=1.0, delivery_m3=6.0)]
    problem = _problem(jobs, [_vehicle("v1"), _vehicle("v2")])
    solution = solve_pyvrp(problem, FAST)
    assert solution.unserved == ()
    assert sorted(len(r.visits) for r in solution.routes) == [1, 1]


def test_cheapest_vehicle_and_nearest_depot_are_chosen() -> None:
    jobs = [_job("east", 5), _job("east2", 6)]
    vehicles = [_vehicle("west-van", fixed_cost_nok=500.0),
                _vehicle("east-van", start=6, end=6, fixed_cost_nok=500.0),
                _vehicle("east-truck", start=6, end=6, fixed_cost_nok=5000.0,
                         vehicle_type_id="truck")]
    problem = _problem(jobs, vehicles)
    solution = solve_pyvrp(problem, FAST)
    assert [r.vehicle_id for r in solution.routes] == ["east-van"]
    assert solution.routes[0].distance_m == 2000.0
    assert solution.objective_nok == pytest.approx(_cost_nok(problem, solution))


def test_range_limit_splits_routes() -> None:
    jobs = [_job("a", 4), _job("b", 5)]
    vehicles = [_vehicle("v1", max_distance_m=9000.0), _vehicle("v2", max_distance_m=10_000.0)]
    problem = _problem(jobs, vehicles)
    solution = solve_pyvrp(problem, FAST)
    assert solution.unserved == ()
    _assert_schedule_holds(problem, solution)
    assert [r.vehicle_id for r in solution.routes] == ["v2"]


def test_impossible_and_unprofitable_jobs_are_unserved_with_reasons() -> None:
    jobs = [_job("island", 2), _job("heavy", 1, delivery_kg=500.0),
            _job("cheap", 5, penalty_nok=1.0), _job("late", 5, time_windows_s=((0.0, 100.0),)),
            _job("ok", 1)]
    problem = _problem(jobs, [_vehicle("v1")], nan_point=2)
    solution = solve_pyvrp(problem, FAST)
    reasons = {u.job_id: u.reason for u in solution.unserved}
    assert reasons == {
        "island": UnservedReason.UNREACHABLE,
        "heavy": UnservedReason.DEMAND_EXCEEDS_VEHICLE_CAPACITY,
        "cheap": UnservedReason.NOT_INSERTED,
        "late": UnservedReason.TIME_WINDOW_UNREACHABLE,
    }
    assert [v.job_id for r in solution.routes for v in r.visits] == ["ok"]
    assert solution.objective_nok == pytest.approx(_cost_nok(problem, solution))


@pytest.mark.parametrize("change", ["shipment", "windows", "trips", "restricted"])
def test_unsupported_features_are_refused(change: str) -> None:
    jobs = [_job("a", 1)]
    vehicles = [_vehicle("v1"), _vehicle("v2")]
    shipments: tuple[Shipment, ...] = ()
    if change == "shipment":
        shipments = (Shipment("s", _job("s-pick", 2), _job("s-drop", 3)),)
    elif change == "windows":
        jobs = [_job("a", 1, time_windows_s=((0.0, 100.0), (200.0, 300.0)))]
    elif change == "trips":
        vehicles[0] = _vehicle("v1", max_trips=2)
    else:
        jobs = [_job("a", 1, allowed_vehicles=frozenset({"v2"}))]
    with pytest.raises(UnsupportedByPyVRP) as caught:
        solve_pyvrp(_problem(jobs, vehicles, shipments=shipments), FAST)
    assert isinstance(caught.value, LogisticsError)
    assert "ortools" in str(caught.value)


def test_a_restriction_admitting_the_whole_fleet_is_no_restriction() -> None:
    jobs = [_job("a", 1, allowed_vehicles=frozenset({"v1", "v2"}))]
    solution = solve_pyvrp(_problem(jobs, [_vehicle("v1"), _vehicle("v2")]), FAST)
    assert solution.unserved == ()


@pytest.mark.skipif(not (SHARED / "solomon" / "C101.vrp").is_file(),
                    reason="shared benchmark instances absent")
def test_solomon_instance_solution_is_feasible_and_costed_in_metres() -> None:
    instance = read_instance(SHARED / "solomon" / "RC101.vrp")
    problem = to_routing_problem(instance)
    solution = solve_pyvrp(problem, SolverSettings(time_limit_s=1.5, seed=1, backend="pyvrp"))
    routes = routes_in_customers(solution)
    assert solution.unserved == ()
    assert check_routes(instance, routes) == []
    _assert_schedule_holds(problem, solution)
    # 10 m per Solomon unit; the benchmark objective is 1 NOK per metre.
    assert route_cost(instance, routes) * 10 == pytest.approx(solution.distance_m)
    assert solution.objective_nok == pytest.approx(solution.distance_m)


def test_each_vehicle_drives_on_its_own_profile() -> None:
    road = _matrices()
    bike_distance = road.distance_m.copy()
    bike_distance[:, 5] = np.nan  # the bike cannot reach point 5
    bike_distance[5, :] = np.nan
    bike_distance[5, 5] = 0.0
    bike = TravelMatrices(points=road.points, distance_m=bike_distance,
                          duration_s=bike_distance / 4.0, model="line", approximate=True,
                          profile="bike")
    jobs = [_job("far", 5), _job("near", 1)]
    vehicles = [_vehicle("bike", profile="bike", fixed_cost_nok=0.0, cost_nok_per_km=1.0,
                         cost_nok_per_hour=0.0),
                _vehicle("van", fixed_cost_nok=1000.0)]
    problem = RoutingProblem(name="profiles", points=road.points,
                             matrices={"road": road, "bike": bike}, jobs=tuple(jobs),
                             vehicles=tuple(vehicles))
    solution = solve_pyvrp(problem, FAST)
    served_by = {v.job_id: r.vehicle_id for r in solution.routes for v in r.visits}
    assert served_by == {"far": "van", "near": "bike"}
    _assert_schedule_holds(problem, solution)
    bike_route = next(r for r in solution.routes if r.vehicle_id == "bike")
    assert bike_route.legs[0].duration_s == 250.0


def test_pickups_ride_back_to_the_depot() -> None:
    jobs = [_job("collect", 3, delivery_kg=0.0, delivery_m3=0.0, pickup_kg=70.0),
            _job("drop", 2, delivery_kg=60.0, delivery_m3=0.0)]
    problem = _problem(jobs, [_vehicle("v1"), _vehicle("v2")])
    solution = solve_pyvrp(problem, FAST)
    assert solution.unserved == ()
    kinds = {v.job_id: v.kind for r in solution.routes for v in r.visits}
    assert kinds == {"collect": "pickup", "drop": "delivery"}
    _assert_schedule_holds(problem, solution)


@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_random_problems_give_valid_schedules(data: st.DataObject) -> None:
    n_jobs = data.draw(st.integers(1, 6))
    jobs = []
    for k in range(n_jobs):
        start = data.draw(st.floats(0.0, 20_000.0))
        width = data.draw(st.floats(0.0, 10_000.0))
        jobs.append(_job(f"j{k}", data.draw(st.integers(1, 6)),
                         time_windows_s=((start, start + width),),
                         delivery_kg=data.draw(st.floats(0.0, 120.0)),
                         pickup_kg=data.draw(st.floats(0.0, 50.0)),
                         service_duration_s=data.draw(st.floats(0.0, 900.0)),
                         penalty_nok=data.draw(st.sampled_from([1.0, 1e5]))))
    vehicles = [_vehicle(f"v{k}", start=data.draw(st.sampled_from([0, 6])),
                         max_distance_m=data.draw(st.sampled_from([None, 8000.0])))
                for k in range(data.draw(st.integers(1, 3)))]
    problem = _problem(jobs, vehicles)
    solution = solve_pyvrp(problem, SolverSettings(time_limit_s=0.1, seed=1, backend="pyvrp"))
    _assert_schedule_holds(problem, solution)
    assert solution.objective_nok == pytest.approx(_cost_nok(problem, solution))


def test_auto_backend_uses_pyvrp_where_it_can_and_ortools_otherwise() -> None:
    from logistics.routing.settings import SolverSettings
    from logistics.routing.solve import solve

    from .routing_builders import job, problem, vehicle

    xy = [(0, 0), (1000, 0), (0, 1500), (2000, 2000)]
    jobs = [job(f"j{i}", i, delivery_kg=100.0) for i in (1, 2, 3)]
    settings = SolverSettings(backend="auto", solution_limit=50, iteration_limit=50)
    plain = solve(problem(xy, jobs, [vehicle()]), settings)
    with_break = solve(problem(xy, jobs, [vehicle(driver_break=Break())]), settings)
    two_trips = solve(problem(xy, jobs, [vehicle(max_trips=2)]), settings)
    assert plain.solver["backend"] == with_break.solver["backend"] == "pyvrp"
    assert two_trips.solver["backend"] == "ortools"
    for solution in (plain, with_break, two_trips):
        assert not solution.unserved
        assert sorted(v.job_id for r in solution.routes for v in r.visits
                      if v.kind == "delivery") == ["j1", "j2", "j3"]


BY_COUNT = SolverSettings(iteration_limit=200, iterations_per_stop=None, time_limit_s=60.0,
                          seed=1, backend="pyvrp")


def test_search_objective_equals_objective_nok_on_a_hand_made_route() -> None:
    # One van from the depot at 0 to jobs at 1 km and 3 km and back: 6 km, 600 s of
    # driving at 10 m/s plus 2 x 60 s of service = 720 s. Cost: 100 fixed
    # + 6 km x 10 NOK + 0.2 h x 300 NOK = 220 NOK.
    jobs = [_job("a", 1), _job("b", 3)]
    problem = _problem(jobs, [_vehicle("v1", fixed_cost_nok=100.0)])
    solution = solve_pyvrp(problem, BY_COUNT)
    assert solution.solver["stopped_by"] == "iteration_limit"
    assert solution.objective_nok == pytest.approx(220.0)
    assert solution.solver["search_objective_nok"] == pytest.approx(220.0, rel=1e-3)


def test_search_objective_counts_prizes_of_unserved_jobs_as_objective_nok_does() -> None:
    # Serving "far" (5 km out) needs 10 km and 1,060 s more: 100 + 88.3 NOK, above its
    # 150 NOK penalty, so it stays unserved; the route to "a" costs 100 + 2 x 10
    # + 260 s x 300 NOK/h = 141.67 NOK, and the total is 291.67 NOK.
    jobs = [_job("a", 1), _job("far", 5, penalty_nok=150.0)]
    problem = _problem(jobs, [_vehicle("v1", fixed_cost_nok=100.0),
                              _vehicle("v2", fixed_cost_nok=100.0)])
    solution = solve_pyvrp(problem, BY_COUNT)
    assert [u.job_id for u in solution.unserved] == ["far"]
    assert solution.objective_nok == pytest.approx(100 + 20 + 260 / 3600 * 300 + 150)
    assert solution.solver["search_objective_nok"] == pytest.approx(
        solution.objective_nok, rel=1e-3)


def test_search_objective_follows_objective_nok_on_random_problems_with_fixed_costs() -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        jobs = [_job(f"j{k}", int(rng.integers(1, 7)), delivery_kg=float(rng.integers(5, 60)),
                     service_duration_s=float(rng.integers(0, 600)),
                     penalty_nok=float(rng.choice([50.0, 1e5])))
                for k in range(6)]
        vehicles = [_vehicle("van", fixed_cost_nok=float(rng.integers(0, 500))),
                    _vehicle("truck", vehicle_type_id="truck", capacity_kg=300.0,
                             fixed_cost_nok=float(rng.integers(0, 3000)),
                             cost_nok_per_km=float(rng.integers(1, 20)),
                             cost_nok_per_hour=float(rng.integers(100, 900)))]
        problem = _problem(jobs, vehicles)
        solution = solve_pyvrp(problem, BY_COUNT)
        # Integer matrices and services: only the unit costs' rounding (0.1 % of the
        # dearest vehicle's cost of a metre, at most) separates the two.
        assert solution.solver["search_objective_nok"] == pytest.approx(
            solution.objective_nok, rel=2e-3)


def test_initial_penalties_are_priced_from_the_costs() -> None:
    # Depot 0 and jobs at 1 km and 3 km: the 3 x 3 matrix holds 2 x (1 + 3 + 2) km over
    # 9 entries, a mean arc of 1,333.3 m; the dearest vehicle's metre is 1,000 cost units.
    # Demands: 10 kg = 10,000 g and 0.5 m3 = 500 l on average.
    from logistics.routing.replay import prescreen
    from logistics.routing.solvers.pyvrp import _build_model, initial_penalties

    problem = _problem([_job("a", 1), _job("b", 3)], [_vehicle("v1")])
    jobs, _ = prescreen(problem, problem.jobs)
    loads, time_warp, distance = initial_penalties(_build_model(problem, jobs).data)
    per_metre = 10 * 1000
    assert loads == pytest.approx([per_metre * 4000 / 3 / 10_000, per_metre * 4000 / 3 / 500])
    assert time_warp == pytest.approx(per_metre * 10)
    assert distance == pytest.approx(per_metre)


def test_same_settings_give_the_same_routes() -> None:
    jobs = [_job(f"j{k}", 1 + k % 6, delivery_kg=30.0) for k in range(8)]
    problem = _problem(jobs, [_vehicle("v1"), _vehicle("v2"), _vehicle("v3")])
    first, again = solve_pyvrp(problem, BY_COUNT), solve_pyvrp(problem, BY_COUNT)
    assert first.routes == again.routes
    assert first.objective_nok == again.objective_nok
