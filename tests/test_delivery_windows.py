"""Delivery windows by unit type and goods: the table, and stops that keep them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from logistics.clock import intersect_windows
from logistics.errors import InputError
from logistics.model.dataset import DataSet, load_dataset
from logistics.model.demand import orders_from_demand_model
from logistics.model.domain import UnitType
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.plan.builder import PlanBuilder
from logistics.routing.problem import UnservedReason
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

H = 3600


def test_windows_intersect_by_hand() -> None:
    assert intersect_windows([(7.5 * H, 14 * H)], [(0, 11 * H)]) == ((7.5 * H, 11 * H),)
    assert intersect_windows([(7 * H, 9 * H), (13 * H, 15 * H)], [(8 * H, 14 * H)]) == (
        (8 * H, 9 * H), (13 * H, 14 * H))
    assert intersect_windows([(12 * H, 14 * H)], [(0, 11 * H)]) == ()
    assert intersect_windows([(7 * H, 11 * H)], [(11 * H, 12 * H)]) == ()  # touching only


def test_the_shipped_table_gives_fresh_food_before_eleven(dataset: DataSet) -> None:
    assert dataset.goods_window(UnitType.KINDERGARTEN, "chilled_food") == ((0, 11 * H),)
    assert dataset.goods_window(UnitType.SCHOOL, "fruit_veg") == ((0, 11 * H),)
    assert dataset.goods_window(UnitType.SCHOOL, "dry_food") is None
    assert all(w.source.startswith("assumption") for w in dataset.delivery_windows)


def _study_with_windows(small_dataset_dir: Path, rows: list[dict[str, str]]) -> Path:
    with (small_dataset_dir / "delivery_windows.csv").open("w", newline="",
                                                         encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["unit_type", "goods", "window", "source"])
        writer.writeheader()
        writer.writerows(rows)
    return small_dataset_dir


def test_a_category_row_wins_over_its_temperature_class(small_dataset_dir: Path) -> None:
    dataset = load_dataset(_study_with_windows(small_dataset_dir, [
        {"unit_type": "school", "goods": "chilled", "window": "00:00-11:00", "source": "a"},
        {"unit_type": "school", "goods": "fruit_veg", "window": "00:00-10:00", "source": "b"},
    ]))
    assert dataset.goods_window(UnitType.SCHOOL, "fruit_veg") == ((0, 10 * H),)
    assert dataset.goods_window(UnitType.SCHOOL, "chilled_food") == ((0, 11 * H),)


def test_bad_rows_are_named_with_file_row_and_field(small_dataset_dir: Path) -> None:
    _study_with_windows(small_dataset_dir, [
        {"unit_type": "school", "goods": "chilled", "window": "11:00-10:00", "source": "a"},
        {"unit_type": "castle", "goods": "chilled", "window": "08:00-10:00", "source": "a"},
        {"unit_type": "school", "goods": "chilled", "window": "08:00-10:00", "source": ""},
    ])
    with pytest.raises(InputError) as caught:
        load_dataset(small_dataset_dir)
    found = {(p.location, p.field) for p in caught.value.problems}
    assert {("row 2", "window"), ("row 3", "unit_type"), ("row 4", "source")} <= found
    assert all(p.source.endswith("delivery_windows.csv") for p in caught.value.problems)
    _study_with_windows(small_dataset_dir, [
        {"unit_type": "school", "goods": "caviar", "window": "08:00-10:00", "source": "a"},
        {"unit_type": "school", "goods": "chilled", "window": "08:00-10:00", "source": "a"},
        {"unit_type": "school", "goods": "chilled", "window": "08:00-09:00", "source": "a"},
    ])
    with pytest.raises(InputError) as caught:
        load_dataset(small_dataset_dir)
    assert [(p.location, p.field, p.found) for p in caught.value.problems] == [
        ("row 2", "goods", "'caviar'"), ("row 4", "goods", "'school/chilled'")]


@pytest.mark.parametrize("design", ["direct", "consolidated-ev"])
def test_stops_carrying_fresh_food_get_the_fresh_food_window(small_dataset_dir: Path,
                                                             design: str) -> None:
    dataset = load_dataset(small_dataset_dir)
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / f"{design}.yaml")
    plan = PlanBuilder(scenario, dataset, orders_from_demand_model(dataset), CrowFlyModel()).build()
    units = {u.id: u for u in dataset.units}
    fresh = {c.id for c in dataset.categories if c.temperature_class == "chilled"}
    checked = 0
    for planned in plan.problems:
        for job in planned.problem.jobs:
            carried = plan.deliveries_by_job[job.id]
            unit = units[carried[0].unit_id]
            own = tuple((float(a), float(b)) for a, b in unit.time_windows)
            if {d.category for d in carried} & fresh:
                # by hand: the unit's window, closing at 11:00
                assert job.time_windows_s == tuple((a, min(b, 11.0 * H)) for a, b in own)
                checked += 1
            else:
                assert job.time_windows_s == own
    assert checked > 0
    assert plan.unserved == ()


def test_a_unit_open_only_after_eleven_cannot_get_fresh_food_and_says_why(
        small_dataset_dir: Path) -> None:
    rows = list(csv.DictReader((small_dataset_dir / "units.csv").open(encoding="utf-8")))
    rows[0]["time_windows"] = "12:00-14:00"
    with (small_dataset_dir / "units.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dataset = load_dataset(small_dataset_dir)
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml")
    plan = PlanBuilder(scenario, dataset, orders_from_demand_model(dataset), CrowFlyModel()).build()
    late_unit = rows[0]["id"]
    missed = [u for u in plan.unserved if u.delivery.unit_id == late_unit]
    assert missed and {u.reason for u in missed} == {UnservedReason.TIME_WINDOW_UNREACHABLE}
    assert "12:00-14:00" in missed[0].detail and "00:00-11:00" in missed[0].detail
    # every delivery the unit gets that day is left out, not only the fresh food
    days_with_fresh = {u.delivery.day for u in missed}
    assert {d.order_id for d in plan.deliveries
            if d.unit_id == late_unit and d.day in days_with_fresh} == {
        u.delivery.order_id for u in missed}
