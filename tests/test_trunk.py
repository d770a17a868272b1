"""Trunk trips by the supplier's own vehicles, scheduled by hand: the smallest vehicle
that carries the load, rounds of trips, the hub's hours and the shift, the day's
shortfall unserved with its reason, and the share of a vehicle-day a trip is charged."""

from __future__ import annotations

import pytest

from logistics.plan.deliveries import Delivery
from logistics.plan.trunk import (
    HUB_UNLOAD_FIXED_S,
    TrunkLink,
    TrunkVehicle,
    trunk_trips,
    vehicle_day_share,
)
from tests.factor_helpers import make_vehicle

HOUR_S = 3600.0
LINK = TrunkLink(depot=0, hub=1, out_m=10_000.0, back_m=10_000.0, out_s=1200.0,
                 back_s=1200.0, hub_open_s=(6 * HOUR_S, 18 * HOUR_S),
                 shift_s=(6.5 * HOUR_S, 16 * HOUR_S), max_duration_s=None,
                 service_s_per_kg=0.6)
TRUCK = make_vehicle(id="truck", capacity_kg=1000.0, capacity_m3=10.0)


def deliveries(*kg: float) -> list[Delivery]:
    return [Delivery(f"o{i}", f"u{i}", "dry_food", "s", "mon", value, value / 1000)
            for i, value in enumerate(kg)]


def test_one_truck_shuttles_until_the_load_is_in() -> None:
    trips, unserved = trunk_trips("s", "hub", "mon", deliveries(300, 700, 1500),
                                  [TrunkVehicle(TRUCK, 1, None, LINK)])
    assert unserved == []
    loads = [route.legs[0].load_kg for route, _ in trips]
    assert loads == pytest.approx([1000, 1000, 500])
    # by hand: leave 06:30, at the hub 06:50, unload 900 s + 0.6 s/kg x 1000 = 25 min,
    # back 07:35; the second trip the same from 07:35 (back 08:40); the third carries
    # 500 kg (unload 20 min): 08:40 -> 09:00 -> 09:20 -> 09:40
    starts = [route.start_s / HOUR_S for route, _ in trips]
    ends = [route.end_s / HOUR_S for route, _ in trips]
    assert starts == pytest.approx([6.5, 6.5 + 65 / 60, 6.5 + 130 / 60])
    assert ends[-1] == pytest.approx(6.5 + 130 / 60 + 60 / 60)
    assert trips[0][0].visits[0].departure_s - trips[0][0].visits[0].start_s == \
        pytest.approx(HUB_UNLOAD_FIXED_S + 0.6 * 1000)
    carried = {}
    for _, shares in trips:
        for delivery in shares:
            carried[delivery.order_id] = carried.get(delivery.order_id, 0) + delivery.demand_kg
    assert carried == pytest.approx({"o0": 300, "o1": 700, "o2": 1500})


def test_two_trucks_go_out_together() -> None:
    trips, _ = trunk_trips("s", "hub", "mon", deliveries(2500),
                           [TrunkVehicle(TRUCK, 1, None, LINK),
                            TrunkVehicle(TRUCK, 2, None, LINK)])
    assert [(r.vehicle_id.split("/")[-2], r.start_s / HOUR_S) for r, _ in trips] == [
        ("truck-1", 6.5), ("truck-2", 6.5), ("truck-1", 6.5 + 65 / 60)]


def test_what_the_fleet_cannot_bring_in_the_shift_is_unserved() -> None:
    short_shift = TrunkLink(**{**LINK.__dict__, "shift_s": (6.5 * HOUR_S, 8.75 * HOUR_S)})
    trips, unserved = trunk_trips("s", "hub", "mon", deliveries(300, 700, 1500),
                                  [TrunkVehicle(TRUCK, 1, None, short_shift)])
    # two trips fit (back 07:35 and 08:40), 2000 of 2500 kg; the smallest deliveries are
    # kept while they fit, so the 1500 kg delivery is the one left behind
    assert [u.delivery.order_id for u in unserved] == ["o2"]
    assert unserved[0].reason == "fleet_capacity_shortfall"
    assert "2,000 of 2,500 kg" in unserved[0].detail
    assert [route.legs[0].load_kg for route, _ in trips] == pytest.approx([1000])


def test_range_limits_the_trips_of_the_day() -> None:
    trips, unserved = trunk_trips("s", "hub", "mon", deliveries(1000, 1000, 500),
                                  [TrunkVehicle(TRUCK, 1, 45_000.0, LINK)])
    # 20 km a round trip and 45 km a day: two trips, 2000 of 2500 kg; of the two largest
    # deliveries (equal kg) the one ordered last is left behind
    assert [route.legs[0].load_kg for route, _ in trips] == pytest.approx([1000, 500])
    assert [u.delivery.order_id for u in unserved] == ["o1"]


VAN = make_vehicle(id="van", capacity_kg=800.0, capacity_m3=8.0)
LORRY = make_vehicle(id="lorry", capacity_kg=8000.0, capacity_m3=40.0)
FLEET = [TrunkVehicle(LORRY, 1, None, LINK), TrunkVehicle(TRUCK, 1, None, LINK),
         TrunkVehicle(VAN, 1, None, LINK)]


@pytest.mark.parametrize(("kg", "vehicles"), [
    (500, ["van"]),            # the van carries it: neither the truck nor the lorry goes
    (800, ["van"]),            # exactly the van's capacity
    (900, ["truck"]),          # too much for the van, the truck carries it
    (5000, ["lorry"]),         # only the lorry carries it in one trip
    (9000, ["lorry", "truck"]),  # the lorry takes 8000 kg, the truck the last 1000
    (8500, ["lorry", "van"]),  # the lorry takes 8000 kg, the van the last 500
])
def test_the_smallest_vehicle_that_carries_the_load_goes(kg: float,
                                                          vehicles: list[str]) -> None:
    trips, unserved = trunk_trips("s", "hub", "mon", deliveries(kg), FLEET)
    assert unserved == []
    assert [route.vehicle_type_id for route, _ in trips] == vehicles
    assert sum(route.legs[0].load_kg for route, _ in trips) == pytest.approx(kg)


def test_volume_decides_when_it_binds_before_mass() -> None:
    # 300 kg but 9 m3 (0.03 m3/kg): more than the van's 8 m3, so the truck goes
    bulky = [Delivery("o0", "u0", "dry_food", "s", "mon", 300.0, 9.0)]
    trips, _ = trunk_trips("s", "hub", "mon", bulky, FLEET)
    assert [route.vehicle_type_id for route, _ in trips] == ["truck"]


def test_a_trip_pays_the_share_of_a_vehicle_day_its_hours_use() -> None:
    # shift 06:30-16:00 = 9.5 h; a trip of 1 h pays 1/9.5 of a vehicle-day
    assert vehicle_day_share(HOUR_S, (6.5 * HOUR_S, 16 * HOUR_S)) == pytest.approx(1 / 9.5)
    assert vehicle_day_share(12 * HOUR_S, (6.5 * HOUR_S, 16 * HOUR_S)) == 1.0
    cost = TRUCK.cost_parts_nok(20_000.0, HOUR_S, 1 / 9.5)
    assert cost == pytest.approx((TRUCK.fixed_cost_nok_per_day / 9.5,
                                  20 * TRUCK.cost_nok_per_km, TRUCK.cost_nok_per_hour))
