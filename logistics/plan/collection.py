"""Milk runs: the hub's collection vehicles fetching suppliers' goods where that is cheaper.

With a collection fleet (``fleet.collection`` of a consolidated scenario), each day's
suppliers are offered to it as optional pickup jobs: one per supplier, with all its goods
for the hub that day. A job's prize (its penalty when left out) is what the supplier's own
trunk trips would cost that day, plus the unserved penalty for each delivery they could
not bring. The routing search then collects exactly the suppliers whose goods cost less
to fetch on a round trip from the hub than to send, and the others send trunk trips as
before. Timing follows the trunk trips: a collection runs within the hub's opening hours
and each supplier's depot hours, and its service at a supplier is the loading there and
the unloading of that load at the hub (same dock time and per-kg handling as a trunk trip).
A milk run's return to the hub (its unloading included) is when the goods it brings are
there: with ``hub_timing: same_day`` the release of the distribution stops carrying them
(:mod:`logistics.plan.hub_timing`).

The search runs while planning, with the scenario's solver settings (a small problem:
one job per supplier), and its solver info goes into the plan's ``searches``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from logistics.model.domain import Supplier, VehicleType
from logistics.plan.deliveries import Delivery
from logistics.plan.planned import PlannedRoute
from logistics.plan.trunk import HUB_UNLOAD_FIXED_S
from logistics.routing.problem import Job


@dataclass(frozen=True)
class Collected(Delivery):
    """A delivery's goods picked up at the supplier's depot by a collection vehicle and
    unloaded at the hub (they ride from the pickup to the route's end)."""

    @property
    def collected(self) -> bool:
        return True

    @classmethod
    def of(cls, delivery: Delivery) -> Collected:
        return cls(**{f.name: getattr(delivery, f.name) for f in dataclasses.fields(Delivery)})


def trunk_cost_nok(trips: Iterable[tuple[PlannedRoute, VehicleType]], deliveries_left: int,
                   unserved_penalty_nok: float) -> float:
    """What a supplier's day of trunk trips costs in the accounts (each its share of a
    vehicle-day, its km and hours), plus the unserved penalty of every delivery they
    leave behind: the prize of collecting instead."""
    return (sum(sum(vehicle_type.cost_parts_nok(trip.route.distance_m, trip.route.duration_s,
                                                trip.vehicle_day_share))
                for trip, vehicle_type in trips)
            + deliveries_left * unserved_penalty_nok)


def collection_job(job_id: str, supplier: Supplier, location: int,
                   deliveries: Sequence[Delivery], allowed_vehicles: frozenset[str],
                   prize_nok: float, service_s_per_kg: float) -> Job:
    """One optional pickup of all of ``deliveries`` (one supplier's goods for the hub on
    one day) at the supplier's depot."""
    kg = sum(d.demand_kg for d in deliveries)
    handling_s = HUB_UNLOAD_FIXED_S + service_s_per_kg * kg
    return Job(
        id=job_id,
        location=location,
        time_windows_s=tuple((float(a), float(b)) for a, b in supplier.depot_open),
        service_duration_s=2 * handling_s,
        pickup_kg=kg,
        pickup_m3=sum(d.volume_m3 for d in deliveries),
        allowed_vehicles=allowed_vehicles,
        penalty_nok=prize_nok,
        order_ids=tuple(sorted(d.order_id for d in deliveries)),
    )
