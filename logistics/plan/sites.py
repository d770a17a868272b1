"""Sites and vehicles as the travel model sees them: routing points and road profiles."""

from __future__ import annotations

from logistics.errors import ProblemCollector
from logistics.model.dataset import DataSet
from logistics.model.domain import VehicleClass, VehicleType
from logistics.travel.base import (
    CARGO_BIKE_MAX_SPEED_KMH,
    HGV_MAX_SPEED_KMH,
    Point,
    VehicleProfile,
)

HGV_MIN_GROSS_WEIGHT_KG = 3500.0
"""Vehicles above this permitted gross weight are heavy goods vehicles (EU 561/2006
driving rules, the 80 km/h limit of Trafikkreglene § 13, hgv access tags)."""


def vehicle_profile(vehicle_type: VehicleType) -> VehicleProfile:
    """The road profile a vehicle type drives on, named by its physical limits: types
    of the same height, weight, length, top speed and zero-emission status share a
    profile and its matrices. Heavy vehicles keep to their legal top speed, electric
    cargo bikes to their assisted top speed."""
    heavy = vehicle_type.gross_weight_kg > HGV_MIN_GROSS_WEIGHT_KG
    top_speed_kmh = (
        CARGO_BIKE_MAX_SPEED_KMH
        if vehicle_type.vehicle_class is VehicleClass.CARGO_BIKE
        else HGV_MAX_SPEED_KMH if heavy else None
    )
    name = (f"{'hgv' if heavy else 'light'}-h{vehicle_type.height_m:g}m"
            f"-w{vehicle_type.gross_weight_kg:g}kg-l{vehicle_type.length_m:g}m"
            + (f"-{top_speed_kmh:g}kmh" if top_speed_kmh else "")
            + ("-zero-emission" if vehicle_type.is_zero_emission else ""))
    return VehicleProfile(
        name=name,
        height_m=vehicle_type.height_m,
        weight_kg=vehicle_type.gross_weight_kg,
        length_m=vehicle_type.length_m,
        is_hgv=heavy,
        is_zero_emission=vehicle_type.is_zero_emission,
        max_speed_kmh=top_speed_kmh,
    )


def site_points(dataset: DataSet) -> tuple[Point, ...]:
    """Every supplier depot, hub and unit as a routing point (ids must not clash)."""
    points = [Point(s.id, s.lon, s.lat) for s in dataset.suppliers]
    points += [Point(h.id, h.lon, h.lat) for h in dataset.hubs]
    points += [Point(u.id, u.lon, u.lat) for u in dataset.units]
    problems = ProblemCollector()
    seen: set[str] = set()
    for point in points:
        if point.id in seen:
            problems.add("data set", f"id={point.id}", "id", point.id,
                         "ids unique across suppliers, hubs and units")
        seen.add(point.id)
    problems.raise_if_any()
    return tuple(points)
