"""Staging of read documents on disk (SQLite), and the rules that turn them into
observed flows and deliveries. Memory stays flat however many documents are read:
each document is written here as soon as it is read, and the flows are built one
order at a time.

Rules (one *order group* is the documents of one seller naming the same order
number; a document without one is a group of its own):

* the group's invoices and credit notes are the record of what was bought; without
  them its despatch advices are; without those its order is, unless an order
  cancellation names it;
* a despatch advice's gross weight replaces the kg of the group's goods lines for the
  same unit and date (shared by their own kg, else by their number; basis
  ``despatch_advice``); an invoice without a delivery date takes the despatch
  advice's date for its unit when there is exactly one;
* a credit note subtracts from the invoice it names (``BillingReference``), at that
  invoice's unit and date; one that names no read invoice subtracts at its own date;
  credit notes are never deliveries;
* the same document (kind, seller, id) read twice counts once;
* the delivery date is the document's (actual, estimated, requested or despatch
  date); a document with only a period is spread over the ISO weeks of the period,
  one delivery a week on the period's first day in that week, kg by the days of the
  period in each week (``date_basis`` ``period_spread``); a document with neither
  uses its issue date (``issue_date``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logistics.purchases.documents import DocumentKind
from logistics.purchases.matching import SellerMatch

_SCHEMA = """
CREATE TABLE documents(
  doc_key TEXT PRIMARY KEY, kind TEXT, source TEXT, document_id TEXT, supplier_id TEXT,
  unit_id TEXT, unit_method TEXT, group_key TEXT, ref_key TEXT, delivery_date TEXT,
  date_basis TEXT, period_start TEXT, period_end TEXT, issue_date TEXT,
  gross_weight_kg REAL, gross_volume_m3 REAL, freight_nok REAL);
CREATE INDEX documents_group ON documents(group_key);
CREATE TABLE lines(doc_key TEXT, line_id TEXT, category TEXT, category_method TEXT,
  kg REAL, m3 REAL, basis TEXT, amount_nok REAL);
CREATE INDEX lines_doc ON lines(doc_key);
CREATE TABLE suppliers(supplier_id TEXT PRIMARY KEY, name TEXT, org_number TEXT,
  framework_agreement INTEGER, lon REAL, lat REAL, position_basis TEXT, postcode TEXT);
CREATE TABLE flows(supplier_id TEXT, unit_id TEXT, date TEXT, date_basis TEXT,
  category TEXT, kg REAL, m3 REAL, basis TEXT, delivery INTEGER, unit_method TEXT);
CREATE TABLE deliveries(supplier_id TEXT, unit_id TEXT, date TEXT, weekday INTEGER,
  kg REAL, m3 REAL, basis TEXT, date_basis TEXT, outside INTEGER);
"""
RECORD_KINDS = (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)


@dataclass(frozen=True, slots=True)
class StagedLine:
    line_id: str
    category: str
    category_method: str
    kg: float | None
    m3: float | None
    basis: str
    amount_nok: float | None


@dataclass(frozen=True, slots=True)
class StagedDocument:
    doc_key: str
    kind: DocumentKind
    source: str
    document_id: str
    supplier_id: str
    unit_id: str | None
    unit_method: str
    group_key: str
    ref_key: str | None
    delivery_date: dt.date | None
    date_basis: str
    period: tuple[dt.date, dt.date] | None
    issue_date: dt.date | None
    gross_weight_kg: float | None
    gross_volume_m3: float | None
    freight_nok: float


class Staging:
    """A SQLite file of staged documents and lines, removed when closed."""

    def __init__(self, path: Path):
        self.path = path
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)

    def add(self, document: StagedDocument, lines: list[StagedLine]) -> bool:
        """Stage one document; False (nothing staged) when it was read before."""
        d = document
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (d.doc_key, d.kind.value, d.source, d.document_id, d.supplier_id, d.unit_id,
             d.unit_method, d.group_key, d.ref_key, _iso(d.delivery_date), d.date_basis,
             _iso(d.period[0]) if d.period else None, _iso(d.period[1]) if d.period else None,
             _iso(d.issue_date), d.gross_weight_kg, d.gross_volume_m3, d.freight_nok))
        if cursor.rowcount == 0:
            return False
        self.db.executemany("INSERT INTO lines VALUES (?,?,?,?,?,?,?,?)", [
            (d.doc_key, x.line_id, x.category, x.category_method, x.kg, x.m3, x.basis,
             x.amount_nok) for x in lines])
        return True

    def add_supplier(self, seller: SellerMatch) -> None:
        self.db.execute("INSERT OR IGNORE INTO suppliers VALUES (?,?,?,?,?,?,?,?)",
                        (seller.supplier_id, seller.name, seller.org_number,
                         int(seller.framework_agreement), seller.lon, seller.lat,
                         seller.position_basis, seller.postcode))

    def query(self, sql: str, *args: object) -> Iterator[tuple[Any, ...]]:
        return iter(self.db.execute(sql, args))

    # -- flows ----------------------------------------------------------------------

    def build_flows(self) -> dict[str, int]:
        """Turn staged documents into flows and deliveries (rules in the module
        docstring); returns counts of what the rules did."""
        counts: dict[str, int] = defaultdict(int)
        self.db.execute(
            "UPDATE documents SET group_key = (SELECT r.group_key FROM documents r "
            "WHERE r.doc_key = documents.ref_key) WHERE ref_key IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM documents r WHERE r.doc_key = documents.ref_key)")
        rows = self.db.execute("SELECT * FROM documents ORDER BY group_key, doc_key")
        flows: list[tuple[object, ...]] = []
        for _, group in itertools.groupby(rows, key=lambda r: r[7]):
            flows.extend(self._group_flows([_Doc(*r) for r in group], counts))
            if len(flows) > 10_000:
                self.db.executemany("INSERT INTO flows VALUES (?,?,?,?,?,?,?,?,?,?)", flows)
                flows.clear()
        self.db.executemany("INSERT INTO flows VALUES (?,?,?,?,?,?,?,?,?,?)", flows)
        self._build_deliveries()
        return dict(counts)

    def _lines(self, doc_key: str) -> list[tuple[str, str, float | None, float | None, str]]:
        return list(self.db.execute(
            "SELECT line_id, category, kg, m3, basis FROM lines WHERE doc_key = ? "
            "AND category NOT IN ('freight', 'fee', 'service')", (doc_key,)))

    def _group_flows(self, docs: list[_Doc], counts: dict[str, int]
                     ) -> Iterator[tuple[object, ...]]:
        kinds = {d.kind for d in docs}
        advices = [d for d in docs if d.kind == DocumentKind.DESPATCH_ADVICE]
        orders = sum(d.kind == DocumentKind.ORDER for d in docs)
        if kinds & set(RECORD_KINDS):
            records = [d for d in docs if d.kind in RECORD_KINDS]
            counts["orders_covered_by_invoices_or_despatch_advices"] += orders
            counts["despatch_advices_beside_invoices"] += len(advices)
        elif advices:
            records = advices
            counts["orders_covered_by_invoices_or_despatch_advices"] += orders
        elif DocumentKind.ORDER_CANCELLATION in kinds:
            counts["orders_cancelled"] += orders
            return
        else:
            records = [d for d in docs if d.kind == DocumentKind.ORDER]
        advice_dates: dict[str, set[str]] = defaultdict(set)
        advice_kg: dict[tuple[str, str], float] = defaultdict(float)
        for advice in advices:
            if advice.unit_id and advice.delivery_date and advice.gross_weight_kg is not None:
                advice_dates[advice.unit_id].add(advice.delivery_date)
                advice_kg[advice.unit_id, advice.delivery_date] += advice.gross_weight_kg
        invoice_dates = {d.doc_key: (d.unit_id, d.delivery_date) for d in records}
        staged: list[_Placed] = []
        for doc in records:
            unit_id, date, basis = doc.unit_id, doc.delivery_date, doc.date_basis
            if doc.kind == DocumentKind.CREDIT_NOTE and doc.ref_key in invoice_dates:
                unit_id, date = invoice_dates[doc.ref_key]
                basis = "credited_invoice"
            if unit_id is None:
                counts["credit_notes_without_invoice_or_unit"] += 1
                continue
            if date is None and len(advice_dates.get(unit_id, ())) == 1:
                date, basis = next(iter(advice_dates[unit_id])), "despatch_advice"
            lines = [list(line) for line in self._lines(doc.doc_key)]
            staged.append(_Placed(doc, unit_id, date, basis, lines))
        if advice_kg:
            _apply_gross_weight(staged, advice_kg, counts)
        for placed in staged:
            doc = placed.doc
            delivery = int(doc.kind != DocumentKind.CREDIT_NOTE)
            for day, day_basis, share in _days(doc, placed.date, placed.basis):
                if day_basis == "period_spread":
                    counts["deliveries_spread_from_periods"] += 1
                for _, category, kg, m3, weight_basis in placed.lines:
                    if kg is None:
                        continue
                    yield (doc.supplier_id, placed.unit_id, day, day_basis, category,
                           float(kg) * share, float(m3 or 0.0) * share, weight_basis, delivery,
                           doc.unit_method)

    def _build_deliveries(self) -> None:
        rows = self.db.execute(
            "SELECT f.supplier_id, f.unit_id, f.date, MIN(f.date_basis), f.basis, SUM(f.kg), "
            "SUM(f.m3), MAX(f.delivery), COALESCE(MAX(1 - s.framework_agreement), 1) "
            "FROM flows f LEFT JOIN suppliers s USING(supplier_id) "
            "GROUP BY f.supplier_id, f.unit_id, f.date, f.basis "
            "ORDER BY f.supplier_id, f.unit_id, f.date")
        batch = []
        for (supplier_id, unit_id, date), parts in itertools.groupby(
                rows, key=lambda r: (r[0], r[1], r[2])):
            parts_list = list(parts)
            if not any(p[7] for p in parts_list):
                continue
            kg = sum(p[5] for p in parts_list)
            m3 = sum(p[6] for p in parts_list)
            basis = max(parts_list, key=lambda p: (p[5], p[4]))[4]
            day = dt.date.fromisoformat(date)
            batch.append((supplier_id, unit_id, date, day.weekday(), kg, m3, basis,
                          parts_list[0][3], parts_list[0][8]))
            if len(batch) >= 10_000:
                self.db.executemany("INSERT INTO deliveries VALUES (?,?,?,?,?,?,?,?,?)", batch)
                batch.clear()
        self.db.executemany("INSERT INTO deliveries VALUES (?,?,?,?,?,?,?,?,?)", batch)


@dataclass(frozen=True, slots=True)
class _Doc:
    doc_key: str
    kind: str
    source: str
    document_id: str
    supplier_id: str
    unit_id: str | None
    unit_method: str
    group_key: str
    ref_key: str | None
    delivery_date: str | None
    date_basis: str
    period_start: str | None
    period_end: str | None
    issue_date: str | None
    gross_weight_kg: float | None
    gross_volume_m3: float | None
    freight_nok: float


@dataclass(slots=True)
class _Placed:
    """A record document with the unit and date its flows get."""

    doc: _Doc
    unit_id: str
    date: str | None
    basis: str
    lines: list[list[Any]]


def _apply_gross_weight(staged: list[_Placed], advice_kg: dict[tuple[str, str], float],
                        counts: dict[str, int]) -> None:
    """Spread each despatch advice's gross weight over the goods lines of the same unit
    and date, by their own kg (by their number when they have none)."""
    by_place: dict[tuple[str, str], list[list[Any]]] = defaultdict(list)
    for placed in staged:
        if placed.doc.kind != DocumentKind.CREDIT_NOTE and placed.date:
            by_place[placed.unit_id, placed.date].extend(placed.lines)
    for place, gross_kg in advice_kg.items():
        lines = by_place.get(place, [])
        if not lines:
            continue
        own = [max(float(line[2] or 0.0), 0.0) for line in lines]
        total = sum(own)
        for line, kg in zip(lines, own, strict=True):
            share = kg / total if total > 0 else 1 / len(lines)
            old_kg = float(line[2] or 0.0)
            m3_per_kg = float(line[3] or 0.0) / old_kg if old_kg > 0 else 0.0
            line[2], line[3], line[4] = (gross_kg * share, gross_kg * share * m3_per_kg,
                                         "despatch_advice")
        counts["despatch_advice_weights_used"] += 1


def _days(doc: _Doc, date: str | None, basis: str) -> list[tuple[str, str, float]]:
    """(date, date basis, share of the document's kg) of each delivery it makes."""
    if date is not None:
        return [(date, basis, 1.0)]
    if doc.period_start and doc.period_end:
        start = dt.date.fromisoformat(doc.period_start)
        end = dt.date.fromisoformat(doc.period_end)
        total_days = (end - start).days + 1
        weeks: dict[tuple[int, int], list[dt.date]] = {}
        for offset in range(total_days):
            day = start + dt.timedelta(days=offset)
            weeks.setdefault(day.isocalendar()[:2], []).append(day)
        return [(days[0].isoformat(), "period_spread", len(days) / total_days)
                for days in weeks.values()]
    if doc.issue_date:
        return [(doc.issue_date, "issue_date", 1.0)]
    return []


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
