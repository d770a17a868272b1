"""The result folder as a spreadsheet or a GIS reads it: ``routes.csv`` sums to the
week's KPIs, ``stops.csv`` walks every route from start to end and counts each kg
once, ``unserved.csv`` is readable and located, ``result.json`` is strict JSON."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from api import models as api_models
from logistics.errors import InputError
from logistics.model.dataset import DataSet, load_dataset
from logistics.outputs import report_inputs
from logistics.paths import DATASET_DIR, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.result import ScenarioResult, write_result
from logistics.pipeline.result_schema import (
    CarrierRow,
    EmissionsRow,
    RouteRow,
    StopRow,
    UnservedRow,
    read_result_file,
)
from logistics.pipeline.run import run_scenario
from logistics.scenarios.files import load_scenario

from .conftest import make_small_dataset

SURGE_DAY = "tue"
BAKERY_SURGE = 8.0
BAKERY_BIKES = 3
"""Bakery demand on ``SURGE_DAY``: eight times normal, more than one of the bakery's
cargo bikes (200 kg, 1.5 m3, 50 km a day: one round trip to the hub) carries, so its
trunk load is split among its bikes."""
DESKS_COLLECTED = 5
DESK_KG = 18.0  # data/bergen/reuse_items.csv, pupil_desk


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioResult, Path,
                                                                  DataSet]:
    """consolidated-ev on eight units with three twists: the bakery trunks with three cargo
    bikes (split trips on the surge day), fruit and vegetables have no chilled vehicle
    (unserved), and a unit hands in surplus desks (pickups)."""
    root = tmp_path_factory.mktemp("result-files")
    dataset_dir = make_small_dataset(root / "study")
    fleets = dataset_dir / "supplier_fleets.csv"
    with fleets.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["supplier_id"] not in ("sup-bakery", "sup-fruit-veg")]
    rows += [{"supplier_id": "sup-bakery", "vehicle_type": "cargo-bike",
              "count": str(BAKERY_BIKES)},
             {"supplier_id": "sup-fruit-veg", "vehicle_type": "van-diesel", "count": "1"}]
    _write_rows(fleets, rows)
    dataset = load_dataset(dataset_dir)
    flows = root / "flows.csv"
    _write_rows(flows, [{"id": "f1", "unit_id": dataset.units[0].id, "item": "pupil_desk",
                         "count_per_week": str(DESKS_COLLECTED), "direction": "surplus"}])
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml").with_overrides({
        "dataset_dir": str(dataset_dir), "solver.solution_limit": 20,
        "reuse": {"flows_file": str(flows), "items_file": str(DATASET_DIR / "reuse_items.csv")},
        "disruptions": [{"type": "demand_surge", "days": [SURGE_DAY],
                         "categories": {"bakery": BAKERY_SURGE}}],
    }, "test")
    result = run_scenario(scenario, workers=1)
    return result, write_result(result, root / "result"), dataset


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _total(rows: list[dict[str, str]], column: str) -> float:
    return sum(float(r[column]) for r in rows)


def test_routes_csv_has_one_row_per_route_summing_to_the_weeks_kpis(small_run) -> None:
    result, folder, _ = small_run
    routes = _rows(folder, "routes.csv")
    kpi = result.kpi_week
    assert len(routes) == kpi["routes"] == len(result.routes)
    assert len({r["route_id"] for r in routes}) == len(routes)
    carriers = _rows(folder, "carriers.csv")
    rounding = 1e-3 * len(routes) + 5e-3 * len(carriers)  # carriers' NOK to 0.01
    assert carriers and len(carriers) == kpi["carrier_shipments"]
    assert _total(routes, "distance_km") == pytest.approx(kpi["vehicle_km_driven"],
                                                          abs=rounding)
    shares = {r["route_id"]: float(r["municipal_share"]) for r in routes}
    assert {shares[r["route_id"]] for r in routes if r["kind"] == "trunk"} == {
        result.scenario.shared_routes.municipal_share}
    assert {shares[r["route_id"]] for r in routes if r["kind"] == "distribution"} == {1.0}
    for column, name in (("distance_km", "vehicle_km"), ("duration_h", "vehicle_hours")):
        attributed = sum(shares[r["route_id"]] * float(r[column]) for r in routes)
        assert attributed == pytest.approx(kpi[name], abs=rounding), column
    assert _total(routes, "energy_kwh") == pytest.approx(kpi["energy_kwh"], abs=rounding)
    for column in ("tonne_km", "co2e_ttw_kg", "nox_g", "pm_g"):
        assert _total(routes, column) + _total(carriers, column) == pytest.approx(
            kpi[column], abs=rounding), column
    # The week's CO2e, cost and social cost add the hub's operations and the carriers'
    # shipments to the routes'.
    hub_co2e_kg = kpi["hub_co2e_wtw_kg"]
    assert hub_co2e_kg > 0
    assert _total(routes, "co2e_wtw_kg") + hub_co2e_kg + _total(carriers, "co2e_wtw_kg") == (
        pytest.approx(kpi["co2e_wtw_kg"], abs=rounding))
    carbon_price = result.emissions_method.emissions.carbon_price.nok_per_t_co2e
    assert (_total(routes, "social_cost_nok") + hub_co2e_kg / 1000 * carbon_price
            + _total(carriers, "social_cost_nok")) == pytest.approx(kpi["social_cost_nok"],
                                                                    abs=rounding)
    # routes.csv gives NOK to the øre: each row is off by at most half an øre
    assert _total(routes, "cost_nok") + kpi["hub_cost_nok"] + _total(carriers, "cost_nok") == (
        pytest.approx(kpi["cost_nok"], abs=rounding + 0.005 * len(routes)))
    assert _total(routes, "stops") == kpi["stops"]
    assert _total(routes, "tonne_km") / _total(routes, "capacity_tonne_km") == pytest.approx(
        kpi["load_factor"], rel=1e-4)
    trunk = [r for r in routes if r["kind"] == "trunk"]
    assert len(trunk) == kpi["hub_inbound_trips"]
    to_units = sum(r["to_unit"] == "True" for r in carriers)
    assert _total(routes, "stops") - len(trunk) + to_units == kpi["deliveries"]
    assert kpi["vehicle_km"] > 0


def test_stops_csv_walks_every_route_from_start_to_end(small_run) -> None:
    _, folder, dataset = small_run
    stops = _rows(folder, "stops.csv")
    routes = {r["route_id"]: r for r in _rows(folder, "routes.csv")}
    by_route: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in stops:
        by_route[row["route_id"]].append(row)
    assert by_route.keys() == routes.keys()
    sites = {s.id: s for s in (*dataset.suppliers, *dataset.hubs, *dataset.units)}
    for route_id, steps in by_route.items():
        route = routes[route_id]
        assert [int(s["step_number"]) for s in steps] == list(range(1, len(steps) + 1))
        kinds = [s["step_type"] for s in steps]
        assert kinds[0] == "start" and kinds[-1] == "end", kinds
        assert set(kinds[1:-1]) <= {"delivery", "pickup", "break", "reload"}, kinds
        assert steps[0]["site_id"] == steps[-1]["site_id"] == route["owner"]
        assert steps[0]["departure_hhmm"] == route["start_hhmm"] and not steps[0]["arrival_hhmm"]
        assert steps[-1]["arrival_hhmm"] == route["end_hhmm"] and not steps[-1]["departure_hhmm"]
        assert sum(k in ("delivery", "pickup") for k in kinds) == int(route["stops"])
        for column in ("delivered_kg", "picked_up_kg"):
            assert _total(steps, column) == pytest.approx(float(route[column]), abs=1e-2)
        if "reload" not in kinds:  # one trip: everything leaves the depot, pickups return
            assert float(steps[0]["load_after_kg"]) == pytest.approx(
                float(route["delivered_kg"]), abs=1e-2)
            assert float(steps[-1]["load_after_kg"]) == pytest.approx(
                float(route["picked_up_kg"]), abs=1e-2)
        for step in steps:
            site = sites[step["site_id"]]
            assert (step["site_name"], float(step["lon"]), float(step["lat"])) == (
                site.name, site.lon, site.lat)
            assert bool(step["orders"]) == (step["step_type"] in ("delivery", "pickup"))
    assert _total(stops, "picked_up_kg") == pytest.approx(DESKS_COLLECTED * DESK_KG, abs=1e-2)


def test_a_split_trunk_trip_delivers_the_days_load_once(small_run) -> None:
    result, folder, dataset = small_run
    suppliers = {s.id for s in dataset.suppliers}  # reuse moves come from the store at the hub
    hub_drops = [s for s in _rows(folder, "stops.csv")
                 if s["kind"] == "trunk" and s["step_type"] == "delivery"]
    trips: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for stop in hub_drops:
        trips[(stop["owner"], stop["day"])].append(stop)
    day_load_kg: dict[tuple[str, str], float] = defaultdict(float)
    for planned, _ in result.routes:
        if planned.kind == "distribution":
            for delivery in (d for ds in planned.deliveries.values() for d in ds
                             if d.supplier_id in suppliers):
                day_load_kg[(delivery.supplier_id, delivery.day)] += delivery.demand_kg
    split = trips[("sup-bakery", SURGE_DAY)]
    assert 2 <= len(split) <= BAKERY_BIKES and len({s["orders"] for s in split}) == 1
    assert len({s["route_id"].split("/")[-2] for s in split}) == len(split)  # one bike each
    assert all(float(s["delivered_kg"]) <= 200 + 1e-6 for s in split)
    assert {k for k, v in day_load_kg.items() if v > 0} == set(trips)
    for key, halves in trips.items():
        assert _total(halves, "delivered_kg") == pytest.approx(day_load_kg[key], abs=1e-2), key


def test_unserved_csv_gives_readable_reasons_and_where_the_unit_is(small_run) -> None:
    result, folder, dataset = small_run
    unserved = _rows(folder, "unserved.csv")
    assert len(unserved) == len(result.unserved) > 0
    units = {u.id: u for u in dataset.units}
    for row in unserved:
        assert row["category"] == "fruit_veg" and row["supplier_id"] == "sup-fruit-veg"
        assert row["reason"] == "no_compatible_vehicle"
        assert row["detail"] == "supplier sup-fruit-veg has no vehicle for chilled trunk loads"
        unit = units[row["unit_id"]]
        assert (row["unit_name"], float(row["lon"]), float(row["lat"])) == (
            unit.name, unit.lon, unit.lat)


def _refuse(constant: str) -> Any:
    raise ValueError(f"not strict JSON: {constant}")


def test_result_json_is_strict_json(small_run) -> None:
    result, folder, _ = small_run
    document = json.loads((folder / "result.json").read_text(encoding="utf-8"),
                          parse_constant=_refuse)
    bands = document["travel"]["speed_bands"]
    assert bands[-1] == {"up_to_road_m": None, "speed_kmh": 50.0}
    assert "null: no upper bound" in document["travel"]["speed_bands_note"]
    assert document["kpi_per_week"]["vehicle_km"] == pytest.approx(result.kpi_week["vehicle_km"])
    assert len(document["unserved"]) == len(result.unserved)


FILE_COLUMNS = {
    "stops.csv": ["route_id", "day", "kind", "owner", "vehicle_id", "vehicle_type",
                  "step_number", "step_type", "site_id", "site_name", "lon", "lat",
                  "arrival_hhmm", "departure_hhmm", "load_after_kg", "delivered_kg",
                  "picked_up_kg", "orders"],
    "routes.csv": ["route_id", "day", "kind", "owner", "vehicle_id", "vehicle_type",
                   "start_hhmm", "end_hhmm", "stops", "delivered_kg", "picked_up_kg",
                   "distance_km", "duration_h", "tonne_km", "capacity_tonne_km", "energy_kwh",
                   "co2e_ttw_kg", "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok",
                   "social_cost_nok", "municipal_share"],
    "unserved.csv": ["order_id", "unit_id", "unit_name", "lon", "lat", "category",
                     "supplier_id", "day", "demand_kg", "reason", "detail"],
    "carriers.csv": ["order_id", "unit_id", "category", "supplier_id", "day", "channel",
                     "destination_id", "to_unit", "kg", "distance_km", "tonne_km",
                     "co2e_ttw_kg", "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok",
                     "social_cost_nok"],
    "emissions_by_order.csv": ["order_id", "unit_id", "category", "supplier_id",
                               "energy_kwh_per_week", "co2e_ttw_kg_per_week",
                               "co2e_wtw_kg_per_week", "nox_g_per_week", "pm_g_per_week"],
}
"""The result files' columns, as the README documents them."""
RESULT_FILES = (StopRow, RouteRow, UnservedRow, CarrierRow, EmissionsRow)


def test_writer_api_and_report_agree_on_every_result_files_columns(small_run) -> None:
    _, folder, _ = small_run
    served = {"stops.csv": api_models.StopRow, "routes.csv": api_models.RouteRow,
              "unserved.csv": api_models.UnservedRow}
    read_by_report = {"stops.csv": report_inputs.StopRow, "routes.csv": report_inputs.RouteRow}
    assert {model.FILE for model in RESULT_FILES} == set(FILE_COLUMNS)
    for model in RESULT_FILES:
        with (folder / model.FILE).open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == list(model.columns()) == FILE_COLUMNS[model.FILE]
        if model.FILE in served:
            assert list(served[model.FILE].model_fields) == header
        if model.FILE in read_by_report:
            assert list(read_by_report[model.FILE].model_fields) == header
        rows = read_result_file(folder, model)
        assert len(rows) == len(_rows(folder, model.FILE))


def test_typed_rows_read_back_the_weeks_figures(small_run) -> None:
    result, folder, _ = small_run
    routes = read_result_file(folder, RouteRow)
    assert sum(r.distance_km for r in routes) == pytest.approx(
        result.kpi_week["vehicle_km_driven"], abs=0.001 * len(routes))
    stops = read_result_file(folder, StopRow)
    starts = [s for s in stops if s.step_type == "start"]
    assert len(starts) == len(routes) and all(s.arrival_hhmm is None for s in starts)
    assert all(s.departure_hhmm is None for s in stops if s.step_type == "end")


def test_a_bad_cell_of_a_result_file_names_its_file_row_and_column(tmp_path: Path) -> None:
    columns = FILE_COLUMNS["unserved.csv"]
    good = ["o1", "u1", "Unit", "5.3", "60.4", "dry", "s1", "mon", "12.5", "unreachable", ""]
    bad = [*good[:3], "east", *good[4:8], "-", *good[9:]]
    _write_rows(tmp_path / "unserved.csv", [dict(zip(columns, good, strict=True)),
                                            dict(zip(columns, bad, strict=True))])
    with pytest.raises(InputError) as caught:
        read_result_file(tmp_path, UnservedRow)
    found = {(p.location, p.field) for p in caught.value.problems}
    assert found == {("row 3", "lon"), ("row 3", "demand_kg")}
    assert all(p.source.endswith("unserved.csv") for p in caught.value.problems)
