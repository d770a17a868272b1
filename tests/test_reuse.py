"""Reuse flows ride on the consolidated stops; items, kg and avoided CO2e add up."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from logistics.errors import InputError
from logistics.model.dataset import load_dataset
from logistics.paths import DATASET_DIR, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import account_plan, prepare_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import solve_problems
from logistics.plan.reuse import ReuseMove, load_reuse
from logistics.routing.settings import SolverSettings
from logistics.routing.verify import verify_solution
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

BERGEN = SHIPPED_SCENARIOS_DIR
ITEMS = DATASET_DIR / "reuse_items.csv"


def _flows(path: Path, rows: list[tuple[str, str, str, int, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "unit_id", "item", "count_per_week", "direction"])
        writer.writerows(rows)
    return path


@pytest.fixture
def reuse_case(small_dataset_dir: Path, tmp_path: Path):
    dataset = load_dataset(small_dataset_dir)
    first, second, third = (u.id for u in dataset.units[:3])
    flows = _flows(tmp_path / "flows.csv", [
        ("f1", first, "pupil_desk", 5, "surplus"),
        ("f2", second, "pupil_desk", 3, "request"),
        ("f3", third, "monitor", 2, "request"),
        ("f4", second, "office_chair", 1, "surplus"),
    ])
    base = load_scenario(BERGEN / "consolidated-diesel.yaml")
    scenario = type(base).model_validate(base.model_dump() | {
        "dataset_dir": str(small_dataset_dir),
        "reuse": {"flows_file": str(flows), "items_file": str(ITEMS)}})
    return scenario, dataset


def test_reuse_moves_ride_on_the_units_goods_stop_and_schedules_hold(reuse_case) -> None:
    scenario, dataset = reuse_case
    checked = check_scenario(scenario, dataset=dataset, travel=CrowFlyModel())
    plan = prepare_scenario(checked).plan
    moves = [d for d in plan.deliveries if isinstance(d, ReuseMove)]
    assert {m.order_id for m in moves} == {"f1", "f2", "f3", "f4"}
    for planned in plan.problems:
        for job in planned.problem.jobs:
            carried = plan.deliveries_by_job[job.id]
            assert job.pickup_kg == pytest.approx(sum(d.demand_kg for d in carried
                                                      if d.collected))
            assert job.delivery_kg == pytest.approx(sum(d.demand_kg for d in carried
                                                        if not d.collected))
            if any(isinstance(d, ReuseMove) for d in carried):
                assert any(not isinstance(d, ReuseMove) for d in carried), (
                    "a unit with goods that week gets its reuse items on a goods stop")
    settings = SolverSettings(time_limit_s=5, solution_limit=20)
    solutions = solve_problems(plan.problems, settings, workers=1)
    for planned, solution in zip(plan.problems, solutions, strict=True):
        assert verify_solution(planned.problem, solution) == []
    accounts = account_plan(checked, plan, solutions)
    kpi = accounts.kpi_week
    # hand computation from data/bergen/reuse_items.csv: desk 18 kg / 40 kg CO2e,
    # monitor 6 kg / 300 kg CO2e
    assert kpi["reuse_items_collected"] == 5 + 1
    assert kpi["reuse_items_delivered"] == 3 + 2
    assert kpi["reuse_kg_delivered"] == pytest.approx(3 * 18 + 2 * 6)
    assert kpi["avoided_embodied_co2e_kg"] == pytest.approx(3 * 40 + 2 * 300)
    assert kpi["reuse_moves_unserved"] == 0 and kpi["served_demand_share"] == 1.0
    allocated = {}
    for allocation in accounts.allocations:
        for order_id, emissions in allocation.items():
            allocated[order_id] = allocated.get(order_id, 0.0) + emissions.co2e_wtw_kg
    total = (sum(account.co2e_wtw_kg for _, account in accounts.routes)
             + sum(c.emissions.co2e_wtw_kg for c in accounts.carriers))
    assert sum(allocated.values()) == pytest.approx(total)
    assert all(allocated[f] > 0 for f in ("f1", "f2", "f3", "f4"))


def test_bad_flows_list_every_problem(tmp_path: Path, dataset) -> None:
    flows = _flows(tmp_path / "flows.csv", [
        ("f1", "no-such-unit", "pupil_desk", 2, "surplus"),
        ("f2", dataset.units[0].id, "grand_piano", 1, "request"),
        ("f3", dataset.units[0].id, "pupil_desk", 0, "sideways"),
    ])
    with pytest.raises(InputError) as caught:
        load_reuse(flows, ITEMS, {u.id for u in dataset.units})
    fields = {(p.location.split()[1], p.field) for p in caught.value.problems}
    # rows as a spreadsheet shows them: the header is row 1
    assert fields == {("2", "unit_id"), ("3", "item"), ("4", "count_per_week"),
                      ("4", "direction")}


def test_reuse_needs_the_consolidated_design(tmp_path: Path) -> None:
    path = tmp_path / "direct-reuse.yaml"
    path.write_text("name: x\ndesign: direct\nreuse: {}\n")
    with pytest.raises(InputError, match="consolidated"):
        load_scenario(path)


def test_shipped_reuse_scenario_is_labelled_illustrative() -> None:
    text = (BERGEN / "reuse.yaml").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in text
    scenario = load_scenario(BERGEN / "reuse.yaml")
    assert scenario.reuse is not None and scenario.design == "consolidated"


def test_reuse_moves_follow_the_open_hub_days_or_are_unserved(reuse_case) -> None:
    scenario, dataset = reuse_case
    plan = prepare_scenario(check_scenario(scenario, dataset=dataset, travel=CrowFlyModel())).plan
    move_days = {d.day for d in plan.deliveries if isinstance(d, ReuseMove)}

    def with_outage(days: list[str]):
        outage = {"type": "hub_outage", "label": "hub closed", "days": days,
                  "fallback": "direct"}
        closed = type(scenario).model_validate(scenario.model_dump() | {"disruptions": [outage]})
        return prepare_scenario(check_scenario(closed, dataset=dataset,
                                               travel=CrowFlyModel())).plan

    moved = with_outage(sorted(move_days))
    moved_days = {d.day for d in moved.deliveries if isinstance(d, ReuseMove)}
    assert moved_days and not moved_days & move_days
    assert not [u for u in moved.unserved if isinstance(u.delivery, ReuseMove)]

    shut = with_outage(list(scenario.days))
    missed = [u for u in shut.unserved if isinstance(u.delivery, ReuseMove)]
    assert {u.delivery.order_id for u in missed} == {"f1", "f2", "f3", "f4"}
    assert {str(u.reason) for u in missed} == {"hub_unavailable"}
    assert not any(isinstance(d, ReuseMove) for p in shut.problems for job in p.problem.jobs
                   for d in shut.deliveries_by_job[job.id])
