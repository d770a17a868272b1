"""Directed shortest-path matrices between snapped sites (scipy.sparse.csgraph Dijkstra).

A site inside an edge becomes a virtual node: it leaves forward along its edge (and
backward when the road is two-way) and is reached from the edge's start (or, two-way,
from its end), each arc weighted by the share of the edge it covers. Sites on a node
are that node. Every arc remembers the stretch of an edge it covers, so the road
geometry of any leg can be rebuilt (:meth:`RoutingGraph.leg_coords`).

Matrices for many sites use a contraction hierarchy of the road part of the graph
(:mod:`logistics.travel.network.hierarchy`, needs numba), memoised per graph content, and
stored on disk when a :class:`~logistics.travel.network.cache.HierarchyCache` is given, so
that the next matrix on the same roads, profile and weight (in this process or a later
one) skips the build; the sites join it as start and end distances. Without numba, or
for few sites on a graph not yet contracted, scipy's Dijkstra runs from every site.
Both give the same lengths.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components, dijkstra
from shapely.ops import substring

from logistics.travel.network.cache import HierarchyCache
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.snapping import Snap

try:
    from logistics.travel.network import hierarchy
except ImportError:  # numba missing: scipy Dijkstra only
    hierarchy = None  # type: ignore[assignment]

HIERARCHY_FORMAT = hierarchy.FORMAT if hierarchy is not None else "none"

MATRIX_CELLS_PER_CHUNK = 20_000_000
"""Dijkstra runs on chunks of sources so that one chunk holds at most this many
float64 distances (160 MB)."""

HIERARCHY_MIN_SOURCES = 200
"""From this many distinct sites on, a matrix builds a contraction hierarchy (the build
costs about as much as 100 to 200 Dijkstra runs on the whole graph); below it, a
hierarchy is used only when one is already memoised or stored on disk for the graph."""

HIERARCHIES_KEPT = 4
"""Contraction hierarchies memoised in this process (one per roads + profile + weight)."""

_hierarchies: OrderedDict[str, hierarchy.ContractionHierarchy] = OrderedDict()

MatrixMethod = Literal["auto", "hierarchy", "dijkstra"]


def forget_hierarchies() -> None:
    """Drop the memoised contraction hierarchies (the next matrix builds afresh)."""
    _hierarchies.clear()


def twin_edges(graph: RoadGraph, allowed: np.ndarray) -> np.ndarray:
    """For each edge, the allowed edge running the other way over the same road (same way,
    equal length to 1 mm; the first such edge), or -1. Sites on an edge also sit on its
    twin."""
    edges = np.flatnonzero(allowed)
    u, v = graph.edge_u[edges], graph.edge_v[edges]
    way, length_mm = graph.way_id[edges], np.round(graph.length_m[edges] * 1000).astype(np.int64)
    # one group id per (from, to, way, length): the edges' own keys, then the keys of the
    # edges they would twin with
    columns = [
        np.concatenate([a, b]) for a, b in ((u, v), (v, u), (way, way), (length_mm, length_mm))
    ]
    order = np.lexsort(columns[::-1])
    changed = np.zeros(len(order), dtype=bool)
    if len(order):
        changed[0] = True
        for column in columns:
            changed[1:] |= column[order][1:] != column[order][:-1]
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(changed) - 1
    own, wanted = group[: len(edges)], group[len(edges) :]
    first = np.full(int(changed.sum()), graph.edge_count, dtype=np.int64)
    np.minimum.at(first, own, edges)
    other = first[wanted]
    twin = np.full(graph.edge_count, -1, dtype=np.int64)
    found = (other < graph.edge_count) & (other != edges)
    twin[edges[found]] = other[found]
    return twin


def largest_strong_component(graph: RoadGraph, allowed: np.ndarray) -> np.ndarray:
    """Boolean node mask of the largest strongly connected component over allowed edges."""
    n = graph.node_count
    adjacency = sp.csr_matrix(
        (np.ones(int(allowed.sum())), (graph.edge_u[allowed], graph.edge_v[allowed])), shape=(n, n)
    )
    _, labels = connected_components(adjacency, directed=True, connection="strong")
    sizes = np.bincount(labels)
    return labels == int(np.argmax(sizes))


@dataclass(frozen=True)
class Arcs:
    """Directed arcs: ``tail -> head`` with ``weight``, covering edge ``edge`` from
    fraction ``start`` to ``end`` of its geometry."""

    tail: np.ndarray
    head: np.ndarray
    weight: np.ndarray
    edge: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @staticmethod
    def concat(parts: list[Arcs]) -> Arcs:
        return Arcs(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Arcs.__dataclass_fields__)
        )


def _site_arcs(
    graph: RoadGraph,
    edge_weight: np.ndarray,
    twin: np.ndarray,
    snap: Snap,
    virtual: np.ndarray,
    first_virtual: int,
) -> Arcs:
    """Arcs joining every virtual site node to its edge (and its twin) and to the other
    sites on the same edge."""
    tails: list[int] = []
    heads: list[int] = []
    weights: list[float] = []
    edges: list[int] = []
    starts: list[float] = []
    ends: list[float] = []

    def arc(tail: int, head: int, edge: int, start: float, end: float) -> None:
        tails.append(tail)
        heads.append(head)
        weights.append((end - start) * float(edge_weight[edge]))
        edges.append(edge)
        starts.append(start)
        ends.append(end)

    by_edge: dict[int, list[tuple[float, int]]] = {}
    for k, site in enumerate(virtual.tolist()):
        node = first_virtual + k
        e, t = int(snap.edge[site]), float(snap.fraction[site])
        u, v, back = int(graph.edge_u[e]), int(graph.edge_v[e]), int(twin[e])
        arc(node, v, e, t, 1.0)
        arc(u, node, e, 0.0, t)
        if back >= 0:
            arc(node, u, back, 1.0 - t, 1.0)
            arc(v, node, back, 0.0, 1.0 - t)
        by_edge.setdefault(e, []).append((t, node))
    for e, on_edge in by_edge.items():
        back = int(twin[e])
        for t_from, a in on_edge:
            for t_to, b in on_edge:
                if a != b and t_from <= t_to:
                    arc(a, b, e, t_from, t_to)
                    if back >= 0:
                        arc(b, a, back, 1.0 - t_to, 1.0 - t_from)
    return Arcs(
        np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64), np.array(weights),
        np.array(edges, dtype=np.int64), np.array(starts), np.array(ends),
    )  # fmt: skip


class RoutingGraph:
    """The allowed edges of one profile plus virtual site nodes, as CSR matrices of
    one weight (``length_m`` or ``travel_time_s``). ``hierarchy_cache`` stores the
    contraction hierarchy of the road arcs on disk (none: memoised in this process only)."""

    def __init__(
        self,
        graph: RoadGraph,
        allowed: np.ndarray,
        twin: np.ndarray,
        edge_weight: np.ndarray,
        snap: Snap,
        hierarchy_cache: HierarchyCache | None = None,
    ):
        self.graph = graph
        self.hierarchy_cache = hierarchy_cache
        self.edge_weight = edge_weight
        n = graph.node_count
        virtual = np.flatnonzero((snap.node < 0) & (snap.edge >= 0))
        self.site_node = snap.node.copy()
        self.site_node[virtual] = n + np.arange(len(virtual))
        self.node_count = n + len(virtual)
        kept = np.flatnonzero(allowed)
        base = Arcs(
            graph.edge_u[kept], graph.edge_v[kept], edge_weight[kept], kept,
            np.zeros(len(kept)), np.ones(len(kept)),
        )  # fmt: skip
        arcs = Arcs.concat([base, _site_arcs(graph, edge_weight, twin, snap, virtual, n)])
        # keep the lightest arc between each pair of nodes (parallel edges)
        order = np.lexsort((arcs.weight, arcs.head, arcs.tail))
        tail, head = arcs.tail[order], arcs.head[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
        chosen = order[first]
        self.arcs = Arcs(*(getattr(arcs, f)[chosen] for f in Arcs.__dataclass_fields__))
        indptr = np.concatenate(
            [[0], np.cumsum(np.bincount(self.arcs.tail, minlength=self.node_count))]
        )
        self.csr = sp.csr_matrix(
            (self.arcs.weight, self.arcs.head, indptr), shape=(self.node_count, self.node_count)
        )
        self._key: str | None = None

    def matrix(self, sites: np.ndarray, method: MatrixMethod = "auto") -> np.ndarray:
        """Shortest-path weights between ``sites`` (indices into the snap), row = from,
        inf when unreachable. ``method`` picks the contraction hierarchy or a Dijkstra
        from every site; ``auto`` takes the hierarchy when numba is installed and the
        hierarchy is memoised or on disk or there are :data:`HIERARCHY_MIN_SOURCES` sites
        or more."""
        nodes = self.site_node[sites]
        unique, position = np.unique(nodes, return_inverse=True)
        if method == "auto":
            use_hierarchy = hierarchy is not None and (
                len(unique) >= HIERARCHY_MIN_SOURCES or self._hierarchy_ready()
            )
        else:
            use_hierarchy = method == "hierarchy"
        if use_hierarchy:
            return self._hierarchy_matrix(unique)[np.ix_(position, position)]
        result = np.empty((len(sites), len(sites)))
        chunk = max(1, MATRIX_CELLS_PER_CHUNK // self.node_count)
        for start in range(0, len(unique), chunk):
            block = dijkstra(self.csr, directed=True, indices=unique[start : start + chunk])
            rows = np.flatnonzero((position >= start) & (position < start + chunk))
            result[rows] = block[position[rows] - start][:, nodes]
        return result

    def _road_arcs(self) -> np.ndarray:
        """Indices of the arcs between graph nodes (not touching a site)."""
        n = self.graph.node_count
        return np.flatnonzero((self.arcs.tail < n) & (self.arcs.head < n))

    def hierarchy_key(self) -> str:
        """Content hash of the road arcs (network after closures, profile, weight) and of
        the hierarchy format: the key of the memoised and stored contraction hierarchy."""
        if self._key is None:
            road = self._road_arcs()
            digest = hashlib.sha256(f"{HIERARCHY_FORMAT}|{self.graph.node_count}".encode())
            for values in (self.arcs.tail[road], self.arcs.head[road], self.arcs.weight[road]):
                digest.update(np.ascontiguousarray(values).tobytes())
            self._key = digest.hexdigest()
        return self._key

    def _hierarchy_ready(self) -> bool:
        """Whether the hierarchy is memoised in this process or stored on disk."""
        key = self.hierarchy_key()
        return key in _hierarchies or (
            self.hierarchy_cache is not None and self.hierarchy_cache.contains(key)
        )

    def road_hierarchy(self) -> hierarchy.ContractionHierarchy:
        """The contraction hierarchy of the road arcs: memoised, else loaded from the
        disk cache, else built (and stored)."""
        if hierarchy is None:
            raise RuntimeError("contraction hierarchies need numba")
        key = self.hierarchy_key()
        if key in _hierarchies:
            _hierarchies.move_to_end(key)
            return _hierarchies[key]
        built = self._stored_hierarchy(key)
        if built is None:
            road = self._road_arcs()
            built = hierarchy.ContractionHierarchy.build(
                self.graph.node_count, self.arcs.tail[road], self.arcs.head[road],
                self.arcs.weight[road],
            )  # fmt: skip
            if self.hierarchy_cache is not None:
                self.hierarchy_cache.put(key, built.arrays())
        _hierarchies[key] = built
        while len(_hierarchies) > HIERARCHIES_KEPT:
            _hierarchies.popitem(last=False)
        return built

    def _stored_hierarchy(self, key: str) -> hierarchy.ContractionHierarchy | None:
        """The hierarchy in the disk cache (None when absent or unreadable)."""
        assert hierarchy is not None
        arrays = self.hierarchy_cache.get(key) if self.hierarchy_cache is not None else None
        if arrays is None:
            return None
        try:
            return hierarchy.ContractionHierarchy.from_arrays(arrays)
        except (KeyError, ValueError):
            return None

    def _hierarchy_matrix(self, nodes: np.ndarray) -> np.ndarray:
        """Matrix between distinct routing nodes ``nodes`` through the road hierarchy: a
        site inside an edge starts (ends) at the ends of its edge, at the weight of the
        part of the edge between them; sites on one edge also reach each other directly."""
        assert hierarchy is not None
        n = self.graph.node_count
        csc = self.csr.tocsc()
        leaving, arriving = [], []
        for node in nodes.tolist():
            if node < n:
                leaving.append((np.array([node]), np.zeros(1)))
                arriving.append((np.array([node]), np.zeros(1)))
                continue
            lo, hi = self.csr.indptr[node], self.csr.indptr[node + 1]
            heads, weights = self.csr.indices[lo:hi], self.csr.data[lo:hi]
            leaving.append((heads[heads < n], weights[heads < n]))
            lo, hi = csc.indptr[node], csc.indptr[node + 1]
            tails, weights = csc.indices[lo:hi], csc.data[lo:hi]
            arriving.append((tails[tails < n], weights[tails < n]))
        result = self.road_hierarchy().many_to_many(_seeds(leaving), _seeds(arriving))
        # sites on the same edge: the direct arcs between them
        index = np.full(self.node_count, -1, dtype=np.int64)
        index[nodes] = np.arange(len(nodes))
        coo = self.csr.tocoo()
        direct = (coo.row >= n) & (coo.col >= n) & (index[coo.row] >= 0) & (index[coo.col] >= 0)
        rows, cols = index[coo.row[direct]], index[coo.col[direct]]
        result[rows, cols] = np.minimum(result[rows, cols], coo.data[direct])
        np.fill_diagonal(result, 0.0)
        return result

    def leg_coords(self, from_site: int, to_site: int) -> np.ndarray | None:
        """(k, 2) lon/lat of the lightest path between two snapped sites (None if unreachable)."""
        source, target = int(self.site_node[from_site]), int(self.site_node[to_site])
        _, predecessors = dijkstra(
            self.csr, directed=True, indices=source, return_predecessors=True
        )
        if source != target and predecessors[target] < 0:
            return None
        path = [target]
        while path[-1] != source:
            path.append(int(predecessors[path[-1]]))
        path.reverse()
        pieces: list[np.ndarray] = []
        for tail, head in itertools.pairwise(path):
            lo, hi = self.csr.indptr[tail], self.csr.indptr[tail + 1]
            arc = lo + int(np.flatnonzero(self.csr.indices[lo:hi] == head)[0])
            line = shapely.linestrings(self.graph.edge_coords(int(self.arcs.edge[arc])))
            start, end = float(self.arcs.start[arc]), float(self.arcs.end[arc])
            if (start, end) != (0.0, 1.0):
                line = substring(line, start, end, normalized=True)
            pieces.append(np.asarray(line.coords) if not line.is_empty else np.empty((0, 2)))
        return np.concatenate(pieces) if pieces else np.empty((0, 2))


def _seeds(starts: list[tuple[np.ndarray, np.ndarray]]) -> hierarchy.Seeds:
    """Search starts (nodes, initial weights), one search per list entry."""
    assert hierarchy is not None
    counts = np.array([len(nodes) for nodes, _ in starts], dtype=np.int64)
    return hierarchy.Seeds(
        np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        np.concatenate([nodes for nodes, _ in starts]).astype(np.int64),
        np.concatenate([weights for _, weights in starts]).astype(np.float64),
    )
