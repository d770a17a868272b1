"""Bad input through the command line: exit 2, every problem named, never a traceback.

Each case writes malformed files into a temporary folder and runs the real Typer app of
the ``logistics`` command; the message must name the file or setting, the row or id,
the field, what was found and what is allowed (the fragments listed per case).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logistics.cli.app import app
from logistics.paths import SHIPPED_SCENARIOS_DIR
from tests.conftest import make_small_dataset
from tests.network_helpers import write_two_road_network

Case = Callable[[Path], list[str]]
"""Writes the case's files into a folder and returns the command's arguments."""


def _scenario(folder: Path, text: str, name: str = "case.yaml") -> list[str]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return ["validate", str(path)]


def _scenario_bytes(folder: Path, content: bytes) -> list[str]:
    path = folder / "case.yaml"
    path.write_bytes(content)
    return ["validate", str(path)]


def _on_study(folder: Path, edit: Callable[[Path], None], extra: str = "") -> list[str]:
    """A direct scenario on a small copy of the Bergen study, edited by ``edit``."""
    dataset = make_small_dataset(folder / "study")
    edit(dataset)
    return _scenario(folder, f"name: case\nextends: direct\ndataset_dir: {dataset}\n{extra}")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]], fields: list[str] | None = None) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _edit_unit(field: str, value: str) -> Callable[[Path], None]:
    def edit(dataset: Path) -> None:
        rows = _rows(dataset / "units.csv")
        rows[1][field] = value
        _write_rows(dataset / "units.csv", rows)
    return edit


def _empty_units(dataset: Path) -> None:
    fields = list(_rows(dataset / "units.csv")[0])
    _write_rows(dataset / "units.csv", [], fields)


def _extra_cell(dataset: Path) -> None:
    with (dataset / "units.csv").open("a", encoding="utf-8") as handle:
        handle.write("kg-x,Extra,kindergarten,10,,5.3,60.3,,07:30-14:00,300,,,,,,surplus\n")


def _latin1_units(dataset: Path) -> None:
    text = (dataset / "units.csv").read_text(encoding="utf-8")
    (dataset / "units.csv").write_bytes(text.encode("latin-1", errors="replace"))


def _duplicate_unit(dataset: Path) -> None:
    rows = _rows(dataset / "units.csv")
    _write_rows(dataset / "units.csv", [*rows, rows[0]])


def _orphan_category(dataset: Path) -> None:
    rows = _rows(dataset / "suppliers.csv")
    for row in rows:
        row["categories"] = ";".join(c for c in row["categories"].split(";") if c != "bakery")
    _write_rows(dataset / "suppliers.csv", rows)


def _no_demand(dataset: Path) -> None:
    rows = _rows(dataset / "demand_rates.csv")
    for row in rows:
        row["kg_per_size_per_week"] = "0"
    _write_rows(dataset / "demand_rates.csv", rows)


def _result_folders(folder: Path) -> list[str]:
    (folder / "r1").mkdir()
    (folder / "r1" / "result.json").write_text("{garbage", encoding="utf-8")
    return ["compare", str(folder / "r1"), str(folder / "none")]


def _orders_file(content: str, suffix: str) -> Case:
    def case(folder: Path) -> list[str]:
        orders = folder / f"orders{suffix}"
        orders.write_text(content, encoding="utf-8")
        return _scenario(folder, f"name: case\nextends: direct\norders_file: {orders}\n")
    return case


def _network_import(content: bytes, name: str) -> Case:
    def case(folder: Path) -> list[str]:
        path = folder / name
        path.write_bytes(content)
        return ["network", "import", str(path), "--name", "broken"]
    return case


UNIT_ROW = "units.csv: row 3"
CASES: dict[str, tuple[Case, list[str]]] = {
    # -- files that are not what they claim
    "scenario not UTF-8": (
        lambda f: _scenario_bytes(f, b"name: caf\xe9\n"),
        ["case.yaml", "byte 9", "encoding", "UTF-8 text"]),
    "scenario is a folder": (
        lambda f: ["validate", str(f)], ["field 'path'", "found a folder", "a file"]),
    "scenario missing": (
        lambda f: ["validate", str(f / "none.yaml")], ["none.yaml", "missing file"]),
    "scenario YAML broken": (
        lambda f: _scenario(f, "name: [unclosed\n"), ["case.yaml", "field 'yaml'", "valid YAML"]),
    "scenario is a list": (
        lambda f: _scenario(f, "- a\n- b\n"), ["field 'document'", "found list", "a YAML mapping"]),
    # -- fields and bounds
    "unknown field": (
        lambda f: _scenario(f, "name: x\nextends: direct\ncolour: blue\n"),
        ["field 'colour'", "unknown field 'colour'", "one of the fields name, description, "
         "extends, dataset_dir"]),
    "field under its former name": (
        lambda f: _scenario(f, "name: x\nextends: direct\nstudy_dir: data/bergen\n"),
        ["field 'study_dir'", "unknown field 'study_dir'", "'dataset_dir', its new name"]),
    "solver field of the benchmarks": (
        lambda f: _scenario(f, "name: x\nextends: direct\nsolver: {workers: 2}\n"),
        ["field 'solver.workers'", "unknown field 'solver.workers'",
         "one of the fields time_limit_s, solution_limit, iteration_limit"]),
    "unknown field of one disruption": (
        lambda f: _scenario(f, "name: x\nextends: direct\n"
                               "disruptions: [{type: road_closure, colour: red}]\n"),
        ["field 'disruptions.0.road_closure.colour'",
         "one of the fields label, days, type, way_ids, street_names, polygon"]),
    "route duration beyond a day": (
        lambda f: _scenario(f, "name: x\nextends: direct\nmax_route_duration_s: 1.0e+308\n"),
        ["max_route_duration_s", "1e+308", "less than or equal to 86400"]),
    "route duration infinite": (
        lambda f: _scenario(f, "name: x\nextends: direct\nmax_route_duration_s: .inf\n"),
        ["max_route_duration_s", "inf", "finite number"]),
    "name too long": (
        lambda f: _scenario(f, f"name: {'a' * 300}\nextends: direct\n"),
        ["field 'name'", "at most 100 characters"]),
    "name with capitals": (
        lambda f: _scenario(f, "name: Bad Name\nextends: direct\n"),
        ["field 'name'", "'Bad Name'", "pattern"]),
    "frequency above seven": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-diesel\n"
                               "frequency_per_week: {default: 12}\n"),
        ["frequency_per_week", "allowed 1..7"]),
    "negative time limit": (
        lambda f: _scenario(f, "name: x\nextends: direct\nsolver: {time_limit_s: -1}\n"),
        ["solver.time_limit_s", "-1", "greater than 0"]),
    "time limit over an hour": (
        lambda f: _scenario(f, "name: x\nextends: direct\nsolver: {time_limit_s: 100000}\n"),
        ["solver.time_limit_s", "100000", "less than or equal to 3600"]),
    "unknown backend": (
        lambda f: _scenario(f, "name: x\nextends: direct\nsolver: {backend: gurobi}\n"),
        ["solver.backend", "'gurobi'", "'ortools', 'pyvrp' or 'auto'"]),
    "repeated days": (
        lambda f: _scenario(f, "name: x\nextends: direct\ndays: [mon, mon]\n"),
        ["field 'days'", "without repeats"]),
    "shift past midnight": (
        lambda f: _scenario(f, "name: x\nextends: direct\nshift: '25:00-26:00'\n"),
        ["field 'shift'", "out of range"]),
    "road travel without network": (
        lambda f: _scenario(f, "name: x\nextends: direct\ntravel: {model: road}\n"),
        ["field 'travel'", "needs travel.network"]),
    "unknown disruption type": (
        lambda f: _scenario(f, "name: x\nextends: direct\ndisruptions: [{type: meteor}]\n"),
        ["disruptions.0", "'meteor'", "supplier_outage"]),
    "power outage derating above 0.6": (
        lambda f: _scenario(f, "name: x\nextends: direct\ndisruptions: "
                               "[{type: power_outage, winter_derating: 2}]\n"),
        ["disruptions.0.power_outage.winter_derating", "less than or equal to 0.6"]),
    # -- references, together with field problems
    "unknown hub and a bad field": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-diesel\nhub: atlantis\n"
                               "weeks_per_year: 99\n"),
        ["field 'hub'", "'atlantis'", "one of", "weeks_per_year", "less than or equal to 53"]),
    "unknown hub vehicle": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-diesel\n"
                               "fleet: {hub: [{vehicle_type: zeppelin, count: 2}]}\n"),
        ["fleet.hub.0.vehicle_type", "'zeppelin'", "one of"]),
    "unknown collection vehicle": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-ev\n"
                               "fleet: {collection: [{vehicle_type: blimp, count: 1}]}\n"),
        ["fleet.collection.0.vehicle_type", "'blimp'", "one of"]),
    "unknown frequency key": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-diesel\n"
                               "frequency_per_week: {caviar: 2}\n"),
        ["frequency_per_week.caviar", "a category id"]),
    "frequency of a temperature class no category travels in": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-diesel\n"
                               "frequency_per_week: {frozen: 2, chilled_food: 3}\n"),
        ["frequency_per_week.frozen", "['ambient', 'chilled']"]),
    "a unit type without demand rates": (
        lambda f: _on_study(f, _edit_unit("unit_type", "nursing_home")),
        ["units.csv", "field 'unit_type'", "'nursing_home'",
         "['kindergarten', 'school']"]),
    "unknown supplier in a disruption": (
        lambda f: _scenario(f, "name: x\nextends: direct\ndisruptions: "
                               "[{type: supplier_outage, supplier: acme}]\n"),
        ["disruptions.0", "field 'supplier'", "'acme'", "sup-dry-food"]),
    "unknown external cost area": (
        lambda f: _scenario(f, "name: x\nextends: direct\n"
                               "emissions: {external_cost_area: moon}\n"),
        ["case.yaml: field 'emissions.external_cost_area'", "'moon'", "town_over_100k",
         "external_costs.csv"]),
    "unknown hub beside a bad design": (
        lambda f: _scenario(f, "name: x\nextends: consolidated-ev\ndesign: hub-ish\n"
                               "hub: nowhere\n"),
        ["case.yaml: scenario: field 'design'", "'hub-ish'",
         "case.yaml: scenario: field 'hub'", "'nowhere'"]),
    "unknown hub beside a bad name": (
        lambda f: _scenario(f, "name: ''\nextends: consolidated-ev\nhub: nowhere\n"),
        ["case.yaml: scenario: field 'name'", "case.yaml: scenario: field 'hub'"]),
    "road network not cached": (
        lambda f: _scenario(f, "name: x\nextends: direct\n"
                               "travel: {model: road, network: nowhere}\n"),
        ["nowhere", "network"]),
    # -- extends
    "missing base": (
        lambda f: _scenario(f, "name: x\nextends: nowhere\ndesign: direct\n"),
        ["case.yaml", "field 'extends'", "'nowhere': no such scenario", "consolidated-ev"]),
    "base given as a path": (
        lambda f: _scenario(f, "name: x\nextends: ../direct\ndesign: direct\n"),
        ["field 'extends'", "'../direct'", "the name of a scenario file"]),
    # -- files the scenario names
    "study folder missing": (
        lambda f: _scenario(f, f"name: x\nextends: direct\ndataset_dir: {f / 'none'}\n"),
        ["none/units.csv", "missing file"]),
    "orders file missing": (
        lambda f: _scenario(f, f"name: x\nextends: direct\norders_file: {f / 'none.csv'}\n"),
        ["none.csv", "missing file"]),
    "orders file with an unknown unit": (
        _orders_file("id,unit_id,category,supplier_id,demand_kg_per_week,volume_m3_per_week,"
                     "deliveries_per_week\no1,nobody,dry_food,sup-dry-food,10,0.1,1\n", ".csv"),
        ["orders.csv", "id=o1", "field 'unit_id'", "'nobody'", "an id from the data set"]),
    "orders GeoJSON with empty coordinates": (
        _orders_file(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "o1"},
             "geometry": {"type": "Point", "coordinates": []}}]}), ".geojson"),
        ["orders.geojson", "feature 1", "geometry.coordinates", "[lon, lat]"]),
    "orders GeoJSON that is a list": (
        _orders_file("[1, 2]", ".geojson"),
        ["orders.geojson", "field 'features'", "a GeoJSON FeatureCollection"]),
    "orders GeoPackage that is not one": (
        _orders_file("not a database", ".gpkg"),
        ["orders.gpkg", "field 'file'", "a GeoPackage with one point layer"]),
    "orders file of an unknown type": (
        _orders_file("x", ".txt"), ["orders.txt", "field 'suffix'", ".csv"]),
    # -- study data
    "no units": (
        lambda f: _on_study(f, _empty_units), ["units.csv", "no rows", "at least one unit"]),
    "service time of 1e308 s": (
        lambda f: _on_study(f, _edit_unit("service_time_s", "1e308")),
        [UNIT_ROW, "service_time_s", "less than or equal to 14400"]),
    "unit on another continent": (
        lambda f: _on_study(f, _edit_unit("lon", "-74.0")),
        ["units.csv", "field 'lon/lat'", "km from the units' median position", "within 100 km"]),
    "latitude beyond the pole": (
        lambda f: _on_study(f, _edit_unit("lat", "95")),
        [UNIT_ROW, "field 'lat'", "less than or equal to 90"]),
    "row with more cells than the header": (
        lambda f: _on_study(f, _extra_cell), ["units.csv", "row 10", "16 cells", "at most 15"]),
    "units file not UTF-8": (
        lambda f: _on_study(f, _latin1_units), ["units.csv", "encoding", "UTF-8 text"]),
    "duplicate unit id": (
        lambda f: _on_study(f, _duplicate_unit),
        ["units.csv", "row 10", "unique values (also in row 2)"]),
    "a category nobody supplies": (
        lambda f: _on_study(f, _orphan_category),
        ["suppliers.csv", "category bakery", "'no supplier'", "exactly one main supplier"]),
    "demand model without orders": (
        lambda f: _on_study(f, _no_demand),
        ["demand model", "field 'orders'", "no orders", "a positive rate"]),
    # -- result folders
    "results that are not JSON and a missing folder": (
        _result_folders, ["r1/result.json", "field 'json'", "valid JSON",
                          "missing", "a result folder written by"]),
    # -- road network imports
    "garbage .osm": (
        _network_import(b"\x00\x01 not xml", "roads.osm"),
        ["roads.osm", "field 'content'", "a readable OSM XML file"]),
    "truncated .osm.pbf": (
        _network_import(b"\x00\x00\x00\x0d\x0a\x09OSMHeader", "roads.osm.pbf"),
        ["roads.osm.pbf", "field 'content'", "a readable OSM PBF file"]),
    "garbage .graphml": (
        _network_import(b"<graphml><graph", "roads.graphml"),
        ["roads.graphml", "field 'content'", "a readable GraphML file"]),
    "garbage .geojson roads": (
        _network_import(b"{not json", "roads.geojson"),
        ["roads.geojson", "a readable road lines"]),
    "network file is a folder": (
        lambda f: ["network", "import", str(f), "--name", "x"], ["found a folder", "a file"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_2_naming_every_problem(name: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGISTICS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    case, fragments = CASES[name]
    folder = tmp_path / "case"
    folder.mkdir()
    result = CliRunner().invoke(app, case(folder))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    missing = [fragment for fragment in fragments if fragment not in result.output]
    assert not missing, f"{missing} not in:\n{result.output}"


def test_run_refuses_what_validate_refuses(tmp_path: Path) -> None:
    args = _on_study(tmp_path, _empty_units)
    for command in ("validate", "run", "resilience"):
        result = CliRunner().invoke(app, [command, *args[1:]])
        assert result.exit_code == 2, (command, result.output)
        assert "at least one unit" in result.output


def test_a_network_far_from_the_study_is_refused_with_the_distance(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGISTICS_CACHE_DIR", str(tmp_path / "cache"))
    roads = write_two_road_network(tmp_path / "roads.geojson")
    runner = CliRunner()
    imported = runner.invoke(app, ["network", "import", str(roads), "--name", "two-roads"])
    assert imported.exit_code == 0, imported.output
    args = _scenario(tmp_path, "name: x\nextends: direct\n"
                               "travel: {model: road, network: two-roads}\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "road network 'two-roads': site kokstad" in result.output
    assert "km outside the network" in result.output


def test_a_scenario_anywhere_extends_a_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nextends: consolidated-ev\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid scenario 'mine' (consolidated)" in result.output


def _process(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "logistics", *args], cwd=cwd,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize(("config", "env", "fragments"), [
    ("colour = 'blue'\n", {}, ["config file logistics.toml", "field 'colour'",
                               "unknown setting", "cache_dir"]),
    ("", {"LOGISTICS_WORKERS": "abc"}, ["environment variable LOGISTICS_WORKERS",
                                       "field 'workers'", "'abc'", "valid integer"]),
    ("workers = [\n", {}, ["logistics.toml", "field 'toml'", "valid TOML"]),
])
def test_settings_problems_exit_2_naming_the_setting_and_its_source(
        tmp_path: Path, config: str, env: dict[str, str], fragments: list[str]) -> None:
    (tmp_path / "logistics.toml").write_text(config, encoding="utf-8")
    done = _process("validate", str(SHIPPED_SCENARIOS_DIR / "direct.yaml"), cwd=tmp_path,
                    **env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert all(fragment in done.stderr for fragment in fragments), done.stderr


def test_a_bad_flag_value_names_the_flag(tmp_path: Path) -> None:
    done = _process("run", str(SHIPPED_SCENARIOS_DIR / "direct.yaml"), "--workers", "0",
                    cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "command-line flag --workers" in done.stderr and "Traceback" not in done.stderr
