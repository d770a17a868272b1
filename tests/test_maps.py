"""``logistics report``: static maps of two small real results (direct and
consolidated-ev on eight crow-fly units; fruit and vegetables have only a non-chilled
van, so some units are unserved), one per result and the baseline beside the other,
as PNG at 300 dpi, SVG with its text kept and PDF."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.outputs.gis import GPKG_FILE, ROAD_KIND
from logistics.outputs.maps import (
    CROW_FLY_NOTE,
    DPI,
    FORMATS,
    ILLUSTRATIVE_NOTE,
    OSM_CREDIT,
    UNITS_CREDIT,
    UNSERVED_LABEL,
    ZONES_CREDIT,
    ZONES_FILE,
)

from .conftest import make_small_study

SCENARIOS = {"map-direct": "direct", "map-consolidated": "consolidated-ev"}
BASELINE = "map-direct"
MIN_WIDTH_PX = 1500
MIN_DRAWN_SHARE = 0.05
"""Share of the PNG's pixels that must differ from its white background."""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """Two result folders made by ``logistics run`` and the report written of them."""
    root = tmp_path_factory.mktemp("maps")
    study_dir = make_small_study(root / "study")
    fleets = study_dir / "supplier_fleets.csv"
    with fleets.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["supplier_id"] != "sup-fruit-veg"]
    rows.append({"supplier_id": "sup-fruit-veg", "vehicle_type": "van-diesel", "count": "1"})
    with fleets.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    folders = []
    for name, base in SCENARIOS.items():
        path = root / f"{name}.yaml"
        path.write_text(f"name: {name}\nextends: {base}\nstudy_dir: {study_dir}\n"
                        "solver: {solution_limit: 20}\n", encoding="utf-8")
        run = CliRunner().invoke(app, ["run", str(path), "--out", str(root / name),
                                       "--workers", "1"])
        assert run.exit_code == 0, run.output
        folders.append(root / name)
    report = CliRunner().invoke(app, ["report", *map(str, folders), "--baseline", BASELINE,
                                      "--out", str(root / "report")])
    assert report.exit_code == 0, report.output
    return folders, root / "report" / "maps"


def _stems() -> list[str]:
    other = [s for s in SCENARIOS if s != BASELINE]
    return [*SCENARIOS, *(f"{BASELINE}-vs-{o}" for o in other)]


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
        for text in (*set(routes["vehicle_type"]), UNSERVED_LABEL, name, CROW_FLY_NOTE,
                     "km", UNITS_CREDIT, ZONES_CREDIT, ILLUSTRATIVE_NOTE):
            assert _escaped(text) in svg, (name, text)
        assert _escaped(OSM_CREDIT) not in svg  # crow-fly: no roads drawn
    pair = (maps / f"{_stems()[-1]}.svg").read_text(encoding="utf-8")
    assert all(name in pair for name in SCENARIOS)


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


def test_zones_are_bergens_delomrader_and_small() -> None:
    zones = gpd.read_file(ZONES_FILE)
    assert zones.crs.to_epsg() == 4326
    assert sorted(zones["delomrade"]) == [f"{i:02d}" for i in range(1, 21)]
    assert zones.is_valid.all() and set(zones.geom_type) <= {"Polygon", "MultiPolygon"}
    assert ZONES_FILE.stat().st_size < 200_000


def test_folder_without_layers_exits_2_naming_it(results, tmp_path: Path) -> None:
    folders, _ = results
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "result.json").write_bytes((folders[0] / "result.json").read_bytes())
    outcome = CliRunner().invoke(app, ["report", str(folders[1]), str(bare),
                                       "--out", str(tmp_path / "report")])
    assert outcome.exit_code == 2
    assert str(bare) in outcome.output and GPKG_FILE in outcome.output
    assert not (tmp_path / "report").exists()
