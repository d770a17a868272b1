"""Purchase import: the real Peppol examples, matching, weights, categories, observed
deliveries and the study folder. Expected values are worked out by hand in comments."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from logistics.model.dataset import load_dataset
from logistics.model.demand import load_orders
from logistics.paths import DATASET_DIR
from logistics.purchases.documents import DocumentKind, PurchaseLine
from logistics.purchases.importer import import_purchases
from logistics.purchases.matching import normalise_street
from logistics.purchases.profile import read_profile
from logistics.purchases.reference import load_reference
from logistics.purchases.store import _days, _Doc
from logistics.purchases.ubl import SkippedDocument, parse_ubl
from logistics.purchases.weights import LineClassifier
from tests.conftest import SHARED
from tests.purchase_helpers import (
    DRY_FOOD_ORG,
    KG2_ORG,
    KG_ORG,
    SUPPLIERS,
    UNITS,
    Line,
    cancellation,
    despatch_advice,
    invoice,
    order,
    write,
)

EXAMPLES = SHARED / "data" / "peppol-examples"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _import(tmp_path: Path, documents: dict[str, bytes], **kwargs: object):  # type: ignore[no-untyped-def]
    folder = write(tmp_path / "in", documents)
    return import_purchases([folder], units=UNITS, suppliers=SUPPLIERS,
                            out_dir=tmp_path / "out", **kwargs)  # type: ignore[arg-type]


# -- the real public examples ---------------------------------------------------------

def test_norwegian_example_invoice_fields() -> None:
    document = parse_ubl((EXAMPLES / "invoice-Norwegian-example-1.xml").read_bytes())
    assert not isinstance(document, SkippedDocument)
    assert document.kind is DocumentKind.INVOICE
    assert document.document_id == "TOSL108"
    assert document.seller.org_number == "123456785"  # EndpointID schemeID 0192
    assert document.freight_nok == 100.0  # the charge with reason code FC
    assert document.delivery_date == dt.date(2013, 6, 15)
    assert document.delivery.ids == ("6754238987643",)
    assert len(document.lines) == 5
    assert document.lines[0].unspsc == "65434568"  # listID STI, not the MP code
    assert document.lines[1].quantity == -1.0


def test_example_despatch_advice_gross_weight_and_credit_note() -> None:
    advice = parse_ubl((EXAMPLES / "DespatchAdvice-BIS3_UseCase2.xml").read_bytes())
    assert not isinstance(advice, SkippedDocument)
    assert advice.kind is DocumentKind.DESPATCH_ADVICE
    assert advice.gross_weight_kg == 23.0 and advice.gross_volume_m3 == 27.0
    assert (advice.delivery_date, advice.delivery_date_basis) == (dt.date(2013, 3, 15),
                                                                   "estimated")
    credit = parse_ubl((EXAMPLES / "invoice-base-creditnote-correction.xml").read_bytes())
    assert not isinstance(credit, SkippedDocument)
    assert credit.kind is DocumentKind.CREDIT_NOTE
    odd = parse_ubl((EXAMPLES / "DespatchAdvice_Example.xml").read_bytes())
    assert not isinstance(odd, SkippedDocument)
    assert odd.gross_weight_kg is None  # unitCode C62 is no mass unit: not used, reported
    assert any("C62" in found for _, found, _ in odd.warnings)


def test_example_folder_imports_and_reports_every_document(tmp_path: Path) -> None:
    report = import_purchases([EXAMPLES], units=UNITS, suppliers=SUPPLIERS,
                              out_dir=tmp_path / "out")
    # 13 XML files; invoice-Allowance-example and invoice-Vat-category-S are both
    # invoice "Snippet1" of seller GLN 7300010000001: the same document, counted once.
    assert report.documents_read + report.documents_duplicate == 13
    assert report.documents_duplicate == 1
    assert report.documents_failed == 0
    assert report.documents_skipped == 1  # PROVENANCE.md
    unmatched = _rows(tmp_path / "out" / "unmatched.csv")
    assert {r["reason"] for r in unmatched} <= {"no_category", "unit_not_matched",
                                                 "no_weight_basis"}
    assert len(unmatched) >= 13  # none of these fictitious places is a Bergen unit


# -- matching ---------------------------------------------------------------------------

def test_units_match_by_org_cost_centre_address_and_name(tmp_path: Path) -> None:
    centres = tmp_path / "centres.csv"
    centres.write_text("code,unit_id\n4711,school-nordnes-skole\n", encoding="utf-8")
    report = _import(tmp_path, {
        "org.xml": invoice("1"),
        "centre.xml": invoice("2", unit_org=None, accounting_cost="4711"),
        "address.xml": invoice("3", unit_org=None, street="Vilhelm Bjerknesveien 54",
                               postcode="5081"),
        "name.xml": invoice("4", unit_org=None, delivery_name="FANA BARNEHAGE"),
        "nowhere.xml": invoice("5", unit_org=None, street="Storgata 1", postcode="0155"),
    }, cost_centres=centres)
    summary = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert summary["reading"]["documents_by_unit_match"] == {
        "address": 1, "cost_centre": 1, "gln_or_org_number": 1, "name": 1}
    units = {r["unit_id"] for r in _rows(tmp_path / "out" / "deliveries.csv")}
    assert units == {"kg-815471202", "school-nordnes-skole", "kg-874225762"}
    unmatched = _rows(tmp_path / "out" / "unmatched.csv")
    assert [(r["document_id"], r["reason"], r["kg"]) for r in unmatched] == [
        ("5", "unit_not_matched", "10.000")]
    assert report.documents_read == 5


@settings(max_examples=60, deadline=None)
@given(name=st.from_regex(r"[a-zæøå]{3,12}", fullmatch=True), number=st.integers(1, 300))
def test_street_spellings_give_one_key(name: str, number: int) -> None:
    assume(not any(name.endswith(s) for s in ("gate", "gata", "gaten", "vei", "veg",
                                              "veien", "vegen", "vn", "gt")))
    keys = {normalise_street(f"{name}veien {number}"), normalise_street(f"{name}vegen {number}"),
            normalise_street(f"{name.title()} vei {number}"),
            normalise_street(f"{name} v. {number}")}
    assert len(keys) == 1
    assert normalise_street(f"{name}gata {number}") == normalise_street(f"{name} g. {number}")


def test_sellers_outside_the_agreements_get_a_position_or_are_listed(tmp_path: Path) -> None:
    postcodes = tmp_path / "postcodes.csv"
    postcodes.write_text("postcode,lon,lat,source\n5257,5.30,60.30,test centroid\n",
                         encoding="utf-8")
    _import(tmp_path, {
        "framework.xml": invoice("1"),
        "placed.xml": invoice("2", seller_org="910000006", seller_name="Lokal Bakeri AS",
                              seller_postcode="5257", lines=[Line(5, name="Grovbrød")]),
        "unplaced.xml": invoice("3", seller_org="920000003", seller_name="Fjern Frukt AS",
                                lines=[Line(7, name="Epler")]),
    }, postcodes=postcodes)
    out = tmp_path / "out"
    suppliers = {r["id"]: r for r in _rows(out / "suppliers.csv")}
    assert suppliers["sup-dry-food"]["framework_agreement"] == "true"
    placed = suppliers["ext-910000006"]
    assert (placed["lon"], placed["lat"], placed["framework_agreement"]) == ("5.3", "60.3",
                                                                              "false")
    assert "ext-920000003" not in suppliers
    assert [r["id"] for r in _rows(out / "suppliers_needing_position.csv")] == ["ext-920000003"]
    assert [r["supplier_id"] for r in _rows(out / "orders_needing_position.csv")] == [
        "ext-920000003"]
    profile = json.loads((out / "profile.json").read_text())
    # three deliveries of 10, 5 and 7 kg; two are outside the agreements
    assert profile["outside_agreements"] == {"suppliers": 2, "deliveries": 2,
                                             "deliveries_share": round(2 / 3, 4),
                                             "kg": 12.0, "kg_share": round(12 / 22, 4)}


# -- categories and weights ---------------------------------------------------------------

@pytest.fixture(scope="module")
def classifier() -> LineClassifier:
    return LineClassifier(load_reference(items=None, cost_centres=None, postcodes=None),
                          {"dry_food": "dry_food"})


@pytest.mark.parametrize(("line", "category", "method"), [
    (PurchaseLine("1", 1, "EA", 10, "x", unspsc="50131701"), "chilled_food", "unspsc"),
    (PurchaseLine("1", 1, "EA", 10, "x", unspsc="50192100"), "dry_food", "unspsc"),
    (PurchaseLine("1", 1, "EA", 10, "x", unspsc="78101800"), "freight", "unspsc"),
    (PurchaseLine("1", 1, "EA", 10, "Lettmelk 1 l"), "chilled_food", "keyword"),
    (PurchaseLine("1", 1, "EA", 10, "Knekkebrød grov"), "dry_food", "keyword"),
    (PurchaseLine("1", 1, "EA", 10, "Grovbrød"), "bakery", "keyword"),
    (PurchaseLine("1", 1, "EA", 10, "Fraktgebyr"), "freight", "keyword"),
    (PurchaseLine("1", 1, "EA", 10, "Ukjent", seller_category="Dry_Food"), "dry_food",
     "seller_classification"),
])
def test_line_categories(classifier: LineClassifier, line: PurchaseLine, category: str,
                         method: str) -> None:
    found = classifier.category(line)
    assert found is not None and (found.category, found.method) == (category, method)


def test_line_weights_by_basis(classifier: LineClassifier) -> None:
    grams = classifier.weight(PurchaseLine("1", 500, "GRM", None), "dry_food", "NOK")
    litres = classifier.weight(PurchaseLine("1", 10, "LTR", None), "chilled_food", "NOK")
    money = classifier.weight(PurchaseLine("1", 3, "EA", 400.0), "dry_food", "NOK")
    euros = classifier.weight(PurchaseLine("1", 3, "EA", 400.0), "dry_food", "EUR")
    assert grams is not None and (grams.kg, grams.basis) == (0.5, "quantity_mass")
    # 10 l at 1 kg/l; volume 10 l = 0.01 m3
    assert litres is not None and (litres.kg, litres.m3, litres.basis) == (
        pytest.approx(10.0), pytest.approx(0.01), "quantity_volume")
    # 400 NOK x 0.025 kg/NOK (category_factors.csv, dry_food) = 10 kg
    assert money is not None and (money.kg, money.basis) == (pytest.approx(10.0), "nok_factor")
    assert euros is None


def test_item_table_weighs_lines(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text("item_id,kg_per_unit,category,source\n7038010000737,1.05,chilled_food,"
                     "label\n", encoding="utf-8")
    tables = load_reference(items=items, cost_centres=None, postcodes=None)
    classifier = LineClassifier(tables, {})
    line = PurchaseLine("1", 12, "EA", 300.0, "Melk", gtin="7038010000737")
    found = classifier.category(line)
    weight = classifier.weight(line, "chilled_food", "NOK")
    assert found is not None and found.method == "item_table"
    assert weight is not None and (weight.kg, weight.basis) == (pytest.approx(12.6),
                                                                "item_table")


# -- deliveries: despatch advice weight, credit notes, duplicates, periods, orders ------

def test_despatch_advice_weight_replaces_invoice_estimate(tmp_path: Path) -> None:
    # invoice: 400 NOK of dry food = 10 kg by NOK factor; the despatch advice of the
    # same order weighs 12.5 kg gross: the delivery is 12.5 kg, counted once
    report = _import(tmp_path, {
        "inv.xml": invoice("1", order_ref="PO-7", lines=[Line(3, "EA", 400.0)]),
        "da.xml": despatch_advice("D1", order_ref="PO-7", gross_kg=12.5),
    })
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    assert [(d["kg"], d["weight_basis"]) for d in deliveries] == [("12.500", "despatch_advice")]
    summary = report.summary
    assert summary["kg_by_weight_basis"]["despatch_advice"] == 12.5  # type: ignore[index]
    assert summary["kg_share_by_weight_basis"]["despatch_advice"] == 1.0  # type: ignore[index]


def test_credit_note_subtracts_and_duplicate_counts_once(tmp_path: Path) -> None:
    first = invoice("100", lines=[Line(10), Line(2, "KGM", 50.0, "Ris")])
    credit = invoice("C1", credit=True, billing_ref="100", unit_org=None,
                     delivery_date=None, lines=[Line(4)])
    folder = write(tmp_path / "in", {"a.xml": first, "credit.xml": credit})
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("copies/a.xml", first)
    report = import_purchases([folder, folder / "a.xml"], units=UNITS, suppliers=SUPPLIERS,
                              out_dir=tmp_path / "out")
    # the invoice is read three times (the folder, the archive in it, the file named
    # again): counted once
    assert (report.documents_read, report.documents_duplicate) == (2, 2)
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    assert [(d["date"], d["kg"]) for d in deliveries] == [("2026-01-05", "8.000")]  # 12 - 4


def test_period_invoice_is_spread_over_its_weeks_and_flagged(tmp_path: Path) -> None:
    # 2026-01-05 (Mon) .. 2026-01-18 (Sun): two ISO weeks of 7 days; 14 kg -> 7 + 7
    _import(tmp_path, {"p.xml": invoice("1", delivery_date=None,
                                        period=("2026-01-05", "2026-01-18"),
                                        lines=[Line(14)])})
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    assert [(d["date"], d["kg"], d["date_basis"]) for d in deliveries] == [
        ("2026-01-05", "7.000", "period_spread"), ("2026-01-12", "7.000", "period_spread")]
    orders = _rows(tmp_path / "out" / "orders.csv")
    assert orders[0]["delivery_days"] == ""  # a spread period has no weekday


def test_orders_count_unless_cancelled_and_yield_to_invoices(tmp_path: Path) -> None:
    _import(tmp_path, {
        "o1.xml": order("O1"), "c1.xml": cancellation("X1", "O1"),
        "o2.xml": order("O2", unit_org=KG2_ORG, date="2026-01-08"),
        "o3.xml": order("O3", date="2026-01-09"),
        "i3.xml": invoice("I3", order_ref="O3", delivery_date="2026-01-09", lines=[Line(9)]),
    })
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    # O1 cancelled; O2 stands alone (8 kg, requested date); O3 is invoiced (9 kg, not 8+9)
    assert [(d["unit_id"], d["date"], d["kg"]) for d in deliveries] == [
        ("kg-874225762", "2026-01-08", "8.000"), ("kg-815471202", "2026-01-09", "9.000")]


def test_freight_charges_are_reported_not_goods(tmp_path: Path) -> None:
    report = _import(tmp_path, {"f.xml": invoice("1", freight_nok=150.0, lines=[
        Line(10), Line(1, "EA", 50.0, "Frakt")])})
    freight = report.summary["freight"]
    assert freight["freight_nok_total"] == 200.0  # type: ignore[index]
    assert [d["kg"] for d in _rows(tmp_path / "out" / "deliveries.csv")] == ["10.000"]


def test_orders_file_averages_over_the_weeks_and_loads_in_a_study(tmp_path: Path) -> None:
    days = ["2026-01-05", "2026-01-08", "2026-01-12", "2026-01-15", "2026-01-19",
            "2026-01-22", "2026-01-26", "2026-01-29"]  # Mondays and Thursdays
    documents = {f"{d}.xml": invoice(f"N{d}", delivery_date=d, lines=[Line(10)]) for d in days}
    documents["milk.xml"] = invoice("M1", delivery_date="2026-01-06",
                                    lines=[Line(20, "LTR", 300.0, "Lettmelk")])
    _import(tmp_path, documents)
    out = tmp_path / "out"
    orders = {r["category"]: r for r in _rows(out / "orders.csv")}
    weeks = 25 / 7  # 2026-01-05 .. 2026-01-29 inclusive
    dry = orders["dry_food"]
    assert float(dry["demand_kg_per_week"]) == pytest.approx(80 / weeks, abs=1e-3)
    assert dry["deliveries_per_week"] == "2"  # 8 / 3.57 = 2.24
    assert dry["delivery_days"] == "mon;thu"
    assert dry["id"] == "kg-815471202:dry_food:sup-dry-food"
    milk = orders["chilled_food"]
    assert float(milk["demand_kg_per_week"]) == pytest.approx(20 / weeks, abs=1e-3)
    assert (milk["deliveries_per_week"], milk["delivery_days"]) == ("1", "tue")
    # the folder is a study's data: suppliers.csv replaces the list, orders.csv (less
    # the delivery_days column another reader adds) loads with the orders loader
    dataset_dir = tmp_path / "study"
    shutil.copytree(DATASET_DIR, dataset_dir)
    shutil.copy(out / "suppliers.csv", dataset_dir / "suppliers.csv")
    dataset = load_dataset(dataset_dir)
    plain = tmp_path / "orders.csv"
    with plain.open("w", newline="", encoding="utf-8") as handle:
        rows = _rows(out / "orders.csv")
        writer = csv.DictWriter(handle, fieldnames=[c for c in rows[0] if c != "delivery_days"],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    loaded = load_orders(plain, dataset)
    assert sorted(o.category for o in loaded) == ["chilled_food", "dry_food"]


def test_profile_tables_charts_and_workbook(tmp_path: Path) -> None:
    days = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
    documents = {f"{d}.xml": invoice(f"N{d}", delivery_date=d, lines=[Line(30 + 10 * i)])
                 for i, d in enumerate(days)}
    documents["other.xml"] = invoice("K2", unit_org=KG2_ORG, delivery_date="2026-01-05",
                                     lines=[Line(200)])
    report = _import(tmp_path, documents)
    out = tmp_path / "out"
    profile = json.loads((out / "profile.json").read_text())
    assert read_profile(out / "profile.json").outside_agreements.deliveries == 0
    # deliveries 30, 40, 50, 60, 70 kg at one unit, 200 kg at another; one week
    assert profile["deliveries"] == 6 and profile["kg"] == 450.0
    assert profile["small_drop_share"] == round(2 / 6, 4)  # 30 and 40 kg are under 50
    assert profile["busiest_days"][0] == {"date": "2026-01-05", "weekday": "mon",
                                          "deliveries": 2, "kg": 230.0}
    assert profile["deliveries_per_unit_per_week"]["max"] == 5.0
    assert profile["top_suppliers"][0]["supplier_id"] == "sup-dry-food"
    assert [w["deliveries"] for w in profile["weekdays"]] == [2, 1, 1, 1, 1]
    for name in profile["files"]["tables"] + profile["files"]["charts"]:
        assert (out / name).stat().st_size > 0
    assert (out / "today_flows.xlsx").stat().st_size > 0
    assert set(report.files) >= {out / "orders.csv", out / "profile.json"}


def test_flat_csv_export_through_a_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  document_id: Fakturanr\n  seller_org_number: Orgnr\n"
        "  delivery_id: Leveringssted\n  delivery_date: Levert\n  quantity: Antall\n"
        "  unit_code: Enhet\n  amount_nok: Beløp\n  item_name: Vare\n"
        "delimiter: ';'\ndecimal_comma: true\ndate_format: '%d.%m.%Y'\n", encoding="utf-8")
    export = tmp_path / "in" / "export.csv"
    export.parent.mkdir()
    export.write_text(
        "Fakturanr;Orgnr;Leveringssted;Levert;Antall;Enhet;Beløp;Vare;Kontaktperson\n"
        f"77;{DRY_FOOD_ORG};{KG_ORG};05.01.2026;2,5;KGM;100,00;Havregryn;Kari\n"
        f"77;{DRY_FOOD_ORG};{KG_ORG};05.01.2026;1;KGM;50,00;Ris;Kari\n"
        f"78;{DRY_FOOD_ORG};{KG_ORG};32.01.2026;1;KGM;50,00;Ris;Kari\n", encoding="utf-8")
    report = import_purchases([export.parent], units=UNITS, suppliers=SUPPLIERS,
                              out_dir=tmp_path / "out", mapping=mapping)
    assert [(d["date"], d["kg"]) for d in _rows(tmp_path / "out" / "deliveries.csv")] == [
        ("2026-01-05", "3.500")]
    assert [(p.location, p.field) for p in report.problems] == [("row 4", "Levert")]


@settings(max_examples=50, deadline=None)
@given(start=st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)), length=st.integers(0, 90))
def test_period_spread_shares_sum_to_one(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    doc = _Doc("k", "invoice", "s", "1", "sup", "u", "m", "g", None, None, "",
               start.isoformat(), end.isoformat(), None, None, None, 0.0)
    days = _days(doc, None, "")
    assert sum(share for _, _, share in days) == pytest.approx(1.0)
    assert len(days) == len({dt.date.fromisoformat(d).isocalendar()[:2] for d, _, _ in days})
    assert all(start <= dt.date.fromisoformat(d) <= end for d, _, _ in days)


def test_flat_xlsx_export_through_a_mapping(tmp_path: Path) -> None:
    from openpyxl import Workbook

    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  document_id: Bilag\n  seller_name: Leverandør\n  cost_centre: Ansvar\n"
        "  delivery_date: Dato\n  amount_nok: Beløp\n  item_name: Tekst\nsheet: Linjer\n",
        encoding="utf-8")
    centres = tmp_path / "centres.csv"
    centres.write_text("code,unit_id\n1203,school-nordnes-skole\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Linjer"
    sheet.append(["Bilag", "Leverandør", "Ansvar", "Dato", "Beløp", "Tekst"])
    sheet.append(["B1", "Nærbutikken AS", "1203", dt.datetime(2026, 2, 3), 600,
                  "Kopipapir A4"])
    (tmp_path / "in").mkdir()
    book.save(tmp_path / "in" / "export.xlsx")
    report = import_purchases([tmp_path / "in"], units=UNITS, suppliers=SUPPLIERS,
                              out_dir=tmp_path / "out", mapping=mapping, cost_centres=centres)
    assert report.problems == ()
    # 600 NOK of office supplies x 0.01 kg/NOK = 6 kg, a seller outside the list by name
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    assert [(d["supplier_id"], d["unit_id"], d["date"], d["kg"], d["weight_basis"])
            for d in deliveries] == [("ext-naerbutikken-as", "school-nordnes-skole",
                                      "2026-02-03", "6.000", "nok_factor")]


@settings(max_examples=6, deadline=None)
@given(invoiced=st.lists(st.integers(1, 500), min_size=1, max_size=6),
       credited=st.integers(0, 5))
def test_net_kg_is_invoiced_less_credited(tmp_path_factory: pytest.TempPathFactory,
                                          invoiced: list[int], credited: int) -> None:
    tmp_path = tmp_path_factory.mktemp("net")
    documents = {f"{n}.xml": invoice(f"N{n}", delivery_date=f"2026-03-{n + 2:02d}",
                                     lines=[Line(kg)]) for n, kg in enumerate(invoiced)}
    credit = min(credited, invoiced[0])
    documents["credit.xml"] = invoice("C", credit=True, billing_ref="N0", unit_org=None,
                                      delivery_date=None, lines=[Line(credit)])
    report = _import(tmp_path, documents)
    assert report.summary["kg_total"] == pytest.approx(sum(invoiced) - credit)
    orders = _rows(tmp_path / "out" / "orders.csv")
    weeks = max(len(invoiced) / 7, 1.0)  # consecutive days from 2026-03-02
    assert sum(float(o["demand_kg_per_week"]) for o in orders) * weeks == pytest.approx(
        sum(invoiced) - credit, abs=0.01)


def test_same_documents_give_the_same_folder(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", {
        "a.xml": invoice("1", order_ref="P", lines=[Line(3, "EA", 400.0), Line(2, "LTR")]),
        "b.xml": despatch_advice("D", order_ref="P"),
        "c.xml": invoice("2", unit_org=KG2_ORG, delivery_date="2026-01-07"),
        "d.xml": invoice("3", seller_org="930000000", seller_name="Annen AS")})
    outputs = []
    for run in ("one", "two"):
        import_purchases([folder], units=UNITS, suppliers=SUPPLIERS, out_dir=tmp_path / run)
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / run).iterdir()
                        if p.suffix in (".csv", ".json", ".md")})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) >= 12


def test_a_listed_supplier_outside_the_agreements_keeps_its_list_position() -> None:
    from logistics.model.domain import Supplier
    from logistics.purchases.documents import Party
    from logistics.purchases.matching import SellerMatcher

    listed = Supplier(id="bakery-x", name="Bakeri X", categories=(), lon=5.3, lat=60.4,
                      depot_open="05:00-12:00", org_number="940000000",
                      framework_agreement=False)
    matcher = SellerMatcher([listed], {})
    found = matcher.match(Party(org_number="940000000", name="Bakeri X AS", postcode="5003"))
    assert (found.supplier_id, found.framework_agreement, found.lon, found.lat,
            found.position_basis) == ("bakery-x", False, 5.3, 60.4, "supplier_list")
    unknown = matcher.match(Party(org_number="950000000", name="Y AS", postcode="5003"))
    assert (unknown.supplier_id, unknown.lon, unknown.position_basis) == (
        "ext-950000000", None, "missing")  # no postcode table: never guessed


def test_standard_business_document_envelope_is_read_from_its_payload() -> None:
    payload = invoice("E1").split(b"?>", 1)[1]
    wrapped = (b'<?xml version="1.0"?><StandardBusinessDocument xmlns="http://www.unece.org/'
               b'cefact/namespaces/StandardBusinessDocumentHeader"><StandardBusinessDocument'
               b"Header><HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>"
               + payload + b"</StandardBusinessDocument>")
    document = parse_ubl(wrapped)
    assert not isinstance(document, SkippedDocument)
    assert (document.kind, document.document_id, document.seller.org_number) == (
        DocumentKind.INVOICE, "E1", DRY_FOOD_ORG)


def test_real_norwegian_invoice_through_gln_table_and_item_table(tmp_path: Path) -> None:
    # the example's delivery location is GLN 6754238987643; the cost-centre table may
    # list GLNs; the item table weighs and classes two of its five items
    centres = tmp_path / "centres.csv"
    centres.write_text("code,unit_id\n6754238987643,school-nordnes-skole\n", encoding="utf-8")
    items = tmp_path / "items.csv"
    items.write_text("item_id,kg_per_unit,category,source\n"
                     "1234567890124,2.5,office_school_supplies,test\n"
                     "JB009,0.4,office_school_supplies,test\n", encoding="utf-8")
    report = import_purchases([EXAMPLES / "invoice-Norwegian-example-1.xml"], units=UNITS,
                              suppliers=SUPPLIERS, out_dir=tmp_path / "out",
                              cost_centres=centres, items=items)
    # laptop 1 x 2.5 kg + two books 2 x 0.4 kg = 3.3 kg, delivered 2013-06-15
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    assert [(d["supplier_id"], d["unit_id"], d["date"], d["kg"], d["weight_basis"])
            for d in deliveries] == [("ext-123456785", "school-nordnes-skole", "2013-06-15",
                                      "3.300", "item_table")]
    assert report.summary["freight"]["freight_nok_total"] == 100.0  # type: ignore[index]
    reasons = sorted((r["line_id"], r["reason"]) for r in
                     _rows(tmp_path / "out" / "unmatched.csv"))
    assert reasons == [("2", "no_category"), ("4", "no_category"), ("5", "no_category")]
    # the seller is outside the agreements, with no position: listed, never guessed
    assert [r["id"] for r in _rows(tmp_path / "out" / "suppliers_needing_position.csv")] == [
        "ext-123456785"]


def test_despatch_advice_without_delivery_dates_uses_its_issue_date(tmp_path: Path) -> None:
    advice = despatch_advice("D9", date="2026-01-09", gross_kg=30.0,
                             lines=[Line(1, "EA", None, "Havregryn")]).replace(
        b"<cac:Delivery><cbc:ActualDeliveryDate>2026-01-09</cbc:ActualDeliveryDate>"
        b"</cac:Delivery>", b"")
    document = parse_ubl(advice)
    assert not isinstance(document, SkippedDocument)
    assert (document.delivery_date, document.delivery_date_basis) == (dt.date(2026, 1, 9),
                                                                       "issue_date")
    _import(tmp_path, {"da.xml": advice})
    deliveries = _rows(tmp_path / "out" / "deliveries.csv")
    # the despatch advice is the record (no invoice): its gross weight is the delivery
    assert [(d["date"], d["kg"], d["weight_basis"]) for d in deliveries] == [
        ("2026-01-09", "30.000", "despatch_advice")]
