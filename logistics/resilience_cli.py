"""``logistics resilience SCENARIO.yaml --samples N [--seed S] [--json]``.

Runs :func:`logistics.resilience.resilience_report` and prints it as tables (or JSON).
Bad input exits with code 2 and every problem listed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from logistics.cli_support import guarded, out
from logistics.resilience import HIGHER_IS_BETTER, resilience_report
from logistics.run import make_travel_model
from logistics.scenario import load_scenario
from logistics.study import load_study

IMPACT_ROWS: tuple[tuple[str, str, int], ...] = (
    ("normal_served_demand_share", "served demand share, normal", 4),
    ("served_demand_share", "served demand share, disrupted", 4),
    ("normal_units_fully_served_share", "units fully served, normal", 3),
    ("units_fully_served_share", "units fully served, disrupted", 3),
    ("unmet_kg", "unmet kg / week", 0),
    ("vehicle_km", "vehicle-km / week, disrupted", 0),
    ("extra_vehicle_km", "extra vehicle-km / week", 0),
    ("extra_co2e_wtw_kg", "extra CO2e WTW kg / week", 0),
    ("extra_cost_nok", "extra cost NOK / week", 0),
)


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
        spec = load_scenario(scenario)
        study = load_study(spec.resolve(spec.study_dir))
        return resilience_report(spec, study, make_travel_model(spec.travel),
                                 samples=samples, seed=seed, source=str(scenario))

    report = guarded(action)
    if json_output:
        out.print_json(json.dumps(report))
        return
    print_report(report)


def print_report(report: dict[str, Any]) -> None:
    """The report as tables for a terminal."""
    names = report["designs_compared"]
    title = f"{report['scenario']}: disrupted vs normal week"
    table = Table(title=title)
    table.add_column("metric")
    for name in names:
        table.add_column(name, justify="right")
    if len(names) > 1:
        table.add_column("holds up better")
    better = report["holds_up_better"]
    for key, label, digits in IMPACT_ROWS:
        cells = [f"{report['designs'][n][key]:,.{digits}f}" for n in names]
        if len(names) > 1:
            cells.append(better.get(key, "") if key in HIGHER_IS_BETTER else "")
        table.add_row(label, *cells)
    out.print(table)
    for name in names:
        unmet = report["designs"][name]["unmet_kg_by_category"]
        if unmet:
            out.print(f"{name}: unmet kg / week by category: "
                      + ", ".join(f"{k} {v:,.0f}" for k, v in unmet.items()))
        reasons = report["designs"][name]["unserved_deliveries_by_reason"]
        if reasons:
            out.print(f"{name}: unserved deliveries by reason: "
                      + ", ".join(f"{k} {v}" for k, v in reasons.items()))
    _print_autonomy(report, names)
    concentration = report["supplier_concentration"]
    out.print(f"Supplier concentration: HHI of all goods "
              f"{concentration['hhi_all_goods']:,.0f}; "
              f"{concentration['units_depending_on_a_single_supplier_without_alternate']} of "
              f"{concentration['units']} units depend on a single supplier without alternate "
              "for at least one category.")
    links = report["critical_links"]
    if not links["available"]:
        out.print(f"Critical links: not computed: {links['reason']}")
    else:
        _print_links(links)
    _print_monte_carlo(report["monte_carlo"], names)
    for item in report["not_applied"]:
        out.print(f"[bold yellow]Not applied:[/] {item['label']}: {item['reason']}")
    if report["approximate_travel"]:
        out.print("Note: travel is approximate (crow-fly distances times a detour factor).")


def _print_autonomy(report: dict[str, Any], names: list[str]) -> None:
    table = Table(title="Days of autonomy (stock days) and the disrupted week's shortfall")
    table.add_column("category")
    table.add_column("min stock days", justify="right")
    for name in names:
        table.add_column(f"{name}: units short / running out", justify="right")
    categories = report["days_of_autonomy"][names[0]]["by_category"]
    for category, row in categories.items():
        cells = []
        for name in names:
            other = report["days_of_autonomy"][name]["by_category"][category]
            cells.append(f"{other['units_short']} / {other['units_running_out']}")
        table.add_row(category, f"{row['min_stock_days']:g}", *cells)
    out.print(table)


def _print_links(links: dict[str, Any]) -> None:
    table = Table(title=f"Critical links (of {links['candidates_evaluated']} most-used ways)")
    for column in ("OSM way", "street", "units cut off", "extra km / week"):
        table.add_column(column)
    for link in links["links"]:
        table.add_row(str(link["way_id"]), link["street_name"], str(link["units_cut_off"]),
                      f"{link['extra_km_per_week']:,.1f}")
    out.print(table)


def _print_monte_carlo(carlo: dict[str, Any], names: list[str]) -> None:
    if not carlo.get("samples"):
        return
    kinds = ", ".join(f"{v} {k}" for k, v in sorted(carlo["kinds"].items()))
    table = Table(title=f"Monte Carlo: {carlo['samples']} samples ({kinds})")
    table.add_column("design")
    for column in ("served share p5", "median", "p95", "extra cost NOK p5", "median", "p95"):
        table.add_column(column, justify="right")
    for name in names:
        served = carlo["designs"][name]["served_demand_share"]
        cost = carlo["designs"][name]["extra_cost_nok"]
        table.add_row(name, *(f"{served[k]:.4f}" for k in ("p5", "median", "p95")),
                      *(f"{cost[k]:,.0f}" for k in ("p5", "median", "p95")))
    out.print(table)
    for metric, design in carlo.get("holds_up_better", {}).items():
        verdict = "both designs equal" if design == "equal" else f"{design} holds up better"
        out.print(f"Monte Carlo {metric}: {verdict}")
    if "link_closures" in carlo:
        out.print(f"Monte Carlo: supplier outages only; {carlo['link_closures']}")
