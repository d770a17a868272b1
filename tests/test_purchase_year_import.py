"""The purchase import on the GENERATED year, checked against what the generator says
it wrote (``generated.json``): every broken or hostile file listed, documents that
carry no delivery skipped, kindergartens and schools matched, sellers outside the
agreements kept, kg of the framework sellers as generated, and no planted personal
value in any output file. Runs where the import is installed."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from logistics.paths import DATASET_DIR
from logistics.purchases.generate import generate_purchase_year
from logistics.purchases.generated_year import YearScale
from tests.test_purchase_year import _units

importer = pytest.importorskip("logistics.purchases.importer")
WEEKS = 10


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any], Path]:
    folder = tmp_path_factory.mktemp("imported")
    year = generate_purchase_year(folder / "year", seed=11, units=_units(folder),
                                  scale=YearScale(weeks=WEEKS))
    report = importer.import_purchases(
        [year.documents_dir], units=folder / "units.csv",
        suppliers=DATASET_DIR / "suppliers.csv", out_dir=folder / "study",
        cost_centres=year.out_dir / "cost_centres.csv",
        postcodes=year.out_dir / "postcodes.csv")
    manifest = json.loads((year.out_dir / "generated.json").read_text(encoding="utf-8"))
    return report, manifest, folder / "study"


def test_broken_files_are_listed_and_other_types_skipped(imported: tuple[Any, ...]) -> None:
    report, manifest, _ = imported
    named = " ".join(f"{p.source} {p.location}" for p in report.problems)
    for broken in manifest["broken"]:
        assert Path(broken["path"]).name in named, broken
    assert report.documents_skipped >= manifest["documents"]["no_delivery"]
    delivered = sum(manifest["documents"][k] for k in ("invoice", "credit_note",
                                                       "despatch_advice"))
    assert report.documents_read >= delivered


def _orders(dataset: Path) -> list[dict[str, str]]:
    with (dataset / "orders.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_units_are_matched_and_the_tail_is_kept(imported: tuple[Any, ...]) -> None:
    _, manifest, dataset = imported
    orders = _orders(dataset)
    units = {row["unit_id"] for row in orders}
    assert any(u.startswith("kg-") for u in units) and any(u.startswith("school-")
                                                           for u in units)
    framework = {s["supplier_id"] for s in manifest["sellers"] if s["kind"] == "framework"}
    suppliers = {row["supplier_id"] for row in orders}
    assert framework <= suppliers
    assert suppliers - framework  # flows outside the agreements are not dropped


def test_framework_kg_are_about_what_was_generated(imported: tuple[Any, ...]) -> None:
    """Weekly kg per framework supplier within a factor of two of the generated net kg
    spread over the generated weeks (the import may count weeks, packaging and
    credits its own way)."""
    _, manifest, dataset = imported
    weekly: dict[str, float] = {}
    for row in _orders(dataset):
        weekly[row["supplier_id"]] = (weekly.get(row["supplier_id"], 0.0)
                                      + float(row["demand_kg_per_week"]))
    for seller in manifest["sellers"]:
        if seller["kind"] != "framework" or seller["supplier_id"] == "sup-medical":
            continue
        generated = manifest["net_kg_by_seller"][seller["id"]] / WEEKS
        assert generated / 2 <= weekly[seller["supplier_id"]] <= generated * 2, seller


def _texts(folder: Path) -> dict[str, str]:
    texts = {}
    for path in folder.rglob("*"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                texts[str(path)] = " ".join(workbook.read(n).decode("utf-8", "replace")
                                            for n in workbook.namelist()
                                            if n.endswith(".xml"))
        elif path.is_file() and path.suffix in (".csv", ".json", ".md", ".html", ".txt",
                                                ".svg", ".log"):
            texts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def test_no_planted_personal_value_reaches_an_output(imported: tuple[Any, ...]) -> None:
    report, manifest, dataset = imported
    planted = manifest["personal_data"]
    texts = _texts(dataset)
    texts["problems"] = " ".join(str(p) for p in report.problems)
    assert texts
    leaks = {name: [p for p in planted if p in text] for name, text in texts.items()}
    assert not {name: found for name, found in leaks.items() if found}
