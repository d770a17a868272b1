"""The saving explained: a decomposition computed by hand, each part alone on cases
built so that it is known, and on random inputs the parts adding to the change with
none larger than the larger total (the baseline, for a saving)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.analysis.compare import comparison
from logistics.analysis.decompose import PARTS, decompose_change, split_product


def kpis(deliveries: float, km: float, co2e_kg: float, cost_nok: float,
         inbound_km: float = 0.0, inbound_co2e_kg: float = 0.0, inbound_nok: float = 0.0,
         hub_co2e_kg: float = 0.0, hub_nok: float = 0.0) -> dict[str, float]:
    """KPIs of a scenario from its delivery routes (``km``, ``co2e_kg``, ``cost_nok``),
    its trips to the hub and its hub."""
    return {"deliveries": deliveries, "vehicle_km": km + inbound_km,
            "vehicle_km_inbound": inbound_km,
            "co2e_wtw_kg": co2e_kg + inbound_co2e_kg + hub_co2e_kg,
            "co2e_wtw_kg_inbound": inbound_co2e_kg, "hub_co2e_wtw_kg": hub_co2e_kg,
            "cost_nok": cost_nok + inbound_nok + hub_nok, "cost_nok_inbound": inbound_nok,
            "hub_cost_nok": hub_nok}


def parts(result: dict) -> dict[str, float]:
    return {p["key"]: p["value"] for p in result["parts"]}


# today: 100 deliveries, 500 km (5 km each) at 50 NOK/km
BASE = kpis(deliveries=100, km=500, co2e_kg=200, cost_nok=25_000)
# a hub: 40 deliveries, 240 km (6 km each) at 40 NOK/km, 60 km of trunk trips costing
# NOK 3,000, the hub NOK 2,000
HUB = kpis(deliveries=40, km=240, co2e_kg=48, cost_nok=9_600, inbound_km=60,
           inbound_co2e_kg=30, inbound_nok=3_000, hub_co2e_kg=10, hub_nok=2_000)


def test_vehicle_km_by_hand() -> None:
    change = decompose_change(BASE, HUB, "vehicle_km")
    assert change["total"] == pytest.approx(300 - 500)
    # deliveries fall (100 -> 40) and km per delivery rise (5 -> 6): each change is
    # valued at the other factor's smaller value
    assert parts(change) == pytest.approx({
        "fewer_stops": -60 * 5, "km_per_stop": 1 * 40, "inbound_trips": 60,
        "fleet_energy": 0})


def test_cost_by_hand() -> None:
    change = decompose_change(BASE, HUB, "cost_nok")
    assert change["total"] == pytest.approx(14_600 - 25_000)
    # delivery km 500 -> 240 and NOK/km 50 -> 40 fall together: each valued at the
    # other's mean (45 NOK/km, 370 km); the km split as for vehicle-km
    assert parts(change) == pytest.approx({
        "fewer_stops": -300 * 45, "km_per_stop": 40 * 45, "inbound_trips": 3_000,
        "fleet_energy": -10 * 370, "hub_operations": 2_000})
    assert change["total"] == -13_500 + 1_800 + 3_000 - 3_700 + 2_000


def test_co2e_by_hand() -> None:
    # CO2e per delivery km 0.4 -> 0.2: the same way as the km, at mean 0.3 and 370 km
    change = decompose_change(BASE, HUB, "co2e_wtw_kg")
    assert parts(change) == pytest.approx({
        "fewer_stops": -300 * 0.3, "km_per_stop": 40 * 0.3, "inbound_trips": 30,
        "fleet_energy": -0.2 * 370, "hub_operations": 10})


def test_cleaner_vehicles_alone() -> None:
    cleaner = kpis(deliveries=100, km=500, co2e_kg=100, cost_nok=25_000)
    change = decompose_change(BASE, cleaner, "co2e_wtw_kg")
    assert parts(change) == pytest.approx({"fewer_stops": 0, "km_per_stop": 0,
                                           "inbound_trips": 0, "fleet_energy": -100,
                                           "hub_operations": 0})


def test_fewer_stops_alone() -> None:
    fewer = kpis(deliveries=50, km=250, co2e_kg=100, cost_nok=12_500)
    change = decompose_change(BASE, fewer, "vehicle_km")
    assert parts(change) == pytest.approx({"fewer_stops": -250, "km_per_stop": 0,
                                           "inbound_trips": 0, "fleet_energy": 0})


def test_the_old_paradox_is_gone() -> None:
    # a fifth of the stops, each five times as far: the log-mean index gave two parts
    # of +-L ln 5 (1.6 times the baseline); here neither is larger than the baseline
    far = kpis(deliveries=20, km=500, co2e_kg=200, cost_nok=25_000)
    change = decompose_change(BASE, far, "cost_nok")
    assert change["total"] == pytest.approx(0)
    assert parts(change)["fewer_stops"] == pytest.approx(-80 * 5 * 50)
    assert parts(change)["km_per_stop"] == pytest.approx(20 * 20 * 50)
    assert all(abs(v) <= 25_000 for v in parts(change).values())


def test_no_delivery_routes_left() -> None:
    gone = kpis(deliveries=0, km=0, co2e_kg=0, cost_nok=0, inbound_km=10, inbound_nok=100)
    change = decompose_change(BASE, gone, "cost_nok")
    assert sum(parts(change).values()) == pytest.approx(change["total"])
    assert parts(change)["fewer_stops"] == pytest.approx(-25_000)


size = st.floats(0, 1e4)
ratio = st.floats(0.01, 100)


@given(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4), st.floats(-1e4, 1e4),
       st.floats(-1e4, 1e4))
def test_split_product_adds_up(a0: float, b0: float, a1: float, b1: float) -> None:
    part_a, part_b = split_product(a0, b0, a1, b1)
    assert part_a + part_b == pytest.approx(a1 * b1 - a0 * b0, rel=1e-9, abs=1e-6)


def scenario(deliveries: float, km_per: float, per_km: float, inbound: float,
             hub: float) -> dict[str, float]:
    km = deliveries * km_per
    return kpis(deliveries, km, km * per_km, km * per_km * 100, inbound_km=inbound,
                inbound_co2e_kg=inbound * per_km, inbound_nok=inbound * 100,
                hub_co2e_kg=hub, hub_nok=hub * 100)


@given(size, ratio, ratio, size, size, size, ratio, ratio, size, size)
def test_parts_add_up_and_none_exceeds_the_larger_total(d0, k0, e0, i0, h0, d1, k1, e1, i1,
                                                        h1) -> None:
    before = scenario(d0, k0, e0, i0, h0)
    after = scenario(d1, k1, e1, i1, h1)
    for kpi in ("vehicle_km", "co2e_wtw_kg", "cost_nok"):
        change = decompose_change(before, after, kpi)
        values = parts(change)
        assert sum(values.values()) == pytest.approx(change["total"], rel=1e-9, abs=1e-6)
        bound = max(before[kpi], after[kpi])
        assert all(abs(v) <= bound * (1 + 1e-9) + 1e-6 for v in values.values())
        if after[kpi] <= before[kpi]:  # a saving: no part larger than the baseline
            assert all(abs(v) <= before[kpi] * (1 + 1e-9) + 1e-6 for v in values.values())


def test_the_comparison_carries_the_decomposition() -> None:
    summaries = [{"scenario": "today", "kpi_per_week": BASE},
                 {"scenario": "hub", "kpi_per_week": HUB}]
    compared = comparison(summaries)
    assert set(compared["decomposition"]) == {"hub"}
    vehicle_km = compared["decomposition"]["hub"]["vehicle_km"]
    assert vehicle_km["total"] == pytest.approx(-200)
    assert [p["key"] for p in vehicle_km["parts"]] == list(PARTS[:-1])


def test_a_result_without_the_factors_puts_the_change_in_one_part() -> None:
    # an older result folder without deliveries or inbound km: nothing lost
    old = {"vehicle_km": 80.0, "co2e_wtw_kg": 30.0, "cost_nok": 900.0, "deliveries": None}
    change = decompose_change(BASE, old, "vehicle_km")
    assert change["total"] == pytest.approx(-420)
    assert parts(change) == pytest.approx({"fewer_stops": 0, "km_per_stop": 0,
                                           "inbound_trips": 0, "fleet_energy": -420})
