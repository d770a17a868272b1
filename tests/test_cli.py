"""The command line end to end, through the installed ``logistics`` entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from logistics.accounting.kpi import KPI_COLUMNS
from logistics.analysis.compare import comparison
from logistics.outputs.tables import kpi_table, short_names

from .conftest import make_small_dataset

BERGEN = Path(__file__).resolve().parents[1] / "scenarios" / "bergen"


def logistics(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "logistics", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def small_scenarios(tmp_path: Path) -> Path:
    """direct and consolidated scenarios on eight Bergen units, with short searches."""
    study = make_small_dataset(tmp_path / "study")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = (BERGEN / "direct.yaml").read_text(encoding="utf-8")
    assert "solver:" not in text, "direct.yaml searches with the default solver settings"
    # one number of weeks a year for every unit, so that a year is 46 weeks (the weeks
    # by unit type are checked by hand in test_kpi.py)
    quick = text.replace("dataset_dir: data/bergen", f"dataset_dir: {study}") + (
        "solver: {solution_limit: 20}\nweeks_per_year: 46\n")
    assert quick.count(str(study)) == 1
    (folder / "direct.yaml").write_text(quick, encoding="utf-8")
    for name in ("consolidated-diesel", "consolidated-ev"):
        (folder / f"{name}.yaml").write_text((BERGEN / f"{name}.yaml").read_text(
            encoding="utf-8"), encoding="utf-8")
    return folder


def test_run_and_compare_small_scenarios(small_scenarios: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"
    summaries = {}
    for name in ("direct", "consolidated-ev"):
        done = logistics("run", str(small_scenarios / f"{name}.yaml"), "--out",
                         str(results / name), "--json", "--workers", "1", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        summaries[name] = json.loads(done.stdout)
    direct, ev = summaries["direct"], summaries["consolidated-ev"]
    assert direct["travel_model"] == "crow_fly" and direct["approximate_travel"] is True
    assert any("approximate" in note for note in direct["notes"])
    assert any("illustrative" in note for note in direct["notes"])
    assert direct["unserved_count"] == 0 and ev["unserved_count"] == 0
    weeks = 46
    for kpi in ("deliveries", "vehicle_km", "co2e_wtw_kg", "cost_nok"):
        assert direct["kpi_per_year"][kpi] == pytest.approx(weeks * direct["kpi_per_week"][kpi])
    assert direct["kpi_per_year"]["load_factor"] == direct["kpi_per_week"]["load_factor"]
    assert ev["kpi_per_week"]["deliveries"] < direct["kpi_per_week"]["deliveries"]
    for folder in ("direct", "consolidated-ev"):
        assert {p.name for p in (results / folder).iterdir()} >= {
            "result.json", "routes.csv", "unserved.csv", "emissions_by_order.csv"}

    compared = logistics("compare", str(results / "direct"), str(results / "consolidated-ev"),
                         "--json", cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    table = json.loads(compared.stdout)
    assert table["baseline"] == "bergen-direct"
    row = next(r for r in table["rows"] if r["kpi"] == "vehicle_km")
    before, after = direct["kpi_per_week"]["vehicle_km"], ev["kpi_per_week"]["vehicle_km"]
    assert row["bergen-consolidated-ev_change"] == pytest.approx(after - before)
    assert row["bergen-consolidated-ev_change_pct"] == pytest.approx(100 * (after - before)
                                                                     / before)
    human = logistics("compare", str(results / "direct"), str(results / "consolidated-ev"),
                      cwd=tmp_path)
    assert "vehicle-km / week" in human.stdout and "approximate" in human.stdout
    yearly = logistics("compare", str(results / "direct"), str(results / "consolidated-ev"),
                       "--period", "year", cwd=tmp_path)
    assert yearly.returncode == 0, yearly.stderr
    assert "KPIs per year" in yearly.stdout and "/ week" not in yearly.stdout
    assert "vehicle-km / year" in yearly.stdout and "load factor" in yearly.stdout
    assert f"{direct['kpi_per_year']['vehicle_km']:,.0f}" in yearly.stdout
    assert f"{direct['kpi_per_week']['vehicle_km']:,.0f}" not in yearly.stdout
    wrong = logistics("compare", str(results / "direct"), "--period", "month", cwd=tmp_path)
    assert wrong.returncode == 2 and "week, year" in wrong.stderr


DEMO_NAMES = ("bergen-direct", "bergen-consolidated-diesel", "bergen-consolidated-ev",
              "bergen-consolidated-2x")


def _summary(name: str, scale: float) -> dict[str, Any]:
    weekly = {kpi: 1234.5 * scale for kpi in KPI_COLUMNS}
    return {"scenario": name, "kpi_per_week": weekly,
            "kpi_per_year": {kpi: 46 * value for kpi, value in weekly.items()}}


def _header_cells(text: str) -> list[str]:
    """Each column's header of a rendered rich table, its lines joined."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    below = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    rows = [[cell.strip() for cell in line.strip("┃").split("┃")]
            for line in lines[top + 1:below]]
    return ["".join(parts) for parts in zip(*rows, strict=True)]


@pytest.mark.parametrize("period", ["week", "year"])
def test_the_demo_table_names_every_scenario_at_80_columns(period: str) -> None:
    summaries = [_summary(name, 10.0 ** k) for k, name in enumerate(DEMO_NAMES)]
    console = Console(width=80, record=True)
    console.print(kpi_table(comparison(summaries, period=period)))
    text = console.export_text()
    assert all(len(line) <= 80 for line in text.splitlines())
    assert _header_cells(text) == ["KPI", "direct", "consolidated-diesel", "consolidated-ev",
                                   "consolidated-2x"]
    assert "…" not in text
    assert f"KPIs per {period}" in text and f"NOx g / {period}" in text
    assert short_names(DEMO_NAMES[2:3]) == ["bergen-consolidated-ev"]
    assert short_names(["bergen-ev", "bergen-ev-residual"]) == ["ev", "ev-residual"]


def test_bad_scenario_exits_2_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ndesign: consolidated\nhub: atlantis\n"
                   "fleet: {hub: [{vehicle_type: zeppelin, count: 2}]}\n"
                   "frequency_per_week: {default: 2}\n")
    done = logistics("validate", str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "atlantis" in done.stderr and "zeppelin" in done.stderr
    assert "2 input problem(s)" in done.stderr
    malformed = tmp_path / "malformed.yaml"
    malformed.write_text("name: [unclosed\n")
    done = logistics("run", str(malformed), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "valid YAML" in done.stderr


def test_validate_accepts_the_shipped_scenarios(tmp_path: Path) -> None:
    for path in sorted(BERGEN.glob("*.yaml")):
        done = logistics("validate", str(path), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "valid scenario" in done.stdout


def test_compare_rejects_a_folder_without_result(tmp_path: Path) -> None:
    done = logistics("compare", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "result.json" in done.stderr
