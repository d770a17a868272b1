"""A GENERATED municipality: a complete, made-up study folder for scale benchmarks.

Nothing in it is real. Delivery points (kindergartens, schools, nursing homes) sit in
clusters around a few made-up town centres; suppliers sit in made-up logistics areas
and each is the main supplier of one product line (a category of its own, as on a
framework agreement with many specialist suppliers); one hub candidate sits near the
units' centroid. Coordinates lie in western Norway only so that every distance is of a
plausible size; the folder is never Bergen's and every name says "Generated".

Besides the files :func:`~logistics.model.dataset.load_dataset` reads, the folder holds
``orders.csv``: each unit buys every base category (dry food, chilled food, ...) from
one of that category's lines, so a unit has a handful of suppliers, not all of them.
Scenarios on the folder name it as ``orders_file``; the demand model alone would order
every line at every unit. Demand rates per child and pupil are the shipped study's
assumptions; the rates per nursing-home bed are assumptions of this generator.

Same sizes and seed -> byte-identical files (``numpy.random.default_rng``).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from logistics.model.dataset import UNIT_WEEKS_FILE, load_dataset
from logistics.model.domain import (
    Category,
    DemandRate,
    StockDays,
    TemperatureClass,
    UnitType,
    VehicleType,
)
from logistics.paths import DATASET_DIR

DEFAULT_UNITS = 1100
DEFAULT_SUPPLIERS = 300
"""The size of Oslo's inventory of delivery points and suppliers."""
DEFAULT_SEED = 14083
DEFAULT_TOWNS = 6

CENTRE_LON, CENTRE_LAT = 5.45, 60.40
"""The made-up municipality's centre (western Norway, so distances are plausible)."""
KM_PER_DEGREE_LAT = 111.32
LINE_SEPARATOR = "-"
"""Product-line ids are ``<base category><separator><number>``, e.g. ``dry_food-007``."""
WEEKDAYS_PLANNED = 5
STOPS_PER_ROUTE = 12
"""Assumption for fleet sizing: stops one vehicle of a supplier makes in a day."""
FLEET_MARGIN = 1.5
"""Vehicles per supplier = this margin x what an average day needs (days are uneven)."""
BIG_SUPPLIER_VAN_LOADS = 2.0
"""A supplier whose average day exceeds this many van loads also runs a rigid truck."""

UNIT_SHARES = {UnitType.KINDERGARTEN: 0.55, UnitType.SCHOOL: 0.30, UnitType.NURSING_HOME: 0.15}


@dataclass(frozen=True)
class UnitKind:
    """How generated units of one type look: id prefix, size (lognormal median and
    clip range), receiving window and fixed service time."""

    prefix: str
    label: str
    size_median: float
    size_range: tuple[int, int]
    size_basis: str
    time_windows: str
    service_time_s: int


UNIT_KINDS = {
    UnitType.KINDERGARTEN: UnitKind("kg", "kindergarten", 60, (15, 180),
                                    "generated_children", "07:30-14:00", 300),
    UnitType.SCHOOL: UnitKind("school", "school", 330, (60, 800),
                              "generated_pupils", "08:00-14:30", 420),
    UnitType.NURSING_HOME: UnitKind("nh", "nursing home", 50, (15, 140),
                                    "generated_beds", "07:00-15:00", 420),
}
SIZE_SIGMA = 0.45
"""Spread of log(size) around the median (about a factor 1.6 either way)."""

NURSING_HOME_RATES = {
    # category: (kg per bed and week, deliveries per week today, stock days)
    "dry_food": (1.0, 1, 10),
    "chilled_food": (2.5, 3, 3),
    "fruit_veg": (1.5, 3, 3),
    "bakery": (0.7, 3, 2),
    "consumables_cleaning": (1.5, 1, 15),
    "office_school_supplies": (0.02, 1, 20),
    "medical_consumables": (1.0, 1, 10),
}
"""Assumptions of this generator: full board (three meals and snacks) for every
resident; incontinence products and gloves counted as medical consumables."""

LINE_WEIGHTS = {"dry_food": 5, "chilled_food": 4, "fruit_veg": 2.5, "bakery": 3.5,
                "consumables_cleaning": 5, "office_school_supplies": 6,
                "medical_consumables": 4}
"""How the suppliers split over the base categories (assumption: many specialist
suppliers of office goods and consumables, few of fruit and vegetables)."""

DEPOT_HOURS = {TemperatureClass.AMBIENT: "06:00-16:00", TemperatureClass.CHILLED: "05:00-15:00",
               TemperatureClass.FROZEN: "05:00-15:00"}
VEHICLES = {  # temperature class -> (van, alternative van, rigid truck)
    TemperatureClass.AMBIENT: ("van-diesel", "e-van", "rigid-diesel-16t"),
    TemperatureClass.CHILLED: ("van-diesel-chilled", "e-van-chilled",
                               "rigid-diesel-16t-chilled"),
}
ELECTRIC_EVERY = 5
"""Every fifth supplier with a local depot runs electric vans (its alternative van)."""
LOGISTICS_AREAS = 4
REGIONAL_SHARE = 0.15
"""Share of suppliers with a regional depot 30-70 km out rather than a local area."""
REGIONAL_AREA = "Generated regional depot"
HUB_OPENING = "06:00-18:00"
HUB_HANDLING_COST_NOK_PER_KG = 0.30
HUB_CAPACITY_MARGIN = 1.5
"""Hub capacity = this margin x the average day's kg through it."""
HUB_FLOOR_M2_PER_DAILY_TONNE = 25.0
"""Floor area per tonne of daily capacity, as the Bergen hubs (assumption,
data/bergen/SOURCES.md); the fixed cost follows from it (data/factors/hub_costs.csv)."""
HUB_PRICE_YEAR = 2024


@dataclass(frozen=True)
class _Line:
    """A product line: a category of its own with one main supplier."""

    id: str
    base: Category
    number: int  # within its base category
    supplier_id: str


def generate_study(folder: Path, units: int = DEFAULT_UNITS,
                   suppliers: int = DEFAULT_SUPPLIERS, seed: int = DEFAULT_SEED,
                   towns: int = DEFAULT_TOWNS) -> Path:
    """Write a GENERATED municipality's study folder (and ``orders.csv``) to ``folder``."""
    base = load_dataset(DATASET_DIR)
    if suppliers < len(base.categories):
        raise ValueError(f"suppliers = {suppliers}: at least one per base category "
                         f"({len(base.categories)})")
    if units < 1 or towns < 1:
        raise ValueError("units and towns must be at least 1")
    rng = np.random.default_rng(seed)
    rates = _base_rates(base.demand_rates, base.stock_days)
    lines = _lines(base.categories, suppliers)
    unit_rows = _units(rng, units, towns)
    supplier_rows = _suppliers(rng, lines)
    order_rows = _orders(rng, unit_rows, lines, rates)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "units.csv", unit_rows)
    _write(folder / "suppliers.csv", supplier_rows)
    _write(folder / "categories.csv", [
        {"id": line.id, "name": f"Generated {line.base.name.lower()} line {line.number}",
         "name_nb": f"Generert {line.base.name_nb.lower()} linje {line.number}",
         "temperature_class": line.base.temperature_class.value} for line in lines])
    _write(folder / "demand_rates.csv", [
        {"unit_type": unit_type, "category": line.id, "kg_per_size_per_week": kg,
         "m3_per_kg": m3, "deliveries_per_week_today": times, "basis": "generated",
         "source": source}
        for line in lines for (unit_type, category), (kg, m3, times, _, source) in rates.items()
        if category == line.base.id])
    _write(folder / "stock_days.csv", [
        {"unit_type": unit_type, "category": line.id, "stock_days": days, "basis": "generated",
         "source": source}
        for line in lines for (unit_type, category), (_, _, _, days, source) in rates.items()
        if category == line.base.id])
    _write(folder / "supplier_fleets.csv",
           _fleets(order_rows, lines, supplier_rows, base.vehicle_types))
    _write(folder / "hubs.csv", [_hub(rng, unit_rows, order_rows)])
    _write(folder / UNIT_WEEKS_FILE, [
        {"unit_type": row.unit_type.value, "weeks_per_year": row.weeks_per_year,
         "source": f"as {DATASET_DIR.name}/{UNIT_WEEKS_FILE}: {row.source}"}
        for row in base.unit_weeks.values()])
    _write(folder / "orders.csv", order_rows)
    (folder / "README.md").write_text(
        f"# GENERATED municipality (made up, not a real place)\n\n"
        f"{len(unit_rows)} generated delivery points, {len(supplier_rows)} generated "
        f"suppliers with generated fleets and one generated hub candidate, from seed {seed} "
        f"(`benchmarks/generated_study.py`). Every name says Generated; suppliers and the "
        f"hub are flagged illustrative. For scale benchmarks only: no figure from this "
        f"folder describes any municipality.\n", encoding="utf-8")
    return folder


def lines_frequency_per_week(frequency_per_week: Mapping[str, int],
                             category_ids: Iterable[str]) -> dict[str, int]:
    """A frequency policy keyed by base category (``dry_food: 2``) carried over to the
    generated product lines of that category; temperature classes and ``default`` kept."""
    carried = {key: times for key, times in frequency_per_week.items()
               if key in {c.value for c in TemperatureClass} | {"default"}}
    for category_id in sorted(category_ids):
        base_id = category_id.rsplit(LINE_SEPARATOR, 1)[0]
        if base_id in frequency_per_week:
            carried[category_id] = frequency_per_week[base_id]
    return carried


_Rates = dict[tuple[str, str], tuple[float, float, int, float, str]]
"""(unit type, base category) -> (kg per size and week, m3 per kg, deliveries per week
today, stock days, source)."""


def _base_rates(demand_rates: Sequence[DemandRate], stock_days: Sequence[StockDays]) -> _Rates:
    """The shipped study's rates per child and pupil, and this generator's per bed."""
    stock = {(s.unit_type.value, s.category): s.stock_days for s in stock_days}
    rates: _Rates = {}
    m3_per_kg: dict[str, float] = {}
    for rate in demand_rates:
        key = (rate.unit_type.value, rate.category)
        m3_per_kg[rate.category] = rate.m3_per_kg
        rates[key] = (rate.kg_per_size_per_week, rate.m3_per_kg, rate.deliveries_per_week_today,
                      stock[key], "assumption of the shipped study for this unit type and "
                                  "base category")
    for category, (kg, times, days) in NURSING_HOME_RATES.items():
        rates[(UnitType.NURSING_HOME.value, category)] = (
            kg, m3_per_kg[category], times, days,
            "assumption of the generator (full board per bed)")
    return rates


def _lines(categories: Sequence[Category], suppliers: int) -> list[_Line]:
    """``suppliers`` product lines split over the base categories by :data:`LINE_WEIGHTS`
    (largest remainder, at least one line each)."""
    weights = np.array([LINE_WEIGHTS.get(c.id, 1.0) for c in categories])
    spare = suppliers - len(categories)
    shares = spare * weights / weights.sum()
    counts = 1 + np.floor(shares).astype(int)
    for index in np.argsort(-(shares - np.floor(shares)), kind="stable")[:suppliers
                                                                         - counts.sum()]:
        counts[index] += 1
    numbered = [(category, number) for category, count in zip(categories, counts, strict=True)
                for number in range(1, count + 1)]
    return [_Line(f"{category.id}{LINE_SEPARATOR}{number:03d}", category, number,
                  f"gen-sup-{index:03d}")
            for index, (category, number) in enumerate(numbered, start=1)]


def _offset(lon: float, lat: float, east_km: float, north_km: float) -> tuple[float, float]:
    """A position ``east_km``/``north_km`` away (flat-earth offset, fine at town scale)."""
    return (lon + east_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat))),
            lat + north_km / KM_PER_DEGREE_LAT)


def _polar_km(rng: np.random.Generator, low_km: float, high_km: float) -> tuple[float, float]:
    distance_km, bearing = rng.uniform(low_km, high_km), rng.uniform(0, 2 * math.pi)
    return distance_km * math.cos(bearing), distance_km * math.sin(bearing)


def _units(rng: np.random.Generator, count: int, towns: int) -> list[dict[str, Any]]:
    """Units clustered around ``towns`` town centres (the first at the centre, the
    largest); sizes lognormal around each type's median, clipped to its range."""
    centres = [(CENTRE_LON, CENTRE_LAT)] + [
        _offset(CENTRE_LON, CENTRE_LAT, *_polar_km(rng, 5.0, 20.0)) for _ in range(towns - 1)]
    weights = np.sort(rng.dirichlet(np.full(towns, 2.0)))[::-1]
    spread_km = 1.0 + 3.0 * weights / weights.max()
    town_of = rng.choice(towns, size=count, p=weights)
    types = list(UNIT_SHARES)
    type_of = rng.choice(len(types), size=count, p=list(UNIT_SHARES.values()))
    numbers: dict[UnitType, int] = defaultdict(int)
    rows = []
    for town, type_index in zip(town_of, type_of, strict=True):
        unit_type = types[type_index]
        kind = UNIT_KINDS[unit_type]
        numbers[unit_type] += 1
        east_km, north_km = rng.normal(0.0, spread_km[town], size=2)
        town_lon, town_lat = centres[town]
        lon, lat = _offset(town_lon, town_lat, east_km, north_km)
        size = int(np.clip(round(kind.size_median * math.exp(rng.normal(0.0, SIZE_SIGMA))),
                           *kind.size_range))
        rows.append({
            "id": f"gen-{kind.prefix}-{numbers[unit_type]:04d}",
            "name": f"Generated {kind.label} {numbers[unit_type]} (Generated town {town + 1})",
            "unit_type": unit_type.value, "size": size, "size_basis": kind.size_basis,
            "lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "district": f"Generated town {town + 1}",
            "time_windows": kind.time_windows, "service_time_s": kind.service_time_s,
            "max_vehicle_height_m": "", "max_vehicle_length_m": "", "max_vehicle_weight_kg": "",
        })
    return rows


def _suppliers(rng: np.random.Generator, lines: Sequence[_Line]) -> list[dict[str, Any]]:
    """One supplier per line: most in a few logistics areas 8-20 km from the centre, a
    share with a regional depot 30-70 km out."""
    areas = [_offset(CENTRE_LON, CENTRE_LAT, *_polar_km(rng, 8.0, 20.0))
             for _ in range(LOGISTICS_AREAS)]
    rows = []
    for line in lines:
        if rng.random() < REGIONAL_SHARE:
            lon, lat = _offset(CENTRE_LON, CENTRE_LAT, *_polar_km(rng, 30.0, 70.0))
            area = REGIONAL_AREA
        else:
            index = int(rng.integers(LOGISTICS_AREAS))
            lon, lat = _offset(*areas[index], *rng.normal(0.0, 1.0, size=2))
            area = f"Generated logistics area {index + 1}"
        rows.append({
            "id": line.supplier_id,
            "name": f"Generated supplier {line.supplier_id.rsplit('-', 1)[1]} "
                    f"({line.base.name.lower()} line {line.number})",
            "categories": line.id, "backup_categories": "",
            "lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "area": area,
            "depot_open": DEPOT_HOURS[line.base.temperature_class], "illustrative": "true",
        })
    return rows


def _orders(rng: np.random.Generator, units: Sequence[Mapping[str, Any]],
            lines: Sequence[_Line], rates: _Rates) -> list[dict[str, Any]]:
    """Each unit buys each base category it has a rate for from one line of it; lines
    are dealt round-robin over the units in a random order, so every line has buyers."""
    by_base: dict[str, list[_Line]] = defaultdict(list)
    for line in lines:
        by_base[line.base.id].append(line)
    rows = []
    for base_id, base_lines in by_base.items():
        buyers = [u for u in units if (u["unit_type"], base_id) in rates]
        for position, unit_index in enumerate(rng.permutation(len(buyers))):
            unit = buyers[unit_index]
            line = base_lines[position % len(base_lines)]
            kg_per_size, m3_per_kg, times, _, _ = rates[(unit["unit_type"], base_id)]
            demand_kg = unit["size"] * kg_per_size
            rows.append({
                "id": f"{unit['id']}:{line.id}", "unit_id": unit["id"], "category": line.id,
                "supplier_id": line.supplier_id,
                "demand_kg_per_week": f"{demand_kg:.3f}",
                "volume_m3_per_week": f"{demand_kg * m3_per_kg:.4f}",
                "deliveries_per_week": times,
            })
    return sorted(rows, key=lambda row: row["id"])


def _fleets(orders: Sequence[Mapping[str, Any]], lines: Sequence[_Line],
            suppliers: Sequence[Mapping[str, Any]],
            vehicle_types: Mapping[str, VehicleType]) -> list[dict[str, Any]]:
    """Each supplier's vans for :data:`FLEET_MARGIN` x an average day (kg, m3 and
    :data:`STOPS_PER_ROUTE` stops per van), plus a rigid truck for a big supplier;
    regional depots run no electric vans (their round trips exceed the range)."""
    kg: dict[str, float] = defaultdict(float)
    m3: dict[str, float] = defaultdict(float)
    stops: dict[str, int] = defaultdict(int)
    for order in orders:
        supplier = order["supplier_id"]
        kg[supplier] += float(order["demand_kg_per_week"]) / WEEKDAYS_PLANNED
        m3[supplier] += float(order["volume_m3_per_week"]) / WEEKDAYS_PLANNED
        stops[supplier] += int(order["deliveries_per_week"])
    regional = {s["id"] for s in suppliers if s["area"] == REGIONAL_AREA}
    rows = []
    for number, line in enumerate(lines, start=1):
        supplier = line.supplier_id
        van, electric_van, rigid = VEHICLES[line.base.temperature_class]
        if number % ELECTRIC_EVERY == 0 and supplier not in regional:
            van = electric_van
        capacity = vehicle_types[van]
        vans_per_day = max(kg[supplier] / capacity.capacity_kg,
                           m3[supplier] / capacity.capacity_m3,
                           stops[supplier] / WEEKDAYS_PLANNED / STOPS_PER_ROUTE)
        rows.append({"supplier_id": supplier, "vehicle_type": van,
                     "count": max(1, math.ceil(FLEET_MARGIN * vans_per_day))})
        if kg[supplier] > BIG_SUPPLIER_VAN_LOADS * capacity.capacity_kg:
            rows.append({"supplier_id": supplier, "vehicle_type": rigid, "count": 1})
    return rows


def _hub(rng: np.random.Generator, units: Sequence[Mapping[str, Any]],
         orders: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One hub candidate within a kilometre of the units' centroid."""
    lon = float(np.mean([float(u["lon"]) for u in units]))
    lat = float(np.mean([float(u["lat"]) for u in units]))
    lon, lat = _offset(lon, lat, *rng.uniform(-1.0, 1.0, size=2))
    daily_kg = sum(float(o["demand_kg_per_week"]) for o in orders) / WEEKDAYS_PLANNED
    capacity_kg = math.ceil(HUB_CAPACITY_MARGIN * daily_kg / 1000) * 1000
    return {"id": "generated-hub", "name": "Generated hub candidate (centroid)",
            "lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "area": "Generated municipality centre",
            "opening": HUB_OPENING, "handling_cost_nok_per_kg": HUB_HANDLING_COST_NOK_PER_KG,
            "capacity_kg_per_day": capacity_kg,
            "floor_area_m2": HUB_FLOOR_M2_PER_DAILY_TONNE * capacity_kg / 1000,
            "price_year": HUB_PRICE_YEAR, "fixed_cost_nok_per_year": "", "illustrative": "true"}


def _write(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
