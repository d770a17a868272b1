"""``import_purchases``: purchase documents into a data set folder of today's flows.

Reads Peppol BIS 3 / EHF documents (files, folders, zip archives) and flat CSV/XLSX
exports (through a column mapping) one at a time, matches delivery places to units
and sellers to suppliers, weighs and classifies every line, stages everything on disk
and writes, into ``out_dir``:

* ``orders.csv`` — the orders file a scenario reads (``orders_file``), plus the column
  ``delivery_days`` (observed weekdays, e.g. ``mon;thu``);
* ``orders_needing_position.csv`` — flows of sellers with no known depot position;
* ``deliveries.csv`` — the observed calendar;
* ``suppliers.csv`` — the suppliers of the flows (``suppliers_needing_position.csv``
  for the rest);
* ``unmatched.csv`` — every document or line not used, with why;
* ``import_report.json`` and ``import_report.md``;
* the profile of today's flows (:mod:`logistics.purchases.profile`);
* the rest of a data set folder (:func:`logistics.purchases.outputs.complete_study`): the
  units' study's other tables, and ``channels.csv`` with every seller outside the
  agreements by parcel carrier, so that a scenario uses ``out_dir`` as its
  ``dataset_dir``.

A document that cannot be read is listed (file, element path, found, allowed) and the
import goes on. :class:`InputError` is raised when nothing could be read, or on any
problem with ``strict=True``.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import load_table
from logistics.model.domain import Category, Supplier, Unit
from logistics.paths import DATASET_DIR
from logistics.purchases.documents import DocumentKind, PurchaseDocument, PurchaseLine
from logistics.purchases.flat import FlatMapping, load_mapping, read_flat
from logistics.purchases.matching import SellerMatcher, UnitMatcher
from logistics.purchases.reference import load_reference
from logistics.purchases.sources import (
    MAX_DOCUMENT_BYTES,
    SourceFile,
    SourceProblem,
    iter_sources,
)
from logistics.purchases.store import StagedDocument, StagedLine, Staging
from logistics.purchases.summary import ImportSummary, ReadingSummary, UnmatchedSummary
from logistics.purchases.ubl import DocumentError, SkippedDocument, parse_ubl
from logistics.purchases.weights import LineClassifier

UNMATCHED_COLUMNS = ("source", "document_kind", "document_id", "supplier_id", "line_id",
                     "reason", "detail", "kg", "amount_nok")


@dataclass(frozen=True)
class ImportReport:
    """What an import read, skipped and could not read, and the files it wrote."""

    documents_read: int
    documents_failed: int
    documents_skipped: int
    problems: tuple[Problem, ...]
    out_dir: Path
    files: tuple[Path, ...]
    summary: ImportSummary
    """The figures of ``import_report.json``."""
    documents_duplicate: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    """(file, why) of each recognised document or file that carries no delivery."""


class _Unmatched:
    """``unmatched.csv``, written as the import goes, with counts and kg per reason."""

    def __init__(self, handle: IO[str]):
        self.writer = csv.writer(handle, lineterminator="\n")
        self.writer.writerow(UNMATCHED_COLUMNS)
        self.count: Counter[str] = Counter()
        self.kg: dict[str, float] = defaultdict(float)

    def add(self, source: str, document: PurchaseDocument, supplier_id: str, line_id: str,
            reason: str, detail: str, kg: float | None, amount_nok: float | None) -> None:
        self.count[reason] += 1
        self.kg[reason] += kg or 0.0
        self.writer.writerow((source, document.kind.value, document.document_id, supplier_id,
                              line_id, reason, detail, _round(kg), _round(amount_nok)))

    def summary(self) -> UnmatchedSummary:
        """Lines or documents and kg by reason, reasons in order."""
        return {"lines_or_documents_by_reason": dict(sorted(self.count.items())),
                "kg_by_reason": {k: round(v, 1) for k, v in sorted(self.kg.items())}}


def import_purchases(sources: Sequence[Path], *, units: Path, suppliers: Path, out_dir: Path,
                     mapping: Path | None = None, items: Path | None = None,
                     cost_centres: Path | None = None, postcodes: Path | None = None,
                     strict: bool = False, categories: Path = DATASET_DIR / "categories.csv",
                     max_document_bytes: int = MAX_DOCUMENT_BYTES) -> ImportReport:
    """Import purchase documents into ``out_dir`` (see the module docstring).

    ``categories`` is the data set's category table (rule and item categories are checked
    against it); ``max_document_bytes`` bounds each document, also inside archives.
    """
    from logistics.purchases.outputs import write_outputs  # charts: matplotlib loads late

    loaded = _load_inputs(units, suppliers, categories, mapping, items, cost_centres,
                          postcodes)
    unit_list, supplier_list, category_list, flat_mapping, tables = loaded
    classifier = LineClassifier(tables, {
        **{c.id: c.id for c in category_list}, **{c.name: c.id for c in category_list},
        **{c.name_nb: c.id for c in category_list if c.name_nb}})
    importer = _Importer(UnitMatcher(unit_list, tables.cost_centres),
                         SellerMatcher(supplier_list, tables.postcodes), classifier,
                         flat_mapping)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError([Problem(str(out_dir), "", "out_dir", "a file", "a folder to write")])
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Staging(out_dir / ".purchases-staging.sqlite")
    try:
        with (out_dir / "unmatched.csv").open("w", newline="", encoding="utf-8") as handle:
            importer.unmatched = _Unmatched(handle)
            importer.staging = staging
            for item in iter_sources(sources, max_document_bytes=max_document_bytes):
                importer.read(item)
        if importer.read_count == 0:
            raise InputError(importer.problems or [Problem(
                ", ".join(str(s) for s in sources), "", "documents",
                f"none readable ({importer.skipped_count} skipped)",
                "Peppol BIS 3 / EHF Invoice, CreditNote, Order, DespatchAdvice, or "
                "CSV/XLSX exports with --mapping")])
        if strict and importer.problems:
            raise InputError(importer.problems)
        rule_counts = staging.build_flows()
        files, summary = write_outputs(
            staging, out_dir, units=unit_list, supplier_list=supplier_list,
            categories=category_list, reading=importer.reading_summary(),
            unmatched=importer.unmatched.summary(), rule_counts=rule_counts,
            dataset_dir=units.parent)
    finally:
        staging.close()
    return ImportReport(
        documents_read=importer.read_count, documents_failed=importer.failed_count,
        documents_skipped=importer.skipped_count, problems=tuple(importer.problems),
        out_dir=out_dir, files=(out_dir / "unmatched.csv", *files),
        documents_duplicate=importer.duplicate_count, skipped=tuple(importer.skipped),
        summary=summary)


def _load_inputs(units: Path, suppliers: Path, categories: Path, mapping: Path | None,
                 items: Path | None, cost_centres: Path | None, postcodes: Path | None
                 ) -> tuple[Any, ...]:
    """Every table of the import, validated; one :class:`InputError` for all."""
    problems = ProblemCollector()
    results: list[Any] = []
    loaders = (
        lambda: load_table(units, Unit),
        lambda: load_table(suppliers, Supplier),
        lambda: load_table(categories, Category),
        lambda: load_mapping(mapping) if mapping else None,
        lambda: load_reference(
            items=items, cost_centres=cost_centres, postcodes=postcodes,
            unit_ids={u.id for u in results[0]} if results[0] else None,
            category_ids={c.id for c in results[2]} if results[2] else None),
    )
    for loader in loaders:
        results.append(problems.attempt(loader))
    problems.raise_if_any()
    return tuple(results)


class _Importer:
    """Reads one source item at a time and stages what it holds."""

    def __init__(self, units: UnitMatcher, sellers: SellerMatcher,
                 classifier: LineClassifier, mapping: FlatMapping | None):
        self.units, self.sellers, self.classifier, self.mapping = units, sellers, classifier, \
            mapping
        self.problems: list[Problem] = []
        self.skipped: list[tuple[str, str]] = []
        self.read_count = self.failed_count = self.skipped_count = self.duplicate_count = 0
        self.kinds: Counter[str] = Counter()
        self.unit_methods: Counter[str] = Counter()
        self.category_methods: Counter[str] = Counter()
        self.non_goods_nok: dict[str, float] = defaultdict(float)
        self.unmatched: _Unmatched
        self.staging: Staging

    def read(self, item: SourceFile | SourceProblem) -> None:
        if isinstance(item, SourceProblem):
            if item.skipped:
                self.skipped_count += 1
                self.skipped.append((item.name, f"{item.field} {item.found}: not read "
                                                f"(allowed: {item.allowed})"))
            else:
                self._fail(Problem(item.name, "", item.field, item.found, item.allowed))
            return
        if item.suffix == ".xml":
            try:
                parsed = parse_ubl(item.data)
            except DocumentError as error:
                self._fail(Problem(item.name, error.path, "document", error.found,
                                   error.allowed))
                return
            if isinstance(parsed, SkippedDocument):
                self.skipped_count += 1
                self.skipped.append((item.name, f"{parsed.root}: {parsed.reason}, "
                                                "carries no delivery"))
                return
            self._document(item.name, parsed)
            return
        if self.mapping is None:
            self._fail(Problem(item.name, "", "mapping", "no column mapping",
                               "a --mapping file for CSV/XLSX exports"))
            return
        documents, problems = read_flat(item.name, item.suffix, item.data, self.mapping)
        if problems:
            self.problems.extend(problems)
            self.failed_count += 1 if not documents else 0
        for document in documents:
            self._document(item.name, document)

    def _fail(self, problem: Problem) -> None:
        self.failed_count += 1
        self.problems.append(problem)

    def _document(self, source: str, document: PurchaseDocument) -> None:
        for path, found, allowed in document.warnings:
            self.problems.append(Problem(source, path, "measure", found, allowed))
        seller = self.sellers.match(document.seller)
        doc_key = f"{document.kind.value}|{document.seller.key}|{document.document_id}"
        order_ref = document.order_reference
        group_key = f"{document.seller.key}|order|{order_ref}" if order_ref else doc_key
        ref_key = (f"invoice|{document.seller.key}|{document.billing_reference}"
                   if document.kind is DocumentKind.CREDIT_NOTE and document.billing_reference
                   else None)
        unit = self.units.match(document.delivery)
        cancellation = document.kind is DocumentKind.ORDER_CANCELLATION
        dated = bool(document.delivery_date or document.period or document.issue_date)
        sign = -1.0 if document.kind is DocumentKind.CREDIT_NOTE else 1.0
        in_nok = document.currency == "NOK"
        lines, rejected = self._lines(document, sign)
        staged = StagedDocument(
            doc_key=doc_key, kind=document.kind, source=source,
            document_id=document.document_id, supplier_id=seller.supplier_id,
            unit_id=unit.unit_id if unit else None, unit_method=unit.method if unit else "",
            group_key=group_key, ref_key=ref_key, delivery_date=document.delivery_date,
            date_basis=document.delivery_date_basis, period=document.period,
            issue_date=document.issue_date, gross_weight_kg=document.gross_weight_kg,
            gross_volume_m3=document.gross_volume_m3,
            freight_nok=sign * (document.freight_nok + sum(
                (x.amount_nok or 0.0) for x in lines if x.category == "freight"))
            if in_nok else 0.0)
        usable = cancellation or (dated and (unit is not None or ref_key is not None))
        if not self.staging.add(staged, lines if usable else []):
            self.duplicate_count += 1
            return
        self.read_count += 1
        self.kinds[document.kind.value] += 1
        self.staging.add_supplier(seller)
        for bad, reason, detail in rejected:
            self.unmatched.add(source, document, seller.supplier_id, bad.line_id, reason,
                               detail, None, bad.amount_nok)
        if cancellation:
            return
        if not usable:
            reason, detail = (("no_date", "no delivery date, period or issue date")
                              if not dated else ("unit_not_matched", _tried(document)))
            goods = [line for line in lines if line.kg is not None]
            self.unmatched.add(source, document, seller.supplier_id, "", reason, detail,
                               sum(line.kg or 0.0 for line in goods),
                               sum(line.amount_nok or 0.0 for line in goods))
            return
        self.unit_methods[unit.method if unit else "credited_invoice"] += 1
        for line in lines:
            if line.kg is not None:
                self.category_methods[line.category_method] += 1
            else:
                self.non_goods_nok[line.category] += line.amount_nok or 0.0

    def _lines(self, document: PurchaseDocument, sign: float
               ) -> tuple[list[StagedLine], list[tuple[PurchaseLine, str, str]]]:
        """Staged lines (goods with kg; freight, fees and services with kg None) and
        the lines that could not be used, with why."""
        staged: list[StagedLine] = []
        rejected: list[tuple[PurchaseLine, str, str]] = []
        advice_weight = (document.kind is DocumentKind.DESPATCH_ADVICE
                         and document.gross_weight_kg is not None)
        for line in document.lines:
            amount = (sign * line.amount_nok if line.amount_nok is not None
                      and document.currency == "NOK" else None)
            category = self.classifier.category(line)
            if category is None:
                rejected.append((line, "no_category",
                                 "no UNSPSC, item-table, seller class or keyword match"))
                continue
            if not category.goods:
                staged.append(StagedLine(line.line_id, category.category, category.method,
                                         None, None, "", amount))
                continue
            weight = self.classifier.weight(line, category.category, document.currency)
            if weight is None and not advice_weight:
                rejected.append((line, "no_weight_basis",
                                 f"unit {line.unit_code or 'none'}, no item-table row, "
                                 f"no amount in NOK"))
                continue
            staged.append(StagedLine(
                line.line_id, category.category, category.method,
                sign * weight.kg if weight else 0.0, sign * weight.m3 if weight else 0.0,
                weight.basis if weight else "despatch_advice", amount))
        return staged, rejected

    def reading_summary(self) -> ReadingSummary:
        return {
            "documents_read": self.read_count, "documents_failed": self.failed_count,
            "documents_skipped": self.skipped_count,
            "documents_duplicate": self.duplicate_count,
            "documents_by_kind": dict(sorted(self.kinds.items())),
            "documents_by_unit_match": dict(sorted(self.unit_methods.items())),
            "lines_by_category_method": dict(sorted(self.category_methods.items())),
            "non_goods_nok": {k: round(v, 2) for k, v in sorted(self.non_goods_nok.items())},
            "problems": [str(p) for p in self.problems],
            "skipped": [f"{name}: {why}" for name, why in self.skipped],
        }


def _tried(document: PurchaseDocument) -> str:
    """What the delivery place offered for matching (counts only: references may hold
    people's names)."""
    place = document.delivery
    return (f"ids {len(place.ids)}, cost centres {len(place.cost_centres)}, "
            f"address {'yes' if place.street and place.postcode else 'no'}, "
            f"name {'yes' if place.name else 'no'}, buyer ids {len(place.buyer_ids)}")


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
