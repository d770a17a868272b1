"""Snapping sites to the nearest drivable edge, in a projected CRS derived from the data.

A site joins the roads where a vehicle can stop at it: never on an edge in a tunnel or
on a motorway (a school above a tunnel is reached from the street, not from the
tunnel under it), though routes still run through both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely

from logistics.travel.network.graph import RoadGraph

NODE_TOLERANCE_M = 1.0
"""A site that joins its edge within this distance of an edge end sits on that node: it
leaves and arrives by every edge of the node its vehicle may use, not only the one it
snapped to."""

NO_ENTRY_HIGHWAYS = frozenset({"motorway", "motorway_link"})
"""Road classes a site never joins (besides tunnels)."""


def site_entry_edges(graph: RoadGraph) -> np.ndarray:
    """Boolean edge mask: where a site may join the roads (not in a tunnel, not a
    motorway)."""
    return ~graph.tunnel & ~np.isin(graph.highway, list(NO_ENTRY_HIGHWAYS))


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 UTM zone of a point (with Norway's zone 32V exception)."""
    zone = int((lon + 180.0) // 6.0) + 1
    if 56.0 <= lat < 64.0 and 3.0 <= lon < 12.0:
        zone = 32
    return (32600 if lat >= 0 else 32700) + min(max(zone, 1), 60)


@dataclass(frozen=True)
class Snap:
    """Where sites meet the road: edge index, fraction of the edge from its start (0..1),
    the node index when the site joins its edge within :data:`NODE_TOLERANCE_M` of an
    end (else -1) and the snap distance (m)."""

    edge: np.ndarray
    fraction: np.ndarray
    node: np.ndarray
    distance_m: np.ndarray


class MetricEdges:
    """Every edge of a graph as a LineString in metres, in the WGS84 UTM zone of the
    graph's median node, and the edges sites may join (built once per graph; snappers
    share it)."""

    def __init__(self, graph: RoadGraph):
        self.graph = graph
        self.entry = site_entry_edges(graph)
        center_lon, center_lat = np.median(graph.node_lon), np.median(graph.node_lat)
        self.epsg = utm_epsg(float(center_lon), float(center_lat))
        self._to_metric = pyproj.Transformer.from_crs(4326, self.epsg, always_xy=True)
        self.lines = graph.edge_lines(self.project(graph.geometry_lon, graph.geometry_lat))

    def project(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """(k, 2) x/y in metres of WGS84 ``lon``/``lat``."""
        x, y = self._to_metric.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.column_stack([x, y])


class EdgeSnapper:
    """Nearest-edge search over the entry edges (:func:`site_entry_edges`) among
    ``edges`` of a graph (STRtree in UTM metres)."""

    def __init__(self, metric: MetricEdges, edges: np.ndarray):
        self.metric = metric
        self.graph = metric.graph
        edges = np.asarray(edges, dtype=np.int64)
        self.edges = edges[metric.entry[edges]]
        self.lines_m = metric.lines[self.edges]
        self.tree = shapely.STRtree(self.lines_m)

    def snap(self, lon: np.ndarray, lat: np.ndarray) -> Snap:
        """Nearest edge of every site; distance NaN and edge -1 when there are no edges."""
        count = len(lon)
        edge = np.full(count, -1, dtype=np.int64)
        fraction = np.zeros(count)
        node = np.full(count, -1, dtype=np.int64)
        distance = np.full(count, np.nan)
        if count == 0 or len(self.edges) == 0:
            return Snap(edge, fraction, node, distance)
        points = shapely.points(self.metric.project(lon, lat))
        (site_index, tree_index), found = self.tree.query_nearest(
            points, return_distance=True, all_matches=False
        )
        lines = self.lines_m[tree_index]
        edges = self.edges[tree_index]
        along = shapely.line_locate_point(lines, points[site_index], normalized=True)
        edge[site_index] = edges
        fraction[site_index] = along
        distance[site_index] = found
        from_start_m = along * self.graph.length_m[edges]
        from_end_m = self.graph.length_m[edges] - from_start_m
        at_start = (from_start_m <= NODE_TOLERANCE_M) & (from_start_m <= from_end_m)
        at_end = ~at_start & (from_end_m <= NODE_TOLERANCE_M)
        node[site_index[at_start]] = self.graph.edge_u[edges[at_start]]
        node[site_index[at_end]] = self.graph.edge_v[edges[at_end]]
        return Snap(edge, fraction, node, distance)
