"""Electric energy by season, by hand: Bergen's monthly normals through the
temperature relation, the year as the days-weighted mean, and winter range loss from
the same relation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.accounting.emissions import EmissionSettings, leg_emissions
from logistics.accounting.routes import AccountingContext
from logistics.accounting.season import range_loss_share, seasonal_energy_factor
from logistics.model.dataset import load_dataset
from logistics.model.factors import load_factor_tables
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.scenarios.files import load_scenario
from logistics.scenarios.schema import Scenario
from tests.factor_helpers import make_vehicle

FACTORS = load_factor_tables()
DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
BERGEN_C = (1.3, 1.5, 3.3, 5.9, 10.5, 13.3, 14.3, 14.1, 11.6, 8.7, 4.6, 2.4)
"""data/bergen/monthly_temperature.csv (met.no normals 1961-1990, Bergen-Florida)."""


def test_the_relation_at_its_points_and_between() -> None:
    assert FACTORS.ev_consumption_factor(20.0) == 1.0  # summer: as tabled
    assert FACTORS.ev_consumption_factor(0.0) == pytest.approx(1.25)
    assert FACTORS.ev_consumption_factor(7.5) == pytest.approx(1.125)  # halfway 15 -> 0
    assert FACTORS.ev_consumption_factor(-5.0) == pytest.approx((1.25 + 1.5625) / 2)
    assert FACTORS.ev_consumption_factor(-40.0) == pytest.approx(2.0)  # flat beyond


def test_bergen_year_by_hand() -> None:
    # every month lies between 0 and 15 degrees, where the factor is linear:
    # 1 + 0.25 x (15 - T) / 15, so the days-weighted mean factor is that of the
    # days-weighted mean temperature
    mean_c = sum(d * t for d, t in zip(DAYS, BERGEN_C, strict=True)) / 365
    assert mean_c == pytest.approx(2796.6 / 365)
    expected = 1 + 0.25 * (15 - mean_c) / 15
    assert expected == pytest.approx(1.1223, abs=1e-4)
    dataset = load_dataset()
    months = {m: row.mean_temperature_c for m, row in dataset.monthly_temperature.items()}
    assert seasonal_energy_factor(months, FACTORS) == pytest.approx(expected)
    context = AccountingContext.for_scenario(Scenario(name="s", design="direct"), dataset)
    assert context.settings.electric_energy_factor == pytest.approx(expected)
    summer = Scenario(name="s", design="direct", emissions={"ev_energy_by_season": False})
    assert AccountingContext.for_scenario(summer, dataset).settings \
        .electric_energy_factor == 1.0


def test_only_electric_vehicles_use_more_in_the_cold() -> None:
    e_van = make_vehicle(energy_carrier="electricity", euro_class="none")
    van = make_vehicle()
    cold = EmissionSettings(electric_energy_factor=1.2)
    for vehicle, factor in ((e_van, 1.2), (van, 1.0)):
        base = leg_emissions(vehicle, 10_000.0, 300.0, FACTORS, EmissionSettings())
        seasonal = leg_emissions(vehicle, 10_000.0, 300.0, FACTORS, cold)
        assert seasonal.energy_kwh == pytest.approx(factor * base.energy_kwh)
        assert seasonal.co2e_wtw_kg == pytest.approx(factor * base.co2e_wtw_kg)


def test_winter_range_derating_agrees_with_the_relation() -> None:
    # NAF: 20 % less range at 0 degrees, 36 % at -10, 50 % near -20
    assert range_loss_share(0.0, FACTORS) == pytest.approx(0.20)
    assert range_loss_share(-10.0, FACTORS) == pytest.approx(0.36)
    outage = load_scenario(SHIPPED_SCENARIOS_DIR / "power-outage-winter-2d.yaml")
    (disruption,) = outage.disruptions
    # the scenario's 40 % is the relation's loss between -10 and -20 degrees
    assert range_loss_share(-10.0, FACTORS) < disruption.winter_derating \
        < range_loss_share(-20.0, FACTORS)
    # Bergen's coldest normal month (January, 1.3 degrees) costs about 19 % of range
    assert range_loss_share(1.3, FACTORS) == pytest.approx(1 - 1 / (1 + 0.25 * 13.7 / 15))


@given(st.floats(-30, 30), st.floats(-30, 30))
def test_colder_is_never_cheaper(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert FACTORS.ev_consumption_factor(low) >= FACTORS.ev_consumption_factor(high)
