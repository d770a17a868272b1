"""Hub operations in the accounts: energy, CO2e and handling cost of the hub that handled
the goods each day, checked by hand from the result's own stops."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from logistics.accounting.hub import hub_energy_kwh
from logistics.model.dataset import load_dataset
from logistics.model.factors import default_factor_tables
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.result import ScenarioResult, write_result
from logistics.pipeline.run import run_scenario
from logistics.scenarios.files import load_scenario

from .conftest import make_small_dataset

BUILDING_KWH_PER_M2_YEAR = 140.0
HANDLING_KWH_PER_T = 1.5
COLD_KWH_PER_T = 10.0
"""The rows of data/factors/hub_energy.csv, as written there."""
FLOOR_AREA_M2 = {"kokstad": 750.0, "nygardstangen": 375.0, "asane": 500.0}
"""data/bergen/hubs.csv."""
OPEN_DAYS = 47 * 5
"""The hub is open the kindergartens' 47 weeks (unit_weeks.csv), 5 days a week."""
LOCATION_KG_PER_KWH = 0.019
RESIDUAL_KG_PER_KWH = 0.402
"""electricity.csv: location_nve_2022 and residual_mix_nve_2020."""
OUTAGE_DAY = "wed"


def test_one_hub_day_by_hand() -> None:
    factors = default_factor_tables()
    kwh = hub_energy_kwh(2_000.0, 500.0, factors, 1_000.0, 200.0)
    # 140 kWh/m2/year x 1 000 m2 over 200 open days, 1.5 kWh/t x 2 t, 10 kWh/t x 0.5 t
    assert kwh == pytest.approx(700 + 3 + 5)
    assert hub_energy_kwh(2_000.0, 500.0, factors, 1_000.0, 200.0, scale=2.0) == \
        pytest.approx(2 * kwh)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ScenarioResult, Path]]:
    """consolidated-ev on a small study: as shipped, on the residual mix, with hub energy
    left out, and with Kokstad closed on Wednesday (goods through Nygårdstangen)."""
    root = tmp_path_factory.mktemp("hub-energy")
    dataset_dir = make_small_dataset(root / "study", units=6)
    base = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml")
    common = {"dataset_dir": str(dataset_dir), "solver.solution_limit": 10}
    variants = {
        "shipped": {},
        "residual": {"emissions.electricity_basis": "residual_mix_nve_2020"},
        "no-hub-energy": {"emissions.hub_energy_scale": 0.0},
        "outage": {"disruptions": [{"type": "hub_outage", "days": [OUTAGE_DAY],
                                    "fallback": "hub", "fallback_hub": "nygardstangen"}]},
    }
    results = {}
    for name, overrides in variants.items():
        scenario = base.with_overrides({**common, **overrides}, "test")
        result = run_scenario(scenario, workers=1)
        results[name] = (result, write_result(result, root / name))
    return results


def _handled_by_hub_day(result: ScenarioResult,
                        folder: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(hub, day) -> (kg, chilled or frozen kg) that trunk trips brought to the hub,
    read from stops.csv (each trunk stop carries one supplier's categories, named in
    its orders column as order:category) and the categories table. Every delivery is
    served in these runs, so what came in went out on the distribution routes."""
    dataset = load_dataset(Path(result.scenario.dataset_dir))
    cold = {c.id for c in dataset.categories if c.temperature_class in ("chilled", "frozen")}
    handled: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    with (folder / "stops.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != "trunk" or row["step_type"] != "delivery":
                continue
            kg = float(row["delivered_kg"])
            totals = handled[(row["site_id"], row["day"])]
            totals[0] += kg
            categories = {o.split(":")[-1] for o in row["orders"].split(";") if o}
            assert categories <= cold or not categories & cold, row["route_id"]
            if categories <= cold:
                totals[1] += kg
    return {key: (kg, cold_kg) for key, (kg, cold_kg) in handled.items()}


def _expected_kwh(handled: dict[tuple[str, str], tuple[float, float]]) -> float:
    return sum(BUILDING_KWH_PER_M2_YEAR * FLOOR_AREA_M2[hub] / OPEN_DAYS
               + HANDLING_KWH_PER_T * kg / 1000 + COLD_KWH_PER_T * cold_kg / 1000
               for (hub, _), (kg, cold_kg) in handled.items())


def test_hub_energy_and_co2e_by_hand(runs: dict[str, tuple[ScenarioResult, Path]]) -> None:
    result, folder = runs["shipped"]
    assert result.kpi_week["unserved_deliveries"] == 0
    handled = _handled_by_hub_day(result, folder)
    assert {hub for hub, _ in handled} == {"kokstad"}
    assert len(handled) == len(result.scenario.days)
    kwh = _expected_kwh(handled)
    assert result.kpi_week["hub_energy_kwh"] == pytest.approx(kwh, rel=1e-3)
    assert result.kpi_week["hub_co2e_wtw_kg"] == pytest.approx(kwh * LOCATION_KG_PER_KWH,
                                                               rel=1e-3)
    transport_kg = 0.0
    for name in ("routes.csv", "carriers.csv"):
        with (folder / name).open(newline="", encoding="utf-8") as handle:
            transport_kg += sum(float(r["co2e_wtw_kg"]) for r in csv.DictReader(handle))
    assert result.kpi_week["co2e_wtw_kg"] == pytest.approx(
        transport_kg + kwh * LOCATION_KG_PER_KWH, abs=0.05)  # rows rounded to 1e-4 kg


def test_residual_mix_and_scale(runs: dict[str, tuple[ScenarioResult, Path]]) -> None:
    shipped = runs["shipped"][0].kpi_week
    residual = runs["residual"][0].kpi_week
    left_out = runs["no-hub-energy"][0].kpi_week
    assert residual["hub_energy_kwh"] == pytest.approx(shipped["hub_energy_kwh"])
    assert residual["hub_co2e_wtw_kg"] == pytest.approx(
        shipped["hub_energy_kwh"] * RESIDUAL_KG_PER_KWH, rel=1e-3)
    assert left_out["hub_energy_kwh"] == 0.0
    assert left_out["co2e_wtw_kg"] == pytest.approx(
        shipped["co2e_wtw_kg"] - shipped["hub_co2e_wtw_kg"], rel=1e-9)


def test_the_hub_that_handled_the_goods_is_charged(
        runs: dict[str, tuple[ScenarioResult, Path]]) -> None:
    result, folder = runs["outage"]
    assert result.kpi_week["unserved_deliveries"] == 0
    handled = _handled_by_hub_day(result, folder)
    assert {day for hub, day in handled if hub == "nygardstangen"} == {OUTAGE_DAY}
    assert OUTAGE_DAY not in {day for hub, day in handled if hub == "kokstad"}
    assert result.kpi_week["hub_energy_kwh"] == pytest.approx(_expected_kwh(handled), rel=1e-3)
    dataset = load_dataset(Path(result.scenario.dataset_dir))
    hubs = {h.id: h for h in dataset.hubs}
    handling = sum(hubs[hub].handling_cost_nok_per_kg * kg for (hub, _), (kg, _) in
                   handled.items())
    # 750 m2 x NOK 1 300 (2023) and SEK 900 000 of coordination (2019, 0.9303 NOK/SEK), in
    # 2024 kroner with the CPI (133.6 / 129.6 and 133.6 / 110.8), over 47 open weeks
    fixed = (750 * 1300 * 133.6 / 129.6 + 900_000 * 0.9303 * 133.6 / 110.8) / 47
    assert result.kpi_week["hub_cost_nok"] == pytest.approx(handling + fixed, rel=1e-3)
