"""``logistics network`` commands on real files, with the cache in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from logistics.cli.network import network_app
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.sources import load_graphml
from tests.network_helpers import DEPOT, FAR, UNIT, write_two_road_network

from .conftest import OSLO_LINES

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cache_dir")


def _invoke(*args: str) -> str:
    result = runner.invoke(network_app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_import_info_export_matrix(tmp_path: Path, cache_dir: Path) -> None:
    roads = write_two_road_network(tmp_path / "roads.geojson")
    _invoke("import", str(roads), "--name", "two-roads")
    assert len(list((cache_dir / "networks").glob("*.npz"))) == 1

    info = json.loads(_invoke("info", "two-roads", "--json"))
    assert (info["nodes"], info["edges"], info["tagged_speed_share"]) == (2, 4, 1.0)
    assert info["largest_strong_component_nodes"] == 2

    graphml = tmp_path / "two-roads.graphml"
    _invoke("export", "two-roads", "--graphml", str(graphml))
    exported = load_graphml(graphml, "again")
    assert sorted(exported.length_m.tolist()) == pytest.approx(
        [1000.0, 1000.0, 2000.0, 2000.0], rel=1e-3
    )
    text = graphml.read_text()
    assert 'attr.name="travel_time"' in text and 'attr.name="length"' in text

    sites = tmp_path / "sites.csv"
    sites.write_text(
        "id,lon,lat\n" + "".join(f"{p.id},{p.lon},{p.lat}\n" for p in (DEPOT, FAR, UNIT))
    )
    for profile, expected_m in (("default", 1000.0), ("rigid-truck", 2000.0)):
        report = json.loads(
            _invoke("matrix", "two-roads", "--sites", str(sites), "--profile", profile, "--json")
        )
        assert report["model"] == "road:two-roads"
        snaps = [s["snap_distance_m"] for s in report["sites"]]
        assert snaps[0] == pytest.approx(30, rel=2e-3) and snaps[2] == pytest.approx(30, rel=2e-3)
        assert snaps[1] > 2000
        assert report["sites"][1]["unreachable"].startswith("snap distance")
        assert report["sites"][0]["snapped_node"] is not None
        assert report["distance_m"][0][2] == pytest.approx(expected_m, rel=1e-3)
        assert report["distance_m"][0][1] is None


def test_graphml_round_trip_keeps_matrices(tmp_path: Path) -> None:
    _invoke("import", str(OSLO_LINES), "--name", "oslo")
    graphml = tmp_path / "oslo.graphml"
    _invoke("export", "oslo", "--graphml", str(graphml))
    _invoke("import", str(graphml), "--name", "oslo-again")
    sites = tmp_path / "sites.csv"
    sites.write_text("id,lon,lat\na,10.7522,59.9139\nb,10.7950,59.9300\nc,10.7300,59.9250\n")
    first = json.loads(_invoke("matrix", "oslo", "--sites", str(sites), "--json"))
    again = json.loads(_invoke("matrix", "oslo-again", "--sites", str(sites), "--json"))
    np.testing.assert_allclose(
        np.array(again["distance_m"], float), np.array(first["distance_m"], float), rtol=1e-9
    )
    np.testing.assert_allclose(
        np.array(again["duration_s"], float), np.array(first["duration_s"], float), rtol=1e-9
    )


def test_a_non_bergen_network_cannot_be_called_bergen() -> None:
    result = runner.invoke(network_app, ["import", str(OSLO_LINES), "--name", "bergen"])
    assert result.exit_code == 2
    assert "not claiming Bergen" in result.output


def test_bad_sites_are_all_reported(tmp_path: Path) -> None:
    _invoke(
        "import", str(write_two_road_network(tmp_path / "roads.geojson")), "--name", "two-roads"
    )
    sites = tmp_path / "sites.csv"
    sites.write_text("id,lon,lat\na,200,60\na,10,north\n")
    result = runner.invoke(network_app, ["matrix", "two-roads", "--sites", str(sites)])
    assert result.exit_code == 2
    assert "row 2: field 'lon'" in result.output and "row 3: field 'id'" in result.output
    assert "row 3: field 'lat'" in result.output


def test_cached_network_loads_identically(tmp_path: Path, cache_dir: Path) -> None:
    _invoke("import", str(OSLO_LINES), "--name", "oslo")
    from logistics.travel.network.cache import NetworkStore

    loaded = NetworkStore(cache_dir).load("oslo")
    assert isinstance(loaded, RoadGraph) and loaded.node_count > 2000
    info = json.loads(_invoke("info", "oslo", "--json"))
    assert info["content_hash"] == loaded.content_hash()


def test_a_network_stored_in_an_older_format_asks_for_a_new_import(
    tmp_path: Path, cache_dir: Path
) -> None:
    _invoke("import", str(write_two_road_network(tmp_path / "roads.geojson")), "--name", "old")
    (stored,) = (cache_dir / "networks").glob("*.npz")
    with np.load(stored) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    arrays.pop("tunnel")  # as the first format stored it
    np.savez(stored, meta=np.array(json.dumps({**meta, "version": 1})), **arrays)
    result = runner.invoke(network_app, ["info", "old"])
    assert result.exit_code == 2
    assert "road graph format 1" in result.output and "import or fetch it again" in result.output
