"""A tiny island road network and a study placed on it, for disruption and resilience tests.

Ways (OSM ids): 11 ``Fastlandsveien`` runs east along the shore (0-3,000 m); 12
``Ringveien`` is a detour north of it (via 800 m north) between its ends; 15
``Sideveien`` is a spur 600 m south from 1,000 m east; 13 ``Testbrua`` is the only
bridge (3,000-3,500 m) to the island roads 14 and 16 ``Øyveien`` (3,500-5,000 m and
5,000-6,000 m). Depots and hubs sit at the west end; two units on the mainland, two on
the island, every site on a graph node.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import make_small_dataset
from tests.network_helpers import at

WAYS: dict[int, tuple[str, list[tuple[float, float]]]] = {
    11: ("Fastlandsveien", [(0, 0), (1000, 0), (2000, 0), (3000, 0)]),
    12: ("Ringveien", [(0, 0), (0, 800), (3000, 800), (3000, 0)]),
    13: ("Testbrua", [(3000, 0), (3500, 0)]),
    14: ("Øyveien", [(3500, 0), (4200, 0), (5000, 0)]),
    15: ("Sideveien", [(1000, 0), (1000, -600)]),
    16: ("Øyveien", [(5000, 0), (6000, 0)]),
}
DEPOT_AT = (0.0, 0.0)
UNIT_SPOTS = [(3000.0, 0.0), (1000.0, -600.0), (5000.0, 0.0), (6000.0, 0.0)]
ISLAND_SPOTS = {2, 3}


def write_island_network(path: Path) -> Path:
    features = [
        {"type": "Feature",
         "properties": {"@id": f"way/{way}", "highway": "tertiary", "maxspeed": "50",
                        "name": name},
         "geometry": {"type": "LineString", "coordinates": [at(x, y) for x, y in coords]}}
        for way, (name, coords) in WAYS.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def _move(path: Path, spot_of_row: list[tuple[float, float]]) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row, spot in zip(rows, spot_of_row, strict=False):
        lon, lat = at(*spot)
        row["lon"], row["lat"] = f"{lon:.7f}", f"{lat:.7f}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return [row["id"] for row in rows]


def make_island_dataset(folder: Path) -> tuple[Path, list[str], list[str]]:
    """A four-unit study on the island network: (folder, mainland unit ids, island unit ids)."""
    make_small_dataset(folder, units=4)
    _move(folder / "suppliers.csv", [DEPOT_AT] * 20)
    _move(folder / "hubs.csv", [DEPOT_AT] * 20)
    unit_ids = _move(folder / "units.csv", UNIT_SPOTS)
    island = [u for i, u in enumerate(unit_ids) if i in ISLAND_SPOTS]
    mainland = [u for i, u in enumerate(unit_ids) if i not in ISLAND_SPOTS]
    return folder, mainland, island
