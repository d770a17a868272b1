"""Bergen's districts (bydeler) as areas, and units placed far outside the district they
are registered in.

``zones.geojson`` holds Bergen's delområder without district names; each delområde takes
the district most of the shipped study's units inside it are registered in (as
``SOURCES.md`` derives ``district``), and a district's area is the union of its
delområder. A unit whose position lies more than :data:`TOLERANCE_M` outside its
district's area is likely a mistyped coordinate: a warning, not an error, since a
district boundary may have moved.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely import Point, unary_union
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from logistics.io.tables import load_table
from logistics.model.domain import Unit
from logistics.paths import DATASET_DIR

ZONES_FILE = DATASET_DIR / "zones.geojson"
REGISTERED_UNITS_FILE = DATASET_DIR / "units.csv"
METRIC_CRS = "EPSG:25833"
"""ETRS89 / UTM 33N, metres, the projection Bergen's maps use."""
TOLERANCE_M = 1000.0
"""How far outside its district a unit may lie before a warning (a border street)."""


@cache
def district_areas(zones_file: Path = ZONES_FILE,
                   registered_units_file: Path = REGISTERED_UNITS_FILE
                   ) -> dict[str, BaseGeometry]:
    """Each district's area in metres (EPSG:25833): the union of the delområder whose
    registered units are mostly of that district."""
    to_metres = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform
    features = json.loads(zones_file.read_text(encoding="utf-8"))["features"]
    zones = [shapely.transform(shape(f["geometry"]),
                               lambda xy: np.column_stack(to_metres(xy[:, 0], xy[:, 1])))
             for f in features]
    units = [(Point(to_metres(u.lon, u.lat)), u.district)
             for u in load_table(registered_units_file, Unit) if u.district]
    by_district: dict[str, list[BaseGeometry]] = {}
    for zone in zones:
        inside = Counter(district for point, district in units if zone.contains(point))
        if inside:
            by_district.setdefault(inside.most_common(1)[0][0], []).append(zone)
    return {district: unary_union(parts) for district, parts in by_district.items()}


def district_warnings(units: Iterable[Unit], areas: dict[str, BaseGeometry]) -> list[str]:
    """A sentence for each unit more than :data:`TOLERANCE_M` outside the area of the
    district it is registered in (units without a known district are not judged)."""
    to_metres = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform
    warnings = []
    for unit in units:
        area = areas.get(unit.district)
        if area is None:
            continue
        distance_m = area.distance(Point(to_metres(unit.lon, unit.lat)))
        if distance_m > TOLERANCE_M:
            warnings.append(f"unit {unit.id} ({unit.name}) at lat {unit.lat:.5f}, lon "
                            f"{unit.lon:.5f} lies {distance_m / 1000:.1f} km outside its "
                            f"registered district {unit.district}: check its position")
    return warnings
