"""``logistics study run | status | report | schema``: batch studies.

``run`` validates the study file (every problem at once, exit 2) before anything is
solved, then runs the variants not yet done in the study folder, on a local process
pool or, with ``--scheduler``, on a Dask cluster, with progress and an ETA.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from logistics.cli.common import console, guarded, out
from logistics.outputs.study_report import StudyReport, study_report
from logistics.paths import PROJECT_ROOT
from logistics.settings import get_settings
from logistics.study.files import STUDY_SCHEMA_FILE, load_study_file, study_json_schema
from logistics.study.run import StudyRun, run_study
from logistics.study.runners import DaskRunner, LocalRunner, Runner
from logistics.study.store import DONE, FAILED, PENDING, VariantRecord
from logistics.study.table import results_table

study_app = typer.Typer(help="Batch studies: many variants of a scenario, resumable.",
                        no_args_is_help=True)


def eta_progress() -> Progress:
    """A progress bar with count, elapsed time and time remaining (standard error)."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=console, transient=True)


@study_app.command()
def run(
    study_path: Annotated[Path, typer.Argument(help="Study YAML file")],
    workers: Annotated[int | None, typer.Option(
        min=1, help="Local processes running variants (default: settings)")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Run on this Dask scheduler (tcp://HOST:PORT) instead of locally")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Study folder (default: <results_dir>/studies/<study name>)")] = None,
) -> None:
    """Run every variant of a study not already done in its folder."""

    def action() -> StudyRun:
        settings = get_settings(workers=workers)
        loaded = load_study_file(study_path)
        folder = out_dir or settings.results_dir / "studies" / loaded.study.name
        runner: Runner = (DaskRunner(scheduler) if scheduler
                          else LocalRunner(settings.workers))
        console.print(f"{loaded.study.name}: {len(loaded.variants)} variants, "
                      f"{runner.description}")
        with eta_progress() as bar:
            task = bar.add_task(f"{loaded.study.name}: variants", total=None)

            def report(done: int, total: int, record: VariantRecord) -> None:
                bar.update(task, completed=done, total=total)
                if record.status != DONE:
                    console.print(f"variant {record.scenario} failed: "
                                  f"{len(record.problems)} problem(s)")

            return run_study(loaded, folder, runner, report)

    result = guarded(action)
    out.print(f"{result.ran} variant(s) run, {result.skipped} already done, "
              f"{result.failed} failed; results in {result.folder}/")


@study_app.command()
def status(folder: Annotated[Path, typer.Argument(help="Study folder")]) -> None:
    """How far a study is: variants done, failed and pending, and each failure."""
    frame = guarded(lambda: results_table(folder))
    counts = frame["status"].value_counts()
    table = Table(title=f"Study {folder.name}")
    for column in ("variants", DONE, FAILED, PENDING):
        table.add_column(column, justify="right")
    table.add_row(str(len(frame)), *(str(int(counts.get(s, 0))) for s in (DONE, FAILED,
                                                                            PENDING)))
    out.print(table)
    for row in frame[frame["status"] == FAILED].itertuples():
        out.print(f"variant {row.variant} ({row.scenario}) failed: {row.problems}",
                  markup=False, highlight=False)


def _frame_table(frame: Any, title: str) -> Table:
    """A DataFrame as a terminal table, numbers to four significant digits."""
    table = Table(title=title)
    columns = [frame.index.name or "", *frame.columns]
    for column in columns:
        table.add_column(str(column), justify="left" if column == columns[0] else "right")
    for index, row in frame.iterrows():
        table.add_row(str(index), *(f"{v:.4g}" if isinstance(v, float) else str(v)
                                    for v in row))
    return table


@study_app.command()
def report(folder: Annotated[Path, typer.Argument(help="Study folder")]) -> None:
    """Write the study's charts and tables to <folder>/report and print the trade-off
    (with its Pareto front) and the tornado of the headline saving."""
    made: StudyReport = guarded(lambda: study_report(folder))
    headline = made.study.report.headline
    if made.trade_off is not None:
        out.print(_frame_table(made.trade_off, "Trade-off (pareto: not beaten on every "
                                               "criterion)"))
    if headline is not None and made.headline_saving is not None:
        out.print(f"Headline: {headline.metric} of {headline.option} against "
                  f"{headline.baseline}: saving {made.headline_saving:.1%}")
    if made.tornado is not None:
        out.print(_frame_table(made.tornado.set_index("input").drop(columns="note"),
                               "Sensitivity of the headline saving, widest first"))
    for path in made.files:
        out.print(f"wrote {path}")


@study_app.command()
def schema(
    write: Annotated[bool, typer.Option(help="Write the checked-in schema file")] = False,
) -> None:
    """Print (or write) the JSON schema of the study format."""
    text = study_json_schema()
    if write:
        STUDY_SCHEMA_FILE.write_text(text, encoding="utf-8")
        out.print(f"wrote {STUDY_SCHEMA_FILE.relative_to(PROJECT_ROOT)}")
    else:
        sys.stdout.write(text)
