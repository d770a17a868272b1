"""Domain objects: delivery points, suppliers, hubs, categories, orders, vehicles.

All objects are frozen pydantic models; variants are made with
:meth:`~logistics.validated.Frozen.with_overrides`, which validates them. Every
quantity carries its unit in its name.
Ids are strings taken unchanged from the input.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator

from logistics.clock import SECONDS_PER_DAY, Weekday, parse_clock_s, parse_windows_s
from logistics.validated import Frozen, Id, Name, Text

LON_RANGE = (-180.0, 180.0)
LAT_RANGE = (-90.0, 90.0)


def _windows_from_any(value: Any) -> Any:
    """Accept ``"07:30-11:00;13:00-14:00"``, a list of such windows, one pair
    ``["06:30", "15:00"]``, or a list of pairs of times ("HH:MM" or seconds since
    midnight, as before)."""
    if isinstance(value, str):
        return parse_windows_s(value)
    if not isinstance(value, list | tuple) or not value:
        return value
    if all(isinstance(v, str) for v in value):
        if len(value) == 2 and not any("-" in v for v in value):
            return ((parse_clock_s(value[0]), parse_clock_s(value[1])),)
        return parse_windows_s(";".join(value))
    return tuple(tuple(parse_clock_s(t) if isinstance(t, str) else t for t in pair)
                 if isinstance(pair, list | tuple) else pair for pair in value)


_CLOCK_PATTERN = r"^([01]?\d|2[0-4]):[0-5]\d(:[0-5]\d)?$"
_WINDOWS_SCHEMA = {
    "description": "time windows: 'HH:MM-HH:MM' (';' between windows), a list of them, "
                   "or a list of [start, end] pairs, each 'HH:MM' or seconds since midnight",
    "anyOf": [
        {"type": "string", "examples": ["07:30-14:00"]},
        {"type": "array", "items": {"anyOf": [
            {"type": "string"},
            {"type": "array", "minItems": 2, "maxItems": 2, "items": {"anyOf": [
                {"type": "string", "pattern": _CLOCK_PATTERN},
                {"type": "integer", "minimum": 0, "maximum": SECONDS_PER_DAY}]}}]}}]}


def _check_windows(windows: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    if not windows:
        raise ValueError("at least one time window is needed")
    for start_s, end_s in windows:
        if not 0 <= start_s < end_s <= SECONDS_PER_DAY:
            raise ValueError(f"time window ({start_s}, {end_s}) must have 0 <= start < end "
                             f"<= {SECONDS_PER_DAY} (seconds since midnight, one day)")
    return tuple(sorted(windows))


TimeWindows = Annotated[
    tuple[tuple[int, int], ...],
    BeforeValidator(_windows_from_any),
    AfterValidator(_check_windows),
    WithJsonSchema(_WINDOWS_SCHEMA, mode="validation"),
]
"""Receiving windows, seconds since midnight; ``"HH:MM-HH:MM;..."`` in files."""


MAX_SERVICE_TIME_S = 4 * 3600.0
"""Longest fixed service time at a stop (unloading a full truck takes about an hour)."""
MAX_VEHICLE_HEIGHT_M = 5.0
MAX_VEHICLE_LENGTH_M = 25.25
"""EU modular vehicle combinations (Directive 96/53/EC; Norway allows them on listed roads)."""
MAX_GROSS_WEIGHT_KG = 60_000.0
"""Norway's largest permitted road train (60 t, modular vehicles)."""
MAX_PAYLOAD_KG = 45_000.0
MAX_VOLUME_M3 = 150.0
MAX_RANGE_M = 3_000_000.0
MAX_ENERGY_KWH_PER_KM = 20.0
MAX_VEHICLES_PER_ENTRY = 1000


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(";") if p.strip())
    if value is None:
        return ()
    return value


StrList = Annotated[tuple[str, ...], BeforeValidator(_split_list)]
"""A list of ids; ``"a;b;c"`` in CSV cells."""


def _days_or_none(value: Any) -> Any:
    """``"mon;thu"`` -> ("mon", "thu"); an empty cell -> None (not observed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        return tuple(p.strip().lower() for p in value.split(";") if p.strip())
    return value

Lon = Annotated[float, Field(ge=LON_RANGE[0], le=LON_RANGE[1])]
Lat = Annotated[float, Field(ge=LAT_RANGE[0], le=LAT_RANGE[1])]


class TemperatureClass(StrEnum):
    AMBIENT = "ambient"
    CHILLED = "chilled"
    FROZEN = "frozen"


class UnitType(StrEnum):
    KINDERGARTEN = "kindergarten"
    SCHOOL = "school"
    NURSING_HOME = "nursing_home"
    HOME_CARE_BASE = "home_care_base"
    OFFICE = "office"


class VehicleClass(StrEnum):
    CARGO_BIKE = "cargo_bike"
    VAN = "van"
    RIGID_TRUCK = "rigid_truck"


class EnergyCarrier(StrEnum):
    DIESEL = "diesel"
    HVO100 = "hvo100"
    BIOGAS = "biogas"
    ELECTRICITY = "electricity"


class Category(Frozen):
    """A product group with the temperature class it must travel in."""

    id: Id
    name: Name
    name_nb: Name = ""
    temperature_class: TemperatureClass


class Site(Frozen):
    """A place goods are delivered to or from: its id, name and WGS84 position."""

    id: Id
    name: Name
    lon: Lon
    lat: Lat


class Unit(Site):
    """A municipal delivery point (kindergarten, school, nursing home, ...)."""

    unit_type: UnitType
    size: int = Field(ge=0, le=100_000, description="children, pupils or beds")
    size_basis: Text = ""
    district: Name = ""
    time_windows: TimeWindows
    service_time_s: float = Field(ge=0, le=MAX_SERVICE_TIME_S)
    max_vehicle_height_m: float | None = Field(default=None, gt=0, le=MAX_VEHICLE_HEIGHT_M)
    max_vehicle_length_m: float | None = Field(default=None, gt=0, le=MAX_VEHICLE_LENGTH_M)
    max_vehicle_weight_kg: float | None = Field(default=None, gt=0, le=MAX_GROSS_WEIGHT_KG)
    address: Name | None = Field(default=None, description="street and number, for matching "
                                                  "purchase documents")
    postcode: str | None = Field(default=None, pattern=r"^\d{4}$",
                                 description="Norwegian postal code")


class Facility(Site):
    """A site in a logistics area: a supplier depot or a hub. Illustrative unless
    stated (supplier and hub data are not public)."""

    area: Name = ""
    illustrative: bool = True


class Supplier(Facility):
    """A supplier with its own depot and fleet."""

    categories: StrList
    backup_categories: StrList = ()
    depot_open: TimeWindows
    org_number: str | None = Field(default=None, pattern=r"^\d{9}$",
                            description="Norwegian organisation number (9 digits), to match "
                                        "the seller of purchase documents")
    framework_agreement: bool = Field(default=True, description="false for a supplier "
                                      "outside the municipality's framework agreements")


class Hub(Facility):
    """A candidate consolidation centre. Its NOK are in prices of ``price_year``; its
    fixed cost, when not given, is its floor area times the rent plus the coordination
    of ``data/factors/hub_costs.csv``."""

    opening: TimeWindows
    handling_cost_nok_per_kg: float = Field(ge=0, le=1000)
    capacity_kg_per_day: float = Field(gt=0, le=10_000_000)
    floor_area_m2: float = Field(gt=0, le=1_000_000)
    price_year: int = Field(ge=1979, le=2100)
    fixed_cost_nok_per_year: float | None = Field(default=None, ge=0, le=1e10)


class VehicleType(Frozen):
    """A vehicle model of the catalogue, with capacities, energy use and costs."""

    id: Id
    name: Name
    name_nb: Name = ""
    """The name in bokmål (reports and maps in ``nb``); the English ``name`` when empty."""
    vehicle_class: VehicleClass
    energy_carrier: EnergyCarrier
    capacity_kg: float = Field(gt=0, le=MAX_PAYLOAD_KG)
    capacity_m3: float = Field(gt=0, le=MAX_VOLUME_M3)
    temperature_classes: Annotated[tuple[TemperatureClass, ...], BeforeValidator(_split_list)]
    range_m: float | None = Field(default=None, gt=0, le=MAX_RANGE_M)
    height_m: float = Field(gt=0, le=MAX_VEHICLE_HEIGHT_M)
    length_m: float = Field(gt=0, le=MAX_VEHICLE_LENGTH_M)
    gross_weight_kg: float = Field(gt=0, le=MAX_GROSS_WEIGHT_KG)
    euro_class: str = Field(default="none", max_length=20)
    energy_kwh_per_km_empty: float = Field(gt=0, le=MAX_ENERGY_KWH_PER_KM)
    energy_kwh_per_km_full: float = Field(gt=0, le=MAX_ENERGY_KWH_PER_KM)
    fixed_cost_nok_per_day: float = Field(ge=0, le=100_000)
    cost_nok_per_km: float = Field(ge=0, le=1000)
    cost_nok_per_hour: float = Field(ge=0, le=10_000)
    source: Text = ""

    @model_validator(mode="after")
    def _full_uses_more(self) -> VehicleType:
        if self.energy_kwh_per_km_full < self.energy_kwh_per_km_empty:
            raise ValueError("energy_kwh_per_km_full must be >= energy_kwh_per_km_empty")
        return self

    @property
    def is_zero_emission(self) -> bool:
        """True for battery-electric vehicles and cargo bikes (no tailpipe)."""
        return self.energy_carrier is EnergyCarrier.ELECTRICITY

    def can_carry(self, temperature_class: TemperatureClass) -> bool:
        return temperature_class in self.temperature_classes

    def cost_parts_nok(self, distance_m: float, duration_s: float,
                       vehicle_day_share: float = 1.0) -> tuple[float, float, float]:
        """Budget cost of one route or trip of this vehicle, NOK: its share of a
        vehicle-day (1 for a route; the hours used for a trunk trip), its km and its
        driver hours (start to end: driving, service, waiting and breaks)."""
        return (self.fixed_cost_nok_per_day * vehicle_day_share,
                distance_m / 1000 * self.cost_nok_per_km,
                duration_s / 3600 * self.cost_nok_per_hour)

    def energy_kwh_per_km(self, payload_kg: float) -> float:
        """Final energy per km at a payload, linear between empty and full (kWh/km)."""
        share = min(max(payload_kg / self.capacity_kg, 0.0), 1.0)
        return self.energy_kwh_per_km_empty + share * (
            self.energy_kwh_per_km_full - self.energy_kwh_per_km_empty
        )


class FleetEntry(Frozen):
    """``count`` vehicles of a catalogue type at one depot; ``max_trips`` > 1 lets
    them return to reload."""

    vehicle_type: Id
    count: int = Field(ge=0, le=MAX_VEHICLES_PER_ENTRY)
    max_trips: int = Field(default=1, ge=1, le=4)


class DemandRate(Frozen):
    """Weekly demand per unit of size (child, pupil, bed) of one category at one unit type."""

    unit_type: UnitType
    category: Id
    kg_per_size_per_week: float = Field(ge=0, le=1000)
    m3_per_kg: float = Field(gt=0, le=100)
    deliveries_per_week_today: int = Field(ge=1, le=7)
    basis: Text = ""
    source: Text = ""


class UnitWeeks(Frozen):
    """Weeks a year a unit type receives deliveries (``unit_weeks.csv``): schools only in
    school weeks, kindergartens all but their closures."""

    unit_type: UnitType
    weeks_per_year: float = Field(gt=0, le=53)
    source: Text


class MonthTemperature(Frozen):
    """The study area's mean outdoor temperature of one month (``monthly_temperature.csv``,
    a climate normal)."""

    month: int = Field(ge=1, le=12)
    mean_temperature_c: float = Field(ge=-60, le=50)
    source: Text


class StockDays(Frozen):
    """Days of normal consumption a unit holds on site, per category."""

    unit_type: UnitType
    category: Id
    stock_days: float = Field(ge=0, le=366)
    basis: Text = ""
    source: Text = ""


class DeliveryWindow(Frozen):
    """When a unit type receives some goods: a category id or a temperature class, and
    the window its deliveries must be made in (intersected with the unit's own)."""

    unit_type: UnitType
    goods: Id = Field(description="a category id, or a temperature class")
    window: TimeWindows
    source: Text = Field(min_length=1, description="where the window comes from, or "
                                                   "'assumption: ...'")


class Order(Frozen):
    """A standing order: one unit receives one category from one supplier every week."""

    id: Id
    unit_id: Id
    category: Id
    supplier_id: Id
    demand_kg_per_week: float = Field(ge=0, le=1_000_000)
    volume_m3_per_week: float = Field(ge=0, le=10_000)
    deliveries_per_week: int = Field(ge=1, le=7)
    delivery_days: Annotated[tuple[Weekday, ...] | None, BeforeValidator(_days_or_none)] = Field(
        default=None,
        description="observed delivery days, ``mon;thu`` in files (empty = not observed); "
                    "the direct design replays them, and they set the frequency")

    @model_validator(mode="before")
    @classmethod
    def _frequency_from_days(cls, data: Any) -> Any:
        """Observed days give the frequency when ``deliveries_per_week`` is left empty."""
        if isinstance(data, dict) and data.get("deliveries_per_week") is None:
            days = _days_or_none(data.get("delivery_days"))
            if isinstance(days, tuple) and days:
                return {**data, "deliveries_per_week": len(days)}
        return data

    @model_validator(mode="after")
    def _days_match_frequency(self) -> Order:
        days = self.delivery_days
        if days is not None:
            if not days or len(set(days)) != len(days):
                raise ValueError(f"delivery_days {';'.join(days) or '(none)'}: each day "
                                 "once, at least one")
            if len(days) != self.deliveries_per_week:
                raise ValueError(f"delivery_days {';'.join(days)} has {len(days)} days but "
                                 f"deliveries_per_week is {self.deliveries_per_week}: "
                                 "equal, or leave deliveries_per_week empty")
        return self
