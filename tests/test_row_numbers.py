"""Rows are named as a spreadsheet shows them: the header is row 1, so the first data
row is row 2, and a blank line still takes a row. One test per loader family: plain
tables, factor tables, the study's cross-checks, reuse flows, GeoJSON and YAML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.errors import InputError
from logistics.io.tables import load_table
from logistics.model.dataset import load_dataset
from logistics.model.domain import Category
from logistics.model.factors import load_factor_tables
from logistics.paths import DATASET_DIR, FACTORS_DIR
from logistics.plan.reuse import load_reuse

from .conftest import make_small_dataset

BAD = "lukewarm"
"""A temperature class no category may have."""


def _line_of(text: str, marker: str) -> int:
    """The 1-based line of ``text`` holding ``marker``: what an editor and a spreadsheet
    both show for a file without line breaks inside cells."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


def _with_bad_temperature(row: str) -> str:
    """A category row (temperature class last) with a temperature class not allowed."""
    return row.rsplit(",", 1)[0] + f",{BAD}"


@settings(max_examples=40, deadline=None, database=None, derandomize=True)
@given(blanks=st.lists(st.integers(min_value=0, max_value=3), min_size=3, max_size=3),
       bad=st.integers(min_value=0, max_value=2))
def test_a_table_names_the_row_a_spreadsheet_shows(tmp_path_factory: pytest.TempPathFactory,
                                                   blanks: list[int], bad: int) -> None:
    header, *rows = (DATASET_DIR / "categories.csv").read_text(encoding="utf-8").splitlines()
    rows = rows[:3]
    rows[bad] = _with_bad_temperature(rows[bad])
    text = header + "\n" + "".join("\n" * count + row + "\n"
                                   for count, row in zip(blanks, rows, strict=True))
    path = tmp_path_factory.mktemp("rows") / "categories.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_table(path, Category)
    locations = {p.location.split(" (")[0] for p in caught.value.problems}
    assert locations == {f"row {_line_of(text, BAD)}"}


def test_factor_table_problems_name_the_spreadsheet_row(tmp_path: Path) -> None:
    folder = tmp_path / "factors"
    shutil.copytree(FACTORS_DIR, folder)
    path = folder / "carbon_price.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[0], "soon", 1)  # the second data row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    assert [(p.location, p.field) for p in caught.value.problems] == [("row 3", "year")]


def test_study_cross_checks_name_the_spreadsheet_row(tmp_path: Path) -> None:
    folder = make_small_dataset(tmp_path / "study", units=4)
    fleets = folder / "supplier_fleets.csv"
    text = fleets.read_text(encoding="utf-8")
    first_supplier = text.splitlines()[1].split(",")[0]
    text = text.replace(first_supplier, "nobody", 1).replace("\n", "\n\n", 1)
    fleets.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    found = [(Path(p.source).name, p.location, p.field) for p in caught.value.problems]
    assert found == [("supplier_fleets.csv", f"row {_line_of(text, 'nobody')}", "supplier_id")]
    assert _line_of(text, "nobody") == 3  # below the header and a blank line


def test_reuse_flows_name_the_spreadsheet_row(tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text("id,unit_id,item,count_per_week,direction\n"
                     "f1,u1,pupil_desk,2,surplus\n"
                     "f2,nobody,pupil_desk,1,request\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_reuse(flows, DATASET_DIR / "reuse_items.csv", {"u1"})
    assert [(p.location, p.field) for p in caught.value.problems] == [
        ("row 3 (id=f2)", "unit_id")]


def test_geojson_and_yaml_rows_are_named_by_feature_and_item(tmp_path: Path) -> None:
    header, good = (DATASET_DIR / "categories.csv").read_text(encoding="utf-8").splitlines()[:2]
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5, 60]},
                 "properties": dict(zip(header.split(","), row.split(","), strict=True))}
                for row in (good, _with_bad_temperature(good))]
    geojson = tmp_path / "categories.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    yaml_file = tmp_path / "categories.yaml"
    yaml_file.write_text(json.dumps([f["properties"] for f in features]))
    for path, where in ((geojson, "feature 2"), (yaml_file, "item 2")):
        with pytest.raises(InputError) as caught:
            load_table(path, Category)
        assert {p.location.split(" (")[0] for p in caught.value.problems
                if p.found == repr(BAD)} == {where}
