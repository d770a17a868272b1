"""The decision-document report of result folders: HTML and PDF (from the same HTML) in
English or bokmål, with maps, the interactive map, charts, the comparison workbook and
each scenario's GIS layers in one folder.

The HTML is self-contained with the folder: images, the stylesheet and the interactive
map sit beside it and are linked relatively; nothing is fetched from the internet (the
PDF renderer may read local files only). Section by section it covers the question, the
comparison, the maps, the decomposition of the saving, supply security, the results of
batch studies (trade-off with its Pareto front, tornado of the headline saving), the
method with its sources and every caveat.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from logistics import __version__
from logistics.accounting.routes import AccountingMethodJson
from logistics.analysis.comparable import data_differences
from logistics.analysis.compare import Comparison, compared_value
from logistics.analysis.resilience.designs import HIGHER_IS_BETTER, impact_metric
from logistics.analysis.resilience.report import ResilienceReport
from logistics.errors import ProblemCollector
from logistics.model.factors import load_factor_tables
from logistics.outputs.charts import Chart, chart_files, study_chart_key, write_charts
from logistics.outputs.decision import (
    Table,
    answer_lines,
    change_lines,
    dependency_lines,
    hazard_notes,
    hazards_table,
    next_steps,
    one_off_tables,
    options_table,
    payers_table,
    present_cost_table,
    routing_line,
    source_text,
    sources_table,
)
from logistics.outputs.gis import GEOJSON_DIR, GPKG_FILE
from logistics.outputs.locale import Locale, category_names, locale_for
from logistics.outputs.maps import write_maps
from logistics.outputs.report_inputs import (
    ReportInputs,
    StudyResults,
    dataset_sources,
    deliveries_by_unit_type,
    factor_sources,
    load_inputs,
    supplier_names,
)
from logistics.outputs.summary import Summary, build_summary, hazards
from logistics.outputs.tables import IMPACT_LABELS, KPI_LABELS
from logistics.outputs.webmap import write_web_map
from logistics.outputs.workbook import WORKBOOK_FILE, comparison_sheets, write_workbook
from logistics.paths import PROJECT_ROOT
from logistics.pipeline.result import APPROXIMATE_NOTE, ILLUSTRATIVE_NOTE
from logistics.study.store import DONE, FAILED, PENDING

REPORT_HTML, REPORT_PDF, STYLESHEET = "report.html", "report.pdf", "report.css"
GIS_DIR = "gis"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LOCAL_PROTOCOLS = frozenset({"file", "data"})
"""What the PDF renderer may read: files of the report folder, inline data."""
SHOWN_PERIODS = ("year", "week")
DEFAULT_DPI = 150
"""Resolution of the PDF's images by default: sharp on paper, the PDF under 2 MB."""
JPEG_QUALITY = 85
AUTHOR = "Bergen kommune"
"""The PDF's author: the municipality the document is made for (the tool is its producer)."""


@dataclass(frozen=True)
class ReportFiles:
    """What a report wrote into its folder."""

    folder: Path
    html: Path
    pdf: Path
    workbook: Path
    maps: list[Path]
    web_map: Path
    charts: list[Chart]
    gis: list[Path] = field(default_factory=list)

    @property
    def all(self) -> list[Path]:
        return [self.html, self.pdf, self.workbook, *self.maps, self.web_map,
                *chart_files(self.charts), *self.gis]


def build_report(folders: Sequence[Path], out_dir: Path, *, baseline: str | None = None,
                 lang: str = "en", resilience_file: Path | None = None,
                 study_dirs: Sequence[Path] = (), hazard_files: Sequence[Path] = (),
                 dpi: int = DEFAULT_DPI) -> ReportFiles:
    """Check the language and read every input (all problems at once), then write the
    report of ``folders`` (with the study folders ``study_dirs`` and the resilience
    reports ``resilience_file`` and ``hazard_files``) into ``out_dir``, the PDF's images
    at ``dpi``."""
    problems = ProblemCollector()
    problems.attempt(lambda: locale_for(lang))
    inputs = problems.attempt(
        lambda: load_inputs(folders, baseline, resilience_file, study_dirs, hazard_files))
    problems.raise_if_any()
    assert inputs is not None
    return write_report(inputs, out_dir, lang, dpi)


def write_report(inputs: ReportInputs, out_dir: Path, lang: str = "en",
                 dpi: int = DEFAULT_DPI) -> ReportFiles:
    """Maps, the interactive map (``webmap.html``, the baseline shown first), charts, GIS
    layers, ``comparison.xlsx``, ``report.html`` and ``report.pdf`` into ``out_dir``, in
    ``lang``."""
    locale = locale_for(lang)
    categories = category_names(inputs.dataset_dir, locale)
    maps = write_maps(inputs.folders, inputs.names, inputs.baseline, out_dir, lang)
    baseline_first = sorted(zip(inputs.names, inputs.folders, strict=True),
                            key=lambda pair: pair[0] != inputs.baseline)
    web_map = write_web_map([folder for _, folder in baseline_first],
                            [name for name, _ in baseline_first], out_dir, lang)
    charts = write_charts(inputs, locale, out_dir)
    gis = copy_layers(inputs, out_dir)
    workbook = write_workbook(
        comparison_sheets(inputs, locale, categories, about_rows(inputs, locale)),
        out_dir / WORKBOOK_FILE)
    shutil.copyfile(TEMPLATES_DIR / STYLESHEET, out_dir / STYLESHEET)
    html = out_dir / REPORT_HTML
    html.write_text(render_html(inputs, locale, out_dir, shown_maps(inputs, maps), charts,
                                categories, web_map), encoding="utf-8")
    pdf = write_pdf(html, out_dir / REPORT_PDF, dpi)
    return ReportFiles(out_dir, html, pdf, workbook, maps, web_map, charts, gis)


def write_pdf(html: Path, pdf: Path, dpi: int = DEFAULT_DPI) -> Path:
    """``html`` as a tagged PDF/UA-1 document (structure tags, title, language and author
    from the page's metadata, alt texts of its images), its images at most ``dpi``."""
    HTML(filename=str(html), url_fetcher=URLFetcher(allowed_protocols=LOCAL_PROTOCOLS)
         ).write_pdf(str(pdf), pdf_variant="pdf/ua-1", pdf_tags=True, dpi=dpi,
                     optimize_images=True, jpeg_quality=JPEG_QUALITY, custom_metadata=True)
    return pdf


def copy_layers(inputs: ReportInputs, out_dir: Path) -> list[Path]:
    """Each scenario's ``layers.gpkg`` and ``geojson/`` into ``gis/<scenario>/``."""
    written = []
    for folder, name in zip(inputs.folders, inputs.names, strict=True):
        target = out_dir / GIS_DIR / name
        target.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copyfile(folder / GPKG_FILE, target / GPKG_FILE)))
        if (folder / GEOJSON_DIR).is_dir():
            shutil.copytree(folder / GEOJSON_DIR, target / GEOJSON_DIR, dirs_exist_ok=True)
            written += sorted((target / GEOJSON_DIR).glob("*.geojson"))
    return written


def shown_maps(inputs: ReportInputs, maps: Sequence[Path]) -> list[Path]:
    """The maps the report shows (PNG): the baseline beside each other scenario and any
    disruption map; the baseline's own map when it is the only scenario."""
    pngs = [m for m in maps if m.suffix == ".png"]
    shown = [m for m in pngs if m.stem not in inputs.names]
    return shown or [m for m in pngs if m.stem == inputs.baseline]


def render_html(inputs: ReportInputs, locale: Locale, out_dir: Path, maps: Sequence[Path],
                charts: Sequence[Chart], categories: dict[str, str],
                web_map: Path | None = None) -> str:
    """The report as one HTML page linking the files beside it in ``out_dir``: ``maps``
    and ``charts`` written there, ``web_map`` when given."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                                     autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    by_key = {chart.key: chart for chart in charts}

    def link(path: Path) -> str:
        return Path(os.path.relpath(path, out_dir)).as_posix()

    waterfalls = [by_key[f"waterfall-{s}"] for s in (inputs.decomposition or {})]
    summary = build_summary(inputs)
    return environment.get_template("report.html.j2").render(
        t=locale.text, lang=locale.lang, stylesheet=STYLESHEET,
        subtitle=locale.text("subtitle", count=len(inputs.names), baseline=inputs.baseline),
        front=front_lines(inputs, locale),
        summary=summary_view(summary, inputs, locale, categories),
        economics=economics_view(summary, inputs, locale),
        overview=overview_table(inputs, locale),
        comparisons=[kpi_table(getattr(inputs, period), locale) for period in SHOWN_PERIODS],
        kpi_chart=_chart_view(by_key["kpi-bars"], link),
        maps=[{"src": link(m), "alt": locale.text("decision.alt.map", name=m.stem)}
              for m in maps],
        web_map=None if web_map is None else link(web_map),
        waterfalls=[_chart_view(c, link) for c in waterfalls],
        decomposition=decomposition_table(inputs, locale),
        security=security_view(inputs.resilience, locale, categories, by_key, link),
        studies=study_views(inputs.studies, locale, by_key, link),
        method=method_lines(inputs, locale),
        factor_sources=sources_table(factor_sources(), locale),
        dataset_sources=dataset_sources(inputs.dataset_dir),
        sources_file=f"{dataset_path(inputs.dataset_dir)}/SOURCES.md",
        caveats=caveat_lines(inputs, locale), notes=result_notes(inputs),
        table_caveat=locale.text("decision.table_caveat"), author=AUTHOR,
        generator=f"logistics {__version__}", created=datetime.now(UTC).date().isoformat(),
        files=file_links(inputs, locale, out_dir, link))


def front_lines(inputs: ReportInputs, locale: Locale) -> list[str]:
    """The front page's date, tool version and data basis."""
    document = inputs.documents[inputs.names.index(inputs.baseline)]
    provenance = document.get("provenance") or {}
    hashes = provenance.get("input_sha256") or {}
    digest = hashlib.sha256("".join(f"{k}={v}" for k, v in sorted(hashes.items())).encode()
                            ).hexdigest()[:12]
    units = sum(units for _, units in _unit_counts(inputs))
    return [locale.text("decision.front.made", date=datetime.now(UTC).date().isoformat(),
                        version=__version__),
            locale.text("decision.front.data", study=dataset_path(inputs.dataset_dir),
                        units=units, orders=locale.number(provenance.get("orders")),
                        digest=digest)]


def _unit_counts(inputs: ReportInputs) -> list[tuple[str, int]]:
    counts = deliveries_by_unit_type(inputs.folders[inputs.names.index(inputs.baseline)],
                                     inputs.dataset_dir)
    return [(kind, units) for kind, (_, units) in counts.items()]


Link = Callable[[Path], str]
"""A file beside the report as the page links it (a relative path)."""


class ChartView(TypedDict):
    title: str
    svg: str
    png: str


class SummaryView(TypedDict):
    """The summary section as the template reads it."""

    question: str
    answer: list[str]
    options: Table
    hazards: Table | None
    hazard_notes: list[str]
    change: list[str]
    next: list[str]


class EconomicsView(TypedDict):
    """The economics section as the template reads it."""

    intro: list[str]
    payers: Table
    one_off: list[Table]
    present: Table
    abatement: str


class SecurityView(TypedDict):
    """The supply-security section as the template reads it."""

    intro: str
    impact: Table
    lines: list[str]
    links: Table | None
    carlo: Table | None
    chart: ChartView | None


class StudyView(TypedDict):
    """One study of the study section as the template reads it."""

    title: str
    description: str
    counts: str
    caveat: str | None
    trade_off: Table | None
    trade_off_chart: ChartView | None
    headline: str | None
    tornado: Table | None
    tornado_chart: ChartView | None


def summary_view(summary: Summary, inputs: ReportInputs, locale: Locale,
                 categories: dict[str, str]) -> SummaryView:
    """The summary section: the question, the answer, the options and hazards side by
    side, dependencies, what would change the conclusion and next steps."""
    return {"question": locale.text("decision.question"),
            "answer": answer_lines(summary, locale),
            "options": options_table(summary, locale),
            "hazards": hazards_table(summary, locale),
            "hazard_notes": [line for line in hazard_notes(summary, locale)
                             if line not in dependency_lines(summary, locale)]
            + dependency_lines(summary, locale, categories, supplier_names(inputs.dataset_dir)),
            "change": change_lines(summary, inputs, locale),
            "next": next_steps(locale)}


def economics_view(summary: Summary, inputs: ReportInputs, locale: Locale) -> EconomicsView:
    """The economics section: payers, one-off costs, present cost and abatement cost."""
    options = (summary.baseline, *summary.options)
    split = [] if all(o.economics.payers.from_kpis for o in options) else [
        locale.text("decision.economics.split_routes")]
    baseline_method: AccountingMethodJson = inputs.documents[
        inputs.names.index(inputs.baseline)].get("emissions_method") or {}
    return {"intro": [locale.text("decision.economics.intro"), *split],
            "payers": payers_table(summary, locale),
            "one_off": one_off_tables(summary, locale),
            "present": present_cost_table(summary, locale),
            "abatement": locale.text(
                "decision.economics.abatement_note",
                price=locale.number(summary.carbon_price_nok_per_t),
                year=baseline_method.get("carbon_price_year", ""))}


def _chart_view(chart: Chart, link: Link) -> ChartView:
    return {"title": chart.title, "svg": link(chart.svg), "png": link(chart.png)}


def overview_table(inputs: ReportInputs, locale: Locale) -> Table:
    """Scenario, design and travel model of each result folder."""
    rows = tuple((str(d["scenario"]), locale.design(str(d.get("design", ""))),
                  locale.name("travel", str(d.get("travel_model") or "")))
                 for d in inputs.documents)
    return Table("", (locale.text("workbook.scenario"), locale.text("comparison.design"),
                      locale.text("comparison.travel")), rows, numeric_from=None)


def kpi_table(compared: Comparison, locale: Locale) -> Table:
    """The comparison as text: a KPI per row, each scenario's value with its change."""
    period, baseline = str(compared["period"]), str(compared["baseline"])
    names = list(compared["scenarios"])
    by_kpi = {row["kpi"]: row for row in compared["rows"]}
    rows = []
    for label in KPI_LABELS:
        row = by_kpi[label.key]
        cells = [locale.kpi(label, period)]
        for name in names:
            text = locale.number(compared_value(row, name), label.digits)
            pct = locale.change_pct(compared_value(row, f"{name}_change_pct"))
            cells.append(f"{text} ({pct})" if pct else text)
        rows.append(tuple(cells))
    return Table(locale.text(f"comparison.{period}", baseline=baseline),
                 (locale.text("comparison.kpi"), *names), tuple(rows))


def decomposition_table(inputs: ReportInputs, locale: Locale) -> Table | None:
    """Each part of the week's change per metric and other scenario; ``None`` without a
    decomposition."""
    if not inputs.decomposition:
        return None
    rows = []
    for scenario, metrics in inputs.decomposition.items():
        for metric, split in metrics.items():
            rows += [(scenario, locale.text(f"metric.{metric}"),
                      locale.name("part", part["key"]), locale.number(part["value"], 1))
                     for part in split["parts"]]
            rows.append((scenario, locale.text(f"metric.{metric}"),
                         locale.text("workbook.total"), locale.number(split["total"], 1)))
    return Table("", (locale.text("workbook.scenario"), locale.text("workbook.metric"),
                      locale.text("decomposition.part"), locale.text("workbook.value")),
                 tuple(rows), numeric_from=3)


def security_view(report: ResilienceReport | None, locale: Locale,
                  categories: dict[str, str], charts: dict[str, Chart],
                  link: Link) -> SecurityView | None:
    """The supply-security section from a resilience report; ``None`` when none was
    given."""
    if report is None:
        return None
    names = list(report["designs_compared"])
    applies = {n: o.applies for n, o in hazards([report])[0].by_design.items()}
    better = report["holds_up_better"] if all(applies.values()) else {}
    header = [locale.text("security.metric"), *(locale.design(n) for n in names)]
    if len(names) > 1:
        header.append(locale.text("security.better"))
    rows = []
    for label in IMPACT_LABELS:
        cells = [locale.impact(label),
                 *(locale.number(impact_metric(report["designs"][n], label.key), label.digits)
                   if applies[n] else locale.text("decision.not_applicable") for n in names)]
        if len(names) > 1:
            verdict = better.get(label.key, "") if label.key in HIGHER_IS_BETTER else ""
            cells.append(locale.text("security.equal") if verdict == "equal"
                         else locale.design(verdict) if verdict else "")
        rows.append(tuple(cells))
    lines = [locale.text("security.unmet", design=locale.design(n), items=", ".join(
        f"{categories.get(c, c)} {locale.number(kg)}" for c, kg in unmet.items()))
        for n in names if (unmet := report["designs"][n].get("unmet_kg_by_category"))]
    concentration = report["supplier_concentration"]
    if concentration:
        lines.append(locale.text(
            "security.concentration", hhi=locale.number(concentration.get("hhi_all_goods")),
            single=concentration.get("units_depending_on_a_single_supplier_without_alternate"),
            units=concentration.get("units")))
    links = report["critical_links"]
    links_table = None
    if not links.get("available"):
        lines.append(locale.text("security.links_missing", reason=links.get("reason", "")))
    else:
        links_table = Table(
            locale.text("security.links", count=links.get("candidates_evaluated")),
            tuple(locale.text(f"security.link_{c}") for c in ("way", "street", "units", "km")),
            tuple((str(li["way_id"]), str(li["street_name"]), str(li["units_cut_off"]),
                   locale.number(li["extra_km_per_week"], 1)) for li in links.get("links", [])))
    lines += [locale.text("security.not_applied", label=item["label"], reason=item["reason"])
              for item in report["not_applied"]]
    return {"intro": locale.text("security.intro", scenario=report["scenario"],
                                 disruptions=", ".join(report["disruptions"])
                                 or locale.text("security.none")),
            "impact": Table("", tuple(header), tuple(rows)), "lines": lines,
            "links": links_table, "carlo": monte_carlo_table(report, locale),
            "chart": _chart_view(charts["resilience"], link) if "resilience" in charts
            else None}


def monte_carlo_table(report: ResilienceReport, locale: Locale) -> Table | None:
    """Percentiles of served share and extra cost per design; ``None`` without samples."""
    carlo = report["monte_carlo"]
    if not carlo.get("samples"):
        return None
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(carlo.get("kinds",
                                                                            {}).items()))
    header = [locale.text("security.carlo_design"),
              *(locale.text(f"security.{m}_{p}") for m in ("served", "cost")
                for p in ("p5", "median", "p95"))]
    rows = []
    for name in report["designs_compared"]:
        spread = carlo.get("designs", {})[name]
        served, cost = spread["served_demand_share"], spread["extra_cost_nok"]
        rows.append((locale.design(name),
                     *(locale.number(v, 4) for v in (served["p5"], served["median"],
                                                      served["p95"])),
                     *(locale.number(v) for v in (cost["p5"], cost["median"], cost["p95"]))))
    return Table(locale.text("security.carlo", samples=carlo["samples"], kinds=kinds),
                 tuple(header), tuple(rows))


def study_views(studies: Sequence[StudyResults], locale: Locale,
                charts: dict[str, Chart], link: Link) -> list[StudyView]:
    """The study section: per study its variant counts, the caveat when it is
    incomplete, the trade-off table and chart, the headline and the tornado table and
    chart (``None`` where the study has none)."""
    views: list[StudyView] = []
    for number, study in enumerate(studies, start=1):
        key = study_chart_key(number)
        trade_off_chart, tornado_chart = (
            None if (chart := charts.get(f"{key}-{kind}")) is None else _chart_view(chart, link)
            for kind in ("trade-off", "tornado"))
        views.append({
            "title": locale.text("study.title", name=study.study.name),
            "description": study.study.description,
            "counts": locale.text("study.counts", total=len(study.results),
                                  done=study.count(DONE), failed=study.count(FAILED),
                                  pending=study.count(PENDING)),
            "caveat": study_caveat(study, locale),
            "trade_off": trade_off_view(study, locale),
            "trade_off_chart": trade_off_chart,
            "headline": headline_line(study, locale),
            "tornado": tornado_view(study, locale),
            "tornado_chart": tornado_chart})
    return views


def study_caveat(study: StudyResults, locale: Locale) -> str | None:
    """What an incomplete study's tables miss; ``None`` when every variant is done."""
    if study.complete:
        return None
    return locale.text("study.caveat", name=study.study.name, done=study.count(DONE),
                       failed=study.count(FAILED), pending=study.count(PENDING))


def trade_off_view(study: StudyResults, locale: Locale) -> Table | None:
    """The options by criteria, the Pareto-optimal options marked; ``None`` without a
    trade-off."""
    spec, table = study.study.report.trade_off, study.trade_off
    if spec is None or table is None:
        return None
    digits = {label.key: label.digits for label in KPI_LABELS}
    header = (locale.text("study.option"),
              *(f"{c.name} ({locale.text(f'study.better.{c.better}')})" for c in spec.criteria),
              locale.text("decision.row.meets_need"), locale.text("study.pareto"))
    rows = tuple((str(option), *(locale.number(row[c.name], digits.get(c.metric, 0))
                                 for c in spec.criteria),
                  locale.text("decision.yes") if row["meets_need"] else locale.text(
                      "decision.no_unserved", count=locale.number(row["unserved_deliveries"])),
                  locale.text("study.yes") if row["pareto"] else "")
                 for option, row in table.iterrows())
    return Table(locale.text("study.trade_off", axis=spec.options), header, rows)


def headline_line(study: StudyResults, locale: Locale) -> str | None:
    """The headline saving at the base setting; ``None`` without a headline."""
    headline = study.study.report.headline
    if headline is None:
        return None
    labels = {label.key: label for label in KPI_LABELS}
    return locale.text("study.headline", metric=locale.kpi(labels[headline.metric]),
                       option=headline.option, baseline=headline.baseline, axis=headline.axis,
                       saving=locale.share_pct(study.headline_saving))


def tornado_view(study: StudyResults, locale: Locale) -> Table | None:
    """Per input the headline saving low and high and its range, widest first; ``None``
    without a tornado."""
    if study.tornado is None:
        return None
    rows = tuple((str(row["input"]), locale.share_pct(row["saving_low"]),
                  locale.share_pct(row["saving_high"]), locale.number(row["range"] * 100, 1))
                 for _, row in study.tornado.iterrows())
    return Table(locale.text("study.tornado"),
                 tuple(locale.text(f"study.{c}")
                       for c in ("input", "saving_low", "saving_high", "range")), rows)


def method_lines(inputs: ReportInputs, locale: Locale) -> list[str]:
    """How the results were made: planning, each emission method, each travel model."""
    baseline = inputs.documents[inputs.names.index(inputs.baseline)]
    spec = baseline.get("scenario_spec", {})
    baseline_method: AccountingMethodJson = baseline.get("emissions_method") or {}
    by_type = baseline_method.get("weeks_per_year") or {}
    spec_weeks = spec.get("weeks_per_year")
    weeks = (locale.number(float(spec_weeks), 0) if isinstance(spec_weeks, int | float)
             and spec_weeks
             else ", ".join(f"{locale.name('unit_type', unit_type)} {locale.number(value, 0)}"
                            for unit_type, value in sorted(by_type.items())))
    lines = [locale.text("decision.method.plan", weeks=weeks),
             routing_line(inputs.documents, locale), locale.text("decision.method.rule"),
             locale.text("decision.method.ranges")]
    seen: list[AccountingMethodJson] = []
    for document in inputs.documents:
        method: AccountingMethodJson = document.get("emissions_method") or {}
        if method and method not in seen:
            seen.append(method)
            lines.append(locale.text(
                "method.emissions", method=locale.name("code", str(method.get("method"))),
                allocation=locale.name("code", str(method.get("allocation"))),
                basis=locale.name("code", str(method.get("electricity_basis"))),
                electricity=locale.number(method.get("electricity_co2e_kg_per_kwh"), 3),
                biogenic=locale.name("code", str(method.get("biogenic_co2"))),
                price=locale.number(method.get("carbon_price_nok_per_t_co2e")),
                price_year=method.get("carbon_price_year"),
                base=vintage["price_base_year"] if (vintage := method.get("vintage"))
                else locale.number(None)))
    for document in inputs.documents:
        travel = document.get("travel")
        if document.get("approximate_travel"):
            lines.append(locale.text("method.travel_crow_fly", scenario=document["scenario"],
                                     detour=locale.number(
                                         travel.get("detour_factor") if travel else None, 2)))
        else:
            lines.append(locale.text("method.travel_road", scenario=document["scenario"],
                                     network=travel.get("network", "") if travel else ""))
    return lines


def caveat_lines(inputs: ReportInputs, locale: Locale) -> list[str]:
    """The caveats every reader must see: what CO2e well to wheel means, illustrative
    inputs, the travel model, the electricity basis, incomplete studies."""
    documents = inputs.documents
    lines = [locale.text("caveat.wtw")]
    if any(d.get("illustrative_inputs") for d in documents):
        lines.append(locale.text("caveat.illustrative"))
    if any(d.get("approximate_travel") for d in documents):
        lines.append(locale.text("caveat.crow_fly"))
    if not all(d.get("approximate_travel") for d in documents):
        lines.append(locale.text("caveat.road"))
    bases = {(m.get("electricity_basis"), m.get("electricity_co2e_kg_per_kwh"),
              m.get("electricity_source"))
             for d in documents if (m := d.get("emissions_method"))}
    factors = load_factor_tables().electricity
    for basis, kg, source in sorted(bases, key=str):
        others = "; ".join(f"{locale.name('code', other.basis)} "
                           f"{locale.number(other.co2e_kg_per_kwh, 3)} kg/kWh"
                           for other in factors.values() if other.basis != basis)
        lines.append(locale.text("caveat.electricity", basis=locale.name("code", str(basis)),
                                 source=source_text(source or ""),
                                 electricity=locale.number(kg, 3), others=others))
    lines += [caveat for study in inputs.studies if (caveat := study_caveat(study, locale))]
    differences = data_differences(documents, inputs.names)
    if differences:
        lines.insert(0, locale.text("caveat.different_data",
                                    differences="; ".join(differences)))
    return lines


def result_notes(inputs: ReportInputs) -> list[str]:
    """Notes of the results and the resilience report beyond the standard caveats, as
    the results state them."""
    standard = {APPROXIMATE_NOTE, ILLUSTRATIVE_NOTE}
    notes = {str(n) for d in inputs.documents for n in d.get("notes", [])}
    notes |= {str(n) for n in (inputs.resilience.get("notes", []) if inputs.resilience
                               else [])}
    return sorted(notes - standard)


def about_rows(inputs: ReportInputs, locale: Locale) -> list[tuple[str, str]]:
    """The workbook's "about" sheet: the question, caveats and sources, as (topic, text)."""
    question = locale.text("workbook.topic.question")
    caveat = locale.text("workbook.topic.caveat")
    source = locale.text("workbook.topic.source")
    rows = [(question, locale.text(f"question.p{n}")) for n in (1, 2, 3)]
    rows += [(caveat, line) for line in caveat_lines(inputs, locale) + result_notes(inputs)]
    rows += [(source, line) for line in dataset_sources(inputs.dataset_dir)]
    rows += [(source, f"{s.file} ({s.row}): {source_text(s.source)}")
             for s in factor_sources()]
    return rows


def file_links(inputs: ReportInputs, locale: Locale, out_dir: Path,
               link: Link) -> list[tuple[str, str]]:
    """(label, relative link) of the workbook, the charts folder and each GIS layer set."""
    files = [(locale.text("files.workbook"), WORKBOOK_FILE),
             (locale.text("files.charts"), "charts/")]
    files += [(locale.text("files.gis", scenario=name),
               link(out_dir / GIS_DIR / name / GPKG_FILE)) for name in inputs.names]
    return files


def dataset_path(dataset_dir: Path) -> str:
    """The data set folder as the report names it: relative to the project when inside."""
    try:
        return dataset_dir.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return dataset_dir.name
