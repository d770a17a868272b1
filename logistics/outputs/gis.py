"""GIS layers of a result folder, for QGIS and other GIS as they are.

``layers.gpkg`` (GeoPackage) and ``geojson/<layer>.geojson`` hold the same seven
layers, WGS84 lon/lat (EPSG:4326): ``units``, ``hubs``, ``depots``, ``stops``,
``routes``, ``unserved_units`` and ``closed_links``. ``stops`` and ``routes`` carry the
rows and columns of ``stops.csv`` and ``routes.csv`` (read back from the folder, so they
never differ); route lines follow the road network when the run had one, else the
straight legs between stops. ``unserved_units`` has one point per unit with deliveries
not made (how many, kg, reasons, days); ``closed_links`` the road edges the scenario's
road closures close (one line per road piece, both directions together), or, on
crow-fly travel where closures are not applied, the outline of a closure's polygon.
Empty layers are written with their columns.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from logistics.clock import WEEKDAYS
from logistics.model.dataset import DataSet
from logistics.model.domain import Site
from logistics.pipeline.result import ScenarioResult, route_id
from logistics.pipeline.result_schema import ResultRow, RouteRow, StopRow
from logistics.pipeline.scenario_check import CheckedScenario
from logistics.plan.deliveries import UnservedDelivery
from logistics.plan.disruptions import Disruptions
from logistics.plan.planned import PlannedRoute
from logistics.plan.sites import vehicle_profile
from logistics.scenarios.disruptions import RoadClosure
from logistics.scenarios.schema import Scenario
from logistics.travel.base import Point, TravelModel

if TYPE_CHECKING:
    from logistics.travel.network.graph import RoadGraph

GPKG_FILE = "layers.gpkg"
GEOJSON_DIR = "geojson"
CRS = "EPSG:4326"
LAYERS = ("units", "hubs", "depots", "stops", "routes", "unserved_units", "closed_links")
LINE_LAYERS = ("routes", "closed_links")
"""The layers of LineStrings; the others are Points."""
CROW_FLY_KIND = "straight legs (crow-fly, not the road)"
ROAD_KIND = "road network"
ROAD_GAP_KIND = "road network, straight legs where no road path"

UNSERVED_UNIT_COLUMNS = ("id", "name", "unit_type", "unserved_deliveries", "unserved_kg",
                         "reasons", "days", "details")
CLOSED_LINK_COLUMNS = ("disruption", "days", "way_id", "street_name", "applied")
EVERY_DAY = "every day"
"""``days`` of a closure that applies on every planning day."""

def write_layers(result: ScenarioResult, checked: CheckedScenario, folder: Path) -> list[Path]:
    """Write ``layers.gpkg`` and one GeoJSON file per layer into a result folder that
    :func:`~logistics.pipeline.result.write_result` wrote; returns the files written.
    ``checked`` is the scenario the result was run from: on a road network, route lines
    follow the roads of each day, its closures included (the disruptions the check
    resolved)."""
    scenario, dataset, travel = checked.scenario, checked.dataset, checked.travel
    routes = _table(folder, RouteRow)
    lines, kinds = _route_lines(result, checked, list(routes["route_id"]))
    stops = _table(folder, StopRow)
    visited = _visited(result)
    layers = {
        "units": _units(result, dataset),
        "hubs": _points([{"id": h.id, "name": h.name, "area": h.area,
                          "illustrative": h.illustrative, "used": h.id in visited}
                         for h in dataset.hubs], dataset.hubs),
        "depots": _points([{"id": s.id, "name": s.name, "area": s.area,
                            "categories": ";".join(s.categories),
                            "illustrative": s.illustrative} for s in dataset.suppliers],
                          dataset.suppliers),
        "stops": gpd.GeoDataFrame(stops, geometry=gpd.points_from_xy(stops["lon"],
                                                                     stops["lat"]), crs=CRS),
        "routes": gpd.GeoDataFrame(routes.assign(geometry_kind=kinds),
                                   geometry=gpd.GeoSeries(lines, crs=CRS), crs=CRS),
        "unserved_units": _unserved_units(result, dataset),
        "closed_links": _closed_links(scenario, travel),
    }
    gpkg = folder / GPKG_FILE
    gpkg.unlink(missing_ok=True)  # no layer of an earlier run stays behind
    (folder / GEOJSON_DIR).mkdir(exist_ok=True)
    written = [gpkg]
    for name, frame in layers.items():
        geometry_type = "LineString" if name in LINE_LAYERS else "Point"
        frame.to_file(gpkg, layer=name, driver="GPKG", geometry_type=geometry_type)
        path = folder / GEOJSON_DIR / f"{name}.geojson"
        path.unlink(missing_ok=True)
        frame.to_file(path, driver="GeoJSON", geometry_type=geometry_type)
        written.append(path)
    return written


def _table(folder: Path, model: type[ResultRow]) -> pd.DataFrame:
    """A CSV of the result folder with ids and times as text (ids exactly as written)."""
    return pd.read_csv(folder / model.FILE, dtype=model.dtypes(), keep_default_na=False)


def _points(rows: list[dict[str, object]], sites: Sequence[Site],
            columns: tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(columns) if columns else None),
                            crs=CRS,
                            geometry=gpd.points_from_xy([s.lon for s in sites],
                                                        [s.lat for s in sites]))


def _visited(result: ScenarioResult) -> set[str]:
    """Ids of the sites some route starts, stops or ends at."""
    return {result.point_ids[location] for planned, _ in result.routes
            for leg in planned.route.legs for location in (leg.from_location, leg.to_location)}


def _units(result: ScenarioResult, dataset: DataSet) -> gpd.GeoDataFrame:
    demand_kg: defaultdict[str, float] = defaultdict(float)
    for order in result.orders:
        demand_kg[order.unit_id] += order.demand_kg_per_week
    unserved = Counter(u.delivery.unit_id for u in result.unserved)
    return _points([{"id": u.id, "name": u.name, "unit_type": str(u.unit_type),
                     "size": u.size, "size_basis": u.size_basis, "district": u.district,
                     "demand_kg_per_week": round(demand_kg[u.id], 3),
                     "served": unserved[u.id] == 0, "unserved_deliveries": unserved[u.id]}
                    for u in dataset.units], dataset.units)


def _unserved_units(result: ScenarioResult, dataset: DataSet) -> gpd.GeoDataFrame:
    """One point per unit with deliveries not made: how many, their kg, the distinct
    reasons, the days (in week order) and the distinct details."""
    missed: defaultdict[str, list[UnservedDelivery]] = defaultdict(list)
    for unserved in result.unserved:
        missed[unserved.delivery.unit_id].append(unserved)
    units = [u for u in dataset.units if u.id in missed]
    rows = []
    for unit in units:
        own = missed[unit.id]
        days = {m.delivery.day for m in own}
        rows.append({"id": unit.id, "name": unit.name, "unit_type": str(unit.unit_type),
                     "unserved_deliveries": len(own),
                     "unserved_kg": round(sum(m.delivery.demand_kg for m in own), 3),
                     "reasons": ";".join(sorted({str(m.reason) for m in own})),
                     "days": ";".join(d for d in WEEKDAYS if d in days),
                     "details": "; ".join(dict.fromkeys(m.detail for m in own if m.detail))})
    return _points(rows, units, UNSERVED_UNIT_COLUMNS).astype(
        {"unserved_deliveries": "int64", "unserved_kg": "float64"})


def _closed_links(scenario: Scenario, travel: TravelModel) -> gpd.GeoDataFrame:
    """The road pieces each road closure of the scenario closes (on a road network), or
    the outline of its polygon (crow-fly: ``applied`` false, nothing was closed)."""
    from logistics.travel.network.model import RoadNetworkModel  # heavy: only for roads

    rows: list[dict[str, object]] = []
    lines: list[LineString] = []
    for closure in (d for d in scenario.disruptions if isinstance(d, RoadClosure)):
        common = {"disruption": closure.name(), "days": ";".join(closure.days) or EVERY_DAY}
        if isinstance(travel, RoadNetworkModel):
            graph = travel.network
            edges = _one_way_of_each(graph, np.flatnonzero(closure.closure().closed_edges(graph)))
            lines += [LineString(graph.edge_coords(e)) for e in edges]
            rows += [common | {"way_id": int(graph.way_id[e]),
                               "street_name": str(graph.street_name[e]), "applied": True}
                     for e in edges]
        elif closure.polygon is not None:
            lines.append(LineString([*closure.polygon, closure.polygon[0]]))
            rows.append(common | {"way_id": -1, "street_name": "", "applied": False})
    frame = pd.DataFrame(rows, columns=CLOSED_LINK_COLUMNS).astype(
        {"way_id": "int64", "applied": "bool"})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(lines, crs=CRS), crs=CRS)


def _one_way_of_each(graph: RoadGraph, edges: np.ndarray) -> list[int]:
    """``edges`` without the twin running the other way along the same way."""
    seen: set[tuple[int, int, int]] = set()
    kept = []
    for edge in edges.tolist():
        u, v = int(graph.edge_u[edge]), int(graph.edge_v[edge])
        key = (min(u, v), max(u, v), int(graph.way_id[edge]))
        if key not in seen:
            seen.add(key)
            kept.append(edge)
    return kept


def _route_lines(result: ScenarioResult, checked: CheckedScenario,
                 route_ids: Sequence[str]) -> tuple[list[LineString], list[str]]:
    """Each route's line (start to end through its stops) and how it was drawn, in the
    order of ``route_ids``."""
    from logistics.travel.network.model import RoadNetworkModel  # heavy: only for roads

    by_id = {route_id(planned): planned for planned, _ in result.routes}
    if not isinstance(checked.travel, RoadNetworkModel):
        return [_straight(result, by_id[r]) for r in route_ids], [CROW_FLY_KIND] * len(route_ids)
    drawn = [_road(result, checked.dataset, checked.disruptions, by_id[r]) for r in route_ids]
    return [line for line, _ in drawn], [kind for _, kind in drawn]


def _site_ids(result: ScenarioResult, planned: PlannedRoute) -> list[str]:
    legs = planned.route.legs
    return [result.point_ids[legs[0].from_location],
            *(result.point_ids[leg.to_location] for leg in legs)]


def _straight(result: ScenarioResult, planned: PlannedRoute) -> LineString:
    sites = [result.sites[i] for i in _site_ids(result, planned)]
    return LineString([(s.lon, s.lat) for s in sites])


def _road(result: ScenarioResult, dataset: DataSet, disruptions: Disruptions,
          planned: PlannedRoute) -> tuple[LineString, str]:
    """The route on the roads of its day: each leg the shortest road path (the distance
    the accounts count); a straight leg where there is none."""
    from logistics.travel.network.model import RoadNetworkModel

    _, model = disruptions.travel_on(planned.day)
    assert isinstance(model, RoadNetworkModel)  # the day's roads of a road network
    profile = vehicle_profile(dataset.vehicle_types[planned.route.vehicle_type_id])
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
