"""``/v1/compare``: finished runs side by side against a baseline run, by run id (two
runs of the same scenario name never collide); and their decision report as a job.

``POST /v1/comparisons`` (several runs against a baseline run) and ``POST
/v1/runs/{id}/report`` (one run) queue a report job (:mod:`api.reports`): 202 with
``Location: /v1/runs/{job id}``, whose files, once done, are ``report.html``,
``report.pdf``, ``comparison.xlsx``, the charts, maps, ``webmap.html`` and GIS layers.
A report is made on demand rather than by every run: it takes as long to draw as a
small run takes to solve, it can be had in either language at any time, and the
comparison report needs a job of its own anyway.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.audit import file_sha256
from api.auth import ApiKey
from api.context import ApiContext, Context, ReadKey, RunKey
from api.jobs import REPORT_KIND, RESILIENCE_FILE, run_folder
from api.models import (
    BASELINE_DESCRIPTION,
    MAX_COMPARED,
    ComparedKpi,
    ComparedRun,
    ComparedValue,
    Comparison,
    ComparisonRequest,
    ReportLanguage,
    Run,
    RunId,
    kpi_description,
)
from api.problems import ApiProblem, problem_responses
from api.routes.runs import (
    QUEUED,
    IdempotencyKey,
    Prepared,
    finished_run,
    queue_job,
    queued_run,
)
from api.store import RunRecord
from logistics.analysis.compare import comparison
from logistics.pipeline.result import RESULT_FILE

router = APIRouter(tags=["compare"])


@router.get("/compare", responses=problem_responses(401, 403, 404, 409, 422, 429))
def compare(
    state: Context, _: ReadKey,
    runs: Annotated[list[RunId], Query(min_length=1, max_length=MAX_COMPARED,
                                       description="ids of done runs")],
    baseline: Annotated[RunId | None, Query(description=BASELINE_DESCRIPTION)] = None,
    period: Annotated[Literal["week", "year"], Query()] = "week",
) -> Comparison:
    """Each KPI of each run with its change against the baseline run."""
    ids, base = _with_baseline(runs, baseline)
    records = [finished_run(state, run_id) for run_id in ids]
    missing = [r.id for r in records if f"kpi_per_{period}" not in (r.summary or {})]
    if missing:
        raise ApiProblem(409, f"runs {missing} are done but hold no KPIs per {period}; "
                              "run them again")
    summaries = [{**(r.summary or {}), "scenario": str(r.id)} for r in records]
    compared = comparison(summaries, str(base), period)
    rows = [ComparedKpi(kpi=row["kpi"], description=kpi_description(row["kpi"]),
                        values=[_value(row, r.id, r.id == base) for r in records])
            for row in compared["rows"]]
    return Comparison(
        baseline_run=base, period=period, rows=rows, notes=compared["notes"],
        runs=[ComparedRun(id=r.id, scenario_name=r.scenario_name,
                          travel_model=compared["travel_models"][str(r.id)],
                          emissions_method=compared["emissions_methods"][str(r.id)])
              for r in records])


def _value(row: dict[str, Any], run_id: int, is_baseline: bool) -> ComparedValue:
    """A run's cell of a comparison row; the baseline changes by nothing."""
    value = row[str(run_id)]
    if is_baseline:
        unchanged = None if value is None else 0.0
        return ComparedValue(run_id=run_id, value=value, change=unchanged,
                             change_pct=unchanged)
    return ComparedValue(run_id=run_id, value=value, change=row[f"{run_id}_change"],
                         change_pct=row[f"{run_id}_change_pct"])


def _with_baseline(runs: list[int], baseline: int | None) -> tuple[list[int], int]:
    """The compared run ids without repeats, a baseline not among them first, and the
    baseline's (default the first run)."""
    ids = list(dict.fromkeys(runs))
    if baseline is None or baseline in ids:
        return ids, ids[0] if baseline is None else baseline
    return [baseline, *ids], baseline


def _queue_report(state: ApiContext, key: ApiKey, runs: list[int], baseline: int | None,
                  resilience: int | None, lang: str, idempotency_key: str | None,
                  response: Response) -> Run:
    """Queue the report of done runs (and a done resilience study); 404, 409 or 422
    when they cannot be reported."""
    ids, base = _with_baseline(runs, baseline)

    def prepare() -> Prepared:
        records = [finished_run(state, run_id) for run_id in ids]
        _require_distinct_names(records)
        if resilience is not None:
            records.append(finished_run(state, resilience, "resilience"))
        document, options = _report_job(records[:len(ids)], base, resilience, lang)
        return document, options, _result_files(state, records)

    run_id = queue_job(state, key, REPORT_KIND, [ids, base, resilience, lang], prepare,
                       idempotency_key)
    return queued_run(state, run_id, response)


def _result_files(state: ApiContext, records: list[RunRecord]) -> dict[str, str]:
    """SHA-256 of the result files a report reads (each run's ``result.json`` or
    ``resilience.json``), keyed ``runs/<id>/<file>``."""
    hashes = {}
    for record in records:
        for name in (RESULT_FILE, RESILIENCE_FILE):
            path = run_folder(state.roots.results_dir, record.id) / name
            if path.is_file():
                hashes[f"runs/{record.id}/{name}"] = file_sha256(path)
    return hashes


def _require_distinct_names(records: list[RunRecord]) -> None:
    """The report names each run by its scenario: two runs may not share one."""
    by_name: dict[str, list[int]] = {}
    for record in records:
        by_name.setdefault(record.scenario_name, []).append(record.id)
    shared = {name: ids for name, ids in by_name.items() if len(ids) > 1}
    if shared:
        raise ApiProblem(422, "a report names each run by its scenario name; runs share "
                              f"one: {shared}")


@router.post("/comparisons", status_code=202,
             responses={**QUEUED, **problem_responses(404, 409)})
def create_comparison_report(request: ComparisonRequest, state: Context, key: RunKey,
                             response: Response,
                             idempotency_key: IdempotencyKey = None) -> Run:
    """Queue the decision report of done runs against a baseline run (report.html,
    report.pdf, comparison.xlsx, charts, maps, webmap.html), with the supply-security
    section of a resilience study when one is named; follow ``Location``, then download
    the job's files."""
    return _queue_report(state, key, request.runs, request.baseline, request.resilience,
                         request.lang, idempotency_key, response)


@router.post("/runs/{run_id:int}/report", status_code=202,
             responses={**QUEUED, **problem_responses(404, 409)})
def create_run_report(run_id: RunId, state: Context, key: RunKey, response: Response,
                      lang: Annotated[ReportLanguage, Query(description="en or nb")] = "en",
                      idempotency_key: IdempotencyKey = None) -> Run:
    """Queue the decision report of one done run; follow ``Location``, then download
    the job's files."""
    return _queue_report(state, key, [run_id], run_id, None, lang, idempotency_key, response)


def _report_job(records: list[RunRecord], baseline: int, resilience: int | None, lang: str
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a report job of done runs is given: its name and its options."""
    ids = [record.id for record in records]
    others = ", ".join(str(run_id) for run_id in ids if run_id != baseline)
    name = f"report of run {baseline}" + (f" against runs {others}" if others else "")
    return {"name": name[:100]}, {"runs": ids, "baseline": baseline,
                                  "resilience": resilience, "lang": lang}
