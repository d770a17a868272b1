"""A tiny tagged road network written as GeoJSON, for restriction, closure and CLI tests.

Two roads join A and B (1 km apart, east-west): a direct road ``Lavveien`` (way 1,
1,000 m, under a 3.5 m bridge) and a detour ``Omveien`` (way 2, 2,000 m, via 500 m
north). It lies in an empty spot of Norway (lon 10.0, lat 60.0), not in Bergen.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from logistics.travel.base import Point
from logistics.travel.crowfly import EARTH_RADIUS_M

LON0, LAT0 = 10.0, 60.0
M_PER_DEG_LAT = math.pi * EARTH_RADIUS_M / 180.0  # the geodesic lengths use this sphere
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(LAT0))


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """lon, lat of a point ``east_m``/``north_m`` from A."""
    return LON0 + east_m / M_PER_DEG_LON, LAT0 + north_m / M_PER_DEG_LAT


def write_two_road_network(path: Path, direct_tags: dict[str, str] | None = None) -> Path:
    """Write the network; ``direct_tags`` override tags of the direct road."""
    direct = {
        "@id": "way/1",
        "highway": "residential",
        "maxspeed": "50",
        "name": "Lavveien",
        "maxheight": "3.5",
    }
    detour = {"@id": "way/2", "highway": "residential", "maxspeed": "50", "name": "Omveien"}
    features = [
        {"type": "Feature", "properties": {**direct, **(direct_tags or {})},
         "geometry": {"type": "LineString", "coordinates": [at(0, 0), at(500, 0), at(1000, 0)]}},
        {"type": "Feature", "properties": detour,
         "geometry": {"type": "LineString",
                      "coordinates": [at(0, 0), at(0, 500), at(1000, 500), at(1000, 0)]}},
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


DEPOT = Point("depot", *at(0, -30))
UNIT = Point("unit", *at(1000, -30))
FAR = Point("far", *at(500, -2_000))
