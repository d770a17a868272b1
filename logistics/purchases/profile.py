"""The profile of today's flows, for people: tables, charts, a workbook and
``profile.json``, the typed summary the decision report renders as its
"Dagens varestrøm / Today's flows" section.

``profile.json`` fields (all counts of deliveries; a delivery is one seller at one
unit on one date; kg are net of credit notes):

* ``period``: ``first_date``, ``last_date`` (ISO dates), ``weeks`` (float);
* ``deliveries``, ``deliveries_per_week``, ``kg``, ``kg_per_week``, ``units``,
  ``suppliers``;
* ``deliveries_per_unit_per_week`` and ``suppliers_per_unit``: ``mean``, ``median``,
  ``max`` over the units with deliveries;
* ``kg_per_delivery``: ``mean``, ``median``, ``p10``, ``p90``;
* ``small_drop_kg`` (threshold) and ``small_drop_share`` (share of deliveries under it);
* ``top_suppliers``: up to 10 of ``supplier_id``, ``name``, ``framework_agreement``,
  ``deliveries``, ``deliveries_per_week``, ``kg``, ``kg_share``, ``units``, by kg;
* ``outside_agreements``: ``suppliers``, ``deliveries``, ``deliveries_share``, ``kg``,
  ``kg_share`` (parallel flows outside the framework agreements);
* ``weekdays``: per weekday ``weekday`` (``mon``..``sun``), ``deliveries``, ``kg``,
  ``share`` (deliveries spread from invoice periods have no weekday and are left out);
* ``busiest_days``: up to 10 of ``date``, ``weekday``, ``deliveries``, ``kg``;
* ``files``: ``tables``, ``charts``, ``workbook`` (names relative to the data set folder).

:class:`FlowProfile` is the same as a validated model; :func:`read_profile` reads one.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import xlsxwriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pydantic import with_config
from typing_extensions import TypedDict

from logistics.io.tables import read_json
from logistics.model.domain import Category, Unit
from logistics.purchases.store import Staging
from logistics.validated import Frozen


class ProfilePeriod(Frozen):
    first_date: str | None
    last_date: str | None
    weeks: float


class UnitFlowsRow(TypedDict):
    """A row of ``profile_units.csv``: one unit's deliveries today."""

    unit_id: str
    name: str
    deliveries_per_week: float
    suppliers: int
    kg_per_week: float
    kg_per_delivery: float


@with_config(Frozen.model_config)  # validated in the profile as strictly as its models
class SupplierFlowsRow(TypedDict):
    """A row of ``profile_suppliers.csv``; the first ten are the profile's
    ``top_suppliers``."""

    supplier_id: str
    name: str
    framework_agreement: bool
    deliveries: int
    deliveries_per_week: float
    kg: float
    kg_share: float
    units: int


class SizeBinRow(TypedDict):
    """A row of ``profile_delivery_sizes.csv``: deliveries from ``kg_from`` up to
    ``kg_to`` (None: no upper bound)."""

    kg_from: int
    kg_to: float | None
    deliveries: int
    share: float


@with_config(Frozen.model_config)
class WeekdayRow(TypedDict):
    """A row of ``profile_weekdays.csv``, and of the profile's ``weekdays``."""

    weekday: str
    deliveries: int
    kg: float
    share: float


@with_config(Frozen.model_config)
class BusyDayRow(TypedDict):
    """A row of ``profile_busiest_days.csv``, and of the profile's ``busiest_days``."""

    date: str
    weekday: str
    deliveries: int
    kg: float


class Spread(Frozen):
    mean: float
    median: float
    max: float


class DeliverySizes(Spread):
    p10: float
    p90: float


class OutsideAgreements(Frozen):
    suppliers: int
    deliveries: int
    deliveries_share: float
    kg: float
    kg_share: float


class ProfileFiles(Frozen):
    tables: list[str]
    charts: list[str]
    workbook: str


class FlowProfile(Frozen):
    """``profile.json``: today's flows as the decision report reads them (fields in
    the module docstring). Read one with :func:`read_profile`."""

    period: ProfilePeriod
    deliveries: int
    deliveries_per_week: float
    kg: float
    kg_per_week: float
    units: int
    suppliers: int
    deliveries_per_unit_per_week: Spread
    suppliers_per_unit: Spread
    kg_per_delivery: DeliverySizes
    small_drop_kg: float
    small_drop_share: float
    top_suppliers: list[SupplierFlowsRow]
    outside_agreements: OutsideAgreements
    weekdays: list[WeekdayRow]
    busiest_days: list[BusyDayRow]
    files: ProfileFiles


def read_profile(path: Path) -> FlowProfile:
    """A data set folder's ``profile.json``, validated; :class:`InputError` naming every
    field that is missing or wrong."""
    return FlowProfile.from_data(read_json(path), str(path))


SMALL_DROP_KG = 50.0
"""Assumption: a drop under 50 kg fills less than a tenth of a small van's payload."""
SIZE_BINS_KG = (0, 10, 25, 50, 100, 250, 500, 1000)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOP = 10


def write_profile(staging: Staging, out_dir: Path, *, units: Sequence[Unit], weeks: float,
                  categories: Sequence[Category]) -> tuple[tuple[Path, ...], FlowProfile]:
    """Write the profile tables, charts, workbook and ``profile.json``; the files and
    the profile."""
    del categories  # the profile is by delivery, across categories
    names = {u.id: u.name for u in units}
    supplier_rows = {r[0]: r for r in staging.query(
        "SELECT supplier_id, name, framework_agreement FROM suppliers")}
    kgs = array("d", (row[0] for row in staging.query(
        "SELECT kg FROM deliveries ORDER BY kg")))
    total_kg = sum(kgs)
    unit_count: Counter[str] = Counter()
    unit_kg: dict[str, float] = defaultdict(float)
    unit_suppliers: dict[str, set[str]] = defaultdict(set)
    supplier_count: Counter[str] = Counter()
    supplier_kg: dict[str, float] = defaultdict(float)
    supplier_units: dict[str, set[str]] = defaultdict(set)
    weekday_count: Counter[int] = Counter()
    weekday_kg: Counter[int] = Counter()
    day_count: Counter[str] = Counter()
    day_kg: Counter[str] = Counter()
    outside_count, outside_kg, outside_suppliers = 0, 0.0, set()
    for supplier_id, unit_id, date, weekday, kg, date_basis, outside in staging.query(
            "SELECT supplier_id, unit_id, date, weekday, kg, date_basis, outside "
            "FROM deliveries"):
        unit_count[unit_id] += 1
        unit_kg[unit_id] += kg
        unit_suppliers[unit_id].add(supplier_id)
        supplier_count[supplier_id] += 1
        supplier_kg[supplier_id] += kg
        supplier_units[supplier_id].add(unit_id)
        if date_basis != "period_spread":
            weekday_count[weekday] += 1
            weekday_kg[weekday] += kg
            day_count[date] += 1
            day_kg[date] += kg
        if outside:
            outside_count += 1
            outside_kg += kg
            outside_suppliers.add(supplier_id)
    count = len(kgs)
    unit_table: list[UnitFlowsRow] = [{"unit_id": u, "name": names.get(u, ""),
                   "deliveries_per_week": round(n / weeks, 2),
                   "suppliers": len(unit_suppliers[u]),
                   "kg_per_week": round(unit_kg[u] / weeks, 1),
                   "kg_per_delivery": round(unit_kg[u] / n, 1)}
                  for u, n in sorted(unit_count.items())]
    supplier_table: list[SupplierFlowsRow] = sorted(({
        "supplier_id": s, "name": supplier_rows.get(s, (s, s, 0))[1],
        "framework_agreement": bool(supplier_rows.get(s, (s, s, 0))[2]),
        "deliveries": n, "deliveries_per_week": round(n / weeks, 2),
        "kg": round(supplier_kg[s], 1),
        "kg_share": round(supplier_kg[s] / total_kg, 4) if total_kg else 0.0,
        "units": len(supplier_units[s])} for s, n in supplier_count.items()),
        key=lambda r: (-r["kg"], r["supplier_id"]))
    size_table: list[SizeBinRow] = [{"kg_from": a, "kg_to": b if b != float("inf") else None,
                   "deliveries": sum(1 for k in kgs if a <= k < b),
                   "share": round(sum(1 for k in kgs if a <= k < b) / count, 4) if count else 0}
                  for a, b in zip(SIZE_BINS_KG, (*SIZE_BINS_KG[1:], float("inf")), strict=True)]
    weekday_table: list[WeekdayRow] = [{"weekday": WEEKDAYS[d], "deliveries": weekday_count[d],
                      "kg": round(weekday_kg[d], 1),
                      "share": round(weekday_count[d] / sum(weekday_count.values()), 4)}
                     for d in range(7) if weekday_count[d]]
    busiest: list[BusyDayRow] = [{"date": d, "weekday": WEEKDAYS[_weekday(d)], "deliveries": n,
                "kg": round(day_kg[d], 1)}
               for d, n in sorted(day_count.items(), key=lambda x: (-x[1], x[0]))[:TOP]]
    tables: dict[str, Sequence[Mapping[str, object]]] = {
        "profile_units.csv": unit_table, "profile_suppliers.csv": supplier_table,
        "profile_delivery_sizes.csv": size_table, "profile_weekdays.csv": weekday_table,
        "profile_busiest_days.csv": busiest}
    for name, rows in tables.items():
        _write_csv(out_dir / name, rows)
    charts = _charts(out_dir / "charts", unit_table, size_table, weekday_table,
                     supplier_table[:TOP])
    workbook = out_dir / "today_flows.xlsx"
    first, last = next(staging.query("SELECT MIN(date), MAX(date) FROM deliveries"))
    document = {
        "period": {"first_date": first, "last_date": last, "weeks": round(weeks, 2)},
        "deliveries": count, "deliveries_per_week": round(count / weeks, 1),
        "kg": round(total_kg, 1), "kg_per_week": round(total_kg / weeks, 1),
        "units": len(unit_count), "suppliers": len(supplier_count),
        "deliveries_per_unit_per_week": _stats([r["deliveries_per_week"] for r in unit_table]),
        "suppliers_per_unit": _stats([float(r["suppliers"]) for r in unit_table]),
        "kg_per_delivery": {**_stats(kgs), "p10": _quantile(kgs, 0.1),
                            "p90": _quantile(kgs, 0.9)},
        "small_drop_kg": SMALL_DROP_KG,
        "small_drop_share": round(sum(1 for k in kgs if k < SMALL_DROP_KG) / count, 4)
        if count else 0.0,
        "top_suppliers": supplier_table[:TOP],
        "outside_agreements": {
            "suppliers": len(outside_suppliers), "deliveries": outside_count,
            "deliveries_share": round(outside_count / count, 4) if count else 0.0,
            "kg": round(outside_kg, 1),
            "kg_share": round(outside_kg / total_kg, 4) if total_kg else 0.0},
        "weekdays": weekday_table,
        "busiest_days": busiest,
        "files": {"tables": sorted(tables),
                  "charts": [str(p.relative_to(out_dir)) for p in charts],
                  "workbook": workbook.name},
    }
    profile = FlowProfile.from_data(document, "profile.json")  # written as the report reads it
    _workbook(workbook, profile, tables)
    profile_path = out_dir / "profile.json"
    profile_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    return (profile_path, workbook, *(out_dir / n for n in tables), *charts), profile


def _weekday(date: str) -> int:
    return dt.date.fromisoformat(date).weekday()


def _stats(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "median": 0.0, "max": 0.0}
    return {"mean": round(statistics.fmean(values), 2),
            "median": round(statistics.median(values), 2), "max": round(max(values), 2)}


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return round(sorted_values[min(int(q * len(sorted_values)), len(sorted_values) - 1)], 2)


def _write_csv(path: Path, rows: Sequence[Mapping[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _charts(folder: Path, units: list[UnitFlowsRow], sizes: list[SizeBinRow],
            weekdays: list[WeekdayRow], top: list[SupplierFlowsRow]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    specs = (
        ("today_deliveries_per_unit.png", "Deliveries per unit per week (today)",
         "deliveries per week", "units",
         lambda ax: ax.hist([u["deliveries_per_week"] for u in units] or [0], bins=20,
                            color="#4c72b0")),
        ("today_delivery_sizes.png", "kg per delivery (today)", "kg per delivery",
         "deliveries",
         lambda ax: ax.bar([f"{s['kg_from']}-" for s in sizes],
                           [s["deliveries"] for s in sizes], color="#dd8452")),
        ("today_weekdays.png", "Deliveries by weekday (today)", "weekday", "deliveries",
         lambda ax: ax.bar([w["weekday"] for w in weekdays],
                           [w["deliveries"] for w in weekdays], color="#55a868")),
        ("today_top_suppliers.png", "Top suppliers by kg (today)", "kg", "",
         lambda ax: ax.barh([s["supplier_id"] for s in reversed(top)],
                            [s["kg"] for s in reversed(top)],
                            color=["#4c72b0" if s["framework_agreement"] else "#c44e52"
                                   for s in reversed(top)])),
    )
    for name, title, xlabel, ylabel, draw in specs:
        figure = Figure(figsize=(7, 4), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        draw(axes)
        axes.set_title(title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        figure.tight_layout()
        path = folder / name
        figure.savefig(path, metadata={"Software": None})
        paths.append(path)
    return paths


def _workbook(path: Path, profile: FlowProfile,
              tables: Mapping[str, Sequence[Mapping[str, object]]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    summary = book.add_worksheet("summary")
    flat = {k: v for k, v in profile.model_dump().items() if not isinstance(v, list | dict)}
    flat.update({f"outside_agreements.{k}": v
                 for k, v in profile.outside_agreements.model_dump().items()})
    for row, (key, value) in enumerate(flat.items()):
        summary.write(row, 0, key)
        summary.write(row, 1, value)
    for name, rows in tables.items():
        sheet = book.add_worksheet(name.removeprefix("profile_").removesuffix(".csv")[:31])
        if not rows:
            continue
        for column, header in enumerate(rows[0]):
            sheet.write(0, column, header)
        for row, record in enumerate(rows, start=1):
            for column, value in enumerate(record.values()):
                sheet.write(row, column, value)
    book.close()
