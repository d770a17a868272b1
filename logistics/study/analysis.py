"""What a study's results say: the trade-off table with its Pareto front, and the
range of the headline saving over the one-at-a-time inputs (the tornado)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from logistics.study.spec import Criterion, HeadlineSpec, SensitivityInput, TradeOffSpec
from logistics.study.table import YEAR_SUFFIX
from logistics.study.variants import BASE_SETTING

STATISTICS: dict[str, Callable[[np.ndarray], float]] = {
    "mean": lambda v: float(np.mean(v)), "p5": lambda v: float(np.percentile(v, 5)),
    "median": lambda v: float(np.median(v)), "p95": lambda v: float(np.percentile(v, 95))}
"""Statistics of a criterion over Monte Carlo samples (percentiles interpolate linearly)."""


def _column(metric: str, period: str) -> str:
    return metric if period == "week" else f"{metric}{YEAR_SUFFIX}"


def _select(frame: pd.DataFrame, labels: Mapping[str, str], kind: str,
            sensitivity: str = BASE_SETTING, level: str = "base") -> pd.DataFrame:
    """Done variants of ``kind`` at a sensitivity setting with the given grid labels."""
    mask = ((frame["status"] == "done") & (frame["kind"] == kind)
            & (frame["sensitivity"] == sensitivity) & (frame["level"] == level))
    for axis, label in labels.items():
        mask &= frame[axis] == label
    return frame[mask]


def criterion_value(frame: pd.DataFrame, option_axis: str, option: str,
                    criterion: Criterion) -> float:
    """The criterion for one option: the mean over the matching grid variants, or the
    statistic over their Monte Carlo samples; NaN when none is done."""
    labels = {**criterion.where, option_axis: option}
    column = _column(criterion.metric, criterion.period)
    if criterion.statistic == "value":
        values = _select(frame, labels, "grid")[column].dropna()
        return float(values.mean()) if len(values) else float("nan")
    values = _select(frame, labels, "monte_carlo")[column].dropna()
    return float(STATISTICS[criterion.statistic](values.to_numpy())) if len(values) else float(
        "nan")


SERVICE_METRICS = frozenset({"served_demand_share", "units_fully_served_share",
                             "unserved_orders", "unserved_deliveries"})
"""Criteria that measure service; the others (cost, emissions, km) say which variants
make an option's normal week."""


def unserved_in_normal_week(frame: pd.DataFrame, option_axis: str, option: str,
                            criteria: Sequence[Criterion]) -> float:
    """The most deliveries an option leaves unserved in the grid variants its cost and
    emission criteria are taken from; NaN when none of them is done."""
    values = [_select(frame, {**c.where, option_axis: option}, "grid")["unserved_deliveries"]
              for c in criteria if c.metric not in SERVICE_METRICS]
    done = pd.concat(values).dropna() if values else pd.Series(dtype=float)
    return float(done.max()) if len(done) else float("nan")


def trade_off_table(frame: pd.DataFrame, spec: TradeOffSpec,
                    options: Sequence[str]) -> pd.DataFrame:
    """One row per option, one column per criterion, ``unserved_deliveries`` of its
    normal week and ``meets_need`` (none unserved), its rank on each criterion (1 =
    best; an option that does not meet the need ranks after every option that does, so
    it never ranks cheaper by leaving deliveries out), and ``pareto``: the option meets
    the need and no other option that does is at least as good on every criterion and
    better on one."""
    table = pd.DataFrame(
        {c.name: [criterion_value(frame, spec.options, o, c) for o in options]
         for c in spec.criteria}, index=pd.Index(list(options), name=spec.options))
    table["unserved_deliveries"] = [
        unserved_in_normal_week(frame, spec.options, o, spec.criteria) for o in options]
    met = table["unserved_deliveries"] == 0
    table["meets_need"] = met
    for criterion in spec.criteria:
        ascending = criterion.better == "lower"
        among_met = table[criterion.name].where(met).rank(ascending=ascending, method="min")
        after_met = (table[criterion.name].where(~met).rank(ascending=ascending, method="min")
                     + int(met.sum()))
        table[f"{criterion.name}_rank"] = among_met.fillna(after_met).astype("Int64")
    values = table[[c.name for c in spec.criteria]].where(met, axis=0)
    table["pareto"] = pareto_front(values.to_numpy(dtype=float),
                                   [c.better == "higher" for c in spec.criteria])
    return table


def pareto_front(values: np.ndarray, higher_is_better: Sequence[bool]) -> list[bool]:
    """Which rows no other row dominates; a row with a missing value is never on it."""
    signs = np.where(np.asarray(higher_is_better), -1.0, 1.0)
    costs = values * signs  # lower is better in every column
    front = []
    for row in costs:
        if np.isnan(row).any():
            front.append(False)
            continue
        others = costs[~np.isnan(costs).any(axis=1)]
        dominated = ((others <= row).all(axis=1) & (others < row).any(axis=1)).any()
        front.append(not bool(dominated))
    return front


def headline_saving(frame: pd.DataFrame, headline: HeadlineSpec,
                    sensitivity: str = BASE_SETTING, level: str = "base") -> float:
    """``1 - metric(option) / metric(baseline)`` at one sensitivity setting."""
    kind = "grid" if sensitivity == BASE_SETTING else "sensitivity"
    values = []
    for label in (headline.baseline, headline.option):
        selected = _select(frame, {headline.axis: label}, kind, sensitivity, level)
        values.append(float(selected[headline.metric].mean()) if len(selected) else np.nan)
    baseline, option = values
    return 1.0 - option / baseline if baseline else float("nan")


def tornado_table(frame: pd.DataFrame, headline: HeadlineSpec,
                  inputs: Sequence[SensitivityInput]) -> pd.DataFrame:
    """The headline saving with each input low and high (all else at the base), widest
    range first."""
    base = headline_saving(frame, headline)
    rows = []
    for entry in inputs:
        low = headline_saving(frame, headline, entry.name, "low")
        high = headline_saving(frame, headline, entry.name, "high")
        rows.append({"input": entry.name, "saving_low": low, "saving_high": high,
                     "saving_base": base, "range": abs(high - low), "note": entry.note,
                     "flips_sign": bool(np.sign(low) != np.sign(base)
                                        or np.sign(high) != np.sign(base))})
    table = pd.DataFrame(rows, columns=["input", "saving_low", "saving_high", "saving_base",
                                        "range", "flips_sign", "note"])
    return table.sort_values("range", ascending=False, ignore_index=True)
