"""Contraction hierarchies stored on disk: reused by a fresh state or process, keyed by
the road content (closures, profile, weight), rebuilt when a stored file is damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from logistics.travel.base import Point, TravelMatrices, VehicleProfile
from logistics.travel.network import matrix
from logistics.travel.network.cache import HierarchyCache, MatrixCache
from logistics.travel.network.closures import Closure
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.matrix import RoutingGraph
from logistics.travel.network.model import RoadNetworkModel

from .conftest import OSLO_LINES

hierarchy = pytest.importorskip("logistics.travel.network.hierarchy")

PROFILE = VehicleProfile()


def _points(graph: RoadGraph, count: int, seed: int) -> tuple[Point, ...]:
    rng = np.random.default_rng(seed)
    west, south, east, north = graph.bounding_box()
    return tuple(
        Point(f"p{i}", float(rng.uniform(west, east)), float(rng.uniform(south, north)))
        for i in range(count)
    )


def _routing(
    model: RoadNetworkModel, points: tuple[Point, ...], cache: HierarchyCache, weight: str
) -> tuple[RoutingGraph, np.ndarray]:
    snap, unreachable = model.snap(points, PROFILE)
    sites = np.array([i for i, p in enumerate(points) if p.id not in unreachable])
    network = model.profile_network(PROFILE)
    graph = model.routable_graph
    edge_weight = graph.travel_time_s if weight == "duration" else graph.length_m
    return RoutingGraph(graph, network.allowed, network.twin, edge_weight, snap, cache), sites


def _forbid_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the hierarchy was built instead of loaded")

    monkeypatch.setattr(hierarchy.ContractionHierarchy, "build", refuse)


def test_fresh_state_loads_the_stored_hierarchy_and_gives_identical_matrices(
    oslo: RoadGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix.forget_hierarchies()
    cache = HierarchyCache(tmp_path)
    model = RoadNetworkModel(oslo, snap_threshold_m=2_000)
    points = _points(oslo, 40, seed=11)
    routing, sites = _routing(model, points, cache, "duration")
    built = routing.matrix(sites, method="hierarchy")
    assert cache.contains(routing.hierarchy_key())
    assert len(list(cache.root.glob("*.npz"))) == 1

    matrix.forget_hierarchies()
    _forbid_builds(monkeypatch)
    again, _ = _routing(RoadNetworkModel(oslo, snap_threshold_m=2_000), points, cache, "duration")
    np.testing.assert_array_equal(again.matrix(sites, method="hierarchy"), built)
    # "auto" takes the stored hierarchy even for a handful of sites
    np.testing.assert_array_equal(again.matrix(sites[:4]), built[:4, :4])
    expected = again.matrix(sites, method="dijkstra")
    np.testing.assert_allclose(built, expected, rtol=0, atol=1e-6)


def test_second_process_loads_the_stored_hierarchy(oslo: RoadGraph, tmp_path: Path) -> None:
    """The model writes both hierarchies; a new process builds nothing and agrees."""
    matrix.forget_hierarchies()
    cache = HierarchyCache(tmp_path)
    points = _points(oslo, 30, seed=12)
    first = RoadNetworkModel(oslo, snap_threshold_m=2_000, hierarchy_cache=cache)
    network = first.profile_network(PROFILE)
    snap, _ = first.snap(points, PROFILE)
    sites = np.flatnonzero(snap.edge >= 0)
    graph = first.routable_graph
    keys = set()
    for weight in (graph.length_m, graph.travel_time_s):
        routing = RoutingGraph(graph, network.allowed, network.twin, weight, snap, cache)
        routing.matrix(sites, method="hierarchy")
        keys.add(routing.hierarchy_key())
    assert len(keys) == 2 and {p.stem for p in cache.root.glob("*.npz")} == keys
    expected = first.matrices(points, PROFILE)

    (tmp_path / "points.json").write_text(json.dumps([[p.id, p.lon, p.lat] for p in points]))
    script = textwrap.dedent(
        f"""
        import json
        from pathlib import Path

        import numpy as np
        from logistics.travel.network import hierarchy, matrix
        from logistics.travel.network.cache import HierarchyCache, MatrixCache
        from logistics.travel.network.model import RoadNetworkModel
        from logistics.travel.network.sources import load_network_file
        from logistics.travel.base import Point, TravelMatrices, VehicleProfile

        def refuse(*args, **kwargs):
            raise AssertionError("built instead of loaded")

        hierarchy.ContractionHierarchy.build = refuse
        matrix.HIERARCHY_MIN_SOURCES = 1
        graph = load_network_file(Path({str(OSLO_LINES)!r}), "oslo-main-roads")
        cache = HierarchyCache(Path({str(tmp_path)!r}))
        model = RoadNetworkModel(graph, snap_threshold_m=2_000, hierarchy_cache=cache)
        rows = json.loads((cache.root.parent / "points.json").read_text())
        points = tuple(Point(i, lon, lat) for i, lon, lat in rows)
        result = model.matrices(points, VehicleProfile())
        np.savez({str(tmp_path / "second.npz")!r}, d=result.distance_m, t=result.duration_s)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    with np.load(tmp_path / "second.npz") as second:
        np.testing.assert_array_equal(second["d"], expected.distance_m)
        np.testing.assert_array_equal(second["t"], expected.duration_s)


def test_a_closure_or_another_weight_gets_another_key(oslo: RoadGraph, tmp_path: Path) -> None:
    cache = HierarchyCache(tmp_path)
    points = _points(oslo, 10, seed=13)
    open_model = RoadNetworkModel(oslo, snap_threshold_m=2_000)
    duration, _ = _routing(open_model, points, cache, "duration")
    distance, _ = _routing(open_model, points, cache, "distance")
    busiest_way = int(np.bincount(oslo.way_id[oslo.way_id >= 0]).argmax())
    closed_model = RoadNetworkModel(
        oslo, snap_threshold_m=2_000, closures=(Closure(way_ids=(busiest_way,)),)
    )
    closed, _ = _routing(closed_model, points, cache, "duration")
    same, _ = _routing(RoadNetworkModel(oslo, snap_threshold_m=2_000), points, cache, "duration")
    assert same.hierarchy_key() == duration.hierarchy_key()
    assert len({duration.hierarchy_key(), distance.hierarchy_key(), closed.hierarchy_key()}) == 3


def test_a_damaged_stored_hierarchy_is_rebuilt(oslo: RoadGraph, tmp_path: Path) -> None:
    matrix.forget_hierarchies()
    cache = HierarchyCache(tmp_path)
    points = _points(oslo, 25, seed=14)
    routing, sites = _routing(
        RoadNetworkModel(oslo, snap_threshold_m=2_000), points, cache, "distance"
    )
    cache.root.mkdir(parents=True, exist_ok=True)
    cache.path(routing.hierarchy_key()).write_bytes(b"not an npz file")
    ours = routing.matrix(sites, method="hierarchy")
    np.testing.assert_allclose(ours, routing.matrix(sites, method="dijkstra"), rtol=0, atol=1e-6)
    assert cache.get(routing.hierarchy_key()) is not None  # replaced by the rebuilt one


def test_derived_caches_keep_the_recently_used_within_their_limit(tmp_path: Path) -> None:
    arrays = {"x": np.zeros(125_000)}  # 1 MB each
    tight = HierarchyCache(tmp_path, limit_mb=2.5)
    for age, key in enumerate(("old", "used", "middle")):
        tight.put(key, arrays)
        os.utime(tight.path(key), ns=(age * 10**9, age * 10**9))  # written long ago, in order
    # each write trims: the third pushed out the least recently used
    assert not tight.contains("old") and tight.contains("used") and tight.contains("middle")
    assert tight.get("used") is not None  # a read counts as a use
    matrices = MatrixCache(tmp_path, limit_mb=2.5)
    points = tuple(Point(f"p{i}", 10.0 + i / 1000, 60.0) for i in range(250))
    big = TravelMatrices(
        points=points, distance_m=np.zeros((250, 250)), duration_s=np.zeros((250, 250)),
        model="road:test", approximate=False, profile="van", unreachable={},
    )  # fmt: skip
    matrices.put("newest", big)  # about 1 MB: the folders share the limit
    assert matrices.contains("newest") and tight.contains("used")
    assert not tight.contains("middle")  # least recently used of the rest
    huge = HierarchyCache(tmp_path, limit_mb=0.5)
    huge.put("alone", arrays)  # larger than the limit on its own: kept, the rest go
    assert huge.contains("alone") and not matrices.contains("newest")
    assert not tight.contains("used")


def test_a_damaged_or_vanished_matrix_file_reads_as_absent(tmp_path: Path) -> None:
    cache = MatrixCache(tmp_path)
    points = (Point("a", 10.0, 60.0), Point("b", 10.01, 60.0))
    stored = TravelMatrices(
        points=points, distance_m=np.array([[0.0, 5.0], [6.0, 0.0]]),
        duration_s=np.array([[0.0, 1.0], [2.0, 0.0]]), model="road:test", approximate=False,
    )  # fmt: skip
    cache.put("k", stored)
    read = cache.get("k", points)
    assert read is not None and np.array_equal(read.distance_m, stored.distance_m)
    cache.path("k").write_bytes(b"torn")
    assert cache.get("k", points) is None
    cache.path("k").unlink()
    assert cache.get("k", points) is None
