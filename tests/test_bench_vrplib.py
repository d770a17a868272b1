"""VRPLIB reader, distance conventions and the benchmark's independent route checker."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.vrp_instances import check_routes
from benchmarks.vrplib import (
    DistanceConvention,
    distance_matrix,
    read_instance,
    read_solution,
    route_cost,
    to_routing_problem,
)
from logistics.errors import InputError

from .vrplib_fixtures import three_node_vrptw

SHARED = Path(__file__).parents[2] / "shared" / "benchmarks" / "vrp"
INSTANCES = sorted(SHARED.glob("*/*.vrp"))

TINY_CVRP = """NAME : tiny-k2
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 1 1
3 3 4
4 0 2
DEMAND_SECTION
1 0
2 4
3 7
4 5
DEPOT_SECTION
1
-1
EOF
"""

TINY_VRPTW = three_node_vrptw("tinytw", customer_window_ends=(10, 8))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


needs_shared = pytest.mark.skipif(not INSTANCES, reason="shared benchmark instances absent")


@needs_shared
@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_best_known_routes_cost_what_the_file_says(path: Path) -> None:
    instance = read_instance(path)
    best = read_solution(path.with_suffix(".sol"))
    assert route_cost(instance, best.routes) == pytest.approx(best.cost, abs=1e-6)
    served = sorted(c for route in best.routes for c in route)
    assert served == list(range(1, instance.customers + 1))


@needs_shared
@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_best_known_routes_pass_the_independent_check(path: Path) -> None:
    instance = read_instance(path)
    assert check_routes(instance, read_solution(path.with_suffix(".sol")).routes) == []


@needs_shared
def test_solomon_header_and_sections_are_read() -> None:
    instance = read_instance(SHARED / "solomon" / "C101.vrp")
    assert instance.customers == 100
    assert instance.capacity == 200
    assert instance.vehicles == 25
    assert instance.convention is DistanceConvention.TRUNCATED_ONE_DECIMAL
    assert instance.service_times[0] == 0
    assert set(instance.service_times[1:]) == {90}
    assert instance.time_windows is not None
    assert tuple(instance.time_windows[0]) == (0, 1236)
    assert tuple(instance.coords[1]) == (45, 68)


def test_truncation_and_rounding_conventions(tmp_path: Path) -> None:
    cvrp = read_instance(_write(tmp_path, "a.vrp", TINY_CVRP))
    vrptw = read_instance(_write(tmp_path, "b.vrp", TINY_VRPTW))
    assert cvrp.convention is DistanceConvention.ROUNDED_INTEGER
    assert vrptw.convention is DistanceConvention.TRUNCATED_ONE_DECIMAL
    # sqrt(2) = 1.414..: rounded 1, truncated 1.4; (1,1)->(3,4): sqrt(13) = 3.605..
    assert distance_matrix(cvrp)[0, 1] == 1
    assert distance_matrix(cvrp)[1, 2] == 4
    assert distance_matrix(vrptw)[0, 1] == pytest.approx(1.4)
    assert distance_matrix(vrptw)[1, 2] == pytest.approx(3.6)
    assert distance_matrix(vrptw)[0, 2] == pytest.approx(5.0)


def test_fleet_rule_for_instances_without_a_fleet(tmp_path: Path) -> None:
    instance = read_instance(_write(tmp_path, "a.vrp", TINY_CVRP))
    # k = 2 from the name, at least ceil(16 / 10) = 2, plus max(2, ceil(0.2)) = 2.
    assert instance.fleet_size() == 4


def test_routing_problem_is_in_whole_metres_and_seconds(tmp_path: Path) -> None:
    instance = read_instance(_write(tmp_path, "b.vrp", TINY_VRPTW))
    problem = to_routing_problem(instance)
    distance = problem.distance_m("benchmark")
    assert distance[0, 1] == 14.0
    assert distance[1, 2] == 36.0
    assert np.array_equal(distance, np.round(distance))
    assert np.array_equal(problem.duration_s("benchmark"), distance)
    assert [j.id for j in problem.jobs] == ["1", "2"]
    assert problem.jobs[1].time_windows_s == ((0.0, 80.0),)
    assert problem.jobs[0].service_duration_s == 50.0
    assert problem.jobs[1].delivery_kg == 7.0
    assert len(problem.vehicles) == 2
    assert problem.vehicles[0].shift_s == (0.0, 1000.0)
    # Leaving a customer out must never pay: penalty above any detour.
    assert problem.jobs[0].penalty_nok > 2 * distance.max()


def test_bad_files_list_every_problem(tmp_path: Path) -> None:
    text = TINY_CVRP.replace("EDGE_WEIGHT_TYPE : EUC_2D", "EDGE_WEIGHT_TYPE : GEO")
    text = text.replace("CAPACITY : 10\n", "").replace("DEMAND_SECTION", "DEMANDS")
    with pytest.raises(InputError) as caught:
        read_instance(_write(tmp_path, "bad.vrp", text))
    fields = {p.field for p in caught.value.problems}
    assert {"EDGE_WEIGHT_TYPE", "CAPACITY", "DEMAND_SECTION"} <= fields
    with pytest.raises(InputError):
        read_instance(tmp_path / "missing.vrp")
    with pytest.raises(InputError):
        read_solution(_write(tmp_path, "x.sol", "Route #1: 1 2\n"))


def test_checker_finds_broken_rules(tmp_path: Path) -> None:
    instance = read_instance(_write(tmp_path, "b.vrp", TINY_VRPTW))
    assert check_routes(instance, ((1,), (2,))) == []
    assert any("not served" in v for v in check_routes(instance, ((1,),)))
    assert any("more than once" in v for v in check_routes(instance, ((1,), (1, 2))))
    both = check_routes(instance, ((1, 2),))
    assert any("capacity" in v for v in both)
    # Customer 2 after customer 1: 1.4 + 5 + 3.6 = 10 > due 8.
    assert any("customer 2 reached at 10.0 > due 8" in v for v in both)
    assert any("fleet" in v for v in check_routes(instance, ((1,), (2,), ())))


@needs_shared
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_cvrp_route_cost_ignores_direction_and_order(seed: int) -> None:
    path = SHARED / "cvrp_x" / "X-n101-k25.vrp"
    instance = read_instance(path)
    routes = read_solution(path.with_suffix(".sol")).routes
    rng = np.random.default_rng(seed)
    shuffled = [routes[i] for i in rng.permutation(len(routes))]
    flipped = tuple(r[::-1] if rng.random() < 0.5 else r for r in shuffled)
    assert route_cost(instance, flipped) == route_cost(instance, routes)


@settings(max_examples=100, deadline=None)
@given(coords=st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
                       min_size=2, max_size=6))
def test_truncated_distances_are_tenths_below_the_euclidean(
        tmp_path_factory: pytest.TempPathFactory, coords: list[tuple[int, int]]) -> None:
    lines = [f"{i + 1} {x} {y}" for i, (x, y) in enumerate(coords)]
    demands = [f"{i + 1} 1" for i in range(len(coords))]
    windows = [f"{i + 1} 0 100000" for i in range(len(coords))]
    text = "\n".join([
        "NAME : h", f"DIMENSION : {len(coords)}", "CAPACITY : 100", "VEHICLES : 3",
        "EDGE_WEIGHT_TYPE : EUC_2D", "NODE_COORD_SECTION", *lines, "DEMAND_SECTION",
        *demands, "TIME_WINDOW_SECTION", *windows, "DEPOT_SECTION", "1", "-1", "EOF"])
    path = tmp_path_factory.mktemp("h") / "h.vrp"
    path.write_text(text)
    matrix = distance_matrix(read_instance(path))
    for i, a in enumerate(coords):
        for j, b in enumerate(coords):
            euclid = math.dist(a, b)
            assert euclid - 0.1 < matrix[i, j] <= euclid + 1e-9
            assert matrix[i, j] * 10 == pytest.approx(round(matrix[i, j] * 10), abs=1e-9)
