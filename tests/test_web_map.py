"""The interactive map page of three small real results (tests/map_helpers.py), opened in
headless Chromium from its file: drawn, no request but the file itself, one path per
route, scenario and vehicle checkboxes that hide their groups, a popup with a unit's
name, zoom that changes the viewBox; bokmål labels; bad input reported at once."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from logistics.errors import InputError
from logistics.outputs.gis import GPKG_FILE
from logistics.outputs.webmap import WEB_MAP_FILE, write_web_map

from .map_helpers import CLOSURE_LABEL, CLOSURE_SCENARIO, SCENARIOS, make_map_results

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1200, "height": 800}
WHITE = 255
MIN_DRAWN_SHARE = 0.15
"""Share of the screenshot's pixels that must differ from white."""
MIN_COLOURS = 8
NAMES = list(SCENARIOS)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_map_results(tmp_path_factory.mktemp("web-map"))


@pytest.fixture(scope="module")
def page_file(folders: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_web_map(folders, NAMES, tmp_path_factory.mktemp("web-map-out"))
    assert path.name == WEB_MAP_FILE
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() and os.environ.get("CI") != "true":
        pytest.skip(f"headless Chromium ({CHROMIUM}, Debian package 'chromium') is not "
                    "installed; in CI (CI=true) this test runs and fails without it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def opened(browser: Browser, page_file: Path) -> Iterator[tuple[Page, list[str]]]:
    """The page loaded from its file, and every URL it requested."""
    page = browser.new_page(viewport=VIEWPORT)
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    yield page, requested
    assert errors == []
    page.close()


def _routes(folder: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(folder / GPKG_FILE, layer="routes")


def test_page_requests_nothing_but_itself_and_is_drawn(opened, page_file: Path,
                                                       tmp_path: Path) -> None:
    page, requested = opened
    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    assert requested == [page_file.as_uri()]
    text = page_file.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "url(" not in text
    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("RGB"))
    drawn = np.any(pixels != WHITE, axis=2).mean()
    colours = len(np.unique(pixels.reshape(-1, 3), axis=0))
    assert drawn > MIN_DRAWN_SHARE, drawn
    assert colours >= MIN_COLOURS, colours


def test_one_path_per_route_in_each_scenario_group(opened, folders: list[Path]) -> None:
    page, _ = opened
    counts = [len(_routes(folder)) for folder in folders]
    assert all(counts)
    assert page.locator("path.route").count() == sum(counts)
    for index, (name, count) in enumerate(zip(NAMES, counts, strict=True)):
        group = page.locator(f"#scenario-{index}")
        assert group.get_attribute("data-scenario") == name
        assert group.locator("path.route").count() == count
        types = sorted(set(_routes(folders[index])["vehicle_type"]))
        drawn = group.locator("g.vehicle").evaluate_all(
            "groups => groups.map(g => g.dataset.vehicleType)")
        assert sorted(drawn) == types


def _display(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all(
        "nodes => nodes.map(n => getComputedStyle(n).display)")


def test_checkboxes_hide_and_show_scenarios_and_vehicle_types(opened) -> None:
    page, _ = opened
    assert _display(page, "#scenario-0") != ["none"]
    assert _display(page, "#scenario-1") == ["none"]  # only the first is shown at start
    page.locator('.toggle-scenario[data-index="0"]').uncheck()
    assert _display(page, "#scenario-0") == ["none"]
    page.locator('.toggle-scenario[data-index="1"]').check()
    assert _display(page, "#scenario-1") != ["none"]
    page.locator('.toggle-vehicle[data-index="0"]').uncheck()
    hidden = _display(page, ".vt-0")
    assert hidden and set(hidden) == {"none"}
    assert "none" not in _display(page, ".vt-1")


def _most_isolated(units: gpd.GeoDataFrame) -> str:
    """The id of the unit farthest from its nearest neighbour (so a click hits only it)."""
    xy = np.column_stack([units.geometry.x, units.geometry.y])
    gaps = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    np.fill_diagonal(gaps, math.inf)
    return str(units["id"].iloc[int(gaps.min(axis=1).argmax())])


def test_clicking_a_unit_shows_its_name_and_status(opened, folders: list[Path]) -> None:
    page, _ = opened
    units = gpd.read_file(folders[0] / GPKG_FILE, layer="units").to_crs("EPSG:25833")
    unit_id = _most_isolated(units)
    unit = units.set_index("id").loc[unit_id]
    popup = page.locator("#popup")
    assert popup.is_hidden()
    box = page.locator(f'#scenario-0 [data-id="{unit_id}"] circle').bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert popup.is_visible()
    text = popup.inner_text()
    assert unit["name"] in text and NAMES[0] in text
    if unit["served"]:
        assert "served" in text and "not made" not in text
    else:
        assert f"{unit['unserved_deliveries']} deliveries not made" in text
    page.keyboard.press("Escape")
    assert popup.is_hidden()


def _view_box(page) -> list[float]:
    return [float(v) for v in page.locator("#map").get_attribute("viewBox").split()]


def _scale_bar_error(page) -> float:
    """Relative error of the scale bar: its label against its width on screen times the
    metres per pixel of the viewBox fitted into the SVG's box (``meet``)."""
    _, _, width_m, height_m = _view_box(page)
    box = page.locator("#map").bounding_box()
    metres_per_px = max(width_m / box["width"], height_m / box["height"])
    number, unit = page.locator("#scale-label").inner_text().split()
    label_m = float(number) * (1000 if unit == "km" else 1)
    bar_px = page.locator("#scale-bar").bounding_box()["width"]
    return abs(bar_px * metres_per_px - label_m) / label_m


def test_zoom_buttons_change_the_view_box_and_keep_the_scale_bar_true(opened) -> None:
    page, _ = opened
    before = _view_box(page)
    bar_before = page.locator("#scale-bar").bounding_box()["width"]
    assert _scale_bar_error(page) < 0.01
    page.locator("#zoom-in").click()
    page.locator("#zoom-in").click()
    after = _view_box(page)
    assert after[2] == pytest.approx(before[2] / 1.5 ** 2, rel=1e-6)
    assert after[3] == pytest.approx(before[3] / 1.5 ** 2, rel=1e-6)
    assert _scale_bar_error(page) < 0.01
    assert page.locator("#scale-bar").bounding_box()["width"] != bar_before
    page.locator("#zoom-home").click()
    assert _view_box(page) == before


def test_dragging_pans_by_the_distance_dragged(opened) -> None:
    page, _ = opened
    x0, y0, width_m, height_m = _view_box(page)
    box = page.locator("#map").bounding_box()
    metres_per_px = max(width_m / box["width"], height_m / box["height"])
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 100, start[1] + 40, steps=5)
    page.mouse.up()
    x1, y1, width_after, _ = _view_box(page)
    assert width_after == width_m
    assert x1 == pytest.approx(x0 - 100 * metres_per_px, rel=1e-6)
    assert y1 == pytest.approx(y0 - 40 * metres_per_px, rel=1e-6)
    assert page.locator("#popup").is_hidden()  # a drag is not a click


def test_page_carries_kpis_attribution_and_the_closure(page_file: Path,
                                                      folders: list[Path]) -> None:
    text = page_file.read_text(encoding="utf-8")
    for folder, name in zip(folders, NAMES, strict=True):
        kpi = json.loads((folder / "result.json").read_text(encoding="utf-8"))["kpi_per_week"]
        assert name in text
        assert f"{kpi['vehicle_km']:,.0f}" in text
    for credit in ("Udir Barnehagefakta", "Kartverket", "Suppliers and hubs are illustrative"):
        assert credit in text
    assert "OpenStreetMap" not in text  # crow-fly: no roads drawn
    assert CLOSURE_LABEL in text and 'class="closure_area"' in text
    assert NAMES.index(CLOSURE_SCENARIO) == 2


def test_bokmal_labels(folders: list[Path], tmp_path: Path) -> None:
    text = write_web_map(folders[:1], NAMES[:1], tmp_path, lang="nb").read_text(encoding="utf-8")
    assert '<html lang="nb">' in text
    for label in ("Scenarioer", "Kjøretøytyper", "kjøretøykilometer", "direktelevering"):
        assert label in text, label


def test_bad_input_is_reported_at_once(folders: list[Path], tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(InputError) as caught:
        write_web_map([folders[0], missing], [NAMES[0], NAMES[0]], tmp_path / "out",
                      lang="de")
    found = {(p.field, str(p.found)) for p in caught.value.problems}
    assert ("lang", "'de'") in found
    assert ("scenario", str([NAMES[0]])) in found
    assert any(p.source == str(missing) for p in caught.value.problems)
    assert not (tmp_path / "out").exists()
