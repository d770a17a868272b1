"""Flat exports of e-commerce or ERP lines (CSV or XLSX) through a column mapping.

Every system exports differently, so a small YAML file names the export's columns::

    columns:                       # field: the export's column header
      document_id: Fakturanr       # required
      seller_org_number: Orgnr     # seller_org_number or seller_name required
      seller_name: Leverandør
      delivery_date: Leveringsdato
      cost_centre: Ansvar          # any of the delivery-place fields
      quantity: Antall
      unit_code: Enhet             # UN/ECE Rec. 20 (KGM, LTR, EA ...)
      amount_nok: Beløp            # quantity or amount_nok required
      item_name: Varetekst
    delimiter: ";"                 # CSV only; default ","
    decimal_comma: true            # "12,5" means 12.5
    date_format: "%d.%m.%Y"        # default ISO "%Y-%m-%d"
    sheet: Linjer                  # XLSX only; default the first sheet
    document_kind: invoice         # or order, despatch_advice, credit_note

Rows with the same ``document_id`` (and seller) form one document. Only mapped columns
are read, so columns with contact names or notes are never touched. openpyxl reads
XLSX in read-only mode, row by row.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from logistics.errors import Problem
from logistics.io.tables import read_yaml_mapping
from logistics.purchases.documents import (
    DeliveryPlace,
    DocumentKind,
    Party,
    PurchaseDocument,
    PurchaseLine,
)
from logistics.validated import Frozen, Name

Column = Name


class ColumnMap(Frozen):
    """The export's column for each field the import reads."""

    document_id: Column
    seller_org_number: Column | None = None
    seller_name: Column | None = None
    seller_postcode: Column | None = None
    delivery_date: Column | None = None
    issue_date: Column | None = None
    delivery_id: Column | None = None
    cost_centre: Column | None = None
    delivery_address: Column | None = None
    delivery_postcode: Column | None = None
    delivery_name: Column | None = None
    order_reference: Column | None = None
    line_id: Column | None = None
    quantity: Column | None = None
    unit_code: Column | None = None
    amount_nok: Column | None = None
    item_name: Column | None = None
    gtin: Column | None = None
    seller_item_id: Column | None = None
    unspsc: Column | None = None
    seller_category: Column | None = None
    gross_weight_kg: Column | None = None

    @model_validator(mode="after")
    def _enough(self) -> ColumnMap:
        if not (self.seller_org_number or self.seller_name):
            raise ValueError("map seller_org_number or seller_name")
        if not (self.quantity or self.amount_nok):
            raise ValueError("map quantity or amount_nok")
        return self


class FlatMapping(Frozen):
    """A validated column-mapping file."""

    columns: ColumnMap
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    decimal_comma: bool = False
    date_format: str = Field(default="%Y-%m-%d", max_length=40)
    sheet: Name | None = None
    document_kind: Literal["invoice", "credit_note", "order", "despatch_advice"] = "invoice"


def load_mapping(path: Path) -> FlatMapping:
    """Read and validate a column-mapping file; :class:`InputError` naming each field."""
    return FlatMapping.from_data(read_yaml_mapping(path), str(path))


def read_flat(name: str, suffix: str, data: bytes, mapping: FlatMapping
              ) -> tuple[list[PurchaseDocument], list[Problem]]:
    """The documents of one export and the problems of its rows (row numbers as a
    spreadsheet shows them, the header being row 1)."""
    problems: list[Problem] = []
    try:
        rows = _xlsx_rows(data, mapping.sheet) if suffix == ".xlsx" else _csv_rows(data, mapping)
        header = [str(c or "").strip() for c in next(rows, [])]
    except (ValueError, KeyError, OSError, csv.Error, zipfile.BadZipFile) as error:
        return [], [Problem(name, "", "file", str(error)[:80], "a CSV or XLSX export")]
    mapped = {f: c for f, c in mapping.columns.model_dump().items() if c}
    missing = [c for c in mapped.values() if c not in header]
    if missing:
        return [], [Problem(name, "row 1", "header", ", ".join(sorted(missing)),
                            f"the mapped columns ({len(mapped)}) in the header")]
    index = {f: header.index(c) for f, c in mapped.items()}
    kind = DocumentKind(mapping.document_kind)
    documents: dict[tuple[str, str], tuple[PurchaseDocument, list[PurchaseLine]]] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        row = {f: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""
               for f, i in index.items()}
        try:
            key, document, line = _row(row, number, mapping, kind)
        except _RowError as error:
            problems.append(Problem(name, f"row {number}", error.field, error.found,
                                    error.allowed))
            continue
        documents.setdefault(key, (document, []))[1].append(line)
    return [dataclasses.replace(document, lines=tuple(lines))
            for document, lines in documents.values()], problems


class _RowError(Exception):
    def __init__(self, field: str, found: str, allowed: str):
        super().__init__(field)
        self.field, self.found, self.allowed = field, found, allowed


def _row(row: dict[str, str], number: int, mapping: FlatMapping, kind: DocumentKind
         ) -> tuple[tuple[str, str], PurchaseDocument, PurchaseLine]:
    """The document a row belongs to (its lines left empty), the row's line."""
    if not row["document_id"]:
        raise _RowError(mapping.columns.document_id, "empty", "a document id")
    org = "".join(c for c in row.get("seller_org_number", "") if c.isdigit())
    if row.get("seller_org_number") and len(org) != 9:
        raise _RowError(str(mapping.columns.seller_org_number),
                        repr(row["seller_org_number"][:20]), "a 9-digit organisation number")
    seller = Party(org_number=org, name=row.get("seller_name", "")[:200],
                   postcode=row.get("seller_postcode", ""))
    if not seller.org_number and not seller.name:
        raise _RowError("seller", "empty", "an organisation number or a name")
    quantity = _number(row, "quantity", mapping)
    amount = _number(row, "amount_nok", mapping)
    date = _date(row, "delivery_date", mapping)
    document = PurchaseDocument(
        kind=kind, document_id=row["document_id"][:100], seller=seller,
        delivery=DeliveryPlace(
            ids=tuple(x for x in (row.get("delivery_id", ""),) if x),
            cost_centres=tuple(x for x in (row.get("cost_centre", ""),) if x),
            street=row.get("delivery_address", ""), postcode=row.get("delivery_postcode", ""),
            name=row.get("delivery_name", "")[:200]),
        lines=(), issue_date=_date(row, "issue_date", mapping),
        delivery_date=date, delivery_date_basis="actual" if date else "",
        order_reference=row.get("order_reference", "")[:100],
        gross_weight_kg=_number(row, "gross_weight_kg", mapping))
    line = PurchaseLine(
        line_id=row.get("line_id", "") or str(number),
        quantity=quantity if quantity is not None else 1.0,
        unit_code=row.get("unit_code", "").upper()[:10], amount_nok=amount,
        item_name=row.get("item_name", "")[:200], gtin=row.get("gtin", "")[:50],
        seller_item_id=row.get("seller_item_id", "")[:100], unspsc=row.get("unspsc", "")[:20],
        seller_category=row.get("seller_category", "")[:100])
    return (seller.key, row["document_id"]), document, line


def _number(row: dict[str, str], field: str, mapping: FlatMapping) -> float | None:
    text = row.get(field, "")
    if not text:
        return None
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if mapping.decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise _RowError(str(getattr(mapping.columns, field)), repr(text[:20]),
                        "a number" + (" with a decimal comma" if mapping.decimal_comma else ""))
    return value


def _date(row: dict[str, str], field: str, mapping: FlatMapping) -> dt.date | None:
    text = row.get(field, "")
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, mapping.date_format).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])  # XLSX date cells arrive as ISO dates
    except ValueError:
        raise _RowError(str(getattr(mapping.columns, field)), repr(text[:20]),
                        f"a date as {mapping.date_format}") from None


def _csv_rows(data: bytes, mapping: FlatMapping) -> Iterator[Sequence[object]]:
    text = data.decode("utf-8-sig")
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter))


def _xlsx_rows(data: bytes, sheet: str | None) -> Iterator[Sequence[object]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    worksheet = book[sheet] if sheet else book.worksheets[0]
    for values in worksheet.iter_rows(values_only=True):
        yield [v.date().isoformat() if isinstance(v, dt.datetime) else v for v in values]
