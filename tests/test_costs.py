"""Budget cost and social cost, each checked against a hand calculation."""

from __future__ import annotations

import pytest

from logistics.accounting.costs import (
    hub_fixed_cost_nok_per_week,
    hub_handling_cost_nok,
    route_cost,
    route_cost_nok,
    social_cost,
    social_cost_nok,
)
from logistics.accounting.emissions import EmissionSettings, LegEmissions, route_emissions
from logistics.accounting.routes import AccountingContext, account_route
from logistics.errors import InputError
from logistics.model.dataset import load_dataset
from logistics.model.domain import Hub
from logistics.model.factors import load_factor_tables
from logistics.plan.planned import PlannedRoute
from logistics.scenarios.schema import CostsSpec, Scenario
from tests.factor_helpers import make_route, make_vehicle

FACTORS = load_factor_tables()


def _route():
    # 31 km in 5.5 hours (08:00 to 13:30)
    return make_route(
        legs=[(0, 1, 10.0, 600.0), (1, 2, 5.0, 350.0), (2, 3, 4.0, 100.0), (3, 0, 12.0, 0.0)],
        visits=[("a", 1, "delivery"), ("b", 2, "delivery"), ("c", 3, "delivery")],
        start_s=8 * 3600.0, end_s=13.5 * 3600.0)


def test_route_budget_cost_is_vehicle_day_plus_km_plus_driver_hours() -> None:
    van = make_vehicle(fixed_cost_nok_per_day=400, cost_nok_per_km=6.0, cost_nok_per_hour=575)
    cost = route_cost(_route(), van)
    assert cost.vehicle_day_nok == 400
    assert cost.distance_nok == pytest.approx(31 * 6.0)
    assert cost.driver_time_nok == pytest.approx(5.5 * 575)
    assert route_cost_nok(_route(), van) == pytest.approx(400 + 186 + 3162.5)


def test_hub_costs() -> None:
    hub = Hub(id="h", name="hub", lon=5.3, lat=60.3, opening="06:00-18:00",
              handling_cost_nok_per_kg=0.8, capacity_kg_per_day=20_000, floor_area_m2=500,
              price_year=2024, fixed_cost_nok_per_year=2_600_000)
    assert hub_handling_cost_nok(hub, 1500.0) == pytest.approx(1200.0)
    assert hub_fixed_cost_nok_per_week(hub) == pytest.approx(50_000.0)
    assert hub_fixed_cost_nok_per_week(hub, weeks_per_year=40) == pytest.approx(65_000.0)


def test_social_cost_is_carbon_price_on_wtw_plus_external_cost_per_vkm() -> None:
    van = make_vehicle()
    settings = EmissionSettings(carbon_price_year=2030)
    emissions = route_emissions(_route(), van, FACTORS, settings)
    cost = social_cost(emissions, _route().distance_m, van, FACTORS, settings)
    # 2000 NOK/t (R-109/21, 2030, 2020 kroner) x WTW tonnes, in 2024 kroner: the CPI
    # 133.6 / 112.2 (SSB table 03014, 2015 = 100)
    inflation = 133.6 / 112.2
    assert cost.carbon_nok == pytest.approx(emissions.co2e_wtw_kg / 1000 * 2000 * inflation)
    # diesel van in a town > 100k: 0.83 local air + 0.51 noise + 2.27 congestion NOK/vkm
    # (2020 kroner)
    assert cost.local_air_nok == pytest.approx(31 * 0.83 * inflation)
    assert cost.noise_nok == pytest.approx(31 * 0.51 * inflation)
    assert cost.congestion_nok == pytest.approx(31 * 2.27 * inflation)
    # accidents 0.12 (the car row of regjeringen.no figure 4.3) and road wear 0.05
    assert cost.accidents_nok == pytest.approx(31 * 0.12 * inflation)
    assert cost.road_wear_nok == pytest.approx(31 * 0.05 * inflation)
    assert cost.external_nok == pytest.approx(31 * (3.61 + 0.17) * inflation)
    assert cost.total_nok == pytest.approx(cost.carbon_nok + 31 * 3.78 * inflation)
    assert social_cost_nok(emissions, 31_000.0, van, FACTORS, settings) == pytest.approx(
        cost.total_nok)


def test_zero_emission_vehicles_use_the_road_dust_row() -> None:
    e_van = make_vehicle(energy_carrier="electricity", euro_class="none")
    settings = EmissionSettings(carbon_price_year=2025)
    cost = social_cost(LegEmissions(co2e_wtw_kg=1.0), 10_000.0, e_van, FACTORS, settings)
    inflation = 133.6 / 112.2  # 2020 -> 2024 kroner (CPI)
    # 2025: NOK 1,160/t in 2020 kroner
    assert cost.carbon_nok == pytest.approx(1.160 * inflation)
    assert cost.local_air_nok == pytest.approx(10 * 0.33 * inflation)
    assert cost.noise_nok == pytest.approx(10 * 0.51 * inflation)


def test_unknown_year_or_area_is_an_input_error_naming_what_exists() -> None:
    van = make_vehicle()
    with pytest.raises(InputError) as caught:
        social_cost(LegEmissions(), 1000.0, van, FACTORS,
                    EmissionSettings(carbon_price_year=2050))
    assert "2030" in caught.value.problems[0].allowed
    with pytest.raises(InputError) as caught:
        social_cost(LegEmissions(), 1000.0, van, FACTORS,
                    EmissionSettings(external_cost_area="rural"))
    assert "van/False/town_over_100k" in caught.value.problems[0].allowed


def test_the_hourly_cost_scale_changes_only_the_time_cost() -> None:
    dataset = load_dataset()
    van = make_vehicle(fixed_cost_nok_per_day=400, cost_nok_per_km=6.0, cost_nok_per_hour=575)
    planned = PlannedRoute("mon", "direct", "s", _route(), {}, {})
    for scale in (1.0, 1.2):
        scenario = Scenario(name="s", design="direct",
                            costs=CostsSpec(hourly_cost_scale=scale))
        context = AccountingContext.for_scenario(scenario, dataset)
        account, _ = account_route(planned, van, context)
        assert account.cost_nok == pytest.approx(400 + 31 * 6.0 + 5.5 * 575 * scale)


def test_the_hub_cost_scale_multiplies_the_fixed_cost() -> None:
    dataset = load_dataset()
    scenario = Scenario(name="s", design="consolidated", hub="kokstad",
                        fleet={"hub": [{"vehicle_type": "e-van", "count": 1}]})
    weeks = 47  # the hub is open the kindergartens' weeks (unit_weeks.csv)
    # Kokstad: 750 m2 x NOK 1 300 (2023) + SEK 900 000 (2019) at 0.9303 NOK/SEK, in 2024
    # kroner (CPI 133.6 / 129.6 and 133.6 / 110.8)
    per_week = (750 * 1300 * 133.6 / 129.6 + 900_000 * 0.9303 * 133.6 / 110.8) / weeks
    for scale in (1.0, 0.5):
        scaled = scenario.model_copy(update={"costs": CostsSpec(hub_cost_scale=scale)})
        hub = AccountingContext.for_scenario(scaled, dataset).hub_operations([])
        assert hub.cost_nok == pytest.approx(per_week * scale)
