"""Unserved reasons: one small case per reason, each checked through a real solve."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logistics.routing import scaling
from logistics.routing.problem import UnservedReason
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.verify import verify_solution
from tests.routing_builders import job, plane_matrices, problem, vehicle

FAST = SolverSettings(time_limit_s=0.3, backend="ortools")
H = 3600.0
XY = [(0, 0), (1000, 0), (2000, 0), (90000, 0)]


def reason_of(p, job_id: str) -> UnservedReason:  # type: ignore[no-untyped-def]
    solution = solve(p, FAST)
    assert verify_solution(p, solution) == []
    return {u.job_id: u.reason for u in solution.unserved}[job_id]


def test_unreachable() -> None:
    base = plane_matrices(XY)
    distance = base.distance_m.copy()
    distance[0, 2] = np.nan
    matrices = type(base)(base.points, distance, base.duration_s, "plane", True)
    p = problem(XY, [job("x", 2), job("ok", 1)], [vehicle()], matrices=matrices)
    assert reason_of(p, "x") == UnservedReason.UNREACHABLE


def test_no_compatible_vehicle() -> None:
    p = problem(XY, [job("x", 1, allowed_vehicles=frozenset({"truck"}))], [vehicle()])
    assert reason_of(p, "x") == UnservedReason.NO_COMPATIBLE_VEHICLE


def test_demand_exceeds_vehicle_capacity_in_kg_or_m3() -> None:
    p = problem(XY, [job("kg", 1, delivery_kg=2000.0), job("m3", 2, pickup_m3=11.0)],
                [vehicle(capacity_kg=1000.0, capacity_m3=10.0)])
    solution = solve(p, FAST)
    assert {u.reason for u in solution.unserved} == {
        UnservedReason.DEMAND_EXCEEDS_VEHICLE_CAPACITY}


def test_time_window_unreachable() -> None:
    p = problem(XY, [job("x", 3, ((6 * H, 6.5 * H),))], [vehicle(shift_s=(6 * H, 18 * H))])
    assert reason_of(p, "x") == UnservedReason.TIME_WINDOW_UNREACHABLE


def test_range_exceeded() -> None:
    p = problem(XY, [job("x", 3)], [vehicle(max_distance_m=100000.0)])
    assert reason_of(p, "x") == UnservedReason.RANGE_EXCEEDED


def test_route_duration_exceeded() -> None:
    p = problem(XY, [job("x", 1, service_duration_s=3 * H)], [vehicle(max_duration_s=2 * H)])
    assert reason_of(p, "x") == UnservedReason.ROUTE_DURATION_EXCEEDED


def test_fleet_capacity_shortfall_and_not_inserted() -> None:
    jobs = [job("a", 1, delivery_kg=600.0), job("b", 2, delivery_kg=600.0)]
    p = problem(XY, jobs, [vehicle(capacity_kg=1000.0)])
    solution = solve(p, FAST)
    assert [u.reason for u in solution.unserved] == [UnservedReason.FLEET_CAPACITY_SHORTFALL]
    tight = [job("a", 1, ((8 * H, 8 * H),), service_duration_s=H),
             job("b", 2, ((8 * H, 8 * H),), service_duration_s=H)]
    p2 = problem(XY, tight, [vehicle()])
    solution2 = solve(p2, FAST)
    assert [u.reason for u in solution2.unserved] == [UnservedReason.NOT_INSERTED]
    assert "feasible alone" in solution2.unserved[0].detail


def test_scaling_rounds_to_the_feasible_side_and_warns_near_overflow() -> None:
    assert scaling.duration_to_int_s(10.2) == 11
    assert scaling.duration_to_int_s(10.0 + 1e-12) == 10
    assert scaling.time_to_int_s_down(10.8) == 10
    assert scaling.demand_to_int_g(0.0015) == 2
    assert scaling.capacity_to_int_g(1.0019) == 1001
    assert scaling.cost_to_int_ore(12.345) == 1234 or scaling.cost_to_int_ore(12.345) == 1235
    ints = scaling.matrix_to_int(np.array([[0.0, np.nan], [2.2, 0.0]]), "test")
    assert ints.tolist() == [[0, scaling.UNUSABLE_ARC], [3, 0]]
    with pytest.warns(scaling.ScalingWarning):
        scaling.cost_to_int_ore(1e14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaling.cost_to_int_ore(1e9)
    with pytest.warns(scaling.ScalingWarning):
        solve(problem(XY, [job("x", 1, penalty_nok=1e14)], [vehicle()]), FAST)


@st.composite
def random_problems(draw):  # type: ignore[no-untyped-def]
    n_jobs = draw(st.integers(3, 12))
    n_vehicles = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    xy = [tuple(p) for p in rng.uniform(-15000, 15000, size=(n_jobs + 2, 2)).tolist()]
    jobs = []
    for i in range(n_jobs):
        windows = []
        for _ in range(int(rng.integers(1, 3))):
            start = float(rng.uniform(6, 16)) * H
            windows.append((start, start + float(rng.uniform(0.2, 3)) * H))
        jobs.append(job(f"j{i}", i + 2, tuple(windows),
                        service_duration_s=float(rng.uniform(0, 1200)),
                        delivery_kg=float(rng.uniform(0, 400)) * (rng.random() < 0.8),
                        pickup_kg=float(rng.uniform(0, 200)) * (rng.random() < 0.4),
                        delivery_m3=float(rng.uniform(0, 3)),
                        allowed_vehicles=(frozenset({"v0"}) if rng.random() < 0.15 else None)))
    fleet = [vehicle(f"v{k}", start=k % 2, end=int(rng.integers(0, 2)),
                     capacity_kg=float(rng.uniform(300, 1200)),
                     capacity_m3=float(rng.uniform(3, 12)),
                     shift_s=(float(rng.uniform(6, 9)) * H, float(rng.uniform(13, 19)) * H),
                     max_trips=int(rng.integers(1, 3)),
                     max_distance_m=(float(rng.uniform(30000, 120000))
                                     if rng.random() < 0.5 else None),
                     fixed_cost_nok=float(rng.uniform(0, 500)))
             for k in range(n_vehicles)]
    return problem(xy, jobs, fleet)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_problems())
def test_random_problems_give_valid_schedules(p) -> None:  # type: ignore[no-untyped-def]
    solution = solve(p, SolverSettings(time_limit_s=0.3, backend="ortools"))
    assert verify_solution(p, solution) == []
    served = [v.job_id for r in solution.routes for v in r.visits
              if v.kind in ("delivery", "pickup")]
    assert sorted(served + [u.job_id for u in solution.unserved]) == sorted(
        j.id for j in p.jobs)
