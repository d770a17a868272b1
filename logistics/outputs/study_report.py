"""``logistics study report``: tables and charts of a study folder.

Writes ``report/`` in the study folder: ``metrics.png``/``.svg``, and where the study
asks for them the trade-off table (``trade_off.csv``, ``trade_off.png``) with its Pareto
front and the tornado of the headline saving (``tornado.csv``, ``tornado.png``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from logistics.outputs.study_charts import metrics_chart, tornado_chart, trade_off_chart
from logistics.study.analysis import headline_saving, tornado_table, trade_off_table
from logistics.study.spec import Study
from logistics.study.store import StudyStore
from logistics.study.table import results_table

REPORT_FOLDER = "report"


@dataclass(frozen=True)
class StudyReport:
    """What the report found and the files it wrote."""

    study: Study
    results: pd.DataFrame
    trade_off: pd.DataFrame | None
    tornado: pd.DataFrame | None
    headline_saving: float | None
    files: list[Path] = field(default_factory=list)


def study_report(folder: Path) -> StudyReport:
    """Compute and write the report of the study in ``folder``."""
    study = Study.model_validate(StudyStore(folder).manifest()["study"])
    frame = results_table(folder)
    target = folder / REPORT_FOLDER
    axes = list(study.grid)
    files = metrics_chart(frame, axes, study.report.metrics, target)
    trade_off = tornado = None
    saving = None
    spec = study.report.trade_off
    if spec is not None:
        trade_off = trade_off_table(frame, spec, study.axis_labels(spec.options))
        trade_off.to_csv(target / "trade_off.csv")
        files += [target / "trade_off.csv", *trade_off_chart(trade_off, spec, target)]
    headline = study.report.headline
    if headline is not None:
        saving = headline_saving(frame, headline)
        if study.one_at_a_time:
            tornado = tornado_table(frame, headline, study.one_at_a_time)
            tornado.to_csv(target / "tornado.csv", index=False)
            files += [target / "tornado.csv", *tornado_chart(tornado, headline.metric, target)]
    return StudyReport(study, frame, trade_off, tornado, saving, files)
