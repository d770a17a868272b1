"""Accounting of planned routes: distances, tonne-km, energy, emissions, costs.

Joins the plan (which orders each stop carries) with the emission and cost models,
and allocates each route's emissions to the orders on board (ISO 14083, tonne-km).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logistics.accounting.costs import hub_fixed_cost_nok_per_week, route_cost, social_cost
from logistics.accounting.emissions import (
    AllocationRule,
    BiogenicRule,
    EmissionSettings,
    EmissionsMethod,
    EmissionsMethodJson,
    LegEmissions,
    allocate_by_shortest_distance,
    allocate_route,
    route_leg_emissions,
    total,
)
from logistics.accounting.hub import HubOperations, hub_operations
from logistics.accounting.kpi import RouteAccount, YearWeeks
from logistics.accounting.season import seasonal_energy_factor
from logistics.errors import ProblemCollector
from logistics.model.dataset import UNIT_WEEKS_FILE, DataSet
from logistics.model.domain import Hub, TemperatureClass, VehicleType
from logistics.model.factors import FactorTables, default_factor_tables
from logistics.plan.planned import PlannedRoute
from logistics.scenarios.schema import CostsSpec, Scenario


@dataclass(frozen=True)
class AccountingContext:
    """Factor tables, accounting choices, the scenario's hub, the weeks a year of each
    unit, the study's hubs (costs in base-year NOK) and temperature classes (for the hub
    days), the cost multipliers and the planning days a week (a hub is open on them)."""

    factors: FactorTables
    settings: EmissionSettings
    hub: Hub | None
    year: YearWeeks
    hubs: Mapping[str, Hub]
    temperature: Mapping[str, TemperatureClass]
    costs: CostsSpec
    days_per_week: int

    @classmethod
    def for_scenario(cls, scenario: Scenario, dataset: DataSet,
                     source: str = "scenario") -> AccountingContext:
        spec = scenario.emissions
        factors = default_factor_tables()
        settings = EmissionSettings(
            electricity_basis=spec.electricity_basis,
            biogenic_co2=BiogenicRule(spec.biogenic_co2),
            carbon_price_year=spec.carbon_price_year,
            diesel_bio_share=spec.diesel_bio_share,
            external_cost_area=spec.external_cost_area,
            hub_energy_scale=spec.hub_energy_scale,
            allocation=AllocationRule(spec.allocation),
            electric_energy_factor=seasonal_energy_factor(
                {m: row.mean_temperature_c for m, row in dataset.monthly_temperature.items()},
                factors) if spec.ev_energy_by_season else 1.0,
        )
        settings.check(factors, source)
        factors.check_covers(dataset.vehicle_types.values(), settings.external_cost_area)
        hubs = {h.id: factors.hub_in_base_prices(h) for h in dataset.hubs}
        hub = hubs[scenario.hub] if scenario.design == "consolidated" and scenario.hub \
            else None
        return cls(factors, settings, hub, year_weeks(scenario, dataset), hubs,
                   {c.id: c.temperature_class for c in dataset.categories}, scenario.costs,
                   len(scenario.days))

    def hub_operations(self, routes: Iterable[PlannedRoute]) -> HubOperations:
        """The hubs' week: energy and handling of the hub days of ``routes``, and the
        scenario hub's fixed cost pro-rated (none in a direct design)."""
        if self.hub is None:
            return HubOperations()
        return hub_operations(
            routes, self.hubs, self.temperature, self.factors,
            self.factors.electricity_basis(self.settings.electricity_basis).co2e_kg_per_kwh,
            self.settings.hub_energy_scale,
            self.costs.hub_cost_scale
            * hub_fixed_cost_nok_per_week(self.hub, self.year.hub_weeks),
            self.factors.carbon_price(self.settings.carbon_price_year).nok_per_t_co2e,
            self.year.hub_weeks * self.days_per_week, self.costs.hub_cost_scale)

    def describe(self) -> AccountingMethod:
        """The accounting method: :meth:`EmissionSettings.describe` and the weeks a year."""
        return AccountingMethod(self.settings.describe(self.factors), self.year)


@dataclass(frozen=True)
class AccountingMethod:
    """How a result was accounted: the emissions method and the weeks a year
    (``emissions_method`` in ``result.json``)."""

    emissions: EmissionsMethod
    year: YearWeeks

    def as_json(self) -> AccountingMethodJson:
        return {**self.emissions.as_json(), **self.year.describe()}


class AccountingMethodJson(EmissionsMethodJson, total=False):
    """``emissions_method`` in ``result.json``: the emissions method and how the year
    was made (an older result may lack fields)."""

    weeks_per_year: dict[str, float]
    hub_weeks_per_year: float
    year_method: str


def year_weeks(scenario: Scenario, dataset: DataSet) -> YearWeeks:
    """Weeks a year of every unit: the scenario's ``weeks_per_year`` when it sets one,
    else its unit type's row of the study's ``unit_weeks.csv`` (a unit type without a
    row is an error naming the file and the types it has)."""
    by_type = {unit_type: row.weeks_per_year for unit_type, row in dataset.unit_weeks.items()}
    if scenario.weeks_per_year is not None:
        by_type = {unit.unit_type: scenario.weeks_per_year for unit in dataset.units}
    problems = ProblemCollector()
    for unit_type in sorted({unit.unit_type for unit in dataset.units} - set(by_type)):
        problems.add(str(scenario.resolve(scenario.dataset_dir) / UNIT_WEEKS_FILE),
                     f"unit_type={unit_type}", "weeks_per_year", "no row",
                     "a row for every unit type of units.csv (or the scenario's "
                     "weeks_per_year)")
    problems.raise_if_any()
    served = {unit.unit_type for unit in dataset.units}
    return YearWeeks({unit.id: by_type[unit.unit_type] for unit in dataset.units},
                     max(by_type[t] for t in served),
                     {str(t): by_type[t] for t in sorted(served)})


def order_kg_by_visit(planned: PlannedRoute) -> tuple[list[dict[str, float]],
                                                     list[dict[str, float]]]:
    """For each visit of the route, order id -> kg dropped there, and order id -> kg
    collected there (reuse surplus)."""
    dropped: list[dict[str, float]] = []
    collected: list[dict[str, float]] = []
    for index in range(len(planned.route.visits)):
        dropped.append({})
        collected.append({})
        for delivery in planned.deliveries.get(index, ()):
            side = collected[-1] if delivery.collected else dropped[-1]
            side[delivery.order_id] = side.get(delivery.order_id, 0.0) + delivery.demand_kg
    return dropped, collected


def account_route(planned: PlannedRoute, vehicle_type: VehicleType,
                  context: AccountingContext) -> tuple[RouteAccount, Mapping[str, LegEmissions]]:
    """The route's account and its emissions allocated to the orders it carries."""
    route = planned.route
    by_leg = route_leg_emissions(route, vehicle_type, context.factors, context.settings)
    emissions = total(by_leg)
    tonne_km = sum(leg.load_kg / 1000 * leg.distance_m / 1000 for leg in route.legs)
    capacity_tonne_km = vehicle_type.capacity_kg / 1000 * route.distance_m / 1000
    cost = route_cost(route, vehicle_type, planned.vehicle_day_share)
    social = social_cost(emissions, route.distance_m, vehicle_type, context.factors,
                         context.settings)
    account = RouteAccount(
        distance_m=route.distance_m,
        duration_s=route.duration_s,
        tonne_km=tonne_km,
        capacity_tonne_km=capacity_tonne_km,
        m3_km=sum(leg.load_m3 * leg.distance_m / 1000 for leg in route.legs),
        capacity_m3_km=vehicle_type.capacity_m3 * route.distance_m / 1000,
        energy_kwh=emissions.energy_kwh,
        co2e_ttw_kg=emissions.co2e_ttw_kg,
        co2e_wtw_kg=emissions.co2e_wtw_kg,
        nox_g=emissions.nox_g,
        pm_g=emissions.pm_g,
        cost_nok=cost.vehicle_day_nok + cost.distance_nok
        + context.costs.hourly_cost_scale * cost.driver_time_nok,
        social_cost_nok=social.total_nok,
        external_cost_nok=social.external_nok,
    )
    dropped, collected = order_kg_by_visit(planned)
    if context.settings.allocation is AllocationRule.ACTUAL_DISTANCE:
        return account, allocate_route(route, by_leg, dropped, collected)
    return account, allocate_by_shortest_distance(emissions, _kg_and_shortest_m(
        planned, dropped, collected))


def _kg_and_shortest_m(planned: PlannedRoute, dropped: list[dict[str, float]],
                       collected: list[dict[str, float]]) -> list[tuple[str, float, float]]:
    """(order, kg, shortest feasible distance m) of every drop (from the start) and
    collection (to the end) of the route."""
    moves = []
    for index, (drops, pickups) in enumerate(zip(dropped, collected, strict=True)):
        to_visit_m, to_end_m = planned.shortest_m.get(index, (0.0, 0.0))
        moves += [(order_id, kg, to_visit_m) for order_id, kg in drops.items()]
        moves += [(order_id, kg, to_end_m) for order_id, kg in pickups.items()]
    return moves
