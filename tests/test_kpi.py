"""KPIs on a small plan made by hand: distribution and inbound apart, who pays, the
peak day with and without suppliers' trunk vehicles, and the year by unit type."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.accounting.hub import HubDay, HubOperations
from logistics.accounting.kpi import RouteAccount, YearWeeks, weekly_kpis, yearly_kpis
from logistics.accounting.routes import year_weeks
from logistics.errors import InputError
from logistics.model.dataset import load_dataset
from logistics.plan.collection import Collected
from logistics.plan.deliveries import Delivery
from logistics.plan.planned import PlannedRoute
from logistics.routing.problem import Leg, Route, Visit
from logistics.scenarios.schema import Scenario


def delivery(unit_id: str, kg: float, supplier: str = "s1", day: str = "mon") -> Delivery:
    return Delivery(f"o-{unit_id}-{supplier}-{kg}", unit_id, "dry_food", supplier, day, kg,
                    kg / 200)  # type: ignore[arg-type]


def route(vehicle_id: str, legs: list[tuple[float, float, float]],
          kinds: tuple[str, ...] = ("delivery",)) -> Route:
    """A route of legs (km, kg on board, m3 on board) with one visit per kind."""
    visits = tuple(Visit(f"job{n}", n + 1, 0.0, 0.0, 0.0, 0.0, 0.0, kind)
                   for n, kind in enumerate(kinds))
    return Route(vehicle_id, "vt", 0.0, 3600.0, visits,
                 tuple(Leg(0, 1, km * 1000, 600.0, kg, m3) for km, kg, m3 in legs))


def account(planned: PlannedRoute, capacity_kg: float, capacity_m3: float, cost_nok: float,
            external_nok: float) -> RouteAccount:
    legs = planned.route.legs
    km = planned.route.distance_m / 1000
    return RouteAccount(
        distance_m=planned.route.distance_m, duration_s=3600.0,
        tonne_km=sum(leg.load_kg / 1000 * leg.distance_m / 1000 for leg in legs),
        capacity_tonne_km=capacity_kg / 1000 * km,
        m3_km=sum(leg.load_m3 * leg.distance_m / 1000 for leg in legs),
        capacity_m3_km=capacity_m3 * km, energy_kwh=1.0, co2e_ttw_kg=1.0, co2e_wtw_kg=2.0,
        nox_g=0.0, pm_g=0.0, cost_nok=cost_nok, social_cost_nok=external_nok + 1.0,
        external_cost_nok=external_nok)


K, S = "kg-1", "school-1"
K100, S300 = delivery(K, 100), delivery(S, 300)
DIRECT = PlannedRoute("mon", "direct", "s1",
                      route("s1/vt/1", [(10, 400, 2.0), (5, 300, 1.5), (15, 0, 0)],
                            ("delivery", "delivery")),
                      {0: (K100,), 1: (S300,)}, {0: (10_000.0, 20_000.0),
                                                 1: (12_000.0, 15_000.0)})
TRUNK_GOODS = (delivery(K, 1500, "s2"), delivery(S, 500, "s2"))
TRUNKS = [PlannedRoute("mon", "trunk", "s2",
                       route(f"trunk:s2:kokstad:mon/vt-1/{trip}", [(20, 2000, 10.0), (20, 0, 0)]),
                       {0: TRUNK_GOODS}, {0: (20_000.0, 20_000.0)}) for trip in (1, 2)]
K200 = delivery(K, 200, "s2")
DISTRIBUTION = PlannedRoute("mon", "distribution", "kokstad",
                            route("kokstad/hub/vt/1", [(8, 200, 1.0), (8, 0, 0)]),
                            {0: (K200,)}, {0: (8_000.0, 8_000.0)})
PICKED = Collected.of(delivery(S, 500, "s3", "tue"))
COLLECTION = PlannedRoute("tue", "collection", "kokstad",
                          route("kokstad/collection/vt/1", [(10, 0, 0), (10, 500, 3.0)],
                                ("pickup",)),
                          {0: (PICKED,)}, {0: (10_000.0, 10_000.0)})
ROUTES = [(DIRECT, account(DIRECT, 1000, 10, 1000, 30)),
          *((t, account(t, 7500, 40, 800, 50)) for t in TRUNKS),
          (DISTRIBUTION, account(DISTRIBUTION, 900, 9, 600, 10)),
          (COLLECTION, account(COLLECTION, 1000, 10, 400, 5))]
HUB = HubOperations((HubDay("kokstad", "mon", 200.0, 0.0, 50.0, 1.0, 60.0),), 1000.0)
GOODS = [K100, S300, *TRUNK_GOODS, K200, PICKED]
WEEKS = YearWeeks({K: 47.0, S: 38.0}, 47.0, {"kindergarten": 47.0, "school": 38.0})


def test_distribution_and_inbound_apart_by_hand() -> None:
    week = weekly_kpis(ROUTES, GOODS, (), hub=HUB)
    assert week["deliveries"] == 3  # 2 direct drops, 1 from the hub
    assert week["hub_inbound_trips"] == 3  # 2 trunk trips, 1 milk-run pickup
    # 0.4 t x 10 km + 0.3 t x 5 km, and 0.2 t x 8 km
    assert week["tonne_km_distribution"] == pytest.approx(5.5 + 1.6)
    assert week["tonne_km_inbound"] == pytest.approx(2 * 2.0 * 20 + 0.5 * 10)
    assert week["tonne_km"] == pytest.approx(7.1 + 85)
    assert week["load_factor_distribution_kg"] == pytest.approx(7.1 / (1.0 * 30 + 0.9 * 16))
    assert week["load_factor_inbound_kg"] == pytest.approx(85 / (2 * 7.5 * 40 + 1.0 * 20))
    assert week["load_factor_distribution_m3"] == pytest.approx(
        (2.0 * 10 + 1.5 * 5 + 1.0 * 8) / (10 * 30 + 9 * 16))
    assert week["load_factor_inbound_m3"] == pytest.approx(
        (2 * 10.0 * 20 + 3.0 * 10) / (2 * 40 * 40 + 10 * 20))
    assert week["vehicle_km_inbound"] == pytest.approx(2 * 40 + 20)


def test_peak_day_with_and_without_trunk_vehicles() -> None:
    week = weekly_kpis(ROUTES, GOODS, (), hub=HUB)
    # Monday: the direct van and the hub's van; the supplier's lorry makes two trips
    assert week["vehicles_used"] == 2
    assert week["vehicles_used_incl_inbound"] == 3


def test_who_pays_and_external_cost() -> None:
    week = weekly_kpis(ROUTES, GOODS, (), hub=HUB)
    assert week["cost_nok_suppliers"] == pytest.approx(1000 + 2 * 800)
    assert week["cost_nok_municipality"] == pytest.approx(600 + 400 + 60 + 1000)
    assert week["cost_nok"] == pytest.approx(2600 + 2060)
    assert week["cost_nok_inbound"] == pytest.approx(2 * 800 + 400)
    assert week["external_cost_nok"] == pytest.approx(30 + 2 * 50 + 10 + 5)
    assert week["social_cost_nok"] == pytest.approx(145 + 5)  # + the carbon part, 1 a route


def test_a_year_by_the_weeks_of_the_units_served() -> None:
    year = yearly_kpis(ROUTES, GOODS, (), WEEKS, hub=HUB)
    # direct route: kg x shortest km, 100 x 10 at 47 weeks and 300 x 12 at 38 weeks
    direct_weeks = (100 * 10 * 47 + 300 * 12 * 38) / (100 * 10 + 300 * 12)
    trunk_weeks = (1500 * 47 + 500 * 38) / 2000
    assert direct_weeks == pytest.approx(39.9565, abs=1e-4)
    assert year["vehicle_km"] == pytest.approx(
        30 * direct_weeks + 2 * 40 * trunk_weeks + 16 * 47 + 20 * 38)
    assert year["deliveries"] == pytest.approx(2 * direct_weeks + 47)
    # the hub handles kindergarten goods only: 47 weeks; its fixed cost 47 weeks
    assert year["hub_cost_nok"] == pytest.approx((60 + 1000) * 47)
    assert year["load_factor_inbound_kg"] == weekly_kpis(ROUTES, GOODS, (), hub=HUB)[
        "load_factor_inbound_kg"]


def test_one_number_of_weeks_scales_the_week() -> None:
    same = YearWeeks({K: 46.0, S: 46.0}, 46.0, {})
    week = weekly_kpis(ROUTES, GOODS, (), hub=HUB)
    year = yearly_kpis(ROUTES, GOODS, (), same, hub=HUB)
    for name in ("vehicle_km", "cost_nok", "tonne_km_inbound", "co2e_wtw_kg", "stops"):
        assert year[name] == pytest.approx(46 * week[name])


costs = st.floats(0, 1e5)


@given(st.lists(st.tuples(st.sampled_from([DIRECT, *TRUNKS, DISTRIBUTION, COLLECTION]),
                          costs, costs), min_size=1, max_size=8), costs)
def test_parts_add_to_their_whole(picked: list[tuple[PlannedRoute, float, float]],
                                  hub_fixed_nok: float) -> None:
    routes = [(p, account(p, 1000, 10, cost, external)) for p, cost, external in picked]
    week = weekly_kpis(routes, GOODS, (), hub=replace(HUB, fixed_cost_nok_per_week=hub_fixed_nok))
    assert week["cost_nok_municipality"] + week["cost_nok_suppliers"] == pytest.approx(
        week["cost_nok"])
    assert week["tonne_km_distribution"] + week["tonne_km_inbound"] == pytest.approx(
        week["tonne_km"])
    assert week["vehicles_used"] <= week["vehicles_used_incl_inbound"]


def test_weeks_by_unit_type_from_the_study() -> None:
    dataset = load_dataset()
    scenario = Scenario(name="s", design="direct")
    weeks = year_weeks(scenario, dataset)
    school = next(u for u in dataset.units if u.unit_type == "school")
    kindergarten = next(u for u in dataset.units if u.unit_type == "kindergarten")
    assert weeks.unit_weeks[school.id] == 38
    assert weeks.unit_weeks[kindergarten.id] == 47
    assert weeks.hub_weeks == 47
    fixed = year_weeks(scenario.model_copy(update={"weeks_per_year": 46.0}), dataset)
    assert set(fixed.unit_weeks.values()) == {46.0}


def test_a_unit_type_without_weeks_is_named() -> None:
    dataset = load_dataset()
    without = replace(dataset, unit_weeks={})
    with pytest.raises(InputError) as raised:
        year_weeks(Scenario(name="s", design="direct"), without)
    text = str(raised.value)
    assert "unit_weeks.csv" in text and "school" in text and "kindergarten" in text
