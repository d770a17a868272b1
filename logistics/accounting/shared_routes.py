"""Shared supplier routes: the municipality's share of a supplier vehicle's route.

A supplier's vehicle also serves other customers (shops, restaurants, other public
buyers) on the same route. Following ISO 14083, a shared vehicle's emissions are
allocated among all the goods on board by mass x shortest feasible distance; the
municipal goods' part of that is the **municipal share** ``s`` (0 < s <= 1), a scenario
input (``shared_routes.municipal_share``). Every extensive figure of a supplier's route
(direct route or trunk trip to the hub, both legs of a trunk trip) is attributed to the
municipality as

``attributed = s x driven``

for vehicle-km, vehicle-hours, energy, CO2e, NOx, PM, budget cost and social cost. The
load factor stays the municipal goods' tonne-km over the capacity of the vehicles that
carry them (what the other customers' goods fill is not known). Taking a municipal stop
off a shared route then saves ``s`` times the route's marginal detour, not the whole
route: the other customers keep the vehicle on the road. A trunk trip's return leg
carries other customers' goods by the same share, so it is not all empty running for
the municipality. The municipal fleet's routes (distribution, milk runs) are the
municipality's own: share 1. ``s = 1`` reproduces dedicated routes exactly; the routed
(driven) kilometres stay visible in every result (``vehicle_km_driven``, ``routes.csv``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from logistics.accounting.emissions import LegEmissions
from logistics.accounting.kpi import RouteAccount

SUPPLIER_ROUTE_KINDS = frozenset({"direct", "trunk"})
"""Route kinds driven by suppliers' vehicles, which may serve other customers too."""

ATTRIBUTED_FIELDS = ("energy_kwh", "co2e_ttw_kg", "co2e_wtw_kg",
                     "nox_g", "pm_g", "cost_nok", "social_cost_nok", "external_cost_nok")
"""Fields of a route account scaled by the municipal share (distance and duration stay
as driven, the KPIs apply the share to them; tonne-km and capacity are not shared)."""


def route_share(kind: str, municipal_share: float) -> float:
    """The municipality's share of a route of ``kind``: ``municipal_share`` for
    suppliers' routes, 1 for the municipal fleet's."""
    return municipal_share if kind in SUPPLIER_ROUTE_KINDS else 1.0


def attributed_account(account: RouteAccount, share: float) -> RouteAccount:
    """The account of the municipality's part of a route (see the module)."""
    return dataclasses.replace(
        account, municipal_share=share,
        **{name: getattr(account, name) * share for name in ATTRIBUTED_FIELDS})


def attributed_allocation(allocation: Mapping[str, LegEmissions],
                          share: float) -> dict[str, LegEmissions]:
    """Orders' allocated emissions scaled to the municipality's part of the route."""
    return {order_id: emissions.scaled(share) for order_id, emissions in allocation.items()}
