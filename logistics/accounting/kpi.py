"""KPIs of a scenario run, per week and per year.

Extensive figures (km, hours, kg, NOK, counts) per year are the weekly figures times
``weeks_per_year``; shares and ratios are the same in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logistics.accounting.carriers import CARRIER_KPIS, CarrierAccount, carrier_totals
from logistics.accounting.hub import HubOperations
from logistics.plan.builder import PlannedRoute
from logistics.plan.deliveries import Delivery, UnservedDelivery
from logistics.plan.reuse import ReuseMove, reuse_kpis

KPI_COLUMNS: tuple[str, ...] = (
    "deliveries", "hub_inbound_trips", "vehicle_km", "vehicle_km_driven", "vehicle_hours",
    "routes", "stops",
    "vehicles_used", "tonne_km", "load_factor", "energy_kwh", "hub_energy_kwh", "co2e_ttw_kg",
    "co2e_wtw_kg", "hub_co2e_wtw_kg", "nox_g", "pm_g", "cost_nok", "hub_cost_nok",
    "social_cost_nok", "served_demand_share",
    "units_fully_served_share", "unserved_orders", "unserved_deliveries", "late_minutes",
    "reuse_items_collected", "reuse_items_delivered", "reuse_kg_delivered",
    "avoided_embodied_co2e_kg", "reuse_moves_unserved", *CARRIER_KPIS,
)
"""The KPI table's columns, in display order. ``co2e_wtw_kg``, ``cost_nok`` and
``social_cost_nok`` include the hub's part, which ``hub_*`` shows on its own;
``energy_kwh`` is the vehicles' energy. Route figures are those attributed to the
municipality (:mod:`logistics.accounting.shared_routes`): ``vehicle_km`` is attributed,
``vehicle_km_driven`` as routed. Carrier shipments add their tonne-km, emissions and
price to the totals and show on their own as ``carrier_*``."""

HUB_INBOUND_KINDS = frozenset({"trunk", "collection"})
"""Route kinds that bring goods to the hub: suppliers' trunk trips and the hub's milk
runs. Their stops are not deliveries to units."""

RATIO_KPIS = frozenset({"load_factor", "served_demand_share", "units_fully_served_share",
                        "vehicles_used"})
"""KPIs that are not summed over weeks (shares, ratios, peak counts)."""


@dataclass(frozen=True)
class RouteAccount:
    """Accounting of one route: distances, load, energy, emissions and cost."""

    distance_m: float
    duration_s: float
    tonne_km: float
    capacity_tonne_km: float
    energy_kwh: float
    co2e_ttw_kg: float
    co2e_wtw_kg: float
    nox_g: float
    pm_g: float
    cost_nok: float
    social_cost_nok: float
    municipal_share: float = 1.0
    """The municipality's share of the route (suppliers' shared routes): the fields
    from ``energy_kwh`` on are already attributed; distance, duration, tonne-km and
    capacity are as driven."""


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
    routes = list(routes)
    deliveries = list(deliveries)
    unserved = list(unserved)
    totals = {name: 0.0 for name in KPI_COLUMNS}
    vehicles_by_day: dict[str, set[str]] = {}
    for planned, account in routes:
        route = planned.route
        totals["routes"] += 1
        totals["vehicle_km"] += account.municipal_share * account.distance_m / 1000
        totals["vehicle_km_driven"] += account.distance_m / 1000
        totals["vehicle_hours"] += account.municipal_share * account.duration_s / 3600
        totals["tonne_km"] += account.tonne_km
        for name in ("energy_kwh", "co2e_ttw_kg", "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok",
                     "social_cost_nok"):
            totals[name] += getattr(account, name)
        stops = route.stops
        totals["stops"] += stops
        if planned.kind in HUB_INBOUND_KINDS:
            totals["hub_inbound_trips"] += 1
        else:
            totals["deliveries"] += stops
        if planned.kind != "trunk":  # suppliers' vehicles on trunk trips are not counted
            vehicles_by_day.setdefault(planned.day, set()).add(route.vehicle_id)
    capacity_tonne_km = sum(a.capacity_tonne_km for _, a in routes)
    totals["load_factor"] = totals["tonne_km"] / capacity_tonne_km if capacity_tonne_km else 0.0
    totals["vehicles_used"] = max((len(v) for v in vehicles_by_day.values()), default=0)
    hub = hub or HubOperations()
    totals["hub_energy_kwh"] = hub.energy_kwh
    totals["hub_co2e_wtw_kg"] = hub.co2e_wtw_kg
    totals["hub_cost_nok"] = hub.cost_nok
    totals["co2e_wtw_kg"] += hub.co2e_wtw_kg
    totals["cost_nok"] += hub.cost_nok
    totals["social_cost_nok"] += hub.social_cost_nok
    for name, value in carrier_totals(carriers).items():
        totals[name] += value
    missed = {u.delivery for u in unserved}
    moves = [d for d in deliveries if isinstance(d, ReuseMove)]
    totals.update(reuse_kpis([m for m in moves if m not in missed], missed))
    goods = [d for d in deliveries if not isinstance(d, ReuseMove)]
    goods_unserved = [u for u in unserved if not isinstance(u.delivery, ReuseMove)]
    demand_kg = sum(d.demand_kg for d in goods)
    unserved_kg = sum(u.delivery.demand_kg for u in goods_unserved)
    totals["served_demand_share"] = 1.0 - unserved_kg / demand_kg if demand_kg else 1.0
    units = {d.unit_id for d in goods}
    short_units = {u.delivery.unit_id for u in goods_unserved}
    totals["units_fully_served_share"] = (
        len(units - short_units) / len(units) if units else 1.0)
    totals["unserved_orders"] = len({u.delivery.order_id for u in goods_unserved})
    totals["unserved_deliveries"] = len(goods_unserved)
    totals["late_minutes"] = late_minutes
    return totals


def yearly_kpis(weekly: Mapping[str, float], weeks_per_year: float) -> dict[str, float]:
    """Weekly KPIs scaled to a year (ratios and peaks unchanged)."""
    return {name: value if name in RATIO_KPIS else value * weeks_per_year
            for name, value in weekly.items()}
