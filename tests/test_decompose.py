"""The saving explained: each part of the decomposition on cases built so that it is
known, and the parts always summing to the change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.analysis.compare import comparison
from logistics.analysis.decompose import decompose_change


def kpis(stops: float, tonne_km: float, vehicle_km: float, capacity_tonne_km: float,
         co2e_kg: float, hub_co2e_kg: float = 0.0, cost_nok: float = 1000.0,
         hub_cost_nok: float = 0.0) -> dict[str, float]:
    return {"stops": stops, "tonne_km": tonne_km, "vehicle_km": vehicle_km,
            "load_factor": tonne_km / capacity_tonne_km, "co2e_wtw_kg": co2e_kg + hub_co2e_kg,
            "hub_co2e_wtw_kg": hub_co2e_kg, "cost_nok": cost_nok + hub_cost_nok,
            "hub_cost_nok": hub_cost_nok}


def parts(result: dict) -> dict[str, float]:
    return {p["key"]: p["value"] for p in result["parts"]}


BASE = kpis(stops=10, tonne_km=50, vehicle_km=100, capacity_tonne_km=200, co2e_kg=40)


def test_cleaner_vehicles_alone() -> None:
    # same routes, half the CO2e per vehicle-km: all of the change is vehicle and energy
    cleaner = kpis(stops=10, tonne_km=50, vehicle_km=100, capacity_tonne_km=200, co2e_kg=20)
    change = decompose_change(BASE, cleaner, "co2e_wtw_kg")
    assert change["total"] == pytest.approx(-20)
    assert parts(change) == pytest.approx({"fewer_stops": 0, "trip_length": 0,
                                           "load_factor": 0, "vehicle_energy": -20,
                                           "hub_operations": 0})


def test_fuller_vehicles_alone() -> None:
    # the same stops and tonne-km on vehicles of the same size driven half the km:
    # load factor 0.25 -> 0.5
    fuller = kpis(stops=10, tonne_km=50, vehicle_km=50, capacity_tonne_km=100, co2e_kg=20)
    for kpi, total in (("vehicle_km", -50), ("co2e_wtw_kg", -20)):
        change = decompose_change(BASE, fuller, kpi)
        assert change["total"] == pytest.approx(total)
        assert parts(change)["load_factor"] == pytest.approx(total)
        assert parts(change)["fewer_stops"] == pytest.approx(0)
        assert parts(change)["vehicle_energy"] == pytest.approx(0)


def test_fewer_stops_alone() -> None:
    # half the stops, each with the same tonne-km, same load factor and vehicles
    fewer = kpis(stops=5, tonne_km=25, vehicle_km=50, capacity_tonne_km=100, co2e_kg=20)
    change = decompose_change(BASE, fewer, "vehicle_km")
    assert parts(change) == pytest.approx({"fewer_stops": -50, "trip_length": 0,
                                           "load_factor": 0, "vehicle_energy": 0})


def test_longer_trips_and_a_hub() -> None:
    # each stop's goods ride 1.5 times as far; the hub adds 30 kg CO2e and NOK 500
    longer = kpis(stops=10, tonne_km=75, vehicle_km=150, capacity_tonne_km=300, co2e_kg=60,
                  hub_co2e_kg=30, cost_nok=1500, hub_cost_nok=500)
    co2e = decompose_change(BASE, longer, "co2e_wtw_kg")
    assert co2e["total"] == pytest.approx(50)
    assert parts(co2e) == pytest.approx({"fewer_stops": 0, "trip_length": 20, "load_factor": 0,
                                         "vehicle_energy": 0, "hub_operations": 30})
    cost = decompose_change(BASE, longer, "cost_nok")
    assert parts(cost)["trip_length"] == pytest.approx(500)
    assert parts(cost)["hub_operations"] == pytest.approx(500)


def test_zero_emission_grid_is_attributed_to_energy() -> None:
    zero = kpis(stops=5, tonne_km=50, vehicle_km=80, capacity_tonne_km=200, co2e_kg=0)
    change = decompose_change(BASE, zero, "co2e_wtw_kg")
    assert change["total"] == pytest.approx(-40)
    assert sum(parts(change).values()) == pytest.approx(-40)


positive = st.floats(0.5, 1e4)


@given(positive, positive, positive, st.floats(1.01, 10), positive, st.floats(0, 1e3),
       positive, positive, positive, st.floats(1.01, 10), positive, st.floats(0, 1e3))
def test_parts_sum_to_the_change(s0, t0, v0, c0, e0, h0, s1, t1, v1, c1, e1, h1) -> None:
    before = kpis(s0, t0, v0, t0 * c0, e0, h0)
    after = kpis(s1, t1, v1, t1 * c1, e1, h1)
    for kpi in ("vehicle_km", "co2e_wtw_kg", "cost_nok"):
        change = decompose_change(before, after, kpi)
        assert sum(parts(change).values()) == pytest.approx(change["total"], rel=1e-6,
                                                            abs=1e-6)


def test_the_comparison_carries_the_decomposition() -> None:
    summaries = [{"scenario": "today", "kpi_per_week": BASE},
                 {"scenario": "hub", "kpi_per_week": kpis(5, 25, 50, 100, 20)}]
    compared = comparison(summaries)
    assert set(compared["decomposition"]) == {"hub"}
    vehicle_km = compared["decomposition"]["hub"]["vehicle_km"]
    assert vehicle_km["total"] == pytest.approx(-50)
    assert parts(vehicle_km)["fewer_stops"] == pytest.approx(-50)


def test_a_result_without_the_factors_puts_the_change_in_one_part() -> None:
    # an older result folder without stops or tonne-km: nothing to split, nothing lost
    old = {"vehicle_km": 80.0, "co2e_wtw_kg": 30.0, "cost_nok": 900.0, "stops": None}
    change = decompose_change(BASE, old, "vehicle_km")
    assert change["total"] == pytest.approx(-20)
    assert parts(change) == pytest.approx({"fewer_stops": 0, "trip_length": 0,
                                           "load_factor": 0, "vehicle_energy": -20})
