"""Scenario files: inheritance, validation of every problem, and schema drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logistics.errors import InputError
from logistics.paths import SCENARIO_SCHEMA_FILE, SHIPPED_SCENARIOS_DIR
from logistics.scenarios.files import load_scenario, scenario_json_schema
from logistics.scenarios.schema import Scenario, check_references

BERGEN = SHIPPED_SCENARIOS_DIR


def test_checked_in_schema_matches_the_models() -> None:
    assert SCENARIO_SCHEMA_FILE.read_text(encoding="utf-8") == scenario_json_schema(), (
        "scenario schema drifted: run 'logistics schema --write'")
    schema = json.loads(SCENARIO_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert "design" in schema["required"]


def test_every_shipped_scenario_validates_against_the_study(dataset) -> None:
    paths = sorted(BERGEN.glob("*.yaml"))
    assert {p.stem for p in paths} >= {"direct", "consolidated-diesel", "consolidated-ev",
                                       "consolidated-2x"}
    for path in paths:
        scenario = load_scenario(path)
        check_references(scenario, str(path), {h.id for h in dataset.hubs},
                         set(dataset.vehicle_types), dataset.category_classes)


def test_extends_merges_mappings_and_replaces_lists() -> None:
    ev = load_scenario(BERGEN / "consolidated-ev.yaml")
    diesel = load_scenario(BERGEN / "consolidated-diesel.yaml")
    direct = load_scenario(BERGEN / "direct.yaml")
    assert ev.extends == "consolidated-diesel"
    assert ev.design == diesel.design == "consolidated"
    assert ev.frequency_per_week == diesel.frequency_per_week
    assert {f.vehicle_type for f in ev.fleet.hub} == {"rigid-electric-16t-chilled",
                                                       "e-van-chilled"}
    assert ev.shift == direct.shift and ev.solver == direct.solver  # inherited two levels


def test_bad_scenario_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: Bad Name\n"
        "design: teleport\n"
        "frequency_per_week: {default: 9}\n"
        "solver: {time_limit_s: -1}\n"
        "colour: blue\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    fields = {p.field for p in caught.value.problems}
    assert {"name", "design", "frequency_per_week", "solver.time_limit_s", "colour"} <= fields
    assert all(p.source == str(path) for p in caught.value.problems)


def test_consolidated_needs_hub_and_fleet(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("name: c\ndesign: consolidated\n")
    with pytest.raises(InputError, match="hub"):
        load_scenario(path)


def test_extends_cycle_and_missing_base_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: b\ndesign: direct\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a\ndesign: direct\n")
    (tmp_path / "c.yaml").write_text("name: c\nextends: nowhere\ndesign: direct\n")
    with pytest.raises(InputError, match="cycles"):
        load_scenario(tmp_path / "a.yaml")
    with pytest.raises(InputError, match="'nowhere': no such scenario") as missing:
        load_scenario(tmp_path / "c.yaml")
    assert missing.value.problems[0].source == str(tmp_path / "c.yaml")
    assert missing.value.problems[0].field == "extends"


def test_unknown_ids_are_reported_against_the_study(dataset) -> None:
    scenario = Scenario.model_validate({
        "name": "x", "design": "consolidated", "hub": "atlantis",
        "fleet": {"hub": [{"vehicle_type": "zeppelin", "count": 1}]},
        "frequency_per_week": {"caviar": 2}})
    with pytest.raises(InputError) as caught:
        check_references(scenario, "x.yaml", {h.id for h in dataset.hubs},
                         set(dataset.vehicle_types), dataset.category_classes)
    assert {p.found for p in caught.value.problems} == {"'atlantis'", "'zeppelin'", "'caviar'"}


def test_frequency_lookup_order() -> None:
    scenario = load_scenario(BERGEN / "consolidated-diesel.yaml")
    assert scenario.frequency_for("chilled_food", "chilled") == 3
    assert scenario.frequency_for("dry_food", "ambient") == 2
    assert scenario.frequency_for("office_school_supplies", "ambient") == 1
