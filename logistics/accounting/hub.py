"""Hub operations: the energy, emissions and cost of the hubs that handled the goods.

ISO 14083 counts hub operations as elements of the transport chain. A hub that hands
goods to its distribution routes on a day uses a building base load for that day,
handling energy per tonne and cooling energy per tonne of chilled or frozen goods
(``data/factors/hub_energy.csv``; the base load is the building's yearly energy per m2
of floor area spread over the days the hub is open), all as electricity counted on the scenario's
electricity basis and scaled by ``EmissionSettings.hub_energy_scale``. The hub charged is
the one whose fleet delivered the goods that day (a fallback hub during an outage), for
its energy and its handling cost; the scenario hub's fixed cost is paid every week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logistics.accounting.costs import hub_handling_cost_nok
from logistics.clock import Weekday
from logistics.model.domain import Hub, TemperatureClass
from logistics.model.factors import FactorTables
from logistics.plan.planned import PlannedRoute

COLD_CLASSES = frozenset({TemperatureClass.CHILLED, TemperatureClass.FROZEN})
"""Temperature classes that pass through the hub's cold room."""


@dataclass(frozen=True)
class HubDay:
    """One hub on one day: what it handled and what that cost in energy and NOK."""

    hub_id: str
    day: Weekday
    handled_kg: float
    cold_kg: float
    energy_kwh: float
    co2e_wtw_kg: float
    handling_cost_nok: float


@dataclass(frozen=True)
class HubOperations:
    """The week's hub days and the fixed cost of the scenario's hub."""

    days: tuple[HubDay, ...] = ()
    fixed_cost_nok_per_week: float = 0.0
    carbon_price_nok_per_t_co2e: float = 0.0

    @property
    def energy_kwh(self) -> float:
        return sum(d.energy_kwh for d in self.days)

    @property
    def co2e_wtw_kg(self) -> float:
        return sum(d.co2e_wtw_kg for d in self.days)

    @property
    def cost_nok(self) -> float:
        """Handling cost of every hub day plus the fixed cost, NOK per week."""
        return sum(d.handling_cost_nok for d in self.days) + self.fixed_cost_nok_per_week

    @property
    def social_cost_nok(self) -> float:
        """The carbon price of the hubs' CO2e (no external costs: hubs drive no km)."""
        return self.co2e_wtw_kg / 1000 * self.carbon_price_nok_per_t_co2e


def hub_energy_kwh(handled_kg: float, cold_kg: float, factors: FactorTables,
                   floor_area_m2: float, open_days_per_year: float,
                   scale: float = 1.0) -> float:
    """Electricity of one hub day that handled ``handled_kg``, ``cold_kg`` of it chilled
    or frozen, kWh: the building's yearly energy per m2 times the floor area spread over
    the days the hub is open, plus handling and cooling per tonne."""
    tonnes = handled_kg / 1000
    building_kwh_per_day = (factors.hub_energy_for("building").kwh_per_unit * floor_area_m2
                            / open_days_per_year)
    energy = (building_kwh_per_day
              + factors.hub_energy_for("handling").kwh_per_unit * tonnes
              + factors.hub_energy_for("cold_storage").kwh_per_unit * cold_kg / 1000)
    return scale * energy


def hub_operations(routes: Iterable[PlannedRoute], hubs: Mapping[str, Hub],
                   temperature: Mapping[str, TemperatureClass], factors: FactorTables,
                   electricity_co2e_kg_per_kwh: float, scale: float,
                   fixed_cost_nok_per_week: float,
                   carbon_price_nok_per_t_co2e: float,
                   open_days_per_year: float,
                   handling_cost_scale: float = 1.0) -> HubOperations:
    """The hub days of a week of routes: each (hub, day) whose distribution routes
    carried goods, with the kg dropped or collected on them (``temperature`` maps a
    category to its class; categories not in it, such as reuse items, are ambient);
    the handling cost times ``handling_cost_scale``."""
    handled: dict[tuple[str, Weekday], list[float]] = {}
    for planned in routes:
        if planned.kind != "distribution":
            continue
        totals = handled.setdefault((planned.owner, planned.day), [0.0, 0.0])
        for deliveries in planned.deliveries.values():
            for delivery in deliveries:
                totals[0] += delivery.demand_kg
                if temperature.get(delivery.category) in COLD_CLASSES:
                    totals[1] += delivery.demand_kg
    days = []
    for (hub_id, day), (kg, cold_kg) in handled.items():
        energy = hub_energy_kwh(kg, cold_kg, factors, hubs[hub_id].floor_area_m2,
                                open_days_per_year, scale)
        days.append(HubDay(hub_id, day, kg, cold_kg, energy,
                           energy * electricity_co2e_kg_per_kwh,
                           handling_cost_scale * hub_handling_cost_nok(hubs[hub_id], kg)))
    return HubOperations(tuple(days), fixed_cost_nok_per_week, carbon_price_nok_per_t_co2e)
