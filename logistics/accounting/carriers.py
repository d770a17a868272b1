"""Accounts of the shipments handed to parcel and groupage carriers.

A carrier's vehicles are not routed here: a shipment is accounted with the carrier's
intensity (ISO 14083 / GLEC intensity method) on its tonne-km over the shortest road
distance from the supplier's depot to its destination, plus a per-shipment part:

``co2e_kg = kg / 1000 x distance_m / 1000 x co2e_kg_per_tkm + co2e_kg_per_shipment``

(likewise TTW, NOx and PM per tonne-km) and its price

``cost_nok = cost_nok_per_shipment + kg x cost_nok_per_kg + tonne_km x cost_nok_per_tkm``.

Its social cost is the carbon price on its WTW CO2e (no per-vehicle-km external cost:
the carrier's vehicle-km are not known). Each shipment's emissions belong to its order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from logistics.accounting.emissions import LegEmissions
from logistics.plan.channels import CarrierShipment

CARRIER_KPIS = ("carrier_shipments", "carrier_kg", "carrier_tonne_km", "carrier_co2e_wtw_kg",
                "carrier_cost_nok")
"""The carrier lines' own KPIs (their parts of the totals are also in ``tonne_km``,
``co2e_*``, ``nox_g``, ``pm_g``, ``cost_nok`` and ``social_cost_nok``)."""


@dataclass(frozen=True)
class CarrierAccount:
    """The account of one carrier shipment."""

    shipment: CarrierShipment
    tonne_km: float
    emissions: LegEmissions
    cost_nok: float
    social_cost_nok: float


def account_shipment(shipment: CarrierShipment,
                     carbon_price_nok_per_t_co2e: float) -> CarrierAccount:
    """A shipment's tonne-km, emissions, price and social cost (see the module)."""
    rate = shipment.rate
    kg = shipment.delivery.demand_kg
    tonne_km = kg / 1000 * shipment.distance_m / 1000
    co2e_wtw_kg = tonne_km * rate.co2e_wtw_kg_per_tkm + rate.co2e_wtw_kg_per_shipment
    emissions = LegEmissions(
        co2e_ttw_kg=tonne_km * rate.co2e_ttw_kg_per_tkm + rate.co2e_ttw_kg_per_shipment,
        co2e_wtw_kg=co2e_wtw_kg,
        nox_g=tonne_km * rate.nox_g_per_tkm,
        pm_exhaust_g=tonne_km * rate.pm_g_per_tkm,
    )
    cost_nok = (rate.cost_nok_per_shipment + kg * rate.cost_nok_per_kg
                + tonne_km * rate.cost_nok_per_tkm)
    return CarrierAccount(shipment, tonne_km, emissions, cost_nok,
                          co2e_wtw_kg / 1000 * carbon_price_nok_per_t_co2e)


def account_shipments(shipments: Iterable[CarrierShipment],
                      carbon_price_nok_per_t_co2e: float) -> tuple[CarrierAccount, ...]:
    """The accounts of ``shipments``, each at its carrier's rate."""
    return tuple(account_shipment(s, carbon_price_nok_per_t_co2e) for s in shipments)


def carrier_totals(accounts: Iterable[CarrierAccount]) -> dict[str, float]:
    """The week's carrier figures: their own KPIs (:data:`CARRIER_KPIS`) and their parts
    of the totals. Shipments to a unit are deliveries; to the hub they are not (the hub's
    fleet delivers them)."""
    totals = dict.fromkeys((*CARRIER_KPIS, "deliveries", "tonne_km", "co2e_ttw_kg",
                            "co2e_wtw_kg", "nox_g", "pm_g", "cost_nok", "social_cost_nok"), 0.0)
    for account in accounts:
        totals["carrier_shipments"] += 1
        totals["deliveries"] += 1 if account.shipment.to_unit else 0
        totals["carrier_kg"] += account.shipment.delivery.demand_kg
        for name in ("carrier_tonne_km", "tonne_km"):
            totals[name] += account.tonne_km
        for name in ("carrier_co2e_wtw_kg", "co2e_wtw_kg"):
            totals[name] += account.emissions.co2e_wtw_kg
        for name in ("carrier_cost_nok", "cost_nok"):
            totals[name] += account.cost_nok
        totals["co2e_ttw_kg"] += account.emissions.co2e_ttw_kg
        totals["nox_g"] += account.emissions.nox_g
        totals["pm_g"] += account.emissions.pm_g
        totals["social_cost_nok"] += account.social_cost_nok
    return totals


def carrier_allocation(accounts: Iterable[CarrierAccount]) -> dict[str, LegEmissions]:
    """Each order's emissions from its carrier shipments."""
    allocated: dict[str, LegEmissions] = {}
    for account in accounts:
        order_id = account.shipment.delivery.order_id
        allocated[order_id] = allocated.get(order_id, LegEmissions()) + account.emissions
    return allocated
