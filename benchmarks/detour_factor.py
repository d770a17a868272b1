"""Measure the crow-fly detour factor on the Oslo OSM main-road network.

Random sites in the network's bounding box, kept when within ``--snap`` metres of a
road; the factor is the median over directed pairs more than 500 m apart of road
distance (snap point to snap point) / great-circle distance. Prints one JSON line.
The network holds motorway to secondary roads only (no residential streets), so the
factor describes main-road travel in Oslo, not Bergen.

    python benchmarks/detour_factor.py [--sites 400] [--seed 2024]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from logistics.geo import haversine_m
from logistics.travel.base import Point, VehicleProfile
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_network_file

OSLO = (
    Path(__file__).parents[2]
    / "shared/data/fallback-roads-oslo/osm_oslo_main_roads_2024-06-05.geojson"
)
MIN_PAIR_DISTANCE_M = 500.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=400)
    parser.add_argument("--snap", type=float, default=200.0)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    graph = load_network_file(OSLO, "oslo-main-roads")
    model = RoadNetworkModel(graph, snap_threshold_m=args.snap)
    rng = np.random.default_rng(args.seed)
    west, south, east, north = graph.bounding_box()
    points = tuple(
        Point(f"p{i}", float(rng.uniform(west, east)), float(rng.uniform(south, north)))
        for i in range(args.sites)
    )
    matrices = model.matrices(points, VehicleProfile())
    kept = [i for i, p in enumerate(points) if p.id not in matrices.unreachable]
    lon = np.array([points[i].lon for i in kept])
    lat = np.array([points[i].lat for i in kept])
    straight = haversine_m(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    road = matrices.distance_m[np.ix_(kept, kept)]
    pairs = ~np.eye(len(kept), dtype=bool) & (straight > MIN_PAIR_DISTANCE_M)
    ratio = road[pairs] / straight[pairs]
    print(
        json.dumps(
            {
                "network": graph.source,
                "sites": len(kept),
                "pairs": int(pairs.sum()),
                "median_detour_factor": round(float(np.median(ratio)), 3),
                "p25": round(float(np.percentile(ratio, 25)), 3),
                "p75": round(float(np.percentile(ratio, 75)), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
