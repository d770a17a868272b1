"""Study reports: the Pareto front against hand-made cases, the trade-off table and the
tornado against the results table, the charts, and the shipped studies validate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.outputs.study_report import study_report
from logistics.study.analysis import pareto_front, trade_off_table
from logistics.study.files import STUDIES_DIR, load_study_file
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.spec import TradeOffSpec
from tests.study_helpers import write_study


def test_pareto_front_by_hand() -> None:
    # (cost, lower better; served, higher better)
    values = np.array([[10.0, 0.9], [12.0, 0.95], [11.0, 0.8], [10.0, 0.85],
                       [np.nan, 1.0]])
    # row 2 is beaten by row 0 on both; row 3 by row 0 on served at equal cost
    assert pareto_front(values, [False, True]) == [True, True, False, False, False]


@pytest.mark.parametrize("name", ["bergen-hub-choice", "bergen-sensitivity"])
def test_shipped_studies_validate(name: str) -> None:
    loaded = load_study_file(STUDIES_DIR / f"{name}.yaml")
    assert loaded.variants


def test_hub_choice_study_expands_to_every_candidate() -> None:
    loaded = load_study_file(STUDIES_DIR / "bergen-hub-choice.yaml")
    hubs = {h.id for h in loaded.checked.dataset.hubs}
    assert {v.labels["hub"] for v in loaded.variants} == hubs
    # 3 hubs x (normal, hub outage) + 20 samples for each hub's normal week
    assert len(loaded.variants) == len(hubs) * 2 + len(hubs) * 20


def test_an_option_leaving_deliveries_unserved_never_ranks_cheaper_nor_on_the_front(
) -> None:
    # three hubs, a normal week and a hub outage; "cheap" is cheapest and lowest in
    # CO2e only because it leaves 7 deliveries out in its normal week
    rows = []
    for hub, cost, co2e, unserved, served_outage in (
            ("cheap", 100.0, 10.0, 7.0, 0.9), ("mid", 120.0, 12.0, 0.0, 0.8),
            ("dear", 130.0, 11.0, 0.0, 0.7)):
        base = {"status": "done", "kind": "grid", "sensitivity": "base", "level": "base",
                "hub": hub}
        rows.append(base | {"disruptions": "normal", "cost_nok": cost, "co2e_wtw_kg": co2e,
                            "unserved_deliveries": unserved, "served_demand_share": 0.95})
        rows.append(base | {"disruptions": "outage", "cost_nok": cost * 2,
                            "co2e_wtw_kg": co2e, "unserved_deliveries": 40.0,
                            "served_demand_share": served_outage})
    spec = TradeOffSpec.model_validate({"options": "hub", "criteria": [
        {"name": "cost", "metric": "cost_nok", "where": {"disruptions": "normal"},
         "better": "lower"},
        {"name": "co2e", "metric": "co2e_wtw_kg", "where": {"disruptions": "normal"},
         "better": "lower"},
        {"name": "served", "metric": "served_demand_share",
         "where": {"disruptions": "outage"}, "better": "higher"}]})
    table = trade_off_table(pd.DataFrame(rows), spec, ["cheap", "mid", "dear"])
    assert table["unserved_deliveries"].tolist() == [7.0, 0.0, 0.0]
    assert table["meets_need"].tolist() == [False, True, True]
    assert table["cost_rank"].tolist() == [3, 1, 2]
    assert table["co2e_rank"].tolist() == [3, 2, 1]
    assert table["served_rank"].tolist() == [3, 1, 2]
    # among the two that meet the need neither dominates the other
    assert table["pareto"].tolist() == [False, True, True]


def test_trade_off_table_and_charts(tmp_path: Path) -> None:
    path = write_study(
        tmp_path, grid={"hub": ["kokstad", "nygardstangen", "asane"]},
        monte_carlo={"samples": 2, "seed": 5},
        report={"metrics": ["cost_nok", "served_demand_share"], "trade_off": {
            "options": "hub", "criteria": [
                {"name": "cost", "metric": "cost_nok", "period": "year", "better": "lower"},
                {"name": "co2e", "metric": "co2e_wtw_kg", "better": "lower"},
                {"name": "served_p5", "metric": "served_demand_share",
                 "statistic": "p5", "better": "higher"}]}})
    run_study(load_study_file(path), tmp_path / "out", LocalRunner(1))
    made = study_report(tmp_path / "out")
    frame = made.results
    table = made.trade_off
    assert table is not None and list(table.index) == ["kokstad", "nygardstangen", "asane"]
    for hub in table.index:
        grid = frame[(frame["hub"] == hub) & (frame["kind"] == "grid")]
        samples = frame[(frame["hub"] == hub) & (frame["kind"] == "monte_carlo")]
        assert table.loc[hub, "cost"] == pytest.approx(grid["cost_nok_per_year"].iloc[0])
        assert table.loc[hub, "co2e"] == pytest.approx(grid["co2e_wtw_kg"].iloc[0])
        low, high = sorted(samples["served_demand_share"])
        assert table.loc[hub, "served_p5"] == pytest.approx(low + 0.05 * (high - low))
    cheapest = table["cost"].idxmin()
    assert table.loc[cheapest, "cost_rank"] == 1
    assert table.loc[cheapest, "pareto"]  # the cheapest is never dominated
    report_dir = tmp_path / "out" / "report"
    for name in ("metrics.png", "metrics.svg", "trade_off.png", "trade_off.csv"):
        assert (report_dir / name).stat().st_size > 0


def test_tornado_of_the_headline_saving(tmp_path: Path) -> None:
    path = write_study(
        tmp_path, grid={"design": ["direct", "consolidated"]},
        one_at_a_time=[{"name": "electricity", "low": {
            "emissions.electricity_basis": "zero_kommune_inventory"},
            "high": {"emissions.electricity_basis": "residual_mix_nve_2020"}}],
        report={"headline": {"metric": "co2e_wtw_kg", "axis": "design",
                             "baseline": "direct", "option": "consolidated"}})
    run_study(load_study_file(path), tmp_path / "out", LocalRunner(1))
    result = CliRunner().invoke(app, ["study", "report", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    made = study_report(tmp_path / "out")
    frame = made.results.set_index(["sensitivity", "level", "design"])["co2e_wtw_kg"]

    def saving(sensitivity: str, level: str) -> float:
        return 1 - frame[(sensitivity, level, "consolidated")] / frame[(sensitivity, level,
                                                                        "direct")]

    assert made.headline_saving == pytest.approx(saving("base", "base"))
    assert made.tornado is not None
    row = made.tornado.iloc[0]
    assert row["saving_low"] == pytest.approx(saving("electricity", "low"))
    assert row["saving_high"] == pytest.approx(saving("electricity", "high"))
    # electric hub fleet: zero-carbon power saves more than the residual mix
    assert row["saving_low"] > row["saving_high"]
    assert (tmp_path / "out" / "report" / "tornado.png").stat().st_size > 0
    assert "Headline" in result.output
