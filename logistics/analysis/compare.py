"""Scenarios side by side, with absolute and relative change against a named baseline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from logistics.accounting.kpi import KPI_COLUMNS
from logistics.analysis.decompose import decomposition
from logistics.errors import InputError, Problem, ProblemCollector

PERIODS = ("week", "year")
"""The periods KPIs are reported per (``kpi_per_week``, ``kpi_per_year``)."""


def baseline_name(names: Sequence[str], baseline: str | None) -> str:
    """The baseline among the scenario ``names``: ``baseline``, by default the first;
    an input problem when it is not among them (or there is nothing to compare)."""
    if not names:
        raise InputError([Problem("RESULT_DIR", "", "results", "none", "at least one")])
    base = baseline or names[0]
    if base not in names:
        raise InputError([Problem("--baseline", "", "baseline", repr(base),
                                  f"one of {', '.join(names)}")])
    return base


def comparison(summaries: Sequence[Mapping[str, Any]], baseline: str | None = None,
               period: str = "week") -> dict[str, Any]:
    """Rows per KPI with each scenario's value, change and change % against the baseline,
    and each scenario's change in vehicle-km, CO2e and cost decomposed
    (:func:`logistics.analysis.decompose.decomposition`).

    ``period`` is one of :data:`PERIODS`. The baseline defaults to the first summary.
    Raises :class:`InputError` naming a bad period or baseline.
    """
    names = [str(s["scenario"]) for s in summaries]
    problems = ProblemCollector()
    if period not in PERIODS:
        problems.add("--period", "", "period", period, ", ".join(PERIODS))
    base = problems.attempt(lambda: baseline_name(names, baseline))
    problems.raise_if_any()
    assert base is not None  # no problem, so the baseline is known
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
            "decomposition": decomposition(names, [s[key] for s in summaries], base),
            "travel_models": travel, "emissions_methods": methods, "notes": notes}
