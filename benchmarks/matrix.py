"""Time a 500 x 500 road duration matrix: our matrix vs a networkx Dijkstra loop.

The network is GENERATED (no real OSM extract of >= 100,000 nodes is available
offline): a jittered street grid of ``--side`` x ``--side`` intersections (~76 m
blocks) with 50 km/h arterials every 10th street, 30 km/h residential streets, 10 %
one-way streets and 5 % of street blocks missing. Sites are random points near the
streets, snapped like real sites.

Prints one JSON line: nodes, edges, sites, backend, ours_s (duration matrix, one
core, COLD: snapping, routing graph and contraction hierarchy built from scratch),
ours_warm_s (the same with the hierarchy memoised, as for the next matrix on the same
network, profile and weight), scipy_s (scipy Dijkstra from every site), jit_load_s
(loading numba's compiled code once per process; the very first run compiles it),
ours_both_s (distance and duration as the model builds them), networkx_s, speedup
(networkx_s / ours_s, cold), speedup_warm, max_abs_diff_s (ours vs networkx).
``--networkx-sources K`` times networkx on K sources and scales to all sites (the
JSON says so); the default runs all of them.

    python benchmarks/matrix.py [--side 320] [--sites 500] [--networkx-sources K]
"""

from __future__ import annotations

import argparse
import json
import time

import networkx as nx
import numpy as np

from logistics.network import matrix
from logistics.network.graph import RoadGraph, Segment, build_road_graph
from logistics.network.matrix import RoutingGraph
from logistics.network.model import RoadNetworkModel
from logistics.travel.base import Point, VehicleProfile

BLOCK_DEG = 0.00068  # about 76 m of latitude at 60 N
ORIGIN = (10.0, 60.0)  # an empty spot of Norway; the network is generated, not real


def generated_grid(side: int, seed: int) -> RoadGraph:
    """A road-like generated network of ``side``**2 intersections (see module docstring)."""
    rng = np.random.default_rng(seed)
    cos_lat = np.cos(np.radians(ORIGIN[1]))
    jitter = rng.uniform(-0.2, 0.2, size=(side, side, 2)) * BLOCK_DEG
    nodes: dict[int, tuple[float, float]] = {}
    for row in range(side):
        for col in range(side):
            lon = ORIGIN[0] + (col * BLOCK_DEG + jitter[row, col, 0]) / cos_lat
            lat = ORIGIN[1] + row * BLOCK_DEG + jitter[row, col, 1]
            nodes[row * side + col] = (lon, lat)
    segments: list[Segment] = []
    way = 0
    for row in range(side):
        for col in range(side):
            here = row * side + col
            for neighbour, street in ((here + 1, row), (here + side, col)):
                if (neighbour == here + 1 and col == side - 1) or neighbour >= side * side:
                    continue
                arterial = street % 10 == 0
                if not arterial and rng.random() < 0.05:
                    continue
                tags: dict[str, object] = {"highway": "secondary" if arterial else "residential"}
                if arterial:
                    tags["maxspeed"] = "50"
                elif rng.random() < 0.10:
                    tags["oneway"] = "yes"
                way += 1
                coords = np.array([nodes[here], nodes[neighbour]])
                segments.append(Segment(here, neighbour, coords, tags, way))
    return build_road_graph(
        "generated-grid",
        "GENERATED benchmark grid (not real roads)",
        nodes,
        segments,
        directed=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=320)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--networkx-sources", type=int, default=0, help="0 = all sites")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    graph = generated_grid(args.side, args.seed)
    model = RoadNetworkModel(graph)
    profile = VehicleProfile()
    network = model.profile_network(profile)
    rng = np.random.default_rng(args.seed)
    west, south, east, north = graph.bounding_box()
    points = tuple(
        Point(f"s{i}", float(rng.uniform(west, east)), float(rng.uniform(south, north)))
        for i in range(args.sites)
    )

    started = time.perf_counter()
    jit_load_s = 0.0
    if matrix.hierarchy is not None:  # load (or, the first time, compile) the numba code
        tiny = np.array([0, 1])
        matrix.hierarchy.ContractionHierarchy.build(2, tiny, tiny[::-1], np.ones(2))
        jit_load_s = time.perf_counter() - started
    backend = "contraction hierarchy" if matrix.hierarchy is not None else "scipy dijkstra"

    def duration_matrix(method: matrix.MatrixMethod) -> tuple[RoutingGraph, np.ndarray, float]:
        started = time.perf_counter()
        snap, unreachable = model.snap(points, profile)
        sites = np.array([i for i, p in enumerate(points) if p.id not in unreachable])
        routing = RoutingGraph(graph, network.allowed, network.twin, graph.travel_time_s, snap)
        return routing, routing.matrix(sites, method), time.perf_counter() - started

    _, plain, scipy_s = duration_matrix("dijkstra")
    routing, ours, ours_s = duration_matrix("auto")
    _, warm, ours_warm_s = duration_matrix("auto")
    np.testing.assert_allclose(ours, plain, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(warm, ours)
    unreachable = model.snap(points, profile)[1]
    sites = np.array([i for i, p in enumerate(points) if p.id not in unreachable])

    matrix.forget_hierarchies()  # the model builds both weights from scratch
    started = time.perf_counter()
    both = model.matrices(points, profile)
    ours_both_s = time.perf_counter() - started
    np.testing.assert_array_equal(both.duration_s[np.ix_(sites, sites)], ours)

    reference = nx.from_scipy_sparse_array(routing.csr, create_using=nx.DiGraph)
    site_nodes = routing.site_node[sites].tolist()
    sample = len(sites) if args.networkx_sources <= 0 else min(args.networkx_sources, len(sites))
    started = time.perf_counter()
    max_diff = 0.0
    for row in range(sample):
        lengths = nx.single_source_dijkstra_path_length(reference, site_nodes[row], weight="weight")
        expected = np.array([lengths.get(node, np.inf) for node in site_nodes])
        max_diff = max(max_diff, float(np.max(np.abs(expected - ours[row]))))
    networkx_s = (time.perf_counter() - started) * len(sites) / sample
    print(json.dumps({
        "network": "GENERATED road-like grid",
        "nodes": graph.node_count,
        "edges": graph.edge_count,
        "largest_strong_component_nodes": network.component_size,
        "sites": len(sites),
        "backend": backend,
        "ours_s": round(ours_s, 3),
        "ours_warm_s": round(ours_warm_s, 3),
        "scipy_s": round(scipy_s, 3),
        "jit_load_s": round(jit_load_s, 3),
        "ours_both_s": round(ours_both_s, 3),
        "networkx_s": round(networkx_s, 3),
        "networkx_extrapolated_from_sources": None if sample == len(sites) else sample,
        "speedup": round(networkx_s / ours_s, 1),
        "speedup_warm": round(networkx_s / ours_warm_s, 1),
        "speedup_scipy": round(networkx_s / scipy_s, 1),
        "max_abs_diff_s": max_diff,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
