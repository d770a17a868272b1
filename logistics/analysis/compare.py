"""Scenarios side by side, with absolute and relative change against a named baseline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from logistics.accounting.kpi import KPI_COLUMNS

PERIODS = ("week", "year")
"""The periods KPIs are reported per (``kpi_per_week``, ``kpi_per_year``)."""


def comparison(summaries: Sequence[Mapping[str, Any]], baseline: str | None = None,
               period: str = "week") -> dict[str, Any]:
    """Rows per KPI with each scenario's value, change and change % against the baseline.

    ``period`` is one of :data:`PERIODS`. The baseline defaults to the first summary.
    """
    if not summaries:
        raise ValueError("nothing to compare")
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    names = [str(s["scenario"]) for s in summaries]
    base = baseline or names[0]
    if base not in names:
        raise ValueError(f"baseline {base!r} is not among the results: {names}")
    key = f"kpi_per_{period}"
    base_kpis = summaries[names.index(base)][key]
    rows = []
    for column in KPI_COLUMNS:
        row: dict[str, Any] = {"kpi": column}
        for name, summary in zip(names, summaries, strict=True):
            value = summary[key].get(column)
            reference = base_kpis.get(column)
            change = None if value is None or reference is None else value - reference
            row[name] = value
            if name != base:
                row[f"{name}_change"] = change
                row[f"{name}_change_pct"] = (100.0 * change / reference
                                             if change is not None and reference else None)
        rows.append(row)
    notes = sorted({note for s in summaries for note in s.get("notes", [])})
    methods = {name: s.get("emissions_method", {}) for name, s in zip(names, summaries,
                                                                       strict=True)}
    travel = {name: s.get("travel_model") for name, s in zip(names, summaries, strict=True)}
    return {"baseline": base, "period": period, "scenarios": names, "rows": rows,
            "travel_models": travel, "emissions_methods": methods, "notes": notes}
