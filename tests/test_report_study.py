"""``logistics report --study``: the study-results section of a tiny study run once (two
hubs in a normal week, the electricity basis low and high), its trade-off table with the
Pareto marks and its tornado checked against the results table by hand, in English and
bokmål, the workbook sheets read back, an incomplete study's caveat, and bad study
folders exiting 2 with every problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import logistics.study
from logistics.cli.app import app
from logistics.outputs.charts import write_charts
from logistics.outputs.locale import EN, GROUP_SEPARATOR, NB, locale_for
from logistics.outputs.report import REPORT_HTML, render_html
from logistics.outputs.report_inputs import load_inputs
from logistics.outputs.workbook import WORKBOOK_FILE
from logistics.study.files import load_study_file
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.store import RECORDS_FOLDER
from tests.study_helpers import write_study
from tests.test_report import _parse

STUDY = "tiny-hubs"
HUBS = ["kokstad", "nygardstangen"]
CRITERIA = [  # (name, column of the results table, higher is better)
    ("cost", "cost_nok_per_year", False), ("co2e", "co2e_wtw_kg", False),
    ("served", "served_demand_share", True)]
ELECTRICITY = "electricity"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report-study")


@pytest.fixture(scope="module")
def dataset_dir(root: Path) -> Path:
    """The tiny study, run once: 2 hubs x normal, and the electricity basis low and high
    (6 variants)."""
    path = write_study(
        root, name=STUDY,
        overrides={"dataset_dir": str(root / "data"), "solver.solution_limit": 5,
                   "solver.time_limit_s": 5},
        grid={"hub": HUBS, "disruptions": {"normal": []}},
        one_at_a_time=[{"name": ELECTRICITY,
                        "low": {"emissions.electricity_basis": "zero_kommune_inventory"},
                        "high": {"emissions.electricity_basis": "residual_mix_nve_2020"}}],
        report={"trade_off": {"options": "hub", "criteria": [
            {"name": "cost", "metric": "cost_nok", "period": "year",
             "where": {"disruptions": "normal"}, "better": "lower"},
            {"name": "co2e", "metric": "co2e_wtw_kg", "better": "lower"},
            {"name": "served", "metric": "served_demand_share", "better": "higher"}]},
            "headline": {"metric": "co2e_wtw_kg", "axis": "hub", "baseline": HUBS[0],
                         "option": HUBS[1]}})
    run_study(load_study_file(path), root / "study", LocalRunner(1))
    return root / "study"


@pytest.fixture(scope="module")
def result_dir(root: Path, dataset_dir: Path) -> Path:
    """One scenario result on the study's data (the report needs a result folder)."""
    path = root / "tiny-result.yaml"
    path.write_text(f"name: tiny-result\nextends: consolidated-ev\ndataset_dir: {root / 'data'}"
                    "\nsolver: {solution_limit: 5}\n", encoding="utf-8")
    run = CliRunner().invoke(app, ["run", str(path), "--out", str(root / "result"),
                                   "--workers", "1"])
    assert run.exit_code == 0, run.output
    return root / "result"


@pytest.fixture(scope="module")
def english(root: Path, result_dir: Path, dataset_dir: Path) -> Path:
    """The English report with the study, through the command line."""
    out = root / "report"
    run = CliRunner().invoke(app, ["report", str(result_dir), "--study", str(dataset_dir),
                                   "--out", str(out)])
    assert run.exit_code == 0, run.output
    return out


def _trade_off_by_hand(dataset_dir: Path) -> dict[str, dict[str, float]]:
    """Each hub's criteria from its normal-week grid variant."""
    frame = logistics.study.load(dataset_dir)
    grid = frame[(frame["kind"] == "grid") & (frame["status"] == "done")].set_index("hub")
    return {hub: {name: float(grid.loc[hub, column]) for name, column, _ in CRITERIA}
            | {"unserved": float(grid.loc[hub, "unserved_deliveries"])} for hub in HUBS}


def _pareto_by_hand(values: dict[str, dict[str, float]]) -> dict[str, bool]:
    """A hub is on the front when it leaves no delivery unserved and no other such hub is
    at least as good on every criterion and better on one."""
    def at_least_as_good(a: str, b: str, name: str, higher: bool) -> bool:
        return values[a][name] >= values[b][name] if higher else values[a][name] <= values[b][
            name]

    def dominates(a: str, b: str) -> bool:
        return (all(at_least_as_good(a, b, n, h) for n, _, h in CRITERIA)
                and any(values[a][n] != values[b][n] for n, _, _ in CRITERIA))

    served = [hub for hub in HUBS if values[hub]["unserved"] == 0]
    return {hub: hub in served and not any(dominates(other, hub) for other in served
                                           if other != hub) for hub in HUBS}


def _savings_by_hand(dataset_dir: Path) -> dict[str, float]:
    """The CO2e saving of the second hub over the first, base and electricity low/high."""
    frame = logistics.study.load(dataset_dir).set_index(["sensitivity", "level", "hub"])
    co2e = frame["co2e_wtw_kg"]
    return {level: 1 - co2e[(sens, level, HUBS[1])] / co2e[(sens, level, HUBS[0])]
            for sens, level in (("base", "base"), (ELECTRICITY, "low"), (ELECTRICITY, "high"))}


def test_html_trade_off_table_has_each_hub_and_the_pareto_marks(english: Path,
                                                                dataset_dir: Path) -> None:
    page = _parse(english / REPORT_HTML)
    rows = page.table(EN["study.trade_off"].split("{")[0])
    assert rows[0] == [EN["study.option"], f"cost ({EN['study.better.lower']})",
                       f"co2e ({EN['study.better.lower']})",
                       f"served ({EN['study.better.higher']})", EN["decision.row.meets_need"],
                       EN["study.pareto"]]
    values = _trade_off_by_hand(dataset_dir)
    front = _pareto_by_hand(values)
    need = {hub: "yes" if values[hub]["unserved"] == 0 else
            f"no: {values[hub]['unserved']:,.0f} deliveries a week unserved" for hub in HUBS}
    expected = [[hub, f"{values[hub]['cost']:,.0f}", f"{values[hub]['co2e']:,.0f}",
                 f"{values[hub]['served']:.3f}", need[hub], "yes" if front[hub] else ""]
                for hub in HUBS]
    assert rows[1:] == expected
    text = " ".join(" ".join(page.text).split())
    assert EN["section.study"] in text and "6 variants: 6 done, 0 failed, 0 pending." in text
    assert "is incomplete" not in text and EN["study.missing"] not in text
    for chart in ("trade_off", "tornado"):
        link = f"charts/study-1-{STUDY}/{chart}.svg"
        assert ("img", link) in page.links and (english / link).stat().st_size > 0


def test_html_tornado_and_headline_match_the_results_table(english: Path,
                                                           dataset_dir: Path) -> None:
    page = _parse(english / REPORT_HTML)
    savings = _savings_by_hand(dataset_dir)
    rows = page.table(EN["study.tornado"].split("{")[0])
    assert rows[0] == [EN[f"study.{c}"] for c in ("input", "saving_low", "saving_high",
                                                  "range")]
    assert rows[1:] == [[ELECTRICITY, f"{savings['low'] * 100:.1f}%",
                         f"{savings['high'] * 100:.1f}%",
                         f"{abs(savings['high'] - savings['low']) * 100:.1f}"]]
    text = " ".join(" ".join(page.text).split())
    assert f"is {savings['base'] * 100:.1f}% at the base setting" in text


def test_workbook_sheets_read_back_the_same_values(english: Path, dataset_dir: Path) -> None:
    values = _trade_off_by_hand(dataset_dir)
    front = _pareto_by_hand(values)
    sheet = pd.read_excel(english / WORKBOOK_FILE, sheet_name=f"Trade-off 1 {STUDY}")
    assert list(sheet[EN["study.option"]]) == HUBS
    for name, _, _ in CRITERIA:
        assert list(sheet[name]) == pytest.approx([values[hub][name] for hub in HUBS])
    marks = sheet[EN["study.pareto"]].fillna("")
    assert list(marks) == ["yes" if front[hub] else "" for hub in HUBS]
    cheapest = min(HUBS, key=lambda hub: values[hub]["cost"])
    assert sheet.set_index(EN["study.option"]).loc[cheapest, "cost rank"] == 1
    savings = _savings_by_hand(dataset_dir)
    tornado = pd.read_excel(english / WORKBOOK_FILE, sheet_name=f"Tornado 1 {STUDY}")
    row = tornado.iloc[0]
    assert row[EN["study.input"]] == ELECTRICITY
    assert row[EN["study.saving_low"]] == pytest.approx(savings["low"])
    assert row[EN["study.saving_high"]] == pytest.approx(savings["high"])
    assert row[EN["study.saving_base"]] == pytest.approx(savings["base"])


def test_bokmal_section_labels_and_numbers(result_dir: Path, dataset_dir: Path,
                                           tmp_path: Path) -> None:
    inputs = load_inputs([result_dir], study_dirs=[dataset_dir])
    locale = locale_for("nb")
    page_path = tmp_path / REPORT_HTML
    page_path.write_text(render_html(inputs, locale, tmp_path, [],
                                     write_charts(inputs, locale, tmp_path), {}),
                         encoding="utf-8")
    page = _parse(page_path)
    rows = page.table(NB["study.trade_off"].split("{")[0])
    assert rows[0][0] == NB["study.option"] and rows[0][-1] == NB["study.pareto"]
    front = _pareto_by_hand(_trade_off_by_hand(dataset_dir))
    assert [r[-1] for r in rows[1:]] == ["ja" if front[hub] else "" for hub in HUBS]
    savings = _savings_by_hand(dataset_dir)
    tornado = page.table(NB["study.tornado"].split("{")[0])
    assert tornado[0][1] == NB["study.saving_low"]
    low = f"{savings['low'] * 100:.1f}".replace(".", ",")
    assert tornado[1][1] == f"{low}{GROUP_SEPARATOR}%"
    text = " ".join(" ".join(page.text).split())
    assert NB["section.study"] in text and "6 varianter: 6 ferdige" in text


def test_incomplete_study_is_counted_and_caveated(result_dir: Path, dataset_dir: Path,
                                                  tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(dataset_dir, partial)
    frame = logistics.study.load(dataset_dir)
    pending_key = frame.loc[frame["hub"] == HUBS[1], "key"].iloc[0]
    (partial / RECORDS_FOLDER / f"{pending_key}.json").unlink()
    inputs = load_inputs([result_dir], study_dirs=[partial])
    locale = locale_for("en")
    html = render_html(inputs, locale, tmp_path, [], write_charts(inputs, locale, tmp_path),
                       {})
    page_path = tmp_path / REPORT_HTML
    page_path.write_text(html, encoding="utf-8")
    text = " ".join(" ".join(_parse(page_path).text).split())
    assert "6 variants: 5 done, 0 failed, 1 pending." in text
    assert (f"Study {STUDY} is incomplete: 0 variants failed and 1 are pending. "
            "Its tables use the 5 done variants only") in text


def test_without_a_study_the_section_names_the_commands(result_dir: Path,
                                                        tmp_path: Path) -> None:
    inputs = load_inputs([result_dir])
    locale = locale_for("en")
    page_path = tmp_path / REPORT_HTML
    page_path.write_text(render_html(inputs, locale, tmp_path, [],
                                     write_charts(inputs, locale, tmp_path), {}),
                         encoding="utf-8")
    text = " ".join(" ".join(_parse(page_path).text).split())
    assert EN["study.missing"] in text
    assert "logistics study run studies/bergen-hub-choice.yaml" in text
    assert "logistics study run studies/bergen-sensitivity.yaml" in text


def test_bad_study_folders_exit_2_listing_every_problem(result_dir: Path,
                                                        tmp_path: Path) -> None:
    empty = tmp_path / "not-a-study"
    empty.mkdir()
    broken = tmp_path / "broken-study"
    broken.mkdir()
    (broken / "study.json").write_text("{not json", encoding="utf-8")
    mangled = tmp_path / "mangled-study"
    mangled.mkdir()
    (mangled / "study.json").write_text(json.dumps(
        {"study": {"name": "x", "base": "direct"}, "variants": [{"number": 1}]}),
        encoding="utf-8")
    run = CliRunner().invoke(app, ["report", str(result_dir), "--lang", "sv",
                                   "--study", str(empty), "--study", str(broken),
                                   "--study", str(mangled), "--out", str(tmp_path / "out")])
    assert run.exit_code == 2, run.output
    output = " ".join(run.output.split())
    assert "--lang" in output and "'sv'" in output
    assert f"{empty}: field 'study.json': found missing" in output
    assert f"{broken / 'study.json'}: line 1: field 'json'" in output
    assert f"{mangled / 'study.json'}: field 'variants'" in output
    assert "logistics study run" in output
    assert not (tmp_path / "out").exists()
