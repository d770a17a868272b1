"""The plan builder: days, deliveries, problems per design, trunk trips."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.clock import WEEKDAYS
from logistics.model.dataset import load_dataset
from logistics.model.demand import orders_from_demand_model
from logistics.model.domain import TemperatureClass
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.plan.builder import PlanBuilder
from logistics.plan.deliveries import Delivery
from logistics.plan.delivery_days import DeliveryCalendar, delivery_days, schedule_deliveries
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

BERGEN = SHIPPED_SCENARIOS_DIR
WORKDAYS = WEEKDAYS[:5]


@given(st.integers(1, 5), st.integers(0, 20))
def test_delivery_days_are_distinct_and_as_many_as_the_frequency(frequency: int,
                                                                 offset: int) -> None:
    days = delivery_days(frequency, WORKDAYS, offset)
    assert len(days) == len(set(days)) == frequency
    assert list(days) == sorted(days, key=WORKDAYS.index)


@given(st.integers(0, 20))
def test_lower_frequencies_nest_in_higher_ones(offset: int) -> None:
    one, two, three, five = (set(delivery_days(f, WORKDAYS, offset)) for f in (1, 2, 3, 5))
    assert one <= two <= three <= five


def test_schedule_keeps_weekly_demand_and_balances_days(dataset) -> None:
    orders = orders_from_demand_model(dataset)
    calendar = DeliveryCalendar(orders, dataset.units, WORKDAYS,
                                lambda o: dataset.supplier(o.supplier_id), replay_observed=True)
    deliveries = schedule_deliveries(orders, calendar, lambda o: o.deliveries_per_week)
    kg_by_order: dict[str, float] = defaultdict(float)
    for delivery in deliveries:
        kg_by_order[delivery.order_id] += delivery.demand_kg
    for order in orders:
        assert kg_by_order[order.id] == pytest.approx(order.demand_kg_per_week)
    per_day = defaultdict(float)
    for delivery in deliveries:
        per_day[delivery.day] += delivery.demand_kg
    assert max(per_day.values()) < 1.3 * min(per_day.values())


def _builder(scenario_name: str, dataset_dir: Path) -> PlanBuilder:
    scenario = load_scenario(BERGEN / f"{scenario_name}.yaml")
    dataset = load_dataset(dataset_dir)
    return PlanBuilder(scenario, dataset, orders_from_demand_model(dataset), CrowFlyModel())


def test_direct_plan_has_one_problem_per_supplier_and_day(small_dataset_dir: Path) -> None:
    builder = _builder("direct", small_dataset_dir)
    plan = builder.build()
    keys = [(p.owner, p.day) for p in plan.problems]
    assert len(keys) == len(set(keys))
    for planned in plan.problems:
        assert all(v.start == v.end == builder.index[planned.owner]
                   for v in planned.problem.vehicles)
        for job in planned.problem.jobs:
            dropped = plan.deliveries_by_job[job.id]
            assert {d.supplier_id for d in dropped} == {planned.owner}
            assert {d.day for d in dropped} == {planned.day}
            assert job.delivery_kg == pytest.approx(sum(d.demand_kg for d in dropped))
    assert plan.inbound_routes == ()


def test_consolidated_plan_stops_once_per_unit_and_day_with_compatible_vehicles(
        small_dataset_dir: Path) -> None:
    builder = _builder("consolidated-diesel", small_dataset_dir)
    plan = builder.build()
    assert len(plan.problems) == 5
    dataset = builder.dataset
    for planned in plan.problems:
        units = [plan.deliveries_by_job[j.id][0].unit_id for j in planned.problem.jobs]
        assert len(units) == len(set(units))
        types = dataset.vehicle_types
        vehicles = {v.id: types[v.vehicle_type_id] for v in planned.problem.vehicles}
        for job in planned.problem.jobs:
            classes = {builder.temperature[d.category] for d in plan.deliveries_by_job[job.id]}
            assert job.allowed_vehicles is not None and job.allowed_vehicles
            for vehicle_id in job.allowed_vehicles:
                assert all(vehicles[vehicle_id].can_carry(c) for c in classes)
            if TemperatureClass.CHILLED in classes:
                assert all(TemperatureClass.CHILLED in vehicles[v].temperature_classes
                           for v in job.allowed_vehicles)


def test_trunk_trips_carry_each_suppliers_day_to_the_hub(small_dataset_dir: Path) -> None:
    builder = _builder("consolidated-diesel", small_dataset_dir)
    plan = builder.build()
    hub = builder.index["kokstad"]
    needed: dict[tuple[str, str], float] = defaultdict(float)
    for delivery in plan.deliveries:
        needed[(delivery.supplier_id, delivery.day)] += delivery.demand_kg
    carried: dict[tuple[str, str], float] = defaultdict(float)
    for trunk in plan.inbound_routes:
        route = trunk.route
        vehicle_type = builder.dataset.vehicle_types[route.vehicle_type_id]
        out, back = route.legs
        assert out.to_location == back.from_location == hub
        assert out.load_kg <= vehicle_type.capacity_kg + 1e-9 and back.load_kg == 0
        carried[(trunk.owner, trunk.day)] += out.load_kg
        assert out.load_kg == pytest.approx(sum(d.demand_kg for d in trunk.deliveries[0]))
    assert carried.keys() == needed.keys()
    for key, kg in needed.items():
        assert carried[key] == pytest.approx(kg)


def test_unit_access_limits_exclude_vehicles(small_dataset_dir: Path) -> None:
    units_csv = small_dataset_dir / "units.csv"
    lines = units_csv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("max_vehicle_weight_kg")] = "3500"
    lines[1] = ",".join(first)
    units_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    builder = _builder("consolidated-diesel", small_dataset_dir)
    plan = builder.build()
    restricted = first[header.index("id")]
    for planned in plan.problems:
        vehicles = {v.id: v for v in planned.problem.vehicles}
        for job in planned.problem.jobs:
            if plan.deliveries_by_job[job.id][0].unit_id == restricted:
                assert job.allowed_vehicles
                assert all(builder.dataset.vehicle_types[vehicles[v].vehicle_type_id]
                           .gross_weight_kg <= 3500 for v in job.allowed_vehicles)


def test_a_full_hub_takes_the_smallest_deliveries_and_names_the_rest(
        small_dataset_dir: Path) -> None:
    goods_by_day: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in _builder("consolidated-diesel", small_dataset_dir).build().deliveries:
        goods_by_day[delivery.day].append(delivery)
    capacity_kg = round(0.6 * max(sum(d.demand_kg for d in ds) for ds in goods_by_day.values()))
    hubs_csv = small_dataset_dir / "hubs.csv"
    with hubs_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["capacity_kg_per_day"] = str(capacity_kg) if row["id"] == "kokstad" else \
            row["capacity_kg_per_day"]
    with hubs_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plan = _builder("consolidated-diesel", small_dataset_dir).build()
    # by hand: each day, the smallest deliveries while their sum stays within capacity
    expected_cut = set()
    for deliveries in goods_by_day.values():
        handled = 0.0
        for delivery in sorted(deliveries, key=lambda d: (d.demand_kg, d.order_id)):
            if handled + delivery.demand_kg <= capacity_kg:
                handled += delivery.demand_kg
            else:
                expected_cut.add((delivery.order_id, delivery.day))
    cut = [u for u in plan.unserved if u.reason == "hub_capacity_exceeded"]
    assert expected_cut and {(u.delivery.order_id, u.delivery.day) for u in cut} == expected_cut
    assert all(f"{capacity_kg:,} kg a day" in u.detail for u in cut)
    inbound_kg: dict[str, float] = defaultdict(float)
    for trip in plan.inbound_routes:
        inbound_kg[trip.day] += sum(d.demand_kg for d in trip.deliveries[0])
    assert max(inbound_kg.values()) <= capacity_kg + 1e-6
    routed = {(d.order_id, d.day) for ds in plan.deliveries_by_job.values() for d in ds}
    assert not routed & expected_cut
