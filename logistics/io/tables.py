"""Loaders: CSV, GeoJSON, GeoPackage and YAML rows into validated domain objects.

Every loader collects all problems in a file (and across files) and raises one
:class:`~logistics.errors.InputError` naming file, row or id, field, what was
found and what is allowed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from logistics.errors import InputError, Problem, ProblemCollector
from logistics.validated import problems_from_validation

M = TypeVar("M", bound=BaseModel)

TABLE_SUFFIXES = (".csv", ".geojson", ".json", ".gpkg", ".yaml", ".yml")


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a table file as dicts; point geometries become ``lon``/``lat``.

    Empty CSV cells become ``None`` so optional fields take their defaults.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError([Problem(str(path), "", "path", "missing file", "an existing file")])
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [
                {k.strip(): (v.strip() if v and v.strip() else None) for k, v in row.items() if k}
                for row in csv.DictReader(handle)
            ]
    if suffix in (".geojson", ".json"):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InputError(
                [Problem(str(path), f"line {error.lineno}", "json", error.msg, "valid JSON")]
            ) from error
        return _rows_from_features(path, document.get("features", []))
    if suffix == ".gpkg":
        return _rows_from_geopackage(path)
    if suffix in (".yaml", ".yml"):
        document = _read_yaml(path)
        if isinstance(document, dict) and len(document) == 1:
            document = next(iter(document.values()))
        if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
            raise InputError(
                [Problem(str(path), "", "document", type(document).__name__, "a list of mappings")]
            )
        return document
    raise InputError([Problem(str(path), "", "suffix", suffix, ", ".join(TABLE_SUFFIXES))])


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A YAML file that must hold one mapping (scenarios, settings)."""
    document = _read_yaml(path)
    if not isinstance(document, dict):
        raise InputError(
            [Problem(str(path), "", "document", type(document).__name__, "a YAML mapping")]
        )
    return document


def _read_yaml(path: Path) -> Any:
    if not path.exists():
        raise InputError([Problem(str(path), "", "path", "missing file", "an existing file")])
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise InputError([Problem(str(path), where, "yaml", str(error).splitlines()[0],
                                  "valid YAML")]) from error


def _rows_from_features(path: Path, features: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    problems = ProblemCollector()
    for number, feature in enumerate(features, start=1):
        row = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point":
            row["lon"], row["lat"] = geometry["coordinates"][:2]
        elif geometry:
            problems.add(str(path), f"feature {number}", "geometry", geometry.get("type"),
                         "Point")
        rows.append(row)
    problems.raise_if_any()
    return rows


def _rows_from_geopackage(path: Path) -> list[dict[str, Any]]:
    import geopandas as gpd

    frame = gpd.read_file(path)
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    rows: list[dict[str, Any]] = []
    problems = ProblemCollector()
    for number, (_, record) in enumerate(frame.iterrows(), start=1):
        row = {k: (None if _is_missing(v) else v) for k, v in record.items() if k != "geometry"}
        geometry = record.geometry
        if geometry is None or geometry.geom_type != "Point":
            problems.add(str(path), f"row {number}", "geometry",
                         None if geometry is None else geometry.geom_type, "Point")
        else:
            row["lon"], row["lat"] = geometry.x, geometry.y
        rows.append(row)
    problems.raise_if_any()
    return rows


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None  # NaN is the only value != itself
    except (TypeError, ValueError):
        return False


def validate_rows(
    rows: Sequence[dict[str, Any]], model: type[M], source: str, key: str | None = "id"
) -> tuple[M, ...]:
    """Validate every row into ``model``; raise one InputError with all problems.

    Duplicate ``key`` values are problems too.
    """
    problems = ProblemCollector()
    objects: list[M] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        row_id = row.get(key) if key else None
        location = f"row {number}" + (f" ({key}={row_id})" if row_id is not None else "")
        try:
            objects.append(model.model_validate(row))
        except ValidationError as error:
            problems.extend(problems_from_validation(error, source, location))
        if key and row_id is not None:
            if str(row_id) in seen:
                problems.add(source, location, key, row_id,
                             f"unique values (also in row {seen[str(row_id)]})")
            seen.setdefault(str(row_id), number)
    problems.raise_if_any()
    return tuple(objects)


def load_table(path: Path, model: type[M], key: str | None = "id") -> tuple[M, ...]:
    """Read and validate one table file (CSV, GeoJSON, GeoPackage or YAML)."""
    return validate_rows(read_rows(path), model, str(path), key)
