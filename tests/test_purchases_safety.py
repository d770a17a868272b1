"""Purchase import against hostile and broken files, and personal data: nothing
personal reaches any output file or the command's output."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.errors import InputError
from logistics.purchases.importer import import_purchases
from logistics.purchases.sources import SourceFile, SourceProblem, iter_sources
from tests.purchase_helpers import (
    PERSONAL,
    SUPPLIERS,
    UNITS,
    Line,
    despatch_advice,
    invoice,
    write,
)

XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
          b"<Invoice>&lol2;</Invoice>")
CATALOGUE = (b'<?xml version="1.0"?>\n<Catalogue xmlns="urn:oasis:names:specification:ubl:'
             b'schema:xsd:Catalogue-2"><ID>1</ID></Catalogue>')
APPLICATION_RESPONSE = (b'<?xml version="1.0"?>\n<ApplicationResponse xmlns="urn:oasis:names:'
                        b'specification:ubl:schema:xsd:ApplicationResponse-2"/>')


def test_utf16_doctype_is_refused_after_parsing_without_entities() -> None:
    from logistics.purchases.ubl import DocumentError, parse_ubl

    utf16 = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(DocumentError, match="DOCTYPE"):
        parse_ubl(utf16.encode("utf-16"))  # the byte scan cannot see it; the parser can


def test_hostile_documents_are_listed_and_the_import_goes_on(tmp_path: Path) -> None:
    broken_quantity = invoice("9", lines=[Line(1)]).replace(b">1</cbc:InvoicedQuantity>",
                                                            b">ten</cbc:InvoicedQuantity>")
    report = import_purchases([write(tmp_path / "in", {
        "good.xml": invoice("1"), "xxe.xml": XXE, "laughs.xml": LAUGHS,
        "garbage.xml": b"<Invoice><unclosed>", "quantity.xml": broken_quantity,
        "catalogue.xml": CATALOGUE, "response.xml": APPLICATION_RESPONSE,
        "other.xml": b'<?xml version="1.0"?><Foo/>'})],
        units=UNITS, suppliers=SUPPLIERS, out_dir=tmp_path / "out")
    assert (report.documents_read, report.documents_failed, report.documents_skipped) == (1, 5, 2)
    by_file = {Path(p.source).name: p for p in report.problems}
    assert "DOCTYPE" in by_file["xxe.xml"].found and "DOCTYPE" in by_file["laughs.xml"].found
    assert "root:x" not in json.dumps([str(p) for p in report.problems])  # no /etc/passwd
    assert by_file["garbage.xml"].allowed == "well-formed XML"
    assert by_file["quantity.xml"].location == "cac:InvoiceLine/cbc:InvoicedQuantity"
    assert by_file["quantity.xml"].found == "'ten'"
    assert "Invoice" in by_file["other.xml"].allowed
    skipped = dict(report.skipped)
    assert {Path(k).name for k in skipped} == {"catalogue.xml", "response.xml"}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_archives_refuse_traversal_and_bombs(tmp_path: Path) -> None:
    bomb = b"<" + b"a" * (3 * 1024 * 1024) + b">"  # 3 MB compressing about 1000 times
    archive = tmp_path / "in.zip"
    archive.write_bytes(_zip({"../evil.xml": invoice("1"), "/abs.xml": invoice("2"),
                              "ok/inv.xml": invoice("3"), "bomb.xml": bomb,
                              "nested.zip": _zip({"deep.zip": _zip({"x.xml": invoice("4")}),
                                                  "inner.xml": invoice("5")})}))
    items = list(iter_sources([archive]))
    read = sorted(i.name.split("!", 1)[1] for i in items if isinstance(i, SourceFile))
    refused = {i.name.split("!", 1)[1]: i for i in items if isinstance(i, SourceProblem)}
    assert read == ["nested.zip!inner.xml", "ok/inv.xml"]
    assert set(refused) == {"../evil.xml", "/abs.xml", "bomb.xml", "nested.zip!deep.zip"}
    assert refused["../evil.xml"].field == "path"
    assert "zip bomb" in refused["bomb.xml"].allowed
    limited = list(iter_sources([archive], max_document_bytes=1000))
    assert all(isinstance(i, SourceProblem) for i in limited
               if i.name.endswith("inv.xml"))  # bounded by the document limit too


def test_nothing_readable_or_strict_is_an_input_error(tmp_path: Path) -> None:
    folder = write(tmp_path / "bad", {"xxe.xml": XXE, "catalogue.xml": CATALOGUE})
    with pytest.raises(InputError) as nothing:
        import_purchases([folder], units=UNITS, suppliers=SUPPLIERS, out_dir=tmp_path / "o1")
    assert any("DOCTYPE" in p.found for p in nothing.value.problems)
    mixed = write(tmp_path / "mixed", {"good.xml": invoice("1"), "xxe.xml": XXE})
    with pytest.raises(InputError):
        import_purchases([mixed], units=UNITS, suppliers=SUPPLIERS, out_dir=tmp_path / "o2",
                         strict=True)
    runner = CliRunner()
    result = runner.invoke(app, ["purchases", "import", str(folder), "--units", str(UNITS),
                                 "--suppliers", str(SUPPLIERS), "--out", str(tmp_path / "o3")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_no_personal_data_in_any_output_or_message(tmp_path: Path) -> None:
    laden = {
        "inv.xml": invoice("1", personal=True, order_ref="P1", lines=[Line(5), Line(1)]),
        "da.xml": despatch_advice("D1", personal=True, order_ref="P1"),
        "nowhere.xml": invoice("2", personal=True, unit_org=None, street="Ukjent vei 1",
                               postcode="5000"),
        "broken.xml": invoice("3", personal=True).replace(
            b'unitCode="KGM">10', b'unitCode="KGM">x10'),
        "credit.xml": invoice("4", personal=True, credit=True, billing_ref="1",
                              lines=[Line(1)]),
    }
    folder = write(tmp_path / "in", laden)
    with zipfile.ZipFile(folder / "copy.zip", "w") as archive:
        archive.writestr("inv.xml", laden["inv.xml"])
    out = tmp_path / "out"
    runner = CliRunner()
    results = [runner.invoke(app, ["purchases", "import", str(folder), "--units", str(UNITS),
                                   "--suppliers", str(SUPPLIERS), "--out", str(out), *extra])
               for extra in ([], ["--json"])]
    assert [r.exit_code for r in results] == [0, 0], results[0].output
    texts = [r.output for r in results]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 15
    for path in files:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts.extend(book.read(n).decode("utf-8", "replace") for n in book.namelist())
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    for marker in (*PERSONAL, "Kari", "912 34"):
        assert not any(marker in text for text in texts), marker
    report = json.loads((out / "import_report.json").read_text())
    assert report["reading"]["documents_failed"] == 1  # the broken one, still listed


def test_bad_tables_are_listed_together(tmp_path: Path) -> None:
    centres = tmp_path / "centres.csv"
    centres.write_text("code,unit_id\n4711,kg-000000000\n", encoding="utf-8")
    items = tmp_path / "items.csv"
    items.write_text("item_id,kg_per_unit,category\nA1,1.0,toys\nA2,-1,dry_food\n",
                     encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  quantity: Antall\ndelimiter: ';;'\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_purchases([write(tmp_path / "in", {"a.xml": invoice("1")})], units=UNITS,
                         suppliers=SUPPLIERS, out_dir=tmp_path / "out", mapping=mapping,
                         items=items, cost_centres=centres)
    found = {(Path(p.source).name, p.location, p.field) for p in error.value.problems}
    # rows as a spreadsheet shows them: the header is row 1
    assert ("centres.csv", "row 2 (code=4711)", "unit_id") in found
    assert ("items.csv", "row 2 (item_id=A1)", "category") in found
    assert any(name == "items.csv" and field == "kg_per_unit" for name, _, field in found)
    assert any(name == "mapping.yaml" and field == "delimiter" for name, _, field in found)
    assert any(name == "mapping.yaml" and "document_id" in field for name, _, field in found)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(0, 3000), junk=st.binary(max_size=40))
def test_broken_documents_only_ever_give_a_document_error(cut: int, junk: bytes) -> None:
    from logistics.purchases.ubl import DocumentError, parse_ubl

    whole = invoice("1", lines=[Line(2), Line(1, "LTR", 20.0, "Melk")])
    broken = whole[:cut] + junk + whole[cut + len(junk):]
    try:
        parse_ubl(broken)
    except DocumentError as error:
        assert error.path and error.allowed
