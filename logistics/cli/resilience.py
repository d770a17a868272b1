"""``logistics resilience SCENARIO.yaml --samples N [--seed S] [--json]``.

Runs :func:`logistics.analysis.resilience.resilience_report` and prints it as tables (or JSON).
Bad input exits with code 2 and every problem listed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from logistics.analysis.resilience.report import resilience_report
from logistics.cli.common import guarded, out
from logistics.outputs.tables import resilience_tables
from logistics.pipeline.check import check_file


def resilience(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file (with disruptions)")],
    samples: Annotated[int, typer.Option(min=0, help="Monte Carlo samples (random link "
                                                     "closures or supplier outages)")] = 20,
    seed: Annotated[int, typer.Option(min=0, help="Monte Carlo seed")] = 1,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """How the scenario's design and its twin hold up: disrupted vs normal, days of
    autonomy, supplier concentration, critical links, Monte Carlo robustness."""
    def action() -> dict[str, Any]:
        spec, checked = check_file(scenario)
        return resilience_report(spec, checked.study, checked.travel, samples=samples,
                                 seed=seed, source=str(scenario))

    report = guarded(action)
    if json_output:
        out.print_json(json.dumps(report))
        return
    print_report(report)


def print_report(report: dict[str, Any]) -> None:
    """The report as tables for a terminal."""
    for renderable in resilience_tables(report):
        out.print(renderable)
