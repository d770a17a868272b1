"""Batch studies sent to the API: a study document checked inside the allowed roots,
and the job that runs it.

The document has the format of the study files (:mod:`logistics.study.spec`). Before a
byte is read, its ``base`` must name a shipped or uploaded scenario and every path it
sets (``dataset_dir``, ``orders_file``, the reuse files; in ``overrides``, ``grid``
values and ``one_at_a_time`` levels) is resolved inside the roots
(:class:`api.paths.Roots`); grid labels stay as the document gave them. The checked
study and its merged base scenario are written into a folder as a study file and a
scenario file beside it, and loaded by :func:`logistics.study.files.load_study_file`,
so a study runs through the API exactly as ``logistics study run`` runs it.

The study's working folder (manifest, variant records, solution cache, with server
paths in it) is kept apart from the job's served result folder, which gets the results
table only (``results.csv``, ``.parquet``, ``.xlsx``), its texts scrubbed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from api.jobs import Job
from api.paths import SCENARIO_PATH_FIELDS, Roots
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.scenarios.files import scenario_from_mapping
from logistics.scenarios.schema import Scenario
from logistics.study.files import LoadedStudy, load_study_file
from logistics.study.spec import Study
from logistics.study.store import DONE, FAILED
from logistics.study.table import results_table, write_tables

SOURCE = "study document"
STUDY_FILE = "study.yaml"
WORK_DIR = "study-work"
"""Under the results folder: each study job's working folder, never served."""


def study_work_folder(results_dir: Path, run_id: int) -> Path:
    """The working folder of a study job: ``<results_dir>/study-work/<id>``."""
    return results_dir / WORK_DIR / str(run_id)


def load_study_document(document: Mapping[str, object], roots: Roots, folder: Path
                        ) -> LoadedStudy:
    """Check the study ``document`` inside the roots, write it and its base into
    ``folder`` and load it (validated and expanded); one :class:`InputError` with every
    problem, named after the document."""
    study = Study.from_data(document, SOURCE, "study")
    problems = ProblemCollector()
    resolved = _resolved_document(study, roots, problems)
    base: Scenario | None = None
    if study.base not in roots.scenario_names():
        problems.add(SOURCE, "study", "base", repr(study.base),
                     f"a shipped or uploaded scenario: one of {sorted(roots.scenario_names())}")
    else:
        with problems.collecting():
            merged = roots.merged_document({"extends": study.base}, SOURCE)
            base = roots.resolved_scenario(scenario_from_mapping(merged, SOURCE), SOURCE)
    problems.raise_if_any()
    assert base is not None
    folder.mkdir(parents=True, exist_ok=True)
    study_file = folder / STUDY_FILE
    study_file.write_text(yaml.safe_dump(resolved, sort_keys=False), encoding="utf-8")
    (folder / f"{study.base}.yaml").write_text(yaml.safe_dump(
        {**base.model_dump(mode="json"), "extends": None}, sort_keys=False), encoding="utf-8")
    try:
        loaded = load_study_file(study_file)
    except InputError as error:
        raise InputError([_named_after_document(p, study_file) for p in error.problems]
                         ) from None
    return dataclasses.replace(loaded, source=SOURCE)


def _resolved_document(study: Study, roots: Roots, problems: ProblemCollector
                       ) -> dict[str, object]:
    """The study as plain data with every path it sets resolved inside the roots; a
    grid axis of paths becomes labelled values under its original labels."""

    def resolved(field: str, dotted: str, value: object) -> object:
        try:
            return _with_resolved_paths(dotted, value, roots, field)
        except InputError as error:
            problems.extend(error.problems)
            return value

    def resolved_overrides(field: str, overrides: Mapping[str, object]) -> dict[str, object]:
        return {path: resolved(f"{field}.{path}", path, value)
                for path, value in overrides.items()}

    document = study.model_dump(mode="json")
    document["overrides"] = resolved_overrides("overrides", dict(study.overrides))
    for axis in study.grid:
        if _names_a_path(axis):
            document["grid"][axis] = {
                label: resolved(f"grid.{axis}", axis, value) for label, value in
                zip(study.axis_labels(axis), study.axis_values(axis), strict=True)}
    for number, entry in enumerate(study.one_at_a_time):
        for level in ("low", "high"):
            document["one_at_a_time"][number][level] = resolved_overrides(
                f"one_at_a_time.{number}.{level}", dict(getattr(entry, level)))
    return document


def _names_a_path(dotted: str) -> bool:
    """Whether a dotted path is a path field or holds one (``reuse``)."""
    return any(field == dotted or field.startswith(f"{dotted}.")
               for field in SCENARIO_PATH_FIELDS)


def _with_resolved_paths(dotted: str, value: object, roots: Roots, field: str) -> object:
    """``value`` set at ``dotted`` with every path field in it resolved inside the
    roots; an :class:`InputError` for a path outside them."""
    if dotted in SCENARIO_PATH_FIELDS:
        return None if value is None else str(roots.resolve(str(value), field, SOURCE))
    if isinstance(value, dict) and _names_a_path(dotted):
        return {key: _with_resolved_paths(f"{dotted}.{key}", item, roots, f"{field}.{key}")
                for key, item in value.items()}
    return value


def _named_after_document(problem: Problem, study_file: Path) -> Problem:
    """A problem of the written study file named after the document it came from."""

    def renamed(text: str) -> str:
        return text.replace(str(study_file), SOURCE).replace(f"{study_file.parent}/", "")

    return Problem(renamed(problem.source), renamed(problem.location), problem.field,
                   renamed(problem.found), problem.allowed)


def run_study_job(job: Job) -> None:
    """The job: run every variant in the study's working folder, then write its results
    table, scrubbed, into the job's folder."""
    from logistics.study.run import run_study
    from logistics.study.runners import LocalRunner

    roots = Roots(job.results_dir)
    work = study_work_folder(job.results_dir, job.run_id)
    loaded = load_study_document(job.scenario, roots, work)
    run_study(loaded, work, LocalRunner(job.solver_workers))
    job.folder.mkdir(parents=True, exist_ok=True)
    write_tables(public_results(work, roots), job.folder)


def public_results(work: Path, roots: Roots) -> pd.DataFrame:
    """The results table of a study's working folder (pending variants included), its
    texts without server paths."""
    frame = results_table(work)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: roots.scrub(v) if isinstance(v, str)
                                              else v)
    return frame


def variant_statuses(work: Path, roots: Roots) -> dict[str, int]:
    """Done and failed variants of a study's working folder; none before it started."""
    try:
        counts = public_results(work, roots)["status"].value_counts()
    except InputError:  # the manifest is not written yet
        return {DONE: 0, FAILED: 0}
    return {DONE: int(counts.get(DONE, 0)), FAILED: int(counts.get(FAILED, 0))}
