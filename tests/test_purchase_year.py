"""The GENERATED purchase year: well-formed Peppol documents with the mandatory
elements the published examples have, weights and totals that add up, deliveries on
fixed weekdays and never on holidays, kg as the demand model has them, broken and
hostile files as announced, made-up people planted, the same bytes for the same seed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.paths import DATA_DIR, DATASET_DIR, PROJECT_ROOT
from logistics.purchases.generate import generate_purchase_year
from logistics.purchases.generated_documents import gln_with_check_digit
from logistics.purchases.generated_year import YearScale, org_number_with_check_digit
from logistics.purchases.school_calendar import SchoolCalendar, easter_sunday

EXAMPLES = PROJECT_ROOT.parent / "shared" / "data" / "peppol-examples"
NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
WEEKS = 10
"""Covers the winter school holiday (ISO week 9)."""


def _units(folder: Path) -> Path:
    """Four kindergartens and four schools of the shipped units, in two districts."""
    with (DATASET_DIR / "units.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen = [r for t in ("kindergarten", "school") for d in ("Arna", "Fana")
              for r in [x for x in rows if x["unit_type"] == t and x["district"] == d][:2]]
    path = folder / "units.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(chosen)
    return path


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("year")
    generate_purchase_year(folder / "out", seed=7, units=_units(folder),
                           scale=YearScale(weeks=WEEKS))
    return folder / "out"


def _documents(out: Path) -> Iterator[tuple[str, bytes]]:
    """Every delivered document (not the unsorted files, not the resent copies)."""
    documents = out / "documents"
    for path in sorted(documents.glob("20*/*")):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield name, archive.read(name)
        else:
            for file in sorted(path.glob("*.xml")):
                yield file.name, file.read_bytes()


@pytest.fixture(scope="module")
def parsed(year: Path) -> list[etree._Element]:
    return [etree.fromstring(data, SAFE) for _, data in _documents(year)]


def _by_root(parsed: list[etree._Element], local: str) -> list[etree._Element]:
    return [d for d in parsed if etree.QName(d).localname == local]


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, NS)
    assert found is not None, path
    return str(found.text)


def test_easter_and_public_holidays() -> None:
    assert easter_sunday(2024) == dt.date(2024, 3, 31)
    assert easter_sunday(2025) == dt.date(2025, 4, 20)
    assert easter_sunday(2026) == dt.date(2026, 4, 5)
    holidays = SchoolCalendar(2025).public_holidays
    assert len(holidays) == 12
    assert {dt.date(2025, 4, 17), dt.date(2025, 4, 18), dt.date(2025, 5, 29),
            dt.date(2025, 6, 9), dt.date(2025, 5, 17)} <= holidays


@given(st.integers(1900, 2200))
def test_easter_is_a_sunday_in_its_window(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert dt.date(year, 3, 22) <= easter <= dt.date(year, 4, 25)


def test_identifiers_carry_their_check_digits() -> None:
    assert org_number_with_check_digit(96433853) == "964338531"  # Bergen kommune
    assert gln_with_check_digit("730001000000") == "7300010000001"  # GS1 example GLN


@given(st.integers(10_000_000, 99_999_990))
def test_org_numbers_pass_modulus_11(first_eight: int) -> None:
    number = org_number_with_check_digit(first_eight)
    weights = (3, 2, 7, 6, 5, 4, 3, 2, 1)
    assert len(number) == 9
    assert sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0


@pytest.mark.parametrize(("local", "example", "mandatory"), [
    ("Invoice", "invoice-Norwegian-example-1.xml",
     ["cbc:CustomizationID", "cbc:ProfileID", "cbc:ID", "cbc:IssueDate", "cbc:InvoiceTypeCode",
      "cbc:DocumentCurrencyCode", "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
      "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", "cac:TaxTotal/cbc:TaxAmount",
      "cac:LegalMonetaryTotal/cbc:PayableAmount", "cac:InvoiceLine/cbc:InvoicedQuantity",
      "cac:InvoiceLine/cac:Item/cbc:Name", "cac:InvoiceLine/cac:Price/cbc:PriceAmount"]),
    ("CreditNote", "invoice-base-creditnote-correction.xml",
     ["cbc:CustomizationID", "cbc:ID", "cbc:IssueDate", "cbc:CreditNoteTypeCode",
      "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
      "cac:CreditNoteLine/cbc:CreditedQuantity", "cac:LegalMonetaryTotal/cbc:PayableAmount"]),
    ("DespatchAdvice", "DespatchAdvice_Example.xml",
     ["cbc:CustomizationID", "cbc:ProfileID", "cbc:ID", "cbc:IssueDate",
      "cac:DespatchSupplierParty/cac:Party", "cac:DeliveryCustomerParty/cac:Party",
      "cac:Shipment/cbc:GrossWeightMeasure",
      "cac:Shipment/cac:Delivery/cac:EstimatedDeliveryPeriod/cbc:StartDate",
      "cac:DespatchLine/cbc:DeliveredQuantity", "cac:DespatchLine/cac:Item/cbc:Name"]),
])
def test_documents_have_the_examples_namespace_and_mandatory_elements(
        parsed: list[etree._Element], local: str, example: str, mandatory: list[str]) -> None:
    reference = etree.parse(str(EXAMPLES / example), SAFE).getroot()
    ours = _by_root(parsed, local)
    assert ours
    for document in ours:
        assert etree.QName(document).namespace == etree.QName(reference).namespace
        assert _text(document, "cbc:CustomizationID") == _text(reference,
                                                                "cbc:CustomizationID")
    for path in mandatory:
        assert reference.find(path, NS) is not None, (example, path)
        assert all(d.find(path, NS) is not None for d in ours), path


def test_every_document_is_labelled_generated(year: Path) -> None:
    for name, data in _documents(year):
        assert b"GENERATED" in data, name
    assert "GENERATED" in (year / "README.md").read_text(encoding="utf-8")


def test_invoice_totals_add_up(parsed: list[etree._Element]) -> None:
    for document in _by_root(parsed, "Invoice") + _by_root(parsed, "CreditNote"):
        lines = sum(float(e.text) for e in document.iterfind(
            "cac:*/cbc:LineExtensionAmount", NS) if e.getparent().tag.endswith("Line"))
        charges = sum(float(e.text) for e in document.iterfind("cac:AllowanceCharge/cbc:Amount",
                                                               NS))
        tax = float(_text(document, "cac:TaxTotal/cbc:TaxAmount"))
        total = document.find("cac:LegalMonetaryTotal", NS)
        assert float(_text(total, "cbc:LineExtensionAmount")) == pytest.approx(lines, abs=0.01)
        assert float(_text(total, "cbc:TaxExclusiveAmount")) == pytest.approx(lines + charges,
                                                                              abs=0.01)
        assert float(_text(total, "cbc:PayableAmount")) == pytest.approx(lines + charges + tax,
                                                                         abs=0.01)


def _item_kg() -> dict[str, float]:
    with (DATA_DIR / "purchases" / "generator_items.csv").open(encoding="utf-8") as handle:
        return {row["item_id"]: float(row["kg_per_unit"]) for row in csv.DictReader(handle)}


def test_gross_weight_is_the_lines_weight_with_packaging(parsed: list[etree._Element]) -> None:
    kg = _item_kg()
    for advice in _by_root(parsed, "DespatchAdvice"):
        net = sum(float(_text(line, "cbc:DeliveredQuantity"))
                  * kg[_text(line, "cac:Item/cac:SellersItemIdentification/cbc:ID")]
                  for line in advice.iterfind("cac:DespatchLine", NS))
        weight = advice.find("cac:Shipment/cbc:GrossWeightMeasure", NS)
        assert weight.get("unitCode") == "KGM"
        assert float(weight.text) == pytest.approx(net * 1.06, abs=0.06)


def _deliveries(parsed: list[etree._Element]) -> list[tuple[str, str, dt.date, etree._Element]]:
    """(seller org number, unit name, date, despatch advice) of every despatch advice."""
    return [(_text(d, "cac:DespatchSupplierParty/cac:Party/cbc:EndpointID"),
             _text(d, "cac:DeliveryCustomerParty/cac:Party/cac:PartyName/cbc:Name"),
             dt.date.fromisoformat(_text(d, "cbc:IssueDate")), d)
            for d in _by_root(parsed, "DespatchAdvice")]


def _unit_rows() -> dict[str, dict[str, str]]:
    with (DATASET_DIR / "units.csv").open(newline="", encoding="utf-8") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def test_deliveries_keep_fixed_weekdays_and_skip_holidays(parsed: list[etree._Element]) -> None:
    units = _unit_rows()
    calendar = SchoolCalendar(2025)
    weekdays: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for seller, unit, day, _ in _deliveries(parsed):
        row = units[unit]
        assert day.weekday() < 5 and day not in calendar.public_holidays
        if row["unit_type"] == "school":
            assert day.isocalendar().week != 9, (unit, day)  # winter holiday
        weekdays[(seller, row["district"], row["unit_type"])].add(day.weekday())
    by_unit: dict[tuple[str, str], set[int]] = defaultdict(set)
    for seller, unit, day, _ in _deliveries(parsed):
        by_unit[(seller, unit)].add(day.weekday())
    for (seller, unit), days in by_unit.items():
        row = units[unit]
        assert days == weekdays[(seller, row["district"], row["unit_type"])]
    kindergarten_week_9 = [d for _, u, d, _ in _deliveries(parsed)
                           if units[u]["unit_type"] == "kindergarten"
                           and d.isocalendar().week == 9]
    assert kindergarten_week_9


def test_framework_kg_follow_the_demand_model(parsed: list[etree._Element]) -> None:
    """Over weeks 2 to 8 (no holiday for anyone), each unit gets about its size times
    the demand model's weekly rate from each framework seller with despatch advices."""
    units = _unit_rows()
    kg = _item_kg()
    with (DATASET_DIR / "demand_rates.csv").open(encoding="utf-8") as handle:
        rates = {(r["unit_type"], r["category"]): float(r["kg_per_size_per_week"])
                 for r in csv.DictReader(handle)}
    categories = {"104200001": "dry_food", "104200370": "chilled_food",
                  "104200745": "fruit_veg", "104201113": "bakery",
                  "104201482": "consumables_cleaning"}
    delivered: dict[tuple[str, str], float] = defaultdict(float)
    for seller, unit, day, advice in _deliveries(parsed):
        if 2 <= day.isocalendar().week <= 8:
            delivered[(seller, unit)] += sum(
                float(_text(line, "cbc:DeliveredQuantity"))
                * kg[_text(line, "cac:Item/cac:SellersItemIdentification/cbc:ID")]
                for line in advice.iterfind("cac:DespatchLine", NS))
    assert len(delivered) == 8 * len(categories)
    for (seller, unit), net_kg in delivered.items():
        row = units[unit]
        expected = int(row["size"]) * rates[(row["unit_type"], categories[seller])] * 7
        # counted units round up; the spread is lognormal with sigma 0.2 per delivery
        assert expected * 0.85 <= net_kg <= expected * 1.35 + 30, (seller, unit)


def test_credit_notes_credit_an_invoice_of_the_year(parsed: list[etree._Element],
                                                    year: Path) -> None:
    invoices = {_text(d, "cbc:ID") for d in _by_root(parsed, "Invoice")}
    credits = _by_root(parsed, "CreditNote")
    manifest = json.loads((year / "generated.json").read_text(encoding="utf-8"))
    assert len(credits) == manifest["documents"]["credit_note"] > 0
    for credit in credits:
        assert _text(credit, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") \
            in invoices


def test_monthly_invoices_name_only_their_period(parsed: list[etree._Element]) -> None:
    medical = [d for d in _by_root(parsed, "Invoice") if _text(
        d, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID") == "104202225"]
    assert len(medical) == 8 * 3  # eight units, January to March
    for invoice in medical:
        assert invoice.find("cac:Delivery/cbc:ActualDeliveryDate", NS) is None
        start = dt.date.fromisoformat(_text(invoice, "cac:InvoicePeriod/cbc:StartDate"))
        end = dt.date.fromisoformat(_text(invoice, "cac:InvoicePeriod/cbc:EndDate"))
        assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1


def test_units_are_named_by_org_number_or_gln_and_cost_centre(parsed: list[etree._Element],
                                                              year: Path) -> None:
    units = _unit_rows()
    with (year / "cost_centres.csv").open(encoding="utf-8") as handle:
        cost_centres = {r["code"]: r["unit_id"] for r in csv.DictReader(handle)}
    for advice in _by_root(parsed, "DespatchAdvice"):
        party = advice.find("cac:DeliveryCustomerParty/cac:Party", NS)
        identifier = party.find("cac:PartyIdentification/cbc:ID", NS)
        unit = units[_text(party, "cac:PartyName/cbc:Name")]
        if unit["unit_type"] == "kindergarten":
            assert (identifier.get("schemeID"), identifier.text) == ("0192", unit["id"][3:])
        else:
            assert identifier.get("schemeID") == "0088" and len(identifier.text) == 13
    for invoice in _by_root(parsed, "Invoice"):
        name = _text(invoice, "cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name")
        assert cost_centres[_text(invoice, "cbc:AccountingCost")] == units[name]["id"]


def test_personal_data_is_planted_where_invoices_carry_it(year: Path,
                                                          parsed: list[etree._Element]) -> None:
    planted = json.loads((year / "generated.json").read_text(encoding="utf-8"))["personal_data"]
    assert any("@" in p for p in planted) and any(p.startswith("+47") for p in planted)
    invoice = _by_root(parsed, "Invoice")[0]
    for path in ("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Name",
                 "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Telephone",
                 "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail",
                 "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Name"):
        assert _text(invoice, path) in planted
    name = _text(invoice, "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Name")
    assert name in _text(invoice, "cbc:Note")
    sellers = json.loads((year / "generated.json").read_text(encoding="utf-8"))["sellers"]
    tail = {s["org_number"] for s in sellers if s["kind"] != "framework"}
    shops = [d for d in _by_root(parsed, "Invoice")
             if _text(d, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID") in tail]
    assert shops and all(_text(d, "cac:InvoiceLine/cbc:Note").split(" ", 2)[2] in planted
                         for d in shops)
    assert name in _text(invoice, "cac:Delivery/cac:DeliveryLocation/cac:Address/"
                                  "cac:AddressLine/cbc:Line")


def test_broken_and_hostile_files_are_as_announced(year: Path) -> None:
    manifest = json.loads((year / "generated.json").read_text(encoding="utf-8"))
    broken = {b["path"]: b["problem"] for b in manifest["broken"]}
    unsorted = year / "documents" / "unsorted"
    with pytest.raises(etree.XMLSyntaxError):
        etree.parse(str(unsorted / "faktura-0001.xml"), SAFE)
    missing = etree.parse(str(unsorted / "faktura-0002.xml"), SAFE).getroot()
    assert missing.find("cbc:IssueDate", NS) is None
    hostile = etree.parse(str(unsorted / "faktura-0004.xml"), SAFE).getroot()
    assert "root:" not in etree.tostring(hostile).decode()
    with zipfile.ZipFile(unsorted / "eksport-1.zip") as archive:
        assert archive.namelist() == ["../../utenfor-mappen.xml"]
    with zipfile.ZipFile(unsorted / "eksport-2.zip") as archive:
        (member,) = archive.infolist()
        assert member.file_size > 100 * member.compress_size
    assert len(broken) == 7 and all(p.startswith("documents/unsorted/") for p in broken)
    kinds = {etree.QName(etree.parse(str(p), SAFE).getroot()).localname
             for p in unsorted.glob("melding-*.xml")}
    assert kinds == {"ApplicationResponse", "OrderResponse", "Catalogue"}


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    units = _units(tmp_path)
    scale = YearScale(weeks=1)
    runs = [generate_purchase_year(tmp_path / name, seed=seed, units=units, scale=scale)
            for name, seed in (("a", 3), ("b", 3), ("c", 4))]
    assert _digests(runs[0].out_dir) == _digests(runs[1].out_dir)
    assert _digests(runs[0].out_dir) != _digests(runs[2].out_dir)


def test_scale_multiplies_units_and_tail_sellers(tmp_path: Path) -> None:
    units = _units(tmp_path)
    one = generate_purchase_year(tmp_path / "one", units=units, scale=YearScale(weeks=2))
    three = generate_purchase_year(tmp_path / "three", units=units,
                                   scale=YearScale(unit_copies=3, tail_copies=2, weeks=2))
    framework = ("gen-bakery", "gen-chilled-food", "gen-dry-food")
    for seller in framework:
        assert three.deliveries_by_seller[seller] == 3 * one.deliveries_by_seller[seller]
    assert "gen-web-toys-2" in three.deliveries_by_seller
    with (three.out_dir / "units.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 24


def test_cli_generates_and_reports_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    units = _units(tmp_path)
    done = runner.invoke(app, ["purchases", "generate", "--weeks", "1", "--units", str(units),
                               "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "GENERATED purchase year 2025" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,unit_type\nu1,Unit,castle\n", encoding="utf-8")
    refused = runner.invoke(app, ["purchases", "generate", "--units", str(bad),
                                  "--out", str(tmp_path / "bad-out")])
    assert refused.exit_code == 2
    assert "unit_type" in refused.output and "Traceback" not in refused.output
