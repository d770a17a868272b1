"""``logistics resilience SCENARIO.yaml [--samples N] [--seed S] [--designs both|own]
[--out DIR] [--json]``.

Runs :func:`logistics.analysis.resilience.resilience_report` with a progress bar (ETA)
and prints it as tables (or JSON); ``--out`` writes it to disk (``resilience.json`` and
CSV tables). Routing solutions are shared on disk with every other command
(``<results_dir>/solutions``), so a rerun solves nothing twice. Bad input exits with
code 2 and every problem listed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, cast, get_args

import typer

from logistics.analysis.resilience import Designs
from logistics.analysis.resilience.report import ResilienceReport, resilience_report
from logistics.cli.common import guarded, out
from logistics.cli.study import eta_progress
from logistics.errors import InputError, Problem
from logistics.io.durable import write_text_atomically
from logistics.outputs.tables import resilience_tables
from logistics.pipeline.batch import SharedWork, sharing
from logistics.pipeline.scenario_check import check_file
from logistics.pipeline.solutions import SolutionStore

REPORT_FILE = "resilience.json"


def resilience(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file (with disruptions)")],
    samples: Annotated[int, typer.Option(min=0, help="Monte Carlo samples (random link "
                                                     "closures or supplier outages)")] = 20,
    seed: Annotated[int, typer.Option(min=0, help="Monte Carlo seed")] = 1,
    designs: Annotated[str, typer.Option(
        help="both (the scenario's design and its twin with the other design) or own "
             "(the scenario's design alone)")] = "both",
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Write the report here (resilience.json and CSV tables)")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """How the scenario's design and its twin hold up: disrupted vs normal, days of
    autonomy, supplier concentration, critical links, Monte Carlo robustness."""
    def action() -> ResilienceReport:
        if designs not in get_args(Designs):
            raise InputError([Problem("--designs", "", "designs", repr(designs),
                                      " or ".join(get_args(Designs)))])
        spec, checked = check_file(scenario)
        with eta_progress() as bar:
            task = bar.add_task(f"{spec.name}: solving", total=None)

            def report(_: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            with sharing(SharedWork(SolutionStore.default(), report)):
                return resilience_report(spec, checked.dataset, checked.travel,
                                         samples=samples, seed=seed, source=str(scenario),
                                         designs=cast(Designs, designs))

    report = guarded(action)
    if out_dir is not None:
        write_report(report, out_dir)
    if json_output:
        out.print_json(json.dumps(report))
        return
    print_report(report)
    if out_dir is not None:
        out.print(f"Report written to {out_dir}/")


def print_report(report: ResilienceReport) -> None:
    """The report as tables for a terminal."""
    for renderable in resilience_tables(report):
        out.print(renderable)


def write_report(report: Mapping[str, Any], folder: Path) -> list[Path]:
    """``resilience.json`` (the whole report, strict JSON) and CSV tables: ``designs.csv``
    (one row per design, normal vs disrupted), ``monte_carlo.csv`` (one row per sample
    and design) and ``critical_links.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomically(folder / REPORT_FILE,
                          json.dumps(report, indent=2, allow_nan=False, default=str) + "\n")
    designs = [{"design": name, **{k: v for k, v in values.items() if not isinstance(v, dict)}}
               for name, values in report["designs"].items()]
    samples = [{"sample": row["sample"], "kind": row["kind"], "disruption": row["disruption"],
                "design": name, **row[name]}
               for row in report["monte_carlo"].get("per_sample", [])
               for name in report["designs_compared"]]
    links = report["critical_links"].get("links", [])
    links = [{**link, "unit_ids": ";".join(link["unit_ids"]),
              "sites_cut_off": ";".join(link["sites_cut_off"])} for link in links]
    paths = [folder / REPORT_FILE]
    for name, rows in (("designs", designs), ("monte_carlo", samples),
                       ("critical_links", links)):
        paths.append(_write_rows(folder / f"{name}.csv", rows))
    return paths


def _write_rows(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    rows = list(rows)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
