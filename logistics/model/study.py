"""The study data set: units, suppliers, hubs, categories, fleets, demand rates, vehicles.

A study folder (``data/bergen``) holds one CSV per table; the vehicle catalogue is
shared (``data/vehicles.csv``). :func:`load_study` validates every file and every
cross-reference and raises one InputError listing all problems.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from logistics.errors import InputError, Problem, ProblemCollector
from logistics.geo import haversine_m
from logistics.io.tables import read_rows, row_locations, validate_rows
from logistics.model.domain import (
    Category,
    DemandRate,
    FleetEntry,
    Hub,
    Site,
    StockDays,
    Supplier,
    Unit,
    VehicleType,
)
from logistics.paths import STUDY_DIR, VEHICLES_FILE, file_sha256
from logistics.validated import Frozen, Id


class SupplierFleetRow(FleetEntry):
    """A row of ``supplier_fleets.csv``: a fleet entry of one supplier."""

    supplier_id: Id


STUDY_AREA_RADIUS_M = 100_000.0
"""Sites must lie within this distance of the units' median position. Assumption: a
municipality's units, its suppliers' depots and hub candidates lie within a region
(Bergen's units span about 40 km); a site farther off is a mistyped coordinate."""


@dataclass(frozen=True)
class StudyData:
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

    def unit(self, unit_id: str) -> Unit:
        return _by_id(self.units, unit_id)

    def supplier(self, supplier_id: str) -> Supplier:
        return _by_id(self.suppliers, supplier_id)

    def hub(self, hub_id: str) -> Hub:
        return _by_id(self.hubs, hub_id)

    def category(self, category_id: str) -> Category:
        return _by_id(self.categories, category_id)

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
            if distance_m > STUDY_AREA_RADIUS_M:
                far.append(Problem(
                    str(files[table]), f"id={site.id}", "lon/lat",
                    f"({site.lon}, {site.lat}), {distance_m / 1000:,.0f} km from the study "
                    f"area ({centre_lon:.3f}, {centre_lat:.3f})",
                    f"a site within {STUDY_AREA_RADIUS_M / 1000:.0f} km of the units' median "
                    "position (check for swapped or mistyped coordinates)"))
    return far


def load_vehicle_types(path: Path = VEHICLES_FILE) -> dict[str, VehicleType]:
    """The vehicle catalogue keyed by id."""
    return {v.id: v for v in validate_rows(read_rows(path), VehicleType, str(path))}


def load_study(study_dir: Path = STUDY_DIR,
               vehicles_path: Path = VEHICLES_FILE) -> StudyData:
    """Load and cross-check a study folder; raise one InputError with every problem."""
    files = {
        "units": study_dir / "units.csv",
        "suppliers": study_dir / "suppliers.csv",
        "hubs": study_dir / "hubs.csv",
        "categories": study_dir / "categories.csv",
        "supplier_fleets": study_dir / "supplier_fleets.csv",
        "demand_rates": study_dir / "demand_rates.csv",
        "stock_days": study_dir / "stock_days.csv",
        "vehicles": vehicles_path,
    }
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
    }
    locations: dict[str, list[str]] = {}
    for name, path in files.items():
        model, key = models[name]
        try:
            rows = read_rows(path)
            locations[name] = row_locations(rows)
            loaded[name] = validate_rows(rows, model, str(path), key)
        except InputError as error:
            problems.extend(error.problems)
            loaded[name] = ()
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
    problems.extend(_far_sites({"units": units, "suppliers": suppliers, "hubs": hubs}, files))
    problems.raise_if_any()
    return StudyData(
        units=units,
        suppliers=suppliers,
        hubs=hubs,
        categories=categories,
        vehicle_types=vehicles,
        supplier_fleets={k: tuple(v) for k, v in fleets.items()},
        demand_rates=rates,
        stock_days=stock,
        file_sha256={name: file_sha256(path) for name, path in files.items()},
    )
