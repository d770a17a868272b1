"""Summary charts of a study (matplotlib, PNG and SVG): the metrics per grid point
(with the Monte Carlo spread where there are samples), the trade-off of the first two
criteria with the Pareto front, and the tornado of the headline saving. Their words are
in the language of the :class:`~logistics.outputs.locale.Locale` given (English by
default), numbers too."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from logistics.outputs.locale import Locale
from logistics.study.spec import TradeOffSpec

ENGLISH = Locale("en")

FORMATS = ("png", "svg")


def _save(figure: Figure, folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.{suffix}" for suffix in FORMATS]
    for path in paths:
        figure.savefig(path, dpi=150, bbox_inches="tight")
    return paths


def _point_label(row: pd.Series, axes: Sequence[str], locale: Locale) -> str:
    return ("\n".join(str(row[a]) for a in axes)
            or locale.text("study.variant", number=row["variant"]))


def _samples_of(samples: pd.DataFrame, point: pd.Series, axes: Sequence[str],
                metric: str) -> np.ndarray:
    """The metric over the Monte Carlo samples of one grid point."""
    if not axes:
        return samples[metric].dropna().to_numpy()
    same = (samples[list(axes)] == point[list(axes)]).all(axis=1)
    return samples.loc[same, metric].dropna().to_numpy()


def metrics_chart(frame: pd.DataFrame, axes: Sequence[str], metrics: Sequence[str],
                  folder: Path, locale: Locale = ENGLISH) -> list[Path]:
    """One panel per metric: a bar per grid point of the base setting, and a box of its
    Monte Carlo samples beside it where it has some."""
    grid = frame[(frame["kind"] == "grid") & (frame["status"] == "done")]
    samples = frame[(frame["kind"] == "monte_carlo") & (frame["status"] == "done")]
    figure = Figure(figsize=(max(6, 1.2 * len(grid)), 3 * len(metrics)))
    panels = figure.subplots(len(metrics), 1, squeeze=False)
    labels = [_point_label(row, axes, locale) for _, row in grid.iterrows()]
    for panel, metric in zip(panels[:, 0], metrics, strict=True):
        positions = range(len(grid))
        panel.bar(positions, grid[metric], color="#4C72B0", label="variant")
        spread = [_samples_of(samples, row, axes, metric) for _, row in grid.iterrows()]
        sampled = [(p, s) for p, s in zip(positions, spread, strict=True) if len(s)]
        if sampled:
            panel.boxplot([s for _, s in sampled], positions=[p + 0.3 for p, _ in sampled],
                          widths=0.25, manage_ticks=False)
        panel.set_ylabel(locale.text("study.per_week", metric=_metric(metric, locale)))
        panel.set_xticks(list(positions), labels, fontsize=8)
    panels[0, 0].set_title(locale.text("study.per_variant"))
    figure.tight_layout()
    return _save(figure, folder, "metrics")


def _metric(metric: str, locale: Locale) -> str:
    """A metric's name: its KPI label where it is a KPI, else the key spelled out."""
    return locale.name("kpi", metric).replace("_", " ")


def trade_off_chart(table: pd.DataFrame, spec: TradeOffSpec, folder: Path,
                    locale: Locale = ENGLISH) -> list[Path]:
    """The options on the first two criteria; the Pareto front is marked, and so are
    the options that leave deliveries unserved in a normal week."""
    x, y = spec.criteria[0], spec.criteria[1]
    figure = Figure(figsize=(7, 5))
    axis = figure.subplots()
    front = table["pareto"].astype(bool)
    short = ~table["meets_need"].astype(bool)
    dominated = ~front & ~short
    axis.scatter(table.loc[dominated, x.name], table.loc[dominated, y.name],
                 color="#999999", label=locale.text("study.dominated"))
    axis.scatter(table.loc[front, x.name], table.loc[front, y.name], color="#C44E52",
                 label=locale.text("study.pareto_front"))
    if short.any():
        axis.scatter(table.loc[short, x.name], table.loc[short, y.name], color="#999999",
                     marker="x", label=locale.text("study.unserved"))
    for option, row in table.iterrows():
        axis.annotate(str(option), (row[x.name], row[y.name]), textcoords="offset points",
                      xytext=(5, 5), fontsize=9)
    axis.set_xlabel(locale.text("study.axis_better", criterion=x.name,
                                better=locale.text(f"study.better.{x.better}")))
    axis.set_ylabel(locale.text("study.axis_better", criterion=y.name,
                                better=locale.text(f"study.better.{y.better}")))
    axis.set_title(locale.text("study.trade_off_title", options=spec.options))
    axis.legend()
    return _save(figure, folder, "trade_off")


def tornado_chart(table: pd.DataFrame, metric: str, folder: Path,
                  locale: Locale = ENGLISH) -> list[Path]:
    """The headline saving with each input low and high, widest range on top."""
    rows = table.iloc[::-1]
    figure = Figure(figsize=(7, 0.6 * len(rows) + 1.5))
    axis = figure.subplots()
    base = float(rows["saving_base"].iloc[0]) * 100 if len(rows) else 0.0
    for position, (_, row) in enumerate(rows.iterrows()):
        low, high = row["saving_low"] * 100, row["saving_high"] * 100
        axis.barh(position, low - base, left=base, color="#4C72B0")
        axis.barh(position, high - base, left=base, color="#DD8452")
    axis.axvline(base, color="black", linewidth=1)
    axis.set_yticks(range(len(rows)), list(rows["input"]))
    axis.set_xlabel(locale.text("study.tornado_axis", metric=_metric(metric, locale)))
    axis.set_title(locale.text("study.tornado_title", base=locale.share_pct(base / 100)))
    return _save(figure, folder, "tornado")
