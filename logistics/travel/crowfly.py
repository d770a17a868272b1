"""Crow-fly travel: great-circle distance times a detour factor, speed by distance band.

Approximate by design. Every output made with it says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from logistics.geo import haversine_m
from logistics.travel.base import Point, TravelDescription, TravelMatrices, VehicleProfile

DEFAULT_DETOUR_FACTOR = 1.45
"""Road distance / straight-line distance, measured: the median ratio over 8,284
directed pairs of 92 random sites (more than 500 m apart, seed 2024) on the
OpenStreetMap main-road network of Oslo (2024-06-05; interquartile range 1.30-1.72),
``benchmarks/detour_factor.py``. A main-road factor from Oslo, not a Bergen one;
Bergen's fjords and hills likely make the real factor larger."""

DEFAULT_SPEED_BANDS_KMH: tuple[tuple[float, float], ...] = (
    (2_000.0, 25.0),
    (10_000.0, 35.0),
    (float("inf"), 50.0),
)
"""(upper distance bound in metres of road distance, average speed km/h). Assumption:
short hops are urban streets, long ones use main roads; the CityFreight afternoon
speeds for central Bergen (median 38 km/h, all vehicles) sit inside this range."""


@dataclass(frozen=True)
class CrowFlyModel:
    """Straight line x detour factor; duration from a speed per distance band."""

    detour_factor: float = DEFAULT_DETOUR_FACTOR
    speed_bands_kmh: tuple[tuple[float, float], ...] = DEFAULT_SPEED_BANDS_KMH

    def __post_init__(self) -> None:
        if self.detour_factor < 1.0:
            raise ValueError("detour_factor must be >= 1")
        bounds = [b for b, _ in self.speed_bands_kmh]
        if bounds != sorted(bounds) or bounds[-1] != float("inf"):
            raise ValueError("speed bands must be sorted and end with an unbounded band")
        if any(speed <= 0 for _, speed in self.speed_bands_kmh):
            raise ValueError("speeds must be positive")

    @property
    def name(self) -> str:
        return "crow_fly"

    @property
    def approximate(self) -> bool:
        return True

    def matrices(self, points: tuple[Point, ...], profile: VehicleProfile) -> TravelMatrices:
        lon = np.array([p.lon for p in points], dtype=float)
        lat = np.array([p.lat for p in points], dtype=float)
        distance_m = haversine_m(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
        distance_m = distance_m * self.detour_factor
        duration_s = self.duration_s(distance_m, profile.max_speed_kmh)
        return TravelMatrices(
            points=tuple(points),
            distance_m=distance_m,
            duration_s=duration_s,
            model=self.name,
            approximate=True,
            profile=profile.name,
        )

    def duration_s(
        self, distance_m: np.ndarray, max_speed_kmh: float | None = None
    ) -> np.ndarray:
        """Travel time (s) for road distances (m), at the speed of the band the distance
        falls in, or at the vehicle's ``max_speed_kmh`` where that is lower."""
        speeds_kmh = np.empty_like(distance_m)
        lower = 0.0
        for upper, speed in self.speed_bands_kmh:
            mask = (distance_m >= lower) & (distance_m < upper)
            speeds_kmh[mask] = speed if max_speed_kmh is None else min(speed, max_speed_kmh)
            lower = upper
        return distance_m / (speeds_kmh / 3.6)

    def check_covers(self, points: tuple[Point, ...]) -> None:
        """Crow-fly distances exist between any two points on Earth."""

    def describe(self) -> TravelDescription:
        """The model for result files, strict JSON: the last band's unbounded upper
        distance is ``None`` (``null``)."""
        return {
            "model": self.name,
            "detour_factor": self.detour_factor,
            "speed_bands": [{"up_to_road_m": None if math.isinf(upper) else upper,
                             "speed_kmh": speed} for upper, speed in self.speed_bands_kmh],
            "speed_bands_note": "speed_kmh applies to road distances below up_to_road_m "
                                "(null: no upper bound)",
            "approximate": True,
        }
