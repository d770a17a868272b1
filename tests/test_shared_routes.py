"""Shared supplier routes: the municipality's share of a supplier's route, by hand on a
small route, as invariants, and through a planned and solved week."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.accounting.emissions import EmissionSettings
from logistics.accounting.kpi import RouteAccount, YearWeeks, weekly_kpis
from logistics.accounting.routes import AccountingContext, account_route
from logistics.accounting.shared_routes import (
    ATTRIBUTED_FIELDS,
    attributed_account,
    attributed_allocation,
    route_share,
)
from logistics.model.dataset import load_dataset
from logistics.model.factors import default_factor_tables
from logistics.paths import PROJECT_ROOT, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import account_plan, prepare_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import solve_problems
from logistics.plan.deliveries import Delivery
from logistics.plan.planned import PlannedRoute
from logistics.scenarios.files import load_scenario
from logistics.scenarios.schema import CostsSpec
from logistics.study.files import load_study_file
from logistics.travel.crowfly import CrowFlyModel
from tests.factor_helpers import make_route, make_vehicle

VAN = make_vehicle()  # diesel Euro 6 van: 0.8 kWh/km empty, 1.0 full (1000 kg)
DIESEL_WTW_KG_PER_KWH = (0.87 * (0.26765 + 0.06291) + 0.13 * (0.00373 + 0.02919))
"""Road diesel as sold, by hand from data/factors/energy_carriers.csv: 13 % bio (energy),
fossil TTW 0.26765 + WTT 0.06291, bio TTW (non-CO2) 0.00373 + WTT 0.02919 kg CO2e/kWh."""


def _context() -> AccountingContext:
    return AccountingContext(default_factor_tables(), EmissionSettings(), None,
                             YearWeeks({}, 46.0, {}), {}, {}, CostsSpec(), 5)


def _planned(kind: str) -> PlannedRoute:
    """Depot 0 -> unit 1 (10 km, 600 kg on board) -> unit 2 (5 km, 200 kg) -> depot
    (15 km, empty); 08:00-09:00."""
    route = make_route([(0, 1, 10.0, 600.0), (1, 2, 5.0, 200.0), (2, 0, 15.0, 0.0)],
                       [("j1", 1, "delivery"), ("j2", 2, "delivery")])
    drops = {0: (Delivery("o1", "u1", "dry_food", "s", "mon", 400.0, 0.4),),
             1: (Delivery("o2", "u2", "dry_food", "s", "mon", 200.0, 0.2),)}
    return PlannedRoute("mon", kind, "s", route, drops, {0: (10_000.0, 20_000.0),
                                                          1: (15_000.0, 15_000.0)})


def test_a_shared_route_is_attributed_by_hand() -> None:
    account, allocation = account_route(_planned("direct"), VAN, _context())
    share = route_share("direct", 0.4)
    attributed = attributed_account(account, share)
    # energy by hand: 10 km x (0.8 + 0.2 x 0.6) + 5 km x (0.8 + 0.2 x 0.2) + 15 km x 0.8
    energy_kwh = 10 * 0.92 + 5 * 0.84 + 15 * 0.8
    assert account.energy_kwh == pytest.approx(energy_kwh)
    assert attributed.energy_kwh == pytest.approx(0.4 * energy_kwh)
    assert attributed.co2e_wtw_kg == pytest.approx(0.4 * energy_kwh * DIESEL_WTW_KG_PER_KWH)
    # cost by hand: a vehicle-day 400 + 30 km x 6 + 1 h x 575 = 1155 NOK, 40 % of it
    assert attributed.cost_nok == pytest.approx(0.4 * 1155.0)
    # NOx: 30 km x 0.60 g/km (van diesel Euro 6, exhaust.csv)
    assert attributed.nox_g == pytest.approx(0.4 * 30 * 0.60)
    assert attributed.distance_m == account.distance_m == 30_000.0
    assert attributed.tonne_km == pytest.approx(0.6 * 10 + 0.2 * 5)  # the municipal goods
    assert attributed.capacity_tonne_km == account.capacity_tonne_km == pytest.approx(30.0)
    kpis = weekly_kpis([(_planned("direct"), attributed)], [], [])
    assert kpis["vehicle_km"] == pytest.approx(12.0)
    assert kpis["vehicle_km_driven"] == pytest.approx(30.0)
    assert kpis["vehicle_hours"] == pytest.approx(0.4)
    assert kpis["load_factor"] == pytest.approx(7.0 / 30.0)
    orders = attributed_allocation(allocation, share)
    assert sum(e.co2e_wtw_kg for e in orders.values()) == pytest.approx(attributed.co2e_wtw_kg)


def test_the_municipal_fleet_keeps_its_whole_route() -> None:
    assert route_share("distribution", 0.3) == route_share("collection", 0.3) == 1.0
    assert route_share("direct", 0.3) == route_share("trunk", 0.3) == 0.3


ACCOUNT_FIELDS = len(dataclasses.fields(RouteAccount)) - 1  # all but the municipal share


def _account(values: list[float]) -> RouteAccount:
    return RouteAccount(*values)


ACCOUNTS = st.lists(st.floats(0, 1e6), min_size=ACCOUNT_FIELDS,
                    max_size=ACCOUNT_FIELDS).map(_account)


@given(ACCOUNTS, st.floats(0.01, 1.0))
def test_attributed_never_exceeds_driven(account: RouteAccount, share: float) -> None:
    attributed = attributed_account(account, share)
    for name in ATTRIBUTED_FIELDS:
        assert getattr(attributed, name) <= getattr(account, name)
    planned = _planned("trunk")
    driven = weekly_kpis([(planned, account)], [], [])
    kpis = weekly_kpis([(planned, attributed)], [], [])
    for name in ("vehicle_km", "vehicle_hours", "energy_kwh", "co2e_wtw_kg", "nox_g", "pm_g",
                 "cost_nok"):
        assert kpis[name] <= driven[name] + 1e-9
    assert kpis["vehicle_km_driven"] == driven["vehicle_km"]


@given(ACCOUNTS)
def test_share_one_reproduces_dedicated_routes_exactly(account: RouteAccount) -> None:
    assert attributed_account(account, 1.0) == account
    planned = _planned("direct")
    assert weekly_kpis([(planned, attributed_account(account, 1.0))], [], []) == \
        weekly_kpis([(planned, account)], [], [])


@pytest.mark.parametrize("design", ["direct", "consolidated-ev"])
def test_a_solved_week_attributes_suppliers_routes_only(small_dataset_dir: Path,
                                                        design: str) -> None:
    base = load_scenario(SHIPPED_SCENARIOS_DIR / f"{design}.yaml").with_overrides({
        "dataset_dir": str(small_dataset_dir), "channels.file": None,
        "solver.iteration_limit": 30, "solver.solution_limit": 5,
        "shared_routes.municipal_share": 1.0})
    dataset, travel = load_dataset(small_dataset_dir), CrowFlyModel()
    checked = check_scenario(base, dataset=dataset, travel=travel)
    plan = prepare_scenario(checked).plan
    solutions = solve_problems(plan.problems, base.solver, workers=1)
    whole = account_plan(checked, plan, solutions).kpi_week
    halved = base.with_overrides({"shared_routes.municipal_share": 0.5})
    half = account_plan(check_scenario(halved, dataset=dataset, travel=travel), plan, solutions)
    assert whole["vehicle_km"] == whole["vehicle_km_driven"]
    supplier_km = sum(a.distance_m for p, a in half.routes if p.kind in ("direct", "trunk"))
    supplier_co2e = sum(a.co2e_wtw_kg for p, a in half.routes if p.kind in ("direct", "trunk"))
    assert supplier_km > 0
    assert half.kpi_week["vehicle_km_driven"] == pytest.approx(whole["vehicle_km_driven"])
    assert half.kpi_week["vehicle_km"] == pytest.approx(
        whole["vehicle_km"] - 0.5 * supplier_km / 1000)
    # the supplier routes' attributed CO2e is half of what they emit; the rest unchanged
    assert half.kpi_week["co2e_wtw_kg"] == pytest.approx(whole["co2e_wtw_kg"] - supplier_co2e)
    assert half.kpi_week["tonne_km"] == pytest.approx(whole["tonne_km"])
    assert half.kpi_week["deliveries"] == whole["deliveries"]


def test_the_sensitivity_study_runs_the_share_low_and_high() -> None:
    loaded = load_study_file(PROJECT_ROOT / "studies" / "bergen-sensitivity.yaml")
    shares = {(v.level, v.labels["design"]): v.scenario.shared_routes.municipal_share
              for v in loaded.variants if v.sensitivity == "shared-route share"}
    assert shares == {(level, design): value for level, value in (("low", 0.25), ("high", 1.0))
                      for design in ("direct", "consolidated")}
    assert loaded.base.shared_routes.municipal_share == 0.5
