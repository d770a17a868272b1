"""The result of one scenario run, and how it is written to and read from disk.

A result folder holds ``result.json`` (scenario, KPIs per week and per year,
provenance, unserved deliveries), ``routes.csv`` (one row per stop) and
``unserved.csv``. ``logistics compare`` reads ``result.json`` back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logistics.accounting.emissions import LegEmissions, aggregate_by_order_field
from logistics.accounting.kpi import KPI_COLUMNS, RouteAccount
from logistics.clock import format_clock
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import read_json
from logistics.model.domain import Order
from logistics.plan.builder import PlannedRoute
from logistics.plan.deliveries import UnservedDelivery

RESULT_FILE = "result.json"
APPROXIMATE_NOTE = ("Travel is approximate: crow-fly distances times a detour factor, "
                    "not a road network.")
ILLUSTRATIVE_NOTE = ("Suppliers, their fleets and hub sites are an illustrative set at real "
                     "logistics areas of Bergen, not real contracts.")


@dataclass(frozen=True)
class ScenarioResult:
    """Everything one run produced. ``notes`` are the caveats every output repeats."""

    scenario: Mapping[str, Any]
    travel: Mapping[str, Any]
    approximate: bool
    illustrative: bool
    kpi_week: Mapping[str, float]
    kpi_year: Mapping[str, float]
    routes: tuple[tuple[PlannedRoute, RouteAccount], ...]
    unserved: tuple[UnservedDelivery, ...]
    point_ids: tuple[str, ...]
    emissions_method: Mapping[str, Any]
    emissions_by_order: Mapping[str, LegEmissions]
    orders: tuple[Order, ...]
    provenance: Mapping[str, Any]
    plan_notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return str(self.scenario["name"])

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
            "design": self.scenario["design"],
            "travel_model": self.travel.get("model"),
            "approximate_travel": self.approximate,
            "illustrative_inputs": self.illustrative,
            "notes": self.notes,
            "kpi_per_week": dict(self.kpi_week),
            "kpi_per_year": dict(self.kpi_year),
            "unserved_count": len(self.unserved),
            "emissions_method": dict(self.emissions_method),
        }


def write_result(result: ScenarioResult, folder: Path) -> Path:
    """Write a result folder; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    document = result.summary() | {
        "scenario_spec": dict(result.scenario),
        "travel": dict(result.travel),
        "provenance": dict(result.provenance),
        "unserved": [_unserved_row(u) for u in result.unserved],
        "emissions_per_week_by_supplier": result.emissions_by("supplier_id"),
        "emissions_per_week_by_category": result.emissions_by("category"),
    }
    (folder / RESULT_FILE).write_text(json.dumps(document, indent=2, default=str) + "\n",
                                      encoding="utf-8")
    with (folder / "routes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["day", "kind", "owner", "vehicle_id", "vehicle_type", "stop_number",
                         "site_id", "arrival", "departure", "load_kg_after", "orders",
                         "route_distance_km", "route_co2e_wtw_kg", "route_cost_nok"])
        for planned, account in result.routes:
            route = planned.route
            for number, visit in enumerate(route.visits, start=1):
                dropped = planned.deliveries.get(number - 1, ())
                orders = ";".join(sorted(d.order_id for d in dropped))
                writer.writerow([
                    planned.day, planned.kind, planned.owner, route.vehicle_id,
                    route.vehicle_type_id, number, result.point_ids[visit.location],
                    format_clock(visit.arrival_s), format_clock(visit.departure_s),
                    round(visit.load_kg, 1), orders, round(account.distance_m / 1000, 3),
                    round(account.co2e_wtw_kg, 3), round(account.cost_nok, 2)])
    with (folder / "unserved.csv").open("w", newline="", encoding="utf-8") as handle:
        unserved_writer = csv.DictWriter(handle, fieldnames=["order_id", "unit_id", "category",
                                                    "supplier_id", "day", "demand_kg",
                                                    "reason", "detail"])
        unserved_writer.writeheader()
        for unserved in result.unserved:
            unserved_writer.writerow(_unserved_row(unserved))
    with (folder / "emissions_by_order.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "unit_id", "category", "supplier_id", "energy_kwh_per_week",
                         "co2e_ttw_kg_per_week", "co2e_wtw_kg_per_week", "nox_g_per_week",
                         "pm_g_per_week"])
        for order in result.orders:
            emissions = result.emissions_by_order.get(order.id, LegEmissions())
            writer.writerow([order.id, order.unit_id, order.category, order.supplier_id,
                             round(emissions.energy_kwh, 4), round(emissions.co2e_ttw_kg, 4),
                             round(emissions.co2e_wtw_kg, 4), round(emissions.nox_g, 4),
                             round(emissions.pm_g, 4)])
    return folder


def _unserved_row(unserved: UnservedDelivery) -> dict[str, Any]:
    d = unserved.delivery
    return {"order_id": d.order_id, "unit_id": d.unit_id, "category": d.category,
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
        try:
            summaries.append(read_summary(folder))
        except InputError as error:
            problems.extend(error.problems)
    problems.raise_if_any()
    return summaries
