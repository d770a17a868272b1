"""GIS layers of a result folder, for QGIS and other GIS as they are.

``layers.gpkg`` (GeoPackage) and ``geojson/<layer>.geojson`` hold the same five layers,
WGS84 lon/lat (EPSG:4326): ``units``, ``hubs``, ``depots``, ``stops`` and ``routes``.
``stops`` and ``routes`` carry the rows and columns of ``stops.csv`` and ``routes.csv``
(read back from the folder, so they never differ); route lines follow the road network
when the run had one, else the straight legs between stops. Empty layers are written
with their columns.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString

from logistics.model.domain import Site
from logistics.model.study import StudyData
from logistics.pipeline.result import (
    ROUTE_COLUMNS,
    ROUTE_KEYS,
    STOP_COLUMNS,
    ScenarioResult,
    route_id,
)
from logistics.plan.builder import PlannedRoute, scenario_disruptions
from logistics.plan.disruptions import Disruptions
from logistics.plan.sites import vehicle_profile
from logistics.scenarios.schema import Scenario
from logistics.travel.base import Point, TravelModel

GPKG_FILE = "layers.gpkg"
GEOJSON_DIR = "geojson"
CRS = "EPSG:4326"
LAYERS = ("units", "hubs", "depots", "stops", "routes")
CROW_FLY_KIND = "straight legs (crow-fly, not the road)"
ROAD_KIND = "road network"
ROAD_GAP_KIND = "road network, straight legs where no road path"

_TEXT_COLUMNS = (*ROUTE_KEYS, "step_type", "site_id", "site_name", "arrival_hhmm",
                 "departure_hhmm", "orders", "start_hhmm", "end_hhmm")
_INTEGER_COLUMNS = ("step_number", "stops")
"""Columns of ``stops.csv`` and ``routes.csv`` read back as text and as integers; the
rest are numbers."""


def write_layers(result: ScenarioResult, scenario: Scenario, study: StudyData,
                 travel: TravelModel, folder: Path) -> list[Path]:
    """Write ``layers.gpkg`` and one GeoJSON file per layer into a result folder that
    :func:`~logistics.pipeline.result.write_result` wrote; returns the files written.
    ``travel`` is the run's travel model: on a road network, route lines follow the
    roads of each day (its closures included)."""
    routes = _table(folder / "routes.csv", ROUTE_COLUMNS)
    lines, kinds = _route_lines(result, scenario, study, travel, list(routes["route_id"]))
    stops = _table(folder / "stops.csv", STOP_COLUMNS)
    visited = _visited(result)
    layers = {
        "units": _units(result, study),
        "hubs": _points([{"id": h.id, "name": h.name, "area": h.area,
                          "illustrative": h.illustrative, "used": h.id in visited}
                         for h in study.hubs], study.hubs),
        "depots": _points([{"id": s.id, "name": s.name, "area": s.area,
                            "categories": ";".join(s.categories),
                            "illustrative": s.illustrative} for s in study.suppliers],
                          study.suppliers),
        "stops": gpd.GeoDataFrame(stops, geometry=gpd.points_from_xy(stops["lon"],
                                                                     stops["lat"]), crs=CRS),
        "routes": gpd.GeoDataFrame(routes.assign(geometry_kind=kinds),
                                   geometry=gpd.GeoSeries(lines, crs=CRS), crs=CRS),
    }
    gpkg = folder / GPKG_FILE
    gpkg.unlink(missing_ok=True)  # no layer of an earlier run stays behind
    (folder / GEOJSON_DIR).mkdir(exist_ok=True)
    written = [gpkg]
    for name, frame in layers.items():
        geometry_type = "LineString" if name == "routes" else "Point"
        frame.to_file(gpkg, layer=name, driver="GPKG", geometry_type=geometry_type)
        path = folder / GEOJSON_DIR / f"{name}.geojson"
        path.unlink(missing_ok=True)
        frame.to_file(path, driver="GeoJSON", geometry_type=geometry_type)
        written.append(path)
    return written


def _table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """A CSV of the result folder with ids and times as text (ids exactly as written)."""
    dtypes = {c: str if c in _TEXT_COLUMNS else "int64" if c in _INTEGER_COLUMNS
              else "float64" for c in columns}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False)


def _points(rows: list[dict[str, Any]], sites: Sequence[Site]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), crs=CRS, geometry=gpd.points_from_xy(
        [s.lon for s in sites], [s.lat for s in sites]))


def _visited(result: ScenarioResult) -> set[str]:
    """Ids of the sites some route starts, stops or ends at."""
    return {result.point_ids[location] for planned, _ in result.routes
            for leg in planned.route.legs for location in (leg.from_location, leg.to_location)}


def _units(result: ScenarioResult, study: StudyData) -> gpd.GeoDataFrame:
    demand_kg: defaultdict[str, float] = defaultdict(float)
    for order in result.orders:
        demand_kg[order.unit_id] += order.demand_kg_per_week
    unserved = Counter(u.delivery.unit_id for u in result.unserved)
    return _points([{"id": u.id, "name": u.name, "unit_type": str(u.unit_type),
                     "size": u.size, "size_basis": u.size_basis, "district": u.district,
                     "demand_kg_per_week": round(demand_kg[u.id], 3),
                     "served": unserved[u.id] == 0, "unserved_deliveries": unserved[u.id]}
                    for u in study.units], study.units)


def _route_lines(result: ScenarioResult, scenario: Scenario, study: StudyData,
                 travel: TravelModel, route_ids: Sequence[str]) -> tuple[list[LineString],
                                                                          list[str]]:
    """Each route's line (start to end through its stops) and how it was drawn, in the
    order of ``route_ids``."""
    from logistics.travel.network.model import RoadNetworkModel  # heavy: only for roads

    by_id = {route_id(planned): planned for planned, _ in result.routes}
    if not isinstance(travel, RoadNetworkModel):
        return [_straight(result, by_id[r]) for r in route_ids], [CROW_FLY_KIND] * len(route_ids)
    disruptions = scenario_disruptions(scenario, study, travel)
    drawn = [_road(result, study, disruptions, by_id[r]) for r in route_ids]
    return [line for line, _ in drawn], [kind for _, kind in drawn]


def _site_ids(result: ScenarioResult, planned: PlannedRoute) -> list[str]:
    legs = planned.route.legs
    return [result.point_ids[legs[0].from_location],
            *(result.point_ids[leg.to_location] for leg in legs)]


def _straight(result: ScenarioResult, planned: PlannedRoute) -> LineString:
    sites = [result.sites[i] for i in _site_ids(result, planned)]
    return LineString([(s.lon, s.lat) for s in sites])


def _road(result: ScenarioResult, study: StudyData, disruptions: Disruptions,
          planned: PlannedRoute) -> tuple[LineString, str]:
    """The route on the roads of its day: each leg the shortest road path (the distance
    the accounts count); a straight leg where there is none."""
    from logistics.travel.network.model import RoadNetworkModel

    _, model = disruptions.travel_on(planned.day)
    assert isinstance(model, RoadNetworkModel)  # the day's roads of a road network
    profile = vehicle_profile(study.vehicle_types[planned.route.vehicle_type_id])
    ids = _site_ids(result, planned)
    coords: list[tuple[float, float]] = [_lon_lat(result.sites[ids[0]])]
    kind = ROAD_KIND
    for from_id, to_id in itertools.pairwise(ids):
        if from_id == to_id:  # waiting or reloading where it stands
            coords.append(coords[-1])
            continue
        ends = _ends(result.sites, from_id, to_id)
        line = model.leg_geometry(ends, profile, from_id, to_id, fastest=False)
        if line is None:
            kind = ROAD_GAP_KIND
            coords.append(_lon_lat(result.sites[to_id]))
        else:
            coords.extend(tuple(c) for c in list(line.coords)[1:])
    return LineString(coords), kind


def _ends(sites: Mapping[str, Site], from_id: str, to_id: str) -> tuple[Point, Point]:
    a, b = sites[from_id], sites[to_id]
    return Point(a.id, a.lon, a.lat), Point(b.id, b.lon, b.lat)


def _lon_lat(site: Site) -> tuple[float, float]:
    return site.lon, site.lat
