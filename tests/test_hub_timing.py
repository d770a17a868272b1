"""A hub that works in time: releases from inbound arrivals, dwell, day-before storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from logistics.model.dataset import load_dataset
from logistics.model.demand import orders_from_demand_model
from logistics.model.domain import TemperatureClass
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import planned_routes
from logistics.plan.builder import Plan, PlanBuilder
from logistics.plan.deliveries import Delivery
from logistics.plan.hub_timing import arrival_day, hub_timing_kpis
from logistics.plan.planned import PlannedRoute
from logistics.routing.problem import Leg, Route, Visit
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.verify import verify_solution
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

H = 3600.0
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
QUICK = SolverSettings(iteration_limit=300, solution_limit=30, time_limit_s=60.0)


def _plan(dataset_dir: Path, timing: str) -> tuple[PlanBuilder, Plan]:
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml").with_overrides(
        {"hub_timing": timing, "solver": QUICK.model_dump(mode="json")})
    dataset = load_dataset(dataset_dir)
    builder = PlanBuilder(scenario, dataset, orders_from_demand_model(dataset), CrowFlyModel())
    return builder, builder.build()


def test_arrival_day_is_the_previous_planning_day_the_day_before() -> None:
    assert arrival_day("wed", WORKDAYS, "same_day") == ("wed", 0)
    assert arrival_day("wed", WORKDAYS, "day_before") == ("tue", 1)
    assert arrival_day("mon", WORKDAYS, "day_before") == ("fri", 3)
    assert arrival_day("mon", ("mon", "wed"), "day_before") == ("wed", 5)


def test_same_day_jobs_are_released_when_their_goods_are_unloaded(
        small_dataset_dir: Path) -> None:
    _, plan = _plan(small_dataset_dir, "same_day")
    # by hand from the trunk trips: each delivery's goods are in when the last trip
    # carrying a share of it leaves the hub dock
    unloaded: dict[tuple[str, str], float] = {}
    for trip in plan.inbound_routes:
        assert trip.kind == "trunk"
        dock = trip.route.visits[0]
        assert dock.departure_s > dock.start_s >= dock.arrival_s
        for delivery in trip.deliveries[0]:
            key = (delivery.order_id, delivery.day)
            unloaded[key] = max(unloaded.get(key, 0.0), dock.departure_s)
    jobs = [j for p in plan.problems for j in p.problem.jobs]
    assert jobs
    for job in jobs:
        carried = plan.deliveries_by_job[job.id]
        assert job.release_s == pytest.approx(max(unloaded[(d.order_id, d.day)]
                                                  for d in carried))
        assert job.release_s > 6 * H  # trunk trips leave at the earliest 06:30


def test_same_day_routes_leave_after_their_goods_and_the_checker_agrees(
        small_dataset_dir: Path) -> None:
    _, plan = _plan(small_dataset_dir, "same_day")
    solutions = [solve(p.problem, QUICK) for p in plan.problems]
    for planned, solution in zip(plan.problems, solutions, strict=True):
        assert verify_solution(planned.problem, solution) == []
    routes, _, _ = planned_routes(plan, plan.problems, solutions)
    temperature = {c.id: c.temperature_class for c in load_dataset(small_dataset_dir).categories}
    kpis = hub_timing_kpis([*plan.inbound_routes, *routes], "same_day", WORKDAYS, temperature)
    assert kpis["routes_leaving_before_goods"] == 0
    assert kpis["hub_dwell_hours_mean"] >= 0
    assert kpis["hub_chilled_store_m3"] == 0 and kpis["hub_storage_energy_kwh"] == 0


def test_day_before_drops_releases_and_sizes_the_chilled_store(small_dataset_dir: Path) -> None:
    builder, plan = _plan(small_dataset_dir, "day_before")
    assert all(j.release_s == 0 for p in plan.problems for j in p.problem.jobs)
    # Monday's goods come in on Friday: trunk trips run the day before their goods go out
    for trip in plan.inbound_routes:
        assert {d.day for d in trip.deliveries[0]} == {
            WORKDAYS[(WORKDAYS.index(trip.day) + 1) % 5]}
    solutions = [solve(p.problem, QUICK) for p in plan.problems]
    routes, _, _ = planned_routes(plan, plan.problems, solutions)
    temperature = {c.id: c.temperature_class for c in builder.dataset.categories}
    kpis = hub_timing_kpis([*plan.inbound_routes, *routes], "day_before", WORKDAYS,
                           temperature)
    # by hand: the busiest night's chilled goods (m3) fill half the store; 50 kWh per m3
    # of store and year, over 52 weeks
    chilled_m3: dict[str, float] = {}
    for delivery in plan.deliveries:
        if temperature[delivery.category] is TemperatureClass.CHILLED:
            chilled_m3[delivery.day] = chilled_m3.get(delivery.day, 0.0) + delivery.volume_m3
    store_m3 = max(chilled_m3.values()) / 0.5
    assert kpis["hub_chilled_store_m3"] == pytest.approx(store_m3)
    assert kpis["hub_storage_energy_kwh"] == pytest.approx(store_m3 * 50 / 52)
    assert kpis["routes_leaving_before_goods"] == 0
    assert kpis["hub_dwell_hours_mean"] > 12  # every delivery waits overnight at least


def _route(vehicle_id: str, start_s: float, dock_s: float, end_s: float) -> Route:
    return Route(vehicle_id, "van", start_s, end_s,
                 (Visit("stop", 1, dock_s - 600, dock_s - 600, dock_s, 0.0, 0.0),),
                 (Leg(0, 1, 1000.0, 600.0, 10.0, 0.1), Leg(1, 0, 1000.0, 600.0, 0.0, 0.0)))


def test_a_route_leaving_before_its_goods_is_counted_with_a_negative_dwell() -> None:
    goods = Delivery("u:chilled_food", "u", "chilled_food", "s", "tue", 10.0, 0.1)
    trunk = PlannedRoute("tue", "trunk", "s", _route("s/1", 7 * H, 8 * H, 8.5 * H),
                         {0: (goods,)}, {})
    hurried = PlannedRoute("tue", "distribution", "hub", _route("hub/1", 7.5 * H, 8 * H, 9 * H),
                           {0: (goods,)}, {})
    patient = PlannedRoute("tue", "distribution", "hub", _route("hub/2", 9 * H, 9.5 * H, 10 * H),
                           {0: (goods,)}, {})
    chilled = {"chilled_food": TemperatureClass.CHILLED}
    early = hub_timing_kpis([trunk, hurried], "same_day", WORKDAYS, chilled)
    assert early["routes_leaving_before_goods"] == 1
    assert early["hub_dwell_hours_mean"] == pytest.approx(-0.5)
    on_time = hub_timing_kpis([trunk, patient], "same_day", WORKDAYS, chilled)
    assert on_time["routes_leaving_before_goods"] == 0
    assert on_time["hub_dwell_hours_mean"] == pytest.approx(1.0)
    # the day before, the same goods wait from Monday 08:00 to Tuesday 09:00: 25 h
    overnight = hub_timing_kpis([trunk, patient], "day_before", WORKDAYS, chilled)
    assert overnight["hub_dwell_hours_mean"] == pytest.approx(25.0)
    assert overnight["hub_chilled_store_m3"] == pytest.approx(0.2)
