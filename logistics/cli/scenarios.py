"""Scenario commands: ``logistics demo | run | compare | validate | schema``.

Bad input exits with code 2 and the full list of problems, never a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from logistics.analysis.compare import PERIODS, Comparison, comparison
from logistics.analysis.resilience.report import resilience_report
from logistics.cli.common import console, guarded, out
from logistics.cli.resilience import write_report as write_resilience
from logistics.cli.study import eta_progress
from logistics.outputs.locale import LANGUAGES, locale_for
from logistics.outputs.report import DEFAULT_DPI, build_report
from logistics.outputs.run_folder import run_to_folder
from logistics.outputs.tables import decomposition_tables, kpi_table, note_lines
from logistics.paths import PROJECT_ROOT, SCENARIO_SCHEMA_FILE, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.batch import SharedWork, sharing
from logistics.pipeline.result import ResultSummary, ScenarioResult, read_summaries
from logistics.pipeline.scenario_check import CheckedScenario, check_file, check_scenario
from logistics.pipeline.solutions import SolutionStore
from logistics.scenarios.files import load_scenario, scenario_json_schema
from logistics.scenarios.schema import Scenario
from logistics.settings import get_settings
from logistics.study.files import STUDIES_DIR, load_study_file
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.store import VariantRecord
from logistics.travel.base import TravelModel

DEMO_SCENARIOS = ("direct", "consolidated-diesel", "consolidated-ev", "consolidated-2x")
"""Scenario files of ``scenarios/bergen/`` that ``logistics demo`` runs, baseline first."""
DEMO_HAZARDS = ("hub-outage-3d", "diesel-shortage-2w", "power-outage-winter-2d")
"""Disruption scenarios whose resilience (both designs) the demo's report shows; the
first also carries the Monte Carlo of random supplier outages."""
DEMO_SAMPLES = 6
"""Random supplier outages of the demo's Monte Carlo (each costs a few routing problems)."""
DEMO_STUDY = "bergen-demo-sensitivity.yaml"
"""The sensitivity study (``studies/``) behind the report's ranges and tornado."""
BERGEN_NETWORK = "bergen"

def _run_with_progress(checked: CheckedScenario, folder: Path, workers: int) -> ScenarioResult:
    """Run a checked scenario to its result folder, with a progress bar of the solving."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(f"{checked.scenario.name}: solving", total=None)

        def report(_: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run_to_folder(checked, folder, workers=workers, progress=report,
                             solution_store=SolutionStore.default())


def _print_comparison(compared: Comparison, summaries: Sequence[ResultSummary]) -> None:
    out.print(kpi_table(compared))
    for table in decomposition_tables(compared):
        out.print(table)
    for line in note_lines(summaries):
        out.print(line)


def demo(
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the results (default: <results_dir>/demo)")] = None,
    time_limit_s: Annotated[float | None, typer.Option(
        help="Safety cap on each routing problem's search (s); searches stop by iteration "
             "or solution count first; default from the scenario files")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Processes for independent routing problems (default: settings)")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    lang: Annotated[str, typer.Option(help="Language of the report: "
                                           + " or ".join(LANGUAGES))] = "en",
    no_report: Annotated[bool, typer.Option("--no-report",
                                            help="Do not write <out>/report")] = False,
    no_studies: Annotated[bool, typer.Option(
        "--no-studies", help="Skip the sensitivity and resilience studies (the report then "
                             "has no ranges, tornado or hazards)")] = False,
    samples: Annotated[int, typer.Option(
        min=0, help="Random supplier outages of the resilience Monte Carlo")] = DEMO_SAMPLES,
    dpi: Annotated[int, typer.Option(
        min=50, max=600, help="Resolution of the report PDF's images")] = DEFAULT_DPI,
) -> None:
    """Run the Bergen study (direct vs consolidated), a small sensitivity study and the
    resilience of both designs to several hazards, print the comparison and write the
    report (HTML, PDF, XLSX, maps, charts) into <out>/report."""
    from logistics.travel.network.cache import network_exists

    started = time.perf_counter()
    guarded(lambda: locale_for(lang))  # a bad --lang fails before anything is solved

    def action() -> tuple[list[ResultSummary], Path, list[Path], list[Path]]:
        settings = get_settings(workers=workers)
        folder = out_dir or settings.results_dir / "demo"
        use_road = network_exists(BERGEN_NETWORK)
        console.print(
            f"Travel model: road network '{BERGEN_NETWORK}' (cached)" if use_road else
            "Travel model: crow-fly (no cached Bergen road network; run "
            "'logistics network fetch --place \"Bergen, Norway\" --name bergen' where there "
            "is internet). Travel is approximate.")
        overrides: dict[str, object] = {}
        if use_road:
            overrides |= {"travel.model": "road", "travel.network": BERGEN_NETWORK}
        if time_limit_s is not None:
            overrides["solver.time_limit_s"] = time_limit_s
        summaries: list[ResultSummary] = []
        travel: TravelModel | None = None  # one model (and its caches) for every scenario
        for name in DEMO_SCENARIOS:
            path = SHIPPED_SCENARIOS_DIR / f"{name}.yaml"
            scenario = load_scenario(path).with_overrides(overrides, "command line")
            checked = check_scenario(scenario, str(path), travel=travel)
            travel = checked.travel
            result = _run_with_progress(checked, folder / scenario.name, settings.workers)
            summaries.append(result.summary())
        if no_studies:
            return summaries, folder, [], []
        hazards = [_hazard(name, overrides, travel, samples if number == 0 else 0,
                           folder / "resilience")
                   for number, name in enumerate(DEMO_HAZARDS)]
        study = _sensitivity(folder / "sensitivity", settings.workers)
        return summaries, folder, hazards, [study]

    summaries, folder, hazards, studies = guarded(action)
    if not json_output:
        _print_comparison(comparison(summaries), summaries)
    report_dir = None
    if not no_report:
        folders = [folder / str(s["scenario"]) for s in summaries]
        report_dir = guarded(lambda: build_report(
            folders, folder / "report", lang=lang, hazard_files=hazards, study_dirs=studies,
            dpi=dpi)).folder
    if json_output:
        out.print_json(json.dumps({"results": summaries, "out_dir": str(folder),
                                   "report_dir": None if report_dir is None
                                   else str(report_dir)}))
        return
    if report_dir is not None:
        out.print(f"Report written to {report_dir}/")
    out.print(f"Results written to {folder}/ ({time.perf_counter() - started:.0f} s)")


def _hazard(name: str, overrides: Mapping[str, object], travel: TravelModel | None, samples: int,
            out_dir: Path) -> Path:
    """The resilience of both designs to the shipped disruption scenario ``name``, written
    to ``out_dir/<name>/resilience.json``."""
    path = SHIPPED_SCENARIOS_DIR / f"{name}.yaml"
    scenario = load_scenario(path).with_overrides(overrides, "command line")
    checked = check_scenario(scenario, str(path), travel=travel)
    with eta_progress() as bar:
        task = bar.add_task(f"{scenario.name}: resilience", total=None)

        def report(_: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with sharing(SharedWork(SolutionStore.default(), report)):
            made = resilience_report(scenario, checked.dataset, checked.travel, samples=samples,
                                     seed=1, source=str(path))
    return write_resilience(made, out_dir / name)[0]


def _sensitivity(out_dir: Path, workers: int) -> Path:
    """The demo's sensitivity study run into ``out_dir``, sharing routing solutions with
    the demo's scenarios."""
    loaded = load_study_file(STUDIES_DIR / DEMO_STUDY)
    with eta_progress() as bar:
        task = bar.add_task(f"{loaded.study.name}: variants", total=None)

        def report(done: int, total: int, _: VariantRecord) -> None:
            bar.update(task, completed=done, total=total)

        run_study(loaded, out_dir, LocalRunner(workers), report, SolutionStore.default())
    return out_dir


def run(
    scenario_path: Annotated[Path, typer.Argument(help="Scenario YAML file")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Result folder")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Processes for independent routing problems (default: settings)")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Run one scenario and write its result folder."""

    def action() -> tuple[ScenarioResult, Path]:
        settings = get_settings(workers=workers)
        scenario, checked = check_file(scenario_path)
        folder = out_dir or settings.results_dir / scenario.name
        return _run_with_progress(checked, folder, settings.workers), folder

    result, folder = guarded(action)
    if json_output:
        out.print_json(json.dumps(result.summary() | {"out_dir": str(folder)}))
        return
    _print_comparison(comparison([result.summary()]), [result.summary()])
    out.print(f"Result written to {folder}/")


def compare(
    result_dirs: Annotated[list[Path], typer.Argument(help="Result folders")],
    baseline: Annotated[str | None, typer.Option(help="Baseline scenario name")] = None,
    period: Annotated[str, typer.Option(help=" or ".join(PERIODS))] = "week",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Compare result folders side by side against a baseline."""
    summaries = guarded(lambda: read_summaries(result_dirs))
    compared = guarded(lambda: comparison(summaries, baseline, period))
    if json_output:
        out.print_json(json.dumps(compared, allow_nan=False))
        return
    _print_comparison(compared, summaries)


def validate(scenario_path: Annotated[Path, typer.Argument(help="Scenario YAML file")]) -> None:
    """Validate a scenario (merged with its bases), the study data, road network and
    disruptions it names."""

    def action() -> tuple[Scenario, CheckedScenario]:
        get_settings()  # the tool's settings are input too
        return check_file(scenario_path)

    scenario, checked = guarded(action)
    out.print(f"{scenario_path}: valid scenario '{scenario.name}' ({scenario.design})")
    for note in checked.notes:
        out.print(f"Note: {note}")


def schema(
    write: Annotated[bool, typer.Option(help="Write the checked-in schema file")] = False,
) -> None:
    """Print (or write) the JSON schema of the scenario format."""
    text = scenario_json_schema()
    if write:
        SCENARIO_SCHEMA_FILE.write_text(text, encoding="utf-8")
        out.print(f"wrote {SCENARIO_SCHEMA_FILE.relative_to(PROJECT_ROOT)}")
    else:
        sys.stdout.write(text)
