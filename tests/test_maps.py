"""``logistics report``: static maps of three small real results (direct,
consolidated-ev and consolidated-ev with a closure area, on eight crow-fly units; fruit
and vegetables have only a non-chilled van, so some units are unserved), one per
result, the baseline beside each other and a disruption map of the disrupted one, as
PNG at 300 dpi, SVG with its text kept and PDF; in English and in bokmål."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.errors import InputError
from logistics.model.dataset import load_vehicle_types
from logistics.outputs.gis import GPKG_FILE, ROAD_KIND
from logistics.outputs.locale import EN
from logistics.outputs.maps import DISRUPTION_SUFFIX, DPI, FORMATS, ZONES_FILE, write_maps

from .map_helpers import CLOSURE_LABEL, CLOSURE_SCENARIO, SCENARIOS, make_map_results

BASELINE = "map-direct"
MIN_WIDTH_PX = 1500
MIN_DRAWN_SHARE = 0.05
"""Share of the PNG's pixels that must differ from its white background."""
UNSERVED_LABEL = "unserved unit (some deliveries not made)"
CROW_FLY_NOTE = "crow-fly: straight legs, not roads"
UNITS_CREDIT = "Units: Udir Barnehagefakta (NLOD 2.0), Bergen kommune."
ZONES_CREDIT = ("Zones and place names: © Kartverket / Statistisk sentralbyrå (CC BY 4.0), "
                "via Starefossen/bergis.")
OSM_CREDIT = "© OpenStreetMap contributors (ODbL)."
ILLUSTRATIVE_NOTE = "Suppliers and hubs are illustrative."
CLOSED_LABEL = "closed road"
NOT_APPLIED_LABEL = "closure area (not applied: crow-fly travel)"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """Two result folders made by ``logistics run`` and the report written of them."""
    root = tmp_path_factory.mktemp("maps")
    folders = make_map_results(root)
    report = CliRunner().invoke(app, ["report", *map(str, folders), "--baseline", BASELINE,
                                      "--out", str(root / "report")])
    assert report.exit_code == 0, report.output
    return folders, root / "report" / "maps"


DISRUPTION_STEM = f"{CLOSURE_SCENARIO}-{DISRUPTION_SUFFIX}"


def _stems() -> list[str]:
    other = [s for s in SCENARIOS if s != BASELINE]
    return [*SCENARIOS, *(f"{BASELINE}-vs-{o}" for o in other), DISRUPTION_STEM]


def test_every_map_is_written_in_every_format(results) -> None:
    _, maps = results
    expected = {f"{stem}.{fmt}" for stem in _stems() for fmt in FORMATS}
    assert {p.name for p in maps.iterdir()} == expected
    for stem in _stems():
        assert (maps / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def test_png_is_print_sized_and_drawn(results) -> None:
    _, maps = results
    for stem in _stems():
        with Image.open(maps / f"{stem}.png") as image:
            assert image.width >= MIN_WIDTH_PX
            assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.5)
            pixels = np.asarray(image.convert("RGB"))
        drawn = np.any(pixels != 255, axis=2).mean()
        assert drawn > MIN_DRAWN_SHARE, (stem, drawn)


def test_svg_has_legend_title_and_attribution(results) -> None:
    folders, maps = results
    for folder, name in zip(folders, SCENARIOS, strict=True):
        svg = (maps / f"{name}.svg").read_text(encoding="utf-8")
        routes = gpd.read_file(folder / GPKG_FILE, layer="routes")
        assert len(routes) > 0
        names = load_vehicle_types()
        for text in (*{names[v].name for v in routes["vehicle_type"]}, UNSERVED_LABEL, name,
                     CROW_FLY_NOTE,
                     "km", UNITS_CREDIT, ZONES_CREDIT, ILLUSTRATIVE_NOTE):
            assert text in _drawn(svg), (name, text)
        assert _escaped(OSM_CREDIT) not in svg  # crow-fly: no roads drawn
    pair = (maps / f"{BASELINE}-vs-map-consolidated.svg").read_text(encoding="utf-8")
    assert all(name in pair for name in (BASELINE, "map-consolidated"))


def test_disruption_map_shows_the_closure_and_names_the_units_cut_off(results) -> None:
    """Only the disrupted scenario gets one (the file set above); on crow-fly travel the
    closure area is drawn dashed as not applied and the result's note says so."""
    folders, maps = results
    folder = folders[list(SCENARIOS).index(CLOSURE_SCENARIO)]
    svg = (maps / f"{DISRUPTION_STEM}.svg").read_text(encoding="utf-8")
    with (folder / "unserved.csv").open(newline="", encoding="utf-8") as handle:
        unserved = list(csv.DictReader(handle))
    assert unserved
    notes = json.loads((folder / "result.json").read_text(encoding="utf-8"))["notes"]
    not_applied = [n for n in notes if CLOSURE_LABEL in n]
    assert len(not_applied) == 1 and "road network" in not_applied[0]
    said = EN["map.not_applied"].format(name=CLOSURE_LABEL)
    for text in (CLOSURE_LABEL, NOT_APPLIED_LABEL, UNSERVED_LABEL, said,
                 *{r["unit_name"] for r in unserved},
                 *{EN[f"reason.{r['reason']}"] for r in unserved}):
        assert text in _drawn(svg), text
    assert _escaped(CLOSED_LABEL) not in svg  # nothing was closed on crow-fly travel


def test_road_routes_credit_openstreetmap_without_the_crow_fly_note(results,
                                                                    tmp_path: Path) -> None:
    """The direct result's routes relabelled as road-network lines."""
    folders, _ = results
    folder = tmp_path / BASELINE
    shutil.copytree(folders[0], folder)
    routes = gpd.read_file(folder / GPKG_FILE, layer="routes")
    routes.assign(geometry_kind=ROAD_KIND).to_file(folder / GPKG_FILE, layer="routes",
                                                   driver="GPKG")
    outcome = CliRunner().invoke(app, ["report", str(folder), "--out", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    svg = (tmp_path / "maps" / f"{BASELINE}.svg").read_text(encoding="utf-8")
    assert _escaped(OSM_CREDIT) in svg and _escaped(ILLUSTRATIVE_NOTE) in svg
    assert CROW_FLY_NOTE not in svg


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _drawn(svg: str) -> str:
    """The texts an SVG draws, joined by spaces (a wrapped legend label reads whole)."""
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))


def test_zones_are_bergens_delomrader_and_small() -> None:
    zones = gpd.read_file(ZONES_FILE)
    assert zones.crs.to_epsg() == 4326
    assert sorted(zones["delomrade"]) == [f"{i:02d}" for i in range(1, 21)]
    assert zones.is_valid.all() and set(zones.geom_type) <= {"Polygon", "MultiPolygon"}
    assert ZONES_FILE.stat().st_size < 200_000
    assert zones["name"].str.len().gt(0).all()  # every zone has a place name
    assert "Strandkaien" in set(zones["name"])  # the centre's zone 01


def test_folder_without_layers_exits_2_naming_it(results, tmp_path: Path) -> None:
    """A result folder with every file but its GIS layers."""
    folders, _ = results
    bare = tmp_path / "bare"
    shutil.copytree(folders[0], bare, ignore=shutil.ignore_patterns(GPKG_FILE, "geojson"))
    outcome = CliRunner().invoke(app, ["report", str(folders[1]), str(bare),
                                       "--out", str(tmp_path / "report")])
    assert outcome.exit_code == 2
    assert str(bare) in outcome.output and GPKG_FILE in outcome.output
    assert not (tmp_path / "report").exists()


@pytest.fixture(scope="module")
def bokmal_maps(results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same maps with their texts in bokmål."""
    folders, _ = results
    out = tmp_path_factory.mktemp("maps-nb")
    write_maps(folders, list(SCENARIOS), BASELINE, out, lang="nb")
    return out / "maps"


def test_bokmal_maps_draw_every_text_in_bokmal(bokmal_maps: Path) -> None:
    """Titles, the route note, legend entries with unit sizes, the scale bar's decimal
    comma and the attribution's connecting words; the sources keep their names."""
    single = (bokmal_maps / "map-consolidated.svg").read_text(encoding="utf-8")
    for text in ("luftlinje: rette strekninger, ikke veier", "omlastingssentral i bruk",
                 "leverandørlager", "kg/uke",
                 "enhet ikke fullt levert (noen vareleveringer ikke utført)",
                 "Enheter: Udir Barnehagefakta (NLOD 2.0), Bergen kommune.",
                 "Soner og stedsnavn: © Kartverket / Statistisk sentralbyrå (CC BY 4.0)",
                 "Leverandører og omlastingssentraler er illustrative.",
                 "Projeksjon: ETRS89 / UTM 33N"):
        assert text in _drawn(single), text
    for english in ("hub used", "supplier depot", "crow-fly", "kg/week", "Units:", "Zones:",
                    ILLUSTRATIVE_NOTE, "Projection"):
        assert english not in single, english
    assert re.search(r"\d\.\d+ km", single) is None  # a decimal point on the scale bar
    pair = (bokmal_maps / f"{BASELINE}-vs-map-consolidated.svg").read_text(encoding="utf-8")
    assert f"{BASELINE} og map-consolidated" in pair
    disruption = (bokmal_maps / f"{DISRUPTION_STEM}.svg").read_text(encoding="utf-8")
    for text in (f"{CLOSURE_SCENARIO}: hendelse", "stengt område (ikke brukt: luftlinjereiser)",
                 CLOSURE_LABEL):
        assert text in _drawn(disruption), text
    assert NOT_APPLIED_LABEL not in disruption


def test_bad_language_is_an_input_problem_before_drawing(results, tmp_path: Path) -> None:
    folders, _ = results
    with pytest.raises(InputError) as caught:
        write_maps(folders[:1], [BASELINE], None, tmp_path, lang="sv")
    assert [(p.field, p.found) for p in caught.value.problems] == [("lang", "'sv'")]
    assert not (tmp_path / "maps").exists()
