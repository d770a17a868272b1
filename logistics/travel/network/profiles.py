"""Vehicle access on roads: OSM restriction tags and which edges a vehicle profile may use.

Restrictions read from OSM: ``maxheight`` (m), ``maxweight`` (t), ``maxlength`` (m)
and access by the OSM key hierarchy: for heavy goods vehicles (> 3.5 t, ``is_hgv``)
``hgv`` > ``motor_vehicle`` > ``vehicle`` > ``access``; for vans ``goods`` >
``motor_vehicle`` > ``vehicle`` > ``access``; for each key a ``:forward`` or
``:backward`` variant (along or against the way's drawing direction) overrides it in
that direction. ``destination`` and ``delivery`` count as allowed: every trip in this
tool delivers to a destination. An optional
zero-emission zone (WGS84 polygon) closes every edge touching it to vehicles that
are not zero-emission.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from logistics.travel.base import HGV_MAX_SPEED_KMH, VehicleProfile

ALLOWED_ACCESS = frozenset(
    {"yes", "designated", "permissive", "destination", "delivery", "customers", "discouraged"}
)
"""Access values that let a delivery vehicle in."""

VAN_ACCESS_KEYS = ("goods", "motor_vehicle", "vehicle", "access")
HGV_ACCESS_KEYS = ("hgv", "motor_vehicle", "vehicle", "access")
DIRECTIONS = ("forward", "backward")
RESTRICTION_TAGS = (
    "maxheight",
    "maxweight",
    "maxlength",
    *sorted({*VAN_ACCESS_KEYS, *HGV_ACCESS_KEYS}),
    *sorted({f"{key}:{d}" for key in (*VAN_ACCESS_KEYS, *HGV_ACCESS_KEYS) for d in DIRECTIONS}),
)
"""OSM way tags the loaders must keep."""

STANDARD_PROFILES: dict[str, VehicleProfile] = {
    "default": VehicleProfile(),
    "van": VehicleProfile(name="van", height_m=2.6, weight_kg=3_500, length_m=6.0),
    "e-van": VehicleProfile(
        name="e-van", height_m=2.6, weight_kg=3_500, length_m=6.0, is_zero_emission=True
    ),
    "rigid-truck": VehicleProfile(
        name="rigid-truck", height_m=3.8, weight_kg=18_000, length_m=10.0, is_hgv=True,
        max_speed_kmh=HGV_MAX_SPEED_KMH,
    ),
}
"""Profiles selectable by name on the command line (typical Norwegian vehicles; assumption)."""

_FEET_INCHES = re.compile(r"^\s*(\d+)\s*'\s*(?:(\d+)\s*\")?\s*$")
_NUMBER_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")


def _first_value(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, list | tuple):
        values = [v for v in (_first_value(v) for v in value) if v is not None]
        return values[0] if values else None
    text = str(value).strip().lower()
    return text or None


def _numbers(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [t for v in value for t in _numbers(v)]
    text = _first_value(value)
    return [] if text is None else [t for t in re.split(r"[;|]", text) if t.strip()]


def parse_length_m(value: object) -> float:
    """A ``maxheight``/``maxlength`` value in metres (NaN when untagged or not a number).

    Accepts ``"4.3"``, ``"4.3 m"``, ``"14'6\\""`` (feet/inches); lists give the lowest.
    """
    found: list[float] = []
    for text in _numbers(value):
        feet = _FEET_INCHES.match(text)
        if feet:
            found.append(int(feet.group(1)) * 0.3048 + int(feet.group(2) or 0) * 0.0254)
            continue
        match = _NUMBER_UNIT.match(text.replace(",", "."))
        if match and match.group(2) in ("", "m"):
            found.append(float(match.group(1)))
    return min(found) if found else float("nan")


def parse_weight_kg(value: object) -> float:
    """A ``maxweight`` value in kilograms (tonnes unless ``kg``/``lbs``; NaN when not a number)."""
    factors = {"": 1000.0, "t": 1000.0, "kg": 1.0, "lbs": 0.45359237, "st": 907.18474}
    found: list[float] = []
    for text in _numbers(value):
        match = _NUMBER_UNIT.match(text.replace(",", "."))
        if match and match.group(2) in factors:
            found.append(float(match.group(1)) * factors[match.group(2)])
    return min(found) if found else float("nan")


def access_allowed(
    tags: Mapping[str, object], keys: tuple[str, ...], direction: str | None = None
) -> bool:
    """Whether the most specific tagged access key in ``keys`` lets a delivery vehicle in,
    travelling in ``direction`` (``forward`` or ``backward`` along the way, or None)."""
    for key in keys:
        for tag in (f"{key}:{direction}", key) if direction else (key,):
            value = _first_value(tags.get(tag))
            if value is not None:
                return value in ALLOWED_ACCESS
    return True


def edge_allowed_mask(
    *,
    van_access: np.ndarray,
    hgv_access: np.ndarray,
    maxheight_m: np.ndarray,
    maxweight_kg: np.ndarray,
    maxlength_m: np.ndarray,
    profile: VehicleProfile,
) -> np.ndarray:
    """Boolean mask of edges ``profile`` may drive on (untagged limits never exclude)."""
    allowed = (hgv_access if profile.is_hgv else van_access).copy()
    for limit, size in (
        (maxheight_m, profile.height_m),
        (maxweight_kg, profile.weight_kg),
        (maxlength_m, profile.length_m),
    ):
        if size is not None:
            allowed &= ~(limit < size)
    return allowed


def zone_mask(lines: np.ndarray, zone: BaseGeometry) -> np.ndarray:
    """Edges (shapely lines, WGS84) that touch the zero-emission ``zone``."""
    return np.asarray(shapely.intersects(lines, zone), dtype=bool)
