"""The report's charts: KPI bars per scenario against the baseline, the waterfall of the
saving by its parts, the distributions of the Monte Carlo resilience results, and each
study's trade-off and tornado.

Every chart is a :class:`matplotlib.figure.Figure` on the Agg canvas (no pyplot state),
labelled in the report's language, saved as SVG (text kept as text, for the HTML) and
PNG at 300 dpi. The study charts are those of :mod:`logistics.outputs.study_charts` (as
``logistics study report`` draws them, PNG at its resolution), captioned in the
report's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from logistics.analysis.compare import Comparison, compared_value
from logistics.analysis.decompose import DecomposedChange
from logistics.outputs.locale import Locale
from logistics.outputs.report_inputs import ReportInputs, StudyResults
from logistics.outputs.study_charts import tornado_chart, trade_off_chart
from logistics.outputs.tables import KPI_LABELS, Label, short_names

CHARTS_DIR = "charts"
DPI = 300
CHART_KPIS = ("deliveries", "vehicle_km", "vehicle_hours", "energy_kwh", "co2e_wtw_kg",
              "nox_g", "pm_g", "cost_nok")
"""KPIs drawn as bars, in the order of the panels."""
DECOMPOSED_METRICS = ("vehicle_km", "co2e_wtw_kg", "cost_nok")
"""Metrics of the decomposition, one waterfall panel each."""
BASELINE_COLOUR, SCENARIO_COLOUR = "#8c8c8c", "#1f77b4"
SAVING_COLOUR, INCREASE_COLOUR = "#2ca02c", "#d62728"
DESIGN_COLOURS = ("#1f77b4", "#ff7f0e", "#9467bd", "#17becf")
MONTE_CARLO_METRICS = ("served_demand_share", "extra_cost_nok")


@dataclass(frozen=True)
class Chart:
    """A chart written to the report folder: its key, title and files."""

    key: str
    title: str
    svg: Path
    png: Path


def write_charts(inputs: ReportInputs, locale: Locale, out_dir: Path) -> list[Chart]:
    """Every chart of the report into ``out_dir/charts``: the KPI bars, a waterfall per
    other scenario (when the comparison has a decomposition), the resilience
    distributions (when a resilience report with samples is given) and each study's
    trade-off and tornado (:func:`study_charts`)."""
    folder = out_dir / CHARTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    baseline = inputs.baseline
    title = locale.text("charts.kpi_bars", baseline=baseline)
    charts = [_save(kpi_bars(inputs.year, locale), folder / "kpi-bars", "kpi-bars", title)]
    for scenario, parts in (inputs.decomposition or {}).items():
        title = locale.text("charts.waterfall", baseline=baseline, scenario=scenario)
        charts.append(_save(saving_waterfall(inputs.week, scenario, parts, locale),
                            folder / f"waterfall-{scenario}", f"waterfall-{scenario}", title))
    resilience = inputs.resilience
    if resilience is not None and resilience["monte_carlo"].get("per_sample"):
        title = locale.text("charts.distributions",
                            samples=resilience["monte_carlo"]["samples"])
        charts.append(_save(resilience_distributions(resilience, locale),
                            folder / "resilience", "resilience", title))
    for number, study in enumerate(inputs.studies, start=1):
        charts += study_charts(study, locale, folder / f"study-{number}-{study.study.name}",
                               study_chart_key(number))
    return charts


def study_chart_key(number: int) -> str:
    """The key stem of the charts of the ``number``-th study given (from 1)."""
    return f"study-{number}"


def study_charts(study: StudyResults, locale: Locale, folder: Path,
                 key: str) -> list[Chart]:
    """The trade-off chart (keyed ``<key>-trade-off``) and the tornado
    (``<key>-tornado``) of a study, where it has them, into ``folder``."""
    charts = []
    name = study.study.name
    spec = study.study.report.trade_off
    if spec is not None and study.trade_off is not None:
        charts.append(_chart_of(trade_off_chart(study.trade_off, spec, folder, locale),
                                f"{key}-trade-off", locale.text(
                                    "charts.trade_off", name=name, axis=spec.options)))
    headline = study.study.report.headline
    if headline is not None and study.tornado is not None:
        charts.append(_chart_of(tornado_chart(study.tornado, headline.metric, folder, locale),
                                f"{key}-tornado", locale.text("charts.tornado", name=name)))
    return charts


def _chart_of(paths: Sequence[Path], key: str, title: str) -> Chart:
    """A chart of files already written (one SVG and one PNG)."""
    by_suffix = {path.suffix: path for path in paths}
    return Chart(key, title, by_suffix[".svg"], by_suffix[".png"])


def kpi_bars(compared: Comparison, locale: Locale) -> Figure:
    """One panel per KPI of :data:`CHART_KPIS`, a bar per scenario (the baseline grey),
    each other bar marked with its change in percent."""
    names, baseline = list(compared["scenarios"]), compared["baseline"]
    by_kpi = {row["kpi"]: row for row in compared["rows"]}
    labels = {label.key: label for label in KPI_LABELS}
    figure = _figure((11.0, 6.2))
    axes = figure.subplots(2, len(CHART_KPIS) // 2, squeeze=False).ravel()
    positions = np.arange(len(names))
    for ax, key in zip(axes, CHART_KPIS, strict=True):
        row, label = by_kpi[key], labels[key]
        values = [compared_value(row, name) or 0.0 for name in names]
        colours = [BASELINE_COLOUR if n == baseline else SCENARIO_COLOUR for n in names]
        bars = ax.bar(positions, values, color=colours)
        for bar, name in zip(bars, names, strict=True):
            pct = compared_value(row, f"{name}_change_pct")
            if pct is not None:
                ax.annotate(locale.change_pct(pct), (bar.get_x() + bar.get_width() / 2,
                                                     bar.get_height()),
                            ha="center", va="bottom", fontsize=7, xytext=(0, 2),
                            textcoords="offset points")
        ax.set_title(locale.kpi(label, str(compared["period"])), fontsize=9)
        ax.set_xticks(positions, short_names(names), rotation=30, ha="right", fontsize=7)
        _number_axis(ax, locale, label)
        ax.margins(y=0.15)
    return figure


def saving_waterfall(compared: Comparison, scenario: str,
                     parts_by_metric: Mapping[str, DecomposedChange], locale: Locale) -> Figure:
    """For each metric of :data:`DECOMPOSED_METRICS`, a horizontal waterfall: the
    baseline's value per week at the top, each part of the change as a step (green saves,
    red adds), the scenario's value at the bottom. The panels share the part labels (a
    part a metric lacks is a zero step)."""
    by_kpi = {row["kpi"]: row for row in compared["rows"]}
    baseline = str(compared["baseline"])
    metrics = [m for m in DECOMPOSED_METRICS if m in parts_by_metric]
    keys = list(dict.fromkeys(str(p["key"]) for m in metrics
                              for p in parts_by_metric[m]["parts"]))
    names = [locale.text("part.baseline"), *(locale.name("part", k) for k in keys),
             locale.text("part.total")]
    figure = _figure((11.0, 0.45 * len(names) + 1.2))
    axes = figure.subplots(1, max(len(metrics), 1), squeeze=False, sharey=True)[0]
    positions = np.arange(len(names))
    labels = {label.key: label for label in KPI_LABELS}
    for ax, metric in zip(axes, metrics, strict=False):
        start = float(by_kpi[metric][baseline] or 0.0)
        steps = {str(p["key"]): float(p["value"]) for p in parts_by_metric[metric]["parts"]}
        lefts, widths, colours = [0.0], [start], [BASELINE_COLOUR]
        level = start
        for key in keys:
            value = steps.get(key, 0.0)
            lefts.append(min(level, level + value))
            widths.append(abs(value))
            colours.append(INCREASE_COLOUR if value > 0 else SAVING_COLOUR)
            level += value
        end = start + float(parts_by_metric[metric]["total"])
        lefts.append(0.0)
        widths.append(end)
        colours.append(SCENARIO_COLOUR)
        ax.barh(positions, widths, left=lefts, color=colours, height=0.6)
        signed = [start, *(steps.get(k, 0.0) for k in keys), end]
        for y, left, width, value in zip(positions, lefts, widths, signed, strict=True):
            ax.annotate(locale.number(value), (left + width, y), ha="left", va="center",
                        fontsize=7, xytext=(3, 0), textcoords="offset points")
        ax.set_title(locale.text(f"metric.{metric}"), fontsize=10)
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda value, _, d=labels[metric].digits: locale.number(value, d)))
        ax.tick_params(axis="x", labelsize=7, rotation=30)
        ax.margins(x=0.25)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].set_yticks(positions, names, fontsize=8)
    axes[0].invert_yaxis()
    return figure


def resilience_distributions(report: Mapping[str, Any], locale: Locale) -> Figure:
    """Box plots with every sample as a dot: served demand share and extra cost per week
    of each design over the Monte Carlo samples."""
    carlo = report["monte_carlo"]
    names = list(report["designs_compared"])
    figure = _figure((9.0, 4.2))
    axes = figure.subplots(1, len(MONTE_CARLO_METRICS), squeeze=False)[0]
    titles = {"served_demand_share": locale.text("security.served_share"),
              "extra_cost_nok": locale.text("security.extra_cost")}
    digits = {"served_demand_share": 3, "extra_cost_nok": 0}
    for ax, metric in zip(axes, MONTE_CARLO_METRICS, strict=True):
        values = [[float(row[name][metric]) for row in carlo["per_sample"]] for name in names]
        ax.boxplot(values, widths=0.5, showfliers=False, medianprops={"color": "black"})
        for number, samples in enumerate(values, start=1):
            offsets = np.linspace(-0.15, 0.15, len(samples)) if len(samples) > 1 else [0.0]
            ax.scatter(number + np.asarray(offsets), samples, s=12, alpha=0.7, zorder=3,
                       color=DESIGN_COLOURS[(number - 1) % len(DESIGN_COLOURS)])
        ax.set_xticks(range(1, len(names) + 1), [locale.design(n) for n in names])
        ax.set_title(titles[metric], fontsize=10)
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda value, _, d=digits[metric]: locale.number(value, d)))
    return figure


def _figure(size_in: tuple[float, float]) -> Figure:
    figure = Figure(figsize=size_in, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _number_axis(ax: Axes, locale: Locale, label: Label) -> None:
    """Tick labels in the report's number style, as many decimals as the KPI has."""
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda value, _: locale.number(value, label.digits)))
    ax.tick_params(axis="y", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _save(figure: Figure, stem: Path, key: str, title: str) -> Chart:
    """``stem`` as SVG (text kept as text) and PNG at :data:`DPI`."""
    svg, png = stem.with_name(f"{stem.name}.svg"), stem.with_name(f"{stem.name}.png")
    with mpl.rc_context({"svg.fonttype": "none"}):
        figure.savefig(svg, facecolor="white")
        figure.savefig(png, dpi=DPI, facecolor="white")
    return Chart(key, title, svg, png)


def chart_files(charts: Sequence[Chart]) -> list[Path]:
    """Every file the charts were written to."""
    return [path for chart in charts for path in (chart.svg, chart.png)]
