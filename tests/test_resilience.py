"""Resilience metrics: critical links against brute force, reproducible Monte Carlo,
autonomy, concentration, and the report and command on crow-fly travel."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import networkx as nx
import pytest
import typer
import yaml
from typer.testing import CliRunner

from logistics.analysis.resilience import Designs
from logistics.analysis.resilience.links import critical_links
from logistics.analysis.resilience.monte_carlo import draw_samples
from logistics.analysis.resilience.report import resilience_report
from logistics.analysis.resilience.stock import (
    days_of_autonomy,
    herfindahl_index,
    supplier_concentration,
)
from logistics.cli.resilience import print_report, resilience
from logistics.model.dataset import load_dataset
from logistics.model.demand import orders_from_demand_model
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.plan.deliveries import Delivery, PlanReason, UnservedDelivery
from logistics.routing.problem import Leg, Route
from logistics.scenarios.disruptions import RoadClosure, SupplierOutage
from logistics.scenarios.files import load_scenario, merged_document
from logistics.travel.base import Point
from logistics.travel.crowfly import CrowFlyModel
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_network_file
from tests.disruption_helpers import DEPOT_AT, UNIT_SPOTS, WAYS, write_island_network
from tests.network_helpers import at

BERGEN = SHIPPED_SCENARIOS_DIR
POINTS = (Point("depot", *at(*DEPOT_AT)),
          *(Point(f"unit-{i}", *at(*spot)) for i, spot in enumerate(UNIT_SPOTS)))


def _route(vehicle_type: str, stops: list[int]) -> Route:
    sequence = [0, *stops, 0]
    legs = tuple(Leg(a, b, 0.0, 0.0, 0.0, 0.0) for a, b in itertools.pairwise(sequence))
    return Route(f"{vehicle_type}/1", vehicle_type, 0.0, 0.0, (), legs)


def _brute_force(graph: nx.MultiDiGraph, routes: list[Route]) -> list[tuple[int, tuple, float]]:
    """Close each way in turn and re-drive every route with networkx shortest paths."""
    node_at = {}
    for index, point in enumerate(POINTS):
        node_at[index] = min(graph.nodes, key=lambda n: math.hypot(
            graph.nodes[n]["x"] - point.lon, graph.nodes[n]["y"] - point.lat))

    def drive(g: nx.MultiDiGraph) -> tuple[float, set[int]]:
        total, cut = 0.0, set()
        for route in routes:
            sequence = [route.legs[0].from_location] + [leg.to_location for leg in route.legs]
            depot = node_at[sequence[0]]
            lost = {s for s in sequence if not (nx.has_path(g, depot, node_at[s])
                                                and nx.has_path(g, node_at[s], depot))}
            cut |= lost
            kept = [s for s in sequence if s not in lost]
            total += sum(nx.shortest_path_length(g, node_at[a], node_at[b], weight="length")
                         for a, b in itertools.pairwise(kept) if a != b)
        return total, cut

    base_m, _ = drive(graph)
    ranking = []
    for way in WAYS:
        closed = graph.copy()
        closed.remove_edges_from([(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
                                  if d.get("osmid") == way])
        total_m, cut = drive(closed)
        units = tuple(sorted(POINTS[i].id for i in cut))
        ranking.append((way, units, round((total_m - base_m) / 1000, 6)))
    ranking.sort(key=lambda r: (-len(r[1]), -r[2], r[0]))
    return ranking


def test_critical_link_ranking_matches_brute_force(tmp_path: Path) -> None:
    network = load_network_file(write_island_network(tmp_path / "roads.geojson"), "island")
    dataset = load_dataset()
    routes = [_route("van-diesel", [1, 3]), _route("van-diesel", [2, 4]),
              _route("e-van", [1, 2])]
    result = critical_links(routes, POINTS, RoadNetworkModel(network), dataset.vehicle_types,
                            {p.id for p in POINTS[1:]}, max_candidates=None, top=len(WAYS))
    assert result.available
    found = [(k.way_id, k.units_cut_off, round(k.extra_km, 6)) for k in result.links]
    expected = _brute_force(network.to_networkx(), routes)
    # only ways on the routes' paths are candidates: closing any other changes nothing
    unused = [r for r in expected if r[0] not in {k.way_id for k in result.links}]
    assert [r[0] for r in unused] == [12]  # Ringveien, the detour nobody drives
    assert all(r[1] == () and r[2] == 0.0 for r in unused)
    assert result.candidates == len(WAYS) - len(unused)
    assert found == [r for r in expected if r not in unused]
    assert found[0][0] == 13 and set(found[0][1]) == {"unit-2", "unit-3"}  # the bridge
    top_two = critical_links(routes, POINTS, RoadNetworkModel(network), dataset.vehicle_types,
                             {p.id for p in POINTS[1:]}, max_candidates=None, top=2)
    assert [k.way_id for k in top_two.links] == [r[0] for r in found[:2]]


def test_critical_links_on_crow_fly_say_they_need_a_road_network() -> None:
    result = critical_links([_route("van-diesel", [1])], POINTS, CrowFlyModel(),
                            load_dataset().vehicle_types, {"unit-0"})
    assert not result.available
    assert "road network" in result.reason
    assert result.as_dict() == {"available": False, "reason": result.reason}


def test_monte_carlo_samples_depend_only_on_the_seed() -> None:
    days = ("mon", "tue", "wed", "thu", "fri")
    suppliers = ["b", "a", "c"]
    first = draw_samples(40, 7, suppliers, days, [5, 3, 9])
    again = draw_samples(40, 7, list(reversed(suppliers)), days, [9, 5, 3])
    assert first == again
    assert first != draw_samples(40, 8, suppliers, days, [5, 3, 9])
    assert {s.kind for s in first} == {"supplier_outage", "link_closure"}
    for sample in first:
        if isinstance(sample.disruption, SupplierOutage):
            chosen = sample.disruption.days
            start = days.index(chosen[0])
            assert chosen == days[start:start + len(chosen)]
        else:
            assert isinstance(sample.disruption, RoadClosure)
    crow_fly = draw_samples(20, 7, suppliers, days, [])
    assert {s.kind for s in crow_fly} == {"supplier_outage"}


def test_days_of_autonomy_compare_shortfall_with_stock_days() -> None:
    dataset = load_dataset()
    orders = orders_from_demand_model(dataset)
    order = next(o for o in orders if o.category == "chilled_food")
    days = ("mon", "tue", "wed", "thu", "fri")
    per_day = order.demand_kg_per_week / 5
    missed = [UnservedDelivery(Delivery(order.id, order.unit_id, order.category,
                                        order.supplier_id, day, per_day * 2, 0.0),
                               PlanReason.SUPPLIER_UNAVAILABLE, "") for day in days[:2]]
    rows = {(r.unit_id, r.category): r for r in days_of_autonomy(dataset, orders, missed, days)}
    row = rows[(order.unit_id, "chilled_food")]
    unit_type = dataset.unit(order.unit_id).unit_type
    stock = next(s.stock_days for s in dataset.stock_days
                 if s.unit_type == unit_type and s.category == "chilled_food")
    assert row.stock_days == stock
    assert row.shortfall_days == pytest.approx(4.0)
    assert row.runs_out == (stock < 4.0)
    assert all(r.shortfall_days == 0 for key, r in rows.items()
               if key != (order.unit_id, "chilled_food"))


def test_concentration_counts_single_sourced_units() -> None:
    assert herfindahl_index([1.0]) == pytest.approx(10_000)
    assert herfindahl_index([1.0, 1.0]) == pytest.approx(5_000)
    assert herfindahl_index([1.0, 1.0, 1.0, 1.0]) == pytest.approx(2_500)
    dataset = load_dataset()
    orders = orders_from_demand_model(dataset)
    result = supplier_concentration(dataset, orders)
    chilled = result["categories"]["chilled_food"]
    units_with_chilled = len({o.unit_id for o in orders if o.category == "chilled_food"})
    assert chilled["hhi"] == pytest.approx(10_000)
    assert chilled["alternates"] == []
    assert chilled["units_without_alternate"] == units_with_chilled
    assert result["categories"]["bakery"]["alternates"] == ["sup-dry-food"]
    assert result["categories"]["bakery"]["units_without_alternate"] == 0
    assert 0 < result["hhi_all_goods"] < 10_000


@pytest.fixture
def tiny_scenario(tmp_path: Path) -> Path:
    """consolidated-ev on a four-unit study, with a bridge closure and a bakery outage."""
    from tests.conftest import make_small_dataset

    dataset_dir = make_small_dataset(tmp_path / "study", units=4)
    document = merged_document(BERGEN / "consolidated-ev.yaml")
    document.pop("extends")
    document |= {"name": "tiny-resilience", "dataset_dir": str(dataset_dir), "days": ["mon", "tue"],
                 "disruptions": [
                     {"type": "road_closure", "label": "Puddefjordsbroen closed",
                      "street_names": ["Puddefjordsbroen"]},
                     {"type": "supplier_outage", "supplier": "sup-chilled-food",
                      "days": ["mon"]}]}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_report_on_crow_fly_compares_designs_and_repeats_with_the_seed(
        tiny_scenario: Path) -> None:
    scenario = load_scenario(tiny_scenario).with_overrides({"solver.solution_limit": 5})
    dataset = load_dataset(Path(scenario.dataset_dir))
    def report(designs: Designs = "both") -> dict:
        return resilience_report(scenario, dataset, CrowFlyModel(), samples=3, seed=5,
                                 workers=1, designs=designs)

    first, again, own = report(), report(), report("own")
    assert first["monte_carlo"] == again["monte_carlo"]
    # The own design alone: the same numbers for it, and nothing to rank it against.
    assert own["designs_compared"] == ["consolidated"] and own["holds_up_better"] == {}
    assert own["designs"]["consolidated"] == first["designs"]["consolidated"]
    assert (own["monte_carlo"]["designs"]["consolidated"]
            == first["monte_carlo"]["designs"]["consolidated"])
    assert [{k: v for k, v in row.items() if k != "direct"}
            for row in first["monte_carlo"]["per_sample"]] == own["monte_carlo"]["per_sample"]
    assert first["designs_compared"] == ["consolidated", "direct"]
    assert [n["label"] for n in first["not_applied"]] == ["Puddefjordsbroen closed"]
    assert not first["critical_links"]["available"]
    assert "road network" in first["monte_carlo"]["link_closures"]
    for design in ("consolidated", "direct"):
        impact = first["designs"][design]
        assert impact["unserved_deliveries_by_reason"] == {"supplier_unavailable": impact[
            "unserved_deliveries_by_reason"]["supplier_unavailable"]}
        assert set(impact["unmet_kg_by_category"]) == {"chilled_food"}
        assert impact["served_demand_share"] < impact["normal_served_demand_share"] == 1.0
        spread = first["monte_carlo"]["designs"][design]["served_demand_share"]
        assert spread["p5"] <= spread["median"] <= spread["p95"] <= 1.0
    assert set(first["holds_up_better"]) >= {"served_demand_share", "extra_cost_nok"}
    assert set(first["holds_up_better"].values()) <= {"consolidated", "direct", "equal"}


def test_resilience_command_prints_json_and_tables(tiny_scenario: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    app = typer.Typer()
    app.command()(resilience)
    result = CliRunner().invoke(app, [str(tiny_scenario), "--samples", "0", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["scenario"] == "tiny-resilience"
    assert report["monte_carlo"] == {"samples": 0,
                                     "link_closures": report["monte_carlo"]["link_closures"]}
    print_report(report)
    table = capsys.readouterr().out
    assert "Not applied" in table and "Puddefjordsbroen closed" in table
    assert "holds up better" in table and "Critical links: not computed" in table


def test_resilience_command_lists_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ndesign: direct\ndisruptions: [{type: power_outage, "
                    "winter_derating: 2}]\n", encoding="utf-8")
    app = typer.Typer()
    app.command()(resilience)
    result = CliRunner().invoke(app, [str(path)])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, [str(path), "--designs", "twin"])
    assert result.exit_code == 2
    assert "designs" in result.output and "'twin'" in result.output
    assert "both or own" in result.output
