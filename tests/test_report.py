"""``logistics report``: the decision-document report of small real results (the map
tests' three scenarios on eight crow-fly units), in English with a decomposition and a
resilience report, and in bokmål through the command line. The HTML is parsed, the PDF
rendered to PNG pages, the workbook read back."""

from __future__ import annotations

import csv
import dataclasses
import json
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pypdfium2 as pdfium
import pytest
import yaml
from typer.testing import CliRunner

from logistics.analysis.resilience.report import resilience_report
from logistics.cli.app import app
from logistics.model.dataset import load_dataset
from logistics.outputs.charts import write_charts
from logistics.outputs.locale import EN, GROUP_SEPARATOR, NB, locale_for
from logistics.outputs.report import (
    REPORT_HTML,
    REPORT_PDF,
    method_lines,
    render_html,
    security_view,
    write_report,
)
from logistics.outputs.report_inputs import load_inputs, read_resilience
from logistics.outputs.tables import KPI_LABELS
from logistics.outputs.workbook import WORKBOOK_FILE
from logistics.pipeline.result import APPROXIMATE_NOTE, ILLUSTRATIVE_NOTE
from logistics.scenarios.files import load_scenario
from logistics.travel.crowfly import CrowFlyModel

from .map_helpers import SCENARIOS, make_map_results
from .test_resilience import tiny_scenario  # noqa: F401 (the resilience fixture)

BASELINE = "map-direct"
OTHER = "map-consolidated"
A4_WIDTH_PT = 595
MIN_INKED_SHARE = 0.004
"""Share of a rendered PDF page's pixels that must not be white (a page of text: ~3 %)."""
DECOMPOSITION = {"vehicle_km": {"total": -120.0, "parts": [
    {"key": "fewer_stops", "value": -90.5}, {"key": "inbound_trips", "value": -40.0},
    {"key": "km_per_stop", "value": 20.0}, {"key": "fleet_energy", "value": -9.5}]}}
RESILIENCE = {
    "scenario": "hand-resilience", "designs_compared": ["consolidated", "direct"],
    "travel_model": "crow_fly", "approximate_travel": True,
    "disruptions": ["supplier_outage: sup-bakery mon"], "not_applied": [],
    "notes": ["Resilience note."],
    "designs": {name: {"served_demand_share": share, "normal_served_demand_share": 1.0,
                       "units_fully_served_share": share, "normal_units_fully_served_share": 1.0,
                       "unmet_kg": unmet, "unmet_kg_by_category": {"bakery": unmet},
                       "unmet_kg_by_unit_type": {}, "unserved_deliveries_by_reason": {},
                       "vehicle_km": 100.0, "extra_vehicle_km": 5.0,
                       "extra_co2e_wtw_kg": 1.0, "extra_cost_nok": 1234.5}
                for name, share, unmet in (("consolidated", 0.95, 50.0),
                                           ("direct", 0.97, 30.0))},
    "holds_up_better": {"served_demand_share": "direct", "extra_cost_nok": "equal"},
    "days_of_autonomy": {},
    "supplier_concentration": {"hhi_all_goods": 2000.0, "units": 8,
                               "units_depending_on_a_single_supplier_without_alternate": 3},
    "critical_links": {"available": False, "reason": "needs a road network"},
    "monte_carlo": {"samples": 3, "kinds": {"supplier_outage": 3},
                    "designs": {n: {"served_demand_share": {"p5": 0.9, "median": 0.95,
                                                            "p95": 1.0},
                                    "extra_cost_nok": {"p5": 0.0, "median": 10.0,
                                                       "p95": 20.0}}
                                for n in ("consolidated", "direct")},
                    "holds_up_better": {},
                    "per_sample": [{"sample": i, "kind": "supplier_outage", "disruption": "x",
                                    "consolidated": {"served_demand_share": 0.9 + i / 20,
                                                     "extra_cost_nok": 10.0 * i},
                                    "direct": {"served_demand_share": 0.92 + i / 30,
                                               "extra_cost_nok": 5.0 * i}}
                                   for i in range(3)]},
}


class _Page(HTMLParser):
    """Title, tables (caption, rows of cell texts and the footer's caveat), links and all
    text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.tables: list[dict[str, Any]] = []
        self.links: list[tuple[str, str]] = []  # (tag, src or href)
        self.tags: set[str] = set()
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._open.append(tag)
        self.links += [(tag, value or "") for name, value in attrs if name in ("src", "href")]
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "footer": ""})
        elif tag == "tr" and "tfoot" not in self._open:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and "tfoot" not in self._open:
            self.tables[-1]["rows"][-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        where = self._open[-1] if self._open else ""
        if where == "title":
            self.title += data
        elif where == "caption":
            self.tables[-1]["caption"] += data
        elif where in ("td", "th") and "tfoot" in self._open:
            self.tables[-1]["footer"] += data
        elif where in ("td", "th"):
            self.tables[-1]["rows"][-1][-1] += data

    def table(self, caption_start: str) -> list[list[str]]:
        return next(t["rows"] for t in self.tables if t["caption"].startswith(caption_start))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_map_results(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def english(folders: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English report with a hand-made decomposition and resilience report."""
    root = tmp_path_factory.mktemp("english")
    (root / "resilience.json").write_text(json.dumps(RESILIENCE), encoding="utf-8")
    inputs = load_inputs(folders, BASELINE, root / "resilience.json")
    inputs = dataclasses.replace(inputs, week=inputs.week | {
        "decomposition": {OTHER: DECOMPOSITION}})
    write_report(inputs, root / "report", "en")
    return root / "report"


@pytest.fixture(scope="module")
def bokmal(folders: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bokmål report through ``logistics report --lang nb``."""
    out = tmp_path_factory.mktemp("bokmal") / "report"
    run = CliRunner().invoke(app, ["report", *map(str, folders), "--baseline", BASELINE,
                                   "--lang", "nb", "--out", str(out)])
    assert run.exit_code == 0, run.output
    return out


def _year_km(folder: Path) -> float:
    """Vehicle-km per year by hand: the week's km attributed to the municipality (checked
    against routes.csv summed, each route's km times its municipal share) times the
    scenario's weeks."""
    with (folder / "routes.csv").open(newline="", encoding="utf-8") as handle:
        routes_km = sum(float(row["distance_km"]) * float(row["municipal_share"])
                        for row in csv.DictReader(handle))
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    week_km = result["kpi_per_week"]["vehicle_km"]
    assert routes_km == pytest.approx(week_km, abs=0.01)
    return week_km * result["scenario_spec"]["weeks_per_year"]


def test_english_html_has_title_tables_values_and_caveats(english: Path,
                                                          folders: list[Path]) -> None:
    page = _parse(english / REPORT_HTML)
    assert page.title == EN["title"]
    year = page.table(EN["comparison.year"].split("{")[0])
    assert year[0] == [EN["comparison.kpi"], *SCENARIOS]
    assert len(year) - 1 == len(KPI_LABELS)
    km = next(r for r in year if r[0] == "vehicle-km / year")
    expected = f"{round(_year_km(folders[0])):,d}"
    assert "," in expected and km[1] == expected
    text = " ".join(" ".join(page.text).split())
    for caveat in (ILLUSTRATIVE_NOTE, APPROXIMATE_NOTE, "location_nve_2022",
                   "Resilience note."):
        assert caveat in text, caveat
    assert EN["maps.web"] in text and ("a", "webmap.html") in page.links


def test_html_is_self_contained(english: Path, bokmal: Path) -> None:
    for folder in (english, bokmal):
        page = _parse(folder / REPORT_HTML)
        assert "script" not in page.tags
        for tag, target in page.links:
            assert not target.startswith(("http:", "https:", "//")), (tag, target)
            if target.startswith("#"):
                assert f'id="{target[1:]}"' in (folder / REPORT_HTML).read_text("utf-8")
            else:
                assert (folder / target).exists(), target


def test_decomposition_and_supply_security_sections(english: Path) -> None:
    page = _parse(english / REPORT_HTML)
    parts = [r for t in page.tables for r in t["rows"] if EN["part.fewer_stops"] in r]
    assert parts == [[OTHER, EN["metric.vehicle_km"], EN["part.fewer_stops"], "-90.5"]]
    assert ("img", f"charts/waterfall-{OTHER}.svg") in page.links
    assert ("img", "charts/resilience.svg") in page.links
    impact = next(t["rows"] for t in page.tables
                  if t["rows"] and t["rows"][0][0] == EN["security.metric"])
    served = next(r for r in impact if r[0] == "served demand share, disrupted")
    assert served == ["served demand share, disrupted", "0.9500", "0.9700", "direct"]
    cost = next(r for r in impact if r[0] == "extra cost NOK / week")
    assert cost[1:] == ["1,234", "1,234", EN["security.equal"]]
    text = " ".join(page.text)
    assert "Bakery products 50" in text and "3 of 8 units" in text
    for name in (REPORT_PDF, WORKBOOK_FILE, f"gis/{BASELINE}/layers.gpkg",
                 f"gis/{OTHER}/geojson/routes.geojson"):
        assert (english / name).is_file(), name


def test_bokmal_html_writes_norwegian_labels_and_numbers(bokmal: Path,
                                                         folders: list[Path]) -> None:
    page = _parse(bokmal / REPORT_HTML)
    assert page.title == NB["title"]
    year = page.table(NB["comparison.year"].split("{")[0])
    assert len(year) - 1 == len(KPI_LABELS)
    km = next(r for r in year if r[0] == "kjøretøykilometer / år")
    expected = f"{round(_year_km(folders[0])):,d}".replace(",", GROUP_SEPARATOR)
    assert GROUP_SEPARATOR in expected and km[1] == expected
    share = next(r for r in year if r[0] == NB["kpi.load_factor"])
    assert "," in share[1] and "." not in share[1]
    text = " ".join(" ".join(page.text).split())
    assert NB["caveat.illustrative"] in text and NB["caveat.crow_fly"] in text
    assert NB["security.missing"] in text and NB["part.fewer_stops"] in text
    for other in list(SCENARIOS)[1:]:
        assert ("img", f"charts/waterfall-{other}.svg") in page.links
    unserved = pd.read_excel(bokmal / WORKBOOK_FILE, sheet_name=NB["workbook.unserved"])
    assert set(unserved[NB["workbook.category"]]) == {"Frukt og grønt"}


def test_report_folder_holds_the_interactive_map_in_its_language(english: Path,
                                                                bokmal: Path) -> None:
    """``webmap.html`` beside ``report.html``, linked relatively, the baseline shown first."""
    for folder, lang, label in ((english, "en", "Open the interactive map"),
                                (bokmal, "nb", "Åpne det interaktive kartet")):
        page = _parse(folder / REPORT_HTML)
        assert ("a", "webmap.html") in page.links and label in " ".join(page.text)
        web_map = (folder / "webmap.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in web_map
        assert f'id="scenario-0" data-scenario="{BASELINE}"' in web_map
    assert "Scenarioer" in (bokmal / "webmap.html").read_text(encoding="utf-8")


def test_results_without_decomposition_say_so(folders: list[Path], tmp_path: Path) -> None:
    """Result folders compared before the decomposition existed."""
    inputs = load_inputs(folders, BASELINE)
    inputs = dataclasses.replace(inputs, week={k: v for k, v in inputs.week.items()
                                               if k != "decomposition"})
    locale = locale_for("en")
    html = unescape(render_html(inputs, locale, tmp_path, [],
                                write_charts(inputs, locale, tmp_path), {}))
    assert EN["decomposition.missing"] in html and EN["security.missing"] in html
    assert "waterfall" not in html


def test_pdf_pages_are_a4_and_drawn(english: Path, bokmal: Path) -> None:
    for folder in (english, bokmal):
        path = folder / REPORT_PDF
        assert path.read_bytes().startswith(b"%PDF")
        pdf = pdfium.PdfDocument(path)
        assert len(pdf) >= 2
        for number in range(len(pdf)):
            page = pdf[number]
            assert page.get_width() == pytest.approx(A4_WIDTH_PT, abs=1)
            pixels = np.asarray(page.render(scale=1).to_pil().convert("L"))
            assert pixels.shape[1] == pytest.approx(A4_WIDTH_PT, abs=2)
            assert (pixels < 250).mean() > MIN_INKED_SHARE, (folder.name, number)


def test_cli_writes_every_file(bokmal: Path) -> None:
    for name in (REPORT_HTML, REPORT_PDF, WORKBOOK_FILE, "report.css", "charts/kpi-bars.svg",
                 "charts/kpi-bars.png", f"maps/{BASELINE}-vs-{OTHER}.png",
                 f"gis/{OTHER}/layers.gpkg"):
        assert (bokmal / name).is_file(), name
    assert not (bokmal / "charts" / "resilience.svg").exists()


def test_bad_language_resilience_file_and_folder_exit_2_listing_all(folders: list[Path],
                                                                     tmp_path: Path) -> None:
    bad = tmp_path / "resilience.json"
    bad.write_text(json.dumps({"scenario": "x", "designs": []}), encoding="utf-8")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "result.json").write_bytes((folders[1] / "result.json").read_bytes())
    run = CliRunner().invoke(app, ["report", str(folders[0]), str(bare), "--lang", "sv",
                                   "--resilience", str(bad), "--out", str(tmp_path / "out")])
    assert run.exit_code == 2
    assert "--lang" in run.output and "'sv'" in run.output and "en, nb" in run.output
    assert str(bad) in run.output and "designs_compared" in run.output
    assert "routes.csv" in run.output and "layers.gpkg" in run.output
    assert not (tmp_path / "out").exists()


def test_demo_refuses_a_bad_language_before_solving(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["demo", "--lang", "de", "--out", str(tmp_path / "demo")])
    assert run.exit_code == 2
    assert "--lang" in run.output and "'de'" in run.output
    assert not (tmp_path / "demo").exists()


def test_resilience_command_json_feeds_the_section(tiny_scenario: Path) -> None:  # noqa: F811
    """A real resilience report (two samples) reads back and fills the section."""
    document = yaml.safe_load(tiny_scenario.read_text(encoding="utf-8"))
    scenario = load_scenario(tiny_scenario).with_overrides({"solver.solution_limit": 5})
    report = resilience_report(scenario, load_dataset(Path(document["dataset_dir"])),
                               CrowFlyModel(), samples=2, seed=1, workers=1)
    path = tiny_scenario.with_suffix(".json")
    path.write_text(json.dumps(report), encoding="utf-8")
    view = security_view(read_resilience(path), locale_for("nb"), {}, {}, str)
    assert view is not None and "tiny-resilience" in view["intro"]
    assert view["carlo"] is not None and len(view["carlo"].rows) == 2


def test_the_method_names_the_weeks_by_unit_type_and_the_price_year(
        folders: list[Path]) -> None:
    inputs = load_inputs(folders, BASELINE)
    base = inputs.names.index(inputs.baseline)
    documents = list(inputs.documents)
    documents[base] = {
        **documents[base],
        "scenario_spec": {**documents[base]["scenario_spec"], "weeks_per_year": None},
        "emissions_method": {**documents[base]["emissions_method"],
                             "weeks_per_year": {"school": 38, "kindergarten": 47}}}
    lines = method_lines(dataclasses.replace(inputs, documents=tuple(documents)),
                         locale_for("en"))
    assert "(weeks a year: kindergarten 47, school 38)" in lines[0]
    assert "every NOK in 2024 prices" in " ".join(lines)
