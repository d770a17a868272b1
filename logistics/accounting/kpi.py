"""KPIs of a scenario run, per week and per year.

Extensive figures (km, hours, kg, NOK, counts) per year add up each route's weekly
figure times the weeks a year of the units it serves (:class:`YearWeeks`); shares,
ratios and peaks are the week's in both periods.

Routes fall in two groups: *distribution* (direct routes of suppliers and the hub's
distribution routes, which deliver to units) and *inbound* (suppliers' trunk trips and
the hub's milk runs, which bring goods to the hub). Goods through a hub ride twice, on
an inbound trip and on a distribution route, so their tonne-km count twice:
``tonne_km`` is the sum of ``tonne_km_distribution`` and ``tonne_km_inbound``.
Who pays: the municipality pays the hub, its distribution fleet and its milk runs
(``cost_nok_municipality``); the suppliers pay their direct routes and trunk trips
(``cost_nok_suppliers``); the two add to ``cost_nok``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypedDict

from logistics.accounting.carriers import CarrierAccount, carrier_totals
from logistics.accounting.hub import HubOperations
from logistics.accounting.kpi_catalogue import KPI_CATALOGUE
from logistics.plan.deliveries import Delivery, UnservedDelivery
from logistics.plan.planned import PlannedRoute
from logistics.plan.reuse import ReuseMove, reuse_kpis
from logistics.plan.trunk import trunk_vehicle_id

KPI_COLUMNS: tuple[str, ...] = tuple(spec.name for spec in KPI_CATALOGUE)
"""The KPI table's columns, in display order. ``co2e_wtw_kg``, ``cost_nok`` and
``social_cost_nok`` include the hub's part, which ``hub_*`` shows on its own;
``energy_kwh`` is the vehicles' energy. ``*_inbound`` are the inbound routes' part of a
KPI. ``social_cost_nok`` is the carbon price of the CO2e plus ``external_cost_nok``
(local air pollution, noise, congestion, accidents and road wear of the vehicle-km,
``external_costs.csv``).
Route figures are those attributed to the municipality
(:mod:`logistics.accounting.shared_routes`): ``vehicle_km`` is attributed,
``vehicle_km_driven`` as routed. Carrier shipments add their tonne-km, emissions and
price to the totals (the suppliers pay them) and show on their own as ``carrier_*``."""

HUB_INBOUND_KINDS = frozenset({"trunk", "collection"})
"""Route kinds that bring goods to the hub: suppliers' trunk trips and the hub's milk
runs. Their stops are not deliveries to units."""

SUPPLIER_KINDS = frozenset({"direct", "trunk"})
"""Route kinds the suppliers drive and pay for; the municipality pays the others and
the hub."""

RATIO_KPIS = frozenset(spec.name for spec in KPI_CATALOGUE if not spec.scales_with_period)
"""KPIs that are not summed over weeks (shares, ratios, peak counts, means)."""

_ROUTE_SUMS = ("energy_kwh", "co2e_ttw_kg", "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok",
               "social_cost_nok", "external_cost_nok")
"""RouteAccount fields that are KPIs of the same name, summed over routes."""


@dataclass(frozen=True)
class RouteAccount:
    """Accounting of one route: distances, load, energy, emissions and cost."""

    distance_m: float
    duration_s: float
    tonne_km: float
    capacity_tonne_km: float
    m3_km: float
    capacity_m3_km: float
    energy_kwh: float
    co2e_ttw_kg: float
    co2e_wtw_kg: float
    nox_g: float
    pm_g: float
    cost_nok: float
    social_cost_nok: float
    external_cost_nok: float
    municipal_share: float = 1.0
    """The municipality's share of the route (suppliers' shared routes): the fields
    from ``energy_kwh`` on are already attributed; distance, duration, tonne-km and
    capacity are as driven."""


class YearMethodJson(TypedDict):
    """How a result's year was made, as ``result.json`` holds it."""

    weeks_per_year: dict[str, float]
    hub_weeks_per_year: float
    year_method: str


@dataclass(frozen=True)
class YearWeeks:
    """Weeks a year of each unit (by its unit type), for the yearly figures.

    A route's yearly figure is its week times the mean weeks of the units it serves,
    weighted by the ISO 14083 allocation key of its goods (kg x shortest feasible
    distance; kg where every distance is 0). The hub's fixed cost counts ``hub_weeks``
    (the longest year of the units, the weeks it is open); its handling and energy, and
    every other extensive figure, the kg-weighted mean weeks of the goods."""

    unit_weeks: Mapping[str, float]
    hub_weeks: float
    by_unit_type: Mapping[str, float]

    def describe(self) -> YearMethodJson:
        """The weeks a year by unit type and how a year is made, for the result."""
        return {"weeks_per_year": dict(self.by_unit_type), "hub_weeks_per_year": self.hub_weeks,
                "year_method": "each route's week x the weeks a year of the units it serves, "
                               "weighted by kg x shortest distance (ISO 14083 key); the "
                               "hub's fixed cost over its open weeks"}

    def of_goods(self, deliveries: Iterable[tuple[Delivery, float]]) -> float:
        """Mean weeks of (delivery, weight) pairs; ``hub_weeks`` when they weigh nothing."""
        total = weeks = 0.0
        for delivery, weight in deliveries:
            total += weight
            weeks += weight * self.unit_weeks[delivery.unit_id]
        return weeks / total if total > 0 else self.hub_weeks

    def of_route(self, planned: PlannedRoute) -> float:
        """Weeks a year of a route: its goods' weeks weighted by kg x shortest distance."""
        carried = [(index, d) for index, ds in planned.deliveries.items() for d in ds]
        keyed = []
        for index, delivery in carried:
            to_visit_m, to_end_m = planned.shortest_m.get(index, (0.0, 0.0))
            distance_m = to_end_m if delivery.collected else to_visit_m
            keyed.append((delivery, delivery.demand_kg * distance_m))
        if not any(weight > 0 for _, weight in keyed):
            keyed = [(delivery, delivery.demand_kg) for _, delivery in carried]
        return self.of_goods(keyed)


def weekly_kpis(
    routes: Iterable[tuple[PlannedRoute, RouteAccount]],
    deliveries: Iterable[Delivery],
    unserved: Iterable[UnservedDelivery],
    hub: HubOperations | None = None,
    late_minutes: float = 0.0,
    carriers: Iterable[CarrierAccount] = (),
) -> dict[str, float]:
    """KPIs of one planning week; ``late_minutes`` is measured on the schedules.

    Service shares and unserved counts are about goods; reuse moves have their own
    figures (items, kg, avoided embodied CO2e, moves not made)."""
    return _period_kpis(list(routes), list(deliveries), list(unserved), hub or HubOperations(),
                        late_minutes, lambda _: 1.0, 1.0, 1.0, list(carriers),
                        lambda _: 1.0)


def yearly_kpis(
    routes: Iterable[tuple[PlannedRoute, RouteAccount]],
    deliveries: Iterable[Delivery],
    unserved: Iterable[UnservedDelivery],
    weeks: YearWeeks,
    hub: HubOperations | None = None,
    late_minutes: float = 0.0,
    carriers: Iterable[CarrierAccount] = (),
) -> dict[str, float]:
    """KPIs of a year: each route's week times :meth:`YearWeeks.of_route`, the hub's fixed
    cost times ``hub_weeks``, the rest times the goods' mean weeks; ratios and peaks are
    the week's; a carrier shipment counts the weeks of its unit."""
    routes = list(routes)
    deliveries = list(deliveries)
    carriers = list(carriers)
    goods_weeks = weeks.of_goods((d, d.demand_kg) for d in deliveries
                                 if not isinstance(d, ReuseMove))
    hub_goods_weeks = weeks.of_goods(
        (d, d.demand_kg) for planned, _ in routes if planned.kind == "distribution"
        for ds in planned.deliveries.values() for d in ds)
    year = _period_kpis(routes, deliveries, list(unserved), hub or HubOperations(), late_minutes,
                        weeks.of_route, goods_weeks, hub_goods_weeks, carriers,
                        lambda c: weeks.unit_weeks[c.shipment.delivery.unit_id],
                        weeks.hub_weeks)
    week = weekly_kpis(routes, deliveries, unserved, hub, late_minutes, carriers)
    return {name: week[name] if name in RATIO_KPIS else value for name, value in year.items()}


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _period_kpis(routes: list[tuple[PlannedRoute, RouteAccount]], deliveries: list[Delivery],
                 unserved: list[UnservedDelivery], hub: HubOperations, late_minutes: float,
                 route_weeks: Callable[[PlannedRoute], float], other_weeks: float,
                 hub_handling_weeks: float, carriers: list[CarrierAccount],
                 carrier_weeks: Callable[[CarrierAccount], float],
                 hub_fixed_weeks: float | None = None) -> dict[str, float]:
    """KPIs with each route counted ``route_weeks(route)`` times, each carrier shipment
    ``carrier_weeks(shipment)`` times, the hub's handling and energy
    ``hub_handling_weeks`` times, its fixed cost ``hub_fixed_weeks`` times (None: as its
    handling) and every other figure ``other_weeks`` times."""
    totals = {name: 0.0 for name in KPI_COLUMNS}
    capacity = {"distribution_kg": 0.0, "inbound_kg": 0.0, "distribution_m3": 0.0,
                "inbound_m3": 0.0}
    m3_km = {"distribution": 0.0, "inbound": 0.0}
    vehicles_by_day: dict[str, set[str]] = {}
    inbound_by_day: dict[str, set[str]] = {}
    for planned, account in routes:
        route = planned.route
        weeks = route_weeks(planned)
        inbound = planned.kind in HUB_INBOUND_KINDS
        group = "inbound" if inbound else "distribution"
        totals["routes"] += weeks
        totals["vehicle_km"] += weeks * account.municipal_share * account.distance_m / 1000
        totals["vehicle_km_driven"] += weeks * account.distance_m / 1000
        totals["vehicle_hours"] += weeks * account.municipal_share * account.duration_s / 3600
        totals["tonne_km"] += weeks * account.tonne_km
        totals[f"tonne_km_{group}"] += weeks * account.tonne_km
        capacity[f"{group}_kg"] += weeks * account.capacity_tonne_km
        capacity[f"{group}_m3"] += weeks * account.capacity_m3_km
        m3_km[group] += weeks * account.m3_km
        for name in _ROUTE_SUMS:
            totals[name] += weeks * getattr(account, name)
        payer = "suppliers" if planned.kind in SUPPLIER_KINDS else "municipality"
        totals[f"cost_nok_{payer}"] += weeks * account.cost_nok
        totals["stops"] += weeks * route.stops
        if inbound:
            totals["hub_inbound_trips"] += weeks * route.stops
            totals["vehicle_km_inbound"] += (weeks * account.municipal_share
                                             * account.distance_m / 1000)
            totals["co2e_wtw_kg_inbound"] += weeks * account.co2e_wtw_kg
            totals["cost_nok_inbound"] += weeks * account.cost_nok
        else:
            totals["deliveries"] += weeks * route.stops
        if planned.kind == "trunk":  # a supplier's vehicle, maybe on several trips
            inbound_by_day.setdefault(planned.day, set()).add(
                f"{planned.owner}/{trunk_vehicle_id(route)}")
        else:
            vehicles_by_day.setdefault(planned.day, set()).add(route.vehicle_id)
    capacity_tonne_km = capacity["distribution_kg"] + capacity["inbound_kg"]
    totals["load_factor"] = _share(totals["tonne_km"], capacity_tonne_km)
    for group in ("distribution", "inbound"):
        totals[f"load_factor_{group}_kg"] = _share(totals[f"tonne_km_{group}"],
                                                   capacity[f"{group}_kg"])
        totals[f"load_factor_{group}_m3"] = _share(m3_km[group], capacity[f"{group}_m3"])
    totals["vehicles_used"] = max((len(v) for v in vehicles_by_day.values()), default=0)
    totals["vehicles_used_incl_inbound"] = max(
        (len(vehicles_by_day.get(day, set())) + len(inbound_by_day.get(day, set()))
         for day in {*vehicles_by_day, *inbound_by_day}), default=0)
    fixed_weeks = hub_handling_weeks if hub_fixed_weeks is None else hub_fixed_weeks
    handling_nok = hub.cost_nok - hub.fixed_cost_nok_per_week
    hub_cost_nok = (hub_handling_weeks * handling_nok
                    + fixed_weeks * hub.fixed_cost_nok_per_week)
    totals["hub_energy_kwh"] = hub_handling_weeks * hub.energy_kwh
    totals["hub_co2e_wtw_kg"] = hub_handling_weeks * hub.co2e_wtw_kg
    totals["hub_cost_nok"] = hub_cost_nok
    totals["co2e_wtw_kg"] += totals["hub_co2e_wtw_kg"]
    totals["cost_nok"] += hub_cost_nok
    totals["cost_nok_municipality"] += hub_cost_nok
    totals["social_cost_nok"] += hub_handling_weeks * hub.social_cost_nok
    for carrier in carriers:
        weeks = carrier_weeks(carrier)
        for name, value in carrier_totals((carrier,)).items():
            totals[name] += weeks * value
        totals["cost_nok_suppliers"] += weeks * carrier.cost_nok
    missed = {u.delivery for u in unserved}
    moves = [d for d in deliveries if isinstance(d, ReuseMove)]
    reuse = reuse_kpis([m for m in moves if m not in missed], missed)
    totals.update({name: other_weeks * value for name, value in reuse.items()})
    goods = [d for d in deliveries if not isinstance(d, ReuseMove)]
    goods_unserved = [u for u in unserved if not isinstance(u.delivery, ReuseMove)]
    demand_kg = sum(d.demand_kg for d in goods)
    unserved_kg = sum(u.delivery.demand_kg for u in goods_unserved)
    totals["served_demand_share"] = 1.0 - unserved_kg / demand_kg if demand_kg else 1.0
    units = {d.unit_id for d in goods}
    short_units = {u.delivery.unit_id for u in goods_unserved}
    totals["units_fully_served_share"] = (
        len(units - short_units) / len(units) if units else 1.0)
    totals["unserved_orders"] = other_weeks * len({u.delivery.order_id for u in goods_unserved})
    totals["unserved_deliveries"] = other_weeks * len(goods_unserved)
    totals["late_minutes"] = other_weeks * late_minutes
    return totals
