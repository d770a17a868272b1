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

from typing import Annotated, Literal, cast

from fastapi import APIRouter, Query, Response

from api.auth import ApiKey
from api.context import ApiContext, Context, ReadKey, RunKey
from api.jobs import REPORT_KIND, RESILIENCE_FILE, STUDY_KIND, run_folder
from api.models import (
    BASELINE_DESCRIPTION,
    MAX_COMPARED,
    ComparedKpi,
    ComparedRun,
    ComparedValue,
    Comparison,
    ComparisonRequest,
    DecomposedChange,
    ReportLanguage,
    Run,
    RunId,
    kpi_description,
    kpi_unit,
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
from api.store import JobOptions, RunRecord
from logistics.analysis.comparable import data_differences
from logistics.analysis.compare import ComparedRow, compared_value, comparison
from logistics.paths import file_sha256
from logistics.pipeline.result import RESULT_FILE, ResultSummary

router = APIRouter(tags=["compare"])


@router.get("/compare", responses=problem_responses(401, 403, 404, 409, 422, 429))
def compare(
    state: Context, _: ReadKey,
    runs: Annotated[list[RunId], Query(min_length=1, max_length=MAX_COMPARED,
                                       description="ids of done runs")],
    baseline: Annotated[RunId | None, Query(description=BASELINE_DESCRIPTION)] = None,
    period: Annotated[Literal["week", "year"], Query()] = "week",
    allow_different_data: Annotated[bool, Query(
        description="compare runs on different data sets, orders or travel models "
                    "(refused with 422 otherwise); the differences are then listed in "
                    "data_differences and notes")] = False,
) -> Comparison:
    """Each KPI of each run, with its unit and its change against the baseline run, and
    the change in vehicle-km, CO2e and cost decomposed. Runs must share their study
    data, orders and travel model (each run's ``data_set`` names them)."""
    ids, base = _with_baseline(runs, baseline)
    records = [finished_run(state, run_id) for run_id in ids]
    missing = [r.id for r in records if f"kpi_per_{period}" not in (r.summary or {})]
    if missing:
        raise ApiProblem(409, f"runs {missing} are done but hold no KPIs per {period}; "
                              "run them again")
    differences = _data_differences(records, allow_different_data)
    summaries = [cast(ResultSummary, {**(r.summary or {}), "scenario": str(r.id)})
                 for r in records]  # a stored summary, its KPIs checked by the run
    compared = comparison(summaries, str(base), period)
    rows = [ComparedKpi(kpi=str(row["kpi"]), unit=kpi_unit(str(row["kpi"])),
                        description=kpi_description(str(row["kpi"])),
                        values=[_value(row, r.id, r.id == base) for r in records])
            for row in compared["rows"]]
    decomposed = [DecomposedChange(run_id=int(run), kpi=kpi, unit=kpi_unit(kpi), **change)
                  for run, by_kpi in compared["decomposition"].items()
                  for kpi, change in by_kpi.items()]
    return Comparison(
        baseline_run=base, period=period, rows=rows, decomposition=decomposed,
        data_differences=differences,
        notes=[*(f"Not like for like: {d}." for d in differences), *compared["notes"]],
        runs=[ComparedRun(id=r.id, scenario_name=r.scenario_name,
                          travel_model=compared["travel_models"][str(r.id)],
                          data_set=(r.summary or {}).get("data_set"),
                          emissions_method=compared["emissions_methods"][str(r.id)])
              for r in records])


def _data_differences(records: list[RunRecord], allowed: bool) -> list[str]:
    """How the runs' data differ; 422 when they do and that was not ``allowed``."""
    differences = data_differences([r.summary or {} for r in records],
                                   [f"run {r.id}" for r in records])
    if differences and not allowed:
        raise ApiProblem(422, "these runs did not plan the same data, so their difference "
                              "would not be the design's: " + "; ".join(differences)
                              + ". Compare runs on the same data, or set "
                                "allow_different_data=true to compare them anyway")
    return differences


def _value(row: ComparedRow, run_id: int, is_baseline: bool) -> ComparedValue:
    """A run's cell of a comparison row; the baseline changes by nothing."""
    value = compared_value(row, str(run_id))
    if is_baseline:
        unchanged = None if value is None else 0.0
        return ComparedValue(run_id=run_id, value=value, change=unchanged,
                             change_pct=unchanged)
    return ComparedValue(run_id=run_id, value=value,
                         change=compared_value(row, f"{run_id}_change"),
                         change_pct=compared_value(row, f"{run_id}_change_pct"))


def _with_baseline(runs: list[int], baseline: int | None) -> tuple[list[int], int]:
    """The compared run ids without repeats, a baseline not among them first, and the
    baseline's (default the first run)."""
    ids = list(dict.fromkeys(runs))
    if baseline is None or baseline in ids:
        return ids, ids[0] if baseline is None else baseline
    return [baseline, *ids], baseline


def _queue_report(state: ApiContext, key: ApiKey, request: ComparisonRequest,
                  idempotency_key: str | None, response: Response) -> Run:
    """Queue the report of done runs (and a done resilience study and batch studies);
    404, 409 or 422 when they cannot be reported."""
    ids, base = _with_baseline(request.runs, request.baseline)

    def prepare() -> Prepared:
        records = [finished_run(state, run_id) for run_id in ids]
        _require_distinct_names(records)
        _data_differences(records, request.allow_different_data)
        read = list(records)
        if request.resilience is not None:
            read.append(finished_run(state, request.resilience, "resilience"))
        for study in request.studies:
            finished_run(state, study, STUDY_KIND)
        document, options = _report_job(records, base, request)
        return document, options, _result_files(state, read)

    run_id = queue_job(state, key, REPORT_KIND,
                       [ids, base, request.model_dump(exclude={"runs", "baseline"})],
                       prepare, idempotency_key)
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
    return _queue_report(state, key, request, idempotency_key, response)


@router.post("/runs/{run_id:int}/report", status_code=202,
             responses={**QUEUED, **problem_responses(404, 409)})
def create_run_report(run_id: RunId, state: Context, key: RunKey, response: Response,
                      lang: Annotated[ReportLanguage, Query(description="en or nb")] = "en",
                      idempotency_key: IdempotencyKey = None) -> Run:
    """Queue the decision report of one done run; follow ``Location``, then download
    the job's files."""
    return _queue_report(state, key, ComparisonRequest(runs=[run_id], lang=lang),
                         idempotency_key, response)


def _report_job(records: list[RunRecord], baseline: int, request: ComparisonRequest
                ) -> tuple[dict[str, str], JobOptions]:
    """What a report job of done runs is given: its name and its options."""
    ids = [record.id for record in records]
    return {"name": report_name(ids, baseline)}, JobOptions(
        runs=ids, baseline=baseline, resilience=request.resilience,
        studies=request.studies, lang=request.lang)


def report_name(ids: list[int], baseline: int) -> str:
    """A report job's name as a reader says it: "report of runs 4 and 5 against
    baseline run 1", or "report of run 1" alone."""
    others = [str(run_id) for run_id in ids if run_id != baseline]
    if not others:
        return f"report of run {baseline}"
    listed = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
    noun = "run" if len(others) == 1 else "runs"
    return f"report of {noun} {listed} against baseline run {baseline}"[:100]
