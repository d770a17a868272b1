"""``logistics report RESULT_DIR... [--baseline NAME] [--lang en|nb] [--resilience FILE]...
[--study DIR]... [--dpi N] [--out DIR]``.

Writes the decision-document report of result folders (:mod:`logistics.outputs.report`):
``report.html`` and ``report.pdf`` in English or bokmål, ``comparison.xlsx``, maps, the
interactive map ``webmap.html`` (linked from the report), charts and each scenario's GIS
layers; each ``--resilience`` report is a hazard of the summary; each ``--study``
folder of ``logistics study run`` adds its trade-off and tornado to the study section
and the workbook. Bad input exits with code 2 and every problem
listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from logistics.cli.common import guarded, out
from logistics.outputs.locale import LANGUAGES
from logistics.outputs.report import DEFAULT_DPI, ReportFiles, build_report
from logistics.settings import get_settings


def report(
    result_dirs: Annotated[list[Path], typer.Argument(help="Result folders")],
    baseline: Annotated[str | None, typer.Option(
        help="Baseline scenario name (default: the first folder's)")] = None,
    lang: Annotated[str, typer.Option(help=" or ".join(LANGUAGES))] = "en",
    resilience: Annotated[list[Path] | None, typer.Option(
        help="JSON of 'logistics resilience SCENARIO.yaml --json' for the supply-security "
             "section (repeatable: one per hazard, the first shown in detail)")] = None,
    study: Annotated[list[Path] | None, typer.Option(
        help="Study folder of 'logistics study run' for the study-results section "
             "(repeatable: e.g. the hub choice and the sensitivity study)")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Report folder (default: <results_dir>/report)")] = None,
    dpi: Annotated[int, typer.Option(
        min=50, max=600, help="Resolution of the PDF's images")] = DEFAULT_DPI,
) -> None:
    """Write the report of result folders: report.html and report.pdf, comparison.xlsx,
    maps (PNG 300 dpi, SVG, PDF), the interactive map webmap.html, charts and GIS
    layers, with the results of the studies given."""

    def action() -> ReportFiles:
        folder = out_dir or get_settings().results_dir / "report"
        return build_report(result_dirs, folder, baseline=baseline, lang=lang,
                            hazard_files=resilience or [], study_dirs=study or [], dpi=dpi)

    written = guarded(action)
    out.print(f"Report written to {written.folder}/: {written.html.name}, "
              f"{written.pdf.name}, {written.workbook.name}, {written.web_map.name} and the "
              f"maps, charts and GIS layers ({len(written.all)} files)")
