"""OSM XML (``.osm`` and ``.osm.bz2``) imports give the roads the PBF gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from logistics.cli.network import network_app
from logistics.travel.network.cache import NetworkStore
from tests.network_helpers import (
    assert_matrices_match_the_pbf,
    helsinki_osm_elements,
    write_osm_xml,
)


@pytest.mark.parametrize("suffix", [".osm", ".osm.bz2"])
def test_osm_xml_import_matches_the_pbf(tmp_path: Path, cache_dir: Path, suffix: str) -> None:
    nodes, ways = helsinki_osm_elements()
    path = write_osm_xml(tmp_path / f"helsinki{suffix}", nodes, ways)
    result = CliRunner().invoke(network_app, ["import", str(path), "--name", "helsinki-xml"])
    assert result.exit_code == 0, result.output
    imported = NetworkStore().load("helsinki-xml")
    assert f"OpenStreetMap XML helsinki{suffix}" in imported.source
    assert imported.speed_tagged.mean() > 0.9
    # one-way streets stay one-way: some edge has no edge back along the same way
    pairs = set(zip(imported.edge_u.tolist(), imported.edge_v.tolist(), strict=True))
    assert any((v, u) not in pairs for u, v in pairs)
    assert_matrices_match_the_pbf(imported, (24.937, 60.163, 24.948, 60.175), 10, seed=5)
