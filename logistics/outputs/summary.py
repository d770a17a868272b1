"""The summary a decision document opens with: the options side by side, the ranges
over the uncertain inputs, the hazards, single-supplier dependencies and the verdict.

The verdict rule (written out in the report's method section): an option is worth it at
one setting of the inputs when it meets the need (no delivery unserved in its normal week,
in its own result and at that setting)
and its net benefit is not negative: the yearly cost saved by all payers (one-off costs
spread over the contract as an annuity) plus the CO2e abated valued at the carbon price
the results use. Consolidation is recommended only when the option is worth it at every
setting (the sensitivity study's base, each input low and high, and the economic inputs
that need no new routing: one-off costs halved and doubled, the hub's yearly cost
-25 % and +25 %); keeping direct delivery is recommended when no option is worth it at
any setting; otherwise the options are too close to call, and the inputs whose low or
high value changes the answer are what would decide it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import pandas as pd

from logistics.accounting.routes import AccountingMethodJson
from logistics.analysis.economics import (
    KG_PER_TONNE,
    OptionEconomics,
    option_economics,
)
from logistics.analysis.resilience.report import ResilienceReport
from logistics.outputs.report_inputs import ReportInputs, StudyResults, deliveries_by_unit_type
from logistics.pipeline.result import ResultSummary
from logistics.study.variants import BASE_SETTING

ONE_OFF_SCALES = (0.5, 2.0)
"""One-off costs low and high: every price of one_off_costs.csv is an assumption."""
HUB_COST_SCALES = (0.75, 1.25)
"""The hub's yearly cost low and high (an illustrative hub: rent and staff unknown)."""
HUB_OUTAGE = "hub_outage"
"""The hazard that applies only to a design with a hub."""
Verdict = Literal["recommend", "keep_direct", "too_close", "no_range"]


@dataclass(frozen=True)
class Setting:
    """One setting of the uncertain inputs and what the option does at it, against the
    baseline at the same setting."""

    label: str
    level: str
    cost_change_nok_per_year: float
    """All payers, one-off costs annualised over the contract included."""
    co2e_change_t_per_year: float
    unserved_deliveries: float

    def net_benefit_nok_per_year(self, carbon_price_nok_per_t: float) -> float:
        """Cost saved plus CO2e abated at the carbon price (NOK a year)."""
        return -self.cost_change_nok_per_year - (carbon_price_nok_per_t
                                                 * self.co2e_change_t_per_year)

    def worth_it(self, carbon_price_nok_per_t: float) -> bool:
        return (self.unserved_deliveries == 0
                and self.net_benefit_nok_per_year(carbon_price_nok_per_t) >= 0)


@dataclass(frozen=True)
class HazardOutcome:
    """How one design fares under one hazard; ``applies`` False where the hazard cannot
    touch the design (a hub outage without a hub)."""

    applies: bool
    served_share: float | None = None
    extra_cost_nok_per_week: float | None = None


@dataclass(frozen=True)
class Hazard:
    """One hazard (a resilience report, or the Monte Carlo of supplier outages) and its
    outcome per design."""

    label: str
    kind: str
    by_design: Mapping[str, HazardOutcome]
    fallback: str | None = None


@dataclass(frozen=True)
class OptionSummary:
    """One option of the summary: its economics, service and the settings it was run at
    (empty when no study covers it)."""

    economics: OptionEconomics
    design: str
    unserved_deliveries: float
    deliveries_per_week: float
    deliveries_per_unit: Mapping[str, float]
    vehicle_energy_mwh_per_year: float
    total_energy_mwh_per_year: float
    settings: tuple[Setting, ...] = ()
    kpi_per_year: Mapping[str, float | None] = field(default_factory=dict)
    """The result's yearly KPIs (for figures shown only when a result carries them)."""

    @property
    def name(self) -> str:
        return self.economics.scenario

    @property
    def meets_need(self) -> bool:
        return self.unserved_deliveries == 0

    def span(self, field: str) -> tuple[float, float] | None:
        """Lowest and highest ``field`` of :class:`Setting` over the settings."""
        if not self.settings:
            return None
        values = [getattr(s, field) for s in self.settings]
        return min(values), max(values)


@dataclass(frozen=True)
class Dependency:
    """A category that every unit gets from one supplier with no alternate."""

    category: str
    suppliers: tuple[str, ...]
    units: int


@dataclass(frozen=True)
class Summary:
    """Everything the summary section says."""

    baseline: OptionSummary
    options: tuple[OptionSummary, ...]
    focus: OptionSummary | None
    """The option the studies were run for (the one the answer is about)."""
    verdict: Verdict
    recommended: str | None
    deciding: tuple[str, ...]
    carbon_price_nok_per_t: float
    hazards: tuple[Hazard, ...]
    dependencies: tuple[Dependency, ...]
    units: int


def _kpi(document: ResultSummary, key: str, period: str = "year") -> float:
    kpis = document["kpi_per_year"] if period == "year" else document["kpi_per_week"]
    return float(kpis.get(key) or 0.0)


def option_summaries(inputs: ReportInputs) -> list[OptionSummary]:
    """Every result as an option with its economics against the baseline, its ranges
    where a study covers it."""
    economics = option_economics(inputs.documents, inputs.routes, inputs.baseline)
    summaries = []
    for document, folder, money in zip(inputs.documents, inputs.folders, economics,
                                       strict=True):
        counts = deliveries_by_unit_type(folder, inputs.dataset_dir)
        vehicle_kwh = _kpi(document, "energy_kwh")
        summaries.append(OptionSummary(
            money, str(document.get("design", "")), _kpi(document, "unserved_deliveries",
                                                         "week"),
            _kpi(document, "deliveries", "week"),
            {kind: count / units for kind, (count, units) in counts.items() if units},
            vehicle_kwh / 1000, (vehicle_kwh + _kpi(document, "hub_energy_kwh")) / 1000,
            kpi_per_year=document["kpi_per_year"]))
    base = next(s for s in summaries if s.name == inputs.baseline)
    study = next((s for s in inputs.studies if s.base_scenario in {o.name for o in summaries}
                  and s.study.report.headline is not None), None)
    if study is None:
        return summaries
    return [_with_settings(s, study, base, inputs) if s.name == study.base_scenario else s
            for s in summaries]


def _with_settings(option: OptionSummary, study: StudyResults, base: OptionSummary,
                   inputs: ReportInputs) -> OptionSummary:
    annual_one_off = option.economics.one_off_nok_per_year
    settings = list(study_settings(study, annual_one_off))
    if not settings:
        return option
    at_base = settings[0]
    hub_cost = _kpi(inputs.documents[inputs.names.index(option.name)], "hub_cost_nok")
    hub_cost -= _kpi(inputs.documents[inputs.names.index(base.name)], "hub_cost_nok")
    for scale, level in zip(ONE_OFF_SCALES, ("low", "high"), strict=True):
        settings.append(Setting("one-off costs", level, at_base.cost_change_nok_per_year
                                + (scale - 1) * annual_one_off,
                                at_base.co2e_change_t_per_year, at_base.unserved_deliveries))
    for scale, level in zip(HUB_COST_SCALES, ("low", "high"), strict=True):
        settings.append(Setting("hub's yearly cost", level, at_base.cost_change_nok_per_year
                                + (scale - 1) * hub_cost,
                                at_base.co2e_change_t_per_year, at_base.unserved_deliveries))
    return replace(option, settings=tuple(settings))


def study_settings(study: StudyResults, annual_one_off_nok: float) -> list[Setting]:
    """The study's option against its baseline at the base and at each input low and
    high (done variants only; a setting missing either design is left out), base
    first."""
    headline = study.study.report.headline
    if headline is None:
        return []
    frame = study.results[study.results["status"] == "done"]
    points = [("base", BASE_SETTING, "base", "grid")] + [
        (entry.name, entry.name, level, "sensitivity")
        for entry in study.study.one_at_a_time for level in ("low", "high")]
    settings = []
    for label, sensitivity, level, kind in points:
        rows = frame[(frame["sensitivity"] == sensitivity) & (frame["level"] == level)
                     & (frame["kind"] == kind)]
        option = rows[rows[headline.axis] == headline.option]
        baseline = rows[rows[headline.axis] == headline.baseline]
        if option.empty or baseline.empty:
            continue
        settings.append(Setting(
            label, level,
            _mean(option, "cost_nok_per_year") - _mean(baseline, "cost_nok_per_year")
            + annual_one_off_nok,
            (_mean(option, "co2e_wtw_kg_per_year") - _mean(baseline, "co2e_wtw_kg_per_year"))
            / KG_PER_TONNE, _mean(option, "unserved_deliveries")))
    return settings


def _mean(rows: pd.DataFrame, column: str) -> float:
    return float(rows[column].mean())


def verdict(options: Sequence[OptionSummary], carbon_price_nok_per_t: float
            ) -> tuple[Verdict, str | None, tuple[str, ...]]:
    """The verdict of the rule in this module's docstring, the option recommended and
    the inputs that would decide a close call."""
    ranged = [o for o in options if o.settings]
    if not ranged:
        return "no_range", None, ()
    worth = {o.name: [o.meets_need and s.worth_it(carbon_price_nok_per_t) for s in o.settings]
             for o in ranged}
    always = [o for o in ranged if all(worth[o.name])]
    if always:
        best = max(always, key=lambda o: o.settings[0].net_benefit_nok_per_year(
            carbon_price_nok_per_t))
        return "recommend", best.name, ()
    if not any(any(flags) for flags in worth.values()):
        return "keep_direct", None, ()
    deciding = []
    for option in ranged:
        base = worth[option.name][0]
        deciding += [s.label for s, flag in zip(option.settings, worth[option.name],
                                                strict=True) if flag != base]
    return "too_close", None, tuple(dict.fromkeys(deciding))


def hazards(reports: Sequence[ResilienceReport]) -> list[Hazard]:
    """Each resilience report as a hazard per design (a hub outage does not apply to a
    design without a hub), then each report's Monte Carlo of supplier outages."""
    found = []
    for report in reports:
        names = list(report["designs_compared"])
        kinds = report.get("disruption_types") or []
        only_hub = bool(kinds) and all(kind == HUB_OUTAGE for kind in kinds)
        found.append(Hazard(
            "; ".join(report["disruptions"]), kinds[0] if len(set(kinds)) == 1 else "mixed",
            {n: HazardOutcome(True, report["designs"][n]["served_demand_share"],
                              report["designs"][n]["extra_cost_nok"])
             if not (only_hub and n == "direct") else HazardOutcome(False) for n in names},
            "direct" if HUB_OUTAGE in kinds else None))
    for report in reports:
        carlo = report.get("monte_carlo") or {}
        if carlo.get("samples"):
            found.append(Hazard(
                f"monte_carlo:{carlo['samples']}", "supplier_outage",
                {n: HazardOutcome(True, v["served_demand_share"]["median"],
                                  v["extra_cost_nok"]["median"])
                 for n, v in carlo["designs"].items()}))
    return found


def dependencies(reports: Sequence[ResilienceReport]) -> tuple[list[Dependency], int]:
    """Categories some units get from a single supplier with no alternate (from the
    first resilience report), and the number of units."""
    if not reports:
        return [], 0
    concentration = reports[0]["supplier_concentration"]
    found = [Dependency(category, tuple(values["supplier_kg_share"]),
                        int(values["units_without_alternate"]))
             for category, values in (concentration.get("categories") or {}).items()
             if values.get("units_without_alternate")]
    return found, int(concentration.get("units") or 0)


def build_summary(inputs: ReportInputs) -> Summary:
    """The summary of a report's inputs."""
    summaries = option_summaries(inputs)
    base = next(s for s in summaries if s.name == inputs.baseline)
    options = tuple(s for s in summaries if s.name != inputs.baseline)
    document = inputs.documents[inputs.names.index(inputs.baseline)]
    method: AccountingMethodJson = document.get("emissions_method") or {}
    price = float(method.get("carbon_price_nok_per_t_co2e") or 0.0)
    kind, recommended, deciding = verdict(options, price)
    focus = next((o for o in options if o.settings), next(
        (o for o in options if o.design == "consolidated"), None))
    reports = inputs.resilience_reports
    found, units = dependencies(reports)
    return Summary(base, options, focus, kind, recommended, deciding, price,
                   tuple(hazards(reports)), tuple(found), units)
