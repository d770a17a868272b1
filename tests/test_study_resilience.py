"""``logistics resilience --out``: the report written to disk (JSON and CSV), and its
routing solutions shared on disk so that a rerun solves nothing again."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from logistics.cli.resilience import resilience
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline import solutions as pipeline_solutions
from logistics.scenarios.files import merged_document
from tests.conftest import make_small_dataset


@pytest.fixture
def scenario_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """consolidated-ev on four units over two days with a supplier outage; results (and
    the shared solutions) in a temporary folder."""
    monkeypatch.setenv("LOGISTICS_RESULTS_DIR", str(tmp_path / "results"))
    document = merged_document(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml")
    document.pop("extends")
    document |= {"name": "tiny", "dataset_dir": str(make_small_dataset(tmp_path / "d", units=4)),
                 "days": ["mon", "tue"],
                 "solver": {"solution_limit": 5, "time_limit_s": 5},
                 "disruptions": [{"type": "supplier_outage", "supplier": "sup-chilled-food",
                                  "days": ["mon"]}]}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_resilience_writes_its_report_and_reuses_solutions(
        scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    solve = pipeline_solutions.solve
    monkeypatch.setattr(pipeline_solutions, "solve", lambda problem, settings=None:
                        calls.append(problem.name) or solve(problem, settings))
    monkeypatch.setenv("LOGISTICS_WORKERS", "1")
    app = typer.Typer()
    app.command()(resilience)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, [str(scenario_file), "--samples", "3", "--seed", "2",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    solved = len(calls)
    assert solved > 0
    report = json.loads((out / "resilience.json").read_text(encoding="utf-8"))
    assert report["scenario"] == "tiny" and report["monte_carlo"]["samples"] == 3
    with (out / "designs.csv").open(newline="", encoding="utf-8") as handle:
        designs = {row["design"]: row for row in csv.DictReader(handle)}
    assert set(designs) == {"consolidated", "direct"}
    for name, row in designs.items():
        assert float(row["served_demand_share"]) == pytest.approx(
            report["designs"][name]["served_demand_share"])
    with (out / "monte_carlo.csv").open(newline="", encoding="utf-8") as handle:
        samples = list(csv.DictReader(handle))
    assert len(samples) == 3 * 2  # three samples x two designs
    assert (out / "critical_links.csv").exists()
    again = CliRunner().invoke(app, [str(scenario_file), "--samples", "3", "--seed", "2",
                                     "--json"])
    assert again.exit_code == 0, again.output
    assert len(calls) == solved  # every solution read from the shared store
    assert json.loads(again.output)["monte_carlo"] == report["monte_carlo"]
