"""The reader's language: the catalogues are complete, Babel formats numbers as each
language writes them, every word of the bokmål outputs of a small real run comes from
the catalogues (no English text, no raw code), the north arrow's angle is the meridian
convergence, and the maps tell the suppliers' legs from the municipality's."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Proj, Transformer
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.clock import WEEKDAYS
from logistics.model.dataset import load_vehicle_types
from logistics.outputs.catalogues import dict_literals, problems
from logistics.outputs.locale import EN, NB, Locale
from logistics.outputs.maps import MAP_CRS, ScenarioLayers, _disruptions, true_north_rad
from logistics.outputs.tables import DECOMPOSITION_LABELS, IMPACT_LABELS, KPI_LABELS
from logistics.routing.problem import UnservedReason

from .map_helpers import make_map_results

BASELINE = "map-direct"
RAW_CODES = (set(WEEKDAYS) | set(load_vehicle_types()) | {r.value for r in UnservedReason}
             | {"dry_food", "chilled_food", "fruit_veg", "location_nve_2022",
                "shortest_distance", "zero_at_tailpipe", "crow_fly"})
"""Codes a reader must never see in a bokmål output."""
ID_HEADERS = {NB["workbook.key"], NB["workbook.order"], NB["workbook.unit"],
              NB["workbook.supplier"], NB["workbook.vehicle_type_id"], NB["workbook.detail"]}
"""Workbook columns that hold ids (to find a row in the result files) or the solver's
technical detail, left as they are."""
ABOUT_SHEETS = {NB["workbook.about"], NB["workbook.notes"]}
"""Sheets quoting the sources' own wording (each row names its data file and row)."""


def test_every_key_has_bokmal_with_the_same_fields() -> None:
    assert problems() == []
    assert set(NB) == set(EN)
    assert all(NB[key] for key in EN)


def test_terminal_labels_read_as_the_english_catalogue() -> None:
    for label in KPI_LABELS:
        assert EN[f"kpi.{label.key}"] == label.text
    for label in IMPACT_LABELS:
        assert EN[f"impact.{label.key}"] == label.text
    for key, text in DECOMPOSITION_LABELS.items():
        assert EN[f"part.{key}"] == text


def test_one_term_list_in_bokmal() -> None:
    """samordnet varelevering, never samlastet; omlastingssentral, never hub; no
    anglicisms; WTW explained as brønn til hjul."""
    text = " ".join(NB.values())
    for banned in ("samlast", "trunk", "endring mot", "WTW", "kjøretøy-km"):
        assert banned not in text, banned
    assert re.search(r"\bhub", NB["map.hub"] + NB["kpi.hub_energy_kwh"]) is None
    assert NB["design.consolidated"] == "samordnet varelevering"
    assert NB["design.direct"] == "direktelevering"
    assert "brønn til hjul" in NB["kpi.co2e_wtw_kg"] and "brønn til hjul" in NB["caveat.wtw"]


def test_babel_formats_numbers_dates_and_weekdays() -> None:
    nb, en = Locale("nb"), Locale("en")
    assert nb.number(-1234567.891, 2) == "-1\u00a0234\u00a0567,89"
    assert en.number(1234567.891, 2) == "1,234,567.89"
    assert nb.share_pct(0.2346) == "23,5\u00a0%" and en.share_pct(0.2346) == "23.5%"
    assert nb.change_pct(-49.6) == "-50\u00a0%" and en.change_pct(12.2) == "+12%"
    assert nb.weekday("tue") == "tirsdag" and en.weekday("tue") == "Tuesday"
    assert nb.weekdays("mon;fri") == "mandag, fredag"
    assert nb.reasons("hub_unavailable") == "omlastingssentralen er stengt (bortfall)"


@given(st.integers(-10**12, 10**12))
def test_bokmal_integers_group_thousands_by_three(value: int) -> None:
    text = Locale("nb").number(value)
    groups = text.removeprefix("-").split("\u00a0")
    assert text.replace("\u00a0", "") == str(value)
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def test_import_dicts_reads_the_string_entries_of_dict_literals(tmp_path: Path) -> None:
    source = tmp_path / "old_locale.py"
    source.write_text('X = 1\nEN: dict[str, str] = {**{"a": "b"}, "new.key": "New {n}",\n'
                      '    "other": X}\nNB = {"new.key": "Ny {n}"}\n', encoding="utf-8")
    assert dict_literals(source) == {"EN": {"new.key": "New {n}"}, "NB": {"new.key": "Ny {n}"}}


def test_north_arrow_angle_is_the_meridian_convergence_at_bergen() -> None:
    """Bergen (5.32° E, 60.39° N) lies 9.68° west of zone 33's central meridian (15° E):
    grid north turns about (15 - 5.32) * sin(60.39°) = 8.41° from true north."""
    lon, lat = 5.32, 60.39
    x, y = Transformer.from_crs("EPSG:4326", MAP_CRS, always_xy=True).transform(lon, lat)
    angle_deg = math.degrees(true_north_rad((x - 500, y - 500, x + 500, y + 500)))
    by_hand = (15 - lon) * math.sin(math.radians(lat))
    assert angle_deg == pytest.approx(by_hand, abs=0.05)
    assert angle_deg == pytest.approx(8.4, abs=0.05)
    convergence = Proj(MAP_CRS).get_factors(lon, lat).meridian_convergence
    assert angle_deg == pytest.approx(-convergence, abs=0.01)


@pytest.fixture(scope="module")
def bokmal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bokmål report of the map tests' three scenarios, through the command line."""
    root = tmp_path_factory.mktemp("i18n")
    folders = make_map_results(root)
    out = root / "report"
    run = CliRunner().invoke(app, ["report", *map(str, folders), "--baseline", BASELINE,
                                   "--lang", "nb", "--out", str(out)])
    assert run.exit_code == 0, run.output
    return out


def _foreign(texts: list[str]) -> list[str]:
    """Raw codes and English catalogue texts (those bokmål words differently) in texts."""
    found = []
    english = [t for key, t in EN.items() if len(t) > 12 and NB[key] != t]
    for text in texts:
        found += [f"code {code!r} in {text[:80]!r}" for code in RAW_CODES
                  if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
        found += [f"English {e[:40]!r} in {text[:80]!r}" for e in english if e in text]
    return found


def _svg_texts(path: Path) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>",
                                                 path.read_text(encoding="utf-8"), re.S)]


def test_bokmal_maps_and_charts_draw_no_foreign_word(bokmal: Path) -> None:
    svgs = sorted((bokmal / "maps").glob("*.svg")) + sorted((bokmal / "charts").glob("*.svg"))
    assert len(svgs) >= 6
    found = [f"{svg.name}: {hit}" for svg in svgs for hit in _foreign(_svg_texts(svg))]
    assert found == []
    legend = " ".join(_svg_texts(bokmal / "maps" / f"{BASELINE}-vs-map-consolidated.svg"))
    assert "Elektrisk varebil 3,5 t med kjøleaggregat" in legend
    assert NB["map.legs_supplier"] in legend and NB["map.legs_municipal"] in legend
    assert "8,4° fra rutenettets nord" in legend


def test_bokmal_web_map_has_no_foreign_word(bokmal: Path) -> None:
    page = (bokmal / "webmap.html").read_text(encoding="utf-8")
    body = page.split("<script>")[0]
    texts = [html.unescape(t) for t in re.split(r"<[^>]+>", body) if t.strip()]
    popups = [html.unescape(p) for p in re.findall(r'data-popup="([^"]*)"', page)]
    assert popups and _foreign(texts + popups) == []
    assert "tirsdag" in " ".join(popups) and NB["route_kind.trunk"] in " ".join(popups)


def test_bokmal_workbook_cells_have_no_foreign_word(bokmal: Path) -> None:
    book = openpyxl.load_workbook(bokmal / "comparison.xlsx")
    found = []
    for sheet in book:
        if sheet.title in ABOUT_SHEETS:
            continue
        rows = list(sheet.iter_rows(values_only=True))
        keep = [i for i, header in enumerate(rows[0]) if header not in ID_HEADERS]
        texts = [str(row[i]) for row in rows for i in keep
                 if i < len(row) and isinstance(row[i], str)]
        found += [f"{sheet.title}: {hit}" for hit in _foreign(texts)]
    assert found == []


def test_web_map_dashes_the_suppliers_legs_only(bokmal: Path) -> None:
    """In the consolidated scenario the trips to the hub are the suppliers' (dashed) and
    the rounds from the hub the municipality's (solid): one path per route of each."""
    page = (bokmal / "webmap.html").read_text(encoding="utf-8")
    group = page.split('data-scenario="map-consolidated"')[1].split('class="scenario"')[0]
    routes = (bokmal.parent / "map-consolidated" / "routes.csv").read_text().splitlines()[1:]
    kinds = [line.split(",")[2] for line in routes]
    assert group.count('class="route supplier"') == kinds.count("trunk") > 0
    assert group.count('class="route"') == kinds.count("distribution") > 0


def test_bokmal_report_text_has_no_foreign_word(bokmal: Path) -> None:
    """Every text of the report but the sources' own wording (the factor and study
    source lists, each row naming its file and row) and the notes quoted from the
    results."""
    page = (bokmal / "report.html").read_text(encoding="utf-8")
    page = re.sub(r'<div class="sources">.*?</div>', "", page, flags=re.S)
    for heading in (NB["method.study_sources"], NB["caveat.notes"]):
        page = re.sub(rf"<h3>{re.escape(html.escape(heading))}</h3>\s*<ul>.*?</ul>", "", page,
                      flags=re.S)
    texts = [html.unescape(t) for t in re.split(r"<[^>]+>", page.split("<body")[1])
             if t.strip()]
    assert len(texts) > 100
    assert _foreign(texts) == []
    assert NB["code.location_nve_2022"] in " ".join(texts)


def test_a_disruption_without_label_is_named_in_words() -> None:
    """Its type and days in the language, never ``supplier_outage (tue)``."""
    spec = {"scenario_spec": {"disruptions": [
        {"type": "supplier_outage", "supplier": "sup-bakery", "days": ["tue", "thu"]},
        {"type": "hub_outage", "hub": "kokstad", "label": "Kokstad flooded"}]}}
    specs = _disruptions(Path("result"), spec)
    layers = ScenarioLayers("s", *([None] * 6), spec, specs)  # type: ignore[arg-type]
    assert list(layers.disruption_names(Locale("nb")).values()) == [
        "bortfall hos leverandør (tirsdag, torsdag)", "Kokstad flooded"]
    assert layers.disruption_names(Locale("en")) == {
        "supplier_outage (tue, thu)": "supplier outage (Tuesday, Thursday)",
        "Kokstad flooded": "Kokstad flooded"}
