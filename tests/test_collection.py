"""Milk runs of the hub's collection fleet: every supplier's goods come in exactly once,
the choice of whom to collect is the cheapest by brute force over every subset and
visiting order, and collected goods are charged from their supplier to the hub."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from pathlib import Path

import pytest

from logistics.accounting.costs import route_cost_nok
from logistics.accounting.routes import AccountingContext, account_route
from logistics.clock import Weekday
from logistics.model.dataset import DataSet, load_dataset
from logistics.model.demand import orders_from_demand_model
from logistics.paths import DATASET_DIR, SHIPPED_SCENARIOS_DIR
from logistics.pipeline import solutions
from logistics.pipeline.run import run_scenario
from logistics.pipeline.solutions import SolutionStore
from logistics.plan import builder as builder_module
from logistics.plan.builder import Plan, PlanBuilder
from logistics.plan.collection import Collected
from logistics.plan.trunk import HUB_UNLOAD_FIXED_S
from logistics.scenarios.files import load_scenario
from logistics.scenarios.schema import Scenario
from logistics.travel.crowfly import CrowFlyModel

MILK_RUN = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-milk-run.yaml")


def _study_with_a_paid_lorry_day() -> DataSet:
    """The shipped study with the collection lorry's vehicle-day already paid (as when
    the hub keeps it for other work): trunk trips pay only the hours they use, so a
    lorry paying a whole vehicle-day for a milk run never beats them on this data."""
    dataset = load_dataset(DATASET_DIR)
    lorry = MILK_RUN.fleet.collection[0].vehicle_type
    vehicle_types = dict(dataset.vehicle_types)
    vehicle_types[lorry] = vehicle_types[lorry].model_copy(update={"fixed_cost_nok_per_day": 0.0})
    return dataclasses.replace(dataset, vehicle_types=vehicle_types)


STUDY = _study_with_a_paid_lorry_day()
ORDERS = orders_from_demand_model(STUDY)


def _plan(scenario: Scenario) -> tuple[PlanBuilder, Plan]:
    builder = PlanBuilder(scenario, STUDY, ORDERS, CrowFlyModel())
    return builder, builder.build()


@pytest.fixture(scope="module")
def plans() -> dict[str, tuple[PlanBuilder, Plan]]:
    without = MILK_RUN.with_overrides({"fleet.collection": [], "name": "no-milk-run"})
    return {"milk_run": _plan(MILK_RUN), "trunk_only": _plan(without)}


def _inbound_kg(plan: Plan) -> dict[tuple[str, str, str], float]:
    """kg brought to the hub per (order, day, supplier), by trunk trips and milk runs."""
    kg: dict[tuple[str, str, str], float] = defaultdict(float)
    for planned in plan.inbound_routes:
        for deliveries in planned.deliveries.values():
            for d in deliveries:
                kg[(d.order_id, d.day, d.supplier_id)] += d.demand_kg
    return kg


def test_every_suppliers_goods_come_in_once(plans: dict[str, tuple[PlanBuilder, Plan]]) -> None:
    _, milk = plans["milk_run"]
    _, trunk_only = plans["trunk_only"]
    assert milk.unserved == trunk_only.unserved == ()
    assert _inbound_kg(milk) == pytest.approx(_inbound_kg(trunk_only))
    collections = [p for p in milk.inbound_routes if p.kind == "collection"]
    assert {p.day for p in collections} == set(MILK_RUN.days)
    # each day's search is recorded, and stopped by its count, not by the clock
    assert {name: info["stopped_by"] for name, info in milk.searches.items()} == {
        f"collection:kokstad:{day}": "iteration_limit" for day in MILK_RUN.days}
    for planned in collections:
        # each pickup's load is its supplier's goods, and the lorry comes back full
        for index, visit in enumerate(planned.route.visits):
            carried = planned.deliveries[index]
            assert visit.kind == "pickup" and all(isinstance(d, Collected) for d in carried)
            assert {d.supplier_id for d in carried} == {visit.job_id.rsplit(":", 1)[1]}
        assert planned.route.legs[-1].load_kg == pytest.approx(
            sum(d.demand_kg for carried in planned.deliveries.values() for d in carried))
        # a collected supplier sends no trunk trip that day
        collected = {v.job_id.rsplit(":", 1)[1] for v in planned.route.visits}
        assert not [p for p in milk.inbound_routes if p.kind == "trunk"
                    and p.day == planned.day and p.owner in collected]


def _cheapest_day_nok(builder: PlanBuilder, trunk_nok: dict[str, float],
                      load_kg: dict[str, float], load_m3: dict[str, float], day: Weekday) -> float:
    """Brute force: the cheapest way to bring the day's goods in, over every subset of
    suppliers the lorry collects (in its best order) while the rest send trunk trips."""
    lorry = STUDY.vehicle_types[MILK_RUN.fleet.collection[0].vehicle_type]
    hub = STUDY.hub(str(MILK_RUN.hub))
    profile = builder.profiles[lorry.id]
    matrices = builder.matrices(profile, day)
    at = builder.index
    opens_s = max(MILK_RUN.shift_s[0], hub.opening[0][0])
    closes_s = min(MILK_RUN.shift_s[1], hub.opening[-1][1])
    best = sum(trunk_nok.values())
    suppliers = sorted(trunk_nok)
    for size in range(1, len(suppliers) + 1):
        for chosen in itertools.combinations(suppliers, size):
            if (sum(load_kg[s] for s in chosen) > lorry.capacity_kg
                    or sum(load_m3[s] for s in chosen) > lorry.capacity_m3):
                continue
            rest = sum(trunk_nok[s] for s in suppliers if s not in chosen)
            for order in itertools.permutations(chosen):
                stops = [hub.id, *order, hub.id]
                legs = list(itertools.pairwise(stops))
                metres = sum(matrices.distance_m[at[a], at[b]] for a, b in legs)
                clock_s, fits = float(opens_s), True
                for a, b in legs:
                    clock_s += matrices.duration_s[at[a], at[b]]
                    if b != hub.id:
                        window = STUDY.supplier(b).depot_open[0]
                        clock_s = max(clock_s, window[0])
                        fits &= clock_s <= window[1]
                        clock_s += 2 * (HUB_UNLOAD_FIXED_S + MILK_RUN.service_s_per_kg
                                        * load_kg[b])
                if not fits or clock_s > closes_s:
                    continue
                lorry_nok = (lorry.fixed_cost_nok_per_day + metres / 1000 * lorry.cost_nok_per_km
                             + (clock_s - opens_s) / 3600 * lorry.cost_nok_per_hour)
                best = min(best, lorry_nok + rest)
    return best


def test_the_lorry_collects_whom_it_is_cheapest_to_collect(
        plans: dict[str, tuple[PlanBuilder, Plan]]) -> None:
    builder, milk = plans["milk_run"]
    _, trunk_only = plans["trunk_only"]
    for day in MILK_RUN.days:
        trunk_nok: dict[str, float] = defaultdict(float)
        load_kg: dict[str, float] = defaultdict(float)
        load_m3: dict[str, float] = defaultdict(float)
        for planned in trunk_only.inbound_routes:
            if planned.day == day:
                trunk_nok[planned.owner] += route_cost_nok(
                    planned.route, STUDY.vehicle_types[planned.route.vehicle_type_id],
                    planned.route.duration_s / (MILK_RUN.shift_s[1] - MILK_RUN.shift_s[0]))
                load_kg[planned.owner] += planned.route.legs[0].load_kg
                load_m3[planned.owner] += planned.route.legs[0].load_m3
        planned_nok = sum(route_cost_nok(p.route, STUDY.vehicle_types[p.route.vehicle_type_id],
                                         p.vehicle_day_share)
                          for p in milk.inbound_routes if p.day == day)
        cheapest = _cheapest_day_nok(builder, trunk_nok, load_kg, load_m3, day)
        assert planned_nok < sum(trunk_nok.values())  # collecting pays on every day here
        assert planned_nok == pytest.approx(cheapest, rel=1e-4), day


def test_collected_goods_are_charged_from_their_supplier_to_the_hub(
        plans: dict[str, tuple[PlanBuilder, Plan]]) -> None:
    builder, milk = plans["milk_run"]
    planned = next(p for p in milk.inbound_routes if p.kind == "collection")
    vehicle_type = STUDY.vehicle_types[planned.route.vehicle_type_id]
    account, allocated = account_route(planned, vehicle_type,
                                       AccountingContext.for_scenario(MILK_RUN, STUDY))
    # ISO 14083: each order's share is its kg times the shortest distance from its
    # supplier to the hub, on the lorry's own matrix
    distance_m = builder.matrices(builder.profiles[vehicle_type.id], planned.day).distance_m
    hub = builder.index[str(MILK_RUN.hub)]
    weight: dict[str, float] = defaultdict(float)
    for carried in planned.deliveries.values():
        for d in carried:
            weight[d.order_id] += d.demand_kg * distance_m[builder.index[d.supplier_id], hub]
    total = sum(weight.values())
    assert set(allocated) == set(weight)
    for order_id, share in weight.items():
        assert allocated[order_id].co2e_wtw_kg == pytest.approx(
            account.co2e_wtw_kg * share / total, rel=1e-9, abs=1e-12)
    assert math.fsum(e.co2e_wtw_kg for e in allocated.values()) == pytest.approx(
        account.co2e_wtw_kg)


@pytest.mark.parametrize("fallback", [{"fallback": "direct"},
                                      {"fallback": "hub", "fallback_hub": "nygardstangen"}])
def test_milk_runs_leave_from_the_hub_that_works_that_day(fallback: dict[str, str]) -> None:
    outage = MILK_RUN.with_overrides({"disruptions": [
        {"type": "hub_outage", "label": "Kokstad closed", "days": ["mon", "tue"], **fallback}]})
    builder, plan = _plan(outage)
    hubs_by_day = {p.day: p.owner for p in plan.inbound_routes if p.kind == "collection"}
    if fallback["fallback"] == "direct":  # the suppliers deliver themselves on closed days
        assert hubs_by_day == dict.fromkeys(("wed", "thu", "fri"), "kokstad")
    else:
        assert hubs_by_day == {"mon": "nygardstangen", "tue": "nygardstangen",
                               "wed": "kokstad", "thu": "kokstad", "fri": "kokstad"}
    at = builder.index
    for planned in plan.inbound_routes:
        if planned.kind == "collection":
            first, last = planned.route.legs[0], planned.route.legs[-1]
            assert first.from_location == last.to_location == at[planned.owner]


def test_the_result_names_what_stopped_every_search_planned_or_routed() -> None:
    # goods collected the day before: collected the same day, the lorry is back about
    # noon and every stop carrying them would be released too late for its window
    quick = MILK_RUN.with_overrides({"solver.iteration_limit": 50, "hub_timing": "day_before"})
    searches = run_scenario(quick, dataset=STUDY, travel=CrowFlyModel(),
                            workers=1).provenance.solver.as_json()["searches"]
    days = MILK_RUN.days
    assert searches == {**{f"collection:kokstad:{d}": {"backend": "pyvrp",
                                                       "stopped_by": "iteration_limit"}
                           for d in days},
                        **{f"distribution:kokstad:{d}": {"backend": "pyvrp",
                                                         "stopped_by": "iteration_limit"}
                           for d in days}}


def test_same_day_milk_runs_release_their_goods_when_the_lorry_is_back() -> None:
    _, plan = _plan(MILK_RUN)
    back_s = {p.day: p.route.end_s for p in plan.inbound_routes if p.kind == "collection"}
    assert back_s
    collected = {(d.order_id, d.day) for p in plan.inbound_routes if p.kind == "collection"
                 for carried in p.deliveries.values() for d in carried}
    for planned in plan.problems:
        for job in planned.problem.jobs:
            carried = plan.deliveries_by_job[job.id]
            if any((d.order_id, d.day) in collected for d in carried):
                assert job.release_s >= back_s[planned.day]


def test_milk_runs_are_solved_in_the_solve_step_and_read_back_from_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = MILK_RUN.with_overrides({"solver.iteration_limit": 50})
    solved: list[str] = []
    solve = solutions.solve
    monkeypatch.setattr(solutions, "solve", lambda problem, settings=None: solved.append(
        problem.name) or solve(problem, settings))
    monkeypatch.setattr(builder_module, "solve", lambda *_: pytest.fail("solved in the plan"))
    store = SolutionStore(tmp_path / "solutions")
    first = run_scenario(quick, dataset=STUDY, travel=CrowFlyModel(), workers=1,
                         solution_store=store)
    milk_runs = {f"collection:kokstad:{d}" for d in quick.days}
    assert milk_runs <= set(solved)
    assert len(solved) == len(set(solved)) == first.provenance.routing_problems + len(
        milk_runs)
    again = run_scenario(quick, dataset=STUDY, travel=CrowFlyModel(), workers=1,
                         solution_store=store)
    assert len(solved) == len(milk_runs) + first.provenance.routing_problems  # none again
    assert again.kpi_week == first.kpi_week
    assert again.provenance.solver.searches == first.provenance.solver.searches
