"""Static maps of result folders for decision documents, drawn offline.

Each map is drawn in EPSG:25833 (ETRS89 / UTM zone 33N, the projection Bergen is
usually drawn in) from a folder's ``layers.gpkg``: routes coloured by vehicle type, the
hubs used, supplier depots, units as circles with area proportional to their demand,
unserved units as red crosses. The suppliers' legs (direct deliveries and trips to the
hub) are dashed, the municipality's (from the hub, and collections) solid, and the
legend names each vehicle type in the reader's language. Bergen's delområder
(``data/bergen/zones.geojson``) are the land, the rest of the frame the sea, and each
zone's place name is written on it. A scale bar, an arrow to true north with its angle
written beside it (about 8.4° clockwise from the grid's up at Bergen, which lies west of
zone 33's central meridian: the meridian convergence) and the data attribution go on
every map. A scenario with disruptions also gets a disruption map: its routes faded,
the closed roads in a heavy dark line (dashed: a closure area not applied, on crow-fly
travel, said so below the map) and the units left with deliveries not made named with
the numbers of their reasons, spelt out below the map. Every text a map draws is English
or bokmål from :mod:`logistics.outputs.locale` (``map.*`` keys); the sources' names stay
as they are. Figures are :class:`matplotlib.figure.Figure` objects on the Agg canvas, so
no pyplot state is touched.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib as mpl
import pyogrio
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from pydantic import TypeAdapter, ValidationError
from pyproj import Transformer
from shapely.geometry import box

from logistics.analysis.compare import baseline_name
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.outputs.gis import (
    CLOSED_LINK_COLUMNS,
    CROW_FLY_KIND,
    CRS,
    GPKG_FILE,
    ROAD_GAP_KIND,
    ROAD_KIND,
    UNSERVED_UNIT_COLUMNS,
)
from logistics.outputs.locale import LIST_SEPARATOR, Locale, locale_for, vehicle_names
from logistics.paths import DATASET_DIR
from logistics.pipeline.result import RESULT_FILE, ResultDocument, read_summary
from logistics.scenarios.disruptions import Disruption

MAP_CRS = "EPSG:25833"
MAP_CRS_LABEL = "ETRS89 / UTM 33N (EPSG:25833)"
ZONES_FILE = DATASET_DIR / "zones.geojson"
FORMATS = ("png", "svg", "pdf")
DPI = 300
SINGLE_SIZE_IN = (8.0, 7.0)
PAIR_SIZE_IN = (14.0, 7.0)
MARGIN_SHARE = 0.06
"""Blank border around the drawn features, as a share of the larger side."""
MAX_UNIT_AREA_PT2 = 260.0
"""Marker area (points²) of the unit with the most demand on the maps drawn together."""
ZONE_FILL, ZONE_EDGE = "#efece4", "#ffffff"
"""Land: the zones' fill and the lines between them."""
SEA_COLOUR = "#cfe3f0"
"""The frame outside the zones."""
PLACE_COLOUR = "#6b6b6b"
SUPPLIER_KINDS = ("direct", "trunk")
"""Route kinds driven by the suppliers' vehicles (dashed); the others (``distribution``,
``collection``) are the municipality's (solid)."""
SUPPLIER_DASHES = (0, (4.0, 2.0))
LEGEND_WRAP = 34
"""Characters of a legend line; longer labels wrap."""
UNSERVED_COLOUR = "#d62728"
UNITS_SOURCE = "Udir Barnehagefakta (NLOD 2.0), Bergen kommune"
ZONES_SOURCE = "© Kartverket / Statistisk sentralbyrå (CC BY 4.0), via Starefossen/bergis"
CLOSED_COLOUR = "#1a1a1a"
DISRUPTION_SUFFIX = "disruption"
"""Disruption maps are ``maps/<scenario>-disruption.*``."""
OPTIONAL_LAYERS = {"unserved_units": UNSERVED_UNIT_COLUMNS, "closed_links": CLOSED_LINK_COLUMNS}
"""Layers result folders written before they existed lack (read as empty)."""
_VEHICLE_COLOURS = mpl.colormaps["tab10"]
VEHICLE_COLOUR_COUNT = 10
"""Distinct colours of the ``tab10`` map; more vehicle types than that repeat them."""
_NICE_STEPS = (1, 2, 5)
Colour = tuple[float, float, float, float]


@dataclass(frozen=True)
class ScenarioLayers:
    """The layers of one result folder a map draws, in :data:`MAP_CRS`."""

    scenario: str
    units: gpd.GeoDataFrame
    hubs: gpd.GeoDataFrame
    depots: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    unserved: gpd.GeoDataFrame
    closed_links: gpd.GeoDataFrame
    summary: ResultDocument
    """``result.json`` of the folder (KPIs, notes, the scenario)."""
    disruptions: tuple[Disruption, ...]
    """The scenario's disruptions, in scenario order."""

    def disruption_names(self, locale: Locale) -> dict[str, str]:
        """Each disruption's name in the result files (its label, or its type and days)
        -> its name in ``locale``'s language (the label, or the type and days in words)."""
        return {d.name(): d.label or locale.text(
                    "disruption.unlabelled", kind=locale.name("disruption", d.type),
                    days=locale.weekdays(LIST_SEPARATOR.join(d.days))
                    or locale.text("webmap.every_day"))
                for d in self.disruptions}

    @property
    def geometry_kinds(self) -> set[str]:
        """How the route lines were drawn (``geometry_kind`` of the routes layer)."""
        return set(self.routes["geometry_kind"])

    @property
    def on_roads(self) -> bool:
        """Whether some route follows the road network (so OpenStreetMap is credited)."""
        return bool(self.geometry_kinds & {ROAD_KIND, ROAD_GAP_KIND})

    def note(self, locale: Locale) -> str:
        """What the route lines are, for the title: empty when they follow roads."""
        if CROW_FLY_KIND in self.geometry_kinds:
            return locale.text("map.crow_fly")
        return locale.text("map.road_gap") if ROAD_GAP_KIND in self.geometry_kinds else ""


_DISRUPTION_LIST = TypeAdapter(list[Disruption])


def read_each_layers(folders: Sequence[Path], scenarios: Sequence[str],
                     problems: ProblemCollector) -> list[ScenarioLayers]:
    """:func:`read_layers` of each result folder and its scenario; the problems of a
    folder that cannot be read go into ``problems`` and it is left out."""
    layers: list[ScenarioLayers] = []
    for folder, scenario in zip(folders, scenarios, strict=False):
        with problems.collecting():
            layers.append(read_layers(folder, scenario))
    return layers


def read_layers(folder: Path, scenario: str) -> ScenarioLayers:
    """The map layers and ``result.json`` of a result folder; a folder without readable
    ``layers.gpkg`` or ``result.json`` is an input problem."""
    path = folder / GPKG_FILE
    allowed = "a result folder written by 'logistics run' or 'demo' (with GIS layers)"
    if not path.is_file():
        raise InputError([Problem(str(folder), "", GPKG_FILE, "missing", allowed)])
    summary = read_summary(folder)
    try:
        present = {str(name) for name, _ in pyogrio.list_layers(path)}
        frames = {name: gpd.read_file(path, layer=name).to_crs(MAP_CRS)
                  for name in ("units", "hubs", "depots", "routes", *OPTIONAL_LAYERS)
                  if name in present or name not in OPTIONAL_LAYERS}
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise InputError([Problem(str(path), "", "layers", str(error), allowed)]) from None
    for name, columns in OPTIONAL_LAYERS.items():
        frames.setdefault(name, gpd.GeoDataFrame(columns=list(columns), geometry=[],
                                                 crs=CRS).to_crs(MAP_CRS))
    hubs = frames["hubs"]
    return ScenarioLayers(scenario, frames["units"], hubs[hubs["used"].astype(bool)],
                          frames["depots"], frames["routes"], frames["unserved_units"],
                          frames["closed_links"], summary, _disruptions(folder, summary))


def _disruptions(folder: Path, summary: ResultDocument) -> tuple[Disruption, ...]:
    entries = summary.get("scenario_spec", {}).get("disruptions", [])
    try:
        return tuple(_DISRUPTION_LIST.validate_python(entries))
    except ValidationError as error:
        raise InputError([Problem(str(folder / RESULT_FILE), "", "scenario_spec.disruptions",
                                  f"{error.error_count()} invalid entries",
                                  "disruptions as a scenario file lists them")]) from None


def load_zones() -> gpd.GeoDataFrame:
    """Bergen's delområder (the map background), in :data:`MAP_CRS`."""
    return gpd.read_file(ZONES_FILE).to_crs(MAP_CRS)


def write_maps(folders: Sequence[Path], scenarios: Sequence[str], baseline: str | None,
               out_dir: Path, lang: str = "en") -> list[Path]:
    """Write ``maps/<scenario>.*`` for each folder and ``maps/<baseline>-vs-<other>.*``
    for every other scenario into ``out_dir``, their texts in ``lang``; returns the files
    written. ``scenarios`` names the folders' scenarios; ``baseline`` defaults to the
    first."""
    problems = ProblemCollector()
    locale = problems.attempt(lambda: locale_for(lang)) or Locale("en")
    repeated = sorted({s for s in scenarios if scenarios.count(s) > 1})
    if repeated:
        problems.add("RESULT_DIR", "", "scenario", repeated, "one result folder per scenario")
    base = problems.attempt(lambda: baseline_name(scenarios, baseline)) or scenarios[0]
    for_each = read_each_layers(folders, scenarios, problems)
    problems.raise_if_any()
    zones = load_zones()
    style = _Style(vehicle_colours(for_each), largest_demand_kg(for_each), locale,
                   vehicle_names(locale))
    maps_dir = out_dir / "maps"
    maps_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for layers in for_each:
        written += _save(_figure([layers], zones, style, layers.scenario),
                         maps_dir / layers.scenario)
    base_layers = for_each[list(scenarios).index(base)]
    for layers in for_each:
        if layers is not base_layers:
            title = locale.text("map.pair_title", baseline=base, scenario=layers.scenario)
            written += _save(_figure([base_layers, layers], zones, style, title),
                             maps_dir / f"{base}-vs-{layers.scenario}")
    for layers in for_each:
        if layers.disruptions:
            written += _save(_disruption_figure(layers, zones, style),
                             maps_dir / f"{layers.scenario}-{DISRUPTION_SUFFIX}")
    return written


def largest_demand_kg(panels: Sequence[ScenarioLayers]) -> float:
    """The weekly demand of the largest unit of any panel (1 kg when none has units)."""
    return max([float(p.units["demand_kg_per_week"].max()) for p in panels if len(p.units)]
               + [1.0])


@dataclass(frozen=True)
class _Style:
    """What every map of one report shares, so maps compare: a colour per vehicle type,
    the demand of the largest circle and the language."""

    colours: dict[str, Colour]
    max_kg: float
    locale: Locale
    vehicle_names: dict[str, str]
    """Vehicle type id -> its name in the language (the id where the catalogue lacks it)."""


def _figure(panels: Sequence[ScenarioLayers], zones: gpd.GeoDataFrame, style: _Style,
            title: str) -> Figure:
    """One map per panel side by side on the same extent, with one legend; ``title``
    heads a figure of several panels."""
    figure, axes, shown, colours = _canvas(panels, zones, style, map_extent(panels))
    for ax, layers in zip(axes, panels, strict=True):
        ax.set_title(_titled(layers.scenario, layers.note(style.locale)),
                     fontsize=12 if len(panels) == 1 else 10)
    if len(panels) > 1:
        figure.suptitle(title, fontsize=13)
    handles = _legend_handles(colours, style, any(len(p.hubs) for p in panels))
    _legend(figure, handles)
    figure.supxlabel(attribution(panels, not shown.empty, style.locale), fontsize=6.5,
                     color="#444444")
    return figure


def _canvas(panels: Sequence[ScenarioLayers], zones: gpd.GeoDataFrame, style: _Style,
            extent: tuple[float, float, float, float], disruption: bool = False
            ) -> tuple[Figure, list[Axes], gpd.GeoDataFrame, dict[str, Colour]]:
    """A figure with each panel's map drawn on ``extent`` (as a disruption map when
    ``disruption``); returns it, its axes, the zones shown and the colours of the
    vehicle types drawn."""
    figure = Figure(figsize=SINGLE_SIZE_IN if len(panels) == 1 else PAIR_SIZE_IN,
                    layout="constrained")
    FigureCanvasAgg(figure)
    shown = zones[zones.intersects(box(*extent))]
    drawn_types = {str(t) for p in panels for t in p.routes["vehicle_type"]}
    colours = {t: c for t, c in style.colours.items() if t in drawn_types}
    axes = list(figure.subplots(1, len(panels), squeeze=False)[0])
    for ax, layers in zip(axes, panels, strict=True):
        _draw(ax, layers, shown, extent, colours, style, disruption)
    return figure, axes, shown, colours


def _disruption_figure(layers: ScenarioLayers, zones: gpd.GeoDataFrame,
                       style: _Style) -> Figure:
    """One scenario's disruption map, its disruptions in the title and the result's
    notes on what was not applied above the attribution."""
    extent = map_extent([layers], with_closures=True)
    figure, (ax,), shown, colours = _canvas([layers], zones, style, extent, disruption=True)
    locale = style.locale
    names = layers.disruption_names(locale)
    ax.set_title(_titled(locale.text("map.disruption_title", scenario=layers.scenario),
                         "; ".join(names.values())), fontsize=12)
    applied = layers.closed_links["applied"].astype(bool)
    handles = _legend_handles(colours, style, bool(len(layers.hubs)))
    if applied.any():
        handles.insert(0, Line2D([], [], color=CLOSED_COLOUR, linewidth=3.2,
                                 label=locale.text("map.closed")))
    if (~applied).any():
        handles.insert(0, Line2D([], [], color=CLOSED_COLOUR, linewidth=2.0, linestyle="--",
                                 label=locale.text("map.closure_area")))
    _legend(figure, handles)
    not_applied = dict.fromkeys(names.get(str(name), str(name)) for name in
                                layers.closed_links.loc[~applied, "disruption"])
    numbers = _reason_numbers(layers)
    reasons = ([locale.text("map.reasons", items="; ".join(
        f"({number}) {locale.name('reason', code)}" for code, number in numbers.items()))]
        if numbers else [])
    footer = "\n".join([*reasons,
                        *(locale.text("map.not_applied", name=name) for name in not_applied),
                        attribution([layers], not shown.empty, locale)])
    figure.supxlabel(footer, fontsize=6.5, color="#444444")
    return figure


def _legend(figure: Figure, handles: list[Artist]) -> None:
    """The legend right of the maps, long labels wrapped."""
    for handle in handles:
        handle.set_label(textwrap.fill(str(handle.get_label()), LEGEND_WRAP,
                                       break_on_hyphens=False))
    figure.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False)


def _reason_numbers(layers: ScenarioLayers) -> dict[str, int]:
    """Each reason of the unserved units, numbered from 1 in order of first mention."""
    codes = [code for reasons in layers.unserved["reasons"]
             for code in str(reasons).split(LIST_SEPARATOR) if code]
    return {code: number for number, code in enumerate(dict.fromkeys(codes), start=1)}


def _draw_closures(ax: Axes, layers: ScenarioLayers) -> None:
    """Closed roads heavy, closure areas not applied dashed, and the unserved units
    named with the numbers of their reasons (spelt out below the map)."""
    closed = layers.closed_links
    applied = closed["applied"].astype(bool)
    if applied.any():
        closed[applied].plot(ax=ax, color=CLOSED_COLOUR, linewidth=3.2, zorder=7)
    if (~applied).any():
        closed[~applied].plot(ax=ax, color=CLOSED_COLOUR, linewidth=2.0, linestyle="--",
                              zorder=7)
    numbers = _reason_numbers(layers)
    for unit in layers.unserved.itertuples():
        marks = ", ".join(str(numbers[code]) for code in str(unit.reasons).split(LIST_SEPARATOR)
                          if code)
        ax.annotate(f"{unit.name} ({marks})",
                    (unit.geometry.x, unit.geometry.y), xytext=(6, 6),
                    textcoords="offset points", fontsize=6.5, color=UNSERVED_COLOUR,
                    zorder=8)


def _titled(name: str, note: str) -> str:
    return f"{name}\n{note}" if note else name


def map_extent(panels: Sequence[ScenarioLayers],
               with_closures: bool = False) -> tuple[float, float, float, float]:
    """The bounds of every feature drawn (a study always has units; closed links only
    ``with_closures``), with a margin, squared a little so thin layouts stay readable."""
    frames = [f for p in panels for f in (p.units, p.hubs, p.depots, p.routes,
                                          *([p.closed_links] if with_closures else []))
              if len(f)]
    bounds = [f.total_bounds for f in frames]
    x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
    x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
    side_m = max(x1 - x0, y1 - y0, 1000.0)
    pad_x = MARGIN_SHARE * side_m + max(0.0, 0.6 * side_m - (x1 - x0)) / 2
    pad_y = MARGIN_SHARE * side_m + max(0.0, 0.6 * side_m - (y1 - y0)) / 2
    return x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y


def vehicle_colours(panels: Sequence[ScenarioLayers]) -> dict[str, Colour]:
    """One colour per vehicle type, the same on every map of the report."""
    types = sorted({str(t) for p in panels for t in p.routes["vehicle_type"]})
    return {t: _VEHICLE_COLOURS(i % VEHICLE_COLOUR_COUNT) for i, t in enumerate(types)}


def unit_area_share(demand_kg: float, max_kg: float) -> float:
    """A unit's marker area as a share of the largest unit's (at least a small dot)."""
    return max(6.0 / MAX_UNIT_AREA_PT2, demand_kg / max_kg)


def _unit_area_pt2(demand_kg: float, max_kg: float) -> float:
    return MAX_UNIT_AREA_PT2 * unit_area_share(demand_kg, max_kg)


def _draw(ax: Axes, layers: ScenarioLayers, zones: gpd.GeoDataFrame,
          extent: tuple[float, float, float, float], colours: dict[str, Colour],
          style: _Style, disruption: bool = False) -> None:
    """One scenario's map on ``ax``; on a ``disruption`` map the routes are thin and
    pale under the closures and the named unserved units."""
    ax.set_facecolor(SEA_COLOUR)
    if not zones.empty:
        zones.plot(ax=ax, color=ZONE_FILL, edgecolor=ZONE_EDGE, linewidth=0.6, zorder=0)
        _place_names(ax, zones, extent)
    supplier = layers.routes["kind"].isin(SUPPLIER_KINDS).rename("supplier")
    for (vehicle_type, by_supplier), routes in layers.routes.groupby(
            [layers.routes["vehicle_type"], supplier]):
        # one merged line per group: a leg driven there and back, or on several days,
        # would otherwise fill its own dashes in
        merged = gpd.GeoSeries([routes.geometry.union_all()], crs=routes.crs)
        merged.plot(ax=ax, color=colours[str(vehicle_type)],
                    linewidth=0.7 if disruption else 1.1, alpha=0.3 if disruption else 0.85,
                    linestyle=SUPPLIER_DASHES if by_supplier else "-", zorder=2)
    if disruption:
        _draw_closures(ax, layers)
    units = layers.units
    if len(units):
        ax.scatter(units.geometry.x, units.geometry.y, zorder=3,
                   s=[_unit_area_pt2(kg, style.max_kg) for kg in units["demand_kg_per_week"]],
                   facecolor="#ffffffcc", edgecolor="#333333", linewidth=0.6)
        missed = units[~units["served"].astype(bool)]
        ax.scatter(missed.geometry.x, missed.geometry.y, marker="x", s=45, linewidth=1.6,
                   color=UNSERVED_COLOUR, zorder=4)
    ax.scatter(layers.depots.geometry.x, layers.depots.geometry.y, marker="^", s=60,
               facecolor="#8c564b", edgecolor="black", linewidth=0.6, zorder=5)
    ax.scatter(layers.hubs.geometry.x, layers.hubs.geometry.y, marker="s", s=90,
               facecolor="black", edgecolor="white", linewidth=0.8, zorder=6)
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    _scale_bar(ax, x1 - x0, style.locale)
    _north_arrow(ax, extent, style.locale)


def _place_names(ax: Axes, zones: gpd.GeoDataFrame,
                 extent: tuple[float, float, float, float]) -> None:
    """Each zone's place name at its representative point, where that lies on the map."""
    x0, y0, x1, y1 = extent
    for zone in zones.itertuples():
        name = str(zone.name or "")
        point = zone.geometry.representative_point()
        if name and x0 < point.x < x1 and y0 < point.y < y1:
            ax.text(point.x, point.y, name, fontsize=6.5, fontstyle="italic",
                    color=PLACE_COLOUR, ha="center", va="center", zorder=1, clip_on=True)


def _scale_bar(ax: Axes, width_m: float, locale: Locale) -> None:
    """A bar of a round number of km, about a fifth of the map's width."""
    length_km = nice_step(width_m / 5 / 1000)
    label = locale.text("map.scale", length=step_text(length_km, locale))
    ax.add_artist(AnchoredSizeBar(ax.transData, length_km * 1000, label, "lower left",
                                  pad=0.6, borderpad=0.8, sep=3, size_vertical=width_m / 250,
                                  frameon=True, fontproperties={"size": 8}))


def nice_step(target: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``target`` (at least 0.001)."""
    target = max(target, 1e-3)
    power = 10.0 ** math.floor(math.log10(target))
    return max(step * power for step in _NICE_STEPS if step * power <= target)


def step_text(step: float, locale: Locale) -> str:
    """A :func:`nice_step` written in ``locale``'s style with the decimals it needs."""
    return locale.number(step, max(0, -math.floor(math.log10(step))))


def true_north_rad(extent: tuple[float, float, float, float]) -> float:
    """The direction of true north at the extent's centre, clockwise from the grid's up
    (grid north differs in UTM)."""
    x0, y0, x1, y1 = extent
    to_lonlat = Transformer.from_crs(MAP_CRS, "EPSG:4326", always_xy=True)
    to_map = Transformer.from_crs("EPSG:4326", MAP_CRS, always_xy=True)
    lon, lat = to_lonlat.transform((x0 + x1) / 2, (y0 + y1) / 2)
    ax_, ay_ = to_map.transform(lon, lat)
    bx, by = to_map.transform(lon, lat + 0.01)
    return math.atan2(bx - ax_, by - ay_)


def _north_arrow(ax: Axes, extent: tuple[float, float, float, float],
                 locale: Locale) -> None:
    """An arrow to true north at the map's centre, its angle from the grid's up written
    below it."""
    angle = true_north_rad(extent)
    base_x, base_y, length = 0.93, 0.80, 0.12
    tip = (base_x + length * math.sin(angle), base_y + length * math.cos(angle))
    ax.annotate("", xy=tip, xytext=(base_x, base_y), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>,head_width=0.4,head_length=0.8",
                            "color": "black", "linewidth": 1.4})
    ax.text(tip[0], tip[1] + 0.015, locale.text("map.north"), transform=ax.transAxes,
            ha="center", va="bottom", fontsize=11, fontweight="bold")
    ax.text(base_x, base_y - 0.02, locale.text("map.north_beside", angle=locale.number(
                math.degrees(angle), 1)), transform=ax.transAxes, ha="center", va="top",
            fontsize=6, linespacing=1.1,
            bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.5})


def _legend_handles(colours: dict[str, Colour], style: _Style,
                    hubs: bool) -> list[Artist]:
    """Vehicle types, sites, the unit size key and the unserved mark."""
    locale, max_kg = style.locale, style.max_kg
    handles: list[Artist] = [
        Line2D([], [], color=c, linewidth=2, label=style.vehicle_names.get(t, t))
        for t, c in colours.items()]
    handles += [Line2D([], [], color="#444444", linewidth=1.4, linestyle=SUPPLIER_DASHES,
                       label=locale.text("map.legs_supplier")),
                Line2D([], [], color="#444444", linewidth=1.4,
                       label=locale.text("map.legs_municipal"))]
    if hubs:
        handles.append(Line2D([], [], marker="s", linestyle="", markersize=8,
                              markerfacecolor="black", markeredgecolor="white",
                              label=locale.text("map.hub")))
    handles.append(Line2D([], [], marker="^", linestyle="", markersize=8,
                          markerfacecolor="#8c564b", markeredgecolor="black",
                          label=locale.text("map.depot")))
    for kg in sorted({nice_step(max_kg), nice_step(max_kg / 4)}):
        handles.append(Line2D([], [], marker="o", linestyle="",
                              markersize=math.sqrt(_unit_area_pt2(kg, max_kg)),
                              markerfacecolor="white", markeredgecolor="#333333",
                              label=locale.text("map.unit_size", kg=step_text(kg, locale))))
    handles.append(Line2D([], [], marker="x", linestyle="", markersize=7,
                          markeredgewidth=1.6, color=UNSERVED_COLOUR,
                          label=locale.text("map.unserved")))
    handles += [Patch(facecolor=ZONE_FILL, edgecolor="#999999", label=locale.text("map.land")),
                Patch(facecolor=SEA_COLOUR, edgecolor="#999999", label=locale.text("map.sea"))]
    return handles


def attribution(panels: Sequence[ScenarioLayers], zones_shown: bool, locale: Locale) -> str:
    """Sources and licences of what is drawn, and the projection (two lines), the
    connecting words in ``locale``'s language."""
    first = [locale.text("map.units_credit", source=UNITS_SOURCE),
             *([locale.text("map.zones_credit", source=ZONES_SOURCE)]
               if zones_shown else [])]
    second = [*([locale.text("map.osm_credit")] if any(p.on_roads for p in panels) else []),
              locale.text("map.illustrative"),
              locale.text("map.projection", crs=MAP_CRS_LABEL)]
    return f"{' '.join(first)}\n{' '.join(second)}"


def _save(figure: Figure, stem: Path) -> list[Path]:
    """``stem`` as PNG (300 dpi), SVG (text kept as text) and PDF."""
    paths = [stem.with_name(f"{stem.name}.{fmt}") for fmt in FORMATS]
    with mpl.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        for path in paths:
            figure.savefig(path, dpi=DPI, facecolor="white")
    return paths
