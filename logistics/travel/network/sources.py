"""Road network sources, all turned into one :class:`~logistics.travel.network.graph.RoadGraph`.

* :func:`download` - a place name, bounding box or polygon through osmnx (Overpass);
* :func:`load_osm_xml` - OSM XML (``.osm``, ``.osm.bz2``) through osmnx;
* :func:`load_pbf` - OSM PBF through pyrosm;
* :func:`load_graphml` - GraphML (osmnx or :meth:`RoadGraph.to_networkx` output);
* :func:`load_lines` - road LineStrings with OSM-style tags in GeoJSON or GeoPackage.

:func:`load_network_file` picks the reader by file name. osmnx graphs are simplified
only between edges with equal way id, class, speed and restrictions, so every edge
keeps one set of tags.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TypedDict

import geopandas as gpd
import networkx as nx
import numpy as np
import osmnx as ox
from shapely.geometry.base import BaseGeometry

from logistics.errors import InputError, Problem
from logistics.io.tables import existing_file
from logistics.travel.network.graph import DRIVABLE_HIGHWAYS, RoadGraph, Segment, build_road_graph
from logistics.travel.network.profiles import RESTRICTION_TAGS

WAY_TAGS = (
    "highway", "name", "maxspeed", "oneway", "junction", "ref", "tunnel", *RESTRICTION_TAGS
)
"""OSM way tags the graph is built from."""

SIMPLIFY_KEEP_APART = ("osmid", *WAY_TAGS)
"""Edges merged by osmnx simplification must agree on these attributes."""

COORDINATE_DECIMALS = 7
"""Line vertices closer than 1e-7 degrees (about 1 cm) are the same node."""

LINE_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
XML_SUFFIXES = (".osm", ".osm.bz2", ".xml")


@contextlib.contextmanager
def _osmnx_way_tags() -> Iterator[None]:
    """Make osmnx keep the restriction tags while it builds a graph."""
    saved = ox.settings.useful_tags_way
    ox.settings.useful_tags_way = sorted({*saved, *WAY_TAGS})
    try:
        yield
    finally:
        ox.settings.useful_tags_way = saved


def _way_id(value: object) -> int:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return -1
    text = str(value).rsplit("/", 1)[-1]
    return int(text) if text.lstrip("-").isdigit() else -1


def from_osmnx_graph(graph: nx.MultiDiGraph, name: str, source: str) -> RoadGraph:
    """Convert a directed osmnx graph (WGS84, ``x``/``y`` on nodes) into a RoadGraph."""
    crs = str(graph.graph.get("crs", "epsg:4326")).lower()
    if crs not in ("epsg:4326", "wgs84"):
        graph = ox.projection.project_graph(graph, to_latlong=True)
    nodes = {int(n): (float(d["x"]), float(d["y"])) for n, d in graph.nodes(data=True)}

    def segments() -> Iterator[Segment]:
        for u, v, data in graph.edges(data=True):
            start, end = nodes[int(u)], nodes[int(v)]
            geometry = data.get("geometry")
            coords = np.asarray(geometry.coords) if geometry is not None else np.array([start, end])
            if np.hypot(*(coords[0] - start)) > np.hypot(*(coords[-1] - start)):
                coords = coords[::-1]
            yield Segment(int(u), int(v), coords, data, _way_id(data.get("osmid")))

    return build_road_graph(name, source, nodes, segments(), directed=True)


def _simplified(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    drivable = [
        (u, v, k) for u, v, k, highway in graph.edges(keys=True, data="highway")
        if (highway[0] if isinstance(highway, list) else highway) in DRIVABLE_HIGHWAYS
    ]  # fmt: skip
    graph = graph.edge_subgraph(drivable).copy()
    if graph.graph.get("simplified"):
        return graph
    return ox.simplify_graph(graph, edge_attrs_differ=SIMPLIFY_KEEP_APART)


class _GraphOptions(TypedDict):
    """The osmnx graph options of a download: drivable ways, unsimplified, every
    component, ways crossing the boundary kept whole."""

    network_type: str
    simplify: bool
    retain_all: bool
    truncate_by_edge: bool


def download(
    name: str,
    *,
    place: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    polygon: BaseGeometry | None = None,
) -> RoadGraph:
    """Download the drivable OSM network of a place, a (west, south, east, north) bbox or a
    WGS84 polygon through osmnx and Overpass (``ox.settings.overpass_url``)."""
    if sum(x is not None for x in (place, bbox, polygon)) != 1:
        raise ValueError("give exactly one of place, bbox or polygon")
    options = _GraphOptions(network_type="drive", simplify=False, retain_all=True,
                            truncate_by_edge=True)
    with _osmnx_way_tags():
        if place is not None:
            graph, source = (
                ox.graph_from_place(place, **options),
                f"OpenStreetMap via Overpass: place {place!r}",
            )
        elif bbox is not None:
            graph, source = (
                ox.graph_from_bbox(bbox, **options),
                f"OpenStreetMap via Overpass: bbox {list(bbox)}",
            )
        else:
            assert polygon is not None
            graph, source = (
                ox.graph_from_polygon(polygon, **options),
                "OpenStreetMap via Overpass: polygon",
            )
    return from_osmnx_graph(_simplified(graph), name, f"{source} (ODbL)")


def load_osm_xml(path: Path, name: str) -> RoadGraph:
    """Read OSM XML (``.osm`` or ``.osm.bz2``)."""
    with _osmnx_way_tags():
        graph = ox.graph_from_xml(path, simplify=False, retain_all=True)
    return from_osmnx_graph(_simplified(graph), name, f"OpenStreetMap XML {path.name}")


def load_graphml(path: Path, name: str) -> RoadGraph:
    """Read a GraphML road graph (osmnx conventions)."""
    graph = ox.load_graphml(path)
    return from_osmnx_graph(graph, name, f"GraphML {path.name}")


def _clean_tags(row: Mapping[str, object]) -> dict[str, object]:
    return {
        str(k): v for k, v in row.items()
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and k != "geometry"
    }  # fmt: skip


def load_pbf(path: Path, name: str) -> RoadGraph:
    """Read OSM PBF with pyrosm (its ``driving`` network, restriction tags kept)."""
    import pyrosm

    extra = [t for t in WAY_TAGS if t not in ("highway", "name", "maxspeed", "oneway")]
    osm = pyrosm.OSM(str(path))
    result = osm.get_network(network_type="driving", nodes=True, extra_attributes=extra)
    if result is None:
        raise InputError(
            [Problem(str(path), "", "highway", "no drivable road", "an OSM extract with roads")]
        )
    node_frame, edge_frame = result
    nodes = {
        int(i): (float(x), float(y))
        for i, x, y in zip(node_frame["id"], node_frame["lon"], node_frame["lat"], strict=True)
    }

    def segments() -> Iterator[Segment]:
        for row in edge_frame.to_dict("records"):
            tags = _clean_tags(row)
            extra_tags = tags.pop("tags", None)
            if isinstance(extra_tags, str):
                tags = {**json.loads(extra_tags), **tags}
            coords = np.asarray(row["geometry"].coords)
            u, v = int(row["u"]), int(row["v"])
            if np.hypot(*(coords[0] - nodes[u])) > np.hypot(*(coords[-1] - nodes[u])):
                coords = coords[::-1]
            yield Segment(u, v, coords, tags, _way_id(row.get("id")))

    return build_road_graph(
        name, f"OpenStreetMap PBF {path.name}", nodes, segments(), directed=False
    )


def load_lines(path: Path, name: str) -> RoadGraph:
    """Read road LineStrings with OSM tags (``highway``, ``maxspeed``, ``oneway``, ...).

    Lines are split into edges at every vertex they share with another line (or
    themselves) and at their ends; the way id comes from ``@id``/``id``/``osmid``.
    """
    frame = gpd.read_file(path)
    problems = []
    if frame.crs is None or not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    if "highway" not in frame.columns:
        problems.append(
            Problem(str(path), "", "highway", "missing column", "OSM highway tag on every line")
        )
    wrong = frame.geometry.geom_type[
        ~frame.geometry.geom_type.isin(["LineString", "MultiLineString"])
    ]
    for index, kind in wrong.items():
        problems.append(
            Problem(
                str(path), f"feature {index}", "geometry", kind, "LineString or MultiLineString"
            )
        )
    if problems:
        raise InputError(problems)
    frame = frame.explode(index_parts=False).reset_index(drop=True)
    id_column = next((c for c in ("@id", "osmid", "osm_id", "id") if c in frame.columns), None)
    lines = [np.asarray(g.coords)[:, :2] for g in frame.geometry]
    flat = np.concatenate(lines)
    keys = np.round(flat * 10**COORDINATE_DECIMALS).astype(np.int64)
    unique, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    ends = np.cumsum([len(c) for c in lines])
    is_node = counts[inverse] > 1
    is_node[ends - 1] = True
    is_node[np.concatenate([[0], ends[:-1]])] = True
    node_positions = unique / 10**COORDINATE_DECIMALS
    nodes = {
        int(i): (float(node_positions[i, 0]), float(node_positions[i, 1]))
        for i in np.unique(inverse[is_node])
    }
    records = frame.drop(columns="geometry").to_dict("records")

    def segments() -> Iterator[Segment]:
        start = 0
        for coords, row, end in zip(lines, records, ends, strict=True):
            tags = _clean_tags(row)
            way = _way_id(row.get(id_column)) if id_column else -1
            cuts = np.flatnonzero(is_node[start:end])
            for a, b in itertools.pairwise(cuts.tolist()):
                yield Segment(
                    int(inverse[start + a]), int(inverse[start + b]), coords[a : b + 1], tags, way
                )
            start = end

    return build_road_graph(name, f"road lines {path.name}", nodes, segments(), directed=False)


def load_network_file(path: Path, name: str) -> RoadGraph:
    """Read a road network file, choosing the reader by its name. A file its reader
    cannot parse (garbage, truncated, another format) is an input problem."""
    existing_file(path)
    lower = path.name.lower()
    readers = (((".osm.pbf", ".pbf"), load_pbf, "OSM PBF"),
               (XML_SUFFIXES, load_osm_xml, "OSM XML"),
               ((".graphml",), load_graphml, "GraphML"),
               (LINE_SUFFIXES, load_lines, "road lines (GeoJSON or GeoPackage)"))
    for suffixes, reader, kind in readers:
        if lower.endswith(suffixes):
            try:
                return reader(path, name)
            except InputError:
                raise
            except Exception as error:  # each parser has its own exception types
                detail = (str(error).splitlines() or [""])[0][:200]
                raise InputError([Problem(str(path), "", "content",
                                          f"{type(error).__name__}: {detail}",
                                          f"a readable {kind} file")]) from None
    allowed = ", ".join(s for suffixes, _, _ in readers for s in suffixes)
    raise InputError([Problem(str(path), "", "file type", path.suffix or "none", allowed)])
