"""The result of one scenario run, and how it is written to and read from disk.

A result folder holds ``result.json`` (scenario, KPIs per week and per year,
provenance, unserved deliveries; strict JSON), ``stops.csv`` (one row per step of
every route), ``routes.csv`` (one row per route, columns that sum to the week),
``unserved.csv``, ``emissions_by_order.csv`` and ``carriers.csv`` (one row per
shipment handed to a parcel or groupage carrier). ``logistics compare`` reads
``result.json`` back.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logistics.accounting.carriers import CarrierAccount
from logistics.accounting.emissions import LegEmissions, aggregate_by_order_field
from logistics.accounting.kpi import KPI_COLUMNS, RouteAccount
from logistics.clock import WEEKDAYS, format_clock
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import read_json
from logistics.model.domain import Order, Site
from logistics.plan.deliveries import Delivery, UnservedDelivery
from logistics.plan.planned import PlannedRoute
from logistics.scenarios.schema import Scenario

RESULT_FILE = "result.json"
CsvRow = dict[str, str | float | bool]
"""One row of a result CSV file, by column."""
APPROXIMATE_NOTE = ("Travel is approximate: crow-fly distances times a detour factor, "
                    "not a road network.")
ILLUSTRATIVE_NOTE = ("Suppliers, their fleets and hub sites are an illustrative set at real "
                     "logistics areas of Bergen, not real contracts.")


@dataclass(frozen=True)
class ScenarioResult:
    """Everything one run produced. ``notes`` are the caveats every output repeats."""

    scenario: Scenario  # dumped to JSON only when written
    travel: Mapping[str, Any]
    approximate: bool
    illustrative: bool
    kpi_week: Mapping[str, float]
    kpi_year: Mapping[str, float]
    routes: tuple[tuple[PlannedRoute, RouteAccount], ...]
    unserved: tuple[UnservedDelivery, ...]
    point_ids: tuple[str, ...]
    sites: Mapping[str, Site]  # study site id -> site (name, WGS84 lon and lat)
    emissions_method: Mapping[str, Any]
    emissions_by_order: Mapping[str, LegEmissions]
    orders: tuple[Order, ...]
    provenance: Mapping[str, Any]
    plan_notes: tuple[str, ...] = ()
    carriers: tuple[CarrierAccount, ...] = ()  # shipments handed to carriers, not routed

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def notes(self) -> list[str]:
        notes = []
        if self.approximate:
            notes.append(APPROXIMATE_NOTE)
        if self.illustrative:
            notes.append(ILLUSTRATIVE_NOTE)
        return notes + list(self.plan_notes)

    def emissions_by(self, field: str) -> dict[str, dict[str, float]]:
        """Allocated emissions per week grouped by an order field (``unit_id``,
        ``supplier_id``, ``category``), rounded for reports."""
        grouped = aggregate_by_order_field([self.emissions_by_order], self.orders, field)
        return {group: {name: round(value, 4) for name, value in emissions.as_dict().items()}
                for group, emissions in sorted(grouped.items())}

    def summary(self) -> dict[str, Any]:
        """The machine-readable summary (``--json`` output and ``result.json`` head)."""
        return {
            "scenario": self.name,
            "design": self.scenario.design,
            "travel_model": self.travel.get("model"),
            "approximate_travel": self.approximate,
            "illustrative_inputs": self.illustrative,
            "notes": self.notes,
            "kpi_per_week": dict(self.kpi_week),
            "kpi_per_year": dict(self.kpi_year),
            "unserved_count": len(self.unserved),
            "emissions_method": dict(self.emissions_method),
            "data_set": data_set(self.scenario, self.provenance),
        }


def data_set(scenario: Scenario, provenance: Mapping[str, Any]) -> dict[str, Any]:
    """The study data and orders a run used: the study folder and orders file as the
    scenario names them, with content hashes (the study's over its files' SHA-256 by
    name; the orders file's SHA-256, null when the demand model made the orders). Runs
    with equal hashes planned the same goods for the same units."""
    files = sorted(dict(provenance.get("input_sha256", {})).items())
    return {"study_dir": scenario.study_dir,
            "study_sha256": hashlib.sha256(json.dumps(files).encode("utf-8")).hexdigest(),
            "orders_file": scenario.orders_file,
            "orders_sha256": provenance.get("orders_sha256")}


ROUTE_KEYS = ("route_id", "day", "kind", "owner", "vehicle_id", "vehicle_type")
"""The columns naming a route, first in ``stops.csv`` and ``routes.csv``."""

STOP_COLUMNS = (*ROUTE_KEYS, "step_number", "step_type", "site_id", "site_name", "lon", "lat",
                "arrival_hhmm", "departure_hhmm", "load_after_kg", "delivered_kg",
                "picked_up_kg", "orders")
"""``stops.csv``: one row per step of every route, ``start`` to ``end``."""

ROUTE_COLUMNS = (*ROUTE_KEYS, "start_hhmm", "end_hhmm", "stops", "delivered_kg",
                 "picked_up_kg", "distance_km", "duration_h", "tonne_km", "capacity_tonne_km",
                 "energy_kwh", "co2e_ttw_kg", "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok",
                 "social_cost_nok", "municipal_share")
"""``routes.csv``: one row per route. ``distance_km``, ``duration_h``, ``tonne_km`` and
``capacity_tonne_km`` are as driven; the columns from ``energy_kwh`` on are the
municipality's part (``municipal_share`` of a supplier's shared route). Summed over the
file, ``distance_km`` is the week's ``vehicle_km_driven`` and ``stops`` and
``energy_kwh`` the week's KPIs of that name; the KPIs of ``cost_nok``, the emissions and
``tonne_km`` add the hub's and the carriers' parts."""

CARRIER_COLUMNS = ("order_id", "unit_id", "category", "supplier_id", "day", "channel",
                   "destination_id", "to_unit", "kg", "distance_km", "tonne_km",
                   "co2e_ttw_kg", "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok", "social_cost_nok")
"""``carriers.csv``: one row per shipment handed to a parcel or groupage carrier, from
the supplier's depot to the unit (or the hub); summed, the week's ``carrier_*`` KPIs."""

UNSERVED_COLUMNS = ("order_id", "unit_id", "unit_name", "lon", "lat", "category",
                    "supplier_id", "day", "demand_kg", "reason", "detail")
"""``unserved.csv``: one row per delivery not made."""

EMISSIONS_COLUMNS = ("order_id", "unit_id", "category", "supplier_id", "energy_kwh_per_week",
                     "co2e_ttw_kg_per_week", "co2e_wtw_kg_per_week", "nox_g_per_week",
                     "pm_g_per_week")
"""``emissions_by_order.csv``: the week's emissions allocated to each order."""


@dataclass(frozen=True)
class _Step:
    """One step of a route: leaving the depot, a visit, or coming back to it."""

    step_type: str  # start, delivery, pickup, break, reload or end
    location: int
    arrival_s: float | None
    departure_s: float | None
    load_after_kg: float
    deliveries: tuple[Delivery, ...]


def route_id(planned: PlannedRoute) -> str:
    """The route's id in the result files: ``<day>:<vehicle_id>``."""
    return f"{planned.day}:{planned.route.vehicle_id}"


def write_result(result: ScenarioResult, folder: Path) -> Path:
    """Write a result folder; returns it. ``result.json`` is strict JSON (no NaN or
    infinity)."""
    document = result.summary() | {
        "scenario_spec": result.scenario.model_dump(mode="json"),
        "travel": dict(result.travel),
        "provenance": dict(result.provenance),
        "unserved": [_unserved_row(result, u) for u in result.unserved],
        "emissions_per_week_by_supplier": result.emissions_by("supplier_id"),
        "emissions_per_week_by_category": result.emissions_by("category"),
    }
    text = json.dumps(document, indent=2, default=str, allow_nan=False) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULT_FILE).write_text(text, encoding="utf-8")
    routes = sorted(result.routes, key=lambda pair: WEEKDAYS.index(pair[0].day))
    _write_csv(folder / "stops.csv", STOP_COLUMNS,
               (_stop_row(result, planned, number, step) for planned, _ in routes
                for number, step in enumerate(_steps(planned), start=1)))
    _write_csv(folder / "routes.csv", ROUTE_COLUMNS,
               (_route_row(planned, account) for planned, account in routes))
    _write_csv(folder / "unserved.csv", UNSERVED_COLUMNS,
               (_unserved_row(result, u) for u in result.unserved))
    _write_csv(folder / "carriers.csv", CARRIER_COLUMNS,
               (_carrier_row(account) for account in result.carriers))
    _write_csv(folder / "emissions_by_order.csv", EMISSIONS_COLUMNS,
               (_emissions_row(order, result.emissions_by_order.get(order.id, LegEmissions()))
                for order in result.orders))
    return folder


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[CsvRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _steps(planned: PlannedRoute) -> list[_Step]:
    """The route's steps in order: start at the depot, the visits, the end back there
    (its load is what the vehicle brings back)."""
    route = planned.route
    first, last = route.legs[0], route.legs[-1]
    return [
        _Step("start", first.from_location, None, route.start_s, first.load_kg, ()),
        *(_Step(visit.kind, visit.location, visit.arrival_s, visit.departure_s, visit.load_kg,
                planned.deliveries.get(index, ())) for index, visit in enumerate(route.visits)),
        _Step("end", last.to_location, route.end_s, None, last.load_kg, ()),
    ]


def _moved_kg(deliveries: Iterable[Delivery]) -> dict[str, float]:
    """kg dropped and kg collected by these deliveries (a trunk trip's are its share)."""
    deliveries = list(deliveries)
    return {"delivered_kg": round(sum(d.demand_kg for d in deliveries if not d.collected), 3),
            "picked_up_kg": round(sum(d.demand_kg for d in deliveries if d.collected), 3)}


def _route_keys(planned: PlannedRoute) -> CsvRow:
    route = planned.route
    return dict(zip(ROUTE_KEYS, (route_id(planned), planned.day, planned.kind, planned.owner,
                                 route.vehicle_id, route.vehicle_type_id), strict=True))


def _clock(seconds: float | None) -> str:
    return "" if seconds is None else format_clock(seconds)


def _stop_row(result: ScenarioResult, planned: PlannedRoute, number: int,
              step: _Step) -> CsvRow:
    site = result.sites[result.point_ids[step.location]]
    return _route_keys(planned) | {
        "step_number": number, "step_type": step.step_type, "site_id": site.id,
        "site_name": site.name, "lon": site.lon, "lat": site.lat,
        "arrival_hhmm": _clock(step.arrival_s), "departure_hhmm": _clock(step.departure_s),
        "load_after_kg": round(step.load_after_kg, 3),
        "orders": ";".join(sorted(d.order_id for d in step.deliveries)),
        **_moved_kg(step.deliveries),
    }


def _route_row(planned: PlannedRoute, account: RouteAccount) -> CsvRow:
    route = planned.route
    return _route_keys(planned) | {
        "start_hhmm": format_clock(route.start_s), "end_hhmm": format_clock(route.end_s),
        "stops": route.stops,
        **_moved_kg(d for ds in planned.deliveries.values() for d in ds),
        "distance_km": round(account.distance_m / 1000, 3),
        "duration_h": round(account.duration_s / 3600, 4),
        "tonne_km": round(account.tonne_km, 4),
        "capacity_tonne_km": round(account.capacity_tonne_km, 4),
        "energy_kwh": round(account.energy_kwh, 4), "co2e_ttw_kg": round(account.co2e_ttw_kg, 4),
        "co2e_wtw_kg": round(account.co2e_wtw_kg, 4), "nox_g": round(account.nox_g, 4),
        "pm_g": round(account.pm_g, 4), "cost_nok": round(account.cost_nok, 2),
        "social_cost_nok": round(account.social_cost_nok, 2),
        "municipal_share": account.municipal_share,
    }


def _carrier_row(account: CarrierAccount) -> CsvRow:
    shipment, emissions = account.shipment, account.emissions
    d = shipment.delivery
    return dict(zip(CARRIER_COLUMNS, (
        d.order_id, d.unit_id, d.category, d.supplier_id, d.day, shipment.channel.value,
        shipment.destination_id, shipment.to_unit, round(d.demand_kg, 3),
        round(shipment.distance_m / 1000, 3), round(account.tonne_km, 4),
        round(emissions.co2e_ttw_kg, 4), round(emissions.co2e_wtw_kg, 4),
        round(emissions.nox_g, 4), round(emissions.pm_g, 4), round(account.cost_nok, 2),
        round(account.social_cost_nok, 2)), strict=True))


def _emissions_row(order: Order, emissions: LegEmissions) -> CsvRow:
    return dict(zip(EMISSIONS_COLUMNS, (
        order.id, order.unit_id, order.category, order.supplier_id,
        round(emissions.energy_kwh, 4), round(emissions.co2e_ttw_kg, 4),
        round(emissions.co2e_wtw_kg, 4), round(emissions.nox_g, 4), round(emissions.pm_g, 4)),
        strict=True))


def _unserved_row(result: ScenarioResult, unserved: UnservedDelivery) -> CsvRow:
    d = unserved.delivery
    unit = result.sites[d.unit_id]
    return {"order_id": d.order_id, "unit_id": d.unit_id, "unit_name": unit.name,
            "lon": unit.lon, "lat": unit.lat, "category": d.category,
            "supplier_id": d.supplier_id, "day": d.day, "demand_kg": round(d.demand_kg, 3),
            "reason": str(unserved.reason), "detail": unserved.detail}


def read_summary(folder: Path) -> dict[str, Any]:
    """The summary stored in a result folder (for ``compare``)."""
    path = folder / RESULT_FILE if folder.is_dir() else folder
    if not path.exists():
        raise InputError([Problem(str(folder), "", RESULT_FILE, "missing",
                                  "a result folder written by 'logistics run' or 'demo'")])
    document = read_json(path)
    if not isinstance(document, dict):
        raise InputError([Problem(str(path), "", "document", type(document).__name__,
                                  "a result.json object")])
    expected = {"scenario": str, "kpi_per_week": dict, "kpi_per_year": dict}
    wrong = [Problem(str(path), "", key, type(document[key]).__name__ if key in document
                     else "missing", f"a result.json field ({kind.__name__})")
             for key, kind in expected.items() if not isinstance(document.get(key), kind)]
    if wrong:
        raise InputError(wrong)
    for column in KPI_COLUMNS:
        document["kpi_per_week"].setdefault(column, None)
        document["kpi_per_year"].setdefault(column, None)
    return document


def read_summaries(folders: Sequence[Path]) -> list[dict[str, Any]]:
    """The summaries of several result folders; the problems of all of them at once."""
    problems = ProblemCollector()
    summaries = []
    for folder in folders:
        with problems.collecting():
            summaries.append(read_summary(folder))
    problems.raise_if_any()
    return summaries
