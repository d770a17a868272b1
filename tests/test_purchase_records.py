"""The purchase import's typed records hold exactly the fields of the files it writes:
``import_report.json`` (:class:`ImportSummary` and its parts) and the profile tables
(their row TypedDicts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import get_type_hints

from logistics.purchases.importer import import_purchases
from logistics.purchases.profile import (
    BusyDayRow,
    SizeBinRow,
    SupplierFlowsRow,
    UnitFlowsRow,
    WeekdayRow,
)
from logistics.purchases.summary import (
    FreightSummary,
    ImportPeriod,
    ImportSummary,
    OrderCounts,
    ReadingSummary,
    UnmatchedSummary,
)
from tests.purchase_helpers import KG2_ORG, SUPPLIERS, UNITS, Line, invoice, write


def _fields(record: type) -> set[str]:
    return set(get_type_hints(record))


def test_the_import_report_and_profile_tables_have_the_fields_of_their_records(
        tmp_path: Path) -> None:
    folder = write(tmp_path / "in", {
        "a.xml": invoice("1", lines=(Line(10), Line(5))),
        "b.xml": invoice("2", unit_org=KG2_ORG, delivery_date="2026-01-07",
                         freight_nok=150.0),
    })
    out = tmp_path / "out"
    report = import_purchases([folder], units=UNITS, suppliers=SUPPLIERS, out_dir=out)
    written = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
    assert written == report.summary  # the typed record is what the file holds
    assert set(written) == _fields(ImportSummary)
    for field, record in (("reading", ReadingSummary), ("period", ImportPeriod),
                          ("freight", FreightSummary), ("unmatched", UnmatchedSummary),
                          ("orders", OrderCounts)):
        assert set(written[field]) == _fields(record), field
    # two invoices of 15 kg and 10 kg (KGM lines), one with NOK 150 freight
    assert written["kg_total"] == 25.0
    assert written["freight"]["freight_nok_total"] == 150.0
    assert written["reading"]["documents_read"] == 2
    for table, record in (("profile_units.csv", UnitFlowsRow),
                          ("profile_suppliers.csv", SupplierFlowsRow),
                          ("profile_delivery_sizes.csv", SizeBinRow),
                          ("profile_weekdays.csv", WeekdayRow),
                          ("profile_busiest_days.csv", BusyDayRow)):
        with (out / table).open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == list(get_type_hints(record)), table
