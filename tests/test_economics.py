"""The economics of a decision: payers, one-off costs, present cost over the contract,
cost per tonne abated and rounding, each checked against figures worked by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.analysis.economics import (
    annuity_factor,
    cost_per_tonne_abated,
    electric_vehicle_types,
    load_one_off_prices,
    one_off_quantities,
    option_economics,
    payer_costs,
    present_cost_nok,
    round_significant,
)
from logistics.errors import InputError
from logistics.paths import FACTORS_DIR
from logistics.scenarios.schema import ONE_OFF_ITEMS, EconomicsSpec


@dataclass(frozen=True)
class Routes:
    kind: str
    cost_nok: float


def result(name: str, design: str, week: dict[str, float], weeks: float = 46,
           spec: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"scenario": name, "kpi_per_week": week,
            "kpi_per_year": {k: v * weeks for k, v in week.items()},
            "scenario_spec": {"design": design, **(spec or {})}}


def test_annuity_factor_at_the_government_rate_over_ten_years() -> None:
    # 1.04 ** -10 = 0.675564; (1 - 0.675564) / 0.04 = 8.1109
    assert annuity_factor(0.04, 10) == pytest.approx(8.1109, abs=1e-4)
    assert annuity_factor(0.0, 7) == 7
    assert present_cost_nok(100_000, 1_000_000, 0.04, 10) == pytest.approx(1_811_090, abs=10)


def test_payers_from_routes_when_the_result_has_no_split() -> None:
    document = result("c", "consolidated", {"cost_nok": 1000.0, "hub_cost_nok": 300.0})
    routes = [Routes("distribution", 400.0), Routes("trunk", 250.0),
              Routes("collection", 50.0), Routes("direct", 0.0)]
    payers = payer_costs(document, routes)
    assert not payers.from_kpis
    assert payers.municipality_nok_per_year == pytest.approx((400 + 50 + 300) * 46)
    assert payers.suppliers_nok_per_year == pytest.approx(250 * 46)
    assert payers.total_nok_per_year == pytest.approx(1000 * 46)


def test_payers_from_the_results_kpis_when_present() -> None:
    document = result("c", "consolidated", {"cost_nok": 10.0, "hub_cost_nok": 0.0,
                                            "cost_nok_municipality": 7.0,
                                            "cost_nok_suppliers": 3.0}, weeks=10)
    payers = payer_costs(document, [Routes("trunk", 999.0)])
    assert payers.from_kpis
    assert (payers.municipality_nok_per_year, payers.suppliers_nok_per_year) == (70.0, 30.0)


def test_one_off_quantities_follow_the_design_and_its_electric_fleet() -> None:
    electric = electric_vehicle_types()
    assert {"e-van-chilled", "rigid-electric-16t-chilled"} <= electric
    assert "van-diesel-chilled" not in electric
    spec = {"design": "consolidated", "fleet": {
        "hub": [{"vehicle_type": "rigid-electric-16t-chilled", "count": 3},
                {"vehicle_type": "e-van-chilled", "count": 4},
                {"vehicle_type": "van-diesel-chilled", "count": 2}],
        "collection": [{"vehicle_type": "rigid-electric-16t-chilled", "count": 1}]}}
    quantities = one_off_quantities(spec, electric, {"vehicles": 2})
    assert quantities == {"hub_setup": 1, "chargers": 8, "vehicles": 2, "ict": 1,
                          "transition_staff_fte_years": 1}
    assert set(one_off_quantities({"design": "direct"}, electric, {}).values()) == {0}


def test_option_economics_against_direct_by_hand() -> None:
    direct = result("direct", "direct", {"cost_nok": 2000.0, "hub_cost_nok": 0.0,
                                         "co2e_wtw_kg": 100.0})
    hub = result("hub", "consolidated", {"cost_nok": 1900.0, "hub_cost_nok": 500.0,
                                         "co2e_wtw_kg": 40.0},
                 spec={"fleet": {"hub": [{"vehicle_type": "e-van", "count": 2}]},
                       "economics": {"contract_years": 5, "discount_rate": 0.0,
                                     "one_off": {"transition_staff_fte_years": 0}}})
    routes = {"direct": [Routes("direct", 2000.0)],
              "hub": [Routes("distribution", 900.0), Routes("trunk", 500.0)]}
    base, option = option_economics([direct, hub], routes, "direct")
    assert base.municipality_change_nok_per_year == 0 and base.one_off == ()
    # municipality 46 x (900 + 500) = 64 400 more; suppliers 46 x (500 - 2000) = -69 000
    assert option.municipality_change_nok_per_year == pytest.approx(64_400)
    assert option.suppliers_change_nok_per_year == pytest.approx(-69_000)
    # one hub 3 000 000 + ICT 800 000 + two chargers 2 x 150 000 (one_off_costs.csv)
    assert option.one_off_nok == pytest.approx(4_100_000)
    assert option.one_off_nok_per_year == pytest.approx(820_000)  # five years at 0 %
    assert {c.item for c in option.one_off} == {"hub_setup", "ict", "chargers"}
    # five years undiscounted: 4 100 000 + 5 x (64 400 - 69 000)
    assert option.present_cost_change_nok == pytest.approx(4_077_000)
    assert option.municipality_present_cost_change_nok == pytest.approx(4_422_000)
    # 46 x 60 kg = 2.76 t abated a year; (-4 600 + 4 100 000 / 5) / 2.76
    assert option.abated_co2e_t_per_year == pytest.approx(2.76)
    assert option.cost_nok_per_t_abated == pytest.approx(815_400 / 2.76)


def test_no_cost_per_tonne_when_nothing_is_abated() -> None:
    assert cost_per_tonne_abated(1000.0, 0.0, 0.0, 0.04, 10) is None
    assert cost_per_tonne_abated(1000.0, 0.0, -1.0, 0.04, 10) is None


def test_round_significant() -> None:
    assert round_significant(70_728) == 71_000
    assert round_significant(-4_392_118, 3) == -4_390_000
    assert round_significant(0.01234) == 0.012
    assert round_significant(0.0) == 0.0


@given(st.floats(min_value=1e-6, max_value=1e12), st.integers(min_value=1, max_value=4))
def test_rounding_keeps_the_relative_error_within_the_digits_kept(value: float,
                                                                  digits: int) -> None:
    # the first kept digit is worth at least 1 unit of 10^e <= value, so half a unit of
    # the last kept digit is at most 0.5 x 10^(1 - digits) of the value
    assert abs(round_significant(value, digits) - value) <= value * 0.5 * 10 ** (1 - digits) * (
        1 + 1e-9)


@given(st.floats(min_value=0.0, max_value=0.2), st.integers(min_value=1, max_value=40))
def test_annuity_never_exceeds_the_years_and_falls_with_the_rate(rate: float,
                                                                 years: int) -> None:
    factor = annuity_factor(rate, years)
    assert 0 < factor <= years + 1e-9
    assert annuity_factor(rate + 0.01, years) < factor


def test_shipped_prices_cover_every_item_with_a_source() -> None:
    prices = load_one_off_prices(FACTORS_DIR / "one_off_costs.csv")
    assert set(prices) == set(ONE_OFF_ITEMS)
    assert all(p.source and p.cost_nok_per_unit > 0 for p in prices.values())


def test_a_price_table_missing_an_item_names_it(tmp_path: Any) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("item,basis,cost_nok_per_unit,price_level,source\n"
                    "hub_setup,per hub,1,2024 NOK,x\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_one_off_prices(path)
    assert "chargers" in str(error.value) and "prices.csv" in str(error.value)


def test_unknown_one_off_items_are_refused() -> None:
    with pytest.raises(ValueError, match="allowed keys"):
        EconomicsSpec.model_validate({"one_off": {"helicopters": 1}})
