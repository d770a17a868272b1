"""Shared fixtures: the shipped study data, small study folders, the shared data folder."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from logistics.model.dataset import DataSet, load_dataset
from logistics.paths import DATASET_DIR
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.sources import load_network_file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
OSLO_LINES = SHARED / "data" / "fallback-roads-oslo" / "osm_oslo_main_roads_2024-06-05.geojson"
"""Real OSM main roads of Oslo (ODbL): a test network, never presented as Bergen."""


@pytest.fixture(scope="session")
def dataset() -> DataSet:
    """The shipped Bergen study data."""
    return load_dataset()


def make_small_dataset(folder: Path, unit_ids: list[str] | None = None, units: int = 8) -> Path:
    """A copy of the Bergen study folder keeping only some units (the first ``units``
    kindergartens and schools alternately, or ``unit_ids``)."""
    shutil.copytree(DATASET_DIR, folder)
    with (DATASET_DIR / "units.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    if unit_ids is None:
        kindergartens = [r for r in rows if r["unit_type"] == "kindergarten"]
        schools = [r for r in rows if r["unit_type"] == "school"]
        kept = [r for pair in zip(kindergartens, schools, strict=False) for r in pair][:units]
    else:
        kept = [r for r in rows if r["id"] in unit_ids]
    with (folder / "units.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    return folder


@pytest.fixture(scope="session")
def oslo() -> RoadGraph:
    """The Oslo main-road network, loaded once per test session."""
    return load_network_file(OSLO_LINES, "oslo-main-roads")


@pytest.fixture
def small_dataset_dir(tmp_path: Path) -> Path:
    """Eight Bergen units with the full supplier and hub set, in a temporary folder."""
    return make_small_dataset(tmp_path / "study")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``LOGISTICS_CACHE_DIR`` for this test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LOGISTICS_CACHE_DIR", str(folder))
    return folder
