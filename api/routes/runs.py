"""``/v1/runs``: queue scenario runs and resilience studies, follow, cancel, read results.

A scenario is checked in full before it is queued, so bad input gets 422 with every
problem. ``POST`` answers 202 with ``Location: /v1/runs/{id}``; an ``Idempotency-Key``
header makes a retried ``POST`` return the run it queued the first time.
"""

from __future__ import annotations

import csv
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, TypeVar

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel

from api.audit import Inputs, document_sha256, scenario_input_files
from api.auth import ApiKey
from api.checks import SOURCE, checked_scenario
from api.context import ApiContext, Context, Paging, ReadKey, RunKey, actor_of
from api.jobs import run_folder
from api.models import (
    KeyRef,
    Page,
    ResilienceRequest,
    RouteRow,
    Run,
    RunId,
    RunRequest,
    RunStatus,
    StopRow,
    UnservedRow,
)
from api.problems import ApiProblem, created_responses, problem_responses
from api.routes import API_PREFIX
from api.store import IdempotencyConflict, JobOptions, RunRecord
from logistics.errors import InputError

router = APIRouter(prefix="/runs", tags=["runs"])
Row = TypeVar("Row", bound=BaseModel)
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
    description="a retried POST with the same key and body returns the first run")]
READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
QUEUED = {**created_responses(202, "the run's URL"),
          **problem_responses(400, 401, 403, 413, 422, 429)}


def public_run(record: RunRecord, state: ApiContext) -> Run:
    """A run as the API shows it."""
    return Run.model_validate({
        "id": record.id, "kind": record.kind, "scenario_name": record.scenario_name,
        "status": record.status, "reason": record.reason,
        "message": None if record.message is None else state.roots.scrub(record.message),
        "problems": record.problems or [], "summary": record.summary,
        "started_by": None if record.key_id is None else _key_ref(state, record.key_id),
        "created_at": record.created_at, "started_at": record.started_at,
        "finished_at": record.finished_at})


def _key_ref(state: ApiContext, key_id: int) -> KeyRef:
    actor = state.audit.actor(key_id)
    return KeyRef(id=actor.key_id, name=actor.name)


def record_or_404(state: ApiContext, run_id: int) -> RunRecord:
    record = state.runs.get(run_id)
    if record is None:
        raise ApiProblem(404, f"no run {run_id}")
    return record


def finished_run(state: ApiContext, run_id: int, kind: str = "run") -> RunRecord:
    """A run that is done, of ``kind``; 404 or 409 otherwise."""
    record = record_or_404(state, run_id)
    if record.status != "done":
        raise ApiProblem(409, f"run {run_id} is {record.status}, not done")
    if record.kind != kind:
        raise ApiProblem(409, f"run {run_id} is a {record.kind}; this needs a {kind}")
    return record


Prepared = tuple[Mapping[str, object], JobOptions, dict[str, str]]
"""What a checked job request gives the job: its document (holding its ``name``), its
options, and the SHA-256 of each input file it reads (for the audit trail)."""


def queue_job(state: ApiContext, key: ApiKey, kind: str, request: list[object],
              prepare: Callable[[], Prepared], idempotency_key: str | None) -> int:
    """Queue a job and return its id, or the id of the job an earlier ``request`` with
    the same ``Idempotency-Key`` queued. ``prepare`` checks the request in full (it is
    not called for a replay). The audit trail records the outcome, refusals included."""
    request_sha256 = document_sha256([kind, *request])
    action = f"{kind}.queue"
    try:
        run_id, outcome, inputs = _queued(state, key, kind, request_sha256, prepare,
                                          idempotency_key)
    except ApiProblem as problem:
        state.audit.record(actor_of(key), action, "-", f"refused {problem.status}",
                           state.roots.scrub(problem.detail), Inputs(request_sha256))
        raise
    except InputError as error:
        state.audit.record(actor_of(key), action, "-", "refused 422",
                           f"{len(error.problems)} input problem(s)", Inputs(request_sha256))
        raise
    state.audit.record(actor_of(key), action, f"run {run_id}", outcome, "", inputs)
    return run_id


def _queued(state: ApiContext, key: ApiKey, kind: str, request_sha256: str,
            prepare: Callable[[], Prepared], idempotency_key: str | None
            ) -> tuple[int, str, Inputs]:
    """The job's id, whether it was ``queued`` or ``replayed``, and its inputs."""
    earlier = (state.runs.idempotent_run(key.id, idempotency_key)
               if idempotency_key is not None else None)
    inputs = Inputs(request_sha256)
    if earlier is None:
        if state.runs.active_count(key.id) >= state.config.max_concurrent_runs:
            raise ApiProblem(429, f"this key has {state.config.max_concurrent_runs} runs "
                                  "queued or running; wait for one to finish",
                             headers={"Retry-After": "30"})
        document, options, input_files = prepare()
        inputs = Inputs(request_sha256, document_sha256(document), input_files)
        idempotency = (None if idempotency_key is None
                       else (idempotency_key, request_sha256))
        try:
            run_id = state.runs.create(kind, document, options, key.id, idempotency)
            state.jobs.wake()
            return run_id, "queued", inputs
        except IdempotencyConflict as conflict:
            earlier = (conflict.request_sha256, conflict.run_id)
    if earlier[0] != request_sha256:
        raise ApiProblem(422, "this Idempotency-Key was used for a different request")
    return earlier[1], "replayed", inputs


def queued_run(state: ApiContext, run_id: int, response: Response) -> Run:
    """The answer to a queued job: the run, its URL in ``Location``."""
    response.headers["Location"] = f"{API_PREFIX}{router.prefix}/{run_id}"
    return public_run(record_or_404(state, run_id), state)


def _queue_scenario(state: ApiContext, key: ApiKey, kind: str, body: Mapping[str, object],
                    options: JobOptions, idempotency_key: str | None,
                    response: Response) -> Run:
    """Check the scenario in full, then queue it."""

    def prepare() -> Prepared:
        scenario, _ = checked_scenario(body, state.roots)
        resolved = state.roots.resolved_scenario(scenario, SOURCE)
        return (scenario.model_dump(mode="json"), options,
                scenario_input_files([resolved], state.roots))

    return queued_run(state, queue_job(state, key, kind, [body, options], prepare,
                                       idempotency_key), response)


@router.post("", status_code=202, responses=QUEUED)
def create_run(request: RunRequest, state: Context, key: RunKey, response: Response,
               idempotency_key: IdempotencyKey = None) -> Run:
    """Check the scenario in full, then queue a run; follow ``Location``."""
    return _queue_scenario(state, key, "run", request.scenario, JobOptions(maps=request.maps),
                  idempotency_key, response)


@router.post("/resilience", status_code=202, responses=QUEUED)
def create_resilience_study(request: ResilienceRequest, state: Context, key: RunKey,
                            response: Response,
                            idempotency_key: IdempotencyKey = None) -> Run:
    """Queue a resilience study of the scenario, with its twin design unless ``designs``
    is ``own`` (disrupted vs normal, autonomy, suppliers, critical links, Monte Carlo);
    its report is the run's ``resilience.json``."""
    options = JobOptions(samples=request.samples, seed=request.seed, designs=request.designs)
    return _queue_scenario(state, key, "resilience", request.scenario, options, idempotency_key,
                  response)


@router.get("", responses=problem_responses(401, 403, 422, 429))
def runs(state: Context, _: ReadKey, page: Paging, request: Request,
         status: Annotated[RunStatus | None, Query(description="only runs in this status")]
         = None) -> Page[Run]:
    """Runs by id, a page at a time."""
    records, total = state.runs.page(page.limit, page.offset, status)
    return Page[Run](items=[public_run(r, state) for r in records], total=total,
                     limit=page.limit, offset=page.offset,
                     next=page.next_url(request, total))


@router.get("/{run_id:int}", responses=READ_ERRORS)
def get_run(run_id: RunId, state: Context, _: ReadKey) -> Run:
    """A run: its status and, once done, its summary; once failed, why."""
    return public_run(record_or_404(state, run_id), state)


@router.post("/{run_id:int}/cancel", responses=problem_responses(401, 403, 404, 409, 422, 429))
def cancel_run(run_id: RunId, state: Context, key: RunKey) -> Run:
    """Cancel a queued or running job (its solver processes are stopped): only the key
    that made it, or an admin key, may."""
    record = record_or_404(state, run_id)
    if record.key_id != key.id and not key.may("admin"):
        raise ApiProblem(403, f"run {run_id} belongs to another API key; only that key "
                              "or an admin key may cancel it")
    if not state.jobs.cancel(run_id):
        raise ApiProblem(409, f"run {run_id} is {record.status}; only queued or running "
                              "runs can be cancelled")
    state.audit.record(actor_of(key), f"{record.kind}.cancel", f"run {run_id}",
                       "cancelled")
    return public_run(record_or_404(state, run_id), state)


@router.get("/{run_id:int}/routes", responses=problem_responses(401, 403, 404, 409, 422, 429))
def routes(run_id: RunId, state: Context, _: ReadKey, page: Paging,
           request: Request) -> Page[RouteRow]:
    """One row per route of the week (as ``routes.csv``)."""
    return _csv_page(state, run_id, "routes.csv", RouteRow, page, request)


@router.get("/{run_id:int}/stops", responses=problem_responses(401, 403, 404, 409, 422, 429))
def stops(run_id: RunId, state: Context, _: ReadKey, page: Paging,
          request: Request) -> Page[StopRow]:
    """One row per step, start to end of every route (as ``stops.csv``)."""
    return _csv_page(state, run_id, "stops.csv", StopRow, page, request)


@router.get("/{run_id:int}/unserved", responses=problem_responses(401, 403, 404, 409, 422, 429))
def unserved(run_id: RunId, state: Context, _: ReadKey, page: Paging,
             request: Request) -> Page[UnservedRow]:
    """Deliveries not made, each with its reason (as ``unserved.csv``)."""
    return _csv_page(state, run_id, "unserved.csv", UnservedRow, page, request)


def _csv_page(state: ApiContext, run_id: int, name: str, model: type[Row], page: Paging,
              request: Request) -> Page[Row]:
    """A page of a result file's rows, typed."""
    path = run_folder(state.roots.results_dir, finished_run(state, run_id).id) / name
    rows = _csv_rows(path)
    items = [_typed(model, row) for row in rows[page.offset:page.offset + page.limit]]
    return Page[model](items=items, total=len(rows), limit=page.limit,  # type: ignore[valid-type]
                       offset=page.offset, next=page.next_url(request, len(rows)))


def _csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ApiProblem(409, f"the run's results have no {path.name}; run it again")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _typed(model: type[Row], row: dict[str, str]) -> Row:
    """A CSV row as ``model``: empty cells are null where the field allows it."""
    values: dict[str, str | None] = {}
    for name, field in model.model_fields.items():
        value: str | None = row.get(name, "")
        if value == "" and isinstance(field.annotation, types.UnionType) \
                and type(None) in field.annotation.__args__:
            value = None
        values[name] = value
    return model.model_validate(values)
