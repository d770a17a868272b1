"""The decision document's own sections as text: the summary (answer with ranges,
options side by side, hazards, dependencies, what would change the conclusion, next
steps), the economics by payer with one-off costs and present cost, the method text of
what the run used, and the sources with a quality column instead of bracketed remarks.

Every figure people read is rounded to what its inputs support (two significant
figures, :func:`approx`); every text goes through the report's :class:`Locale`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from logistics.analysis.economics import round_significant
from logistics.outputs.locale import NO_VALUE, Locale
from logistics.outputs.report_inputs import ReportInputs, SourceRow
from logistics.outputs.summary import Hazard, OptionSummary, Setting, Summary
from logistics.pipeline.result import ResultDocument

MILLION = 1e6
ANALYTIC_SETTINGS = {"base": "base", "one-off costs": "one_off",
                     "hub's yearly cost": "hub_cost"}
"""Setting labels of :mod:`logistics.outputs.summary` with a text of their own."""
QUALITY_TAGS = (("assumption", "assumption"), ("unverified", "unverified"),
                ("seen in", "unverified"), ("derived", "derived"),
                ("verified in", "secondary"), ("verified", "verified"))
"""Bracketed remarks of a source cell and the quality they mean, weakest first."""
REMARKS = re.compile(r"\s*(?:\[[^\]]*\]|\((?:unverified|verified|assumption|derived)[^)]*\))",
                     re.IGNORECASE)
"""Bracketed remarks, and remarks in parentheses that start with a quality word."""
REPLACE_WITH = re.compile(r"[;,]?\s*(?:to be )?replace[d]? (?:with|by) [^.;\]]*", re.IGNORECASE)
OPTIONAL_ROWS: tuple[tuple[str, float, int], ...] = (
    ("external_cost_nok", MILLION, 2), ("vehicles_used_incl_inbound", 1.0, 0),
    ("load_factor_distribution_kg", 0.01, 0), ("load_factor_inbound_kg", 0.01, 0),
    ("tonne_km_distribution", 1000.0, 2), ("tonne_km_inbound", 1000.0, 2))
"""Yearly KPIs shown as an options row when some result carries them: key, divisor
(million NOK, count, percent, thousand tonne-km) and significant figures (0: whole)."""
SOURCE_QUALITY_ORDER = ("assumption", "unverified", "derived", "secondary", "verified", "none")


@dataclass(frozen=True)
class Table:
    """A table of the report, every cell already written as text."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int | None = 1
    """The first column of numbers (right-aligned), ``None`` for a table of text."""


def approx(locale: Locale, value: float | None, digits: int = 2) -> str:
    """``value`` at ``digits`` significant figures, with as many decimals as that needs:
    70 728 -> 71 000, 0.0437 -> 0.044."""
    if value is None or not math.isfinite(value):
        return NO_VALUE
    rounded = round_significant(value, digits)
    if rounded == 0:
        return locale.number(0.0)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return locale.number(rounded, decimals)


def signed(locale: Locale, value: float | None, digits: int = 2) -> str:
    """:func:`approx` with a sign: +0.71, -9.8."""
    text = approx(locale, value, digits)
    return text if text == NO_VALUE or text.startswith("-") or value == 0 else f"+{text}"


def millions(locale: Locale, nok: float | None, sign: bool = False) -> str:
    """NOK as million NOK at two significant figures."""
    value = None if nok is None else nok / MILLION
    return signed(locale, value) if sign else approx(locale, value)


def setting_name(locale: Locale, label: str) -> str:
    """A setting's label for readers: the analytic ones translated, a study input as the
    study names it."""
    key = ANALYTIC_SETTINGS.get(label)
    return locale.text(f"decision.setting.{key}") if key else label


def _range(locale: Locale, span: tuple[float, float] | None, scale: float,
           sign: bool = True) -> tuple[str, str] | None:
    if span is None:
        return None
    low, high = span
    show = signed if sign else approx
    return show(locale, low / scale), show(locale, high / scale)


def answer_lines(summary: Summary, locale: Locale) -> list[str]:
    """The answer in a few sentences, with ranges where a study gives them, and the
    verdict."""
    lines = []
    option, base = summary.focus, summary.baseline
    if option is not None:
        money = option.economics
        today_t = base.economics.co2e_t_per_year
        abated = money.abated_co2e_t_per_year
        share = locale.share_pct(abated / today_t if today_t else None, 0)
        co2e = _range(locale, option.span("co2e_change_t_per_year"), 1.0)
        if co2e is not None:
            lines.append(locale.text("decision.answer.co2e", option=option.name, low=co2e[0],
                                     high=co2e[1], today=approx(locale, today_t),
                                     base=signed(locale, option.settings[0]
                                                 .co2e_change_t_per_year)))
        elif abated <= 0:
            lines.append(locale.text("decision.answer.co2e_rise", option=option.name,
                                     base=approx(locale, -abated),
                                     today=approx(locale, today_t)))
        else:
            lines.append(locale.text("decision.answer.co2e_point", option=option.name,
                                     base=approx(locale, abated), share=share,
                                     today=approx(locale, today_t)))
        cost = _range(locale, option.span("cost_change_nok_per_year"), MILLION)
        one_off = millions(locale, money.one_off_nok)
        if cost is None:
            annual = money.total_change_nok_per_year + money.one_off_nok_per_year
            lines.append(locale.text("decision.answer.cost_point", base=millions(
                locale, annual, sign=True), one_off=one_off, years=money.contract_years))
        else:
            lines.append(locale.text("decision.answer.cost", low=cost[0], high=cost[1],
                                     one_off=one_off, years=money.contract_years))
        lines.append(locale.text(
            "decision.answer.payers",
            municipality=millions(locale, money.municipality_change_nok_per_year, True),
            suppliers=millions(locale, money.suppliers_change_nok_per_year, True)))
        for unit_type, before in base.deliveries_per_unit.items():
            after = option.deliveries_per_unit.get(unit_type)
            lines.append(locale.text("decision.answer.deliveries",
                                     before=locale.number(before, 0),
                                     after=locale.number(after, 0),
                                     unit_type=locale.name("unit_type", unit_type)))
    lines.append(verdict_line(summary, locale))
    return lines


def verdict_line(summary: Summary, locale: Locale) -> str:
    """The recommendation, or why there is none, by the rule of the method section."""
    price = approx(locale, summary.carbon_price_nok_per_t)
    if summary.verdict == "recommend":
        return locale.text("decision.verdict.recommend", option=summary.recommended,
                           price=price)
    if summary.verdict == "too_close":
        return locale.text("decision.verdict.too_close", deciding=", ".join(
            setting_name(locale, label) for label in summary.deciding))
    return locale.text(f"decision.verdict.{summary.verdict}", price=price)


def _need(option: OptionSummary, locale: Locale) -> str:
    return (locale.text("decision.yes") if option.meets_need else
            locale.text("decision.no_unserved", count=locale.number(option.unserved_deliveries)))


def _hazard_label(hazard: Hazard, locale: Locale) -> str:
    if hazard.label.startswith("monte_carlo:"):
        return locale.text("decision.hazards.monte_carlo", samples=hazard.label.split(":")[1])
    return hazard.label


def _hazard_cell(hazard: Hazard, option: OptionSummary, summary: Summary,
                 locale: Locale) -> str:
    analysed = option is summary.baseline or option is summary.focus
    outcome = hazard.by_design.get(option.design)
    if not analysed or outcome is None:
        return locale.text("decision.not_analysed")
    if not outcome.applies:
        return locale.text("decision.not_applicable")
    return locale.share_pct(outcome.served_share)


def options_table(summary: Summary, locale: Locale) -> Table:
    """The options side by side: a criterion per row, an option per column."""
    columns = (summary.baseline, *summary.options)
    header = ("", *(f"{locale.text('decision.option.keep')} ({o.name})"
                    if o is summary.baseline else o.name for o in columns))
    first = summary.options[0].economics if summary.options else summary.baseline.economics
    rows: list[tuple[str, ...]] = [
        (locale.text("decision.row.meets_need"), *(_need(o, locale) for o in columns)),
        (locale.text("decision.row.municipality"),
         *(f"{millions(locale, o.economics.payers.municipality_nok_per_year)} "
           f"({millions(locale, o.economics.municipality_change_nok_per_year, True)})"
           for o in columns)),
        (locale.text("decision.row.suppliers"),
         *(f"{millions(locale, o.economics.payers.suppliers_nok_per_year)} "
           f"({millions(locale, o.economics.suppliers_change_nok_per_year, True)})"
           for o in columns)),
        (locale.text("decision.row.one_off"),
         *(millions(locale, o.economics.one_off_nok) for o in columns)),
        (locale.text("decision.row.present", years=first.contract_years,
                     rate=locale.share_pct(first.discount_rate, 0)),
         *(millions(locale, o.economics.present_cost_change_nok, True) for o in columns)),
        (locale.text("decision.row.co2e"),
         *(approx(locale, o.economics.co2e_t_per_year) for o in columns)),
        (locale.text("decision.row.co2e_range"),
         *(_span_text(locale, o.span("co2e_change_t_per_year"), 1.0) for o in columns)),
        (locale.text("decision.row.abatement"),
         *(_abatement(o, summary, locale) for o in columns)),
        (locale.text("decision.row.deliveries"),
         *(locale.number(o.deliveries_per_week, 0) for o in columns)),
    ]
    for unit_type in summary.baseline.deliveries_per_unit:
        rows.append((locale.text("decision.row.per_unit",
                                 unit_type=locale.name("unit_type", unit_type)),
                     *(approx(locale, o.deliveries_per_unit.get(unit_type)) for o in columns)))
    rows.append((locale.text("decision.row.energy"),
                 *(approx(locale, o.vehicle_energy_mwh_per_year) for o in columns)))
    rows.append((locale.text("decision.row.energy_total"),
                 *(approx(locale, o.total_energy_mwh_per_year) for o in columns)))
    for key, divisor, digits in OPTIONAL_ROWS:
        if any(key in o.kpi_per_year for o in columns):
            rows.append((locale.text(f"decision.row.{key}"),
                         *(_optional(locale, o.kpi_per_year.get(key), divisor, digits)
                           for o in columns)))
    for hazard in summary.hazards:
        rows.append((locale.text("decision.row.hazard", hazard=_hazard_label(hazard, locale)),
                     *(_hazard_cell(hazard, o, summary, locale) for o in columns)))
    rows.append((locale.text("decision.row.risks"), *(_risks(o, locale) for o in columns)))
    return Table(locale.text("decision.options"), header, tuple(rows))


def _optional(locale: Locale, value: Any, divisor: float, digits: int) -> str:
    if not isinstance(value, int | float):
        return NO_VALUE
    return locale.number(value / divisor) if digits == 0 else approx(locale, value / divisor,
                                                                      digits)


def _span_text(locale: Locale, span: tuple[float, float] | None, scale: float) -> str:
    shown = _range(locale, span, scale)
    return NO_VALUE if shown is None else f"{shown[0]} … {shown[1]}"


def _abatement(option: OptionSummary, summary: Summary, locale: Locale) -> str:
    if option is summary.baseline:
        return NO_VALUE
    cost = option.economics.cost_nok_per_t_abated
    return locale.text("decision.not_abated") if cost is None else approx(locale, cost)


def _risks(option: OptionSummary, locale: Locale) -> str:
    risks = [locale.text("decision.risk.direct" if option.design == "direct"
                         else "decision.risk.hub")]
    if not option.meets_need:
        risks.append(locale.text("decision.risk.unserved"))
    return "; ".join(risks)


def hazards_table(summary: Summary, locale: Locale) -> Table | None:
    """Each hazard against each design: served share and extra cost a week, "does not
    apply" where the hazard cannot touch the design; ``None`` without hazards."""
    if not summary.hazards:
        return None
    designs = list(dict.fromkeys(d for h in summary.hazards for d in h.by_design))
    header = (locale.text("decision.hazards.hazard"),
              *(locale.text("decision.hazards.served", design=locale.design(d))
                for d in designs),
              *(locale.text("decision.hazards.extra", design=locale.design(d))
                for d in designs))
    rows = []
    for hazard in summary.hazards:
        outcomes = [hazard.by_design.get(d) for d in designs]
        served = [NO_VALUE if o is None else locale.share_pct(o.served_share) if o.applies
                  else locale.text("decision.not_applicable") for o in outcomes]
        extra = [NO_VALUE if o is None else approx(locale, o.extra_cost_nok_per_week)
                 if o.applies else locale.text("decision.not_applicable") for o in outcomes]
        rows.append((_hazard_label(hazard, locale), *served, *extra))
    return Table(locale.text("decision.hazards.intro"), header, tuple(rows))


def hazard_notes(summary: Summary, locale: Locale) -> list[str]:
    """The fallback assumed and each single-supplier dependency."""
    notes = []
    if any(h.fallback == "direct" for h in summary.hazards):
        notes.append(locale.text("decision.hazards.fallback"))
    return notes + dependency_lines(summary, locale)


def dependency_lines(summary: Summary, locale: Locale,
                     categories: Mapping[str, str] | None = None,
                     suppliers: Mapping[str, str] | None = None) -> list[str]:
    """A sentence per category that units get from one supplier with no alternate."""
    categories, suppliers = categories or {}, suppliers or {}
    return [locale.text("decision.dependency", category=categories.get(d.category, d.category),
                        suppliers=", ".join(suppliers.get(s, s) for s in d.suppliers),
                        units=d.units, total=summary.units)
            for d in summary.dependencies]


def change_lines(summary: Summary, inputs: ReportInputs, locale: Locale) -> list[str]:
    """What would change the conclusion: the uncertain inputs widest first, the
    suppliers' prices, the hub's cost, and unmet need."""
    lines = []
    focus = summary.focus
    if focus is not None and focus.settings:
        lines.append(locale.text("decision.change.tornado", inputs=", ".join(
            setting_name(locale, label)
            for label in _widest(focus.settings, summary.carbon_price_nok_per_t))))
    if focus is not None:
        money = focus.economics
        lines.append(locale.text("decision.change.prices", suppliers=millions(
            locale, -money.suppliers_change_nok_per_year)))
        document = inputs.documents[inputs.names.index(focus.name)]
        lines.append(locale.text("decision.change.hub", hub=millions(
            locale, float(document["kpi_per_year"].get("hub_cost_nok") or 0.0))))
    if any(not o.meets_need for o in summary.options):
        lines.append(locale.text("decision.change.need"))
    return lines


def _widest(settings: Sequence[Setting], carbon_price_nok_per_t: float) -> list[str]:
    """Setting labels by the range of net benefit they span (cost and CO2e at the carbon
    price), widest first (the base left out)."""
    spans: dict[str, list[float]] = {}
    for setting in settings[1:]:
        spans.setdefault(setting.label, []).append(
            setting.net_benefit_nok_per_year(carbon_price_nok_per_t))
    return sorted(spans, key=lambda label: -(max(spans[label]) - min(spans[label])))


def next_steps(locale: Locale) -> list[str]:
    """The steps before a decision, in order."""
    return [locale.text(f"decision.next.{key}")
            for key in ("data", "road", "suppliers", "fallback")]


def payers_table(summary: Summary, locale: Locale) -> Table:
    """Yearly cost by payer of every option, million NOK."""
    rows = tuple((o.name, millions(locale, o.economics.payers.municipality_nok_per_year),
                  millions(locale, o.economics.payers.suppliers_nok_per_year),
                  millions(locale, o.economics.payers.total_nok_per_year))
                 for o in (summary.baseline, *summary.options))
    return Table(locale.text("decision.economics.payers"),
                     tuple(locale.text(f"decision.economics.{k}") for k in
                           ("scenario", "municipality", "suppliers", "total")), rows)


def one_off_tables(summary: Summary, locale: Locale) -> list[Table]:
    """The one-off items of every option that has any."""
    tables = []
    for option in summary.options:
        items = option.economics.one_off
        if not items:
            continue
        tables.append(Table(
            locale.text("decision.economics.one_off", option=option.name),
            (locale.text("decision.economics.item"), locale.text("decision.economics.quantity"),
             locale.text("decision.economics.cost"), locale.text("decision.source.quality")),
            tuple((locale.text(f"decision.item.{c.item}"), approx(locale, c.quantity),
                   millions(locale, c.cost_nok),
                   locale.text(f"decision.quality.{source_quality(c.source)}"))
                  for c in items), numeric_from=1))
    return tables


def present_cost_table(summary: Summary, locale: Locale) -> Table:
    """Present cost change over the contract (all payers, the municipality) and the cost
    per tonne abated of each option."""
    rows = tuple((o.name, millions(locale, o.economics.present_cost_change_nok, True),
                  millions(locale, o.economics.municipality_present_cost_change_nok, True),
                  _abatement(o, summary, locale)) for o in summary.options)
    first = (summary.options[0] if summary.options else summary.baseline).economics
    return Table(locale.text("decision.economics.npv",
                                 rate=locale.share_pct(first.discount_rate, 0)),
                     (locale.text("decision.economics.scenario"),
                      locale.text("decision.economics.npv_header"),
                      locale.text("decision.economics.municipality_npv"),
                      locale.text("decision.economics.abatement")), rows)


def routing_line(documents: Sequence[ResultDocument], locale: Locale) -> str:
    """Which backend solved the routing problems and what stopped each search, as the
    results' provenance records it."""
    counts: Counter[str] = Counter()
    stops: dict[str, Counter[str]] = {}
    for document in documents:
        provenance = document.get("provenance")
        solver = provenance.get("solver") if provenance else None
        for search in (solver.get("searches", {}) if solver else {}).values():
            name = str(search["backend"])
            backend = {"pyvrp": "PyVRP", "ortools": "OR-Tools"}.get(name, name)
            counts[backend] += 1
            stops.setdefault(backend, Counter())[str(search["stopped_by"])] += 1
    parts = [locale.text("decision.method.search", count=count, backend=backend,
                         stops=", ".join(f"{stop.replace('_', ' ')} {n}"
                                         for stop, n in stops[backend].most_common()))
             for backend, count in counts.most_common()]
    return locale.text("decision.method.routing", searches="; ".join(parts) or NO_VALUE)


def source_quality(source: str) -> str:
    """How far a source cell was checked, from its bracketed remarks: the weakest of
    ``assumption``, ``unverified``, ``derived``, ``secondary``, ``verified``; ``none``
    without a remark."""
    found = {quality for remark in REMARKS.findall(source)
             for tag, quality in QUALITY_TAGS if tag in remark.lower()}
    if source.lower().startswith("assumption"):
        found.add("assumption")
    return next((q for q in SOURCE_QUALITY_ORDER if q in found), "none")


def source_text(source: str) -> str:
    """A source cell for readers: the bracketed remarks and instructions to replace a
    value taken out (the quality column says how far it was checked)."""
    text = REPLACE_WITH.sub("", REMARKS.sub("", source))
    return re.sub(r"\s+([.;,])", r"\1", text).strip(" ;,")


def sources_table(rows: Sequence[SourceRow], locale: Locale) -> Table:
    """Every factor row with its source for readers and its quality."""
    return Table(locale.text("method.factor_sources"),
                     (locale.text("method.source_file"), locale.text("method.source_row"),
                      locale.text("method.source"), locale.text("decision.source.quality")),
                     tuple((s.file, s.row, source_text(s.source),
                            locale.text(f"decision.quality.{source_quality(s.source)}"))
                           for s in rows), numeric_from=None)
