"""The contraction-hierarchy matrix equals scipy's Dijkstra (real OSM data, random graphs)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from logistics.travel.base import Point, VehicleProfile
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.matrix import RoutingGraph, twin_edges
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_network_file

from .conftest import OSLO_LINES

hierarchy = pytest.importorskip("logistics.travel.network.hierarchy")

PROFILE = VehicleProfile()


def test_hierarchy_matrix_equals_dijkstra_on_oslo_with_sites_inside_edges() -> None:
    graph = load_network_file(OSLO_LINES, "oslo-main-roads")
    model = RoadNetworkModel(graph, snap_threshold_m=2_000)
    network = model.profile_network(PROFILE)
    rng = np.random.default_rng(5)
    west, south, east, north = graph.bounding_box()
    random_points = tuple(
        Point(f"p{i}", float(rng.uniform(west, east)), float(rng.uniform(south, north)))
        for i in range(120)
    )
    on_node = Point("node", float(graph.node_lon[3]), float(graph.node_lat[3]))
    twin = Point("twin", random_points[0].lon, random_points[0].lat)  # same spot twice
    points = (*random_points, on_node, twin)
    snap, unreachable = model.snap(points, PROFILE)
    sites = np.array([i for i, p in enumerate(points) if p.id not in unreachable])
    virtual = (snap.node[sites] < 0).sum()
    assert len(sites) > 80 and virtual > 80 and snap.node[len(random_points)] >= 0
    for weight in (graph.length_m, graph.travel_time_s):
        routing = RoutingGraph(graph, network.allowed, network.twin, weight, snap)
        expected = routing.matrix(sites, method="dijkstra")
        ours = routing.matrix(sites, method="hierarchy")
        np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-6)
        assert np.all(np.diag(ours) == 0) and (ours > 0).mean() > 0.9
        # a hierarchy built once is reused ("auto" picks it up for few sites too)
        np.testing.assert_allclose(routing.matrix(sites[:5]), expected[:5, :5], rtol=0, atol=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    nodes=st.integers(2, 40),
    arcs=st.lists(
        st.tuples(st.integers(0, 39), st.integers(0, 39), st.integers(0, 20)), max_size=160
    ),
)
def test_hierarchy_equals_dijkstra_on_random_graphs(
    nodes: int, arcs: list[tuple[int, int, int]]
) -> None:
    arcs = [(u % nodes, v % nodes, w) for u, v, w in arcs]
    tail = np.array([a[0] for a in arcs], dtype=np.int64)
    head = np.array([a[1] for a in arcs], dtype=np.int64)
    weight = np.array([a[2] * 0.5 for a in arcs], dtype=float)  # zero weights and ties too
    built = hierarchy.ContractionHierarchy.build(nodes, tail, head, weight, core_degree=6)
    everyone = np.arange(nodes + 1, dtype=np.int64)
    seeds = hierarchy.Seeds(everyone, everyone[:-1], np.zeros(nodes))
    ours = built.many_to_many(seeds, seeds)
    keep = tail != head
    lightest: dict[tuple[int, int], float] = {}
    for u, v, w in zip(
        tail[keep].tolist(), head[keep].tolist(), weight[keep].tolist(), strict=True
    ):
        lightest[(u, v)] = min(w, lightest.get((u, v), np.inf))
    matrix = sp.csr_matrix(
        (
            [w + 1e-300 for w in lightest.values()],  # scipy drops explicit zeros
            ([k[0] for k in lightest], [k[1] for k in lightest]),
        ),
        shape=(nodes, nodes),
    )
    expected = dijkstra(matrix, directed=True)
    np.testing.assert_array_equal(np.isinf(ours), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(ours[finite], expected[finite], rtol=0, atol=1e-9)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(share_allowed=st.floats(0.0, 1.0), seed=st.integers(0, 1000))
def test_twin_edges_pair_each_edge_with_the_first_reverse_edge_of_its_road(
    share_allowed: float, seed: int
) -> None:
    graph = _oslo()
    allowed = np.random.default_rng(seed).random(graph.edge_count) < share_allowed
    twin = twin_edges(graph, allowed)
    length_mm = np.round(graph.length_m * 1000).astype(np.int64)
    first: dict[tuple[int, int, int, int], int] = {}
    for e in np.flatnonzero(allowed).tolist():
        key = (int(graph.edge_u[e]), int(graph.edge_v[e]), int(graph.way_id[e]), int(length_mm[e]))
        first.setdefault(key, e)
    for e in range(graph.edge_count):
        reverse = (
            int(graph.edge_v[e]), int(graph.edge_u[e]), int(graph.way_id[e]), int(length_mm[e])
        )  # fmt: skip
        expected = first.get(reverse, -1) if allowed[e] else -1
        assert twin[e] == (expected if expected != e else -1)


@functools.cache
def _oslo() -> RoadGraph:
    return load_network_file(OSLO_LINES, "oslo-main-roads")
