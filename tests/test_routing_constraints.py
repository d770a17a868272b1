"""Planner constraints: several trips, electric range, driver breaks, shipments."""

from __future__ import annotations

import pytest

from logistics.routing.problem import Break, Shipment, UnservedReason
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.verify import verify_solution
from tests.routing_builders import job, problem, vehicle

FAST = SolverSettings(time_limit_s=0.5, backend="ortools")
H = 3600.0


def test_several_trips_reload_at_the_depot() -> None:
    xy = [(0, 0), (2000, 0), (0, 2000), (-2000, 0), (0, -2000)]
    jobs = [job(f"j{i}", i, delivery_kg=600.0) for i in range(1, 5)]
    p = problem(xy, jobs, [vehicle(capacity_kg=1000.0, max_trips=4, reload_duration_s=900.0)])
    solution = solve(p, FAST)
    assert verify_solution(p, solution) == []
    assert not solution.unserved
    visits = solution.routes[0].visits
    reloads = [v for v in visits if v.kind == "reload"]
    assert len(reloads) == 3
    assert all(v.location == 0 and v.load_kg == pytest.approx(600.0) for v in reloads)
    assert all(v.departure_s - v.start_s == pytest.approx(900.0) for v in reloads)
    single = problem(xy, jobs, [vehicle(capacity_kg=1000.0, max_trips=1)])
    assert len(solve(single, FAST).unserved) == 3


def test_trip_limit_leaves_the_rest_unserved_with_fleet_shortfall() -> None:
    xy = [(0, 0), (2000, 0), (0, 2000), (-2000, 0)]
    jobs = [job(f"j{i}", i, delivery_kg=700.0) for i in range(1, 4)]
    p = problem(xy, jobs, [vehicle(capacity_kg=1000.0, max_trips=2)])
    solution = solve(p, FAST)
    assert verify_solution(p, solution) == []
    assert [u.reason for u in solution.unserved] == [UnservedReason.FLEET_CAPACITY_SHORTFALL]


def test_electric_range_limits_the_route() -> None:
    xy = [(0, 0), (10000, 0), (-10000, 0)]
    jobs = [job("east", 1), job("west", 2)]
    p = problem(xy, jobs, [vehicle("ev", max_distance_m=30000.0)])
    solution = solve(p, FAST)
    assert verify_solution(p, solution) == []
    assert solution.routes[0].distance_m <= 30000.0
    assert [u.reason for u in solution.unserved] == [UnservedReason.NOT_INSERTED]
    two = problem(xy, jobs, [vehicle("ev1", max_distance_m=30000.0),
                             vehicle("ev2", max_distance_m=30000.0)])
    assert not solve(two, FAST).unserved


def test_driver_break_on_a_long_route() -> None:
    # stops at the corners of a 36 km square: an hour of driving between corners
    xy = [(0, 0), (36000, 0), (36000, 36000), (0, 36000), (0, 1), (36000, 1), (36000, 36001)]
    jobs = [job(f"j{i}", i, service_duration_s=300.0) for i in range(1, 7)]
    rule = Break()
    p = problem(xy, jobs, [vehicle(driver_break=rule, shift_s=(6 * H, 20 * H))])
    solution = solve(p, SolverSettings(time_limit_s=1.0, backend="ortools"))
    assert verify_solution(p, solution) == []
    assert not solution.unserved
    route = solution.routes[0]
    assert route.duration_s > rule.after_driving_s
    breaks = [v for v in route.visits if v.kind == "break"]
    assert breaks and all(v.job_id == "break" for v in breaks)
    assert all(v.departure_s - v.start_s == pytest.approx(rule.duration_s) for v in breaks)


def test_break_check_catches_missing_break() -> None:
    xy = [(0, 0), (54000, 0), (54000, 54000), (0, 54000)]
    jobs = [job(f"j{i}", i) for i in range(1, 4)]
    no_rule = problem(xy, jobs, [vehicle(shift_s=(6 * H, 20 * H))])
    solution = solve(no_rule, FAST)
    assert sum(leg.duration_s for leg in solution.routes[0].legs) > 4.5 * H
    with_rule = problem(xy, jobs, [vehicle(driver_break=Break(), shift_s=(6 * H, 20 * H))])
    violations = verify_solution(with_rule, solution)
    assert any("break" in v for v in violations)


def test_shipment_picked_up_before_delivery_on_the_same_route() -> None:
    xy = [(0, 0), (5000, 0), (10000, 0), (-5000, 0)]
    shipment = Shipment("s1", job("s1-pick", 2, pickup_kg=300.0),
                        job("s1-drop", 1, delivery_kg=300.0))
    jobs = [job("other", 3, delivery_kg=100.0)]
    fleet = [vehicle("a", capacity_kg=350.0), vehicle("b", capacity_kg=350.0)]
    p = problem(xy, jobs, fleet, shipments=[shipment])
    solution = solve(p, FAST)
    assert verify_solution(p, solution) == []
    assert not solution.unserved
    route = next(r for r in solution.routes if "s1-pick" in {v.job_id for v in r.visits})
    order = [v.job_id for v in route.visits]
    assert order.index("s1-pick") < order.index("s1-drop")
    assert route.visits[order.index("s1-pick")].load_kg >= 300.0


def test_shipment_across_reload_stays_in_one_trip() -> None:
    xy = [(0, 0), (3000, 0), (6000, 0), (0, 3000), (0, 6000)]
    shipment = Shipment("s", job("s-pick", 1, pickup_kg=500.0), job("s-drop", 2,
                                                                     delivery_kg=500.0))
    jobs = [job("d3", 3, delivery_kg=700.0), job("d4", 4, delivery_kg=700.0)]
    p = problem(xy, jobs, [vehicle(capacity_kg=1000.0, max_trips=3)], shipments=[shipment])
    solution = solve(p, FAST)
    assert verify_solution(p, solution) == []
    assert not solution.unserved


def test_check_catches_shipment_delivered_first() -> None:
    xy = [(0, 0), (5000, 0), (10000, 0)]
    shipment = Shipment("s1", job("p", 2, pickup_kg=10.0), job("d", 1, delivery_kg=10.0))
    p = problem(xy, [], [vehicle()], shipments=[shipment])
    solution = solve(p, FAST)
    reversed_route = solution.routes[0]
    visits = tuple(reversed(reversed_route.visits))
    broken = type(solution)(solution.problem_name,
                            (type(reversed_route)(reversed_route.vehicle_id,
                                                  reversed_route.vehicle_type_id,
                                                  reversed_route.start_s, reversed_route.end_s,
                                                  visits, reversed_route.legs),),
                            (), solution.objective_nok)
    assert any("delivered before" in v for v in verify_solution(p, broken))
