"""GIS layers of a result folder as QGIS reads them: ``layers.gpkg`` and ``geojson/``
with the seven layers in EPSG:4326, ids as in the inputs, rows as in the CSV files,
route lines from depot to depot, unserved units as in ``unserved.csv``, the road pieces
a closure closes; crow-fly and road network (``logistics run``)."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.model.dataset import DataSet, load_dataset
from logistics.outputs.gis import (
    CROW_FLY_KIND,
    EVERY_DAY,
    GEOJSON_DIR,
    GPKG_FILE,
    LAYERS,
    ROAD_KIND,
    write_layers,
)
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.result import ScenarioResult, write_result
from logistics.pipeline.run import run_checked
from logistics.pipeline.scenario_check import CheckedScenario, check_scenario
from logistics.plan.disruptions import Disruptions
from logistics.scenarios.disruptions import RoadClosure
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_network_file

from .conftest import make_small_dataset
from .disruption_helpers import WAYS, make_island_dataset, write_island_network
from .network_helpers import at
from .test_road_scenario import helsinki  # noqa: F401 (the road-network fixture)

SNAP_KM = 0.5
"""Sites join the road within 500 m (README)."""
GEOMETRY = {"units": "Point", "hubs": "Point", "depots": "Point", "stops": "Point",
            "routes": "LineString", "unserved_units": "Point", "closed_links": "LineString"}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def checked_ev(tmp_path_factory: pytest.TempPathFactory) -> CheckedScenario:
    """consolidated-ev on eight crow-fly units, checked; fruit and vegetables have only a
    non-chilled van, so their deliveries are unserved."""
    root = tmp_path_factory.mktemp("gis-study")
    dataset_dir = make_small_dataset(root / "study")
    fleets = dataset_dir / "supplier_fleets.csv"
    rows = [r for r in _csv(fleets) if r["supplier_id"] != "sup-fruit-veg"]
    rows.append({"supplier_id": "sup-fruit-veg", "vehicle_type": "van-diesel", "count": "1"})
    with fleets.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml").with_overrides(
        {"dataset_dir": str(dataset_dir), "solver.solution_limit": 20}, "test")
    return check_scenario(scenario)


@pytest.fixture(scope="module")
def layered(checked_ev: CheckedScenario, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[ScenarioResult, Path, DataSet]:
    """The checked consolidated-ev run, its result folder with layers, and its study."""
    result = run_checked(checked_ev, workers=1)
    folder = write_result(result, tmp_path_factory.mktemp("gis") / "result")
    written = write_layers(result, checked_ev, folder)
    assert written == [folder / GPKG_FILE, *(folder / GEOJSON_DIR / f"{n}.geojson"
                                             for n in LAYERS)]
    return result, folder, checked_ev.dataset


def _layers(path: Path) -> dict[str, gpd.GeoDataFrame]:
    return {name: gpd.read_file(path, layer=name) for name in LAYERS}


def test_layer_set_types_crs_and_counts(layered) -> None:
    result, folder, dataset = layered
    assert {name: kind for name, kind in pyogrio.list_layers(folder / GPKG_FILE)} == GEOMETRY
    stops_csv, routes_csv = _csv(folder / "stops.csv"), _csv(folder / "routes.csv")
    for source in (folder / GPKG_FILE, *sorted((folder / GEOJSON_DIR).glob("*.geojson"))):
        frames = (_layers(source) if source.suffix == ".gpkg"
                  else {source.stem: gpd.read_file(source)})
        for name, frame in frames.items():
            assert frame.crs.to_epsg() == 4326, (source, name)
            assert set(frame.geom_type) == ({GEOMETRY[name]} if len(frame) else set()), \
                (source, name)
        counts = {name: len(frame) for name, frame in frames.items()}
        expected = {"units": len(dataset.units), "hubs": len(dataset.hubs),
                    "depots": len(dataset.suppliers), "stops": len(stops_csv),
                    "routes": len(routes_csv),
                    "unserved_units": len({r["unit_id"] for r in _csv(folder / "unserved.csv")}),
                    "closed_links": 0}  # no closure in the scenario
        assert counts == {name: expected[name] for name in frames}
    assert len(routes_csv) == result.kpi_week["routes"] > 0


def test_ids_and_columns_are_the_inputs(layered) -> None:
    result, folder, dataset = layered
    layers = _layers(folder / GPKG_FILE)
    assert list(layers["units"]["id"]) == [u.id for u in dataset.units]
    assert list(layers["hubs"]["id"]) == [h.id for h in dataset.hubs]
    assert list(layers["depots"]["id"]) == [s.id for s in dataset.suppliers]
    for name in ("stops", "routes"):
        rows = _csv(folder / f"{name}.csv")
        frame = layers[name]
        assert [c for c in frame.columns if c not in ("geometry", "geometry_kind")] \
            == list(rows[0])
        for column in ("route_id", "vehicle_id", "vehicle_type", "owner"):
            assert list(frame[column]) == [r[column] for r in rows]
    stops = layers["stops"]
    assert list(stops["site_id"]) == [r["site_id"] for r in _csv(folder / "stops.csv")]
    assert (stops.geometry.x == stops["lon"]).all() and (stops.geometry.y == stops["lat"]).all()
    hubs = layers["hubs"]
    assert list(hubs.loc[hubs["used"], "id"]) == [result.scenario.hub]


def test_units_demand_and_served(layered) -> None:
    result, folder, dataset = layered
    units = _layers(folder / GPKG_FILE)["units"].set_index("id")
    unserved = _csv(folder / "unserved.csv")
    assert unserved and {r["reason"] for r in unserved} == {"no_compatible_vehicle"}
    for unit in dataset.units:
        row = units.loc[unit.id]
        missed = sum(r["unit_id"] == unit.id for r in unserved)
        assert row["unserved_deliveries"] == missed
        assert bool(row["served"]) is (missed == 0)
        assert row["demand_kg_per_week"] == pytest.approx(
            sum(o.demand_kg_per_week for o in result.orders if o.unit_id == unit.id), abs=1e-3)
        assert (row.geometry.x, row.geometry.y) == (unit.lon, unit.lat)
        assert row["unit_type"] == str(unit.unit_type) and row["size"] == unit.size
    assert units["demand_kg_per_week"].sum() > 0


def _check_routes(routes: gpd.GeoDataFrame, folder: Path, kind: str) -> float:
    """Every line runs from its route's start to its end site; returns the sum of
    ``distance_km``."""
    stops = gpd.read_file(folder / GPKG_FILE, layer="stops")
    assert set(routes["geometry_kind"]) == {kind}
    assert routes["route_id"].is_unique
    for route in routes.itertuples():
        steps = stops[stops["route_id"] == route.route_id]
        start, end = steps.iloc[0], steps.iloc[-1]
        assert (start["step_type"], end["step_type"]) == ("start", "end")
        coords = list(route.geometry.coords)
        assert coords[0] == pytest.approx((start["lon"], start["lat"]), abs=1e-9)
        assert coords[-1] == pytest.approx((end["lon"], end["lat"]), abs=1e-9)
    return float(routes["distance_km"].sum())


def test_route_lines_run_depot_to_depot_and_sum_to_vehicle_km_driven(layered) -> None:
    result, folder, _ = layered
    routes = _layers(folder / GPKG_FILE)["routes"]
    total_km = _check_routes(routes, folder, CROW_FLY_KIND)
    assert total_km == pytest.approx(result.kpi_week["vehicle_km_driven"], abs=0.01)
    steps = gpd.read_file(folder / GPKG_FILE, layer="stops")
    for route in routes.itertuples():  # crow-fly: one vertex per step, in order
        sites = steps.loc[steps["route_id"] == route.route_id, ["lon", "lat"]]
        assert list(route.geometry.coords) == list(sites.itertuples(index=False, name=None))


def test_geojson_is_strict_json_in_wgs84(layered) -> None:
    _, folder, _ = layered

    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    for name in LAYERS:
        text = (folder / GEOJSON_DIR / f"{name}.geojson").read_text(encoding="utf-8")
        document = json.loads(text, parse_constant=refuse)
        assert document["type"] == "FeatureCollection"
        crs = document.get("crs", {}).get("properties", {}).get("name", "CRS84")
        assert crs.endswith("CRS84")  # RFC 7946 default: WGS84 lon/lat
        assert bool(document["features"]) is (name != "closed_links"), name


def test_empty_layers_keep_their_columns(layered, checked_ev: CheckedScenario,
                                         tmp_path: Path) -> None:
    result, _, _ = layered
    nothing = dataclasses.replace(result, routes=(), unserved=())
    empty = write_result(nothing, tmp_path)
    write_layers(nothing, checked_ev, empty)
    assert dict(pyogrio.list_layers(empty / GPKG_FILE)) == GEOMETRY
    routes = gpd.read_file(empty / GPKG_FILE, layer="routes")
    assert len(routes) == 0 and "distance_km" in routes.columns
    assert "geometry_kind" in routes.columns
    units = gpd.read_file(empty / GPKG_FILE, layer="units")
    assert units["served"].all() and not gpd.read_file(empty / GPKG_FILE, layer="hubs")[
        "used"].any()
    for name in ("unserved_units", "closed_links"):
        frame = gpd.read_file(empty / GPKG_FILE, layer=name)
        assert len(frame) == 0 and {"days"} <= set(frame.columns), name


def test_unserved_units_sum_unserved_csv_per_unit(layered) -> None:
    _, folder, dataset = layered
    missed: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _csv(folder / "unserved.csv"):
        missed[row["unit_id"]].append(row)
    layer = gpd.read_file(folder / GPKG_FILE, layer="unserved_units").set_index("id")
    assert sorted(layer.index) == sorted(missed)
    position = {u.id: (u.lon, u.lat) for u in dataset.units}
    for unit_id, rows in missed.items():
        row = layer.loc[unit_id]
        assert row["name"] == rows[0]["unit_name"]
        assert row["unserved_deliveries"] == len(rows)
        assert row["unserved_kg"] == pytest.approx(sum(float(r["demand_kg"]) for r in rows),
                                                   abs=1e-2)
        assert row["reasons"] == "no_compatible_vehicle"
        assert set(row["days"].split(";")) == {r["day"] for r in rows}
        assert (row.geometry.x, row.geometry.y) == position[unit_id]


def test_polygon_closure_on_crow_fly_is_drawn_as_its_outline_not_applied(
        layered, checked_ev: CheckedScenario, tmp_path: Path) -> None:
    result, _, _ = layered
    ring = (at(0, 0), at(400, 0), at(400, 300), at(0, 300))
    closure = RoadClosure(label="Area closed", polygon=ring, days=("wed",))
    scenario = checked_ev.scenario.with_overrides({"disruptions": [closure]}, "test")
    checked = check_scenario(scenario, dataset=checked_ev.dataset, travel=CrowFlyModel())
    folder = write_result(result, tmp_path)
    write_layers(result, checked, folder)
    closed = gpd.read_file(folder / GPKG_FILE, layer="closed_links")
    assert len(closed) == 1
    row = closed.iloc[0]
    assert (row["disruption"], row["days"], bool(row["applied"])) == ("Area closed", "wed", False)
    np.testing.assert_allclose(np.asarray(row.geometry.coords), [*ring, ring[0]], atol=1e-9)


def _no_rebuild(*_: object, **__: object) -> None:
    raise AssertionError("the layers rebuilt the disruptions the check resolved")


def test_bridge_closure_layers_the_bridge_and_the_units_behind_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Testbrua (way 13, 3,000 to 3,500 m east) closed all week: the bridge is the one
    closed road piece, and the two island units are unreachable. The route lines take
    the day's roads from the checked scenario's disruptions, not resolved again."""
    folder, _, island = make_island_dataset(tmp_path / "study")
    dataset = load_dataset(folder)
    travel = RoadNetworkModel(load_network_file(write_island_network(tmp_path / "roads.geojson"),
                                                "island"))
    closure = RoadClosure(label="Testbrua closed", street_names=("testbrua",))
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "direct.yaml").with_overrides(
        {"dataset_dir": str(folder), "disruptions": [closure], "solver.solution_limit": 20},
        "test")
    checked = check_scenario(scenario, dataset=dataset, travel=travel)
    result = run_checked(checked, workers=1)
    out = write_result(result, tmp_path / "result")
    with monkeypatch.context() as patched:
        patched.setattr(Disruptions, "__init__", _no_rebuild)
        write_layers(result, checked, out)
    closed = gpd.read_file(out / GPKG_FILE, layer="closed_links")
    assert list(closed["way_id"]) == [13] and list(closed["street_name"]) == [WAYS[13][0]]
    assert (closed["disruption"].iloc[0], closed["days"].iloc[0]) == ("Testbrua closed",
                                                                       EVERY_DAY)
    assert bool(closed["applied"].iloc[0])
    ends = sorted(closed.geometry.iloc[0].coords)
    np.testing.assert_allclose(ends, sorted([at(*WAYS[13][1][0]), at(*WAYS[13][1][-1])]),
                               atol=1e-6)
    unserved = gpd.read_file(out / GPKG_FILE, layer="unserved_units")
    assert sorted(unserved["id"]) == sorted(island)
    assert set(unserved["reasons"]) == {"unreachable"}


def test_cli_run_on_a_road_network_draws_the_roads(helsinki, tmp_path: Path) -> None:  # noqa: F811
    dataset, env = helsinki
    scenario = tmp_path / "road-gis.yaml"  # extends the shipped scenario by name
    scenario.write_text(f"name: road-gis\nextends: direct\ndataset_dir: {dataset}\n"
                        "travel: {model: road, network: helsinki-test}\n"
                        "solver: {solution_limit: 20}\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["run", str(scenario), "--out", str(tmp_path / "out"),
                                    "--json", "--workers", "1"],
                              env={"LOGISTICS_CACHE_DIR": env["LOGISTICS_CACHE_DIR"]})
    assert done.exit_code == 0, done.output
    folder = tmp_path / "out"
    summary = json.loads(done.stdout)
    routes = gpd.read_file(folder / GPKG_FILE, layer="routes")
    assert len(routes) == summary["kpi_per_week"]["routes"] > 0
    total_km = _check_routes(routes, folder, ROAD_KIND)
    assert total_km == pytest.approx(summary["kpi_per_week"]["vehicle_km_driven"], abs=0.01)
    # the lines follow the roads: the road distance plus the joins from the sites to the
    # road (the accounts count road distance only), with vertices between the stops
    drawn_km = routes.to_crs(routes.estimate_utm_crs()).length / 1000
    stops = gpd.read_file(folder / GPKG_FILE, layer="stops")
    for route, km in zip(routes.itertuples(), drawn_km, strict=True):
        steps = stops[stops["route_id"] == route.route_id]
        legs = len(steps) - 1  # each leg's ends join the road within the snap threshold
        assert route.distance_km * 0.99 <= km <= route.distance_km + legs * 2 * SNAP_KM
        assert len(route.geometry.coords) > len(steps)
