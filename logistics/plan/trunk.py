"""Trunk trips: a supplier's own vehicles bringing a day's goods to the hub.

Each vehicle of the supplier's fleet (as many as it has, of the types that can carry the
day's temperature classes) makes round trips depot -> hub -> depot: it leaves so as to
reach the hub when it opens, waits if early, docks and unloads, and drives back empty.
Trips go out in rounds, the largest vehicle first, each carrying what is left up to its
capacity in kg and m3. A trip must finish unloading before the hub closes, be back
within the shift and the route duration limit, and stay within the vehicle's range for
the day. When the fleet cannot bring the whole day's load in that time, the smallest
deliveries are kept as long as they fit and the rest are unserved with the reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from logistics.clock import Weekday
from logistics.model.domain import VehicleType
from logistics.plan.deliveries import Delivery, UnservedDelivery
from logistics.routing.problem import Leg, Route, UnservedReason, Visit

HUB_UNLOAD_FIXED_S = 900.0
"""Time to dock and unload a trunk delivery at the hub, before the per-kg part (assumption)."""

_EPSILON = 1e-9


@dataclass(frozen=True)
class TrunkVehicle:
    """One vehicle of a supplier's fleet: its type, its number among its kind, and how far
    it may drive that day (None: no limit)."""

    vehicle_type: VehicleType
    number: int
    range_m: float | None


@dataclass(frozen=True)
class TrunkLink:
    """The supplier depot and the hub: point indices, distances and times both ways, the
    hub's opening window and the working day."""

    depot: int
    hub: int
    out_m: float
    back_m: float
    out_s: float
    back_s: float
    hub_open_s: tuple[float, float]
    shift_s: tuple[float, float]
    max_duration_s: float | None
    service_s_per_kg: float


@dataclass(frozen=True)
class TrunkTrip:
    """One round trip: the vehicle, its route, and the share of every kept delivery it
    carries."""

    vehicle: TrunkVehicle
    route: Route
    share: float


def trunk_vehicle_id(route: Route) -> str:
    """The vehicle of a trunk trip: its route's vehicle id without the trip number, so
    that one vehicle's several trips in a day count as one vehicle."""
    return route.vehicle_id.rsplit("/", 1)[0]


def _unload_s(link: TrunkLink, kg: float) -> float:
    return HUB_UNLOAD_FIXED_S + link.service_s_per_kg * kg


def _schedule(vehicles: Sequence[TrunkVehicle], link: TrunkLink, load_kg: float,
              load_m3: float, trip_id: str) -> tuple[list[TrunkTrip], float]:
    """Trips carrying as much of the load as the fleet can in its hours; returns them and
    the share of the load left behind."""
    first_departure_s = max(link.shift_s[0], link.hub_open_s[0] - link.out_s)
    clock_s = {v: first_departure_s for v in vehicles}
    driven_m = dict.fromkeys(vehicles, 0.0)
    active = sorted(vehicles, key=lambda v: (-v.vehicle_type.capacity_kg,
                                             v.vehicle_type.id, v.number))
    left = 1.0
    trips: list[TrunkTrip] = []
    while left > _EPSILON and active:
        still_active = []
        for vehicle in active:
            if left <= _EPSILON:
                break
            capacity = vehicle.vehicle_type
            share = min(left, capacity.capacity_kg / load_kg if load_kg > 0 else left,
                        capacity.capacity_m3 / load_m3 if load_m3 > 0 else left)
            start_s = clock_s[vehicle]
            arrival_s = start_s + link.out_s
            service_start_s = max(arrival_s, link.hub_open_s[0])
            departure_s = service_start_s + _unload_s(link, share * load_kg)
            end_s = departure_s + link.back_s
            round_trip_m = link.out_m + link.back_m
            fits = (departure_s <= link.hub_open_s[1] and end_s <= link.shift_s[1]
                    and (link.max_duration_s is None
                         or end_s - first_departure_s <= link.max_duration_s)
                    and (vehicle.range_m is None
                         or driven_m[vehicle] + round_trip_m <= vehicle.range_m))
            if not fits:
                continue
            number = len(trips) + 1
            kg, m3 = share * load_kg, share * load_m3
            route = Route(
                vehicle_id=f"{trip_id}/{capacity.id}-{vehicle.number}/{number}",
                vehicle_type_id=capacity.id, start_s=start_s, end_s=end_s,
                visits=(Visit(job_id=f"trunk:{trip_id}:{number}", location=link.hub,
                              arrival_s=arrival_s, start_s=service_start_s,
                              departure_s=departure_s, load_kg=0.0, load_m3=0.0),),
                legs=(Leg(link.depot, link.hub, link.out_m, link.out_s, kg, m3),
                      Leg(link.hub, link.depot, link.back_m, link.back_s, 0.0, 0.0)))
            trips.append(TrunkTrip(vehicle, route, share))
            left -= share
            clock_s[vehicle] = end_s
            driven_m[vehicle] += round_trip_m
            still_active.append(vehicle)
        active = still_active
    return trips, max(0.0, left)


def trunk_trips(supplier_id: str, hub_id: str, day: Weekday, deliveries: Sequence[Delivery],
                vehicles: Sequence[TrunkVehicle], link: TrunkLink
                ) -> tuple[list[tuple[Route, tuple[Delivery, ...]]], list[UnservedDelivery]]:
    """The day's trunk trips of one supplier to the hub, each with the deliveries (or
    shares of them) it carries, and the deliveries its fleet cannot bring."""
    trip_id = f"{supplier_id}/trunk/{day}"
    kept = sorted(deliveries, key=lambda d: (d.demand_kg, d.order_id))
    load_kg = sum(d.demand_kg for d in kept)
    load_m3 = sum(d.volume_m3 for d in kept)
    if load_kg <= 0 and load_m3 <= 0:
        return [], []
    trips, left = _schedule(vehicles, link, load_kg, load_m3, trip_id)
    unserved: list[UnservedDelivery] = []
    if left > _EPSILON:
        carried_kg = (1.0 - left) * load_kg
        left_behind: list[Delivery] = []
        while kept and sum(d.demand_kg for d in kept) > carried_kg + _EPSILON:
            left_behind.append(kept.pop())
        trips = _schedule(vehicles, link, sum(d.demand_kg for d in kept),
                          sum(d.volume_m3 for d in kept), trip_id)[0] if kept else []
        detail = (f"supplier {supplier_id}'s {len(vehicles)} vehicle(s) can bring "
                  f"{carried_kg:,.0f} of {load_kg:,.0f} kg to hub {hub_id} on {day} within "
                  "the hub's hours, the shift and their range")
        unserved = [UnservedDelivery(d, UnservedReason.FLEET_CAPACITY_SHORTFALL, detail)
                    for d in reversed(left_behind)]
    carried = [(trip.route, tuple(_scaled(d, trip.share) for d in kept)) for trip in trips]
    return carried, unserved


def _scaled(delivery: Delivery, share: float) -> Delivery:
    return dataclasses.replace(delivery, demand_kg=delivery.demand_kg * share,
                               volume_m3=delivery.volume_m3 * share)
