"""Emission and social-cost factor tables, loaded from ``data/factors/*.csv``.

Every table row carries its source; ``data/factors/README.md`` explains each table.
Each file is read and validated like every other table (:mod:`logistics.io.tables`), one
pydantic row model per file; loading raises one :class:`InputError` listing every
problem of every file. The loaded objects are frozen; lookups name what is missing and
what exists.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import Rows, read_rows, row_locations, validate_rows
from logistics.model.domain import EnergyCarrier, Hub, VehicleClass, VehicleType
from logistics.paths import FACTORS_DIR
from logistics.validated import Frozen, Id, Name, Text

ENERGY_CARRIERS_FILE = "energy_carriers.csv"
ELECTRICITY_FILE = "electricity.csv"
EXHAUST_FILE = "exhaust.csv"
NON_EXHAUST_FILE = "non_exhaust_pm.csv"
CARBON_PRICE_FILE = "carbon_price.csv"
EXTERNAL_COSTS_FILE = "external_costs.csv"
HUB_ENERGY_FILE = "hub_energy.csv"
CPI_FILE = "cpi.csv"
HUB_COSTS_FILE = "hub_costs.csv"
EV_TEMPERATURE_FILE = "ev_temperature.csv"
EXCHANGE_RATES_FILE = "exchange_rates.csv"

PRICE_BASE_YEAR = 2024
"""Every NOK of the accounts is in prices of this year: each cost factor row states its
``price_year`` (and currency) and is converted at load time with the consumer price
index (``cpi.csv``, SSB table 03014) and annual exchange rates (``exchange_rates.csv``)."""

REFERENCE_YEAR = 2026
"""The default reference year of the accounting (the carbon price's year), in code and
in every shipped scenario; each result's vintage names the years of the other factors."""

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


_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _csv_boolean(value: Any) -> Any:
    """``true``/``yes``/``1`` or ``false``/``no``/``0``, in any case; nothing else."""
    if isinstance(value, str):
        if value.lower() not in _BOOLEANS:
            raise ValueError("true or false (or yes/no, 1/0)")
        return _BOOLEANS[value.lower()]
    return value


CsvBool = Annotated[bool, BeforeValidator(_csv_boolean)]
EuroStage = Annotated[str, BeforeValidator(euro_stage)]
"""A Euro class as written (``"Euro VI"``), held as its canonical stage (``"6"``)."""
NonNegative = Annotated[float, Field(ge=0)]
PmGPerKmFromMg = Annotated[float, Field(ge=0, le=10_000), AfterValidator(lambda mg: mg / 1000)]
"""PM10 written in mg/km (at most 10 g/km), held in g/km."""


class _FactorRow(Frozen):
    """A row of a factor file: every cell is required unless its field has a default."""

    @model_validator(mode="before")
    @classmethod
    def _empty_cells_are_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {column: value for column, value in data.items() if value is not None}
        return data


class CarrierFactors(_FactorRow):
    """GHG factors of one energy carrier, per kWh of final energy (``energy_carriers.csv``).

    A carrier may be a blend: ``bio_share_energy`` of its energy is biofuel (Norwegian
    road diesel under the blending mandate), the rest fossil. Fossil factors apply to the
    fossil part, ``bio_*`` factors to the bio part. Biogenic CO2 is counted or not
    according to :class:`logistics.accounting.emissions.EmissionSettings`.
    """

    carrier: EnergyCarrier
    unit: Name
    kwh_per_unit: float = Field(gt=0)
    bio_share_energy: float = Field(ge=0, le=1)
    fossil_ttw_co2e_kg_per_kwh: NonNegative
    fossil_wtt_co2e_kg_per_kwh: NonNegative
    bio_ttw_biogenic_co2_kg_per_kwh: NonNegative
    bio_ttw_other_co2e_kg_per_kwh: NonNegative
    bio_wtt_co2e_kg_per_kwh: NonNegative
    source: Text
    bio_share_year: int | None = None
    """The year ``bio_share_energy`` describes (blends only)."""


class ElectricityBasis(_FactorRow):
    """One way to count grid electricity: location-based, residual mix, or zero
    (``electricity.csv``)."""

    basis: Id
    year: int | None = None
    co2e_kg_per_kwh: float = Field(ge=0, le=2)
    description: Text
    source: Text


class ExhaustFactors(_FactorRow):
    """Exhaust NOx and PM per vehicle-km for a vehicle class, carrier and Euro stage
    (``exhaust.csv``, column ``euro_class``)."""

    vehicle_class: VehicleClass
    energy_carrier: EnergyCarrier
    euro_stage: EuroStage = Field(validation_alias="euro_class")
    nox_g_per_km: float = Field(ge=0, le=100)
    pm_g_per_km: float = Field(ge=0, le=10)
    source: Text

    @field_validator("nox_g_per_km", "pm_g_per_km")
    @classmethod
    def _no_exhaust_for_electricity(cls, g_per_km: float, info: ValidationInfo) -> float:
        if g_per_km and info.data.get("energy_carrier") is EnergyCarrier.ELECTRICITY:
            raise ValueError("0 for electricity (no exhaust)")
        return g_per_km


class NonExhaustFactors(_FactorRow):
    """Tyre, brake and road-surface wear PM10 per vehicle-km, g/km (``non_exhaust_pm.csv``,
    written there in mg/km)."""

    vehicle_class: VehicleClass
    tyre_pm10_g_per_km: PmGPerKmFromMg = Field(validation_alias="tyre_pm10_mg_per_km")
    brake_pm10_g_per_km: PmGPerKmFromMg = Field(validation_alias="brake_pm10_mg_per_km")
    road_pm10_g_per_km: PmGPerKmFromMg = Field(validation_alias="road_pm10_mg_per_km")
    source: Text

    @property
    def pm10_g_per_km(self) -> float:
        return self.tyre_pm10_g_per_km + self.brake_pm10_g_per_km + self.road_pm10_g_per_km


class ConsumerPriceIndex(_FactorRow):
    """The consumer price index of one year, annual average, 2015 = 100 (``cpi.csv``)."""

    year: int = Field(ge=1979, le=2100)
    cpi_2015_100: float = Field(gt=0, le=1000)
    source: Text


class ExchangeRate(_FactorRow):
    """NOK per unit of a currency, annual average of one year (``exchange_rates.csv``)."""

    year: int = Field(ge=1990, le=2100)
    currency: Literal["SEK", "EUR"]
    nok_per_unit: float = Field(gt=0, le=100)
    source: Text


class _PricedRow(_FactorRow):
    """A row whose NOK amounts (``MONEY_FIELDS``) are in prices of ``price_year``; loaded,
    they are converted to :data:`PRICE_BASE_YEAR` (``price_year`` keeps the source's)."""

    MONEY_FIELDS: ClassVar[tuple[str, ...]] = ()
    price_year: int = Field(ge=1979, le=2100)


class CarbonPrice(_PricedRow):
    """Carbon price for cost-benefit analysis in one year, NOK per tonne CO2e
    (``carbon_price.csv``)."""

    MONEY_FIELDS: ClassVar[tuple[str, ...]] = ("nok_per_t_co2e",)
    year: int
    nok_per_t_co2e: NonNegative
    source: Text


class ExternalCost(_PricedRow):
    """Marginal external costs per vehicle-km in one kind of area, NOK/vkm
    (``external_costs.csv``)."""

    MONEY_FIELDS: ClassVar[tuple[str, ...]] = (
        "local_air_nok_per_vkm", "noise_nok_per_vkm", "congestion_nok_per_vkm",
        "accidents_nok_per_vkm", "road_wear_nok_per_vkm")
    vehicle_class: VehicleClass
    zero_emission: CsvBool
    area: Name
    local_air_nok_per_vkm: NonNegative
    noise_nok_per_vkm: NonNegative
    congestion_nok_per_vkm: NonNegative
    accidents_nok_per_vkm: NonNegative
    road_wear_nok_per_vkm: NonNegative
    source: Text

    @property
    def total_nok_per_vkm(self) -> float:
        return sum(getattr(self, name) for name in self.MONEY_FIELDS)


class EvTemperature(_FactorRow):
    """A point of the battery-electric energy-per-km factor against the outdoor
    temperature (``ev_temperature.csv``); between points the factor is linear, beyond
    the end points it stays at theirs."""

    temperature_c: float = Field(ge=-60, le=50)
    consumption_factor: float = Field(ge=0.5, le=5)
    source: Text


class HubCost(_FactorRow):
    """A unit cost of running a hub (``hub_costs.csv``): ``rent`` per m2 of floor area and
    year, ``coordination`` per hub and year; ``amount`` in ``currency`` of ``price_year``."""

    item: Literal["rent", "coordination"]
    basis: Name
    amount: NonNegative
    currency: Literal["NOK", "SEK", "EUR"]
    price_year: int = Field(ge=1979, le=2100)
    source: Text


class HubEnergy(_FactorRow):
    """Electricity of one hub activity (``hub_energy.csv``): the building per m2 of floor
    area and year, handling per tonne handled, cooling per tonne chilled or frozen."""

    activity: Literal["building", "handling", "cold_storage"]
    basis: Name
    kwh_per_unit: NonNegative
    source: Text


@dataclass(frozen=True)
class FactorTables:
    """All factor tables, keyed for lookup. Build with :func:`load_factor_tables`."""

    energy_carriers: Mapping[EnergyCarrier, CarrierFactors]
    electricity: Mapping[str, ElectricityBasis]
    exhaust: Mapping[tuple[VehicleClass, EnergyCarrier, str], ExhaustFactors]
    non_exhaust: Mapping[VehicleClass, NonExhaustFactors]
    carbon_prices: Mapping[int, CarbonPrice]
    external_costs: Mapping[tuple[VehicleClass, bool, str], ExternalCost]
    hub_energy: Mapping[str, HubEnergy]
    hub_costs: Mapping[str, HubCost]
    ev_temperature: Mapping[float, EvTemperature]
    cpi: Mapping[int, ConsumerPriceIndex]
    exchange_rates: Mapping[tuple[int, str], ExchangeRate]

    def ev_consumption_factor(self, temperature_c: float) -> float:
        """Battery-electric energy per km at ``temperature_c`` over the tabled (summer)
        value: linear between the points of ``ev_temperature.csv``, flat beyond them."""
        points = sorted((p.temperature_c, p.consumption_factor)
                        for p in self.ev_temperature.values())
        if not points:
            raise InputError([Problem(_source(EV_TEMPERATURE_FILE), "", "rows", "none",
                                      "at least one temperature point")])
        if temperature_c <= points[0][0]:
            return points[0][1]
        for (t0, f0), (t1, f1) in itertools.pairwise(points):
            if temperature_c <= t1:
                return f0 + (f1 - f0) * (temperature_c - t0) / (t1 - t0)
        return points[-1][1]

    def hub_cost_for(self, item: str) -> HubCost:
        return _lookup(self.hub_costs, item, HUB_COSTS_FILE, "item")

    def hub_in_base_prices(self, hub: Hub) -> Hub:
        """``hub`` with its costs in NOK of :data:`PRICE_BASE_YEAR`: a fixed cost it does
        not state is its floor area times the rent plus the coordination (``hub_costs.csv``,
        each converted from its own price year and currency)."""
        rent, coordination = self.hub_cost_for("rent"), self.hub_cost_for("coordination")
        fixed_nok = (self.to_base_nok(hub.fixed_cost_nok_per_year, hub.price_year)
                     if hub.fixed_cost_nok_per_year is not None
                     else self.to_base_nok(rent.amount * hub.floor_area_m2, rent.price_year,
                                           rent.currency)
                     + self.to_base_nok(coordination.amount, coordination.price_year,
                                        coordination.currency))
        return hub.model_copy(update={
            "fixed_cost_nok_per_year": fixed_nok, "price_year": PRICE_BASE_YEAR,
            "handling_cost_nok_per_kg": self.to_base_nok(hub.handling_cost_nok_per_kg,
                                                         hub.price_year)})

    def to_base_nok(self, amount: float, price_year: int, currency: str = "NOK") -> float:
        """``amount`` of ``currency`` in prices of ``price_year`` as NOK of
        :data:`PRICE_BASE_YEAR`: converted to NOK at that year's average rate, then
        inflated by the CPI ratio (a missing year is an error naming the table)."""
        if currency != "NOK":
            amount *= _lookup(self.exchange_rates, (price_year, currency),
                              EXCHANGE_RATES_FILE, "year, currency").nok_per_unit
        base = _lookup(self.cpi, PRICE_BASE_YEAR, CPI_FILE, "year").cpi_2015_100
        return amount * base / _lookup(self.cpi, price_year, CPI_FILE, "year").cpi_2015_100

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

    def hub_energy_for(self, activity: str) -> HubEnergy:
        return _lookup(self.hub_energy, activity, HUB_ENERGY_FILE, "activity")

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
        raise InputError([Problem(_source(file), "", field, _show(key),
                                  f"a row for one of: {allowed}")]) from None


def _show(key: Any) -> str:
    if isinstance(key, tuple):
        return "/".join(str(part) for part in key)
    return str(key)


def _source(file: str) -> str:
    return f"factor table {file}"


_TABLES: dict[str, tuple[str, type[_FactorRow], tuple[str, ...]]] = {
    "energy_carriers": (ENERGY_CARRIERS_FILE, CarrierFactors, ("carrier",)),
    "electricity": (ELECTRICITY_FILE, ElectricityBasis, ("basis",)),
    "exhaust": (EXHAUST_FILE, ExhaustFactors,
                ("vehicle_class", "energy_carrier", "euro_stage")),
    "non_exhaust": (NON_EXHAUST_FILE, NonExhaustFactors, ("vehicle_class",)),
    "carbon_prices": (CARBON_PRICE_FILE, CarbonPrice, ("year",)),
    "external_costs": (EXTERNAL_COSTS_FILE, ExternalCost,
                       ("vehicle_class", "zero_emission", "area")),
    "hub_energy": (HUB_ENERGY_FILE, HubEnergy, ("activity",)),
    "hub_costs": (HUB_COSTS_FILE, HubCost, ("item",)),
    "ev_temperature": (EV_TEMPERATURE_FILE, EvTemperature, ("temperature_c",)),
    "cpi": (CPI_FILE, ConsumerPriceIndex, ("year",)),
    "exchange_rates": (EXCHANGE_RATES_FILE, ExchangeRate, ("year", "currency")),
}
"""Each :class:`FactorTables` field: its file, row model and the fields its rows are
unique on (the lookup key)."""


def _columns(model: type[_FactorRow]) -> dict[str, str]:
    """The CSV column of each field of a row model, in field order."""
    return {name: alias if isinstance(alias := field.validation_alias, str) else name
            for name, field in model.model_fields.items()}


def _read(directory: Path, file: str, model: type[_FactorRow],
          problems: ProblemCollector) -> Rows:
    """The rows of one factor file; a missing file or column, or a file the shared reader
    rejects (not UTF-8, broken CSV), is recorded and gives none."""
    path = directory / file
    if not path.is_file():
        problems.add(_source(file), str(directory), "file", "missing",
                     f"a CSV file named {file}")
        return Rows([], [])
    rows = problems.attempt(lambda: read_rows(path))
    if rows is None:
        return Rows([], [])
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = {column.strip() for column in next(csv.reader(handle), [])}
    columns = _columns(model).values()
    if missing := [column for column in columns if column not in header]:
        problems.add(_source(file), "header", ", ".join(missing), "missing columns",
                     ", ".join(columns))
        return Rows([], [])
    return rows


def _valid_rows(rows: Rows, model: type[_FactorRow], source: str,
                problems: ProblemCollector) -> list[tuple[str, _FactorRow]]:
    """The rows that validate, with their locations (``row 2`` for the first row under
    the header); the problems of the others are recorded (all of them, by
    :func:`validate_rows`)."""
    locations = row_locations(rows)
    with problems.collecting():
        return list(zip(locations, validate_rows(rows, model, source, key=None), strict=True))
    valid: list[tuple[str, _FactorRow]] = []
    for where, row in zip(locations, rows, strict=True):
        with contextlib.suppress(ValidationError):
            valid.append((where, model.model_validate(row)))
    return valid


def _load(directory: Path, file: str, model: type[_FactorRow], key_fields: tuple[str, ...],
          problems: ProblemCollector) -> Mapping[Any, Any]:
    """The valid rows of one factor file by their ``key_fields`` (one field: its value,
    several: a tuple); a key found twice is a problem."""
    source = _source(file)
    key = operator.attrgetter(*key_fields)
    key_columns = ", ".join(_columns(model)[field] for field in key_fields)
    first: dict[Any, tuple[str, _FactorRow]] = {}
    for where, row in _valid_rows(_read(directory, file, model, problems), model, source,
                                  problems):
        row_key = key(row)
        if row_key in first:
            problems.add(source, where, key_columns, _show(row_key),
                         f"unique values (also in {first[row_key][0]})")
        first.setdefault(row_key, (where, row))
    return MappingProxyType({row_key: row for row_key, (_, row) in first.items()})


@functools.cache
def default_factor_tables() -> FactorTables:
    """The shipped factor tables (``data/factors/``), read once per process."""
    return load_factor_tables(FACTORS_DIR)


def load_factor_tables(directory: Path | str = FACTORS_DIR) -> FactorTables:
    """Load and validate every factor table in ``directory``.

    Raises one InputError listing every problem of every table (file, row, field,
    what was found, what is allowed), duplicate keys and missing carriers included.
    """
    directory = Path(directory)
    problems = ProblemCollector()
    tables = FactorTables(**{name: _load(directory, file, model, key_fields, problems)
                             for name, (file, model, key_fields) in _TABLES.items()})
    if (directory / ENERGY_CARRIERS_FILE).is_file():
        for carrier in EnergyCarrier:
            if carrier not in tables.energy_carriers:
                problems.add(_source(ENERGY_CARRIERS_FILE), "", "carrier", "no row",
                             f"a row for {carrier.value}")
    problems.raise_if_any()
    converted = dataclasses.replace(
        tables,
        carbon_prices=_in_base_prices(tables, "carbon_prices", problems),
        external_costs=_in_base_prices(tables, "external_costs", problems))
    problems.raise_if_any()
    return converted


def _in_base_prices(tables: FactorTables, name: str,
                    problems: ProblemCollector) -> Mapping[Any, Any]:
    """The rows of table ``name`` with their money fields in NOK of
    :data:`PRICE_BASE_YEAR`; a price year without a CPI row is a problem naming the row
    by its key."""
    file, model, key_fields = _TABLES[name]
    key_columns = ", ".join(_columns(model)[field] for field in key_fields)
    rows: Mapping[Any, _PricedRow] = getattr(tables, name)
    converted = {}
    for key, row in rows.items():
        try:
            converted[key] = row.model_copy(update={
                name: tables.to_base_nok(getattr(row, name), row.price_year)
                for name in row.MONEY_FIELDS})
        except InputError:
            problems.add(_source(file), f"{key_columns}={_show(key)}", "price_year",
                         row.price_year,
                         f"a year of {CPI_FILE}: {sorted(tables.cpi)}")
    return MappingProxyType(converted)
