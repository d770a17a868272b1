"""Emission and social-cost factor tables, loaded from ``data/factors/*.csv``.

Every table row carries its source; ``data/factors/README.md`` explains each table.
Loading validates every row and raises one :class:`InputError` listing every problem.
The loaded objects are frozen; lookups name what is missing and what exists.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from logistics.errors import InputError, Problem, ProblemCollector
from logistics.model.domain import EnergyCarrier, VehicleClass, VehicleType
from logistics.paths import FACTORS_DIR

"""The factor tables shipped with the project."""

ENERGY_CARRIERS_FILE = "energy_carriers.csv"
ELECTRICITY_FILE = "electricity.csv"
EXHAUST_FILE = "exhaust.csv"
NON_EXHAUST_FILE = "non_exhaust_pm.csv"
CARBON_PRICE_FILE = "carbon_price.csv"
EXTERNAL_COSTS_FILE = "external_costs.csv"

ANY_EURO_CLASS = "any"
"""Euro class of exhaust rows that apply to every Euro class (e.g. electric vehicles)."""

_ROMAN_STAGES = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}


def euro_stage(euro_class: str) -> str:
    """Canonical Euro stage: "Euro 6" and "Euro VI" -> "6", "Euro 6d-temp" -> "6d-temp".

    Light-duty (arabic) and heavy-duty (roman) stages share a key; the vehicle class
    tells them apart. ``"none"``/``""`` -> ``"none"``; ``"any"`` stays ``"any"``.
    """
    text = euro_class.strip().lower()
    text = re.sub(r"^euro[\s_-]*", "", text)
    if text in ("", "none", "-"):
        return "none"
    match = re.fullmatch(r"(i{1,3}|iv|vi{0,2})([\s_-].*)?", text)
    if match:
        return _ROMAN_STAGES[match.group(1)] + (match.group(2) or "").strip()
    return text


def _leading_stage(stage: str) -> str:
    """``"6d-temp"`` -> ``"6"``: the stage number a sub-stage falls back to."""
    match = re.match(r"\d+", stage)
    return match.group(0) if match else stage


@dataclass(frozen=True)
class CarrierFactors:
    """GHG factors of one energy carrier, per kWh of final energy.

    A carrier may be a blend: ``bio_share_energy`` of its energy is biofuel (Norwegian
    road diesel under the blending mandate), the rest fossil. Fossil factors apply to the
    fossil part, ``bio_*`` factors to the bio part. Biogenic CO2 is counted or not
    according to :class:`logistics.accounting.emissions.EmissionSettings`.
    """

    carrier: EnergyCarrier
    unit: str
    kwh_per_unit: float
    bio_share_energy: float
    fossil_ttw_co2e_kg_per_kwh: float
    fossil_wtt_co2e_kg_per_kwh: float
    bio_ttw_biogenic_co2_kg_per_kwh: float
    bio_ttw_other_co2e_kg_per_kwh: float
    bio_wtt_co2e_kg_per_kwh: float
    source: str


@dataclass(frozen=True)
class ElectricityBasis:
    """One way to count grid electricity: location-based, residual mix, or zero."""

    basis: str
    year: int | None
    co2e_kg_per_kwh: float
    description: str
    source: str


@dataclass(frozen=True)
class ExhaustFactors:
    """Exhaust NOx and PM per vehicle-km for a vehicle class, carrier and Euro stage."""

    vehicle_class: VehicleClass
    energy_carrier: EnergyCarrier
    euro_stage: str
    nox_g_per_km: float
    pm_g_per_km: float
    source: str


@dataclass(frozen=True)
class NonExhaustFactors:
    """Tyre, brake and road-surface wear PM10 per vehicle-km, g/km."""

    vehicle_class: VehicleClass
    tyre_pm10_g_per_km: float
    brake_pm10_g_per_km: float
    road_pm10_g_per_km: float
    source: str

    @property
    def pm10_g_per_km(self) -> float:
        return self.tyre_pm10_g_per_km + self.brake_pm10_g_per_km + self.road_pm10_g_per_km


@dataclass(frozen=True)
class CarbonPrice:
    """Carbon price for cost-benefit analysis in one year, NOK per tonne CO2e."""

    year: int
    nok_per_t_co2e: float
    price_level: str
    source: str


@dataclass(frozen=True)
class ExternalCost:
    """Marginal external costs per vehicle-km in one kind of area (NOK/vkm)."""

    vehicle_class: VehicleClass
    zero_emission: bool
    area: str
    local_air_nok_per_vkm: float
    noise_nok_per_vkm: float
    congestion_nok_per_vkm: float
    price_level: str
    source: str

    @property
    def total_nok_per_vkm(self) -> float:
        return self.local_air_nok_per_vkm + self.noise_nok_per_vkm + self.congestion_nok_per_vkm


@dataclass(frozen=True)
class FactorTables:
    """All factor tables, keyed for lookup. Build with :func:`load_factor_tables`."""

    energy_carriers: Mapping[EnergyCarrier, CarrierFactors]
    electricity: Mapping[str, ElectricityBasis]
    exhaust: Mapping[tuple[VehicleClass, EnergyCarrier, str], ExhaustFactors]
    non_exhaust: Mapping[VehicleClass, NonExhaustFactors]
    carbon_prices: Mapping[int, CarbonPrice]
    external_costs: Mapping[tuple[VehicleClass, bool, str], ExternalCost]

    def carrier(self, carrier: EnergyCarrier) -> CarrierFactors:
        return _lookup(self.energy_carriers, carrier, ENERGY_CARRIERS_FILE, "carrier")

    def electricity_basis(self, basis: str) -> ElectricityBasis:
        return _lookup(self.electricity, basis, ELECTRICITY_FILE, "basis")

    def exhaust_for(self, vehicle_type: VehicleType) -> ExhaustFactors:
        """Exhaust row of a vehicle: exact Euro stage, then its stage number, then "any"."""
        stage = euro_stage(vehicle_type.euro_class)
        for candidate in (stage, _leading_stage(stage), ANY_EURO_CLASS):
            key = (vehicle_type.vehicle_class, vehicle_type.energy_carrier, candidate)
            if key in self.exhaust:
                return self.exhaust[key]
        return _lookup(self.exhaust, (vehicle_type.vehicle_class, vehicle_type.energy_carrier,
                                      stage), EXHAUST_FILE,
                       "vehicle_class, energy_carrier, euro_class")

    def non_exhaust_for(self, vehicle_type: VehicleType) -> NonExhaustFactors:
        return _lookup(self.non_exhaust, vehicle_type.vehicle_class, NON_EXHAUST_FILE,
                       "vehicle_class")

    def carbon_price(self, year: int) -> CarbonPrice:
        return _lookup(self.carbon_prices, year, CARBON_PRICE_FILE, "year")

    def external_cost_for(self, vehicle_type: VehicleType, area: str) -> ExternalCost:
        key = (vehicle_type.vehicle_class, vehicle_type.is_zero_emission, area)
        return _lookup(self.external_costs, key, EXTERNAL_COSTS_FILE,
                       "vehicle_class, zero_emission, area")

    def check_covers(self, vehicle_types: Iterable[VehicleType], area: str | None = None) -> None:
        """Raise one InputError naming every vehicle type some table has no row for."""
        problems: list[Problem] = []
        lookups: list[Callable[[VehicleType], object]] = [
            lambda v: self.carrier(v.energy_carrier), self.exhaust_for, self.non_exhaust_for]
        if area is not None:
            lookups.append(lambda v: self.external_cost_for(v, area))
        for vehicle_type in vehicle_types:
            for lookup in lookups:
                try:
                    lookup(vehicle_type)
                except InputError as error:
                    problems.extend(
                        Problem(p.source, f"vehicle type {vehicle_type.id}", p.field, p.found,
                                p.allowed) for p in error.problems)
        if problems:
            raise InputError(problems)


def _lookup(table: Mapping[Any, Any], key: Any, file: str, field: str) -> Any:
    try:
        return table[key]
    except KeyError:
        allowed = ", ".join(sorted(_show(k) for k in table))
        raise InputError([Problem(f"factor table {file}", "", field, _show(key),
                                  f"a row for one of: {allowed}")]) from None


def _show(key: Any) -> str:
    if isinstance(key, tuple):
        return "/".join(str(part) for part in key)
    return str(key)


class _RowReader:
    """Parses the cells of one CSV row, recording every problem instead of raising."""

    def __init__(self, problems: ProblemCollector, source: str, location: str,
                 row: Mapping[str, str | None]):
        self.problems = problems
        self.source = source
        self.location = location
        self.row = row
        self.ok = True

    def fail(self, field: str, found: object, allowed: str) -> None:
        self.ok = False
        self.problems.add(self.source, self.location, field, found, allowed)

    def text(self, field: str, required: bool = True) -> str:
        value = (self.row.get(field) or "").strip()
        if required and not value:
            self.fail(field, value, "a non-empty value")
        return value

    def number(self, field: str, low: float = 0.0, high: float | None = None) -> float:
        raw = self.text(field)
        if not raw:
            return 0.0
        try:
            value = float(raw)
        except ValueError:
            self.fail(field, raw, "a number")
            return 0.0
        if value != value or value < low or (high is not None and value > high):
            self.fail(field, raw, f"a number in [{low}, {'inf' if high is None else high}]")
        return value

    def integer(self, field: str, required: bool = True) -> int | None:
        raw = self.text(field, required)
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            self.fail(field, raw, "a whole number (year)")
            return None

    def choice(self, field: str, enum: type[Any]) -> Any:
        raw = self.text(field)
        try:
            return enum(raw)
        except ValueError:
            if raw:
                self.fail(field, raw, ", ".join(e.value for e in enum))
            return None

    def boolean(self, field: str) -> bool:
        raw = self.text(field).lower()
        if raw in ("true", "yes", "1"):
            return True
        if raw in ("false", "no", "0"):
            return False
        if raw:
            self.fail(field, raw, "true or false")
        return False


_COLUMNS: dict[str, tuple[str, ...]] = {
    ENERGY_CARRIERS_FILE: (
        "carrier", "unit", "kwh_per_unit", "bio_share_energy", "fossil_ttw_co2e_kg_per_kwh",
        "fossil_wtt_co2e_kg_per_kwh", "bio_ttw_biogenic_co2_kg_per_kwh",
        "bio_ttw_other_co2e_kg_per_kwh", "bio_wtt_co2e_kg_per_kwh", "source"),
    ELECTRICITY_FILE: ("basis", "year", "co2e_kg_per_kwh", "description", "source"),
    EXHAUST_FILE: ("vehicle_class", "energy_carrier", "euro_class", "nox_g_per_km",
                   "pm_g_per_km", "source"),
    NON_EXHAUST_FILE: ("vehicle_class", "tyre_pm10_mg_per_km", "brake_pm10_mg_per_km",
                       "road_pm10_mg_per_km", "source"),
    CARBON_PRICE_FILE: ("year", "nok_per_t_co2e", "price_level", "source"),
    EXTERNAL_COSTS_FILE: ("vehicle_class", "zero_emission", "area", "local_air_nok_per_vkm",
                          "noise_nok_per_vkm", "congestion_nok_per_vkm", "price_level",
                          "source"),
}


def _read_rows(directory: Path, file: str, problems: ProblemCollector
               ) -> Iterable[_RowReader]:
    """Yield a reader per data row; header problems are recorded and end the file."""
    path = directory / file
    source = f"factor table {file}"
    if not path.is_file():
        problems.add(source, str(directory), "file", "missing", f"a CSV file named {file}")
        return
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in _COLUMNS[file] if c not in header]
        if missing:
            problems.add(source, "header", ", ".join(missing), "missing columns",
                         ", ".join(_COLUMNS[file]))
            return
        for row in reader:
            yield _RowReader(problems, source, f"line {reader.line_num}", row)


def _keep_unique(table: dict[Any, Any], key: Any, value: Any, reader: _RowReader,
                 field: str) -> None:
    if key in table:
        reader.problems.add(reader.source, reader.location, field, _show(key),
                            "one row per key (duplicate)")
    else:
        table[key] = value


def _load_energy_carriers(directory: Path, problems: ProblemCollector
                          ) -> dict[EnergyCarrier, CarrierFactors]:
    table: dict[EnergyCarrier, CarrierFactors] = {}
    for r in _read_rows(directory, ENERGY_CARRIERS_FILE, problems):
        carrier = r.choice("carrier", EnergyCarrier)
        unit = r.text("unit")
        kwh_per_unit = r.number("kwh_per_unit")
        if r.ok and kwh_per_unit <= 0:
            r.fail("kwh_per_unit", kwh_per_unit, "> 0")
        row = CarrierFactors(
            carrier=carrier, unit=unit, kwh_per_unit=kwh_per_unit,
            bio_share_energy=r.number("bio_share_energy", 0.0, 1.0),
            fossil_ttw_co2e_kg_per_kwh=r.number("fossil_ttw_co2e_kg_per_kwh"),
            fossil_wtt_co2e_kg_per_kwh=r.number("fossil_wtt_co2e_kg_per_kwh"),
            bio_ttw_biogenic_co2_kg_per_kwh=r.number("bio_ttw_biogenic_co2_kg_per_kwh"),
            bio_ttw_other_co2e_kg_per_kwh=r.number("bio_ttw_other_co2e_kg_per_kwh"),
            bio_wtt_co2e_kg_per_kwh=r.number("bio_wtt_co2e_kg_per_kwh"),
            source=r.text("source"))
        if r.ok:
            _keep_unique(table, carrier, row, r, "carrier")
    if (directory / ENERGY_CARRIERS_FILE).is_file():
        for carrier in EnergyCarrier:
            if carrier not in table:
                problems.add(f"factor table {ENERGY_CARRIERS_FILE}", "", "carrier", "no row",
                             f"a row for {carrier.value}")
    return table


def _load_electricity(directory: Path, problems: ProblemCollector
                      ) -> dict[str, ElectricityBasis]:
    table: dict[str, ElectricityBasis] = {}
    for r in _read_rows(directory, ELECTRICITY_FILE, problems):
        row = ElectricityBasis(
            basis=r.text("basis"), year=r.integer("year", required=False),
            co2e_kg_per_kwh=r.number("co2e_kg_per_kwh", 0.0, 2.0),
            description=r.text("description"), source=r.text("source"))
        if r.ok:
            _keep_unique(table, row.basis, row, r, "basis")
    return table


def _load_exhaust(directory: Path, problems: ProblemCollector
                  ) -> dict[tuple[VehicleClass, EnergyCarrier, str], ExhaustFactors]:
    table: dict[tuple[VehicleClass, EnergyCarrier, str], ExhaustFactors] = {}
    for r in _read_rows(directory, EXHAUST_FILE, problems):
        row = ExhaustFactors(
            vehicle_class=r.choice("vehicle_class", VehicleClass),
            energy_carrier=r.choice("energy_carrier", EnergyCarrier),
            euro_stage=euro_stage(r.text("euro_class")),
            nox_g_per_km=r.number("nox_g_per_km", 0.0, 100.0),
            pm_g_per_km=r.number("pm_g_per_km", 0.0, 10.0),
            source=r.text("source"))
        if r.ok and row.energy_carrier is EnergyCarrier.ELECTRICITY and (
                row.nox_g_per_km or row.pm_g_per_km):
            r.fail("nox_g_per_km/pm_g_per_km", (row.nox_g_per_km, row.pm_g_per_km),
                    "0 for electricity (no exhaust)")
        if r.ok:
            key = (row.vehicle_class, row.energy_carrier, row.euro_stage)
            _keep_unique(table, key, row, r, "vehicle_class, energy_carrier, euro_class")
    return table


def _load_non_exhaust(directory: Path, problems: ProblemCollector
                      ) -> dict[VehicleClass, NonExhaustFactors]:
    table: dict[VehicleClass, NonExhaustFactors] = {}
    for r in _read_rows(directory, NON_EXHAUST_FILE, problems):
        row = NonExhaustFactors(
            vehicle_class=r.choice("vehicle_class", VehicleClass),
            tyre_pm10_g_per_km=r.number("tyre_pm10_mg_per_km", 0.0, 10_000.0) / 1000,
            brake_pm10_g_per_km=r.number("brake_pm10_mg_per_km", 0.0, 10_000.0) / 1000,
            road_pm10_g_per_km=r.number("road_pm10_mg_per_km", 0.0, 10_000.0) / 1000,
            source=r.text("source"))
        if r.ok:
            _keep_unique(table, row.vehicle_class, row, r, "vehicle_class")
    return table


def _load_carbon_prices(directory: Path, problems: ProblemCollector) -> dict[int, CarbonPrice]:
    table: dict[int, CarbonPrice] = {}
    for r in _read_rows(directory, CARBON_PRICE_FILE, problems):
        year = r.integer("year")
        row = CarbonPrice(year=year or 0, nok_per_t_co2e=r.number("nok_per_t_co2e"),
                          price_level=r.text("price_level"), source=r.text("source"))
        if r.ok:
            _keep_unique(table, row.year, row, r, "year")
    return table


def _load_external_costs(directory: Path, problems: ProblemCollector
                         ) -> dict[tuple[VehicleClass, bool, str], ExternalCost]:
    table: dict[tuple[VehicleClass, bool, str], ExternalCost] = {}
    for r in _read_rows(directory, EXTERNAL_COSTS_FILE, problems):
        row = ExternalCost(
            vehicle_class=r.choice("vehicle_class", VehicleClass),
            zero_emission=r.boolean("zero_emission"), area=r.text("area"),
            local_air_nok_per_vkm=r.number("local_air_nok_per_vkm"),
            noise_nok_per_vkm=r.number("noise_nok_per_vkm"),
            congestion_nok_per_vkm=r.number("congestion_nok_per_vkm"),
            price_level=r.text("price_level"), source=r.text("source"))
        if r.ok:
            key = (row.vehicle_class, row.zero_emission, row.area)
            _keep_unique(table, key, row, r, "vehicle_class, zero_emission, area")
    return table


@functools.cache
def default_factor_tables() -> FactorTables:
    """The shipped factor tables (``data/factors/``), read once per process."""
    return load_factor_tables(FACTORS_DIR)


def load_factor_tables(directory: Path | str = FACTORS_DIR) -> FactorTables:
    """Load and validate every factor table in ``directory``.

    Raises one InputError listing every bad row of every table (file, line, field,
    what was found, what is allowed).
    """
    directory = Path(directory)
    problems = ProblemCollector()
    energy = _load_energy_carriers(directory, problems)
    electricity = _load_electricity(directory, problems)
    exhaust = _load_exhaust(directory, problems)
    non_exhaust = _load_non_exhaust(directory, problems)
    carbon = _load_carbon_prices(directory, problems)
    external = _load_external_costs(directory, problems)
    problems.raise_if_any()
    return FactorTables(
        energy_carriers=MappingProxyType(energy), electricity=MappingProxyType(electricity),
        exhaust=MappingProxyType(exhaust), non_exhaust=MappingProxyType(non_exhaust),
        carbon_prices=MappingProxyType(carbon), external_costs=MappingProxyType(external))
