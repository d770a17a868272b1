"""The data set: units, suppliers, hubs, categories, fleets, demand rates, vehicles.

A data set folder (``data/bergen``) holds one CSV per table; the vehicle catalogue is
shared (``data/vehicles.csv``). :func:`load_dataset` validates every file and every
cross-reference and raises one InputError listing all problems.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import numpy as np

from logistics.errors import Problem, ProblemCollector
from logistics.geo import haversine_m
from logistics.io.tables import read_rows, row_locations, validate_rows
from logistics.model.domain import (
    Category,
    DeliveryWindow,
    DemandRate,
    FleetEntry,
    Hub,
    MonthTemperature,
    Site,
    StockDays,
    Supplier,
    TemperatureClass,
    TimeWindows,
    Unit,
    UnitType,
    UnitWeeks,
    VehicleType,
)
from logistics.paths import DATASET_DIR, VEHICLES_FILE, file_sha256
from logistics.validated import Frozen, Id


class SupplierFleetRow(FleetEntry):
    """A row of ``supplier_fleets.csv``: a fleet entry of one supplier."""

    supplier_id: Id


DELIVERY_WINDOWS_FILE = "delivery_windows.csv"
"""Optional table of a data set folder: when unit types receive which goods."""
UNIT_WEEKS_FILE = "unit_weeks.csv"
"""Weeks a year by unit type: optional in a data set folder."""
MONTHLY_TEMPERATURE_FILE = "monthly_temperature.csv"
"""Mean temperature of each month (electric energy by season): optional in a data set folder."""
OPTIONAL_FILES = {"unit_weeks": UNIT_WEEKS_FILE,
                  "monthly_temperature": MONTHLY_TEMPERATURE_FILE}

DATASET_AREA_RADIUS_M = 100_000.0
"""Sites must lie within this distance of the units' median position. Assumption: a
municipality's units, its suppliers' depots and hub candidates lie within a region
(Bergen's units span about 40 km); a site farther off is a mistyped coordinate."""


@dataclass(frozen=True)
class DataSet:
    """Everything a scenario is planned on, validated and cross-checked."""

    units: tuple[Unit, ...]
    suppliers: tuple[Supplier, ...]
    hubs: tuple[Hub, ...]
    categories: tuple[Category, ...]
    vehicle_types: Mapping[str, VehicleType]
    supplier_fleets: Mapping[str, tuple[FleetEntry, ...]]
    demand_rates: tuple[DemandRate, ...]
    stock_days: tuple[StockDays, ...]
    file_sha256: Mapping[str, str]
    delivery_windows: tuple[DeliveryWindow, ...] = ()
    """When unit types receive goods (``delivery_windows.csv``; none without the file)."""
    unit_weeks: Mapping[UnitType, UnitWeeks] = dataclasses.field(default_factory=dict)
    """Weeks a year by unit type (``unit_weeks.csv``; a data set without it has none)."""
    monthly_temperature: Mapping[int, MonthTemperature] = dataclasses.field(
        default_factory=dict)
    """Mean temperature by month (``monthly_temperature.csv``; a data set without it has
    none, and its electric vehicles use their tabled energy all year)."""

    @property
    def category_classes(self) -> dict[str, str]:
        """Each category's temperature class, by category id."""
        return {c.id: c.temperature_class.value for c in self.categories}

    def unit(self, unit_id: str) -> Unit:
        return _by_id(self.units, unit_id)

    def supplier(self, supplier_id: str) -> Supplier:
        return _by_id(self.suppliers, supplier_id)

    def hub(self, hub_id: str) -> Hub:
        return _by_id(self.hubs, hub_id)

    def category(self, category_id: str) -> Category:
        return _by_id(self.categories, category_id)

    def goods_window(self, unit_type: UnitType, category_id: str) -> TimeWindows | None:
        """The window a unit type receives a category in: the row for the category, else
        the row for its temperature class, else None (the unit's own windows hold)."""
        by_goods = {(w.unit_type, w.goods): w.window for w in self.delivery_windows}
        temperature_class = self.category(category_id).temperature_class
        return by_goods.get((unit_type, category_id),
                            by_goods.get((unit_type, temperature_class.value)))

    def main_supplier(self, category_id: str) -> Supplier:
        """The supplier that delivers ``category_id`` today."""
        for supplier in self.suppliers:
            if category_id in supplier.categories:
                return supplier
        raise KeyError(category_id)

    @property
    def illustrative(self) -> bool:
        """True when suppliers or hubs are an illustrative set (not real data)."""
        return any(s.illustrative for s in self.suppliers) or any(h.illustrative for h in self.hubs)


_Item = TypeVar("_Item", Unit, Supplier, Hub, Category)


def _by_id(items: tuple[_Item, ...], item_id: str) -> _Item:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)


def _far_sites(sites: Mapping[str, Sequence[Site]],
               files: Mapping[str, Path]) -> list[Problem]:
    """Sites farther than :data:`STUDY_AREA_RADIUS_M` from the units' median position."""
    units = sites["units"]
    centre_lon = float(np.median([u.lon for u in units]))
    centre_lat = float(np.median([u.lat for u in units]))
    far: list[Problem] = []
    for table, rows in sites.items():
        for site in rows:
            distance_m = float(haversine_m(site.lon, site.lat, centre_lon, centre_lat))
            if distance_m > DATASET_AREA_RADIUS_M:
                far.append(Problem(
                    str(files[table]), f"id={site.id}", "lon/lat",
                    f"({site.lon}, {site.lat}), {distance_m / 1000:,.0f} km from the units' "
                    f"median position ({centre_lon:.3f}, {centre_lat:.3f})",
                    f"a site within {DATASET_AREA_RADIUS_M / 1000:.0f} km of the units' median "
                    "position (check for swapped or mistyped coordinates)"))
    return far


def load_vehicle_types(path: Path = VEHICLES_FILE) -> dict[str, VehicleType]:
    """The vehicle catalogue keyed by id."""
    return {v.id: v for v in validate_rows(read_rows(path), VehicleType, str(path))}


def load_dataset(dataset_dir: Path = DATASET_DIR,
               vehicles_path: Path = VEHICLES_FILE) -> DataSet:
    """Load and cross-check a data set folder; raise one InputError with every problem."""
    files = {
        "units": dataset_dir / "units.csv",
        "suppliers": dataset_dir / "suppliers.csv",
        "hubs": dataset_dir / "hubs.csv",
        "categories": dataset_dir / "categories.csv",
        "supplier_fleets": dataset_dir / "supplier_fleets.csv",
        "demand_rates": dataset_dir / "demand_rates.csv",
        "stock_days": dataset_dir / "stock_days.csv",
        "vehicles": vehicles_path,
    }
    files.update({name: dataset_dir / file for name, file in OPTIONAL_FILES.items()
                  if (dataset_dir / file).is_file()})
    problems = ProblemCollector()
    loaded: dict[str, tuple[Frozen, ...]] = {}
    models: dict[str, tuple[type[Frozen], str | None]] = {
        "units": (Unit, "id"),
        "suppliers": (Supplier, "id"),
        "hubs": (Hub, "id"),
        "categories": (Category, "id"),
        "supplier_fleets": (SupplierFleetRow, None),
        "demand_rates": (DemandRate, None),
        "stock_days": (StockDays, None),
        "vehicles": (VehicleType, "id"),
        "unit_weeks": (UnitWeeks, "unit_type"),
        "monthly_temperature": (MonthTemperature, "month"),
    }
    locations: dict[str, list[str]] = {}
    for name, path in files.items():
        model, key = models[name]
        loaded[name] = ()
        with problems.collecting():
            rows = read_rows(path)
            locations[name] = row_locations(rows)
            loaded[name] = validate_rows(rows, model, str(path), key)
    for name in ("units", "suppliers", "categories", "vehicles"):
        if name in locations and not locations[name]:  # read, and empty
            problems.add(str(files[name]), "", "rows", "no rows", f"at least one {name[:-1]}")
    problems.raise_if_any()
    units = tuple(u for u in loaded["units"] if isinstance(u, Unit))
    suppliers = tuple(s for s in loaded["suppliers"] if isinstance(s, Supplier))
    hubs = tuple(h for h in loaded["hubs"] if isinstance(h, Hub))
    categories = tuple(c for c in loaded["categories"] if isinstance(c, Category))
    vehicles = {v.id: v for v in loaded["vehicles"] if isinstance(v, VehicleType)}
    fleet_rows = tuple(r for r in loaded["supplier_fleets"] if isinstance(r, SupplierFleetRow))
    rates = tuple(r for r in loaded["demand_rates"] if isinstance(r, DemandRate))
    stock = tuple(r for r in loaded["stock_days"] if isinstance(r, StockDays))
    unit_weeks = {r.unit_type: r for r in loaded.get("unit_weeks", ()) if isinstance(r, UnitWeeks)}
    months = {r.month: r for r in loaded.get("monthly_temperature", ())
              if isinstance(r, MonthTemperature)}

    category_ids = {c.id for c in categories}
    supplier_ids = {s.id for s in suppliers}
    for supplier in suppliers:
        for field in ("categories", "backup_categories"):
            for category in getattr(supplier, field):
                if category not in category_ids:
                    problems.add(str(files["suppliers"]), f"id={supplier.id}", field,
                                 category, f"a category id: {sorted(category_ids)}")
    for category in categories:
        mains = [s.id for s in suppliers if category.id in s.categories]
        if len(mains) != 1:
            problems.add(str(files["suppliers"]), f"category {category.id}", "categories",
                         mains or "no supplier", "exactly one main supplier per category")
    fleets: dict[str, list[FleetEntry]] = {s.id: [] for s in suppliers}
    for where, row in zip(locations["supplier_fleets"], fleet_rows, strict=True):
        if row.supplier_id not in supplier_ids:
            problems.add(str(files["supplier_fleets"]), where, "supplier_id", row.supplier_id,
                         f"a supplier id: {sorted(supplier_ids)}")
        if row.vehicle_type not in vehicles:
            problems.add(str(files["supplier_fleets"]), where, "vehicle_type", row.vehicle_type,
                         f"a vehicle id of {vehicles_path.name}: {sorted(vehicles)}")
        fleets.setdefault(row.supplier_id, []).append(
            FleetEntry(vehicle_type=row.vehicle_type, count=row.count, max_trips=row.max_trips))
    rate_categories = [("demand_rates", where, r.category)
                       for where, r in zip(locations["demand_rates"], rates, strict=True)]
    rate_categories += [("stock_days", where, r.category)
                        for where, r in zip(locations["stock_days"], stock, strict=True)]
    for table, where, category in rate_categories:
        if category not in category_ids:
            problems.add(str(files[table]), where, "category", category,
                         f"a category id: {sorted(category_ids)}")
    if months and set(months) != set(range(1, 13)):
        problems.add(str(files["monthly_temperature"]), "", "month",
                     sorted(months), "one row for each month 1..12")
    problems.extend(_far_sites({"units": units, "suppliers": suppliers, "hubs": hubs}, files))
    windows_path = dataset_dir / DELIVERY_WINDOWS_FILE
    windows: tuple[DeliveryWindow, ...] = ()
    if windows_path.exists():
        windows = problems.attempt(lambda: _delivery_windows(windows_path, category_ids)) or ()
        files["delivery_windows"] = windows_path
    problems.raise_if_any()
    return DataSet(
        units=units,
        suppliers=suppliers,
        hubs=hubs,
        categories=categories,
        vehicle_types=vehicles,
        supplier_fleets={k: tuple(v) for k, v in fleets.items()},
        demand_rates=rates,
        stock_days=stock,
        file_sha256={name: file_sha256(path) for name, path in files.items()},
        delivery_windows=windows,
        unit_weeks=MappingProxyType(unit_weeks),
        monthly_temperature=MappingProxyType(months),
    )


def _delivery_windows(path: Path, category_ids: set[str]) -> tuple[DeliveryWindow, ...]:
    """The delivery windows table: goods must name a category or a temperature class,
    each (unit type, goods) once; every problem of the file at once, at the rows a
    spreadsheet shows."""
    rows = read_rows(path)
    windows = validate_rows(rows, DeliveryWindow, str(path), key=None)
    goods = category_ids | {c.value for c in TemperatureClass}
    problems = ProblemCollector()
    seen: dict[tuple[str, str], str] = {}
    for where, row in zip(row_locations(rows), windows, strict=True):
        if row.goods not in goods:
            problems.add(str(path), where, "goods", row.goods,
                         f"a category id or a temperature class: {sorted(goods)}")
        key = (row.unit_type.value, row.goods)
        if key in seen:
            problems.add(str(path), where, "goods", f"{key[0]}/{key[1]}",
                         f"each unit type and goods once (also in {seen[key]})")
        seen.setdefault(key, where)
    problems.raise_if_any()
    return windows
