"""Small routing problems on a plane (metres), for the routing tests.

Points are placed at (x, y) metres; distance is Euclidean x ``detour``, duration
is distance at ``speed_kmh``. Point 0 (and 1 when asked) is a depot.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from logistics.routing.problem import Job, RoutingProblem, Shipment, Vehicle
from logistics.travel.base import Point, TravelMatrices


def plane_matrices(xy: Sequence[tuple[float, float]], speed_kmh: float = 36.0,
                   profile: str = "default", detour: float = 1.0) -> TravelMatrices:
    """Matrices between points at metre coordinates ``xy``."""
    coords = np.asarray(xy, dtype=float)
    points = tuple(Point(str(i), 5.0 + x / 1e5, 60.0 + y / 1e5) for i, (x, y) in enumerate(coords))
    delta = coords[:, None, :] - coords[None, :, :]
    distance = np.hypot(delta[..., 0], delta[..., 1]) * detour
    return TravelMatrices(points, distance, distance / (speed_kmh / 3.6), "plane", True,
                          profile=profile)


def vehicle(vehicle_id: str = "v1", **fields: object) -> Vehicle:
    """A van at depot 0 with generous capacity and a 06-18 shift, fields overridable."""
    values: dict[str, object] = dict(vehicle_type_id="van", profile="default", start=0, end=0,
                                     capacity_kg=1000.0, capacity_m3=10.0,
                                     cost_nok_per_km=5.0, cost_nok_per_hour=400.0)
    values.update(fields)
    return Vehicle(vehicle_id, **values)  # type: ignore[arg-type]


def job(job_id: str, location: int, windows: tuple[tuple[float, float], ...] = ((0.0, 86400.0),),
        **fields: object) -> Job:
    """A job with a whole-day window unless told otherwise."""
    return Job(job_id, location, windows, **fields)  # type: ignore[arg-type]


def problem(xy: Sequence[tuple[float, float]], jobs: Sequence[Job], vehicles: Sequence[Vehicle],
            shipments: Sequence[Shipment] = (), matrices: TravelMatrices | None = None,
            extra_profiles: dict[str, TravelMatrices] | None = None) -> RoutingProblem:
    """A routing problem on the plane."""
    base = matrices or plane_matrices(xy)
    profiles = {"default": base, **(extra_profiles or {})}
    return RoutingProblem("test", base.points, profiles, tuple(jobs), tuple(vehicles),
                          tuple(shipments))
