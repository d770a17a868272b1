"""The data set folder an import writes: orders, deliveries, suppliers and the report.

``orders.csv`` has one row per (unit, category, supplier), averaged over the weeks the
data covers: from the first to the last delivery date of the whole import (not of
each flow), at least one week. ``demand_kg_per_week`` and ``volume_m3_per_week`` are
the flow's net kg and m3 (credit notes subtracted) per week; ``deliveries_per_week``
is the number of distinct delivery dates per week, rounded to the nearest whole
number (halves up) and kept within 1..7; ``delivery_days`` are that many weekdays on which the
flow was delivered most often (ties to the earlier weekday), written ``mon;thu``;
spread invoice periods give no weekday. Flows whose net kg is zero or less are left
out and counted in the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from logistics.model.domain import Category, Supplier, Unit
from logistics.purchases.profile import write_profile
from logistics.purchases.store import Staging
from logistics.purchases.summary import (
    FreightSummary,
    ImportSummary,
    KgFigures,
    OrderCounts,
    ReadingSummary,
    UnmatchedSummary,
)
from logistics.purchases.weights import WEIGHT_BASES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ORDER_COLUMNS = ("id", "unit_id", "category", "supplier_id", "demand_kg_per_week",
                 "volume_m3_per_week", "deliveries_per_week", "delivery_days")
SUPPLIER_COLUMNS = ("id", "name", "categories", "backup_categories", "lon", "lat", "area",
                    "depot_open", "illustrative", "org_number", "framework_agreement")
DEFAULT_DEPOT_OPEN = "06:00-16:00"
"""Assumption for sellers outside the supplier list: a depot open 06:00-16:00."""


def write_outputs(staging: Staging, out_dir: Path, *, units: Sequence[Unit],
                  supplier_list: Sequence[Supplier], categories: Sequence[Category],
                  reading: ReadingSummary, unmatched: UnmatchedSummary,
                  rule_counts: dict[str, int], dataset_dir: Path
                  ) -> tuple[tuple[Path, ...], ImportSummary]:
    """Write the data set folder; returns its files and the report's figures."""
    first, last, weeks = _period(staging)
    positioned = _write_suppliers(staging, out_dir, supplier_list)
    listed = {s.id for s in supplier_list}
    study_files = complete_study(dataset_dir, out_dir, sorted(
        s for s, has_position in positioned.items() if has_position and s not in listed))
    orders = _write_orders(staging, out_dir, weeks, positioned)
    deliveries_file = _write_deliveries(staging, out_dir)
    profile_files, profile = write_profile(staging, out_dir, units=units, weeks=weeks,
                                           categories=categories)
    summary: ImportSummary = {
        "reading": reading,
        "period": {"first_date": first, "last_date": last, "weeks": round(weeks, 2),
                   "rule": "from the first to the last delivery date of the import, at "
                           "least one week"},
        "rules": dict(sorted(rule_counts.items())),
        **_kg_figures(staging),
        "freight": _freight(staging),
        "unmatched": unmatched,
        "orders": orders,
        "suppliers_needing_position": sorted(
            s for s, p in positioned.items() if not p),
        "outside_agreements": profile.outside_agreements.model_dump(),
    }
    report_files = _write_report(out_dir, summary)
    files = (out_dir / "orders.csv", out_dir / "orders_needing_position.csv", deliveries_file,
             out_dir / "suppliers.csv", out_dir / "suppliers_needing_position.csv",
             *report_files, *profile_files, *study_files)
    return files, summary


STUDY_TABLES_WRITTEN = frozenset({"suppliers.csv", "orders.csv", "channels.csv"})
"""Tables of the data set folder the import writes itself; the rest are the data set's own."""


def complete_study(dataset_dir: Path, out_dir: Path, outside: Sequence[str]) -> list[Path]:
    """Make ``out_dir`` a data set folder a scenario uses as it is (``dataset_dir:`` and
    ``channels.file:``): the data set's own tables beside the import's suppliers and orders,
    and ``channels.csv`` with the data set's channels plus every seller outside the
    agreements by parcel carrier (web shops and local shops have no fleet the tool
    knows; an assumption, stated in each row)."""
    written: list[Path] = []
    for table in sorted(dataset_dir.glob("*.csv")):
        if table.name not in STUDY_TABLES_WRITTEN and not table.name.startswith("orders"):
            target = out_dir / table.name
            target.write_bytes(table.read_bytes())
            written.append(target)
    rows: list[dict[str, str]] = []
    if (dataset_dir / "channels.csv").is_file():
        with (dataset_dir / "channels.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    rows += [{"applies_to": supplier_id, "channel": "parcel",
              "basis": "assumption: a seller outside the framework agreements (web shop, "
                       "local shop) ships by a parcel carrier; the tool knows no fleet of its"}
             for supplier_id in outside]
    _write_csv(out_dir / "channels.csv", ("applies_to", "channel", "basis"), rows)
    return [*written, out_dir / "channels.csv"]


def _period(staging: Staging) -> tuple[str | None, str | None, float]:
    first, last = next(staging.query("SELECT MIN(date), MAX(date) FROM flows"))
    if first is None:
        return None, None, 1.0
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    return first, last, max(days / 7.0, 1.0)


def _write_suppliers(staging: Staging, out_dir: Path, supplier_list: Sequence[Supplier]
                     ) -> dict[str, bool]:
    """suppliers.csv (the list's suppliers as they are, and sellers outside it with a
    position) and suppliers_needing_position.csv; returns supplier id -> has a position.

    ``categories`` names each category's one main supplier, so sellers outside the list
    get none: the orders file says what they deliver."""
    categories: dict[str, set[str]] = defaultdict(set)
    for supplier_id, category in staging.query(
            "SELECT DISTINCT supplier_id, category FROM flows"):
        categories[supplier_id].add(category)
    listed = {s.id: s for s in supplier_list}
    positioned: dict[str, bool] = {s.id: True for s in supplier_list}
    rows: list[dict[str, str | float]] = [{
        "id": s.id, "name": s.name,
        "categories": ";".join(s.categories),
        "backup_categories": ";".join(s.backup_categories), "lon": s.lon, "lat": s.lat,
        "area": s.area, "depot_open": _windows(s.depot_open),
        "illustrative": str(s.illustrative).lower(), "org_number": s.org_number or "",
        "framework_agreement": str(s.framework_agreement).lower()} for s in supplier_list]
    missing: list[dict[str, str]] = []
    for supplier_id, name, org, _, lon, lat, _, postcode in staging.query(
            "SELECT * FROM suppliers ORDER BY supplier_id"):
        if supplier_id in listed or supplier_id not in categories:
            continue
        positioned[supplier_id] = lon is not None
        if lon is None:
            missing.append({"id": supplier_id, "name": name, "org_number": org or "",
                            "postcode": postcode or "",
                            "categories": ";".join(sorted(categories[supplier_id])),
                            "needs": "a depot position: add the supplier (with org_number "
                                     "and framework_agreement false) to the supplier list, "
                                     "or its postal code to the postcode table"})
            continue
        rows.append({"id": supplier_id, "name": name, "categories": "",
                     "backup_categories": "", "lon": lon, "lat": lat,
                     "area": f"position of postal code {postcode} (postcode table)",
                     "depot_open": DEFAULT_DEPOT_OPEN, "illustrative": "false",
                     "org_number": org or "", "framework_agreement": "false"})
    _write_csv(out_dir / "suppliers.csv", SUPPLIER_COLUMNS, rows)
    _write_csv(out_dir / "suppliers_needing_position.csv",
               ("id", "name", "org_number", "postcode", "categories", "needs"), missing)
    return positioned


def _write_orders(staging: Staging, out_dir: Path, weeks: float,
                  positioned: dict[str, bool]) -> OrderCounts:
    totals = {(u, c, s): (kg, m3) for u, c, s, kg, m3 in staging.query(
        "SELECT unit_id, category, supplier_id, SUM(kg), SUM(m3) FROM flows "
        "GROUP BY unit_id, category, supplier_id")}
    dates: Counter[tuple[str, str, str]] = Counter()
    weekdays: dict[tuple[str, str, str], Counter[int]] = defaultdict(Counter)
    for unit_id, category, supplier_id, date, basis in staging.query(
            "SELECT unit_id, category, supplier_id, date, MIN(date_basis) FROM flows "
            "WHERE delivery = 1 GROUP BY unit_id, category, supplier_id, date"):
        key = (unit_id, category, supplier_id)
        dates[key] += 1
        if basis != "period_spread":
            weekdays[key][dt.date.fromisoformat(date).weekday()] += 1
    rows: list[dict[str, str | int]] = []
    elsewhere: list[dict[str, str | int]] = []
    net_zero = 0
    for key in sorted(totals):
        kg, m3 = totals[key]
        if kg <= 0:
            net_zero += 1
            continue
        per_week = min(max(math.floor(dates[key] / weeks + 0.5), 1), 7)
        ranked = sorted(weekdays[key], key=lambda d: (-weekdays[key][d], d))[:per_week]
        unit_id, category, supplier_id = key
        row: dict[str, str | int] = {"id": f"{unit_id}:{category}:{supplier_id}",
               "unit_id": unit_id,
               "category": category, "supplier_id": supplier_id,
               "demand_kg_per_week": f"{kg / weeks:.3f}",
               "volume_m3_per_week": f"{max(m3, 0.0) / weeks:.5f}",
               "deliveries_per_week": per_week,
               "delivery_days": ";".join(WEEKDAYS[d] for d in sorted(ranked))}
        (rows if positioned.get(supplier_id, False) else elsewhere).append(row)
    _write_csv(out_dir / "orders.csv", ORDER_COLUMNS, rows)
    _write_csv(out_dir / "orders_needing_position.csv", ORDER_COLUMNS, elsewhere)
    return {"orders": len(rows), "orders_needing_position": len(elsewhere),
            "flows_net_zero_or_less": net_zero}


def _write_deliveries(staging: Staging, out_dir: Path) -> Path:
    path = out_dir / "deliveries.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("supplier_id", "unit_id", "date", "weekday", "kg", "m3",
                         "weight_basis", "date_basis", "framework_agreement"))
        for supplier_id, unit_id, date, weekday, kg, m3, basis, date_basis, outside in \
                staging.query("SELECT * FROM deliveries ORDER BY date, supplier_id, unit_id"):
            writer.writerow((supplier_id, unit_id, date, WEEKDAYS[weekday], f"{kg:.3f}",
                             f"{m3:.5f}", basis, date_basis, str(not outside).lower()))
    return path


def _kg_figures(staging: Staging) -> KgFigures:
    by_basis = dict(staging.query("SELECT basis, SUM(kg) FROM flows GROUP BY basis"))
    total = sum(by_basis.values())
    by_method = dict(staging.query(
        "SELECT unit_method, SUM(kg) FROM flows GROUP BY unit_method"))
    return {
        "kg_total": round(total, 1),
        "kg_by_weight_basis": {b: round(by_basis.get(b, 0.0), 1) for b in WEIGHT_BASES},
        "kg_share_by_weight_basis": {b: round(by_basis.get(b, 0.0) / total, 4) if total else 0
                                     for b in WEIGHT_BASES},
        "kg_by_unit_match": {m or "credited_invoice": round(v, 1)
                             for m, v in sorted(by_method.items(), key=lambda x: x[0] or "")},
    }


def _freight(staging: Staging) -> FreightSummary:
    rows = list(staging.query(
        "SELECT supplier_id, SUM(freight_nok) FROM documents GROUP BY supplier_id "
        "HAVING SUM(freight_nok) != 0 ORDER BY SUM(freight_nok) DESC"))
    return {"freight_nok_total": round(sum(v for _, v in rows), 2),
            "freight_nok_by_supplier": {s: round(v, 2) for s, v in rows},
            "note": "freight charges on the invoices: what the municipality pays for "
                    "transport today"}


def _write_report(out_dir: Path, summary: ImportSummary) -> tuple[Path, Path]:
    json_path = out_dir / "import_report.json"
    json_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    reading = summary["reading"]
    outside = summary["outside_agreements"]
    lines = [
        "# Purchase import report",
        "",
        f"Documents read {reading['documents_read']}, failed {reading['documents_failed']}, "
        f"skipped {reading['documents_skipped']}, read twice (counted once) "
        f"{reading['documents_duplicate']}.",
        f"Period {summary['period']['first_date']} to {summary['period']['last_date']} "
        f"({summary['period']['weeks']} weeks).",
        "",
        "## Kilograms by weight basis",
        "",
        "| basis | kg | share |", "| --- | ---: | ---: |",
        *(f"| {b} | {kg:,.0f} | {summary['kg_share_by_weight_basis'][b]:.1%} |"
          for b, kg in summary["kg_by_weight_basis"].items()),
        "",
        "## Kilograms by how the unit was matched",
        "",
        "| match | kg |", "| --- | ---: |",
        *(f"| {m} | {kg:,.0f} |" for m, kg in summary["kg_by_unit_match"].items()),
        "",
        "## Flows outside the framework agreements",
        "",
        f"{outside['deliveries']} deliveries ({outside['deliveries_share']:.1%}) and "
        f"{outside['kg']:,.0f} kg ({outside['kg_share']:.1%}) from {outside['suppliers']} "
        "suppliers outside the agreements.",
        "",
        "## Freight charges paid today",
        "",
        f"NOK {summary['freight']['freight_nok_total']:,.2f} in freight charges on the "
        "documents read.",
        "",
        "## Not used",
        "",
        "| reason | lines or documents | kg |", "| --- | ---: | ---: |",
        *(f"| {r} | {n} | {summary['unmatched']['kg_by_reason'].get(r, 0):,.0f} |"
          for r, n in summary["unmatched"]["lines_or_documents_by_reason"].items()),
        "",
        f"Orders written {summary['orders']['orders']}; needing a supplier position "
        f"{summary['orders']['orders_needing_position']}; net zero or less after credit "
        f"notes {summary['orders']['flows_net_zero_or_less']}.",
        "",
        "## Rules applied",
        "",
        *(f"- {rule.replace('_', ' ')}: {count}" for rule, count in summary["rules"].items()),
        *(["none"] if not summary["rules"] else []),
        "",
        "## Problems",
        "",
        *(f"- {p}" for p in reading["problems"]),
        *(["none"] if not reading["problems"] else []),
        "",
        "## Skipped",
        "",
        *(f"- {s}" for s in reading["skipped"]),
        *(["none"] if not reading["skipped"] else []),
        "",
    ]
    text_path = out_dir / "import_report.md"
    text_path.write_text("\n".join(lines), encoding="utf-8")
    return json_path, text_path


def _windows(windows: tuple[tuple[int, int], ...]) -> str:
    return ";".join(f"{a // 3600:02d}:{a % 3600 // 60:02d}-{b // 3600:02d}:{b % 3600 // 60:02d}"
                    for a, b in windows)


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, object]]
               ) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
