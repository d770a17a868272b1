"""``logistics report RESULT_DIR... [--baseline NAME] [--out DIR]``.

For now the report holds maps only (:mod:`logistics.outputs.maps`): one per result
folder and the baseline beside each other scenario, as PNG, SVG and PDF. The HTML/PDF
report, charts and XLSX tables are still to come. Bad input exits with code 2 and
every problem listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from logistics.cli.common import guarded, out
from logistics.outputs.maps import write_maps
from logistics.pipeline.result import read_summaries
from logistics.settings import get_settings


def report(
    result_dirs: Annotated[list[Path], typer.Argument(help="Result folders")],
    baseline: Annotated[str | None, typer.Option(
        help="Baseline scenario name (default: the first folder's)")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Report folder (default: <results_dir>/report)")] = None,
) -> None:
    """Write the report of result folders; so far it holds maps only (maps/<scenario>
    and maps/<baseline>-vs-<other>, PNG 300 dpi, SVG, PDF). HTML/PDF report, charts
    and XLSX are still to come."""

    def action() -> tuple[list[Path], Path]:
        folder = out_dir or get_settings().results_dir / "report"
        names = [str(s["scenario"]) for s in read_summaries(result_dirs)]
        return write_maps(result_dirs, names, baseline, folder), folder

    written, folder = guarded(action)
    out.print(f"{len(written)} map files written to {folder / 'maps'}/")
