"""``comparison.xlsx`` read back with pandas and openpyxl: one sheet per table, a frozen
header row, numbers stored as numbers with number formats, values equal to the
comparison's, in English and bokmål; and the report's number style per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from logistics.analysis.compare import comparison
from logistics.outputs.locale import EN, GROUP_SEPARATOR, NB, Locale, category_names, locale_for
from logistics.outputs.report_inputs import ReportInputs, RouteGroup
from logistics.outputs.tables import KPI_LABELS
from logistics.outputs.workbook import comparison_sheets, write_workbook
from logistics.paths import DATASET_DIR

BASELINE, OTHER = "wb-direct", "wb-hub"
WEEK_KM = {BASELINE: 1234.5, OTHER: 617.25}
"""Vehicle-km per week: the hub scenario drives half (-617.25 km, -50 %)."""
WEEKS = 46


def _document(name: str, km: float, unserved: list[dict[str, Any]]) -> dict[str, Any]:
    week = {"vehicle_km": km, "vehicle_hours": km / 30, "deliveries": 100.0, "stops": 100.0,
            "tonne_km": km / 10, "load_factor": 0.25, "co2e_wtw_kg": km / 5,
            "cost_nok": 10_000.0}
    return {"scenario": name, "design": "direct" if name == BASELINE else "consolidated",
            "kpi_per_week": week,
            "kpi_per_year": {k: v if k == "load_factor" else v * WEEKS for k, v in week.items()},
            "notes": ["a note"], "travel": {"model": "crow_fly", "detour_factor": 1.45},
            "emissions_method": {"electricity_basis": "location_nve_2022"},
            "unserved": unserved}


UNSERVED = {"order_id": "o-1", "unit_id": "kg-1", "unit_name": "Barnehage 1", "lon": 5.3,
            "lat": 60.4, "category": "fruit_veg", "supplier_id": "sup-fruit-veg", "day": "mon",
            "demand_kg": 12.5, "reason": "no_compatible_vehicle", "detail": "chilled"}
DECOMPOSITION = {OTHER: {"vehicle_km": {"total": -617.25, "parts": [
    {"key": "fewer_stops", "value": -500.0}, {"key": "inbound_trips", "value": -150.0},
    {"key": "km_per_stop", "value": 40.0}, {"key": "fleet_energy", "value": -7.25}]}}}


def _inputs(decomposition: dict[str, Any] | None = DECOMPOSITION) -> ReportInputs:
    documents = (_document(BASELINE, WEEK_KM[BASELINE], []),
                 _document(OTHER, WEEK_KM[OTHER], [UNSERVED]))
    week = comparison(documents, BASELINE, "week")
    week.pop("decomposition", None)  # replaced by one with round numbers, or none
    if decomposition is not None:
        week["decomposition"] = decomposition
    routes = {BASELINE: (RouteGroup("direct", "van-diesel", 3, 30, 900.0, 1234.5, 40.0, 300.0,
                                    9000.0),),
              OTHER: (RouteGroup("delivery", "e-van", 2, 20, 900.0, 600.0, 20.0, 5.0, 8000.0),
                      RouteGroup("trunk", "van-diesel", 1, 1, 900.0, 17.25, 1.0, 4.0, 500.0))}
    return ReportInputs((Path(BASELINE), Path(OTHER)), documents, week,
                        comparison(documents, BASELINE, "year"), routes, None)


def _write(tmp_path: Path, locale: Locale, inputs: ReportInputs) -> Path:
    sheets = comparison_sheets(inputs, locale, category_names(DATASET_DIR, locale),
                               [("caveat", "Suppliers are illustrative.")])
    return write_workbook(sheets, tmp_path / f"comparison-{locale.lang}.xlsx")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_sheets_headers_and_kpi_values_are_numbers(tmp_path: Path, lang: str) -> None:
    locale = locale_for(lang)
    path = _write(tmp_path, locale, _inputs())
    sheets = pd.read_excel(path, sheet_name=None)
    text = EN if lang == "en" else NB
    assert list(sheets) == [text[f"workbook.{k}"] for k in (
        "week", "year", "decomposition", "routes", "unserved", "notes", "about")]
    week = sheets[text["workbook.week"]]
    assert list(week.columns[:4]) == [text["workbook.key"], text["comparison.kpi"], BASELINE,
                                      OTHER]
    assert len(week) == len(KPI_LABELS)
    km = week.set_index(text["workbook.key"]).loc["vehicle_km"]
    assert isinstance(km[BASELINE], float) and km[BASELINE] == WEEK_KM[BASELINE]
    assert km[OTHER] == WEEK_KM[OTHER]
    assert km[text["workbook.change"].format(scenario=OTHER)] == pytest.approx(-617.25)
    assert km[text["workbook.change_pct"].format(scenario=OTHER)] == pytest.approx(-0.5)
    year = sheets[text["workbook.year"]].set_index(text["workbook.key"])
    assert year.loc["vehicle_km", BASELINE] == pytest.approx(1234.5 * WEEKS)
    assert year.loc["load_factor", BASELINE] == 0.25  # a ratio is not multiplied by weeks
    unserved = sheets[text["workbook.unserved"]]
    assert unserved[text["workbook.category"]].tolist() == [
        "Fruit and vegetables" if lang == "en" else "Frukt og grønt"]
    assert unserved[text["workbook.demand_kg"]].tolist() == [12.5]


def test_decomposition_parts_add_up_and_routes_are_summed(tmp_path: Path) -> None:
    path = _write(tmp_path, locale_for("en"), _inputs())
    parts = pd.read_excel(path, sheet_name=EN["workbook.decomposition"])
    values = parts.set_index(EN["workbook.key"])[EN["workbook.value"]]
    assert values["total"] == pytest.approx(-617.25)
    assert values.drop("total").sum() == pytest.approx(values["total"])
    assert parts[EN["decomposition.part"]].iloc[0] == "fewer deliveries (at the km per delivery)"
    routes = pd.read_excel(path, sheet_name=EN["workbook.routes"])
    km = routes.groupby(EN["workbook.scenario"])[EN["workbook.distance_km"]].sum()
    assert km[OTHER] == pytest.approx(WEEK_KM[OTHER])


def test_without_decomposition_the_sheet_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, locale_for("nb"), _inputs(decomposition=None))
    sheet = openpyxl.load_workbook(path)[NB["workbook.decomposition"]]
    assert sheet["A2"].value == NB["decomposition.missing"]


def test_number_formats_frozen_header_and_widths(tmp_path: Path) -> None:
    path = _write(tmp_path, locale_for("en"), _inputs())
    book = openpyxl.load_workbook(path)
    week = book[EN["workbook.week"]]
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)
    rows = {row[0].value: row for row in week.iter_rows(min_row=2)}
    assert rows["vehicle_km"][2].number_format == "#,##0"
    assert rows["vehicle_hours"][2].number_format == "#,##0.0"
    assert rows["load_factor"][2].number_format == "#,##0.00"
    assert rows["vehicle_km"][5].number_format == "+0.0%;-0.0%;0.0%"
    assert rows["vehicle_km"][2].data_type == "n"
    assert week.column_dimensions["B"].width > len("vehicle-km / week")
    about = book[EN["workbook.about"]]
    assert [c.value for c in about[2]] == ["caveat", "Suppliers are illustrative."]


def test_numbers_are_written_per_language() -> None:
    en, nb = locale_for("en"), locale_for("nb")
    assert en.number(1234.5, 1) == "1,234.5"
    assert nb.number(1234.5, 1) == f"1{GROUP_SEPARATOR}234,5"
    assert nb.number(1234567.891, 2) == f"1{GROUP_SEPARATOR}234{GROUP_SEPARATOR}567,89"
    assert nb.number(-0.25, 2) == "-0,25" and en.number(999, 0) == "999"
    assert en.number(None) == nb.number(None) == "–"
    assert en.change_pct(-49.6) == "-50%" and nb.change_pct(12.2) == f"+12{GROUP_SEPARATOR}%"


def test_every_text_has_a_bokmal_translation() -> None:
    assert set(NB) == set(EN)
    assert NB["part.fewer_stops"] == "færre vareleveringer (ved samme km per varelevering)"
    assert category_names(DATASET_DIR, locale_for("nb"))["dry_food"] == "Tørrvarer"
