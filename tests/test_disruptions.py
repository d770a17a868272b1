"""Disruptions change the plan the way they should, and bad entries are all reported."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.errors import InputError
from logistics.model.dataset import DataSet, load_dataset
from logistics.model.demand import orders_from_demand_model
from logistics.model.domain import EnergyCarrier
from logistics.model.factors import load_factor_tables
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import planned_routes
from logistics.pipeline.solutions import solve_problems
from logistics.plan.builder import Plan, PlanBuilder, scenario_disruptions
from logistics.plan.deliveries import PlanReason
from logistics.routing.problem import UnservedReason
from logistics.routing.settings import SolverSettings
from logistics.scenarios.disruptions import (
    DemandSurge,
    FleetShortage,
    FuelShortage,
    HubOutage,
    PowerOutage,
    RoadClosure,
    SupplierOutage,
    ZoneBan,
)
from logistics.scenarios.files import load_scenario, scenario_from_mapping
from logistics.scenarios.schema import Scenario
from logistics.travel.base import TravelModel
from logistics.travel.crowfly import CrowFlyModel
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_network_file
from tests.disruption_helpers import make_island_dataset, write_island_network

BERGEN = SHIPPED_SCENARIOS_DIR
FAST = SolverSettings(time_limit_s=5, solution_limit=30, iteration_limit=50)


def _scenario(name: str, *disruptions: object, **update: object) -> Scenario:
    scenario = load_scenario(BERGEN / f"{name}.yaml")
    return scenario.with_overrides({"disruptions": list(disruptions), **update})


def _plan(scenario: Scenario, dataset: DataSet, travel: TravelModel | None = None) -> Plan:
    return PlanBuilder(scenario, dataset, orders_from_demand_model(dataset),
                       travel or CrowFlyModel()).build()


@pytest.fixture
def small(small_dataset_dir: Path) -> DataSet:
    return load_dataset(small_dataset_dir)


def test_every_bad_entry_is_reported_at_once() -> None:
    document = {"name": "bad", "design": "direct", "disruptions": [
        {"type": "road_closure"},
        {"type": "fuel_shortage", "carrier": "biogas", "litres_per_vehicle_per_day": 20},
        {"type": "hub_outage", "fallback": "hub"},
        {"type": "zone_ban", "polygon": [[5.3, 60.3], [5.4, 60.3]]},
        {"type": "earthquake"},
    ]}
    with pytest.raises(InputError) as error:
        scenario_from_mapping(document, "bad.yaml")
    fields = [p.field for p in error.value.problems]
    assert len(fields) == 5
    assert all(f.startswith("disruptions.") for f in fields)


def test_unknown_ids_and_days_are_reported_against_the_study(small: DataSet) -> None:
    scenario = _scenario("consolidated-ev",
                         SupplierOutage(supplier="sup-nowhere", days=("sat",)),
                         HubOutage(fallback="hub", fallback_hub="kokstad"),
                         DemandSurge(categories={"caviar": 2.0}))
    with pytest.raises(InputError) as error:
        scenario_disruptions(scenario, small, CrowFlyModel(), "s.yaml")
    found = {(p.field, p.found) for p in error.value.problems}
    assert found == {("days", "'sat'"), ("supplier", "'sup-nowhere'"),
                     ("fallback_hub", "'kokstad'"), ("categories.caviar", "'caviar'")}


@pytest.mark.parametrize("design", ["direct", "consolidated-diesel"])
def test_supplier_outage_without_alternate_leaves_exactly_its_orders_unmet(
        small: DataSet, design: str) -> None:
    # nobody lists chilled_food among its backup categories
    assert not any("chilled_food" in s.backup_categories for s in small.suppliers)
    outage = SupplierOutage(supplier="sup-chilled-food", days=("tue", "wed"))
    plan = _plan(_scenario(design, outage), small)
    expected = {d for d in plan.deliveries
                if d.supplier_id == "sup-chilled-food" and d.day in ("tue", "wed")}
    assert expected
    assert {u.delivery for u in plan.unserved} == expected
    assert {u.reason for u in plan.unserved} == {PlanReason.SUPPLIER_UNAVAILABLE}
    planned = {d for ds in plan.deliveries_by_job.values() for d in ds}
    assert not planned & expected


def test_supplier_outage_with_alternate_is_served_by_the_alternate(small: DataSet) -> None:
    # sup-dry-food lists bakery as a backup category
    outage = SupplierOutage(supplier="sup-bakery", days=("mon", "tue"))
    plan = _plan(_scenario("direct", outage), small)
    assert plan.unserved == ()
    for planned in plan.problems:
        for job in planned.problem.jobs:
            for delivery in plan.deliveries_by_job[job.id]:
                assert delivery.supplier_id == planned.owner
                if delivery.category == "bakery":
                    expected = "sup-dry-food" if delivery.day in ("mon", "tue") else "sup-bakery"
                    assert planned.owner == expected
    unmet = _plan(_scenario("direct", outage.with_overrides({"use_alternates": False})),
                  small)
    assert {u.delivery.category for u in unmet.unserved} == {"bakery"}
    assert {u.delivery.day for u in unmet.unserved} == {"mon", "tue"}


def test_hub_outage_falls_back_to_direct_delivery(small: DataSet) -> None:
    outage = HubOutage(days=("mon", "tue", "wed"), fallback="direct")
    plan = _plan(_scenario("consolidated-ev", outage), small)
    assert plan.unserved == ()
    kinds = Counter((p.kind, p.day in outage.days) for p in plan.problems)
    assert kinds[("distribution", True)] == 0 and kinds[("direct", False)] == 0
    assert kinds[("direct", True)] > 0 and kinds[("distribution", False)] == 2
    assert all(r.day not in outage.days for r in plan.inbound_routes)
    served = [d for ds in plan.deliveries_by_job.values() for d in ds]
    assert sorted(map(repr, served)) == sorted(map(repr, plan.deliveries))


def test_hub_outage_falls_back_to_a_second_hub_or_leaves_goods_unmet(small: DataSet) -> None:
    second = _plan(_scenario("consolidated-ev", HubOutage(days=("thu",), fallback="hub",
                                                          fallback_hub="nygardstangen")), small)
    owners = {p.day: p.owner for p in second.problems}
    assert owners["thu"] == "nygardstangen" and owners["mon"] == "kokstad"
    index = {p.id: i for i, p in enumerate(second.points)}
    for trunk in second.inbound_routes:
        hub = "nygardstangen" if trunk.day == "thu" else "kokstad"
        assert trunk.route.visits[0].location == index[hub]
    none = _plan(_scenario("consolidated-ev", HubOutage(days=("thu",), fallback="none")), small)
    assert {u.delivery for u in none.unserved} == {d for d in none.deliveries if d.day == "thu"}
    assert {u.reason for u in none.unserved} == {PlanReason.HUB_UNAVAILABLE}


def test_diesel_shortage_parks_diesel_vehicles(small: DataSet) -> None:
    shortage = FuelShortage(carrier=EnergyCarrier.DIESEL, days=("mon",))
    plan = _plan(_scenario("direct", shortage), small)
    carriers = {p.day: {small.vehicle_types[v.vehicle_type_id].energy_carrier
                        for v in p.problem.vehicles} for p in plan.problems}
    assert EnergyCarrier.DIESEL not in carriers["mon"]
    assert EnergyCarrier.DIESEL in carriers["tue"]
    # suppliers with diesel vehicles only cannot deliver on Monday; the bakery keeps its
    # HVO100 van and the office supplier its e-van
    unmet_suppliers = {u.delivery.supplier_id for u in plan.unserved}
    assert unmet_suppliers and {"sup-bakery", "sup-office"}.isdisjoint(unmet_suppliers)
    assert {u.reason for u in plan.unserved} == {UnservedReason.NO_VEHICLE_AVAILABLE}
    assert {u.delivery.day for u in plan.unserved} == {"mon"}


def test_fuel_ration_limits_daily_distance(small: DataSet) -> None:
    ration = FuelShortage(carrier=EnergyCarrier.DIESEL, litres_per_vehicle_per_day=10)
    plan = _plan(_scenario("consolidated-diesel", ration), small)
    kwh_per_litre = load_factor_tables().carrier(EnergyCarrier.DIESEL).kwh_per_unit
    for planned in plan.problems:
        for vehicle in planned.problem.vehicles:
            vehicle_type = small.vehicle_types[vehicle.vehicle_type_id]
            expected_m = 10 / (vehicle_type.energy_kwh_per_km_full / kwh_per_litre) * 1000
            assert vehicle.max_distance_m == pytest.approx(expected_m)


def test_power_outage_shares_one_derated_charge_over_consecutive_days(small: DataSet) -> None:
    outage = PowerOutage(days=("tue", "wed"), winter_derating=0.4)
    plan = _plan(_scenario("consolidated-ev", outage), small)
    for planned in plan.problems:
        for vehicle in planned.problem.vehicles:
            full_m = small.vehicle_types[vehicle.vehicle_type_id].range_m
            assert full_m is not None
            expected = full_m * 0.6 / 2 if planned.day in ("tue", "wed") else full_m
            assert vehicle.max_distance_m == pytest.approx(expected)


def test_power_outage_shortens_electric_routes(small: DataSet) -> None:
    scenario = _scenario("consolidated-ev", PowerOutage(days=("mon", "tue", "wed", "thu", "fri"),
                                                        winter_derating=0.5))
    plan = _plan(scenario, small)
    normal = _plan(scenario.with_overrides({"disruptions": []}), small)
    monday = [p for p in plan.problems if p.day == "mon"]
    normal_monday = [p for p in normal.problems if p.day == "mon"]
    routes, unserved, _ = planned_routes(plan, tuple(monday),
                                         solve_problems(tuple(monday), FAST, 1))
    normal_routes, _, _ = planned_routes(normal, tuple(normal_monday),
                                         solve_problems(tuple(normal_monday), FAST, 1))
    limits = {v.id: v.max_distance_m for p in monday for v in p.problem.vehicles}
    for planned in routes:
        assert planned.route.distance_m <= limits[planned.route.vehicle_id] + 1.0
    longest = max(r.route.distance_m for r in normal_routes)
    assert longest > max(limits.values())  # the outage binds: routes must change
    assert all(r.route.distance_m < longest for r in routes) or unserved


@given(st.floats(0.1, 1.0))
@settings(max_examples=15, deadline=None)
def test_fleet_shortage_removes_the_share_of_vehicles_largest_first(share: float) -> None:
    dataset = load_dataset()
    scenario = _scenario("consolidated-diesel", FleetShortage(share=share, fleets=("kokstad",)))
    disruptions = scenario_disruptions(scenario, dataset, CrowFlyModel())
    fleet = list(scenario.fleet.hub)
    kept, cut = disruptions.fleet_on("kokstad", fleet, "mon")
    total = sum(e.count for e in fleet)
    removed = round(total * share)
    assert sum(e.count for e in kept) == total - removed
    lorries = next((e.count for e in kept if e.vehicle_type.startswith("rigid")), 0)
    assert lorries == max(0, 3 - removed)  # three lorries go before any van
    assert (cut != "") == (removed > 0)
    other, _ = disruptions.fleet_on("sup-bakery", fleet, "mon")
    assert other == fleet


def test_demand_surge_multiplies_its_category_on_its_days(small: DataSet) -> None:
    surge = DemandSurge(categories={"medical_consumables": 3.0}, days=("mon", "tue", "wed",
                                                                      "thu", "fri"))
    plan = _plan(_scenario("direct", surge), small)
    normal = _plan(_scenario("direct"), small)
    by_key = {(d.order_id, d.day): d.demand_kg for d in normal.deliveries}
    assert len(plan.deliveries) == len(normal.deliveries)
    for delivery in plan.deliveries:
        factor = 3.0 if delivery.category == "medical_consumables" else 1.0
        assert delivery.demand_kg == pytest.approx(factor * by_key[(delivery.order_id,
                                                                    delivery.day)])
    tuesday = _plan(_scenario("direct", surge.with_overrides({"days": ["tue"]})), small)
    for delivery in tuesday.deliveries:
        factor = 3.0 if (delivery.category, delivery.day) == ("medical_consumables", "tue") \
            else 1.0
        assert delivery.demand_kg == pytest.approx(factor * by_key[(delivery.order_id,
                                                                    delivery.day)])


def test_zone_ban_admits_only_zero_emission_vehicles_to_units_inside(small: DataSet) -> None:
    inside = small.units[0]
    ring = ((inside.lon - 0.002, inside.lat - 0.001), (inside.lon + 0.002, inside.lat - 0.001),
            (inside.lon + 0.002, inside.lat + 0.001), (inside.lon - 0.002, inside.lat + 0.001))
    plan = _plan(_scenario("direct", ZoneBan(polygon=ring)), small)
    checked = 0
    for planned in plan.problems:
        for job in planned.problem.jobs:
            assert job.allowed_vehicles is not None
            allowed = {small.vehicle_types[v.vehicle_type_id].is_zero_emission
                       for v in planned.problem.vehicles if v.id in job.allowed_vehicles}
            if job.id.endswith(f":{inside.id}"):
                checked += 1
                assert allowed <= {True}
            else:
                assert False in allowed
    assert checked


def test_road_closure_on_crow_fly_is_reported_not_ignored(small: DataSet) -> None:
    closure = RoadClosure(label="Puddefjordsbroen closed", street_names=("Puddefjordsbroen",))
    scenario = _scenario("consolidated-ev", closure)
    plan = _plan(scenario, small)
    assert any("Puddefjordsbroen closed" in n and "road network" in n for n in plan.notes)
    disruptions = scenario_disruptions(scenario, small, CrowFlyModel())
    assert [n.label for n in disruptions.not_applied] == ["Puddefjordsbroen closed"]


def test_bridge_closure_cuts_off_the_units_behind_it(tmp_path: Path) -> None:
    folder, mainland, island = make_island_dataset(tmp_path / "study")
    dataset = load_dataset(folder)
    network = load_network_file(write_island_network(tmp_path / "roads.geojson"), "island")
    travel = RoadNetworkModel(network)
    closure = RoadClosure(label="Testbrua closed", street_names=("testbrua",), days=("tue",))
    scenario = _scenario("direct", closure, solver=load_scenario(BERGEN / "direct.yaml").solver)
    plan = _plan(scenario, dataset, travel)
    assert plan.notes == ()
    tuesday = tuple(p for p in plan.problems if p.day == "tue")
    others = tuple(p for p in plan.problems if p.day != "tue")
    assert tuesday and others
    for planned in plan.problems:
        index = {p.id: i for i, p in enumerate(planned.problem.points)}
        for matrices in planned.problem.matrices.values():
            depot = index[planned.owner]
            for unit in island:
                cut = math.isnan(matrices.distance_m[depot, index[unit]])
                assert cut == (planned.day == "tue")
            for unit in mainland:
                assert not math.isnan(matrices.distance_m[depot, index[unit]])
    _, unserved, _ = planned_routes(plan, tuesday, solve_problems(tuesday, FAST, 1))
    assert {u.delivery.unit_id for u in unserved} == {
        d.unit_id for d in plan.deliveries if d.day == "tue" and d.unit_id in island}
    assert {u.reason for u in unserved} == {UnservedReason.UNREACHABLE}
