"""Per-leg and per-route energy and emissions, checked against hand calculations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.accounting.emissions import (
    METHOD,
    BiogenicRule,
    EmissionSettings,
    carrier_intensity,
    leg_emissions,
    route_emissions,
    route_leg_emissions,
)
from logistics.errors import InputError
from logistics.model.factors import load_factor_tables
from tests.factor_helpers import DIESEL_KWH_PER_L, make_route, make_vehicle

FACTORS = load_factor_tables()
LOCATION = EmissionSettings(electricity_basis="location_nve_2022")
RESIDUAL = EmissionSettings(electricity_basis="residual_mix_nve_2020")


def test_diesel_van_at_9_litres_per_100_km_gives_about_239_g_co2_per_vkm() -> None:
    kwh_per_km = 0.09 * DIESEL_KWH_PER_L  # 9 l/100 km = 0.905 kWh/km
    van = make_vehicle(energy_kwh_per_km_empty=kwh_per_km, energy_kwh_per_km_full=kwh_per_km)
    fossil_diesel = EmissionSettings(diesel_bio_share=0.0)
    result = leg_emissions(van, 1000.0, 300.0, FACTORS, fossil_diesel)
    # hand: 0.905 kWh/km x 0.265 kg CO2/kWh (Miljødirektoratet) x 1.01 (CH4 + N2O)
    assert result.energy_kwh == pytest.approx(0.90504)
    assert result.co2e_ttw_kg == pytest.approx(0.90504 * 0.265 * 1.01, rel=1e-9)
    assert result.co2e_ttw_kg == pytest.approx(0.09 * 2.66, rel=0.015)  # 239 g CO2/vkm
    assert result.co2e_ttw_kg == pytest.approx(0.24266, rel=0.03)  # DEFRA 2025 diesel van
    # WTW adds the well-to-tank part of fossil diesel (DEFRA 0.06291 kg/kWh)
    assert result.co2e_wtw_kg == pytest.approx(0.90504 * (0.265 * 1.01 + 0.06291), rel=1e-9)


def test_norwegian_road_diesel_bio_share_lowers_fossil_ttw() -> None:
    van = make_vehicle(energy_kwh_per_km_empty=1.0, energy_kwh_per_km_full=1.0)
    blend = leg_emissions(van, 1000.0, 0.0, FACTORS, EmissionSettings())
    # 13 % of the energy is biodiesel: fossil part counted, biogenic CO2 not,
    # the bio part's CH4 + N2O (0.00373 kg/kWh) counted.
    assert blend.co2e_ttw_kg == pytest.approx(0.87 * 0.26765 + 0.13 * 0.00373, rel=1e-9)
    counted = leg_emissions(van, 1000.0, 0.0, FACTORS,
                            EmissionSettings(biogenic_co2=BiogenicRule.COUNTED))
    assert counted.co2e_ttw_kg == pytest.approx(0.87 * 0.26765 + 0.13 * (0.00373 + 0.28))


def test_electric_van_under_both_electricity_bases() -> None:
    e_van = make_vehicle(energy_carrier="electricity", euro_class="none",
                         energy_kwh_per_km_empty=0.25, energy_kwh_per_km_full=0.25)
    location = leg_emissions(e_van, 10_000.0, 500.0, FACTORS, LOCATION)
    residual = leg_emissions(e_van, 10_000.0, 500.0, FACTORS, RESIDUAL)
    zero = leg_emissions(e_van, 10_000.0, 500.0, FACTORS,
                         EmissionSettings(electricity_basis="zero_kommune_inventory"))
    assert location.energy_kwh == pytest.approx(2.5)
    assert location.co2e_ttw_kg == residual.co2e_ttw_kg == 0.0
    assert location.co2e_wtw_kg == pytest.approx(2.5 * 0.019)  # 4.75 g/vkm
    assert residual.co2e_wtw_kg == pytest.approx(2.5 * 0.402)  # 100.5 g/vkm
    assert residual.co2e_wtw_kg / location.co2e_wtw_kg == pytest.approx(402 / 19)
    assert zero.co2e_wtw_kg == 0.0
    # no exhaust, but tyre, brake and road wear still count (EMEP/EEA LDV 29.1 mg/km)
    assert location.nox_g == location.pm_exhaust_g == 0.0
    assert location.pm_non_exhaust_g == pytest.approx(10 * 0.0291)
    assert location.pm_g == location.pm_non_exhaust_g


@pytest.mark.parametrize(("carrier", "unit", "biogenic", "other", "wtt"), [
    ("hvo100", "l", 0.28, 0.00373, 0.02919),
    ("biogas", "kg", 0.1964, 0.00038, 0.036),
])
def test_biogenic_rule_switches_biofuel_ttw(carrier: str, unit: str, biogenic: float,
                                            other: float, wtt: float) -> None:
    vehicle = make_vehicle(energy_carrier=carrier, energy_kwh_per_km_empty=2.0,
                           energy_kwh_per_km_full=2.0, vehicle_class="rigid_truck",
                           euro_class="Euro VI", capacity_kg=7000)
    zero = leg_emissions(vehicle, 1000.0, 0.0, FACTORS,
                         EmissionSettings(biogenic_co2=BiogenicRule.ZERO_AT_TAILPIPE))
    counted = leg_emissions(vehicle, 1000.0, 0.0, FACTORS,
                            EmissionSettings(biogenic_co2=BiogenicRule.COUNTED))
    assert FACTORS.carrier(vehicle.energy_carrier).unit == unit
    assert zero.co2e_ttw_kg == pytest.approx(2.0 * other)
    assert counted.co2e_ttw_kg == pytest.approx(2.0 * (other + biogenic))
    assert counted.co2e_wtw_kg - counted.co2e_ttw_kg == pytest.approx(2.0 * wtt)
    assert zero.co2e_wtt_kg == pytest.approx(counted.co2e_wtt_kg)
    assert zero.nox_g == counted.nox_g > 0


def test_route_with_falling_payload_gets_load_dependent_energy_right() -> None:
    # empty 0.8 kWh/km, full 1.0 kWh/km at 1000 kg: +0.2 kWh/km per tonne on board
    van = make_vehicle(energy_kwh_per_km_empty=0.8, energy_kwh_per_km_full=1.0)
    route = make_route(
        legs=[(0, 1, 10.0, 600.0), (1, 2, 5.0, 350.0), (2, 3, 4.0, 100.0),
              (3, 0, 12.0, 0.0)],
        visits=[("a", 1, "delivery"), ("b", 2, "delivery"), ("c", 3, "delivery")])
    # Hand calculation, leg by leg (km x (0.8 + 0.2 x tonnes on board)):
    #   depot -> a: 10 km x (0.8 + 0.2 x 0.60) = 10 x 0.92 = 9.20 kWh
    #   a -> b:      5 km x (0.8 + 0.2 x 0.35) =  5 x 0.87 = 4.35 kWh
    #   b -> c:      4 km x (0.8 + 0.2 x 0.10) =  4 x 0.82 = 3.28 kWh
    #   c -> depot: 12 km x (0.8 + 0.2 x 0.00) = 12 x 0.80 = 9.60 kWh
    #   total                                               26.43 kWh
    per_leg = route_leg_emissions(route, van, FACTORS, LOCATION)
    assert [leg.energy_kwh for leg in per_leg] == pytest.approx([9.20, 4.35, 3.28, 9.60])
    totals = route_emissions(route, van, FACTORS, LOCATION)
    assert totals.energy_kwh == pytest.approx(26.43)
    intensity = carrier_intensity(van.energy_carrier, FACTORS, LOCATION)
    assert totals.co2e_wtw_kg == pytest.approx(26.43 * intensity.wtw_kg_per_kwh)
    # exhaust NOx is per km: 31 km x 0.60 g/km (diesel van Euro 6 row)
    assert totals.nox_g == pytest.approx(31 * 0.60)
    # a constant load at the route's mean would give a different answer
    assert totals.energy_kwh != pytest.approx(31 * van.energy_kwh_per_km(262.5))


@settings(max_examples=60, deadline=None)
@given(first_m=st.floats(0, 50_000), second_m=st.floats(0, 50_000),
       payload_kg=st.floats(0, 1000), heavier_kg=st.floats(0, 1000))
def test_leg_emissions_add_over_distance_and_grow_with_payload(
        first_m: float, second_m: float, payload_kg: float, heavier_kg: float) -> None:
    van = make_vehicle()
    whole = leg_emissions(van, first_m + second_m, payload_kg, FACTORS, LOCATION)
    parts = (leg_emissions(van, first_m, payload_kg, FACTORS, LOCATION)
             + leg_emissions(van, second_m, payload_kg, FACTORS, LOCATION))
    for name, value in whole.as_dict().items():
        assert value == pytest.approx(parts.as_dict()[name], rel=1e-9, abs=1e-12)
    light, heavy = sorted((payload_kg, heavier_kg))
    assert (leg_emissions(van, first_m, heavy, FACTORS, LOCATION).co2e_wtw_kg
            >= leg_emissions(van, first_m, light, FACTORS, LOCATION).co2e_wtw_kg)


def test_unknown_euro_class_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        leg_emissions(make_vehicle(euro_class="Euro 3"), 1000, 0, FACTORS, LOCATION)
    assert "van/diesel/3" in caught.value.problems[0].found


def test_settings_are_validated_and_described() -> None:
    with pytest.raises(InputError):
        EmissionSettings(biogenic_co2="sometimes")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        EmissionSettings(diesel_bio_share=1.5)
    with pytest.raises(InputError) as caught:
        EmissionSettings(electricity_basis="nordic_mix", carbon_price_year=2051,
                         external_cost_area="rural").check(FACTORS)
    assert [(p.source, p.field) for p in caught.value.problems] == [
        ("emission settings", f"emissions.{field}")
        for field in ("electricity_basis", "carbon_price_year", "external_cost_area")]
    assert "electricity.csv" in caught.value.problems[0].allowed
    EmissionSettings().check(FACTORS)
    described = RESIDUAL.describe(FACTORS).as_json()
    assert described["method"] == METHOD == "ISO 14083:2023 / GLEC v3 per-vehicle-km method"
    assert described["electricity_basis"] == "residual_mix_nve_2020"
    assert described["electricity_co2e_kg_per_kwh"] == 0.402
    assert described["biogenic_co2"] == "zero_at_tailpipe"
    assert described["diesel_bio_share"] == 0.13
    counted = EmissionSettings(biogenic_co2="counted")  # type: ignore[arg-type]
    assert counted.describe(FACTORS).as_json()["biogenic_co2"] == "counted"
