"""Release times: a route leaves its depot only once the goods it carries are there, in
both backends, in the schedule replay and in the independent checker."""

from __future__ import annotations

import dataclasses

import pytest

from logistics.routing.problem import Route, Solution, UnservedReason, Visit
from logistics.routing.replay import RELOAD, replay_route
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.verify import verify_solution
from tests.routing_builders import job, problem, vehicle

H = 3600.0
BACKENDS = {
    "ortools": SolverSettings(backend="ortools", solution_limit=50, time_limit_s=30.0),
    "pyvrp": SolverSettings(backend="pyvrp", iteration_limit=200, time_limit_s=30.0),
}
# depot at 0; the stops 6 km east and 6 km west: 10 min each way at 36 km/h
XY = [(0, 0), (6000, 0), (-6000, 0)]


def _released_and_early() -> tuple[object, ...]:
    late_goods = job("late", 1, ((6 * H, 18 * H),), delivery_kg=100.0, release_s=10 * H)
    early_stop = job("early", 2, ((7 * H, 8 * H),), delivery_kg=100.0)
    return late_goods, early_stop


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_a_route_leaves_after_the_release_of_what_it_carries(backend: str) -> None:
    late_goods, early_stop = _released_and_early()
    p = problem(XY, [late_goods, early_stop], [vehicle("v1"), vehicle("v2")])
    solution = solve(p, BACKENDS[backend])
    assert verify_solution(p, solution) == []
    assert solution.unserved == ()
    # the early stop closes at 08:00 and the late goods are there at 10:00: one route
    # cannot do both, so each goes on its own
    by_job = {v.job_id: r for r in solution.routes for v in r.visits if v.kind == "delivery"}
    assert by_job["late"] is not by_job["early"]
    assert by_job["late"].start_s >= 10 * H
    late_visit = next(v for v in by_job["late"].visits if v.job_id == "late")
    assert late_visit.arrival_s >= 10 * H + 600 - 1
    assert by_job["early"].start_s <= 8 * H - 600


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_one_vehicle_cannot_serve_both_and_says_why(backend: str) -> None:
    late_goods, early_stop = _released_and_early()
    p = problem(XY, [late_goods, early_stop], [vehicle("v1")])
    solution = solve(p, BACKENDS[backend])
    assert verify_solution(p, solution) == []
    assert len(solution.routes) == 1 and len(solution.unserved) == 1
    assert solution.unserved[0].reason is UnservedReason.NOT_INSERTED


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_goods_released_after_the_last_window_are_unserved_with_the_reason(
        backend: str) -> None:
    # released 12:00; the window closes 11:00: no departure can make it
    too_late = job("late", 1, ((8 * H, 11 * H),), delivery_kg=100.0, release_s=12 * H)
    fine = job("fine", 2, delivery_kg=100.0)
    p = problem(XY, [too_late, fine], [vehicle("v1")])
    solution = solve(p, BACKENDS[backend])
    assert verify_solution(p, solution) == []
    assert [(u.job_id, u.reason) for u in solution.unserved] == [
        ("late", UnservedReason.RELEASED_TOO_LATE)]
    assert "12:00" in solution.unserved[0].detail


def _shifted(route: Route, seconds: float) -> Route:
    def visit(v: Visit) -> Visit:
        return dataclasses.replace(v, arrival_s=v.arrival_s + seconds,
                                   start_s=v.start_s + seconds,
                                   departure_s=v.departure_s + seconds)
    return dataclasses.replace(route, start_s=route.start_s + seconds,
                               end_s=route.end_s + seconds,
                               visits=tuple(visit(v) for v in route.visits))


def test_the_checker_rejects_a_route_leaving_before_its_goods_are_there() -> None:
    released = job("j", 1, ((6 * H, 18 * H),), delivery_kg=100.0, release_s=10 * H)
    van = vehicle("v1")
    p = problem(XY, [released], [van])
    on_time = replay_route(p, van, [released], 10 * H)
    assert verify_solution(p, Solution("test", (on_time,), (), 0.0)) == []
    # the same route two hours earlier: legs, windows and shift still hold, so the
    # release is the only thing broken
    early = _shifted(on_time, -2 * H)
    assert early.start_s == pytest.approx(8 * H)
    violations = verify_solution(p, Solution("test", (early,), (), 0.0))
    assert len(violations) == 1
    assert "carrying j, released at 36000 s" in violations[0]


def test_a_second_trip_waits_at_its_reload_for_its_goods() -> None:
    first = job("first", 1, delivery_kg=600.0)
    second = job("second", 2, delivery_kg=600.0, release_s=11 * H)
    van = vehicle("v1", capacity_kg=1000.0, max_trips=2, reload_duration_s=900.0)
    p = problem(XY, [first, second], [van])
    route = replay_route(p, van, [first, RELOAD, second], 8 * H)
    # by hand: out 08:00, at the stop 08:10, back 08:20, reload until 08:35, but the
    # second trip's goods are there at 11:00, so it leaves at 11:00 and arrives 11:10
    reload = next(v for v in route.visits if v.kind == "reload")
    assert reload.arrival_s == pytest.approx(8 * H + 1200)
    assert reload.departure_s == pytest.approx(11 * H)
    assert route.visits[-1].arrival_s == pytest.approx(11 * H + 600)
    assert route.start_s == pytest.approx(8 * H)
    assert verify_solution(p, Solution("test", (route,), (), 0.0)) == []
    # and a route that reloads too early is caught
    hurried = dataclasses.replace(route, visits=tuple(
        dataclasses.replace(v, departure_s=8 * H + 2100) if v.kind == "reload" else v
        for v in route.visits))
    assert any("carrying second" in v for v in
               verify_solution(p, Solution("test", (hurried,), (), 0.0)))


def test_the_replay_never_starts_before_the_first_trips_release() -> None:
    released = job("j", 1, delivery_kg=100.0, release_s=9 * H)
    van = vehicle("v1")
    p = problem(XY, [released], [van])
    route = replay_route(p, van, [released], 7 * H)
    assert route.start_s == pytest.approx(9 * H)
    assert route.visits[0].arrival_s == pytest.approx(9 * H + 600)
