"""``/v1/purchases/imports``: purchase documents uploaded as one zip archive and
imported as a job.

``POST`` takes the archive as the body (``application/zip``, within the request-size
limit), checks it in full (not a zip, members leaving the folder, links, zip bombs: 422
with every problem) and the data set it is matched against (``dataset_dir``, inside the
roots), then queues the import and answers 202 with ``Location: /v1/runs/{id}``. Once
done, the job's files (``/v1/runs/{id}/files``) are the data set folder the import wrote
and its report, under ``study/``; a failed import lists every problem.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.context import Context, RunKey
from api.jobs import PURCHASES_KIND
from api.models import Run
from api.paths import PATH_PATTERN
from api.purchases import DATASET_FILES, dataset_folder, keep_archive
from api.routes.runs import QUEUED, IdempotencyKey, Prepared, queue_job, queued_run
from api.store import JobOptions
from logistics.paths import file_sha256

router = APIRouter(prefix="/purchases", tags=["purchases"])
JOB_NAME = "purchase-import"
ZIP_BODY = {"requestBody": {"required": True, "content": {
    "application/zip": {"schema": {"type": "string", "format": "binary",
                                   "description": "EHF / Peppol BIS 3 documents, folders, "
                                                  "archives or flat exports, and optional "
                                                  "tables (cost_centres.csv, postcodes.csv, "
                                                  "items.csv, mapping.*) at the top"}}}}}


@router.post("/imports", status_code=202, openapi_extra=ZIP_BODY, responses=QUEUED)
async def create_import(
        request: Request, state: Context, key: RunKey, response: Response,
        dataset_dir: Annotated[str, Query(
            max_length=500, json_schema_extra={"pattern": PATH_PATTERN}, description=(
            "the data set whose units and suppliers the documents are matched against: "
            "data/bergen or uploads/datasets/<name>"))] = "data/bergen",
        strict: Annotated[bool, Query(description="fail on any problem, not only when "
                                                  "nothing could be read")] = False,
        idempotency_key: IdempotencyKey = None) -> Run:
    """Check the archive and the data set, keep the archive, queue its import; follow
    ``Location``."""
    body = await request.body()
    sha256 = hashlib.sha256(body).hexdigest()

    def prepare() -> Prepared:
        dataset = dataset_folder(state.roots, dataset_dir)
        keep_archive(body, state.roots)
        read = {state.roots.scrub(str(dataset / name)): file_sha256(dataset / name)
                for name in DATASET_FILES}
        return ({"name": JOB_NAME, "archive_sha256": sha256, "dataset_dir": dataset_dir},
                JobOptions(strict=strict), {"upload.zip": sha256, **read})

    run_id = await run_in_threadpool(queue_job, state, key, PURCHASES_KIND,
                                     [sha256, dataset_dir, strict], prepare, idempotency_key)
    return queued_run(state, run_id, response)
