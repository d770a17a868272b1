"""Loaders: CSV, GeoJSON, GeoPackage and YAML rows into validated domain objects.

Every loader collects all problems in a file (and across files) and raises one
:class:`~logistics.errors.InputError` naming file, row or id, field, what was
found and what is allowed. A row is named where a person looks for it: ``row N`` as
a spreadsheet numbers a CSV file (the header is row 1, so the first data row is row
2; blank lines count), ``feature N`` in GeoJSON and GeoPackage files, ``item N`` in a
YAML list (:class:`Rows`).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.durable import JsonValue
from logistics.validated import problems_from_validation

M = TypeVar("M", bound=BaseModel)

TABLE_SUFFIXES = (".csv", ".geojson", ".json", ".gpkg", ".yaml", ".yml")
FIRST_DATA_ROW = 2
"""The first data row of a table as a spreadsheet numbers it: the header is row 1."""


class Rows(list[dict[str, object]]):
    """The rows of a table file, each with where a person finds it in the file: a
    cell's value as read (text or None from CSV, what the YAML, GeoJSON or GeoPackage
    holds), checked by :func:`validate_rows` before use; ``columns`` are the header's
    names where the file has a header (CSV)."""

    def __init__(self, rows: Iterable[dict[str, object]], locations: Iterable[str],
                 columns: Iterable[str] = ()) -> None:
        super().__init__(rows)
        self.locations = list(locations)
        self.columns = tuple(columns)
        assert len(self.locations) == len(self), "one location per row"


def row_locations(rows: Sequence[Mapping[str, object]]) -> list[str]:
    """Where each row is: as read from its file (:class:`Rows`), else as the rows of a
    table under a header (``row 2``, ``row 3``, ...)."""
    if isinstance(rows, Rows):
        return rows.locations
    return [f"row {number}" for number in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows))]


def existing_file(path: Path) -> Path:
    """``path``, or an input problem when it is missing or not a file."""
    if not path.exists():
        raise InputError([Problem(str(path), "", "path", "missing file", "an existing file")])
    if not path.is_file():
        raise InputError([Problem(str(path), "", "path", "a folder", "a file")])
    return path


def read_text(path: Path) -> str:
    """The text of an existing UTF-8 file (a byte-order mark is dropped); a missing
    path, a folder or bytes that are not UTF-8 are an input problem."""
    existing_file(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError([Problem(str(path), "", "path", error.strerror or str(error),
                                  "a readable file")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError([Problem(str(path), f"byte {error.start}", "encoding",
                                  repr(data[error.start:error.start + 4]),
                                  "UTF-8 text")]) from None


def read_rows(path: Path) -> Rows:
    """Rows of a table file as dicts; point geometries become ``lon``/``lat``.

    Empty CSV cells become ``None`` so optional fields take their defaults.
    """
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError([Problem(str(path), "", "suffix", suffix or "none",
                                  ", ".join(TABLE_SUFFIXES))])
    if suffix == ".gpkg":
        return _rows_from_geopackage(existing_file(path))
    text = read_text(path)
    if suffix == ".csv":
        return _rows_from_csv(path, text)
    if suffix in (".geojson", ".json"):
        return _rows_from_features(path, _parse_json(path, text))
    document = _parse_yaml(path, text)
    if isinstance(document, dict) and len(document) == 1:
        document = next(iter(document.values()))
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise InputError(
            [Problem(str(path), "", "document", type(document).__name__, "a list of mappings")]
        )
    return Rows([{str(k): v for k, v in row.items()} for row in document],
                [f"item {number}" for number in range(1, len(document) + 1)])


def read_yaml_mapping(path: Path) -> dict[str, object]:
    """A YAML file that must hold one mapping (scenarios, settings)."""
    document = _parse_yaml(path, read_text(path))
    if not isinstance(document, dict):
        raise InputError(
            [Problem(str(path), "", "document", type(document).__name__, "a YAML mapping")]
        )
    return {str(k): v for k, v in document.items()}


def _parse_yaml(path: Path, text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise InputError([Problem(str(path), where, "yaml", str(error).splitlines()[0],
                                  "valid YAML")]) from None


def read_json(path: Path) -> Any:
    """The JSON document of an existing UTF-8 file; bad JSON is an input problem."""
    return _parse_json(path, read_text(path))


def _parse_json(path: Path, text: str) -> JsonValue:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([Problem(str(path), f"line {error.lineno}", "json", error.msg,
                                  "valid JSON")]) from None
    except RecursionError:
        raise InputError([Problem(str(path), "", "json", "nesting too deep",
                                  "valid JSON")]) from None


def _rows_from_csv(path: Path, text: str) -> Rows:
    """Rows of a CSV text, each at its spreadsheet row (the header is row 1; a blank
    line is a row too, skipped); a row with more cells than the header, a repeated
    column name or a line the CSV reader cannot parse is a problem."""
    problems = ProblemCollector()
    rows: list[dict[str, object]] = []
    locations: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    number = FIRST_DATA_ROW - 1
    try:
        header = [name.strip() for name in next(reader, [])]
        repeated = sorted({name for name in header if name and header.count(name) > 1})
        for name in repeated:
            problems.add(str(path), "header", name, f"{header.count(name)} columns",
                         "each column name once")
        for number, cells in enumerate(reader, start=FIRST_DATA_ROW):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.add(str(path), f"row {number}", "(row)",
                             f"{len(cells)} cells", f"at most {len(header)} (the header's)")
            rows.append({name: (cell.strip() or None)
                         for name, cell in zip(header, cells, strict=False) if name})
            locations.append(f"row {number}")
    except csv.Error as error:
        problems.add(str(path), f"row {number + 1}", "csv", str(error), "valid CSV")
    problems.raise_if_any()
    return Rows(rows, locations, (name for name in header if name))


def _rows_from_features(path: Path, document: JsonValue) -> Rows:
    """Rows of a GeoJSON FeatureCollection of points: properties plus ``lon``/``lat``."""
    source = str(path)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise InputError([Problem(source, "", "features", type(features).__name__,
                                  "a GeoJSON FeatureCollection with a 'features' list")])
    rows: list[dict[str, object]] = []
    problems = ProblemCollector()
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            problems.add(source, where, "feature", type(feature).__name__, "a GeoJSON Feature")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            problems.add(source, where, "properties", type(properties).__name__, "an object")
            properties = {}
        row: dict[str, object] = {str(k): v for k, v in properties.items()}
        geometry = feature.get("geometry")
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            problems.add(source, where, "geometry",
                         geometry.get("type") if isinstance(geometry, dict) else geometry,
                         "a Point")
        elif (not isinstance(coordinates, list) or len(coordinates) < 2
              or not all(_is_number(c) for c in coordinates[:2])):
            problems.add(source, where, "geometry.coordinates", coordinates,
                         "[lon, lat] in degrees")
        else:
            row["lon"], row["lat"] = coordinates[:2]
        rows.append(row)
    problems.raise_if_any()
    return Rows(rows, [f"feature {number}" for number in range(1, len(rows) + 1)])


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _rows_from_geopackage(path: Path) -> Rows:
    import geopandas as gpd

    try:
        frame = gpd.read_file(path)
    except Exception as error:  # the GDAL drivers raise several unrelated types
        raise InputError([Problem(str(path), "", "file", str(error).splitlines()[0],
                                  "a GeoPackage with one point layer")]) from None
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    rows: list[dict[str, object]] = []
    problems = ProblemCollector()
    for number, (_, record) in enumerate(frame.iterrows(), start=1):
        row = {k: (None if _is_missing(v) else v) for k, v in record.items() if k != "geometry"}
        geometry = record.geometry
        if geometry is None or geometry.is_empty or geometry.geom_type != "Point":
            problems.add(str(path), f"feature {number}", "geometry",
                         None if geometry is None else geometry.geom_type, "Point")
        else:
            row["lon"], row["lat"] = geometry.x, geometry.y
        rows.append(row)
    problems.raise_if_any()
    return Rows(rows, [f"feature {number}" for number in range(1, len(rows) + 1)])


def _is_missing(value: object) -> bool:
    try:
        return bool(value != value) or value is None  # NaN is the only value != itself
    except (TypeError, ValueError):
        return False


def validate_rows(
    rows: Sequence[Mapping[str, object]], model: type[M], source: str, key: str | None = "id"
) -> tuple[M, ...]:
    """Validate every row into ``model``; raise one InputError with all problems.

    Duplicate ``key`` values are problems too.
    """
    row_problems: list[Problem] = []
    duplicates = ProblemCollector()
    objects: list[M] = []
    seen: dict[str, str] = {}
    for where, row in zip(row_locations(rows), rows, strict=True):
        row_id = row.get(key) if key else None
        location = where + (f" ({key}={row_id})" if row_id is not None else "")
        try:
            objects.append(model.model_validate(row))
        except ValidationError as error:
            row_problems.extend(problems_from_validation(error, source, location, model))
        if key and row_id is not None:
            if str(row_id) in seen:
                duplicates.add(source, location, key, row_id,
                               f"unique values (also in {seen[str(row_id)]})")
            seen.setdefault(str(row_id), where)
    problems = ProblemCollector()
    if not rows and isinstance(rows, Rows):
        problems.extend(_empty_table_header_problems(rows.columns, model, source))
    problems.extend(_header_problems(row_problems, len(rows), source))
    problems.extend(duplicates.problems)
    problems.raise_if_any()
    return tuple(objects)


def _empty_table_header_problems(columns: Sequence[str], model: type[BaseModel],
                                 source: str) -> list[Problem]:
    """A table with a header and no rows: a column the rows would not know is a
    problem (a wrong file uploaded under the table's name), as it is when rows exist."""
    known = {field.validation_alias if isinstance(field.validation_alias, str) else name
             for name, field in model.model_fields.items()}
    return [Problem(source, "header", column, "an unknown column",
                    f"only the documented columns ({', '.join(sorted(known))})")
            for column in columns if column not in known]


def _column_kind(problem: Problem) -> str | None:
    """``missing`` or ``unknown`` when a row's problem is about its column, else None."""
    if problem.found == "nothing":
        return "missing"
    return "unknown" if problem.found == repr(f"unknown field {problem.field!r}") else None


def _header_problems(row_problems: Sequence[Problem], rows: int, source: str
                     ) -> list[Problem]:
    """A column missing from every row, or unknown in every row, once in the header
    instead of once per row; the other problems as they were."""
    counts = Counter((p.field, kind) for p in row_problems if (kind := _column_kind(p)))
    whole = sorted(key for key, count in counts.items() if count == rows > 1)
    header = [Problem(source, "header", field,
                      "no such column" if kind == "missing" else "an unknown column",
                      "a column of that name (required)" if kind == "missing"
                      else "only the documented columns")
              for field, kind in whole]
    return header + [p for p in row_problems if (p.field, _column_kind(p)) not in whole]


def load_table(path: Path, model: type[M], key: str | None = "id") -> tuple[M, ...]:
    """Read and validate one table file (CSV, GeoJSON, GeoPackage or YAML)."""
    return validate_rows(read_rows(path), model, str(path), key)
