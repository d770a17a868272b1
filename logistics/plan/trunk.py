"""Trunk trips: a supplier's own vehicles bringing a day's goods to the hub.

Each vehicle of the supplier's fleet (as many as it has, of the types that can carry the
day's temperature classes) makes round trips depot -> hub -> depot on its own roads: it
leaves so as to reach the hub when it opens, waits if early, docks and unloads, and
drives back empty. Each trip goes in the smallest vehicle that carries all that is left
(kg and m3; the earliest free of equal ones); only when no vehicle carries it all does
the largest free vehicle take a full load and the rest go on further trips. A trip must
finish unloading before the hub closes, be back within the shift and the route duration
limit, and stay within the vehicle's range for the day. When the fleet cannot bring the
whole day's load in that time, the smallest deliveries are kept as long as they fit and
the rest are unserved with the reason.

A trunk trip is charged the share of a vehicle-day its hours use
(:func:`vehicle_day_share`: trip duration / shift length, at most 1): the supplier's
vehicle does other work the rest of the day, so a 30-minute shuttle does not pay a whole
day of capital and insurance.
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
class TrunkVehicle:
    """One vehicle of a supplier's fleet: its type, its number among its kind, how far it
    may drive that day (None: no limit) and the link on its roads."""

    vehicle_type: VehicleType
    number: int
    range_m: float | None
    link: TrunkLink


@dataclass(frozen=True)
class TrunkTrip:
    """One round trip: the vehicle, its route, and the share of every kept delivery it
    carries."""

    vehicle: TrunkVehicle
    route: Route
    share: float


def vehicle_day_share(duration_s: float, shift_s: tuple[float, float]) -> float:
    """The share of a vehicle-day a trip of ``duration_s`` uses: its hours over the shift
    length, at most 1 (a whole day when the shift has no length)."""
    shift_length_s = shift_s[1] - shift_s[0]
    return 1.0 if shift_length_s <= 0 else min(1.0, max(0.0, duration_s / shift_length_s))


def trunk_vehicle_id(route: Route) -> str:
    """The vehicle of a trunk trip: its route's vehicle id without the trip number, so
    that one vehicle's several trips in a day count as one vehicle."""
    return route.vehicle_id.rsplit("/", 1)[0]


def _unload_s(link: TrunkLink, kg: float) -> float:
    return HUB_UNLOAD_FIXED_S + link.service_s_per_kg * kg


def _first_departure_s(link: TrunkLink) -> float:
    return max(link.shift_s[0], link.hub_open_s[0] - link.out_s)


@dataclass(frozen=True)
class _Candidate:
    """A trip one vehicle could make next: its share of the load and its times."""

    vehicle: TrunkVehicle
    share: float
    start_s: float
    arrival_s: float
    service_start_s: float
    departure_s: float
    end_s: float


def _candidate(vehicle: TrunkVehicle, start_s: float, driven_m: float, left: float,
               load_kg: float, load_m3: float) -> _Candidate | None:
    """The next trip of ``vehicle`` from ``start_s`` carrying what it can of ``left`` (a
    share of the load), or None when it would break the hub's hours, the shift, the
    route duration or the vehicle's range."""
    link, capacity = vehicle.link, vehicle.vehicle_type
    share = min(left, capacity.capacity_kg / load_kg if load_kg > 0 else left,
                capacity.capacity_m3 / load_m3 if load_m3 > 0 else left)
    arrival_s = start_s + link.out_s
    service_start_s = max(arrival_s, link.hub_open_s[0])
    departure_s = service_start_s + _unload_s(link, share * load_kg)
    end_s = departure_s + link.back_s
    fits = (departure_s <= link.hub_open_s[1] and end_s <= link.shift_s[1]
            and (link.max_duration_s is None
                 or end_s - _first_departure_s(link) <= link.max_duration_s)
            and (vehicle.range_m is None
                 or driven_m + link.out_m + link.back_m <= vehicle.range_m))
    return _Candidate(vehicle, share, start_s, arrival_s, service_start_s, departure_s,
                      end_s) if fits else None


def _next_trip(candidates: list[_Candidate], left: float) -> _Candidate:
    """The smallest vehicle that carries all that is ``left`` (the earliest free of
    equals); failing that, the largest, which takes a full load."""
    whole = [c for c in candidates if c.share >= left - _EPSILON]
    if whole:
        return min(whole, key=lambda c: (c.vehicle.vehicle_type.capacity_kg,
                                         c.vehicle.vehicle_type.capacity_m3, c.start_s,
                                         c.vehicle.vehicle_type.id, c.vehicle.number))
    return min(candidates, key=lambda c: (-c.vehicle.vehicle_type.capacity_kg,
                                          -c.vehicle.vehicle_type.capacity_m3, c.start_s,
                                          c.vehicle.vehicle_type.id, c.vehicle.number))


def _schedule(vehicles: Sequence[TrunkVehicle], load_kg: float, load_m3: float,
              trip_id: str) -> tuple[list[TrunkTrip], float]:
    """Trips carrying as much of the load as the fleet can in its hours; returns them and
    the share of the load left behind."""
    clock_s = {v: _first_departure_s(v.link) for v in vehicles}
    driven_m = dict.fromkeys(vehicles, 0.0)
    left = 1.0
    trips: list[TrunkTrip] = []
    while left > _EPSILON:
        candidates = [c for v in vehicles
                      if (c := _candidate(v, clock_s[v], driven_m[v], left, load_kg,
                                          load_m3)) is not None]
        if not candidates:
            break
        trip = _next_trip(candidates, left)
        vehicle, link = trip.vehicle, trip.vehicle.link
        number = len(trips) + 1
        kg, m3 = trip.share * load_kg, trip.share * load_m3
        route = Route(
            vehicle_id=f"{trip_id}/{vehicle.vehicle_type.id}-{vehicle.number}/{number}",
            vehicle_type_id=vehicle.vehicle_type.id, start_s=trip.start_s, end_s=trip.end_s,
            visits=(Visit(job_id=f"trunk:{trip_id}:{number}", location=link.hub,
                          arrival_s=trip.arrival_s, start_s=trip.service_start_s,
                          departure_s=trip.departure_s, load_kg=0.0, load_m3=0.0),),
            legs=(Leg(link.depot, link.hub, link.out_m, link.out_s, kg, m3),
                  Leg(link.hub, link.depot, link.back_m, link.back_s, 0.0, 0.0)))
        trips.append(TrunkTrip(vehicle, route, trip.share))
        left -= trip.share
        clock_s[vehicle] = trip.end_s
        driven_m[vehicle] += link.out_m + link.back_m
    return trips, max(0.0, left)


def trunk_trips(supplier_id: str, hub_id: str, day: Weekday, deliveries: Sequence[Delivery],
                vehicles: Sequence[TrunkVehicle]
                ) -> tuple[list[tuple[Route, tuple[Delivery, ...]]], list[UnservedDelivery]]:
    """The day's trunk trips of one supplier to the hub, each with the deliveries (or
    shares of them) it carries, and the deliveries its fleet cannot bring."""
    trip_id = f"{supplier_id}/trunk/{day}"
    kept = sorted(deliveries, key=lambda d: (d.demand_kg, d.order_id))
    load_kg = sum(d.demand_kg for d in kept)
    load_m3 = sum(d.volume_m3 for d in kept)
    if load_kg <= 0 and load_m3 <= 0:
        return [], []
    trips, left = _schedule(vehicles, load_kg, load_m3, trip_id)
    unserved: list[UnservedDelivery] = []
    if left > _EPSILON:
        carried_kg = (1.0 - left) * load_kg
        left_behind: list[Delivery] = []
        while kept and sum(d.demand_kg for d in kept) > carried_kg + _EPSILON:
            left_behind.append(kept.pop())
        trips = _schedule(vehicles, sum(d.demand_kg for d in kept),
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
