"""A scenario result folder as DataFrames, for notebooks.

``routes``, ``stops`` and ``unserved`` from the folder's CSV files and ``kpis`` (one row
per KPI, per week and per year) from ``result.json``; ``route_lines``, ``stop_points``,
``units``, ``hubs`` and ``depots`` as GeoDataFrames from ``layers.gpkg`` where the
folder has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from logistics.errors import InputError, Problem
from logistics.pipeline.result import read_summary
from logistics.pipeline.result_schema import RouteRow, StopRow, UnservedRow

LAYERS_FILE = "layers.gpkg"
LAYERS = ("routes", "stops", "units", "hubs", "depots")


@dataclass(frozen=True)
class ResultFrames:
    """One result folder's tables; ``layers`` is empty without ``layers.gpkg``."""

    kpis: pd.DataFrame
    routes: pd.DataFrame
    stops: pd.DataFrame
    unserved: pd.DataFrame
    layers: dict[str, gpd.GeoDataFrame]


def result_frames(folder: Path) -> ResultFrames:
    """The tables of a result folder written by ``logistics run`` (or ``demo``)."""
    summary = read_summary(folder)
    missing = [model.FILE for model in (RouteRow, StopRow, UnservedRow)
               if not (folder / model.FILE).is_file()]
    if missing:
        raise InputError([Problem(str(folder), "", name, "missing",
                                  "a result folder written by 'logistics run'")
                          for name in missing])
    week, year = summary["kpi_per_week"], summary["kpi_per_year"]
    kpis = pd.DataFrame({"kpi": list(week), "per_week": [week[k] for k in week],
                         "per_year": [year.get(k) for k in week]})
    layers: dict[str, gpd.GeoDataFrame] = {}
    if (folder / LAYERS_FILE).is_file():
        layers = {name: gpd.read_file(folder / LAYERS_FILE, layer=name) for name in LAYERS}
    return ResultFrames(
        kpis=kpis,
        routes=pd.read_csv(folder / RouteRow.FILE, dtype={"route_id": str}),
        stops=pd.read_csv(folder / StopRow.FILE, dtype={"route_id": str, "site_id": str}),
        unserved=pd.read_csv(folder / UnservedRow.FILE, dtype={"order_id": str, "unit_id": str}),
        layers=layers,
    )
