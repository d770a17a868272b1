"""Why is a job unserved? A post-hoc diagnosis from the problem's floats alone.

The diagnosis never asks the solver. For each compatible vehicle it tries the
simplest possible route, *start depot -> job -> end depot*, and records the first
check that fails, in this order:

1. ``unreachable``: NaN travel from the start depot or to the end depot;
2. ``demand_exceeds_vehicle_capacity``: delivery or pickup (kg or m3) above capacity;
3. ``range_exceeded``: the round trip is longer than ``max_distance_m``;
4. ``time_window_unreachable``: leaving at shift start, no window can be met with
   the return to the end depot by shift end;
5. ``route_duration_exceeded``: even without waiting the round trip takes longer
   than ``max_duration_s``;
6. ``released_too_late``: leaving when the job's goods are released (``release_s``),
   no window can be met with the return to the end depot by shift end.

A job no compatible vehicle can serve alone gets the reason of the vehicle that got
furthest through that list (the detail names every vehicle's reason). Reasons 3-5
are proofs when the matrices obey the triangle inequality (shortest-path and
crow-fly matrices do): then no longer route can do better than the round trip.

A job that some vehicle could serve alone is ``fleet_capacity_shortfall`` when the
day's demand (of every job those vehicles could serve alone) exceeds their
capacity x ``max_trips``, else ``not_inserted_by_solver``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from logistics.clock import format_clock, format_windows
from logistics.routing.problem import Job, RoutingProblem, UnservedJob, UnservedReason, Vehicle

_CHECK_ORDER = (
    UnservedReason.UNREACHABLE,
    UnservedReason.DEMAND_EXCEEDS_VEHICLE_CAPACITY,
    UnservedReason.RANGE_EXCEEDED,
    UnservedReason.TIME_WINDOW_UNREACHABLE,
    UnservedReason.ROUTE_DURATION_EXCEEDED,
    UnservedReason.RELEASED_TOO_LATE,
)


def compatible_vehicles(problem: RoutingProblem, job: Job) -> tuple[Vehicle, ...]:
    """The problem's vehicles that ``job.allowed_vehicles`` admits (all when None)."""
    if job.allowed_vehicles is None:
        return problem.vehicles
    return tuple(v for v in problem.vehicles if v.id in job.allowed_vehicles)


def lone_trip_failure(problem: RoutingProblem, job: Job,
                      vehicle: Vehicle) -> tuple[UnservedReason, str] | None:
    """The first reason ``vehicle`` cannot serve ``job`` on a route of its own, or None."""
    out_m, out_s = problem.travel(vehicle.profile, vehicle.start, job.location)
    back_m, back_s = problem.travel(vehicle.profile, job.location, vehicle.end)
    if any(math.isnan(x) for x in (out_m, out_s, back_m, back_s)):
        return UnservedReason.UNREACHABLE, f"{vehicle.id}: no path depot -> stop -> depot"
    for amount, capacity, unit in (
        (max(job.delivery_kg, job.pickup_kg), vehicle.capacity_kg, "kg"),
        (max(job.delivery_m3, job.pickup_m3), vehicle.capacity_m3, "m3"),
    ):
        if amount > capacity:
            return (UnservedReason.DEMAND_EXCEEDS_VEHICLE_CAPACITY,
                    f"{vehicle.id}: {amount:g} {unit} > capacity {capacity:g} {unit}")
    round_trip_m = out_m + back_m
    if vehicle.max_distance_m is not None and round_trip_m > vehicle.max_distance_m:
        return (UnservedReason.RANGE_EXCEEDED,
                f"{vehicle.id}: round trip {round_trip_m:.0f} m > range "
                f"{vehicle.max_distance_m:.0f} m")
    shift_start, shift_end = vehicle.shift_s
    if not _window_met(job, shift_start + out_s, back_s, shift_end):
        return (UnservedReason.TIME_WINDOW_UNREACHABLE,
                f"{vehicle.id}: earliest arrival {format_clock(shift_start + out_s)}, windows "
                f"{format_windows(job.time_windows_s)}, shift ends {format_clock(shift_end)}")
    busy_s = out_s + job.service_duration_s + back_s
    if vehicle.max_duration_s is not None and busy_s > vehicle.max_duration_s:
        return (UnservedReason.ROUTE_DURATION_EXCEEDED,
                f"{vehicle.id}: round trip {busy_s / 60:.0f} min > max duration "
                f"{vehicle.max_duration_s / 60:.0f} min")
    released_arrival = max(shift_start, job.release_s) + out_s
    if not _window_met(job, released_arrival, back_s, shift_end):
        return (UnservedReason.RELEASED_TOO_LATE,
                f"{vehicle.id}: goods at the depot from {format_clock(job.release_s)}, "
                f"earliest arrival {format_clock(released_arrival)}, windows "
                f"{format_windows(job.time_windows_s)}, shift ends {format_clock(shift_end)}")
    return None


def _window_met(job: Job, arrival_s: float, back_s: float, shift_end_s: float) -> bool:
    """Whether arriving at ``arrival_s`` some window of ``job`` is met and the vehicle is
    back by ``shift_end_s``."""
    return any(end >= arrival_s
               and max(arrival_s, start) + job.service_duration_s + back_s <= shift_end_s
               for start, end in job.time_windows_s)


def lone_feasible_vehicles(problem: RoutingProblem, job: Job) -> tuple[Vehicle, ...]:
    """Compatible vehicles that could serve ``job`` on a route of its own."""
    return tuple(v for v in compatible_vehicles(problem, job)
                 if lone_trip_failure(problem, job, v) is None)


def _shipment_partner(problem: RoutingProblem, job: Job) -> Job | None:
    for shipment in problem.shipments:
        if shipment.pickup.id == job.id:
            return shipment.delivery
        if shipment.delivery.id == job.id:
            return shipment.pickup
    return None


def _single_job_reason(problem: RoutingProblem, job: Job) -> UnservedJob | None:
    if not problem.vehicles:
        return UnservedJob(job.id, job.order_ids, UnservedReason.NO_VEHICLE_AVAILABLE,
                           "the problem has no vehicles")
    vehicles = compatible_vehicles(problem, job)
    if not vehicles:
        wanted = sorted(job.allowed_vehicles or ())
        return UnservedJob(job.id, job.order_ids, UnservedReason.NO_COMPATIBLE_VEHICLE,
                           f"allowed vehicles {', '.join(wanted) or 'none'} are not in "
                           "the fleet")
    failures = [lone_trip_failure(problem, job, v) for v in vehicles]
    if any(f is None for f in failures):
        return None
    known = [f for f in failures if f is not None]
    reason = max((f[0] for f in known), key=_CHECK_ORDER.index)
    return UnservedJob(job.id, job.order_ids, reason, "; ".join(f[1] for f in known))


def static_reason(problem: RoutingProblem, job: Job) -> UnservedJob | None:
    """Why no vehicle can serve ``job`` even alone (None when some vehicle can).

    A shipment end inherits its partner's reason: both ends travel together.
    """
    own = _single_job_reason(problem, job)
    if own is not None:
        return own
    partner = _shipment_partner(problem, job)
    if partner is None:
        return None
    theirs = _single_job_reason(problem, partner)
    if theirs is None:
        return None
    return UnservedJob(job.id, job.order_ids, theirs.reason,
                       f"shipment partner {partner.id}: {theirs.detail}")


def _fleet_shortfall(problem: RoutingProblem, job: Job) -> str | None:
    fleet = lone_feasible_vehicles(problem, job)
    fleet_ids = {v.id for v in fleet}
    sharing = [other for other in problem.all_jobs()
               if {v.id for v in lone_feasible_vehicles(problem, other)} & fleet_ids]
    for field, capacity_field, unit in (("delivery_kg", "capacity_kg", "kg"),
                                        ("delivery_m3", "capacity_m3", "m3"),
                                        ("pickup_kg", "capacity_kg", "kg"),
                                        ("pickup_m3", "capacity_m3", "m3")):
        demand = sum(getattr(other, field) for other in sharing)
        capacity = sum(getattr(v, capacity_field) * v.max_trips for v in fleet)
        if demand > capacity:
            kind = field.split("_")[0]
            return (f"{kind} demand {demand:g} {unit} of {len(sharing)} jobs > capacity "
                    f"x trips {capacity:g} {unit} of vehicles {', '.join(sorted(fleet_ids))}")
    return None


def diagnose_job(problem: RoutingProblem, job: Job) -> UnservedJob:
    """The reason ``job`` is unserved (assuming it is)."""
    static = static_reason(problem, job)
    if static is not None:
        return static
    shortfall = _fleet_shortfall(problem, job)
    if shortfall is not None:
        return UnservedJob(job.id, job.order_ids, UnservedReason.FLEET_CAPACITY_SHORTFALL,
                           shortfall)
    names = sorted(v.id for v in lone_feasible_vehicles(problem, job))
    return UnservedJob(job.id, job.order_ids, UnservedReason.NOT_INSERTED,
                       f"feasible alone on {', '.join(names)}, but no room in the solver's routes "
                       f"(time, capacity or cost against its penalty)")


def diagnose_unserved(problem: RoutingProblem, job_ids: Iterable[str]) -> tuple[UnservedJob, ...]:
    """Reasons for every unserved job id, in the given order."""
    return tuple(diagnose_job(problem, problem.job(job_id)) for job_id in job_ids)
