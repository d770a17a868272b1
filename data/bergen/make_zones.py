"""Derive ``zones.geojson`` (Bergen's delområder, the map background) from the grunnkrets
boundaries of ``Starefossen/bergis`` (see ``SOURCES.md``).

Run from the repository root::

    .venv/bin/python data/bergen/make_zones.py \
        ../shared/data/bergen-zones/bergen_grunnkretser_1201.geojson

The 363 grunnkrets polygons are dissolved by delområde (digits 5-6 of the 8-digit
``grunnkrets`` code), simplified to 20 m in EPSG:25833 and written in EPSG:4326 with
5 decimals (about 1 m). The source names grunnkretser, not delområder: ``name`` is the
name of the grunnkrets holding the delområde's representative point (a place inside the
zone that maps label it with, not an official delområde name).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd

SIMPLIFY_M = 20.0
METRIC_CRS = "EPSG:25833"
DECIMALS = 5
OUT = Path(__file__).with_name("zones.geojson")


def make_zones(source: Path, out: Path = OUT) -> gpd.GeoDataFrame:
    """Dissolve, simplify and write the zones; returns what was written."""
    grunnkretser = gpd.read_file(source).to_crs(METRIC_CRS)
    grunnkretser["delomrade"] = grunnkretser["grunnkrets"].astype(str).str[4:6]
    zones = grunnkretser[["delomrade", "geometry"]].dissolve(by="delomrade").reset_index()
    zones["geometry"] = zones.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
    label_points = gpd.GeoDataFrame(geometry=zones.geometry.representative_point(),
                                     crs=METRIC_CRS)
    named = gpd.sjoin(label_points, grunnkretser[["gkretsnavn", "geometry"]],
                      predicate="within", how="left")
    zones["name"] = named.groupby(level=0)["gkretsnavn"].first().reindex(zones.index)
    zones = zones[["delomrade", "name", "geometry"]].to_crs("EPSG:4326")
    out.unlink(missing_ok=True)
    zones.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=DECIMALS)
    return zones


if __name__ == "__main__":
    written = make_zones(Path(sys.argv[1]))
    print(f"{OUT}: {len(written)} delområder, {OUT.stat().st_size:,} bytes")
