"""``/v1/studies``: batch studies (variants of a base scenario) as jobs.

``POST`` checks the study document in full inside the allowed roots (:mod:`api.studies`;
every problem at once, 422) and answers 202 with ``Location: /v1/studies/{id}``. The
study is a job like a run: ``GET /v1/studies/{id}`` gives its status and how many
variants are done, failed and pending; ``/results`` its results table as JSON rows
(while it runs, too); once done, the job's files (``/v1/runs/{id}/files``) hold the
table as ``results.csv``, ``results.parquet`` and ``results.xlsx``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request, Response

from api.audit import scenario_input_files
from api.context import ApiContext, Context, Paging, ReadKey, RunKey
from api.jobs import STUDY_KIND
from api.models import RunId, StudyJob, StudyRequest, StudyResults, VariantCounts
from api.problems import ApiProblem, problem_responses
from api.routes import API_PREFIX
from api.routes.runs import (
    QUEUED,
    IdempotencyKey,
    Prepared,
    public_run,
    queue_job,
    record_or_404,
)
from api.store import JobOptions, RunRecord
from api.studies import load_study_document, public_results, study_work_folder, variant_statuses
from logistics.errors import InputError
from logistics.study.store import DONE, FAILED

router = APIRouter(prefix="/studies", tags=["studies"])
READ_ERRORS = problem_responses(401, 403, 404, 409, 422, 429)


@router.post("", status_code=202, responses=QUEUED)
def create_study(request: StudyRequest, state: Context, key: RunKey, response: Response,
                 idempotency_key: IdempotencyKey = None) -> StudyJob:
    """Check the study in full (its base, every path it sets, every variant), then
    queue it; follow ``Location``."""

    def prepare() -> Prepared:
        with tempfile.TemporaryDirectory(prefix="study-check-") as folder:
            loaded = load_study_document(request.study, state.roots, Path(folder))
        return (request.study, JobOptions(variants=len(loaded.variants)),
                scenario_input_files([v.scenario for v in loaded.variants], state.roots))

    run_id = queue_job(state, key, STUDY_KIND, [request.study], prepare, idempotency_key)
    response.headers["Location"] = f"{API_PREFIX}{router.prefix}/{run_id}"
    return _study_job(state, _study_record(state, run_id))


@router.get("/{run_id:int}", responses=READ_ERRORS)
def get_study(run_id: RunId, state: Context, _: ReadKey) -> StudyJob:
    """A study job: its status and its variants done, failed and pending."""
    return _study_job(state, _study_record(state, run_id))


@router.get("/{run_id:int}/results", responses=READ_ERRORS)
def study_results(run_id: RunId, state: Context, _: ReadKey, page: Paging,
                  request: Request) -> StudyResults:
    """The results table, a row per variant (grid labels by dotted path, status,
    problems, every KPI per week and, suffixed ``_per_year``, per year); variants not
    run yet are ``pending``. Missing numbers are null."""
    record = _study_record(state, run_id)
    try:
        frame = public_results(study_work_folder(state.roots.results_dir, run_id),
                               state.roots)
    except InputError:
        raise ApiProblem(409, f"study {run_id} is {record.status}; no variant has been "
                              "planned yet") from None
    rows = [{name: _plain(value) for name, value in row.items()}
            for row in frame.iloc[page.offset:page.offset + page.limit].to_dict("records")]
    return StudyResults(items=rows, total=len(frame), limit=page.limit,
                        offset=page.offset, next=page.next_url(request, len(frame)))


def _study_record(state: ApiContext, run_id: int) -> RunRecord:
    """A study job; 404 for any other id."""
    record = record_or_404(state, run_id)
    if record.kind != STUDY_KIND:
        raise ApiProblem(404, f"no study {run_id} (run {run_id} is a {record.kind})")
    return record


def _study_job(state: ApiContext, record: RunRecord) -> StudyJob:
    statuses = variant_statuses(study_work_folder(state.roots.results_dir, record.id),
                                state.roots)
    total = int(record.options.get("variants", 0))
    return StudyJob(
        id=record.id, name=record.scenario_name, job=public_run(record, state),
        variants=VariantCounts(total=total, done=statuses[DONE], failed=statuses[FAILED],
                               pending=max(total - statuses[DONE] - statuses[FAILED], 0)),
        results_url=f"{API_PREFIX}{router.prefix}/{record.id}/results",
        files_url=f"{API_PREFIX}/runs/{record.id}/files")


def _plain(value: Any) -> str | int | float | bool | None:
    """A table cell as JSON: NaN and missing values as null, numpy scalars as Python's."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
