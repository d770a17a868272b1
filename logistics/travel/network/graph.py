"""The one internal road graph every source is turned into.

A :class:`RoadGraph` is a directed multigraph held as flat numpy arrays: nodes with
WGS84 positions, directed edges with ``length_m`` (geodesic length of the edge
geometry), ``travel_time_s`` (free flow), the OSM way id, street name, road class,
vehicle restrictions and whether the edge runs in a tunnel, and the edge geometry
(flat coordinate arrays with offsets).
Arrays make the graph fast to cache (``.npz``), to mask per vehicle profile and to
turn into sparse matrices; :meth:`RoadGraph.to_networkx` gives an osmnx-style graph.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import networkx as nx
import numpy as np
import shapely

from logistics.errors import InputError, Problem
from logistics.geo import haversine_m
from logistics.travel.network.profiles import (
    HGV_ACCESS_KEYS,
    VAN_ACCESS_KEYS,
    access_allowed,
    parse_length_m,
    parse_weight_kg,
)
from logistics.travel.network.speeds import default_speed_kmh, parse_maxspeed_kmh

DRIVABLE_HIGHWAYS = frozenset(
    {
        "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
        "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
        "residential", "living_street", "service", "road",
    }
)  # fmt: skip
"""OSM ``highway`` values a motor vehicle may use (the rest: paths, tracks, construction)."""

FORMAT_VERSION = 2
"""Bumped when the arrays or their meaning change; part of every content hash."""


@dataclass(frozen=True)
class Segment:
    """A piece of road between two graph nodes, as a source reads it.

    ``coords`` is an (k, 2) lon/lat array from ``u`` to ``v``; ``tags`` are the OSM way
    tags; ``directed`` means the source already made one segment per direction.
    """

    u: int
    v: int
    coords: np.ndarray
    tags: Mapping[str, object]
    way_id: int = -1


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """Directed road graph as arrays (module docstring); edge i runs ``edge_u[i] -> edge_v[i]``."""

    name: str
    source: str
    node_id: np.ndarray
    node_lon: np.ndarray
    node_lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    length_m: np.ndarray
    speed_kmh: np.ndarray
    speed_tagged: np.ndarray
    travel_time_s: np.ndarray
    way_id: np.ndarray
    highway: np.ndarray
    street_name: np.ndarray
    maxheight_m: np.ndarray
    maxweight_kg: np.ndarray
    maxlength_m: np.ndarray
    van_access: np.ndarray
    hgv_access: np.ndarray
    tunnel: np.ndarray
    geometry_offsets: np.ndarray
    geometry_lon: np.ndarray
    geometry_lat: np.ndarray

    @property
    def node_count(self) -> int:
        return len(self.node_id)

    @property
    def edge_count(self) -> int:
        return len(self.edge_u)

    def edge_coords(self, edge: int) -> np.ndarray:
        """(k, 2) lon/lat of edge ``edge`` from its start to its end."""
        start, end = self.geometry_offsets[edge], self.geometry_offsets[edge + 1]
        return np.column_stack([self.geometry_lon[start:end], self.geometry_lat[start:end]])

    def edge_lines(self, coords: np.ndarray | None = None) -> np.ndarray:
        """Every edge as a shapely LineString, in edge order: in WGS84, or through
        ``coords``, the (k, 2) geometry vertices in another CRS (same order)."""
        counts = np.diff(self.geometry_offsets)
        index = np.repeat(np.arange(self.edge_count), counts)
        if coords is None:
            coords = np.column_stack([self.geometry_lon, self.geometry_lat])
        return shapely.linestrings(coords, indices=index)

    def bounding_box(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat)."""
        return (
            float(self.node_lon.min()), float(self.node_lat.min()),
            float(self.node_lon.max()), float(self.node_lat.max()),
        )  # fmt: skip

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("name", "source")
        }

    def content_hash(self) -> str:
        """SHA-256 of every array (not the name): equal roads give equal hashes."""
        digest = hashlib.sha256(f"road-graph-v{FORMAT_VERSION}".encode())
        for key, array in sorted(self.arrays().items()):
            digest.update(key.encode())
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()

    def with_edges(self, keep: np.ndarray) -> RoadGraph:
        """A copy holding only the edges where ``keep`` is True (nodes unchanged)."""
        kept = np.flatnonzero(keep)
        counts = np.diff(self.geometry_offsets)[kept]
        starts = self.geometry_offsets[kept]
        coord_index = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        coord_index += np.arange(counts.sum())
        per_edge = {
            name: getattr(self, name)[kept]
            for name, array in self.arrays().items()
            if len(array) == self.edge_count and name not in ("geometry_lon", "geometry_lat")
        }
        values: dict[str, object] = {**self.arrays(), **per_edge}
        values["geometry_offsets"] = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        values["geometry_lon"] = self.geometry_lon[coord_index]
        values["geometry_lat"] = self.geometry_lat[coord_index]
        return RoadGraph(name=self.name, source=self.source, **values)  # type: ignore[arg-type]

    def save(self, path: Path) -> None:
        """Write the graph to ``path`` (``.npz``, no pickles)."""
        meta = np.array(
            json.dumps({"name": self.name, "source": self.source, "version": FORMAT_VERSION})
        )
        with path.open("wb") as handle:
            np.savez(handle, meta=meta, **self.arrays())  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> RoadGraph:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta["version"] != FORMAT_VERSION:
                raise ValueError(
                    f"road graph format {meta['version']} in {path.name}, expected {FORMAT_VERSION}"
                )
            arrays = {f.name: data[f.name] for f in fields(cls) if f.name not in ("name", "source")}
        return cls(name=meta["name"], source=meta["source"], **arrays)

    def to_networkx(self) -> nx.MultiDiGraph:
        """osmnx-style MultiDiGraph: nodes with ``x``/``y``, edges with ``length`` (m),
        ``travel_time`` (s), ``speed_kph``, ``osmid``, ``highway``, ``name``, restrictions,
        ``tunnel`` and ``geometry``; ``graph["crs"]`` is EPSG:4326."""
        graph = nx.MultiDiGraph(crs="epsg:4326", name=self.name, source=self.source)
        for node, lon, lat in zip(
            self.node_id.tolist(), self.node_lon.tolist(), self.node_lat.tolist(), strict=True
        ):
            graph.add_node(node, x=lon, y=lat)
        lines = self.edge_lines()
        for i in range(self.edge_count):
            attributes: dict[str, object] = {
                "length": float(self.length_m[i]),
                "travel_time": float(self.travel_time_s[i]),
                "speed_kph": float(self.speed_kmh[i]),
                "highway": str(self.highway[i]),
                "geometry": lines[i],
            }
            if self.way_id[i] >= 0:
                attributes["osmid"] = int(self.way_id[i])
            if self.street_name[i]:
                attributes["name"] = str(self.street_name[i])
            if self.speed_tagged[i]:
                attributes["maxspeed"] = f"{self.speed_kmh[i]:g}"
            for key, array in (
                ("maxheight", self.maxheight_m),
                ("maxweight", self.maxweight_kg / 1000),
                ("maxlength", self.maxlength_m),
            ):
                if not np.isnan(array[i]):
                    attributes[key] = f"{array[i]:g}"
            if not self.van_access[i]:
                attributes["goods"] = "no"
            if not self.hgv_access[i]:
                attributes["hgv"] = "no"
            if self.tunnel[i]:
                attributes["tunnel"] = "yes"
            graph.add_edge(
                int(self.node_id[self.edge_u[i]]), int(self.node_id[self.edge_v[i]]), **attributes
            )
        return graph


def oneway_direction(tags: Mapping[str, object]) -> int:
    """+1 forward only, -1 backward only, 0 both ways (OSM ``oneway``/``junction`` rules)."""
    value = str(tags.get("oneway") or "").strip().lower()
    if value in ("yes", "true", "1"):
        return 1
    if value in ("-1", "reverse"):
        return -1
    if value in ("no", "false", "0"):
        return 0
    junction = str(tags.get("junction") or "").strip().lower()
    if junction in ("roundabout", "circular") or tags.get("highway") == "motorway":
        return 1
    return 0


def _highway(tags: Mapping[str, object]) -> str:
    value = tags.get("highway")
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value) if value is not None else ""


def _way_direction(tags: Mapping[str, object], reverse: bool) -> str:
    """``backward`` for an edge running against its OSM way's drawing direction (expanded
    in reverse here, or marked ``reversed`` by osmnx), else ``forward``."""
    marked = tags.get("reversed")
    if isinstance(marked, list | tuple):
        marked = marked[0] if marked else False
    against = reverse or str(marked).strip().lower() in ("true", "1", "yes")
    return "backward" if against else "forward"


def _in_tunnel(tags: Mapping[str, object]) -> bool:
    """Whether the OSM ``tunnel`` tag puts the road underground (a passage through a
    building is not a tunnel)."""
    value = _text(tags.get("tunnel")).strip().lower()
    return value not in ("", "no", "building_passage")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return ";".join(dict.fromkeys(_text(v) for v in value if _text(v)))
    return str(value)


def build_road_graph(
    name: str,
    source: str,
    nodes: Mapping[int, tuple[float, float]],
    segments: Iterable[Segment],
    *,
    directed: bool,
) -> RoadGraph:
    """Turn source segments into a :class:`RoadGraph`.

    Keeps drivable road classes only, expands two-way segments into both directions
    unless ``directed``, computes geodesic lengths, speeds (``maxspeed`` or the
    Norwegian default of the class) and travel times, and parses restrictions.
    Raises :class:`InputError` when no drivable road is left.
    """
    rows: list[tuple[Segment, bool]] = []
    for segment in segments:
        if _highway(segment.tags) not in DRIVABLE_HIGHWAYS or len(segment.coords) < 2:
            continue
        if directed:
            rows.append((segment, False))
            continue
        direction = oneway_direction(segment.tags)
        if direction >= 0:
            rows.append((segment, False))
        if direction <= 0:
            rows.append((segment, True))
    if not rows:
        raise InputError(
            [
                Problem(
                    source, "", "highway", "no drivable road", ", ".join(sorted(DRIVABLE_HIGHWAYS))
                )
            ]
        )

    used = sorted({s.u for s, _ in rows} | {s.v for s, _ in rows})
    node_index = {node: i for i, node in enumerate(used)}
    coords_list = [s.coords[::-1] if reverse else s.coords for s, reverse in rows]
    counts = np.array([len(c) for c in coords_list], dtype=np.int64)
    flat = np.concatenate(coords_list).astype(np.float64)
    starts = np.concatenate([[0], np.cumsum(counts)])
    step = haversine_m(flat[:-1, 0], flat[:-1, 1], flat[1:, 0], flat[1:, 1])
    step[starts[1:-1] - 1] = 0.0  # no step between the last vertex of one edge and the next edge
    cumulative = np.concatenate([[0.0], np.cumsum(step)])
    length_m = cumulative[starts[1:] - 1] - cumulative[starts[:-1]]

    tags = [s.tags for s, _ in rows]
    directions = [_way_direction(s.tags, reverse) for s, reverse in rows]
    highway = np.array([_highway(t) for t in tags], dtype=str)
    tagged = [parse_maxspeed_kmh(t.get("maxspeed")) for t in tags]
    speed_kmh = np.array(
        [
            t if t is not None else default_speed_kmh(h)
            for t, h in zip(tagged, highway.tolist(), strict=True)
        ]
    )
    return RoadGraph(
        name=name,
        source=source,
        node_id=np.array(used, dtype=np.int64),
        node_lon=np.array([nodes[n][0] for n in used], dtype=np.float64),
        node_lat=np.array([nodes[n][1] for n in used], dtype=np.float64),
        edge_u=np.array([node_index[s.v if r else s.u] for s, r in rows], dtype=np.int64),
        edge_v=np.array([node_index[s.u if r else s.v] for s, r in rows], dtype=np.int64),
        length_m=length_m,
        speed_kmh=speed_kmh,
        speed_tagged=np.array([t is not None for t in tagged]),
        travel_time_s=length_m / (speed_kmh / 3.6),
        way_id=np.array([s.way_id for s, _ in rows], dtype=np.int64),
        highway=highway,
        street_name=np.array([_text(t.get("name")) for t in tags], dtype=str),
        maxheight_m=np.array([parse_length_m(t.get("maxheight")) for t in tags]),
        maxweight_kg=np.array([parse_weight_kg(t.get("maxweight")) for t in tags]),
        maxlength_m=np.array([parse_length_m(t.get("maxlength")) for t in tags]),
        van_access=np.array(
            [access_allowed(t, VAN_ACCESS_KEYS, d) for t, d in zip(tags, directions, strict=True)]
        ),
        hgv_access=np.array(
            [access_allowed(t, HGV_ACCESS_KEYS, d) for t, d in zip(tags, directions, strict=True)]
        ),
        tunnel=np.array([_in_tunnel(t) for t in tags], dtype=bool),
        geometry_offsets=starts.astype(np.int64),
        geometry_lon=flat[:, 0].copy(),
        geometry_lat=flat[:, 1].copy(),
    )
