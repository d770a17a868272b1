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
from typing import NotRequired, TypedDict, cast

from logistics.accounting.carriers import CarrierAccount
from logistics.accounting.emissions import LegEmissions, aggregate_by_order_field
from logistics.accounting.kpi import KPI_COLUMNS, RouteAccount
from logistics.accounting.routes import AccountingMethod, AccountingMethodJson
from logistics.clock import WEEKDAYS, format_clock
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import read_json
from logistics.model.domain import Order, Site
from logistics.pipeline.provenance import ProvenanceJson, RunProvenance
from logistics.pipeline.result_schema import (
    CarrierRow,
    EmissionsRow,
    ResultRow,
    RouteKeys,
    RouteRow,
    StopRow,
    UnservedRow,
)
from logistics.plan.deliveries import Delivery, UnservedDelivery
from logistics.plan.planned import PlannedRoute
from logistics.scenarios.schema import Scenario
from logistics.travel.base import TravelDescription

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
    travel: TravelDescription
    approximate: bool
    illustrative: bool
    kpi_week: Mapping[str, float]
    kpi_year: Mapping[str, float]
    routes: tuple[tuple[PlannedRoute, RouteAccount], ...]
    unserved: tuple[UnservedDelivery, ...]
    point_ids: tuple[str, ...]
    sites: Mapping[str, Site]  # study site id -> site (name, WGS84 lon and lat)
    emissions_method: AccountingMethod
    emissions_by_order: Mapping[str, LegEmissions]
    orders: tuple[Order, ...]
    provenance: RunProvenance
    plan_notes: tuple[str, ...] = ()
    carriers: tuple[CarrierAccount, ...] = ()  # shipments handed to carriers, not routed

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def travel_model(self) -> str:
        """The travel model's name (``crow_fly``, ``road``)."""
        return self.travel["model"]

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

    def summary(self) -> ResultSummary:
        """The machine-readable summary (``--json`` output and ``result.json`` head)."""
        return {
            "scenario": self.name,
            "design": self.scenario.design,
            "travel_model": self.travel_model,
            "approximate_travel": self.approximate,
            "illustrative_inputs": self.illustrative,
            "notes": self.notes,
            "kpi_per_week": dict(self.kpi_week),
            "kpi_per_year": dict(self.kpi_year),
            "unserved_count": len(self.unserved),
            "emissions_method": self.emissions_method.as_json(),
            "data_set": data_set(self.scenario, self.provenance),
        }


class DataSetRef(TypedDict):
    """The data set and orders of a run (``data_set`` in ``result.json``)."""

    dataset_dir: str
    dataset_sha256: str
    orders_file: str | None
    orders_sha256: str | None


class ResultSummary(TypedDict):
    """The head of ``result.json``: what ``--json`` prints and ``compare`` reads. A
    result written by an older version may lack the fields after the KPIs, and a KPI it
    did not report is None."""

    scenario: str
    kpi_per_week: Mapping[str, float | None]
    kpi_per_year: Mapping[str, float | None]
    design: NotRequired[str]
    travel_model: NotRequired[str | None]
    approximate_travel: NotRequired[bool]
    illustrative_inputs: NotRequired[bool]
    notes: NotRequired[list[str]]
    unserved_count: NotRequired[int]
    emissions_method: NotRequired[AccountingMethodJson]
    data_set: NotRequired[DataSetRef]


class ResultDocument(ResultSummary, total=False):
    """A whole ``result.json`` as read back: the summary, then what a report reads of
    the rest (free-form JSON, checked where it is read)."""

    scenario_spec: Mapping[str, object]  # the scenario, as its model dumps it
    travel: TravelDescription
    provenance: ProvenanceJson
    unserved: list[Mapping[str, object]]  # the rows of unserved.csv


def data_set(scenario: Scenario, provenance: RunProvenance) -> DataSetRef:
    """The data set and orders a run used: the data set folder and orders file as the
    scenario names them, with content hashes (the study's over its files' SHA-256 by
    name; the orders file's SHA-256, null when the demand model made the orders). Runs
    with equal hashes planned the same goods for the same units."""
    files = sorted(provenance.input_sha256.items())
    return {"dataset_dir": scenario.dataset_dir,
            "dataset_sha256": hashlib.sha256(json.dumps(files).encode("utf-8")).hexdigest(),
            "orders_file": scenario.orders_file,
            "orders_sha256": provenance.orders_sha256}


# routes.csv: distance_km, duration_h, tonne_km and capacity_tonne_km are as driven; the
# columns from energy_kwh on are the municipality's part (municipal_share of a supplier's
# shared route). Summed over the file, distance_km is the week's vehicle_km_driven and
# stops and energy_kwh the week's KPIs of that name; the KPIs of cost_nok, the emissions
# and tonne_km add the hub's and the carriers' parts. Summed, carriers.csv gives the
# week's carrier_* KPIs.


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
    document = {
        **result.summary(),
        "scenario_spec": result.scenario.model_dump(mode="json"),
        "travel": dict(result.travel),
        "provenance": result.provenance.as_json(),
        "unserved": [_unserved_row(result, u) for u in result.unserved],
        "emissions_per_week_by_supplier": result.emissions_by("supplier_id"),
        "emissions_per_week_by_category": result.emissions_by("category"),
    }
    text = json.dumps(document, indent=2, default=str, allow_nan=False) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULT_FILE).write_text(text, encoding="utf-8")
    routes = sorted(result.routes, key=lambda pair: WEEKDAYS.index(pair[0].day))
    _write_csv(folder, StopRow,
               (_stop_row(result, planned, number, step) for planned, _ in routes
                for number, step in enumerate(_steps(planned), start=1)))
    _write_csv(folder, RouteRow, (_route_row(planned, account) for planned, account in routes))
    _write_csv(folder, UnservedRow, (_unserved_row(result, u) for u in result.unserved))
    _write_csv(folder, CarrierRow, (_carrier_row(account) for account in result.carriers))
    _write_csv(folder, EmissionsRow,
               (_emissions_row(order, result.emissions_by_order.get(order.id, LegEmissions()))
                for order in result.orders))
    return folder


def _write_csv(folder: Path, model: type[ResultRow], rows: Iterable[CsvRow]) -> None:
    """The rows as ``model``'s file, its columns in the model's order (a row with a
    column the model does not name is an error)."""
    with (folder / model.FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=model.columns())
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
    return dict(zip(RouteKeys.columns(), (route_id(planned), planned.day, planned.kind,
                                          planned.owner, route.vehicle_id,
                                          route.vehicle_type_id), strict=True))


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
    return dict(zip(CarrierRow.columns(), (
        d.order_id, d.unit_id, d.category, d.supplier_id, d.day, shipment.channel.value,
        shipment.destination_id, shipment.to_unit, round(d.demand_kg, 3),
        round(shipment.distance_m / 1000, 3), round(account.tonne_km, 4),
        round(emissions.co2e_ttw_kg, 4), round(emissions.co2e_wtw_kg, 4),
        round(emissions.nox_g, 4), round(emissions.pm_g, 4), round(account.cost_nok, 2),
        round(account.social_cost_nok, 2)), strict=True))


def _emissions_row(order: Order, emissions: LegEmissions) -> CsvRow:
    return dict(zip(EmissionsRow.columns(), (
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


def read_summary(folder: Path) -> ResultDocument:
    """The document stored in a result folder (for ``compare`` and reports), its summary
    fields checked; a KPI it does not report is None."""
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
    for field in ("kpi_per_week", "kpi_per_year"):
        kpis = document[field]
        document[field] = kpis | {column: None for column in KPI_COLUMNS if column not in kpis}
    return cast(ResultDocument, document)


def read_summaries(folders: Sequence[Path]) -> list[ResultDocument]:
    """The summaries of several result folders; the problems of all of them at once."""
    problems = ProblemCollector()
    summaries = []
    for folder in folders:
        with problems.collecting():
            summaries.append(read_summary(folder))
    problems.raise_if_any()
    return summaries
