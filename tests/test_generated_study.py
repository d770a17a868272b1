"""The GENERATED municipality of the scale benchmark: a valid, deterministic study folder."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from benchmarks.generated_study import generate_study, lines_frequency_per_week
from benchmarks.scale import generated_scenario, write_scenarios
from logistics.model.dataset import load_dataset
from logistics.model.demand import load_orders
from logistics.pipeline.run import run_scenario
from logistics.pipeline.scenario_check import check_file

SMALL = {"units": 30, "suppliers": 12}
BASE_CATEGORIES = 7  # dry food, chilled food, fruit and veg, bakery, cleaning, office, medical


@pytest.fixture(scope="module")
def small_dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_study(tmp_path_factory.mktemp("generated") / "study", **SMALL)


def test_small_study_loads_with_its_sizes_and_every_name_generated(
        small_dataset_dir: Path) -> None:
    study = load_dataset(small_dataset_dir)
    assert len(study.units) == 30
    assert len(study.suppliers) == 12
    assert len(study.categories) == 12  # one product line per supplier
    assert study.illustrative
    names = [s.name for s in (*study.units, *study.suppliers, *study.hubs, *study.categories)]
    assert all("Generated" in name for name in names)
    assert all("bergen" not in name.lower() for name in names)
    assert "GENERATED municipality" in (small_dataset_dir / "README.md").read_text()


def test_each_unit_buys_every_base_category_from_one_line(small_dataset_dir: Path) -> None:
    study = load_dataset(small_dataset_dir)
    orders = load_orders(small_dataset_dir / "orders.csv", study)
    bases_by_unit: dict[str, list[str]] = {}
    for order in orders:
        bases_by_unit.setdefault(order.unit_id, []).append(order.category.rsplit("-", 1)[0])
    assert set(bases_by_unit) == {u.id for u in study.units}
    assert all(sorted(set(b)) == sorted(b) and len(b) == BASE_CATEGORIES
               for b in bases_by_unit.values())
    kindergarten = next(u for u in study.units if u.unit_type == "kindergarten")
    dry_food = next(o for o in orders
                    if o.unit_id == kindergarten.id and o.category.startswith("dry_food-"))
    # 0.35 kg dry food per child and week, at 0.004 m3 per kg, once a week
    assert dry_food.demand_kg_per_week == pytest.approx(0.35 * kindergarten.size)
    assert dry_food.volume_m3_per_week == pytest.approx(0.35 * 0.004 * kindergarten.size,
                                                        abs=1e-4)
    assert dry_food.deliveries_per_week == 1


def test_same_seed_same_bytes_other_seed_other_units(tmp_path: Path) -> None:
    first = generate_study(tmp_path / "a", **SMALL, seed=7)
    second = generate_study(tmp_path / "b", **SMALL, seed=7)
    other = generate_study(tmp_path / "c", **SMALL, seed=8)
    for name in ("units.csv", "suppliers.csv", "orders.csv", "supplier_fleets.csv",
                 "hubs.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert (first / "units.csv").read_bytes() != (other / "units.csv").read_bytes()


def test_default_sizes_are_oslos_inventory(tmp_path: Path) -> None:
    study = load_dataset(generate_study(tmp_path / "study"))
    assert len(study.units) == 1100
    assert len(study.suppliers) == 300
    assert len(study.hubs) == 1
    with (tmp_path / "study" / "units.csv").open(newline="", encoding="utf-8") as handle:
        towns = {row["district"] for row in csv.DictReader(handle)}
    assert len(towns) > 1  # clustered around several town centres


def test_frequencies_carry_from_base_categories_to_lines() -> None:
    carried = lines_frequency_per_week({"default": 1, "dry_food": 2, "chilled": 3},
                                       ["dry_food-001", "dry_food-002", "bakery-001"])
    assert carried == {"default": 1, "chilled": 3, "dry_food-001": 2, "dry_food-002": 2}


def test_too_few_suppliers_for_the_base_categories_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one per base category"):
        generate_study(tmp_path / "study", units=5, suppliers=BASE_CATEGORIES - 1)


def test_written_scenarios_pass_validate(small_dataset_dir: Path, tmp_path: Path) -> None:
    paths = write_scenarios(small_dataset_dir, tmp_path / "scenarios")
    for design, path in paths.items():
        scenario, checked = check_file(path)
        assert scenario.design == design
        assert len(checked.dataset.units) == 30


def test_consolidated_scenario_runs_end_to_end(small_dataset_dir: Path) -> None:
    scenario = generated_scenario("consolidated", small_dataset_dir).with_overrides(
        {"solver.solution_limit": 5, "solver.iteration_limit": 50})
    assert scenario.hub == "generated-hub"
    result = run_scenario(scenario, workers=1)
    assert result.illustrative
    assert result.provenance.routing_problems == 5  # one per weekday
    assert result.kpi_week["vehicle_km"] > 0
    assert not result.unserved
    study = load_dataset(small_dataset_dir)
    ordered_kg = sum(o.demand_kg_per_week
                     for o in load_orders(small_dataset_dir / "orders.csv", study))
    delivered_kg = sum(d.demand_kg for planned, _ in result.routes
                       if planned.kind == "distribution"
                       for deliveries in planned.deliveries.values() for d in deliveries)
    assert delivered_kg == pytest.approx(ordered_kg)


def test_long_search_runs_factor_times_the_default_count_from_the_next_seed() -> None:
    from benchmarks.search_gap import long_settings
    from logistics.routing.settings import SolverSettings

    default = SolverSettings(iteration_limit=600, iterations_per_stop=5, solution_limit=60,
                             seed=3)
    small, large = long_settings(default, 80, 4), long_settings(default, 1_100, 4)
    assert (small.pyvrp_iterations(80), small.solution_limit, small.seed) == (2_400, 240, 4)
    assert large.pyvrp_iterations(1_100) == 22_000  # 4 x 5 x 1,100


def test_default_search_gap_on_the_largest_problems(small_dataset_dir: Path,
                                                   tmp_path: Path) -> None:
    from benchmarks.scale import search_gap_of_largest

    path = write_scenarios(small_dataset_dir, tmp_path)["consolidated"]
    scenario, _ = check_file(path)
    quick = scenario.with_overrides({"solver.iteration_limit": 30,
                                     "solver.solution_limit": 10})
    path.write_text(yaml.safe_dump(quick.model_dump(mode="json"), sort_keys=False),
                    encoding="utf-8")
    measured = search_gap_of_largest(path, sample=1, factor=2)
    row = measured["problems"][0]
    assert row["problem"].startswith("distribution:")
    assert row["long_iterations"] == 2 * row["default_iterations"]
    by_hand_pct = 100 * (row["default_nok"] / min(row["default_nok"], row["long_nok"]) - 1)
    assert abs(row["gap_pct"] - by_hand_pct) < 0.01  # the NOK shown are rounded
    assert row["gap_pct"] >= 0
    assert measured["max_gap_pct"] == row["gap_pct"]
