"""Command line: ``logistics demo | run | compare | validate | schema | network | bench``.

Bad input exits with code 2 and the full list of problems, never a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from logistics.cli_support import console, guarded, out
from logistics.compare import comparison
from logistics.result import ScenarioResult, read_summary, write_result
from logistics.run import check_scenario, make_travel_model, run_scenario
from logistics.scenario import SCHEMA_PATH, Scenario, load_scenario, scenario_json_schema
from logistics.settings import get_settings
from logistics.study import PACKAGE_ROOT

app = typer.Typer(help="Plan municipal goods deliveries: direct vs consolidated, emissions, "
                       "cost and supply security.", no_args_is_help=True)

DEMO_SCENARIOS = ("direct", "consolidated-diesel", "consolidated-ev", "consolidated-2x")
"""Scenario files of ``scenarios/bergen/`` that ``logistics demo`` runs, baseline first."""
DEMO_DIR = PACKAGE_ROOT / "scenarios" / "bergen"
BERGEN_NETWORK = "bergen"

TABLE_KPIS: tuple[tuple[str, str, int], ...] = (
    ("deliveries", "deliveries / week", 0),
    ("hub_inbound_trips", "hub inbound trips / week", 0),
    ("vehicle_km", "vehicle-km / week", 0),
    ("vehicle_hours", "vehicle-hours / week", 1),
    ("routes", "routes / week", 0),
    ("vehicles_used", "vehicles on peak day", 0),
    ("load_factor", "load factor", 2),
    ("energy_kwh", "energy kWh / week", 0),
    ("co2e_wtw_kg", "CO2e WTW kg / week", 0),
    ("nox_g", "NOx g / week", 0),
    ("pm_g", "PM g / week", 0),
    ("cost_nok", "cost NOK / week", 0),
    ("served_demand_share", "served demand share", 3),
    ("unserved_deliveries", "unserved deliveries / week", 0),
)


def _run_with_progress(scenario: Scenario, source: str, travel_override: Any = None,
                       workers: int | None = None) -> ScenarioResult:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(f"{scenario.name}: solving", total=None)

        def report(_: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run_scenario(scenario, source=source, travel=travel_override,
                            workers=get_settings(workers=workers).workers, progress=report)


def _kpi_table(summaries: Sequence[dict[str, Any]], baseline: str) -> Table:
    table = Table(title=f"Bergen study: KPIs per week (change vs {baseline})")
    table.add_column("KPI")
    names = [s["scenario"] for s in summaries]
    for name in names:
        table.add_column(name, justify="right")
    compared = comparison(summaries, baseline)
    by_kpi = {row["kpi"]: row for row in compared["rows"]}
    for kpi, label, digits in TABLE_KPIS:
        row = by_kpi[kpi]
        cells = []
        for name in names:
            value = row[name]
            text = "-" if value is None else f"{value:,.{digits}f}"
            pct = row.get(f"{name}_change_pct")
            if pct is not None:
                text += f" ({pct:+.0f}%)"
            cells.append(text)
        table.add_row(label, *cells)
    return table


def _print_notes(summaries: Sequence[dict[str, Any]]) -> None:
    notes = sorted({note for s in summaries for note in s.get("notes", [])})
    for note in notes:
        out.print(f"Note: {note}")
    shown = ("method", "electricity_basis", "electricity_co2e_kg_per_kwh", "biogenic_co2",
             "carbon_price_year")
    methods = {json.dumps({k: s.get("emissions_method", {}).get(k) for k in shown})
               for s in summaries}
    for method in sorted(methods):
        details = {k: v for k, v in json.loads(method).items() if v is not None}
        if details:
            out.print("Emissions: " + "; ".join(f"{k}={v}" for k, v in details.items()))


@app.command()
def demo(
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the results (default: <results_dir>/demo)")] = None,
    time_limit_s: Annotated[float | None, typer.Option(
        help="Solver time per routing problem (s); default from the scenario files")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Processes for independent routing problems (default: settings)")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Run the Bergen study (direct vs consolidated) and print the comparison."""
    from logistics.network.cache import network_exists

    started = time.perf_counter()
    out_dir = out_dir or get_settings().results_dir / "demo"
    use_road = network_exists(BERGEN_NETWORK)
    console.print(
        f"Travel model: road network '{BERGEN_NETWORK}' (cached)" if use_road else
        "Travel model: crow-fly (no cached Bergen road network; run "
        "'logistics network fetch --place \"Bergen, Norway\" --name bergen' where there is "
        "internet). Travel is approximate.")

    def action() -> list[dict[str, Any]]:
        summaries = []
        travel = None
        for name in DEMO_SCENARIOS:
            path = DEMO_DIR / f"{name}.yaml"
            scenario = load_scenario(path)
            update: dict[str, Any] = {}
            if use_road:
                update["travel"] = scenario.travel.model_copy(
                    update={"model": "road", "network": BERGEN_NETWORK})
            if time_limit_s is not None:
                update["solver"] = scenario.solver.model_copy(
                    update={"time_limit_s": time_limit_s})
            scenario = scenario.model_copy(update=update)
            travel = travel or make_travel_model(scenario.travel)
            result = _run_with_progress(scenario, str(path), travel, workers)
            write_result(result, out_dir / scenario.name)
            summaries.append(result.summary())
        return summaries

    summaries = guarded(action)
    if json_output:
        out.print_json(json.dumps({"results": summaries, "out_dir": str(out_dir)}))
        return
    out.print(_kpi_table(summaries, summaries[0]["scenario"]))
    _print_notes(summaries)
    out.print(f"Results written to {out_dir}/ ({time.perf_counter() - started:.0f} s)")


@app.command()
def run(
    scenario_path: Annotated[Path, typer.Argument(help="Scenario YAML file")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Result folder")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Processes for independent routing problems (default: settings)")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Run one scenario and write its result folder."""

    def action() -> ScenarioResult:
        scenario = load_scenario(scenario_path)
        return _run_with_progress(scenario, str(scenario_path), workers=workers)

    result = guarded(action)
    folder = write_result(result, out_dir or get_settings().results_dir / result.name)
    if json_output:
        out.print_json(json.dumps(result.summary() | {"out_dir": str(folder)}))
        return
    out.print(_kpi_table([result.summary()], result.name))
    _print_notes([result.summary()])
    out.print(f"Result written to {folder}/")


@app.command()
def compare(
    result_dirs: Annotated[list[Path], typer.Argument(help="Result folders")],
    baseline: Annotated[str | None, typer.Option(help="Baseline scenario name")] = None,
    period: Annotated[str, typer.Option(help="week or year")] = "week",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Compare result folders side by side against a baseline."""
    summaries = guarded(lambda: [read_summary(d) for d in result_dirs])
    if period not in ("week", "year"):
        console.print("error: --period must be 'week' or 'year'")
        raise typer.Exit(2)
    try:
        compared = comparison(summaries, baseline, period)
    except ValueError as error:
        console.print(f"error: {error}")
        raise typer.Exit(2) from None
    if json_output:
        out.print_json(json.dumps(compared))
        return
    out.print(_kpi_table(summaries, compared["baseline"]))
    _print_notes(summaries)


@app.command()
def validate(scenario_path: Annotated[Path, typer.Argument(help="Scenario YAML file")]) -> None:
    """Validate a scenario (merged with its bases), the study data, road network and
    disruptions it names."""

    def action() -> tuple[Scenario, tuple[str, ...]]:
        scenario = load_scenario(scenario_path)
        return scenario, check_scenario(scenario, str(scenario_path))

    scenario, notes = guarded(action)
    out.print(f"{scenario_path}: valid scenario '{scenario.name}' ({scenario.design})")
    for note in notes:
        out.print(f"Note: {note}")


@app.command()
def schema(
    write: Annotated[bool, typer.Option(help="Write the checked-in schema file")] = False,
) -> None:
    """Print (or write) the JSON schema of the scenario format."""
    text = scenario_json_schema()
    if write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        out.print(f"wrote {SCHEMA_PATH.relative_to(PACKAGE_ROOT)}")
    else:
        sys.stdout.write(text)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Serve the HTTP API (scenarios, runs, results, comparison); docs at /docs."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(), host=host, port=port)


def _mount_subapps() -> None:
    from logistics.bench.cli import bench_app
    from logistics.network.cli import network_app
    from logistics.resilience_cli import resilience

    app.command(name="resilience")(resilience)

    app.add_typer(network_app, name="network", help="Road networks: fetch, import, info, "
                                                    "export, matrix.")
    app.add_typer(bench_app, name="bench", help="Solver benchmarks against best-known "
                                                "solutions.")


_mount_subapps()
