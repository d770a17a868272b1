"""Fuzzing the loaders: whatever a file holds, the outcome is a valid object or an
InputError listing problems, never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logistics.errors import InputError
from logistics.io.tables import read_rows, validate_rows
from logistics.model.domain import Order, Unit
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.scenarios.files import load_scenario
from logistics.scenarios.schema import Scenario

FUZZ = settings(max_examples=120, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

SCENARIO_KEYS = [*sorted(Scenario.model_fields), "colour", "solver.seed"]
scalars = (st.none() | st.booleans() | st.integers(-10**12, 10**12)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
scenario_mappings = st.dictionaries(st.sampled_from(SCENARIO_KEYS) | st.text(max_size=12),
                                    values, max_size=8)


def _outcome(load: Any, *args: Any) -> object:
    """The loaded object, or the InputError (which must list at least one problem)."""
    try:
        return load(*args)
    except InputError as error:
        assert error.problems
        assert all(p.source and p.field for p in error.problems)
        return error


def _file(suffix: str, content: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / f"case{suffix}"
    path.write_bytes(content)
    return path


@FUZZ
@given(document=scenario_mappings, base=st.sampled_from(["direct", "consolidated-ev", None]))
def test_scenario_loader_on_random_mappings(document: dict[str, Any], base: str | None) -> None:
    if base is not None:
        document = {**document, "extends": base}
    text = yaml.safe_dump(document, allow_unicode=True)
    outcome = _outcome(load_scenario, _file(".yaml", text.encode()))
    assert isinstance(outcome, Scenario | InputError)


@FUZZ
@given(content=st.binary(max_size=300))
def test_scenario_loader_on_random_bytes(content: bytes) -> None:
    outcome = _outcome(load_scenario, _file(".yaml", content))
    assert isinstance(outcome, Scenario | InputError)


def test_a_shipped_scenario_still_loads() -> None:
    assert isinstance(load_scenario(SHIPPED_SCENARIOS_DIR / "direct.yaml"), Scenario)


UNIT_HEADER = ("id,name,unit_type,size,size_basis,lon,lat,district,time_windows,"
               "service_time_s,max_vehicle_height_m,max_vehicle_length_m,max_vehicle_weight_kg")
cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@FUZZ
@given(rows=st.lists(st.lists(cells | st.sampled_from(["1e308", "nan", "-inf", "07:30-14:00",
                                                       "kindergarten", "5.3", "60.3"]),
                              max_size=15), max_size=5),
       junk=st.binary(max_size=40))
def test_csv_loader_on_random_rows(rows: list[list[str]], junk: bytes) -> None:
    lines = [UNIT_HEADER, *(",".join(row) for row in rows)]
    path = _file(".csv", "\n".join(lines).encode() + junk)
    outcome = _outcome(lambda: validate_rows(read_rows(path), Unit, str(path)))
    assert isinstance(outcome, tuple | InputError)


geometries = st.one_of(
    st.none(), values,
    st.fixed_dictionaries({"type": st.sampled_from(["Point", "LineString", "Polygon"]),
                           "coordinates": values | st.lists(st.floats(), max_size=3)}))
features = st.fixed_dictionaries({"type": st.just("Feature"), "geometry": geometries,
                                  "properties": values | st.dictionaries(
                                      st.sampled_from(sorted(Order.model_fields)), scalars)})
documents = st.one_of(values, st.fixed_dictionaries({
    "type": st.just("FeatureCollection"), "features": st.lists(features | values, max_size=4)}))


@FUZZ
@given(document=documents)
def test_geojson_loader_on_random_documents(document: Any) -> None:
    path = _file(".geojson", json.dumps(document).encode())
    outcome = _outcome(lambda: validate_rows(read_rows(path), Order, str(path)))
    assert isinstance(outcome, tuple | InputError)


@FUZZ
@given(content=st.binary(max_size=200))
def test_geojson_loader_on_random_bytes(content: bytes) -> None:
    outcome = _outcome(read_rows, _file(".geojson", content))
    assert isinstance(outcome, list | InputError)
