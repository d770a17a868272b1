"""Delivery days by area: territories, spacing, observed days replayed."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.clock import WEEKDAYS
from logistics.errors import InputError
from logistics.model.dataset import DataSet, load_dataset
from logistics.model.demand import load_orders, orders_from_demand_model
from logistics.model.domain import Order, Site
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.scenario_check import check_observed_days
from logistics.plan.builder import PlanBuilder
from logistics.plan.delivery_days import delivery_days, sweep_territories
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

WORKDAYS = WEEKDAYS[:5]
DEPOT = Site(id="depot", name="depot", lon=5.33, lat=60.39)


def _site(number: int, east_m: float, north_m: float) -> Site:
    """A site ``east_m``/``north_m`` from the depot (about 55.6 km per degree of longitude
    at 60.39 N, 111.2 km per degree of latitude)."""
    return Site(id=f"u{number:03d}", name="unit",
                lon=DEPOT.lon + east_m / (111_195 * math.cos(math.radians(DEPOT.lat))),
                lat=DEPOT.lat + north_m / 111_195)


units_strategy = st.lists(
    st.tuples(st.floats(-20_000, 20_000), st.floats(-20_000, 20_000), st.floats(0, 500)),
    min_size=1, max_size=40,
).filter(lambda rows: all(abs(e) + abs(n) > 50 for e, n, _ in rows))


@settings(max_examples=60, deadline=None)
@given(units_strategy, st.integers(1, 7))
def test_territories_are_contiguous_sectors_with_balanced_kg(
        rows: list[tuple[float, float, float]], count: int) -> None:
    sites = {f"u{i:03d}": (_site(i, e, n), kg) for i, (e, n, kg) in enumerate(rows)}
    territory = sweep_territories(DEPOT, sites, count)
    assert set(territory) == set(sites)
    assert all(0 <= k < count for k in territory.values())
    # contiguous: going once round the depot, each territory is one run of neighbours
    def bearing(site: Site) -> float:
        return math.atan2(site.lat - DEPOT.lat,
                          (site.lon - DEPOT.lon) * math.cos(math.radians(DEPOT.lat)))

    around = [territory[u] for u in sorted(
        sites, key=lambda u: (bearing(sites[u][0]) % (2 * math.pi), u))]
    changes = sum(1 for i in range(len(around)) if around[i] != around[i - 1])
    labels = len(set(around))
    assert changes == (0 if labels == 1 else labels)
    # balanced: every territory within one unit's kg of the mean (kg counted equally
    # when there is none)
    weights = {u: kg for u, (_, kg) in sites.items()}
    if sum(weights.values()) == 0:
        weights = dict.fromkeys(weights, 1.0)
    mean = sum(weights.values()) / count
    per_territory = defaultdict(float)
    for unit, k in territory.items():
        per_territory[k] += weights[unit]
    for k in range(count):
        assert abs(per_territory[k] - mean) <= max(weights.values()) + 1e-9


def test_four_equal_units_around_the_depot_split_into_two_neighbouring_pairs() -> None:
    sites = {s.id: (s, 10.0) for s in (_site(0, 1000, 0), _site(1, 0, 1000),
                                       _site(2, -1000, 0), _site(3, 0, -1000))}
    territory = sweep_territories(DEPOT, sites, 2)
    pairs = sorted(sorted(u for u in territory if territory[u] == k) for k in (0, 1))
    # east-north and west-south, or north-west and south-east: neighbours, never opposites
    assert pairs in ([["u000", "u001"], ["u002", "u003"]], [["u000", "u003"], ["u001", "u002"]])


def test_the_sweep_starts_after_the_widest_gap() -> None:
    # three units to the east within 20 degrees, one to the west: the widest gaps are on
    # either side of the western unit, so the eastern three stay together
    sites = {s.id: (s, 1.0) for s in (_site(0, 1000, -150), _site(1, 1000, 0),
                                      _site(2, 1000, 150), _site(3, -1000, 0))}
    territory = sweep_territories(DEPOT, sites, 2)
    assert territory["u000"] == territory["u001"] or territory["u001"] == territory["u002"]
    assert len({territory[u] for u in ("u000", "u001", "u002")}) <= 2


@pytest.mark.parametrize("frequency", [1, 2, 3, 4, 5])
def test_spacing_keeps_deliveries_apart(frequency: int) -> None:
    for anchor in range(5):
        picked = sorted(WORKDAYS.index(d) for d in delivery_days(frequency, WORKDAYS, anchor))
        gaps = [(picked[(i + 1) % len(picked)] - picked[i]) % 5 or 5
                for i in range(len(picked))]
        assert min(gaps) == 5 // frequency
        assert WORKDAYS[anchor] in [WORKDAYS[i] for i in picked]


def test_twice_a_week_is_never_two_days_running() -> None:
    for anchor in range(5):
        first, second = (WORKDAYS.index(d) for d in delivery_days(2, WORKDAYS, anchor))
        assert second - first >= 2


def _direct_plan(dataset_dir: Path, orders: tuple[Order, ...], design: str = "direct"
                 ) -> PlanBuilder:
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / f"{design}.yaml")
    return PlanBuilder(scenario, load_dataset(dataset_dir), orders, CrowFlyModel())


def test_observed_days_are_replayed_exactly_in_direct_and_ignored_by_the_hub(
        small_dataset_dir: Path) -> None:
    dataset = load_dataset(small_dataset_dir)
    orders = list(orders_from_demand_model(dataset))
    observed = {0: ("mon", "thu"), 1: ("fri",), 2: ("tue", "wed", "fri")}
    for number, days in observed.items():
        orders[number] = orders[number].with_overrides(
            {"delivery_days": list(days), "deliveries_per_week": len(days)})
    plan = _direct_plan(small_dataset_dir, tuple(orders)).build()
    for number, days in observed.items():
        mine = [d for d in plan.deliveries if d.order_id == orders[number].id]
        assert sorted(d.day for d in mine) == sorted(days)
        assert all(d.demand_kg == pytest.approx(orders[number].demand_kg_per_week / len(days))
                   for d in mine)
    consolidated = _direct_plan(small_dataset_dir, tuple(orders), "consolidated-ev").build()
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml")
    temperature = {c.id: c.temperature_class for c in dataset.categories}
    for number in observed:
        order = orders[number]
        mine = [d for d in consolidated.deliveries if d.order_id == order.id]
        assert len(mine) == scenario.frequency_for(order.category, temperature[order.category])


def test_weekly_units_of_a_supplier_are_grouped_by_area(dataset: DataSet) -> None:
    """On the Bergen study, going round each supplier's depot, its once-a-week units
    come day by day: each day's units are one run of neighbours by bearing."""
    orders = orders_from_demand_model(dataset)
    plan = PlanBuilder(load_scenario(SHIPPED_SCENARIOS_DIR / "direct.yaml"), dataset, orders,
                       CrowFlyModel())
    deliveries = plan._schedule(lambda o: o.deliveries_per_week)
    weekly = {o.id for o in orders if o.deliveries_per_week == 1}
    units = {u.id: u for u in dataset.units}
    around: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for delivery in deliveries:
        if delivery.order_id in weekly:
            depot = dataset.supplier(delivery.supplier_id)
            unit = units[delivery.unit_id]
            bearing = math.atan2(unit.lat - depot.lat,
                                 (unit.lon - depot.lon) * math.cos(math.radians(depot.lat)))
            around[delivery.supplier_id].append((bearing % (2 * math.pi), unit.id,
                                                 delivery.day))
    assert around
    for stops in around.values():
        days = [day for _, _, day in sorted(set(stops))]
        changes = sum(1 for i in range(len(days)) if days[i] != days[i - 1])
        assert changes == (0 if len(set(days)) == 1 else len(set(days)))
        assert len(set(days)) == min(5, len(days))


def _write_orders(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "unit_id", "category", "supplier_id",
                                                    "demand_kg_per_week",
                                                    "volume_m3_per_week",
                                                    "deliveries_per_week", "delivery_days"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_orders_file_reads_observed_days(tmp_path: Path, dataset: DataSet) -> None:
    unit = dataset.units[0].id
    base = {"unit_id": unit, "category": "dry_food", "supplier_id": "sup-dry-food",
            "demand_kg_per_week": 30, "volume_m3_per_week": 0.1}
    path = _write_orders(tmp_path / "orders.csv", [
        {**base, "id": "a", "deliveries_per_week": 2, "delivery_days": "mon;thu"},
        {**base, "id": "b", "deliveries_per_week": "", "delivery_days": "fri"},
        {**base, "id": "c", "deliveries_per_week": 3, "delivery_days": ""},
    ])
    orders = {o.id: o for o in load_orders(path, dataset)}
    assert orders["a"].delivery_days == ("mon", "thu")
    assert orders["b"].delivery_days == ("fri",) and orders["b"].deliveries_per_week == 1
    assert orders["c"].delivery_days is None and orders["c"].deliveries_per_week == 3


def test_bad_observed_days_are_named_all_at_once(tmp_path: Path, dataset: DataSet) -> None:
    unit = dataset.units[0].id
    base = {"unit_id": unit, "category": "dry_food", "supplier_id": "sup-dry-food",
            "demand_kg_per_week": 30, "volume_m3_per_week": 0.1}
    path = _write_orders(tmp_path / "orders.csv", [
        {**base, "id": "twice", "deliveries_per_week": 2, "delivery_days": "mon;mon"},
        {**base, "id": "count", "deliveries_per_week": 3, "delivery_days": "mon;thu"},
        {**base, "id": "name", "deliveries_per_week": 1, "delivery_days": "monday"},
    ])
    with pytest.raises(InputError) as caught:
        load_orders(path, dataset)
    text = str(caught.value)
    for order_id in ("twice", "count", "name"):
        assert f"id={order_id}" in text
    assert "delivery_days" in text and "orders.csv" in text


def test_observed_days_outside_the_planning_days_are_an_input_problem(
        dataset: DataSet) -> None:
    order = Order(id="o1", unit_id=dataset.units[0].id, category="dry_food",
                  supplier_id="sup-dry-food", demand_kg_per_week=10, volume_m3_per_week=0.1,
                  deliveries_per_week=2, delivery_days=("mon", "sat"))
    with pytest.raises(InputError) as caught:
        check_observed_days((order,), WORKDAYS, "orders.csv")
    problem = caught.value.problems[0]
    assert (problem.source, problem.location, problem.field) == (
        "orders.csv", "id=o1", "delivery_days")
    assert "mon;sat" in str(caught.value) and "mon;tue;wed;thu;fri" in str(caught.value)
