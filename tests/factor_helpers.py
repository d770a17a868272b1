"""Builders shared by the emissions, costs and factor tests."""

from __future__ import annotations

from typing import Any

from logistics.model.domain import VehicleType
from logistics.routing.problem import Leg, Route, Visit

DIESEL_KWH_PER_L = 10.056


def make_vehicle(**overrides: Any) -> VehicleType:
    """A diesel Euro 6 van (1000 kg) with energy use given per km; override any field."""
    fields: dict[str, Any] = {
        "id": "test-van", "name": "test van", "vehicle_class": "van",
        "energy_carrier": "diesel", "capacity_kg": 1000, "capacity_m3": 10,
        "temperature_classes": "ambient", "height_m": 2.6, "length_m": 5.9,
        "gross_weight_kg": 3500, "euro_class": "Euro 6",
        "energy_kwh_per_km_empty": 0.8, "energy_kwh_per_km_full": 1.0,
        "fixed_cost_nok_per_day": 400, "cost_nok_per_km": 6.0, "cost_nok_per_hour": 575,
    }
    fields.update(overrides)
    return VehicleType.model_validate(fields)


def make_route(legs: list[tuple[int, int, float, float]],
               visits: list[tuple[str, int, str]],
               start_s: float = 8 * 3600.0, end_s: float = 9 * 3600.0) -> Route:
    """A route from ``legs`` [(from, to, distance_km, load_kg)] and ``visits``
    [(job_id, location, kind)]; leg durations are one minute per km."""
    return Route(
        vehicle_id="v1", vehicle_type_id="test-van", start_s=start_s, end_s=end_s,
        visits=tuple(Visit(job_id, location, 0.0, 0.0, 0.0, 0.0, 0.0, kind)
                     for job_id, location, kind in visits),
        legs=tuple(Leg(a, b, km * 1000, km * 60, load_kg, 0.0) for a, b, km, load_kg in legs),
    )
