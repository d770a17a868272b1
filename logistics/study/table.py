"""The results table of a study: one row per variant, its grid values and every KPI.

Built from the manifest and the variant records (so it can be read while a study runs
or after it was killed: variants not run yet are ``pending``), and written as Parquet,
CSV and XLSX.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from logistics.accounting.kpi import KPI_COLUMNS
from logistics.errors import Problem
from logistics.study.store import PENDING, StudyStore

TABLE_STEM = "results"
YEAR_SUFFIX = "_per_year"
"""KPI columns per week carry the KPI's name; per year, the name and this suffix."""
VARIANT_COLUMNS = ("variant", "kind", "sensitivity", "level", "sample", "sample_disruption",
                   "scenario", "status", "problems", "wall_s", "key")


def results_table(folder: Path) -> pd.DataFrame:
    """One row per variant of the study in ``folder``, in variant order: where it sits
    (grid axes by dotted path, sensitivity input and level, Monte Carlo sample), its
    status (done, failed or pending), problems, and the KPIs per week and per year."""
    store = StudyStore(folder)
    manifest = store.manifest()
    grid = manifest["study"].get("grid")
    axes = list(grid) if isinstance(grid, dict) else []
    rows = []
    for entry in manifest["variants"]:
        record = store.record(entry["key"])
        week = record.kpi_per_week if record else {}
        year = record.kpi_per_year if record else {}
        rows.append({
            "variant": entry["number"], "kind": entry["kind"],
            **{axis: entry["labels"].get(axis) for axis in axes},
            "sensitivity": entry["sensitivity"], "level": entry["level"],
            "sample": entry["sample"], "sample_disruption": entry["sample_disruption"],
            "scenario": entry["scenario"], "status": record.status if record else PENDING,
            "problems": "; ".join(_problem_text(p) for p in record.problems) if record else "",
            "wall_s": record.wall_s if record else None, "key": entry["key"],
            **{kpi: week.get(kpi) for kpi in KPI_COLUMNS},
            **{f"{kpi}{YEAR_SUFFIX}": year.get(kpi) for kpi in KPI_COLUMNS},
        })
    frame = pd.DataFrame(rows)
    numeric = ["wall_s", *KPI_COLUMNS, *(f"{k}{YEAR_SUFFIX}" for k in KPI_COLUMNS)]
    frame[numeric] = frame[numeric].astype(float)
    frame["sample"] = frame["sample"].astype("Int64")
    return frame


def _problem_text(problem: Problem) -> str:
    """A problem in one line, where it is given by its location alone when it has one."""
    return (f"{problem.location or problem.source}: field '{problem.field}': found "
            f"{problem.found}; allowed: {problem.allowed}")


def write_tables(frame: pd.DataFrame, folder: Path) -> list[Path]:
    """The table as ``results.parquet``, ``results.csv`` and ``results.xlsx``."""
    paths = [folder / f"{TABLE_STEM}.{suffix}" for suffix in ("parquet", "csv", "xlsx")]
    frame.to_parquet(paths[0], index=False)
    frame.to_csv(paths[1], index=False)
    with pd.ExcelWriter(paths[2], engine="xlsxwriter") as writer:
        frame.to_excel(writer, sheet_name="variants", index=False)
        writer.sheets["variants"].freeze_panes(1, 1)
    return paths
