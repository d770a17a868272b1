"""Budget cost and social cost, kept apart.

Budget cost is what the municipality or its carriers pay: per vehicle-day (capital,
insurance), per km, per driver hour, hub handling per kg and the hub's fixed cost.
Social cost is what society bears beyond that: the carbon price of Norwegian
cost-benefit analysis (R-109/21) on well-to-wheel CO2e, plus marginal external costs
per vehicle-km (local air pollution, noise, congestion, accidents, road wear). The two
are never added together here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from logistics.accounting.emissions import EmissionSettings, LegEmissions
from logistics.model.domain import Hub, VehicleType
from logistics.model.factors import FactorTables
from logistics.routing.problem import Route

WEEKS_PER_YEAR = 52.0


@dataclass(frozen=True)
class RouteCost:
    """Budget cost of one route (one vehicle-day), NOK, by cost driver."""

    vehicle_day_nok: float
    distance_nok: float
    driver_time_nok: float

    @property
    def total_nok(self) -> float:
        return self.vehicle_day_nok + self.distance_nok + self.driver_time_nok


def route_cost(route: Route, vehicle_type: VehicleType,
               vehicle_day_share: float = 1.0) -> RouteCost:
    """Budget cost of a route or trunk trip: its share of a vehicle-day + per km + per
    driver hour (:meth:`~logistics.model.domain.VehicleType.cost_parts_nok`)."""
    return RouteCost(*vehicle_type.cost_parts_nok(route.distance_m, route.duration_s,
                                                  vehicle_day_share))


def route_cost_nok(route: Route, vehicle_type: VehicleType,
                   vehicle_day_share: float = 1.0) -> float:
    """Budget cost of a route, NOK (see :func:`route_cost`)."""
    return route_cost(route, vehicle_type, vehicle_day_share).total_nok


def hub_handling_cost_nok(hub: Hub, handled_kg: float) -> float:
    """Handling cost of ``handled_kg`` passing through the hub, NOK."""
    return hub.handling_cost_nok_per_kg * handled_kg


def hub_fixed_cost_nok_per_week(hub: Hub, weeks_per_year: float = WEEKS_PER_YEAR) -> float:
    """The hub's fixed cost per year pro-rated to one week, NOK (a hub whose fixed cost
    is still to be worked out from its floor area is first passed through
    :meth:`~logistics.model.factors.FactorTables.hub_in_base_prices`)."""
    if hub.fixed_cost_nok_per_year is None:
        raise ValueError(f"hub {hub.id}: fixed cost not worked out (hub_in_base_prices)")
    return hub.fixed_cost_nok_per_year / weeks_per_year


@dataclass(frozen=True)
class SocialCost:
    """Social cost of driving, NOK, by component (price level of the factor tables)."""

    carbon_nok: float
    local_air_nok: float
    noise_nok: float
    congestion_nok: float
    accidents_nok: float = 0.0
    road_wear_nok: float = 0.0

    @property
    def external_nok(self) -> float:
        """Every external cost but the carbon price."""
        return (self.local_air_nok + self.noise_nok + self.congestion_nok
                + self.accidents_nok + self.road_wear_nok)

    @property
    def total_nok(self) -> float:
        return self.carbon_nok + self.external_nok

    def __add__(self, other: SocialCost) -> SocialCost:
        return SocialCost(*(a + b for a, b in zip(dataclasses.astuple(self),
                                                  dataclasses.astuple(other), strict=True)))


def social_cost(emissions: LegEmissions, distance_m: float, vehicle_type: VehicleType,
                factors: FactorTables, settings: EmissionSettings) -> SocialCost:
    """Carbon price x WTW CO2e plus external costs per vehicle-km.

    The carbon price is that of ``settings.carbon_price_year``; the external costs are
    the rows of ``settings.external_cost_area`` for the vehicle class, zero-emission or
    not: local air pollution, noise, congestion, accidents and road wear.
    """
    price = factors.carbon_price(settings.carbon_price_year)
    external = factors.external_cost_for(vehicle_type, settings.external_cost_area)
    distance_km = distance_m / 1000
    return SocialCost(
        carbon_nok=emissions.co2e_wtw_kg / 1000 * price.nok_per_t_co2e,
        local_air_nok=distance_km * external.local_air_nok_per_vkm,
        noise_nok=distance_km * external.noise_nok_per_vkm,
        congestion_nok=distance_km * external.congestion_nok_per_vkm,
        accidents_nok=distance_km * external.accidents_nok_per_vkm,
        road_wear_nok=distance_km * external.road_wear_nok_per_vkm,
    )


def social_cost_nok(emissions: LegEmissions, distance_m: float, vehicle_type: VehicleType,
                    factors: FactorTables, settings: EmissionSettings) -> float:
    """Social cost in NOK (see :func:`social_cost`)."""
    return social_cost(emissions, distance_m, vehicle_type, factors, settings).total_nok
