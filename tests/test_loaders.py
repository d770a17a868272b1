"""Loaders accept good files in every format and list every problem in bad ones."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from logistics.errors import InputError
from logistics.io.tables import load_table
from logistics.model.dataset import load_dataset
from logistics.model.domain import Unit, UnitType, UnitWeeks
from logistics.paths import DATASET_DIR

from .conftest import SHARED

UNIT_ROWS = [
    {"id": "u1", "name": "A", "unit_type": "kindergarten", "size": 40, "lon": 5.3, "lat": 60.39,
     "time_windows": "07:30-11:00;12:00-14:00", "service_time_s": 300},
    {"id": "u2", "name": "B", "unit_type": "school", "size": 300, "lon": 5.32, "lat": 60.37,
     "time_windows": "08:00-14:30", "service_time_s": 240},
]


def _write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_units_load_the_same_from_csv_geojson_geopackage_and_yaml(tmp_path: Path) -> None:
    import yaml

    from_csv = load_table(_write_csv(tmp_path / "u.csv", UNIT_ROWS), Unit)
    features = [{"type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                 "properties": {k: v for k, v in r.items() if k not in ("lon", "lat")}}
                for r in UNIT_ROWS]
    geojson = tmp_path / "u.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    frame = gpd.GeoDataFrame([{k: v for k, v in r.items() if k not in ("lon", "lat")}
                              for r in UNIT_ROWS],
                             geometry=[Point(r["lon"], r["lat"]) for r in UNIT_ROWS], crs=4326)
    gpkg = tmp_path / "u.gpkg"
    frame.to_crs(25832).to_file(gpkg)  # a projected file is turned back into WGS84
    yaml_path = tmp_path / "u.yaml"
    yaml_path.write_text(yaml.safe_dump({"units": UNIT_ROWS}))
    for other in (load_table(geojson, Unit), load_table(gpkg, Unit), load_table(yaml_path, Unit)):
        assert [u.id for u in other] == ["u1", "u2"]
        for a, b in zip(from_csv, other, strict=True):
            assert a.time_windows == b.time_windows
            assert a.lon == pytest.approx(b.lon, abs=1e-7)
            assert a.lat == pytest.approx(b.lat, abs=1e-7)
    assert from_csv[0].time_windows == ((27000, 39600), (43200, 50400))
    assert from_csv[1].unit_type is UnitType.SCHOOL


def test_bad_units_file_lists_every_problem(tmp_path: Path) -> None:
    rows = [
        dict(UNIT_ROWS[0], lat=95),  # latitude out of range
        dict(UNIT_ROWS[1], unit_type="castle", time_windows="14:00-08:00"),
        dict(UNIT_ROWS[1], size=-3),  # and a duplicate id
    ]
    path = _write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as caught:
        load_table(path, Unit)
    problems = caught.value.problems
    found = {(p.location.split(" ")[1], p.field) for p in problems}
    # the header is row 1 of the sheet, so the three data rows are rows 2, 3 and 4
    assert ("2", "lat") in found
    assert ("3", "unit_type") in found
    assert ("3", "time_windows") in found
    assert ("4", "size") in found
    assert ("4", "id") in found  # duplicate of row 3
    assert all(str(path) == p.source for p in problems)
    unit_type = next(p for p in problems if p.field == "unit_type")
    assert "kindergarten" in unit_type.allowed and "castle" in unit_type.found


def test_missing_required_field_and_unknown_column_are_reported(tmp_path: Path) -> None:
    row = {k: v for k, v in UNIT_ROWS[0].items() if k != "name"} | {"colour": "red"}
    with pytest.raises(InputError) as caught:
        load_table(_write_csv(tmp_path / "u.csv", [row]), Unit)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"name", "colour"}


def test_study_cross_references_are_checked_across_files(tmp_path: Path) -> None:
    import shutil

    dataset_dir = tmp_path / "study"
    shutil.copytree(DATASET_DIR, dataset_dir)
    fleets = (dataset_dir / "supplier_fleets.csv").read_text().splitlines()
    fleets.append("sup-nowhere,hovercraft,2")
    (dataset_dir / "supplier_fleets.csv").write_text("\n".join(fleets) + "\n")
    suppliers = (dataset_dir / "suppliers.csv").read_text().replace(
        ",dry_food,bakery,", ",dry_food,caviar,", 1)
    (dataset_dir / "suppliers.csv").write_text(suppliers)
    with pytest.raises(InputError) as caught:
        load_dataset(dataset_dir)
    messages = [str(p) for p in caught.value.problems]
    assert any("sup-nowhere" in m and "supplier_id" in m for m in messages)
    assert any("hovercraft" in m and "vehicle_type" in m for m in messages)
    assert any("caviar" in m and "backup_categories" in m for m in messages)


def test_shipped_bergen_units_are_the_public_kindergartens_and_the_schools(dataset) -> None:
    kindergartens = [u for u in dataset.units if u.unit_type is UnitType.KINDERGARTEN]
    schools = [u for u in dataset.units if u.unit_type is UnitType.SCHOOL]
    with (SHARED / "data/bergen-units/bergen_kindergartens_barnehagefakta_4601.csv").open(
            encoding="utf-8") as handle:
        public = [r for r in csv.DictReader(handle) if r["operator_type"] == "public"]
    by_id = {u.id: u for u in kindergartens}
    assert len(kindergartens) == len(public) == 96
    for row in public:
        unit = by_id[f"kg-{row['nsrid']}"]
        assert unit.name == row["name"]
        assert unit.lon == pytest.approx(float(row["lon"]), abs=1e-6)
        assert unit.lat == pytest.approx(float(row["lat"]), abs=1e-6)
        if row["capacity"]:
            assert unit.size == int(row["capacity"])
    school_file = json.loads((SHARED / "data/bergen-units/bergen_schools_2014.geojson").read_text())
    assert len(schools) == len(school_file["features"]) == 84
    assert {s.name for s in schools} == {f["properties"]["navn"] for f in school_file["features"]}
    assert all(s.illustrative for s in dataset.suppliers)
    assert all(h.illustrative for h in dataset.hubs)


@pytest.mark.parametrize("text", ["[]\n", "unit_type,weeks,source\n"])
def test_a_table_with_a_foreign_header_and_no_rows_is_refused(tmp_path: Path,
                                                              text: str) -> None:
    path = tmp_path / "unit_weeks.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_table(path, UnitWeeks, key="unit_type")
    header = {p.field for p in raised.value.problems if p.location == "header"}
    assert header == ({"[]"} if text.startswith("[]") else {"weeks"})
    assert all("weeks_per_year" in p.allowed for p in raised.value.problems)


def test_a_table_with_its_own_header_and_no_rows_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "unit_weeks.csv"
    path.write_text("unit_type,weeks_per_year,source\n", encoding="utf-8")
    assert load_table(path, UnitWeeks, key="unit_type") == ()
