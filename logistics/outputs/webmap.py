"""The interactive map of result folders: one self-contained HTML page that works offline.

The layers of each folder (:func:`logistics.outputs.maps.read_layers`) are projected to
EPSG:25833 here and written as one inline SVG in metres (rounded to 1 m, lines
simplified to :data:`SIMPLIFY_M`): the sea, Bergen's delområder as land with their place
names, then one group per scenario holding its routes (one group per vehicle type; the
suppliers' legs dashed, the municipality's solid), closed roads, the hubs used, supplier
depots and units (circle area proportional to demand, unserved units
red with a cross). A small script of this module's own (no third-party JavaScript,
nothing fetched; the page's Content-Security-Policy forbids any request) draws a layer
panel with a checkbox per scenario and per vehicle type and each scenario's headline
KPIs, pans (drag) and zooms (wheel, buttons) by changing the SVG's viewBox, keeps
markers their size on screen, shows a popup with names and KPIs on click and keeps a
scale bar true. The attribution of :mod:`logistics.outputs.maps` is on the page.
Labels are English or bokmål, every one from :mod:`logistics.outputs.locale` (the
page's own as ``webmap.*`` keys, those it shares with the static maps as ``map.*``), and
so are numbers, weekdays, reasons, route kinds and vehicle and category names. The
solver's technical detail on a delivery not made is shown in English only.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import geopandas as gpd
from matplotlib.colors import to_hex
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from logistics.errors import ProblemCollector
from logistics.outputs.gis import EVERY_DAY
from logistics.outputs.locale import Locale, category_names, locale_for, vehicle_names
from logistics.outputs.maps import (
    CLOSED_COLOUR,
    PLACE_COLOUR,
    SEA_COLOUR,
    SUPPLIER_KINDS,
    UNSERVED_COLOUR,
    ZONE_EDGE,
    ZONE_FILL,
    ScenarioLayers,
    attribution,
    largest_demand_kg,
    load_zones,
    map_extent,
    read_each_layers,
    true_north_rad,
    unit_area_share,
    vehicle_colours,
)
from logistics.outputs.tables import KPI_LABELS
from logistics.paths import DATASET_DIR

WEB_MAP_FILE = "webmap.html"
SIMPLIFY_M = 5.0
"""Largest distance a simplified line or zone edge may move (metres)."""
MAX_UNIT_RADIUS_SHARE = 1 / 90
"""Radius of the largest unit's circle as a share of the whole map's width."""
HEADLINE_KPIS = ("vehicle_km", "co2e_wtw_kg", "cost_nok", "deliveries",
                 "served_demand_share")
"""The KPIs per week the layer panel shows for each scenario."""
PLACE_SIZE_SHARE = 1 / 60
"""Font size of the place names as a share of the whole map's width (kept on zoom)."""
DEPOT_COLOUR, HUB_COLOUR = "#8c564b", "#000000"


PAGE_LABELS = ("title", "hint", "scenarios", "vehicle_types", "legend", "zoom_in", "zoom_out",
               "whole_map", "close")
"""The page's headings and buttons: ``webmap.<key>`` texts filling ``$<key>`` of the page."""
Rows = list[tuple[str, str]]
"""A popup: the text key of its label and the value per row."""


def write_web_map(result_dirs: Sequence[Path], names: Sequence[str], out_dir: Path,
                  lang: str = "en") -> Path:
    """Write ``out_dir/webmap.html``, the interactive map of the result folders
    (``names`` are their scenarios, the first shown at start); returns its path. Every
    problem with the folders, names and language is reported at once."""
    problems = ProblemCollector()
    locale = problems.attempt(lambda: locale_for(lang))
    if not result_dirs:
        problems.add("RESULT_DIR", "", "result folders", 0, "at least one result folder")
    if len(names) != len(result_dirs):
        problems.add("RESULT_DIR", "", "names", len(names),
                     f"one scenario name per result folder ({len(result_dirs)})")
    repeated = sorted({n for n in names if list(names).count(n) > 1})
    if repeated:
        problems.add("RESULT_DIR", "", "scenario", repeated, "one result folder per scenario")
    panels = read_each_layers(result_dirs, names, problems)
    problems.raise_if_any()
    assert locale is not None  # a language problem was raised above
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / WEB_MAP_FILE
    path.write_text(_page(panels, load_zones(), locale), encoding="utf-8")
    return path


def _days(locale: Locale, days: str) -> str:
    """A disruption's or unserved unit's days as the page lists them."""
    return locale.text("webmap.every_day") if days == EVERY_DAY else locale.weekdays(days)


@dataclass(frozen=True)
class _Names:
    """The page's language and the names of the vehicle types and categories in it."""

    locale: Locale
    vehicles: dict[str, str]
    categories: dict[str, str]

    @classmethod
    def of(cls, locale: Locale, panels: Sequence[ScenarioLayers]) -> _Names:
        """The names of ``locale``; categories from the first panel's data set folder (the
        shipped study where its result does not name one)."""
        dataset = Path(str(panels[0].summary.get("scenario_spec", {}).get("dataset_dir")
                         or DATASET_DIR)) if panels else DATASET_DIR
        categories = category_names(dataset if (dataset / "categories.csv").is_file()
                                    else DATASET_DIR, locale)
        return cls(locale, vehicle_names(locale), categories)

    def vehicle(self, vehicle_type: str) -> str:
        return self.vehicles.get(vehicle_type, vehicle_type)

    def category_list(self, codes: str) -> str:
        return ", ".join(self.categories.get(c, c) for c in codes.split(";") if c)


@dataclass(frozen=True)
class _Frame:
    """The SVG's coordinates: metres east of ``x0`` and south of ``y1`` (EPSG:25833),
    rounded to whole metres."""

    x0: float
    y1: float
    width_m: int
    height_m: int

    @classmethod
    def of(cls, extent: tuple[float, float, float, float]) -> _Frame:
        x0, y0, x1, y1 = extent
        return cls(x0, y1, math.ceil(x1 - x0), math.ceil(y1 - y0))

    def xy(self, x: float, y: float) -> tuple[int, int]:
        return round(x - self.x0), round(self.y1 - y)

    def path(self, geometry: BaseGeometry) -> str:
        """SVG path data of a (multi)line or (multi)polygon, simplified; rings closed."""
        simple = geometry.simplify(SIMPLIFY_M, preserve_topology=False)
        parts = getattr(simple, "geoms", [simple])
        commands = []
        for part in parts:
            rings = ([part.exterior, *part.interiors] if part.geom_type == "Polygon"
                     else [part])
            for ring in rings:
                points: list[tuple[int, int]] = []
                for x, y in ring.coords:
                    point = self.xy(x, y)
                    if not points or point != points[-1]:
                        points.append(point)
                if points:
                    start, *rest = points
                    text = f"M{start[0]} {start[1]}"
                    if rest:
                        text += "L" + " ".join(f"{x} {y}" for x, y in rest)
                    commands.append(text + ("Z" if part.geom_type == "Polygon" else ""))
        return "".join(commands)


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _popup(rows: Rows, locale: Locale) -> str:
    """A ``data-popup`` attribute: the rows with their labels in ``locale``'s language,
    as JSON (the script shows them as text); rows without a value are left out."""
    labelled = [(locale.text(key), value) for key, value in rows if value]
    return f'data-popup="{_attr(json.dumps(labelled, ensure_ascii=False))}"'


def _marker(frame: _Frame, site: Any, shape: str, popup: Rows, locale: Locale) -> str:
    """A site's symbol (``data-id`` its id) drawn around its place at a size kept on
    screen (class ``mk``)."""
    px, py = frame.xy(site.geometry.x, site.geometry.y)
    return (f'<g transform="translate({px} {py})" data-id="{_attr(site.id)}" '
            f'{_popup(popup, locale)}><g class="mk">{shape}</g></g>')


def _page(panels: Sequence[ScenarioLayers], zones: gpd.GeoDataFrame, locale: Locale) -> str:
    extent = map_extent(panels, with_closures=True)
    frame = _Frame.of(extent)
    shown_zones = zones[zones.intersects(box(*extent))]
    colours = {v: to_hex(c) for v, c in vehicle_colours(panels).items()}
    max_kg = largest_demand_kg(panels)
    radius_m = frame.width_m * MAX_UNIT_RADIUS_SHARE
    zone_paths = "".join(f'<path d="{frame.path(g)}"/>' for g in shown_zones.geometry)
    names = _Names.of(locale, panels)
    groups = "".join(_scenario_group(i, layers, frame, colours, max_kg, radius_m, names)
                     for i, layers in enumerate(panels))
    return _PAGE.substitute(
        **{key: _attr(locale.text(f"webmap.{key}")) for key in PAGE_LABELS},
        lang=locale.lang,
        view_box=f"0 0 {frame.width_m} {frame.height_m}",
        zone_fill=ZONE_FILL, zone_edge=ZONE_EDGE, sea_colour=SEA_COLOUR,
        place_colour=PLACE_COLOUR,
        zones=zone_paths,
        places=_places(frame, shown_zones, extent),
        place_size=f"{frame.width_m * PLACE_SIZE_SHARE:.0f}",
        scenario_groups=groups,
        scenario_panel="".join(_scenario_entry(i, layers, locale)
                               for i, layers in enumerate(panels)),
        vehicle_panel="".join(
            f'<label><input type="checkbox" class="toggle-vehicle" data-index="{i}" checked>'
            f'<span class="swatch" style="background:{colour}"></span>'
            f'{_attr(names.vehicle(vehicle))}</label>'
            for i, (vehicle, colour) in enumerate(colours.items())),
        legend_keys=_legend(locale),
        north=_attr(locale.text("map.north")),
        north_deg=f"{math.degrees(true_north_rad(extent)):.1f}",
        north_beside="<br>".join(_attr(line) for line in locale.text(
            "map.north_beside", angle=locale.number(math.degrees(true_north_rad(extent)), 1)
        ).splitlines()),
        attribution="<br>".join(_attr(line) for line in attribution(
            panels, not shown_zones.empty, locale).splitlines()),
        unserved_colour=UNSERVED_COLOUR, closed_colour=CLOSED_COLOUR,
        hub_colour=HUB_COLOUR, depot_colour=DEPOT_COLOUR,
    )


def _places(frame: _Frame, zones: gpd.GeoDataFrame,
            extent: tuple[float, float, float, float]) -> str:
    """Each zone's place name at its representative point inside the extent, kept its
    size on screen."""
    x0, y0, x1, y1 = extent
    labels = []
    for zone in zones.itertuples():
        point = zone.geometry.representative_point()
        if zone.name and x0 < point.x < x1 and y0 < point.y < y1:
            px, py = frame.xy(point.x, point.y)
            labels.append(f'<g transform="translate({px} {py})"><g class="mk">'
                          f'<text class="place">{_attr(zone.name)}</text></g></g>')
    return "".join(labels)


def _scenario_entry(index: int, layers: ScenarioLayers, locale: Locale) -> str:
    """The panel's checkbox of a scenario with its headline KPIs per week."""
    kpis = layers.summary.get("kpi_per_week", {})
    labels = {label.key: label for label in KPI_LABELS}
    rows = "".join(
        f"<tr><th>{_attr(locale.kpi(labels[key]))}</th>"
        f"<td>{_attr(locale.number(kpis[key], labels[key].digits))}</td></tr>"
        for key in HEADLINE_KPIS if kpis.get(key) is not None)
    notes = [locale.design(str(layers.summary.get("design", ""))), layers.note(locale),
             *([f"{locale.text('webmap.disruptions')}: "
                f"{'; '.join(layers.disruption_names(locale).values())}"]
               if layers.disruptions else [])]
    checked = " checked" if index == 0 else ""
    return (f'<div class="scenario-entry"><label><input type="checkbox" class="toggle-scenario"'
            f' data-index="{index}"{checked}><b>{_attr(layers.scenario)}</b></label>'
            f'<div class="note">{_attr(" · ".join(n for n in notes if n))}</div>'
            f'<table class="kpis"><caption>{_attr(locale.text("webmap.per_week"))}</caption>'
            f'{rows}</table></div>')


def _scenario_group(index: int, layers: ScenarioLayers, frame: _Frame,
                    colours: Mapping[str, str], max_kg: float, radius_m: float,
                    names: _Names) -> str:
    """A scenario's ``<g>``: routes by vehicle type, closed roads, depots, hubs, units."""
    locale = names.locale
    vehicle_index = {v: i for i, v in enumerate(colours)}
    parts = []
    for vehicle, routes in layers.routes.groupby("vehicle_type", sort=True):
        paths = "".join(f'<path class="route{" supplier" if r.kind in SUPPLIER_KINDS else ""}"'
                        f' d="{frame.path(r.geometry)}" '
                        f'{_popup(_route_rows(r, layers.scenario, names), locale)}/>'
                        for r in routes.itertuples())
        parts.append(f'<g class="vehicle vt-{vehicle_index[str(vehicle)]}" '
                     f'data-vehicle-type="{_attr(vehicle)}" stroke="{colours[str(vehicle)]}">'
                     f'{paths}</g>')
    for link in layers.closed_links.itertuples():
        kind = "closed" if bool(link.applied) else "closure_area"
        name = str(link.disruption)
        rows = [(f"map.{kind}", layers.disruption_names(locale).get(name, name)),
                ("webmap.street", str(link.street_name)),
                ("webmap.days", _days(locale, str(link.days)))]
        parts.append(f'<path class="{kind}" d="{frame.path(link.geometry)}" '
                     f'{_popup(rows, locale)}/>')
    side = radius_m * 0.9
    for depot in layers.depots.itertuples():
        triangle = (f'<path class="depot" d="M0 {-side:.0f}L{side:.0f} {side * 0.7:.0f} '
                    f'{-side:.0f} {side * 0.7:.0f}Z"/>')
        parts.append(_marker(frame, depot, triangle,
                             [("map.depot", str(depot.name)),
                              ("webmap.categories", names.category_list(str(depot.categories)))],
                             locale))
    for hub in layers.hubs.itertuples():
        square = f'<rect class="hub" x="{-side:.0f}" y="{-side:.0f}" width="{2 * side:.0f}" ' \
                 f'height="{2 * side:.0f}"/>'
        parts.append(_marker(frame, hub, square,
                             [("map.hub", str(hub.name)), ("webmap.scenario", layers.scenario)],
                             locale))
    unserved = {str(u.id): u for u in layers.unserved.itertuples()}
    for unit in layers.units.itertuples():
        missed = unserved.get(str(unit.id))
        r = radius_m * math.sqrt(unit_area_share(float(unit.demand_kg_per_week), max_kg))
        shape = f'<circle class="unit{" unserved" if missed else ""}" r="{r:.0f}"/>'
        if missed is not None:
            arm = max(r, radius_m / 3) * 0.8
            shape += (f'<path class="cross" d="M{-arm:.0f} {-arm:.0f}L{arm:.0f} {arm:.0f}'
                      f'M{-arm:.0f} {arm:.0f}L{arm:.0f} {-arm:.0f}"/>')
        parts.append(_marker(frame, unit, shape,
                             _unit_rows(unit, missed, layers.scenario, locale), locale))
    hidden = "" if index == 0 else ' style="display:none"'  # the first is shown at start
    return (f'<g class="scenario" id="scenario-{index}" data-scenario="{_attr(layers.scenario)}"'
            f'{hidden}>{"".join(parts)}</g>')


def _route_rows(route: Any, scenario: str, names: _Names) -> Rows:
    """A route's popup (a row of the routes layer)."""
    locale = names.locale
    return [("webmap.route", locale.name("route_kind", str(route.kind))),
            ("webmap.scenario", scenario),
            ("webmap.vehicle_type", names.vehicle(str(route.vehicle_type))),
            ("webmap.day", locale.weekday(str(route.day))),
            ("webmap.stops", locale.number(float(route.stops))),
            ("webmap.distance_km", locale.number(float(route.distance_km), 1)),
            ("webmap.co2e_kg", locale.number(float(route.co2e_wtw_kg), 1)),
            ("webmap.cost_nok", locale.number(float(route.cost_nok)))]


def _unit_rows(unit: Any, missed: Any | None, scenario: str, locale: Locale) -> Rows:
    """A unit's popup (a row of the units layer, its row of ``unserved_units`` if any)."""
    rows = [("webmap.unit", str(unit.name)),
            ("webmap.unit_type", locale.name("unit_type", str(unit.unit_type))),
            ("webmap.demand", locale.number(float(unit.demand_kg_per_week), 1)),
            ("webmap.scenario", scenario)]
    if missed is None:
        return [*rows, ("webmap.status", locale.text("webmap.served"))]
    status = locale.text("webmap.unserved", count=int(missed.unserved_deliveries),
                         kg=locale.number(float(missed.unserved_kg), 1),
                         reasons=locale.reasons(str(missed.reasons)),
                         days=_days(locale, str(missed.days)))
    detail = str(missed.details) if locale.lang == "en" else ""
    return [*rows, ("webmap.status", status), ("webmap.detail", detail)]


def _legend(locale: Locale) -> str:
    """Static symbol key (the vehicle colours are in the vehicle type list)."""
    items = [
        ('<path d="M2 10H18" stroke="#444" stroke-width="2" stroke-dasharray="4 2"/>',
         "map.legs_supplier"),
        ('<path d="M2 10H18" stroke="#444" stroke-width="2"/>', "map.legs_municipal"),
        (f'<rect x="5" y="5" width="10" height="10" fill="{HUB_COLOUR}"/>', "map.hub"),
        (f'<path d="M10 3L17 16 3 16Z" fill="{DEPOT_COLOUR}" stroke="#000"/>', "map.depot"),
        ('<circle cx="10" cy="10" r="6" fill="#fff" stroke="#333"/>', "webmap.unit_legend"),
        (f'<circle cx="10" cy="10" r="6" fill="#fde0e0" stroke="#333"/><path d="M5 5L15 15M5 '
         f'15L15 5" stroke="{UNSERVED_COLOUR}" stroke-width="2"/>', "webmap.unserved_legend"),
        (f'<path d="M2 10H18" stroke="{CLOSED_COLOUR}" stroke-width="4"/>', "map.closed"),
        (f'<path d="M2 10H18" stroke="{CLOSED_COLOUR}" stroke-width="2" '
         f'stroke-dasharray="4 2"/>', "map.closure_area"),
        (f'<rect x="2" y="4" width="16" height="12" fill="{ZONE_FILL}" stroke="#999"/>',
         "map.land"),
        (f'<rect x="2" y="4" width="16" height="12" fill="{SEA_COLOUR}" stroke="#999"/>',
         "map.sea"),
    ]
    return "".join(f'<div class="key"><svg width="20" height="20">{symbol}</svg>'
                   f'{_attr(locale.text(key))}</div>' for symbol, key in items)


_SCRIPT = """
(function () {
  "use strict";
  var svg = document.getElementById("map");
  var home = svg.getAttribute("viewBox").split(" ").map(Number);
  var view = home.slice();
  var popup = document.getElementById("popup");
  var scaleBar = document.getElementById("scale-bar");
  var scaleLabel = document.getElementById("scale-label");

  function metresPerPixel() { return 1 / svg.getScreenCTM().a; }
  function toMap(clientX, clientY) {
    var p = new DOMPoint(clientX, clientY).matrixTransform(svg.getScreenCTM().inverse());
    return [p.x, p.y];
  }
  function niceLength(target) {
    var power = Math.pow(10, Math.floor(Math.log10(target)));
    var best = power;
    [1, 2, 5].forEach(function (step) { if (step * power <= target) { best = step * power; } });
    return best;
  }
  function show() {
    svg.setAttribute("viewBox", view.join(" "));
    svg.style.setProperty("--k", String(view[2] / home[2]));
    var mpp = metresPerPixel();
    var length = niceLength(mpp * 120);
    scaleBar.style.width = (length / mpp) + "px";
    scaleLabel.textContent = length >= 1000 ? (length / 1000) + " km" : length + " m";
  }
  function zoom(factor, x, y) {
    var width = view[2] / factor;
    if (width < 50 || width > home[2] * 4) { return; }
    view = [x - (x - view[0]) / factor, y - (y - view[1]) / factor, width, view[3] / factor];
    show();
  }
  function zoomCentre(factor) { zoom(factor, view[0] + view[2] / 2, view[1] + view[3] / 2); }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var at = toMap(event.clientX, event.clientY);
    zoom(event.deltaY < 0 ? 1.25 : 0.8, at[0], at[1]);
  }, { passive: false });

  var drag = null;
  var dragged = false;
  svg.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, view: view.slice(), mpp: metresPerPixel() };
    dragged = false;
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    if (!dragged) { svg.setPointerCapture(event.pointerId); svg.classList.add("dragging"); }
    dragged = true;
    view = [drag.view[0] - dx * drag.mpp, drag.view[1] - dy * drag.mpp, view[2], view[3]];
    show();
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  function closePopup() { popup.hidden = true; }
  svg.addEventListener("click", function (event) {
    if (dragged) { dragged = false; return; }
    var feature = event.target.closest("[data-popup]");
    if (!feature) { closePopup(); return; }
    var table = popup.querySelector("table");
    table.textContent = "";
    JSON.parse(feature.getAttribute("data-popup")).forEach(function (row) {
      var tr = table.insertRow();
      var th = document.createElement("th");
      th.textContent = row[0];
      tr.appendChild(th);
      tr.insertCell().textContent = row[1];
    });
    var box = svg.getBoundingClientRect();
    popup.hidden = false;
    var left = Math.min(event.clientX - box.left + 12, box.width - popup.offsetWidth - 4);
    var top = Math.min(event.clientY - box.top + 12, box.height - popup.offsetHeight - 4);
    popup.style.left = Math.max(0, left) + "px";
    popup.style.top = Math.max(0, top) + "px";
  });
  document.getElementById("popup-close").addEventListener("click", closePopup);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closePopup(); }
  });

  document.getElementById("zoom-in").addEventListener("click", function () { zoomCentre(1.5); });
  document.getElementById("zoom-out").addEventListener("click", function () {
    zoomCentre(1 / 1.5);
  });
  document.getElementById("zoom-home").addEventListener("click", function () {
    view = home.slice();
    show();
  });

  document.querySelectorAll(".toggle-scenario").forEach(function (box) {
    box.addEventListener("change", function () {
      document.getElementById("scenario-" + box.dataset.index).style.display =
        box.checked ? "" : "none";
    });
  });
  document.querySelectorAll(".toggle-vehicle").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll(".vt-" + box.dataset.index).forEach(function (group) {
        group.style.display = box.checked ? "" : "none";
      });
    });
  });
  window.addEventListener("resize", show);
  show();
})();
"""

_PAGE = Template("""<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
html, body { margin: 0; height: 100%; font: 13px/1.35 system-ui, sans-serif; color: #222; }
body { display: flex; }
aside { width: 320px; flex: none; overflow-y: auto; padding: 10px 14px; box-sizing: border-box;
        border-right: 1px solid #ccc; background: #fafafa; }
aside h1 { font-size: 16px; margin: 0 0 6px; }
aside h2 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; color: #555; }
aside label { display: block; cursor: pointer; margin: 2px 0; }
.scenario-entry { margin-bottom: 8px; }
.note, .hint { color: #555; font-size: 12px; }
.kpis { border-collapse: collapse; font-size: 12px; margin: 2px 0 0 22px; }
.kpis caption { text-align: left; color: #555; }
.kpis th { text-align: left; font-weight: normal; padding-right: 8px; }
.kpis td { text-align: right; }
.swatch { display: inline-block; width: 18px; height: 4px; margin: 0 6px 3px 2px;
          vertical-align: middle; }
.key { display: flex; align-items: center; gap: 6px; }
main { position: relative; flex: 1; overflow: hidden; background: $sea_colour; }
#map { width: 100%; height: 100%; display: block; cursor: grab; touch-action: none;
       user-select: none; }
#map.dragging { cursor: grabbing; }
#zones path { fill: $zone_fill; stroke: $zone_edge; stroke-width: 1px;
              vector-effect: non-scaling-stroke; }
.route { fill: none; stroke-width: 2px; stroke-opacity: 0.85; vector-effect: non-scaling-stroke;
         cursor: pointer; }
.route:hover { stroke-width: 4px; stroke-opacity: 1; }
.route.supplier { stroke-dasharray: 6 3; }
.place { font-style: italic; font-family: sans-serif; fill: $place_colour; text-anchor: middle;
         pointer-events: none; }
.closed, .closure_area { fill: none; stroke: $closed_colour; vector-effect: non-scaling-stroke;
                         cursor: pointer; }
.closed { stroke-width: 5px; }
.closure_area { stroke-width: 2.5px; stroke-dasharray: 8 4; }
.mk { transform: scale(var(--k, 1)); cursor: pointer; }
.unit { fill: #ffffff; fill-opacity: 0.85; stroke: #333; stroke-width: 1px;
        vector-effect: non-scaling-stroke; }
.unit.unserved { fill: #fde0e0; }
.cross { stroke: $unserved_colour; stroke-width: 2.5px; vector-effect: non-scaling-stroke; }
.depot { fill: $depot_colour; stroke: #000; stroke-width: 1px; vector-effect: non-scaling-stroke; }
.hub { fill: $hub_colour; stroke: #fff; stroke-width: 1px; vector-effect: non-scaling-stroke; }
.controls { position: absolute; top: 10px; left: 10px; display: flex; flex-direction: column;
            gap: 4px; }
.controls button { width: 32px; height: 32px; font-size: 18px; cursor: pointer; }
#north { position: absolute; top: 10px; right: 14px; width: 30px; text-align: center;
         font-weight: bold; }
#north svg { transform: rotate(${north_deg}deg); }
#north-note { position: absolute; top: 62px; right: 6px; font-size: 10px; text-align: right;
              background: #ffffffcc; padding: 1px 3px; }
#scale { position: absolute; left: 10px; bottom: 52px; background: #ffffffcc; padding: 2px 4px; }
#scale-bar { height: 5px; background: #000; }
#attribution { position: absolute; left: 0; right: 0; bottom: 0; padding: 3px 8px;
               font-size: 11px; color: #444; background: #ffffffdd; }
#popup { position: absolute; max-width: 360px; background: #fff; border: 1px solid #888;
         box-shadow: 0 2px 6px #0004; padding: 6px 26px 6px 8px; font-size: 12px; }
#popup th { text-align: left; font-weight: normal; color: #555; padding-right: 8px;
            vertical-align: top; }
#popup-close { position: absolute; top: 2px; right: 2px; border: none; background: none;
               font-size: 16px; cursor: pointer; }
</style>
</head>
<body>
<aside>
<h1>$title</h1>
<p class="hint">$hint</p>
<h2>$scenarios</h2>
$scenario_panel
<h2>$vehicle_types</h2>
$vehicle_panel
<h2>$legend</h2>
$legend_keys
</aside>
<main>
<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="$view_box" role="img"
     aria-label="$title">
<g id="zones">$zones</g>
<g id="places" font-size="$place_size">$places</g>
$scenario_groups
</svg>
<div class="controls">
<button type="button" id="zoom-in" title="$zoom_in" aria-label="$zoom_in">+</button>
<button type="button" id="zoom-out" title="$zoom_out" aria-label="$zoom_out">&#8722;</button>
<button type="button" id="zoom-home" title="$whole_map" aria-label="$whole_map">&#8962;</button>
</div>
<div id="north"><svg width="20" height="34" viewBox="0 0 20 34"><path d="M10 0L18 22H2Z"
 fill="#000"/><path d="M10 22V34" stroke="#000" stroke-width="2"/></svg><div>$north</div></div>
<div id="north-note">$north_beside</div>
<div id="scale"><div id="scale-bar"></div><span id="scale-label"></span></div>
<div id="attribution">$attribution</div>
<div id="popup" hidden><button type="button" id="popup-close" title="$close"
 aria-label="$close">&#215;</button><table></table></div>
</main>
<script>""" + _SCRIPT + """</script>
</body>
</html>
""")
