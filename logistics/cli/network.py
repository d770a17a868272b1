"""``logistics network fetch | import | info | export | matrix``: road networks from the shell.

Networks are cached under ``$LOGISTICS_CACHE_DIR`` (default ``~/.cache/bergen-logistics``).
Bad input exits with code 2 and lists every problem.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Annotated, TypedDict

import numpy as np
import typer
from rich.table import Table

from logistics.cli.common import console, guarded, out
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import existing_file
from logistics.paths import file_sha256
from logistics.travel.base import Point
from logistics.travel.network.cache import NetworkStore
from logistics.travel.network.graph import FORMAT_VERSION, RoadGraph
from logistics.travel.network.model import DEFAULT_SNAP_THRESHOLD_M, RoadNetworkModel
from logistics.travel.network.profiles import STANDARD_PROFILES

network_app = typer.Typer(
    help="Road networks: fetch, import, info, export, matrix.", no_args_is_help=True
)


def _store_and_report(graph: RoadGraph, source_key: str) -> None:
    content = NetworkStore().save(graph, source_key)
    console.print(
        f"network '{graph.name}': {graph.node_count} nodes, {graph.edge_count} edges"
        f" from {graph.source}"
    )
    console.print(f"cached as {content[:16]}")


def _parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise InputError(
            [Problem("--bbox", "", "bbox", text, "WEST,SOUTH,EAST,NORTH in degrees")]
        ) from None
    if not (west < east and south < north):
        raise InputError([Problem("--bbox", "", "bbox", text, "west < east and south < north")])
    return west, south, east, north


@network_app.command()
def fetch(
    name: Annotated[str, typer.Option(help="Name to cache the network under")],
    place: Annotated[str | None, typer.Option(help="Place name, e.g. 'Bergen, Norway'")] = None,
    bbox: Annotated[str | None, typer.Option(help="WEST,SOUTH,EAST,NORTH in degrees")] = None,
    polygon: Annotated[
        Path | None, typer.Option(help="GeoJSON/GPKG file with the area polygon")
    ] = None,
) -> None:
    """Download the drivable OpenStreetMap network through osmnx (Overpass) and cache it."""

    def action() -> None:
        import geopandas as gpd

        from logistics.travel.network.sources import download

        given = [x for x in (place, bbox, polygon) if x is not None]
        if len(given) != 1:
            raise InputError(
                [
                    Problem(
                        "fetch",
                        "",
                        "area",
                        f"{len(given)} areas",
                        "exactly one of --place, --bbox, --polygon",
                    )
                ]
            )
        if place is not None:
            graph, key = download(name, place=place), f"place:{place}"
        elif bbox is not None:
            graph, key = download(name, bbox=_parse_bbox(bbox)), f"bbox:{bbox}"
        else:
            assert polygon is not None
            area = gpd.read_file(polygon).to_crs(4326).union_all()
            graph, key = download(name, polygon=area), f"polygon:{file_sha256(polygon)}"
        _store_and_report(graph, f"{key}:v{FORMAT_VERSION}:{graph.content_hash()}")

    guarded(action)


@network_app.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(help=".osm/.osm.bz2/.osm.pbf/.graphml/.geojson/.gpkg road file")
    ],
    name: Annotated[str, typer.Option(help="Name to cache the network under")],
) -> None:
    """Build a routable network from a file and cache it (a file imported before is reused)."""

    def action() -> None:
        from logistics.travel.network.sources import load_network_file

        key = f"file:{file_sha256(existing_file(file))}:v{FORMAT_VERSION}"
        store = NetworkStore()
        graph = store.find_source(key, name) or load_network_file(file, name)
        _store_and_report(graph, key)

    guarded(action)


class NetworkInfo(TypedDict):
    """``logistics network info --json``."""

    name: str
    source: str
    content_hash: str
    nodes: int
    edges: int
    bbox: list[float]
    edge_length_km: float
    tagged_speed_share: float
    largest_strong_component_nodes: int
    largest_strong_component_share: float


class SnappedSite(TypedDict):
    """A site of ``logistics network matrix --json``: where it snapped to the network."""

    id: str
    lon: float
    lat: float
    snapped_node: int | None
    snapped_way: int | None
    snap_distance_m: float | None
    unreachable: str | None


class MatrixReport(TypedDict):
    """``logistics network matrix --json``: the sites and both matrices (null: no path)."""

    model: str
    network_source: str
    profile: str
    sites: list[SnappedSite]
    distance_m: list[list[float | None]]
    duration_s: list[list[float | None]]


def network_info(graph: RoadGraph) -> NetworkInfo:
    """Summary of a network: size, area, share of tagged speeds, largest strong component."""
    model = RoadNetworkModel(graph)
    component = model.profile_network(STANDARD_PROFILES["default"]).component_size
    return {
        "name": graph.name,
        "source": graph.source,
        "content_hash": graph.content_hash(),
        "nodes": graph.node_count,
        "edges": graph.edge_count,
        "bbox": list(graph.bounding_box()),
        "edge_length_km": round(float(graph.length_m.sum()) / 1000, 3),
        "tagged_speed_share": round(float(graph.speed_tagged.mean()), 4),
        "largest_strong_component_nodes": component,
        "largest_strong_component_share": round(component / graph.node_count, 4),
    }


@network_app.command()
def info(
    name: Annotated[str, typer.Argument(help="Cached network name")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Nodes, edges, bounding box, tagged-speed share and largest strongly connected component."""
    summary = guarded(lambda: network_info(NetworkStore().load(name)))
    if json_output:
        typer.echo(json.dumps(summary, indent=2))
        return
    table = Table(title=f"road network {name}")
    table.add_column("property")
    table.add_column("value")
    for key, value in summary.items():
        table.add_row(key, str(value))
    out.print(table)


@network_app.command()
def export(
    name: Annotated[str, typer.Argument(help="Cached network name")],
    graphml: Annotated[Path, typer.Option("--graphml", help="GraphML file to write")],
) -> None:
    """Write the routable graph (``length`` m and ``travel_time`` s on every edge) as GraphML."""

    def action() -> None:
        import osmnx as ox

        graph = NetworkStore().load(name)
        ox.save_graphml(graph.to_networkx(), graphml)
        console.print(f"wrote {graphml} ({graph.node_count} nodes, {graph.edge_count} edges)")

    guarded(action)


def read_sites(path: Path) -> tuple[Point, ...]:
    """Sites from a CSV with ``id``, ``lon``, ``lat`` (every bad row reported)."""
    problems = ProblemCollector()
    if not path.exists():
        raise InputError(
            [Problem(str(path), "", "path", "no such file", "a CSV with id, lon, lat")]
        )
    points: list[Point] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "lon", "lat"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(
                [
                    Problem(str(path), "header", c, "missing", "columns id, lon, lat")
                    for c in sorted(missing)
                ]
            )
        seen: set[str] = set()
        for row in reader:
            where = f"row {reader.line_num}"  # as a spreadsheet shows it, blank lines too
            site_id = (row["id"] or "").strip()
            if not site_id or site_id in seen:
                problems.add(str(path), where, "id", site_id, "a unique non-empty id")
            seen.add(site_id)
            values: dict[str, float] = {}
            for field, low, high in (("lon", -180.0, 180.0), ("lat", -90.0, 90.0)):
                try:
                    values[field] = float(row[field])
                except (TypeError, ValueError):
                    problems.add(
                        str(path), where, field, row[field], f"a number in [{low:g}, {high:g}]"
                    )
                    continue
                if not low <= values[field] <= high:
                    problems.add(
                        str(path), where, field, row[field], f"a number in [{low:g}, {high:g}]"
                    )
            if len(values) == 2:
                points.append(Point(site_id, values["lon"], values["lat"]))
    problems.raise_if_any()
    return tuple(points)


def _finite_or_none(matrix: np.ndarray) -> list[list[float | None]]:
    return [[None if math.isnan(x) else round(float(x), 3) for x in row] for row in matrix]


def matrix_report(
    model: RoadNetworkModel, points: tuple[Point, ...], profile_name: str
) -> MatrixReport:
    """Snapped node, snap distance and both matrices for ``points`` as JSON-ready data."""
    profile = STANDARD_PROFILES[profile_name]
    matrices = model.matrices(points, profile)
    snap, _ = model.snap(points, profile)
    graph = model.routable_graph
    sites: list[SnappedSite] = []
    for i, point in enumerate(points):
        edge = int(snap.edge[i])
        node = int(snap.node[i]) if snap.node[i] >= 0 else -1
        if node < 0 and edge >= 0:
            node = int(graph.edge_u[edge] if snap.fraction[i] < 0.5 else graph.edge_v[edge])
        way = int(graph.way_id[edge]) if edge >= 0 else -1
        sites.append({
            "id": point.id, "lon": point.lon, "lat": point.lat,
            "snapped_node": int(graph.node_id[node]) if node >= 0 else None,
            "snapped_way": way if way >= 0 else None,
            "snap_distance_m": _finite_or_none(snap.distance_m[i : i + 1, None])[0][0],
            "unreachable": matrices.unreachable.get(point.id),
        })  # fmt: skip
    return {
        "model": model.name,
        "network_source": graph.source,
        "profile": profile_name,
        "sites": sites,
        "distance_m": _finite_or_none(matrices.distance_m),
        "duration_s": _finite_or_none(matrices.duration_s),
    }


@network_app.command()
def matrix(
    name: Annotated[str, typer.Argument(help="Cached network name")],
    sites: Annotated[Path, typer.Option("--sites", help="CSV with id, lon, lat")],
    profile: Annotated[
        str, typer.Option(help=f"Vehicle profile: {', '.join(STANDARD_PROFILES)}")
    ] = "default",
    snap_threshold_m: Annotated[
        float, typer.Option(help="Farthest snap (m)")
    ] = DEFAULT_SNAP_THRESHOLD_M,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Snap sites and print directed distance (m) and duration (s) matrices."""

    def action() -> MatrixReport:
        if profile not in STANDARD_PROFILES:
            raise InputError(
                [Problem("--profile", "", "profile", profile, ", ".join(STANDARD_PROFILES))]
            )
        points = read_sites(sites)
        model = RoadNetworkModel.from_cache(name, snap_threshold_m=snap_threshold_m)
        return matrix_report(model, points, profile)

    report = guarded(action)
    if json_output:
        typer.echo(json.dumps(report))
        return
    table = Table(title=f"{report['model']} ({report['network_source']}), profile {profile}")
    for column in ("id", "snapped node", "snap m", "unreachable"):
        table.add_column(column)
    for site in report["sites"]:
        table.add_row(
            site["id"],
            str(site["snapped_node"]),
            str(site["snap_distance_m"]),
            site["unreachable"] or "",
        )
    out.print(table)
    for key, matrix in (("distance_m", report["distance_m"]),
                        ("duration_s", report["duration_s"])):
        out.print(key)
        for site, row in zip(report["sites"], matrix, strict=True):
            out.print(site["id"], *("-" if x is None else f"{x:.0f}" for x in row))
