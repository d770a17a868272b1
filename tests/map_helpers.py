"""Small real result folders for the map tests: ``logistics run`` on eight crow-fly
units (fruit and vegetables have only a non-chilled van, so some units are unserved)
for direct, consolidated-ev and consolidated-ev with a road closure area around the
first unit (on crow-fly travel it is reported as not applied and drawn as an outline)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.geo import EARTH_RADIUS_M

from .conftest import make_small_dataset

CLOSURE_SCENARIO = "map-closure"
CLOSURE_LABEL = "Test area closed"
CLOSURE_HALF_SIDE_M = 300.0
SCENARIOS = {"map-direct": "direct", "map-consolidated": "consolidated-ev",
             CLOSURE_SCENARIO: "consolidated-ev"}
"""Scenario name -> the shipped scenario it extends."""


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def make_map_dataset(folder: Path) -> Path:
    """The eight-unit study with only a non-chilled van for fruit and vegetables."""
    dataset_dir = make_small_dataset(folder)
    fleets = dataset_dir / "supplier_fleets.csv"
    rows = [r for r in _read(fleets) if r["supplier_id"] != "sup-fruit-veg"]
    rows.append({"supplier_id": "sup-fruit-veg", "vehicle_type": "van-diesel", "count": "1"})
    with fleets.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return dataset_dir


def closure_ring(dataset_dir: Path) -> list[tuple[float, float]]:
    """A square ``2 * CLOSURE_HALF_SIDE_M`` wide around the study's first unit, lon/lat."""
    first = _read(dataset_dir / "units.csv")[0]
    lon, lat = float(first["lon"]), float(first["lat"])
    dlat = math.degrees(CLOSURE_HALF_SIDE_M / EARTH_RADIUS_M)
    dlon = dlat / math.cos(math.radians(lat))
    return [(lon - dlon, lat - dlat), (lon + dlon, lat - dlat), (lon + dlon, lat + dlat),
            (lon - dlon, lat + dlat)]


def make_map_results(root: Path) -> list[Path]:
    """Run every scenario of :data:`SCENARIOS` with ``logistics run``; their folders."""
    dataset_dir = make_map_dataset(root / "study")
    ring = ", ".join(f"[{lon:.6f}, {lat:.6f}]" for lon, lat in closure_ring(dataset_dir))
    closure = ("disruptions:\n  - {type: road_closure, label: " + CLOSURE_LABEL
               + f", polygon: [{ring}]}}\n")
    folders = []
    for name, base in SCENARIOS.items():
        path = root / f"{name}.yaml"
        path.write_text(f"name: {name}\nextends: {base}\ndataset_dir: {dataset_dir}\n"
                        "solver: {solution_limit: 20}\nweeks_per_year: 46\n"
                        + (closure if name == CLOSURE_SCENARIO else ""), encoding="utf-8")
        run = CliRunner().invoke(app, ["run", str(path), "--out", str(root / name),
                                       "--workers", "1"])
        assert run.exit_code == 0, run.output
        folders.append(root / name)
    return folders
