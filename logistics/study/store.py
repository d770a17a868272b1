"""The on-disk store of a study: its manifest and one record per finished variant.

``<folder>/study.json`` lists the study and every variant (number, key, where it sits);
``<folder>/variants/<key>.json`` is the record of a variant that ran: its KPIs, or, when
it failed, its problems. Records are written atomically as each variant finishes, so a
killed study loses nothing finished, and a rerun skips every variant already done.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, TypeVar, cast

from logistics.errors import InputError, Problem
from logistics.io.durable import (
    CorruptedFile,
    read_checked_json,
    set_aside,
    write_checked_json,
    write_text_atomically,
)
from logistics.io.tables import read_json
from logistics.pipeline.solutions import SOLUTIONS_FOLDER, SolutionStore
from logistics.study.files import LoadedStudy
from logistics.study.variants import Variant

MANIFEST_FILE = "study.json"
RECORDS_FOLDER = "variants"
logger = logging.getLogger(__name__)
DONE, FAILED, PENDING = "done", "failed", "pending"
T = TypeVar("T")


@dataclass(frozen=True)
class VariantRecord:
    """What one variant's run left: its KPIs when done, its problems when failed.
    ``stage_s`` (seconds by pipeline stage) and ``routing_problems_solved`` are known
    only for a variant that ran to a result."""

    key: str
    status: str  # DONE or FAILED
    scenario: str | None
    kpi_per_week: Mapping[str, float]
    kpi_per_year: Mapping[str, float]
    notes: tuple[str, ...]
    travel_model: str | None
    unserved_count: int | None
    problems: tuple[Problem, ...]
    wall_s: float
    code_version: str
    stage_s: Mapping[str, float] | None = None
    routing_problems_solved: int | None = None
    routing_problems_read_from_searches_in_flight: int | None = None

    def to_json(self) -> dict[str, object]:
        """The record as stored in ``variants/<key>.json`` (fields in this order)."""
        document: dict[str, object] = {
            "key": self.key, "status": self.status, "scenario": self.scenario,
            "kpi_per_week": dict(self.kpi_per_week), "kpi_per_year": dict(self.kpi_per_year),
            "notes": list(self.notes), "travel_model": self.travel_model,
            "unserved_count": self.unserved_count,
            "problems": [{"source": p.source, "location": p.location, "field": p.field,
                          "found": p.found, "allowed": p.allowed} for p in self.problems]}
        if self.status == DONE:
            document |= {"stage_s": dict(self.stage_s or {}),
                         "routing_problems_solved": self.routing_problems_solved,
                         "routing_problems_read_from_searches_in_flight":
                             self.routing_problems_read_from_searches_in_flight}
        return document | {"wall_s": self.wall_s, "code_version": self.code_version}

    @classmethod
    def from_json(cls, document: Mapping[str, object]) -> VariantRecord:
        """A stored record; ``KeyError``/``TypeError``/``ValueError`` naming what is
        wrong when ``document`` is not one."""
        status = _typed(document, "status", str)
        if status not in (DONE, FAILED):
            raise ValueError(f"status {status!r}")
        solved = document.get("routing_problems_solved")
        waited = document.get("routing_problems_read_from_searches_in_flight")
        stage_s = document.get("stage_s")
        return cls(
            key=_typed(document, "key", str), status=status,
            scenario=_optional(document, "scenario", str),
            kpi_per_week=_numbers(_typed(document, "kpi_per_week", dict)),
            kpi_per_year=_numbers(_typed(document, "kpi_per_year", dict)),
            notes=tuple(str(note) for note in _typed(document, "notes", list)),
            travel_model=_optional(document, "travel_model", str),
            unserved_count=_optional(document, "unserved_count", int),
            problems=tuple(Problem(**problem) for problem in _typed(document, "problems", list)),
            wall_s=_number(document["wall_s"], "wall_s"),
            code_version=_typed(document, "code_version", str),
            stage_s=None if stage_s is None else _numbers(stage_s),
            routing_problems_solved=None if solved is None else int(str(solved)),
            routing_problems_read_from_searches_in_flight=(
                None if waited is None else int(str(waited))))


def _typed(document: Mapping[str, object], field: str, kind: type[T]) -> T:
    """``document[field]``, which must be of ``kind``."""
    value = document[field]
    if not isinstance(value, kind):
        raise TypeError(f"{field}: {type(value).__name__}")
    return value


def _optional(document: Mapping[str, object], field: str, kind: type[T]) -> T | None:
    """``document[field]``: null or of ``kind``."""
    return None if document[field] is None else _typed(document, field, kind)


def _number(value: object, field: str) -> float:
    """A JSON number, as stored (an integer stays one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{field}: {type(value).__name__}")
    return value


def _numbers(value: object) -> dict[str, float]:
    """A JSON object of numbers by name, as stored."""
    if not isinstance(value, dict):
        raise TypeError(f"{type(value).__name__}, not an object")
    return {str(name): _number(number, str(name)) for name, number in value.items()}


class ManifestEntry(TypedDict):
    """A variant as the manifest lists it."""

    number: int
    key: str
    kind: str  # grid, sensitivity or monte_carlo
    labels: dict[str, str]  # grid axis -> label
    sensitivity: str
    level: str
    sample: int | None
    sample_disruption: str
    scenario: str
    description: str


class Manifest(TypedDict):
    """``study.json``: the study as its model dumps it, and every variant."""

    study: dict[str, object]
    source: str
    base: str
    written: str
    variants: list[ManifestEntry]


def variant_entry(variant: Variant) -> ManifestEntry:
    """A variant as the manifest lists it."""
    return {"number": variant.number, "key": variant.key, "kind": variant.kind,
            "labels": dict(variant.labels), "sensitivity": variant.sensitivity,
            "level": variant.level, "sample": variant.sample,
            "sample_disruption": variant.sample_disruption, "scenario": variant.scenario.name,
            "description": variant.describe()}


class StudyStore:
    """A study's folder: manifest, variant records, and the shared solution cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def solutions(self) -> SolutionStore:
        """Routing solutions shared by every variant, worker and rerun of the study."""
        return SolutionStore(self.folder / SOLUTIONS_FOLDER)

    def record_path(self, key: str) -> Path:
        return self.folder / RECORDS_FOLDER / f"{key}.json"

    def write_manifest(self, loaded: LoadedStudy) -> None:
        document: Manifest = {
            "study": loaded.study.model_dump(mode="json"), "source": loaded.source,
            "base": loaded.base.name, "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "variants": [variant_entry(v) for v in loaded.variants]}
        write_text_atomically(self.folder / MANIFEST_FILE,
                              json.dumps(document, indent=2, allow_nan=False) + "\n")

    def manifest(self) -> Manifest:
        """The manifest; an input problem when the folder holds no study."""
        path = self.folder / MANIFEST_FILE
        if not path.is_file():
            raise InputError([Problem(str(self.folder), "", MANIFEST_FILE, "missing",
                                      "a study folder written by 'logistics study run'")])
        document = read_json(path)
        if not isinstance(document, dict) or not isinstance(document.get("variants"), list):
            raise InputError([Problem(str(path), "", "variants", "missing or not a list",
                                      "a study manifest written by 'logistics study run'")])
        return cast(Manifest, document)  # its entries are checked where they are read

    def record(self, key: str) -> VariantRecord | None:
        """The record of a variant that ran; None when it has not, or when its file is
        corrupted (truncated, changed, no checksum, not a record): then it is set aside
        as ``<key>.json.corrupt``, logged, and the variant runs again."""
        path = self.record_path(key)
        try:
            document = read_checked_json(path)
            if document is None:
                return None
            try:
                return VariantRecord.from_json(document)
            except (KeyError, TypeError, ValueError) as error:
                raise CorruptedFile(path, f"not a variant record ({error})") from None
        except CorruptedFile as error:
            logger.warning("variant record %s is corrupted (%s): set aside, running the "
                           "variant again", path.name, error.why)
            with contextlib.suppress(OSError):
                set_aside(path)
            return None

    def save(self, record: VariantRecord) -> None:
        write_checked_json(self.record_path(record.key), record.to_json())

    def done(self, key: str) -> bool:
        """Whether the variant ran to a result (a failed one is tried again)."""
        record = self.record(key)
        return record is not None and record.status == DONE
