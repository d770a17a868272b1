"""The tables people read in a terminal: KPI labels and the rich tables built from them.

Every label table is a tuple of :class:`Label` (KPI key, label with its unit, digits),
so the CLI commands and any later output format show a KPI the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table

from logistics.accounting.kpi import RATIO_KPIS
from logistics.accounting.kpi_catalogue import KPIS
from logistics.analysis.compare import Comparison, compared_value
from logistics.analysis.resilience.designs import HIGHER_IS_BETTER, impact_metric
from logistics.pipeline.result import ResultSummary

if TYPE_CHECKING:
    from logistics.analysis.resilience.links import CriticalLinksJson
    from logistics.analysis.resilience.monte_carlo import MonteCarloJson
    from logistics.analysis.resilience.report import ResilienceReport


@dataclass(frozen=True)
class Label:
    """How a KPI is shown: its key in results, its label with unit, its decimals."""

    key: str
    text: str
    digits: int

    def format(self, value: float) -> str:
        return f"{value:,.{self.digits}f}"

    def heading(self, period: str) -> str:
        """The label of a KPI reported per ``period`` (``"vehicle-km / year"``); shares,
        ratios and peaks (:data:`RATIO_KPIS`) are the same in every period."""
        return self.text if self.key in RATIO_KPIS else f"{self.text} / {period}"


def kpi_label(key: str) -> Label:
    """How a KPI of the catalogue is shown: its label and decimals from there."""
    spec = KPIS[key]
    if spec.label is None:
        raise KeyError(f"KPI {key} has no label in the KPI catalogue")
    return Label(key, spec.label, spec.decimals)


COMPARED_KPIS = ("deliveries", "hub_inbound_trips", "vehicle_km", "vehicle_km_driven",
                 "vehicle_hours", "routes", "vehicles_used", "vehicles_used_incl_inbound",
                 "tonne_km", "tonne_km_distribution", "tonne_km_inbound", "load_factor",
                 "load_factor_distribution_kg", "load_factor_inbound_kg",
                 "load_factor_distribution_m3", "load_factor_inbound_m3", "energy_kwh",
                 "hub_energy_kwh", "co2e_wtw_kg", "hub_co2e_wtw_kg", "carrier_co2e_wtw_kg",
                 "nox_g", "pm_g", "cost_nok", "hub_cost_nok", "cost_nok_municipality",
                 "cost_nok_suppliers", "external_cost_nok", "carrier_cost_nok",
                 "carrier_shipments", "served_demand_share", "unserved_deliveries")
"""The KPIs of the scenario comparison table, in its row order."""

KPI_LABELS: tuple[Label, ...] = tuple(kpi_label(key) for key in COMPARED_KPIS)
"""Rows of the scenario comparison table; :meth:`Label.heading` adds the period."""

IMPACT_LABELS: tuple[Label, ...] = (
    Label("normal_served_demand_share", "served demand share, normal", 4),
    Label("served_demand_share", "served demand share, disrupted", 4),
    Label("normal_units_fully_served_share", "units fully served, normal", 3),
    Label("units_fully_served_share", "units fully served, disrupted", 3),
    Label("unmet_kg", "unmet kg / week", 0),
    Label("vehicle_km", "vehicle-km / week, disrupted", 0),
    Label("extra_vehicle_km", "extra vehicle-km / week", 0),
    Label("extra_co2e_wtw_kg", "extra CO2e WTW kg / week", 0),
    Label("extra_cost_nok", "extra cost NOK / week", 0),
)
"""Rows of the resilience table: each design disrupted against normal."""


def kpi_table(compared: Comparison) -> ScenarioTable:
    """A :func:`comparison` as a table: scenarios side by side, each value with its change
    against the baseline, in the comparison's period."""
    period, baseline = compared["period"], compared["baseline"]
    names = list(compared["scenarios"])
    by_kpi = {row["kpi"]: row for row in compared["rows"]}
    rows = []
    for label in KPI_LABELS:
        row = by_kpi[label.key]
        cells = [label.heading(period)]
        for name in names:
            value = compared_value(row, name)
            text = "-" if value is None else label.format(value)
            pct = compared_value(row, f"{name}_change_pct")
            if pct is not None:
                text += f" ({pct:+.0f}%)"
            cells.append(text)
        rows.append(tuple(cells))
    return ScenarioTable(f"Bergen study: KPIs per {period} (change vs {baseline})", "KPI",
                         tuple(short_names(names)), tuple(rows))


DECOMPOSITION_LABELS: dict[str, str] = {
    "fewer_stops": "fewer deliveries (at the km per delivery)",
    "km_per_stop": "km per delivery (delivery routes)",
    "inbound_trips": "trips to the hub (trunk trips, milk runs)",
    "fleet_energy": "fleet and energy (per vehicle-km of delivery routes)",
    "hub_operations": "hub operations",
}
"""Rows of the decomposition table (:mod:`logistics.analysis.decompose`)."""

DECOMPOSED_LABELS: tuple[Label, ...] = tuple(
    label for label in KPI_LABELS if label.key in ("vehicle_km", "co2e_wtw_kg", "cost_nok"))


def decomposition_tables(compared: Comparison) -> list[ScenarioTable]:
    """Per decomposed KPI, each scenario's change against the baseline split into its
    parts (the rows sum to the total row)."""
    period, baseline = compared["period"], compared["baseline"]
    names = [n for n in compared["scenarios"] if n != baseline]
    tables = []
    for label in DECOMPOSED_LABELS:
        changes = [compared["decomposition"][name][label.key] for name in names]
        keys = [p["key"] for p in changes[0]["parts"]] if changes else []
        rows = [(DECOMPOSITION_LABELS[key],
                 *(f"{next(p['value'] for p in c['parts'] if p['key'] == key):+,.0f}"
                   for c in changes)) for key in keys]
        rows.append(("total change", *(f"{c['total']:+,.0f}" for c in changes)))
        tables.append(ScenarioTable(
            f"Why {label.heading(period)} changes against {baseline}", "part",
            tuple(short_names([baseline, *names])[1:]), tuple(rows)))
    return tables


def short_names(names: Sequence[str]) -> list[str]:
    """Scenario names without the prefix all of several share up to a ``-`` (``bergen-``),
    so each column shows what sets its scenario apart."""
    parts = [name.split("-") for name in names]
    shared = 0
    while len(parts) > 1 and all(len(p) > shared + 1 and p[shared] == parts[0][shared]
                                 for p in parts):
        shared += 1
    return ["-".join(p[shared:]) for p in parts]


_UNCLAMPED_WIDTH = 10_000
"""Console width to measure a table's natural width at (rich clamps to the width given)."""


@dataclass(frozen=True)
class ScenarioTable:
    """A table with a column per scenario. When it is wider than the console, the
    scenario headers break after each ``-`` so none is cut short."""

    title: str
    first_column: str
    names: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def table(self, break_headers: bool = False) -> Table:
        """The rich table, scenario headers broken after each ``-`` or not."""
        table = Table(title=self.title)
        table.add_column(self.first_column)
        for name in self.names:
            table.add_column(name.replace("-", "-\n") if break_headers else name,
                             justify="right")
        for row in self.rows:
            table.add_row(*row)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table()
        natural = Measurement.get(console, options.update_width(_UNCLAMPED_WIDTH), table)
        if natural.maximum > options.max_width:
            table = self.table(break_headers=True)
        yield table


def note_lines(summaries: Sequence[ResultSummary]) -> list[str]:
    """The caveats and the emission method every summary carries, each once."""
    lines = []
    notes = sorted({note for s in summaries for note in s.get("notes", [])})
    for note in notes:
        lines.append(f"Note: {note}")
    shown = ("method", "electricity_basis", "electricity_co2e_kg_per_kwh", "biogenic_co2",
             "carbon_price_year")
    methods = {json.dumps({k: s.get("emissions_method", {}).get(k) for k in shown})
               for s in summaries}
    for method in sorted(methods):
        details = {k: v for k, v in json.loads(method).items() if v is not None}
        if details:
            lines.append("Emissions: " + "; ".join(f"{k}={v}" for k, v in details.items()))
    return lines


def resilience_tables(report: ResilienceReport) -> list[RenderableType]:
    """The resilience report as tables and lines for a terminal."""
    shown: list[RenderableType] = []
    names = report["designs_compared"]
    title = f"{report['scenario']}: disrupted vs normal week"
    table = Table(title=title)
    table.add_column("metric")
    for name in names:
        table.add_column(name, justify="right")
    if len(names) > 1:
        table.add_column("holds up better")
    better = report["holds_up_better"]
    for label in IMPACT_LABELS:
        cells = [label.format(impact_metric(report["designs"][n], label.key)) for n in names]
        if len(names) > 1:
            cells.append(better.get(label.key, "") if label.key in HIGHER_IS_BETTER else "")
        table.add_row(label.text, *cells)
    shown.append(table)
    for name in names:
        unmet = report["designs"][name]["unmet_kg_by_category"]
        if unmet:
            shown.append(f"{name}: unmet kg / week by category: "
                         + ", ".join(f"{k} {v:,.0f}" for k, v in unmet.items()))
        reasons = report["designs"][name]["unserved_deliveries_by_reason"]
        if reasons:
            shown.append(f"{name}: unserved deliveries by reason: "
                         + ", ".join(f"{k} {v}" for k, v in reasons.items()))
    shown += _autonomy_tables(report, names)
    concentration = report["supplier_concentration"]
    shown.append(f"Supplier concentration: HHI of all goods "
                 f"{concentration['hhi_all_goods']:,.0f}; "
                 f"{concentration['units_depending_on_a_single_supplier_without_alternate']} of "
                 f"{concentration['units']} units depend on a single supplier without alternate "
                 "for at least one category.")
    links = report["critical_links"]
    if not links["available"]:
        shown.append(f"Critical links: not computed: {links['reason']}")
    else:
        shown += _links_tables(links)
    shown += _monte_carlo_tables(report["monte_carlo"], names)
    for item in report["not_applied"]:
        shown.append(f"[bold yellow]Not applied:[/] {item['label']}: {item['reason']}")
    if report["approximate_travel"]:
        shown.append("Note: travel is approximate (crow-fly distances times a detour factor).")
    return shown


def _autonomy_tables(report: ResilienceReport, names: list[str]) -> list[RenderableType]:
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
    return [table]


def _links_tables(links: CriticalLinksJson) -> list[RenderableType]:
    table = Table(title=f"Critical links (of {links.get('candidates_evaluated')} most-used "
                        "ways)")
    for column in ("OSM way", "street", "units cut off", "extra km / week"):
        table.add_column(column)
    for link in links.get("links", []):
        table.add_row(str(link["way_id"]), link["street_name"], str(link["units_cut_off"]),
                      f"{link['extra_km_per_week']:,.1f}")
    return [table]


def _monte_carlo_tables(carlo: MonteCarloJson, names: list[str]) -> list[RenderableType]:
    if not carlo.get("samples"):
        return []
    kinds = ", ".join(f"{v} {k}" for k, v in sorted(carlo.get("kinds", {}).items()))
    table = Table(title=f"Monte Carlo: {carlo['samples']} samples ({kinds})")
    table.add_column("design")
    for column in ("served share p5", "median", "p95", "extra cost NOK p5", "median", "p95"):
        table.add_column(column, justify="right")
    for name in names:
        spread = carlo.get("designs", {})[name]
        served, cost = spread["served_demand_share"], spread["extra_cost_nok"]
        table.add_row(name, *(f"{v:.4f}" for v in (served["p5"], served["median"],
                                                     served["p95"])),
                      *(f"{v:,.0f}" for v in (cost["p5"], cost["median"], cost["p95"])))
    shown: list[RenderableType] = [table]
    for metric, design in carlo.get("holds_up_better", {}).items():
        verdict = "both designs equal" if design == "equal" else f"{design} holds up better"
        shown.append(f"Monte Carlo {metric}: {verdict}")
    if "link_closures" in carlo:
        shown.append(f"Monte Carlo: supplier outages only; {carlo['link_closures']}")
    return shown
