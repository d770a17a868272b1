"""Solver-neutral routing problem and solution.

Quantities are floats in base units (metres, seconds, kilograms, cubic metres, NOK).
Only the solver adapters convert them to integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from logistics.errors import ProblemCollector
from logistics.travel.base import Point, TravelMatrices


class UnservedReason(StrEnum):
    """Machine-readable reason a job is not on any route."""

    UNREACHABLE = "unreachable"
    DEMAND_EXCEEDS_VEHICLE_CAPACITY = "demand_exceeds_vehicle_capacity"
    TIME_WINDOW_UNREACHABLE = "time_window_unreachable"
    NO_COMPATIBLE_VEHICLE = "no_compatible_vehicle"
    RANGE_EXCEEDED = "range_exceeded"
    ROUTE_DURATION_EXCEEDED = "route_duration_exceeded"
    FLEET_CAPACITY_SHORTFALL = "fleet_capacity_shortfall"
    NOT_INSERTED = "not_inserted_by_solver"
    NO_VEHICLE_AVAILABLE = "no_vehicle_available"
    RELEASED_TOO_LATE = "released_too_late"


@dataclass(frozen=True)
class Job:
    """A stop to serve: deliver (and optionally collect) goods at one point.

    ``delivery_*`` is loaded at the vehicle's start depot and dropped here;
    ``pickup_*`` is collected here and brought back to the vehicle's end depot.
    ``allowed_vehicles`` restricts which vehicle ids may serve the job (None = all).
    ``penalty_nok`` is what leaving the job unserved costs in the objective.
    ``release_s`` is the earliest time its vehicle may leave the depot carrying it (the
    goods are there from then; 0 = from the start of the day): the trip that serves it
    leaves its start depot, or its reload, no earlier.
    """

    id: str
    location: int
    time_windows_s: tuple[tuple[float, float], ...]
    service_duration_s: float = 0.0
    delivery_kg: float = 0.0
    delivery_m3: float = 0.0
    pickup_kg: float = 0.0
    pickup_m3: float = 0.0
    allowed_vehicles: frozenset[str] | None = None
    penalty_nok: float = 100_000.0
    order_ids: tuple[str, ...] = ()
    release_s: float = 0.0


@dataclass(frozen=True)
class Shipment:
    """Goods picked up at one point and delivered to another on the same route."""

    id: str
    pickup: Job
    delivery: Job
    penalty_nok: float = 100_000.0


@dataclass(frozen=True)
class Break:
    """A driver break: ``duration_s`` long, taken once driving since the last break
    reaches ``after_driving_s`` (EU 561/2006: 45 min after 4.5 h)."""

    duration_s: float = 45 * 60
    after_driving_s: float = 4.5 * 3600


@dataclass(frozen=True)
class Vehicle:
    """One vehicle available for the day.

    ``profile`` names the travel matrices it drives on. ``start``/``end`` are
    point indices. ``max_trips`` > 1 lets it return to its end depot to reload;
    each reload takes ``reload_duration_s``.
    """

    id: str
    vehicle_type_id: str
    profile: str
    start: int
    end: int
    capacity_kg: float
    capacity_m3: float
    shift_s: tuple[float, float] = (6 * 3600.0, 18 * 3600.0)
    max_duration_s: float | None = None
    max_distance_m: float | None = None
    fixed_cost_nok: float = 0.0
    cost_nok_per_km: float = 0.0
    cost_nok_per_hour: float = 0.0
    max_trips: int = 1
    driver_break: Break | None = None
    reload_duration_s: float = 0.0


@dataclass(frozen=True)
class RoutingProblem:
    """One day's routing problem: points, matrices per profile, jobs and vehicles."""

    name: str
    points: tuple[Point, ...]
    matrices: Mapping[str, TravelMatrices]
    jobs: tuple[Job, ...]
    vehicles: tuple[Vehicle, ...]
    shipments: tuple[Shipment, ...] = ()

    @property
    def stops(self) -> int:
        """The visits the problem asks for: its jobs and both ends of its shipments."""
        return len(self.jobs) + 2 * len(self.shipments)

    def __post_init__(self) -> None:
        problems = ProblemCollector()
        source = f"routing problem '{self.name}'"
        n = len(self.points)
        for profile, matrices in self.matrices.items():
            if len(matrices.points) != n:
                problems.add(source, f"profile {profile}", "matrices", len(matrices.points),
                             f"{n} points")
        seen: set[str] = set()
        all_jobs = list(self.jobs)
        for shipment in self.shipments:
            all_jobs.extend((shipment.pickup, shipment.delivery))
        for job in all_jobs:
            where = f"job {job.id}"
            if job.id in seen:
                problems.add(source, where, "id", job.id, "unique job ids")
            seen.add(job.id)
            if not 0 <= job.location < n:
                problems.add(source, where, "location", job.location, f"0..{n - 1}")
            for name in ("delivery_kg", "delivery_m3", "pickup_kg", "pickup_m3",
                         "service_duration_s", "penalty_nok", "release_s"):
                if getattr(job, name) < 0:
                    problems.add(source, where, name, getattr(job, name), ">= 0")
            if not job.time_windows_s or any(a > b for a, b in job.time_windows_s):
                problems.add(source, where, "time_windows_s", job.time_windows_s,
                             "one or more (start, end) with start <= end")
        vehicle_ids: set[str] = set()
        for vehicle in self.vehicles:
            where = f"vehicle {vehicle.id}"
            if vehicle.id in vehicle_ids:
                problems.add(source, where, "id", vehicle.id, "unique vehicle ids")
            vehicle_ids.add(vehicle.id)
            if vehicle.profile not in self.matrices:
                problems.add(source, where, "profile", vehicle.profile,
                             ", ".join(sorted(self.matrices)))
            for name in ("start", "end"):
                if not 0 <= getattr(vehicle, name) < n:
                    problems.add(source, where, name, getattr(vehicle, name), f"0..{n - 1}")
            if vehicle.shift_s[1] < vehicle.shift_s[0]:
                problems.add(source, where, "shift_s", vehicle.shift_s, "start <= end")
            if vehicle.max_trips < 1:
                problems.add(source, where, "max_trips", vehicle.max_trips, ">= 1")
        problems.raise_if_any()

    def distance_m(self, profile: str) -> np.ndarray:
        return self.matrices[profile].distance_m

    def duration_s(self, profile: str) -> np.ndarray:
        return self.matrices[profile].duration_s

    def travel(self, profile: str, a: int, b: int) -> tuple[float, float]:
        """(distance_m, duration_s) from point a to b; NaN when unreachable, 0 when a == b."""
        if a == b:
            return 0.0, 0.0
        matrices = self.matrices[profile]
        return float(matrices.distance_m[a, b]), float(matrices.duration_s[a, b])

    def job(self, job_id: str) -> Job:
        for job in self.all_jobs():
            if job.id == job_id:
                return job
        raise KeyError(job_id)

    def all_jobs(self) -> tuple[Job, ...]:
        """Jobs plus both ends of every shipment."""
        extra = tuple(j for s in self.shipments for j in (s.pickup, s.delivery))
        return self.jobs + extra


@dataclass(frozen=True)
class Visit:
    """What a vehicle does at one stop. ``kind`` is delivery, pickup, reload or break.

    ``load_kg``/``load_m3`` is what is on board when the vehicle leaves.
    """

    job_id: str
    location: int
    arrival_s: float
    start_s: float
    departure_s: float
    load_kg: float
    load_m3: float
    kind: str = "delivery"


@dataclass(frozen=True)
class Leg:
    """Driving between two points with ``load_kg`` on board."""

    from_location: int
    to_location: int
    distance_m: float
    duration_s: float
    load_kg: float
    load_m3: float


@dataclass(frozen=True)
class Route:
    """One vehicle's day: ordered visits and the legs between them (incl. return)."""

    vehicle_id: str
    vehicle_type_id: str
    start_s: float
    end_s: float
    visits: tuple[Visit, ...]
    legs: tuple[Leg, ...]

    @property
    def distance_m(self) -> float:
        return float(sum(leg.distance_m for leg in self.legs))

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def stops(self) -> int:
        return sum(1 for v in self.visits if v.kind in ("delivery", "pickup"))


@dataclass(frozen=True)
class UnservedJob:
    """A job on no route, with a machine-readable reason and a human detail."""

    job_id: str
    order_ids: tuple[str, ...]
    reason: UnservedReason
    detail: str = ""


@dataclass(frozen=True)
class Solution:
    """What a solver returns: our own types, never solver objects."""

    problem_name: str
    routes: tuple[Route, ...]
    unserved: tuple[UnservedJob, ...]
    objective_nok: float
    solver: dict[str, object] = field(default_factory=dict)

    @property
    def distance_m(self) -> float:
        return float(sum(r.distance_m for r in self.routes))
