"""What a report is made of, read and checked once: the result folders, their comparison
per week and per year, the routes of each, an optional resilience report, the results of
batch studies (``logistics study run`` folders) with their trade-off and tornado, and the
sources of the factors and the data set.

The report, its charts and its workbook all draw on one :class:`ReportInputs`. Bad input
(a folder that is no result, a resilience file that is not ``logistics resilience
--json`` output, a bad baseline, a folder that is no study) is an
:class:`~logistics.errors.InputError` listing every problem.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd
from pydantic import ConfigDict

from logistics.accounting.kpi import HUB_INBOUND_KINDS
from logistics.analysis.compare import Comparison, comparison
from logistics.analysis.decompose import DecomposedChange
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.tables import load_table, read_json, read_text
from logistics.outputs.gis import GPKG_FILE
from logistics.outputs.tables import IMPACT_LABELS
from logistics.paths import DATASET_DIR, FACTORS_DIR, PROJECT_ROOT, VEHICLES_FILE
from logistics.pipeline.result import ResultDocument, read_summaries
from logistics.pipeline.result_schema import RouteRow, StopRow, read_result_file
from logistics.study.analysis import headline_saving, tornado_table, trade_off_table
from logistics.study.spec import Study
from logistics.study.store import DONE, MANIFEST_FILE, StudyStore
from logistics.study.table import results_table
from logistics.validated import Frozen

if TYPE_CHECKING:
    from logistics.analysis.resilience.report import ResilienceReport

SOURCES_FILE = "SOURCES.md"
SOURCE_KEY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "exhaust.csv": ("vehicle_class", "energy_carrier", "euro_class"),
    "external_costs.csv": ("vehicle_class", "zero_emission", "area"),
}
"""Columns naming a row of a factor table, where the first column alone does not."""
RESILIENCE_FIELDS: Mapping[str, type] = {
    "scenario": str, "designs_compared": list, "disruptions": list, "not_applied": list,
    "designs": dict, "holds_up_better": dict, "supplier_concentration": dict,
    "critical_links": dict, "monte_carlo": dict,
}
"""Fields of a ``logistics resilience --json`` document the report reads."""
RESILIENCE_ALLOWED = "the JSON 'logistics resilience SCENARIO.yaml --json' prints"
LAYERS_ALLOWED = "a result folder written by 'logistics run' or 'demo' (with GIS layers)"
STUDY_ALLOWED = "a study folder written by 'logistics study run'"


@dataclass(frozen=True)
class RouteGroup:
    """The routes of one kind (``delivery``, ``trunk``, ...) and vehicle type, per week."""

    kind: str
    vehicle_type: str
    routes: int
    stops: float
    delivered_kg: float
    distance_km: float
    duration_h: float
    co2e_wtw_kg: float
    cost_nok: float


@dataclass(frozen=True)
class SourceRow:
    """Where one row of a factor table comes from."""

    file: str
    row: str
    source: str


@dataclass(frozen=True)
class StudyResults:
    """A study folder's results table and what its report section shows: the trade-off
    table (with the Pareto front) and the tornado of the headline saving, where the
    study asks for them."""

    folder: Path
    study: Study
    results: pd.DataFrame  # one row per variant (logistics.study.load)
    trade_off: pd.DataFrame | None
    headline_saving: float | None
    tornado: pd.DataFrame | None
    base_scenario: str | None = None
    """The name of the study's base scenario (the option its headline is about)."""

    def count(self, status: str) -> int:
        """How many variants have ``status`` (done, failed or pending)."""
        return int((self.results["status"] == status).sum())

    @property
    def complete(self) -> bool:
        """Whether every variant is done."""
        return self.count(DONE) == len(self.results)


@dataclass(frozen=True)
class ReportInputs:
    """The result folders of a report and everything read from them."""

    folders: tuple[Path, ...]
    documents: tuple[ResultDocument, ...]  # each folder's result.json
    week: Comparison  # comparison per week
    year: Comparison  # comparison per year
    routes: Mapping[str, tuple[RouteGroup, ...]]  # by scenario
    resilience: ResilienceReport | None
    dataset_folder: Path | None = None
    """The baseline's data set folder when the caller resolved it (the API, for uploaded
    studies); None reads it from the baseline's scenario."""
    studies: tuple[StudyResults, ...] = ()
    """Batch studies shown in the report's study section, in the order given."""
    hazards: tuple[ResilienceReport, ...] = ()
    """Resilience reports of further hazards, shown side by side with ``resilience``."""

    @property
    def resilience_reports(self) -> tuple[ResilienceReport, ...]:
        """Every resilience report: ``resilience`` first, then the other hazards."""
        return (() if self.resilience is None else (self.resilience,)) + self.hazards

    @property
    def names(self) -> list[str]:
        return list(self.week["scenarios"])

    @property
    def baseline(self) -> str:
        return str(self.week["baseline"])

    @property
    def decomposition(self) -> dict[str, dict[str, DecomposedChange]] | None:
        """Per other scenario, the week's change split into parts (absent in old results)."""
        return self.week.get("decomposition")

    @property
    def dataset_dir(self) -> Path:
        """The data set folder of the baseline's scenario (its categories name the goods)."""
        if self.dataset_folder is not None:
            return self.dataset_folder
        document = self.documents[self.names.index(self.baseline)]
        relative = document.get("scenario_spec", {}).get("dataset_dir")
        if not relative:
            return DATASET_DIR
        path = Path(str(relative))
        return path if path.is_absolute() else PROJECT_ROOT / path


def load_inputs(folders: Sequence[Path], baseline: str | None = None,
                resilience_file: Path | None = None,
                study_dirs: Sequence[Path] = (),
                hazard_files: Sequence[Path] = ()) -> ReportInputs:
    """Read result folders (and resilience reports and study folders) for a report;
    every problem of every input at once. ``resilience_file`` and ``hazard_files`` are
    all resilience reports: the first of them is the report's main one."""
    problems = ProblemCollector()
    documents: list[ResultDocument] = problems.attempt(lambda: read_summaries(folders)) or []
    routes: dict[str, tuple[RouteGroup, ...]] = {}
    for folder, document in zip(folders, documents, strict=False):
        with problems.collecting():
            routes[str(document["scenario"])] = route_groups(folder)
        if not (folder / GPKG_FILE).is_file():
            problems.add(str(folder), "", GPKG_FILE, "missing", LAYERS_ALLOWED)
    reports = []
    for path in [*([] if resilience_file is None else [resilience_file]), *hazard_files]:
        with problems.collecting():
            reports.append(read_resilience(path))
    studies = []
    for study_folder in study_dirs:
        with problems.collecting():
            studies.append(read_study_results(study_folder))
    week: Comparison | None = None
    year: Comparison | None = None
    if documents or not folders:  # no folder at all: the comparison names that problem
        with problems.collecting():
            week = comparison(documents, baseline, "week")
            year = comparison(documents, baseline, "year")
    problems.raise_if_any()
    assert week is not None and year is not None  # compared, or a problem was raised
    return ReportInputs(tuple(folders), tuple(documents), week, year, routes,
                        reports[0] if reports else None, studies=tuple(studies),
                        hazards=tuple(reports[1:]))


def route_groups(folder: Path) -> tuple[RouteGroup, ...]:
    """The routes of a result folder's ``routes.csv`` summed per kind and vehicle type."""
    groups: dict[tuple[str, str], list[RouteRow]] = {}
    for row in read_result_file(folder, RouteRow):
        groups.setdefault((row.kind, row.vehicle_type), []).append(row)
    return tuple(RouteGroup(
        kind, vehicle_type, len(rows), sum(float(r.stops) for r in rows),
        sum(r.delivered_kg for r in rows), sum(r.distance_km for r in rows),
        sum(r.duration_h for r in rows), sum(r.co2e_wtw_kg for r in rows),
        sum(r.cost_nok for r in rows)) for (kind, vehicle_type), rows in sorted(groups.items()))


class UnitRow(Frozen):
    """The columns of ``units.csv`` that give each unit its type."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)

    id: str
    unit_type: str


def deliveries_by_unit_type(folder: Path, dataset_dir: Path) -> dict[str, tuple[int, int]]:
    """Per unit type: the week's deliveries to units of that type (stops of the routes
    that deliver to units, trunk trips and milk runs left out) and how many units of that
    type the study has."""
    unit_type = {u.id: u.unit_type for u in load_table(dataset_dir / "units.csv", UnitRow)}
    deliveries: dict[str, int] = dict.fromkeys(unit_type.values(), 0)
    for stop in read_result_file(folder, StopRow):
        kind = unit_type.get(stop.site_id)
        if stop.step_type == "delivery" and stop.kind not in HUB_INBOUND_KINDS and kind:
            deliveries[kind] += 1
    units = {kind: sum(1 for t in unit_type.values() if t == kind) for kind in deliveries}
    return {kind: (deliveries[kind], units[kind]) for kind in sorted(deliveries)}


class SupplierRow(Frozen):
    """The columns of ``suppliers.csv`` that name a supplier."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)

    id: str
    name: str


def supplier_names(dataset_dir: Path) -> dict[str, str]:
    """Supplier id -> name from the study's ``suppliers.csv``."""
    return {s.id: s.name for s in load_table(dataset_dir / "suppliers.csv", SupplierRow)}


def read_resilience(path: Path) -> ResilienceReport:
    """A resilience report written by ``logistics resilience --json``; every missing or
    mistyped field the report reads is a problem."""
    document = read_json(path)
    problems = ProblemCollector()
    if not isinstance(document, dict):
        problems.add(str(path), "", "document", type(document).__name__, RESILIENCE_ALLOWED)
        problems.raise_if_any()
    for field, kind in RESILIENCE_FIELDS.items():
        if not isinstance(document.get(field), kind):
            found = type(document[field]).__name__ if field in document else "missing"
            problems.add(str(path), "", field, found, f"{kind.__name__}: {RESILIENCE_ALLOWED}")
    designs = document.get("designs")
    for name in document.get("designs_compared") or []:
        impact = designs.get(name) if isinstance(designs, dict) else None
        if not isinstance(impact, dict):
            problems.add(str(path), f"design {name}", "designs", "missing", RESILIENCE_ALLOWED)
            continue
        for label in IMPACT_LABELS:
            if not isinstance(impact.get(label.key), int | float):
                problems.add(str(path), f"design {name}", label.key,
                             impact.get(label.key, "missing"), "a number")
    problems.raise_if_any()
    return cast("ResilienceReport", document)  # the fields the report reads, checked


def read_study_results(folder: Path) -> StudyResults:
    """A study folder's results table (done, failed and pending variants) with its
    trade-off table and tornado computed by :mod:`logistics.study.analysis`; a folder
    that holds no readable study is an input problem."""
    manifest = StudyStore(folder).manifest()
    source = str(folder / MANIFEST_FILE)
    if not isinstance(manifest.get("study"), dict):
        raise InputError([Problem(source, "", "study", "missing or not a mapping",
                                  STUDY_ALLOWED)])
    study = Study.from_data(manifest["study"], source, "study")
    try:
        frame = results_table(folder)
    except (KeyError, TypeError, AttributeError) as error:
        raise InputError([Problem(source, "", "variants", f"unreadable entry ({error!r})",
                                  STUDY_ALLOWED)]) from None
    if frame.empty:
        raise InputError([Problem(source, "", "variants", "none", STUDY_ALLOWED)])
    spec, headline = study.report.trade_off, study.report.headline
    try:
        trade_off = (None if spec is None
                     else trade_off_table(frame, spec, study.axis_labels(spec.options)))
    except KeyError as error:
        raise InputError([Problem(source, "", "report.trade_off", repr(error.args[0]),
                                  "axes of the study's grid")]) from None
    saving = None if headline is None else headline_saving(frame, headline)
    tornado = (tornado_table(frame, headline, study.one_at_a_time)
               if headline is not None and study.one_at_a_time else None)
    base = manifest.get("base")
    return StudyResults(folder, study, frame, trade_off, saving, tornado,
                        base if isinstance(base, str) else None)


def factor_sources(factors_dir: Path = FACTORS_DIR,
                   vehicles_file: Path = VEHICLES_FILE) -> list[SourceRow]:
    """The ``source`` cell of every row of the factor tables and the vehicle catalogue."""
    sources = []
    for path in [*sorted(factors_dir.glob("*.csv")), vehicles_file]:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        if not rows or "source" not in rows[0]:
            continue
        keys = SOURCE_KEY_COLUMNS.get(path.name, (next(iter(rows[0])),))
        sources += [SourceRow(path.name, " / ".join(row[k] for k in keys), row["source"])
                    for row in rows]
    return sources


def dataset_sources(dataset_dir: Path) -> list[str]:
    """The attributions the study's ``SOURCES.md`` quotes (its ``> `` lines)."""
    path = dataset_dir / SOURCES_FILE
    if not path.is_file():
        return []
    return [line[2:].strip() for line in read_text(path).splitlines() if line.startswith("> ")]
