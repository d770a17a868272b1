"""Scenarios side by side, with absolute and relative change against a named baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

from logistics.accounting.kpi import KPI_COLUMNS
from logistics.accounting.routes import AccountingMethodJson
from logistics.analysis.decompose import DecomposedChange, decomposition
from logistics.errors import InputError, Problem, ProblemCollector

if TYPE_CHECKING:
    from logistics.pipeline.result import ResultSummary

PERIODS = ("week", "year")
"""The periods KPIs are reported per (``kpi_per_week``, ``kpi_per_year``)."""

ComparedRow = dict[str, str | float | None]
"""One KPI of a comparison: ``kpi`` (its name), then per scenario its value (key: the
scenario's name) and, but for the baseline, ``<name>_change`` and ``<name>_change_pct``."""


class Comparison(TypedDict):
    """Scenarios side by side in one period (``logistics compare --json``)."""

    baseline: str
    period: str
    scenarios: list[str]
    rows: list[ComparedRow]
    decomposition: dict[str, dict[str, DecomposedChange]]  # scenario -> KPI -> change
    travel_models: dict[str, str | None]
    emissions_methods: dict[str, AccountingMethodJson]
    notes: list[str]


def compared_value(row: ComparedRow, column: str) -> float | None:
    """A number of a compared KPI: a scenario's value, change or change %; None when
    the result did not report it."""
    value = row.get(column)
    return None if isinstance(value, str) else value


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


def comparison(summaries: Sequence[ResultSummary], baseline: str | None = None,
               period: str = "week") -> Comparison:
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
    kpis = [s["kpi_per_week"] if period == "week" else s["kpi_per_year"] for s in summaries]
    base_kpis = kpis[names.index(base)]
    rows = []
    for column in KPI_COLUMNS:
        row: ComparedRow = {"kpi": column}
        for name, values in zip(names, kpis, strict=True):
            value = values.get(column)
            reference = base_kpis.get(column)
            change = None if value is None or reference is None else value - reference
            row[name] = value
            if name != base:
                row[f"{name}_change"] = change
                row[f"{name}_change_pct"] = (100.0 * change / reference
                                             if change is not None and reference else None)
        rows.append(row)
    notes = sorted({note for s in summaries for note in s.get("notes", [])})
    methods: dict[str, AccountingMethodJson] = {
        name: s.get("emissions_method", {}) for name, s in zip(names, summaries, strict=True)}
    travel = {name: s.get("travel_model") for name, s in zip(names, summaries, strict=True)}
    return {"baseline": base, "period": period, "scenarios": names, "rows": rows,
            "decomposition": decomposition(names, kpis, base),
            "travel_models": travel, "emissions_methods": methods, "notes": notes}
