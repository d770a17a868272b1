"""The comparison as an XLSX workbook, one sheet per table: KPIs per week and per year,
the decomposition of the change, the routes of each scenario, the deliveries not made,
notes and method, each study's trade-off table and tornado, and an "about" sheet with
the question, caveats and sources.

Numbers are stored as numbers with a number format (Excel shows them in the reader's own
number style), the header row is frozen and columns are as wide as their contents. Sheet
names, headers, route kinds, vehicle and category names, weekdays, reasons and the
method's fields and coded values are in the workbook's language; ids stay as they are
(to find a row in the result files), and so do the solver's technical details (English)
and the sources' own wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format

from logistics.analysis.compare import Comparison, compared_value
from logistics.outputs.locale import Locale, vehicle_names
from logistics.outputs.report_inputs import ReportInputs, StudyResults
from logistics.outputs.tables import KPI_LABELS

WORKBOOK_FILE = "comparison.xlsx"
PERCENT_FORMAT = "+0.0%;-0.0%;0.0%"
MAX_SHEET_NAME = 31
"""Characters Excel allows in a sheet's name."""
MAX_COLUMN_WIDTH = 90
"""Characters; longer texts wrap."""
KPI_DIGITS = "kpi-digits"
"""Number format of value and change columns: each cell takes its row's KPI digits."""


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header and the number format of its cells (``None``:
    text)."""

    header: str
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


def number_format(digits: int) -> str:
    """Grouped thousands and ``digits`` decimals (``#,##0.0``)."""
    return "#,##0" + ("." + "0" * digits if digits else "")


def comparison_sheets(inputs: ReportInputs, locale: Locale, categories: dict[str, str],
                      about: Sequence[tuple[str, str]]) -> list[Sheet]:
    """The workbook's sheets in order; ``about`` holds (topic, text) rows of the question,
    caveats and sources; ``categories`` names the goods in ``locale``'s language."""
    return [
        kpi_sheet(inputs.week, locale, locale.text("workbook.week")),
        kpi_sheet(inputs.year, locale, locale.text("workbook.year")),
        decomposition_sheet(inputs, locale),
        routes_sheet(inputs, locale),
        unserved_sheet(inputs, locale, categories),
        notes_sheet(inputs, locale),
        *(sheet for number, study in enumerate(inputs.studies, start=1)
          for sheet in study_sheets(study, number, locale)),
        Sheet(locale.text("workbook.about"), (Column(locale.text("workbook.topic")),
                                              Column(locale.text("workbook.text"))),
              tuple(about)),
    ]


def kpi_sheet(compared: Comparison, locale: Locale, name: str) -> Sheet:
    """A KPI per row: each scenario's value, then change and change % of each other."""
    names, baseline, period = compared["scenarios"], compared["baseline"], compared["period"]
    others = [n for n in names if n != baseline]
    by_kpi = {row["kpi"]: row for row in compared["rows"]}
    columns = [Column(locale.text("workbook.key")), Column(locale.text("comparison.kpi")),
               *(Column(n, KPI_DIGITS) for n in names)]
    for other in others:
        columns += [Column(locale.text("workbook.change", scenario=other), KPI_DIGITS),
                    Column(locale.text("workbook.change_pct", scenario=other), PERCENT_FORMAT)]
    rows = []
    for label in KPI_LABELS:
        row = by_kpi[label.key]
        cells: list[Any] = [label.key, locale.kpi(label, period), *(row[n] for n in names)]
        for other in others:
            pct = compared_value(row, f"{other}_change_pct")
            cells += [row.get(f"{other}_change"), None if pct is None else pct / 100]
        rows.append(tuple(cells))
    return Sheet(name, tuple(columns), tuple(rows))


def decomposition_sheet(inputs: ReportInputs, locale: Locale) -> Sheet:
    """Per other scenario and metric, each part of the week's change and the total."""
    columns = (Column(locale.text("workbook.scenario")), Column(locale.text("workbook.metric")),
               Column(locale.text("decomposition.part")), Column(locale.text("workbook.key")),
               Column(locale.text("workbook.value"), number_format(1)))
    name = locale.text("workbook.decomposition")
    if not inputs.decomposition:
        return Sheet(name, columns[:1], ((locale.text("decomposition.missing"),),))
    rows = []
    for scenario, metrics in inputs.decomposition.items():
        for metric, split in metrics.items():
            metric_text = locale.text(f"metric.{metric}")
            rows += [(scenario, metric_text, locale.name("part", part["key"]), part["key"],
                      float(part["value"])) for part in split["parts"]]
            rows.append((scenario, metric_text, locale.text("workbook.total"), "total",
                         float(split["total"])))
    return Sheet(name, columns, tuple(rows))


def routes_sheet(inputs: ReportInputs, locale: Locale) -> Sheet:
    """Each scenario's routes per week summed by kind and vehicle type."""
    headers = ("scenario", "kind", "vehicle_type", "vehicle_type_id", "routes_count", "stops",
               "delivered_kg", "distance_km", "duration_h", "co2e_wtw_kg", "cost_nok")
    digits = (None, None, None, None, 0, 0, 0, 1, 1, 1, 0)
    columns = tuple(Column(locale.text(f"workbook.{h}"), None if d is None else number_format(d))
                    for h, d in zip(headers, digits, strict=True))
    names = vehicle_names(locale)
    rows = tuple((scenario, locale.name("route_kind", g.kind),
                  names.get(g.vehicle_type, g.vehicle_type), g.vehicle_type, g.routes, g.stops,
                  g.delivered_kg, g.distance_km, g.duration_h, g.co2e_wtw_kg, g.cost_nok)
                 for scenario in inputs.names for g in inputs.routes.get(scenario, ()))
    return Sheet(locale.text("workbook.routes"), columns, rows)


def unserved_sheet(inputs: ReportInputs, locale: Locale, categories: dict[str, str]) -> Sheet:
    """Every delivery not made, with its reason, per scenario."""
    headers = ("scenario", "order", "unit", "unit_name", "category", "supplier", "day",
               "demand_kg", "reason", "detail")
    columns = tuple(Column(locale.text(f"workbook.{h}"),
                           number_format(1) if h == "demand_kg" else None) for h in headers)
    rows = tuple((str(document["scenario"]), u["order_id"], u["unit_id"], u["unit_name"],
                  categories.get(str(u["category"]), u["category"]), u["supplier_id"],
                  locale.weekday(str(u["day"])), u["demand_kg"],
                  locale.name("reason", str(u["reason"])), u["detail"])
                 for document in inputs.documents for u in document.get("unserved", []))
    return Sheet(locale.text("workbook.unserved"), columns, rows)


def notes_sheet(inputs: ReportInputs, locale: Locale) -> Sheet:
    """Each scenario's notes, travel model and emission method, as the results state them."""
    rows: list[tuple[str, str, str]] = []
    for document in inputs.documents:
        scenario = str(document["scenario"])
        rows += [(scenario, locale.text("workbook.topic.note"), locale.known(str(n)))
                 for n in document.get("notes", [])]
        travel = document.get("travel") or {"model": document.get("travel_model")}
        rows += [(scenario, locale.text("workbook.topic.travel"), _field(locale, k, v))
                 for k, v in travel.items()]
        rows += [(scenario, locale.text("workbook.topic.emissions"), _field(locale, k, v))
                 for k, v in (document.get("emissions_method") or {}).items()]
    columns = (Column(locale.text("workbook.scenario")), Column(locale.text("workbook.topic")),
               Column(locale.text("workbook.text")))
    return Sheet(locale.text("workbook.notes"), columns, tuple(rows))


def _field(locale: Locale, key: str, value: Any) -> str:
    """``field: value`` of a result's method, the field's name and a coded value in
    ``locale``'s language where the catalogues have them."""
    shown = locale.name("code", value) if isinstance(value, str) else value
    return f"{locale.name('field', key)}: {shown}"


def study_sheets(study: StudyResults, number: int, locale: Locale) -> list[Sheet]:
    """The trade-off table and the tornado of the ``number``-th study given, where it
    has them; sheets named ``<table> <number> <study name>``."""
    sheets = []
    name = study.study.name
    spec = study.study.report.trade_off
    if spec is not None and study.trade_off is not None:
        digits = {label.key: label.digits for label in KPI_LABELS}
        criteria = spec.criteria
        columns = (Column(locale.text("study.option")),
                   *(Column(c.name, number_format(digits.get(c.metric, 0))) for c in criteria),
                   *(Column(locale.text("workbook.rank", criterion=c.name), number_format(0))
                     for c in criteria),
                   Column(locale.text("study.pareto")))
        rows = tuple((str(option), *(_cell(row[c.name]) for c in criteria),
                      *(_cell(row[f"{c.name}_rank"]) for c in criteria),
                      locale.text("study.yes") if row["pareto"] else "")
                     for option, row in study.trade_off.iterrows())
        sheets.append(Sheet(_sheet_name(locale.text("workbook.trade_off"), number, name),
                            columns, rows))
    if study.tornado is not None:
        share = "0.0%"
        columns = (Column(locale.text("study.input")),
                   Column(locale.text("study.saving_low"), share),
                   Column(locale.text("study.saving_high"), share),
                   Column(locale.text("study.saving_base"), share),
                   Column(locale.text("study.range"), share),
                   Column(locale.text("study.flips_sign")), Column(locale.text("study.note")))
        rows = tuple((str(row["input"]), _cell(row["saving_low"]), _cell(row["saving_high"]),
                      _cell(row["saving_base"]), _cell(row["range"]),
                      locale.text("study.yes") if row["flips_sign"] else "", str(row["note"]))
                     for _, row in study.tornado.iterrows())
        sheets.append(Sheet(_sheet_name(locale.text("workbook.tornado"), number, name),
                            columns, rows))
    return sheets


def _sheet_name(table: str, number: int, study_name: str) -> str:
    """Unique per study given (the number comes first), cut to Excel's length."""
    return f"{table} {number} {study_name}"[:MAX_SHEET_NAME]


def _cell(value: Any) -> float | None:
    """A number of a pandas table as a workbook cell (a plain float); missing (NaN, NA)
    blank."""
    return None if pd.isna(value) else float(value)


def write_workbook(sheets: Sequence[Sheet], path: Path) -> Path:
    """Write ``sheets`` to ``path`` (XLSX); returns it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    header = book.add_format({"bold": True, "bg_color": "#e8e8e8", "bottom": 1,
                              "text_wrap": True, "valign": "top"})
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    formats: dict[str, Format] = {}

    def numeric(code: str) -> Format:
        if code not in formats:
            formats[code] = book.add_format({"num_format": code, "valign": "top"})
        return formats[code]

    kpi_digits = {label.key: label.digits for label in KPI_LABELS}
    for sheet in sheets:
        page = book.add_worksheet(sheet.name)
        widths = [len(column.header) for column in sheet.columns]
        for col, column in enumerate(sheet.columns):
            page.write_string(0, col, column.header, header)
        for number, row in enumerate(sheet.rows, start=1):
            for col, (column, value) in enumerate(zip(sheet.columns, row, strict=False)):
                code = column.number_format
                if code == KPI_DIGITS:
                    code = number_format(kpi_digits.get(str(row[0]), 0))
                if value is None:
                    page.write_blank(number, col, None)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    page.write_number(number, col, value, numeric(code or "General"))
                    widths[col] = max(widths[col], len(f"{value:,.0f}") + 4)
                else:
                    page.write_string(number, col, str(value), wrapped)
                    widths[col] = max(widths[col], len(str(value)))
        for col, width in enumerate(widths):
            page.set_column(col, col, min(width + 2, MAX_COLUMN_WIDTH))
        page.freeze_panes(1, 0)
    book.close()
    return path
