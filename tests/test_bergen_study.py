"""The Bergen study on the shipped data: every delivery accounted for, schedules
feasible when re-checked without OR-Tools, consolidation makes fewer deliveries."""

from __future__ import annotations

from collections import Counter

import pytest

from logistics.model.demand import orders_from_demand_model
from logistics.paths import DATASET_DIR, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import planned_routes
from logistics.pipeline.solutions import solve_problems
from logistics.plan.builder import Plan, PlanBuilder
from logistics.routing.problem import Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.verify import verify_solution
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

BERGEN = SHIPPED_SCENARIOS_DIR
QUICK = SolverSettings(time_limit_s=5, solution_limit=30, iteration_limit=50, seed=1)
"""Searches stop after 30 solutions: quick, and independent of machine speed."""


def _plan_and_solve(dataset, name: str) -> tuple[Plan, list[Solution]]:
    scenario = load_scenario(BERGEN / f"{name}.yaml")
    plan = PlanBuilder(scenario, dataset, orders_from_demand_model(dataset), CrowFlyModel()).build()
    return plan, solve_problems(plan.problems, QUICK, workers=2)


@pytest.fixture(scope="module")
def solved(dataset) -> dict[str, tuple[Plan, list[Solution]]]:
    return {name: _plan_and_solve(dataset, name) for name in ("direct", "consolidated-diesel")}


@pytest.mark.parametrize("name", ["direct", "consolidated-diesel"])
def test_every_delivery_is_made_once_or_reported_unserved(solved, name: str) -> None:
    plan, solutions = solved[name]
    for planned, solution in zip(plan.problems, solutions, strict=True):
        assert verify_solution(planned.problem, solution) == [], planned.problem.name
    routes, unserved, late_minutes = planned_routes(plan, plan.problems, solutions)
    made = Counter((d.order_id, d.day) for r in routes for ds in r.deliveries.values()
                   for d in ds)
    missed = Counter((u.delivery.order_id, u.delivery.day) for u in unserved)
    missed.update((u.delivery.order_id, u.delivery.day) for u in plan.unserved)
    expected = Counter((d.order_id, d.day) for d in plan.deliveries)
    assert made + missed == expected
    assert not (set(made) & set(missed))
    assert late_minutes == 0
    assert all(u.reason for u in unserved)


def test_consolidation_makes_fewer_deliveries_and_fewer_vehicle_km(solved) -> None:
    direct_plan, direct_solutions = solved["direct"]
    hub_plan, hub_solutions = solved["consolidated-diesel"]
    direct_routes, direct_unserved, _ = planned_routes(direct_plan, direct_plan.problems,
                                                       direct_solutions)
    hub_routes, hub_unserved, _ = planned_routes(hub_plan, hub_plan.problems, hub_solutions)
    assert not direct_unserved and not hub_unserved
    direct_stops = sum(r.route.stops for r in direct_routes)
    hub_stops = sum(r.route.stops for r in hub_routes)
    assert hub_stops < 0.5 * direct_stops
    direct_km = sum(r.route.distance_m for r in direct_routes)
    hub_km = sum(r.route.distance_m for r in list(hub_plan.inbound_routes) + hub_routes)
    assert hub_km < direct_km


def test_same_seed_and_solution_limit_give_the_same_routes(dataset) -> None:
    scenario = load_scenario(BERGEN / "consolidated-diesel.yaml")
    plan = PlanBuilder(scenario, dataset, orders_from_demand_model(dataset), CrowFlyModel()).build()
    problem = (plan.problems[0],)
    first = solve_problems(problem, QUICK, workers=1)[0]
    second = solve_problems(problem, QUICK, workers=1)[0]
    assert [[v.job_id for v in r.visits] for r in first.routes] == [
        [v.job_id for v in r.visits] for r in second.routes]
    assert first.objective_nok == pytest.approx(second.objective_nok)


def test_study_files_are_labelled_illustrative(dataset) -> None:
    sources = (DATASET_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "illustrative" in sources.lower()
    assert dataset.illustrative
