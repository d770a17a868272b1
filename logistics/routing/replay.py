"""What the solver adapters share, in the problem's floats and free of any solver.

- :func:`prescreen`: which jobs to give a solver at all. A job no vehicle can serve
  even alone (:func:`logistics.routing.diagnose.static_reason`) or whose every
  window holds no whole second (the solvers' time resolution, see
  :mod:`logistics.routing.scaling`) is unserved from the start;
- :func:`replay_route`: the reported schedule of one route, replayed from the
  solver's visit order and start time: legs from the vehicle's matrices, service at
  the earliest time inside a window, loads on board, breaks and reloads; a trip
  leaves its depot (or reload) no earlier than the release of the jobs it carries
  (:func:`trip_release_s`). Solver
  integers round travel and service up and windows inward, so the replay from the
  solver's start is never later and keeps every window and the shift;
- :func:`route_cost_nok` and :func:`objective_nok`: the costs reported back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, TypeAlias

from logistics.routing import scaling
from logistics.routing.diagnose import static_reason
from logistics.routing.problem import (
    Job,
    Leg,
    Route,
    RoutingProblem,
    UnservedJob,
    UnservedReason,
    Vehicle,
    Visit,
)

RELOAD: Literal["reload"] = "reload"
"""Step: return to the vehicle's end depot, unload, load the next trip."""
BREAK: Literal["break"] = "break"
"""Step: the driver's break, taken where the vehicle is."""
Step: TypeAlias = Job | Literal["reload", "break"]
"""One entry of a route in the solver's order: a job served, a reload or a break."""


def visit_kind(job: Job, shipment_end: str | None = None) -> str:
    """``"pickup"`` or ``"delivery"``: a shipment end's own, else pickup for a job
    that only collects goods."""
    if shipment_end is not None:
        return shipment_end
    only_collects = job.delivery_kg == 0 and job.delivery_m3 == 0 and (
        job.pickup_kg > 0 or job.pickup_m3 > 0)
    return "pickup" if only_collects else "delivery"


def _window_reason(job: Job) -> UnservedJob | None:
    """TIME_WINDOW_UNREACHABLE when no window holds a whole second, else None."""
    windows = job.time_windows_s
    if any(scaling.time_to_int_s_up(start_s) <= scaling.time_to_int_s_down(end_s)
           for start_s, end_s in windows):
        return None
    detail = (f"window {windows[0]} holds no whole second" if len(windows) == 1
              else f"no window of {windows} holds a whole second")
    return UnservedJob(job.id, job.order_ids, UnservedReason.TIME_WINDOW_UNREACHABLE,
                       f"{detail}, the solver's time resolution")


def prescreen(problem: RoutingProblem, jobs: Iterable[Job]) -> tuple[list[Job],
                                                                     list[UnservedJob]]:
    """Split ``jobs`` into those worth giving a solver and those it could never serve."""
    kept: list[Job] = []
    impossible: list[UnservedJob] = []
    for job in jobs:
        reason = static_reason(problem, job) or _window_reason(job)
        if reason is None:
            kept.append(job)
        else:
            impossible.append(reason)
    return kept, impossible


def _service_start_s(job: Job, arrival_s: float) -> float:
    """Earliest service start at or after ``arrival_s`` inside one of the windows."""
    starts = [max(arrival_s, a) for a, b in sorted(job.time_windows_s) if b >= arrival_s]
    return starts[0] if starts else arrival_s


def _trips(steps: Sequence[Step]) -> list[list[Job]]:
    """The jobs of each trip, in order (trips split at reloads)."""
    trips: list[list[Job]] = [[]]
    for step in steps:
        if step == RELOAD:
            trips.append([])
        elif isinstance(step, Job):
            trips[-1].append(step)
    return trips


def trip_release_s(trip: Sequence[Job]) -> float:
    """The earliest a trip carrying ``trip``'s jobs may leave its depot: their latest
    release (0 when none is released later)."""
    return max((job.release_s for job in trip), default=0.0)


def _on_board(problem: RoutingProblem, trip: list[Job], done: int, unit: str) -> float:
    """Goods (kg or m3) on board after the first ``done`` jobs of ``trip``.

    Depot deliveries still to make + pickups made + shipments picked up and not yet
    delivered, summed afresh so that float noise never shows a negative load.
    """
    shipment_ids = {j.id for s in problem.shipments for j in (s.pickup, s.delivery)}
    done_ids = {j.id for j in trip[:done]}
    to_deliver = sum(getattr(j, f"delivery_{unit}") for j in trip[done:]
                     if j.id not in shipment_ids)
    collected = sum(getattr(j, f"pickup_{unit}") for j in trip[:done]
                    if j.id not in shipment_ids)
    in_transit = sum(
        (getattr(s.pickup, f"pickup_{unit}") if s.pickup.id in done_ids else 0.0)
        - (getattr(s.delivery, f"delivery_{unit}") if s.delivery.id in done_ids else 0.0)
        for s in problem.shipments if s.pickup.id in done_ids or s.delivery.id in done_ids)
    return float(to_deliver + collected + in_transit)


def _replay(problem: RoutingProblem, vehicle: Vehicle, steps: Sequence[Step],
            start_s: float) -> Route:
    """The float schedule of ``steps`` from ``start_s``: earliest times at every stop."""
    shipment_end = {s.pickup.id: "pickup" for s in problem.shipments}
    shipment_end |= {s.delivery.id: "delivery" for s in problem.shipments}
    trips = _trips(steps)
    trip = done = 0

    def loads() -> tuple[float, float]:
        return (_on_board(problem, trips[trip], done, "kg"),
                _on_board(problem, trips[trip], done, "m3"))

    load_kg, load_m3 = loads()
    start_s = max(start_s, trip_release_s(trips[0]))
    t, here = start_s, vehicle.start
    visits: list[Visit] = []
    legs: list[Leg] = []
    for step in steps:
        if step == BREAK:
            assert vehicle.driver_break is not None
            legs.append(Leg(here, here, 0.0, 0.0, load_kg, load_m3))
            end_s = t + vehicle.driver_break.duration_s
            visits.append(Visit(BREAK, here, t, t, end_s, load_kg, load_m3, BREAK))
            t = end_s
            continue
        there = vehicle.end if step == RELOAD else step.location
        leg_m, leg_s = problem.travel(vehicle.profile, here, there)
        legs.append(Leg(here, there, leg_m, leg_s, load_kg, load_m3))
        arrival_s = t + leg_s
        if step == RELOAD:
            trip, done = trip + 1, 0
            load_kg, load_m3 = loads()
            begin_s = arrival_s
            t = max(arrival_s + vehicle.reload_duration_s, trip_release_s(trips[trip]))
            visits.append(Visit(RELOAD, there, arrival_s, begin_s, t, load_kg, load_m3, RELOAD))
        else:
            begin_s = _service_start_s(step, arrival_s)
            t = begin_s + step.service_duration_s
            done += 1
            load_kg, load_m3 = loads()
            visits.append(Visit(step.id, there, arrival_s, begin_s, t, load_kg, load_m3,
                                visit_kind(step, shipment_end.get(step.id))))
        here = there
    leg_m, leg_s = problem.travel(vehicle.profile, here, vehicle.end)
    legs.append(Leg(here, vehicle.end, leg_m, leg_s, load_kg, load_m3))
    return Route(vehicle.id, vehicle.vehicle_type_id, start_s, t + leg_s, tuple(visits),
                 tuple(legs))


def replay_route(problem: RoutingProblem, vehicle: Vehicle, steps: Sequence[Step],
                 start_s: float, *, start_late: bool = False) -> Route:
    """The float schedule of one route: ``steps`` in order from ``start_s``.

    With ``start_late`` the route starts as late as its first stop allows, so the
    vehicle does not idle at the depot waiting for that stop's window.
    """
    route = _replay(problem, vehicle, steps, start_s)
    if not start_late:
        return route
    first = next((v for v in route.visits if v.kind != BREAK), None)
    if first is None or first.start_s <= first.arrival_s:
        return route
    return _replay(problem, vehicle, steps, start_s + first.start_s - first.arrival_s)


def route_cost_nok(vehicle: Vehicle, route: Route) -> float:
    """Fixed + per-km + per-hour cost of one route (NOK, from floats)."""
    return (vehicle.fixed_cost_nok + route.distance_m / 1000 * vehicle.cost_nok_per_km
            + route.duration_s / 3600 * vehicle.cost_nok_per_hour)


def objective_nok(problem: RoutingProblem, routes: Iterable[Route],
                  unserved: Iterable[UnservedJob]) -> float:
    """Route costs plus penalties of unserved jobs (a shipment's penalty counted once)."""
    vehicles = {v.id: v for v in problem.vehicles}
    total = sum(route_cost_nok(vehicles[r.vehicle_id], r) for r in routes)
    missing = {u.job_id for u in unserved}
    total += sum(job.penalty_nok for job in problem.jobs if job.id in missing)
    total += sum(s.penalty_nok for s in problem.shipments
                 if s.pickup.id in missing or s.delivery.id in missing)
    return float(total)
