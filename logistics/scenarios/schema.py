"""The scenario format: one validated model of a whole scenario.

Each stage owns its settings (:class:`~logistics.travel.settings.TravelSettings`,
:class:`~logistics.routing.settings.SolverSettings`); the scenario composes them with
the design, fleets, frequencies, disruptions and accounting choices. The same models
validate scenario files, the CLI and the HTTP API; the JSON schema of the format is
generated from :class:`Scenario` (:mod:`logistics.scenarios.files`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from logistics.clock import SECONDS_PER_DAY, WEEKDAYS, Weekday
from logistics.errors import ProblemCollector
from logistics.model.domain import FleetEntry, TimeWindows
from logistics.model.factors import REFERENCE_YEAR
from logistics.paths import PROJECT_ROOT
from logistics.routing.settings import SolverSettings
from logistics.scenarios.disruptions import Disruption
from logistics.travel.settings import TravelSettings
from logistics.validated import Frozen, Id, Text

MAX_SCENARIO_NAME_LENGTH = 100
"""A scenario's name names its result folder: short enough for every file system."""

FilePath = Annotated[str, Field(min_length=1, max_length=500)]
"""A file or folder path in a scenario, relative to the project root."""


class FleetsSpec(Frozen):
    """Fleets the scenario sets. Suppliers keep the fleets of the data set."""

    hub: tuple[FleetEntry, ...] = ()
    collection: tuple[FleetEntry, ...] = Field(
        default=(),
        description="the hub's collection vehicles (consolidated design): each day they "
                    "collect suppliers' goods on round trips from the hub (milk runs) "
                    "wherever that costs less than the supplier's own trunk trips; empty = "
                    "every supplier brings its goods")


class EmissionsSpec(Frozen):
    """Accounting choices named in every result."""

    electricity_basis: Literal[
        "location_nve_2022", "residual_mix_nve_2020", "zero_kommune_inventory"
    ] = "location_nve_2022"
    biogenic_co2: Literal["zero_at_tailpipe", "counted"] = "zero_at_tailpipe"
    carbon_price_year: int = Field(
        default=REFERENCE_YEAR, ge=2020, le=2050,
        description="the reference year of the accounting: the carbon price of this year "
                    "(data/factors/carbon_price.csv, all in 2020 NOK); the result's vintage "
                    "names the year of the diesel bio share and of the electricity factor")
    diesel_bio_share: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="bio share (energy) of road diesel; None = the factor table's value, "
                    "0 = fossil diesel")
    external_cost_area: Id = Field(
        default="town_over_100k", description="row of data/factors/external_costs.csv")
    allocation: Literal["shortest_distance", "actual_distance"] = Field(
        default="shortest_distance",
        description="how a route's emissions are shared among its orders: ISO 14083 mass x "
                    "shortest feasible distance, or tonne-km as driven")
    ev_energy_by_season: bool = Field(
        default=True,
        description="battery-electric energy as the year's mean over the data set's monthly "
                    "temperatures (monthly_temperature.csv, data/factors/ev_temperature.csv); "
                    "false = the vehicles' tabled summer energy all year")
    hub_energy_scale: float = Field(
        default=1.0, ge=0.0, le=10.0,
        description="multiplier on the hub energy factors of data/factors/hub_energy.csv "
                    "(1 = as tabled; 0 leaves hub operations out)")


class CostsSpec(Frozen):
    """Multipliers on cost inputs for sensitivity studies (accounting only: the routes
    are planned on the tabled costs)."""

    hub_cost_scale: float = Field(
        default=1.0, ge=0.0, le=10.0,
        description="multiplier on the hub's fixed and handling cost (1 = as in hubs.csv)")
    hourly_cost_scale: float = Field(
        default=1.0, ge=0.0, le=10.0,
        description="multiplier on every vehicle's cost per hour, the driver's wage and "
                    "other time costs (1 = as in vehicles.csv)")


class SharedRoutesSpec(Frozen):
    """Suppliers' vehicles also serve other customers
    (:mod:`logistics.accounting.shared_routes`)."""

    municipal_share: float = Field(
        default=1.0, gt=0.0, le=1.0,
        description="the municipality's share (ISO 14083, mass x shortest distance) of a "
                    "supplier vehicle's route, direct routes and trunk trips alike; the "
                    "route's km, hours, energy, emissions and cost are attributed to the "
                    "municipality in this share (1 = the vehicle serves the municipality "
                    "only)")


class ChannelsSpec(Frozen):
    """Flows delivered by parcel or groupage carriers instead of suppliers' own vehicles
    (:mod:`logistics.plan.channels`; files relative to the project root)."""

    file: FilePath | None = Field(
        default=None,
        description="channels.csv: supplier or category id -> own_fleet | parcel | "
                    "groupage; none = every flow by its supplier's own fleet")
    rates_file: FilePath = Field(
        default="data/factors/carrier_intensities.csv",
        description="the carriers' intensities and prices, one row per channel")
    consolidated: Literal["to_unit", "to_hub"] = Field(
        default="to_unit",
        description="in a consolidated design, whether carriers still deliver to the "
                    "units, or to the hub with the hub's fleet making the last mile (on "
                    "days the hub is closed they deliver to the units)")


ONE_OFF_ITEMS = ("hub_setup", "chargers", "vehicles", "ict", "transition_staff_fte_years")
"""The one-off cost items of ``data/factors/one_off_costs.csv``, each a quantity."""


class EconomicsSpec(Frozen):
    """What a budget needs beyond the yearly costs: the one-off costs of setting up the
    design and the contract period its net present value is taken over."""

    contract_years: int = Field(
        default=10, ge=1, le=40,
        description="years the design runs (net present value and annualised one-off "
                    "costs are taken over them)")
    discount_rate: float = Field(
        default=0.04, ge=0.0, le=0.2,
        description="real discount rate a year; 0.04 = Finansdepartementet, rundskriv "
                    "R-109/21, for the first 40 years")
    one_off_costs_file: FilePath = Field(
        default="data/factors/one_off_costs.csv",
        description="unit prices of the one-off items, each row with its source")
    one_off: dict[str, float] = Field(
        default_factory=dict,
        description="quantity of one-off items, overriding what the scenario implies "
                    f"(allowed keys: {', '.join(ONE_OFF_ITEMS)}); by default a "
                    "consolidated design sets up one hub and its ICT, one charger per "
                    "electric vehicle of the hub's fleets, buys no vehicles (their day "
                    "cost covers leasing) and staffs the transition with one FTE-year; "
                    "direct delivery has none")

    @field_validator("one_off")
    @classmethod
    def _known_items(cls, value: dict[str, float]) -> dict[str, float]:
        for key, quantity in value.items():
            if key not in ONE_OFF_ITEMS:
                raise ValueError(f"one_off[{key!r}]: allowed keys {', '.join(ONE_OFF_ITEMS)}")
            if not 0 <= quantity <= 1000:
                raise ValueError(f"one_off[{key!r}] = {quantity}: allowed 0..1000")
        return value


class ReuseSpec(Frozen):
    """Reuse flows collected and redistributed on the consolidated routes through the
    reuse store at the hub (files relative to the project root)."""

    flows_file: FilePath = "data/bergen/reuse_flows.csv"
    items_file: FilePath = "data/bergen/reuse_items.csv"


class Scenario(Frozen):
    """A fully merged, validated scenario."""

    name: str = Field(min_length=1, max_length=MAX_SCENARIO_NAME_LENGTH,
                      pattern=r"^[a-z0-9][a-z0-9_.-]*$",
                      description="lower-case letters, digits, '_', '.' and '-'; it names "
                                  "the result folder")
    description: Text = ""
    extends: Id | None = None
    dataset_dir: FilePath = "data/bergen"
    orders_file: FilePath | None = None
    design: Literal["direct", "consolidated"]
    hub: Id | None = None
    fleet: FleetsSpec = FleetsSpec()
    frequency_per_week: dict[str, int] = Field(default_factory=lambda: {"default": 2})
    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    weeks_per_year: float | None = Field(
        default=None, gt=0, le=53,
        description="weeks a year with deliveries, the same for every unit; None = by unit "
                    "type from the data set's unit_weeks.csv (schools 38, kindergartens 47)")
    shift: TimeWindows = ((6 * 3600 + 1800, 16 * 3600),)
    max_route_duration_s: float | None = Field(default=9 * 3600.0, gt=0,
                                               le=SECONDS_PER_DAY,
                                               description="longest route (s), at most a day")
    service_s_per_kg: float = Field(default=0.6, ge=0, le=60,
                                    description="handling time per kg at a stop (s/kg)")
    unserved_penalty_nok: float = Field(default=50_000.0, gt=0, le=1e9)
    winter_range_derating: float = Field(default=0.0, ge=0.0, le=0.6)
    driver_breaks: bool = True
    travel: TravelSettings = TravelSettings()
    solver: SolverSettings = SolverSettings()
    emissions: EmissionsSpec = EmissionsSpec()
    costs: CostsSpec = CostsSpec()
    disruptions: tuple[Disruption, ...] = ()
    reuse: ReuseSpec | None = None
    hub_timing: Literal["same_day", "day_before"] = Field(
        default="same_day",
        description="consolidated design: same_day = inbound goods arrive the morning "
                    "they go out and a distribution route leaves only once the goods it "
                    "carries are unloaded (a release time on each delivery); day_before = "
                    "goods arrive the previous planning day and are stored overnight "
                    "(chilled store and its energy reported)")
    shared_routes: SharedRoutesSpec = SharedRoutesSpec()
    channels: ChannelsSpec = ChannelsSpec()
    economics: EconomicsSpec = EconomicsSpec()

    @field_validator("frequency_per_week")
    @classmethod
    def _frequencies(cls, value: dict[str, int]) -> dict[str, int]:
        for key, times in value.items():
            if not 1 <= times <= 7:
                raise ValueError(f"frequency_per_week[{key!r}] = {times}: allowed 1..7")
        return value

    @field_validator("days")
    @classmethod
    def _unique_days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value) or not value:
            raise ValueError("days must be a non-empty list without repeats")
        return tuple(sorted(value, key=WEEKDAYS.index))

    @field_validator("shift")
    @classmethod
    def _one_shift(cls, value: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
        if len(value) != 1:
            raise ValueError("shift is one window 'HH:MM-HH:MM'")
        return value

    @model_validator(mode="after")
    def _design_needs(self) -> Scenario:
        if self.design == "consolidated":
            if not self.hub:
                raise ValueError("design 'consolidated' needs 'hub' (a hub id)")
            if not any(f.count for f in self.fleet.hub):
                raise ValueError("design 'consolidated' needs 'fleet.hub' with vehicles")
        elif self.reuse is not None:
            raise ValueError("reuse flows ride on consolidated routes: 'reuse' needs "
                             "design 'consolidated'")
        return self

    def frequency_for(self, category: str, temperature_class: str) -> int:
        """Deliveries per week of a category: by category id, then temperature class,
        then ``default``; never more than the planning days."""
        table = self.frequency_per_week
        times = table.get(category, table.get(temperature_class, table.get("default", 2)))
        return min(times, len(self.days))

    @property
    def shift_s(self) -> tuple[int, int]:
        return self.shift[0]

    def resolve(self, relative: str) -> Path:
        """A path of the scenario (dataset_dir, orders_file) made absolute: relative paths
        are taken from the project root."""
        path = Path(relative)
        return path if path.is_absolute() else PROJECT_ROOT / path


def check_references(scenario: Scenario, source: str, hub_ids: set[str],
                     vehicle_ids: set[str], categories: Mapping[str, str]) -> None:
    """Cross-check ids the scenario names against the data set: ``categories`` maps
    each category id to its temperature class. A frequency key must be a category, the
    temperature class of one, or ``default``."""
    problems = ProblemCollector()
    if scenario.hub is not None and scenario.hub not in hub_ids:
        problems.add(source, "scenario", "hub", scenario.hub, f"one of {sorted(hub_ids)}")
    for fleet in ("hub", "collection"):
        for number, entry in enumerate(getattr(scenario.fleet, fleet)):
            if entry.vehicle_type not in vehicle_ids:
                problems.add(source, "scenario", f"fleet.{fleet}.{number}.vehicle_type",
                             entry.vehicle_type, f"one of {sorted(vehicle_ids)}")
    classes = sorted(set(categories.values()))
    for key in scenario.frequency_per_week:
        if key not in {*categories, *classes, "default"}:
            problems.add(source, "scenario", f"frequency_per_week.{key}", key,
                         f"a category id {sorted(categories)}, a temperature class the "
                         f"categories travel in {classes}, or 'default'")
    problems.raise_if_any()
