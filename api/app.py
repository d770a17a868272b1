"""The FastAPI application: scenarios in, runs out, results compared.

A scenario is checked in full before a run is queued (its fields, and the study data,
road network and disruptions it names), so bad input gets 422 with every problem at
once. Runs are queued and solved one at a time in a worker thread (each run still uses
the configured processes for its routing problems); clients poll ``GET /runs/{id}``.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.store import RunRecord, RunStore
from logistics import __version__
from logistics.analysis.compare import comparison
from logistics.errors import InputError, LogisticsError, Problem
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.check import check_document
from logistics.pipeline.result import write_result
from logistics.pipeline.run import run_scenario
from logistics.scenarios.files import merge_bases, scenario_from_mapping
from logistics.scenarios.schema import Scenario
from logistics.settings import Settings, get_settings
from logistics.travel.network.cache import NetworkStore

SCENARIO_FOLDER = SHIPPED_SCENARIOS_DIR


class ScenarioRequest(BaseModel):
    """A scenario as a mapping, in the format of the scenario files; ``extends`` may
    name a shipped scenario (``scenarios/bergen/<name>.yaml``)."""

    scenario: dict[str, Any] = Field(examples=[{
        "name": "kokstad-ev-2x", "extends": "consolidated-ev",
        "frequency_per_week": {"default": 2, "dry_food": 2, "chilled": 2, "bakery": 2}}])


class CompareQuery(BaseModel):
    runs: list[int]
    baseline: str | None = None
    period: Literal["week", "year"] = "week"


def problems_payload(problems: tuple[Problem, ...]) -> list[dict[str, str]]:
    return [dataclasses.asdict(p) for p in problems]


def merged_scenario(request: ScenarioRequest) -> Scenario:
    """Merge the request with the shipped scenario it extends, then validate."""
    document = merge_bases(request.scenario, None, "request body")
    return scenario_from_mapping(document, "request body")


def checked_scenario(request: ScenarioRequest) -> tuple[Scenario, tuple[str, ...]]:
    """The merged, validated scenario checked against the study data, road network and
    disruptions it names, with the disruptions' notes."""
    document = merge_bases(request.scenario, None, "request body")
    scenario, checked = check_document(document, "request body")
    return scenario, checked.notes


def create_app(settings: Settings | None = None,
               runner: Callable[[Scenario], Any] | None = None) -> FastAPI:
    """The API; results and the run database live under ``settings.results_dir``."""
    settings = settings or get_settings()
    store = RunStore(settings.results_dir / "runs.sqlite")
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="run")
    run = runner or (lambda scenario: run_scenario(scenario, source="request body",
                                                   workers=settings.workers))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="Bergen municipal deliveries", version=__version__, lifespan=lifespan)

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        return JSONResponse(status_code=422,
                            content={"problems": problems_payload(error.problems)})

    def execute(run_id: int, scenario: Scenario) -> None:
        store.mark_running(run_id)
        try:
            result = run(scenario)
            folder = write_result(result, settings.results_dir / "runs" / str(run_id))
            store.finish(run_id, folder, result.summary())
        except InputError as error:
            store.fail(run_id, problems_payload(error.problems))
        except LogisticsError as error:
            store.fail(run_id, [{"source": "run", "location": "", "field": "",
                                 "found": str(error), "allowed": ""}])

    def record_or_404(run_id: int) -> RunRecord:
        record = store.get(run_id)
        if record is None:
            raise HTTPException(status_code=404, detail=f"no run {run_id}")
        return record

    def finished(run_id: int) -> RunRecord:
        record = record_or_404(run_id)
        if record.status != "done" or record.result_dir is None:
            raise HTTPException(status_code=409, detail=f"run {run_id} is {record.status}")
        return record

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/scenarios")
    def scenarios() -> list[dict[str, Any]]:
        """The shipped scenarios, merged with their bases."""
        listing = []
        for path in sorted(SCENARIO_FOLDER.glob("*.yaml")):
            scenario = merged_scenario(ScenarioRequest(scenario={"extends": path.stem,
                                                                 "name": path.stem}))
            listing.append({"file": path.stem, "design": scenario.design,
                            "description": scenario.description,
                            "disruptions": len(scenario.disruptions)})
        return listing

    @app.post("/scenarios/validate")
    def validate(request: ScenarioRequest) -> dict[str, Any]:
        """The merged scenario, checked in full, with ``notes`` on its disruptions; or 422
        with every problem."""
        scenario, notes = checked_scenario(request)
        return {**scenario.model_dump(mode="json"), "notes": list(notes)}

    @app.get("/networks")
    def networks() -> list[dict[str, str]]:
        """The cached road networks a scenario may name in ``travel.network``."""
        return NetworkStore().records()

    @app.post("/runs", status_code=202)
    def create_run(request: ScenarioRequest) -> dict[str, Any]:
        """Check the scenario in full, then queue a run; poll ``GET /runs/{id}`` for its
        status and summary."""
        scenario, _ = checked_scenario(request)
        run_id = store.create(scenario.name, scenario.model_dump(mode="json"))
        executor.submit(execute, run_id, scenario)
        return {"id": run_id, "status": "queued"}

    @app.get("/runs")
    def runs() -> list[dict[str, Any]]:
        return [{k: v for k, v in r.public().items() if k != "summary"} for r in store.all()]

    @app.get("/runs/{run_id}")
    def get_run(run_id: int) -> dict[str, Any]:
        return record_or_404(run_id).public()

    @app.get("/runs/{run_id}/routes")
    def routes(run_id: int) -> list[dict[str, str]]:
        """One row per stop, start to end of every route (as ``stops.csv``)."""
        return _csv_rows(Path(str(finished(run_id).result_dir)) / "stops.csv")

    @app.get("/runs/{run_id}/unserved")
    def unserved(run_id: int) -> list[dict[str, str]]:
        """Deliveries not made, each with its reason."""
        return _csv_rows(Path(str(finished(run_id).result_dir)) / "unserved.csv")

    @app.get("/compare")
    def compare(query: Annotated[CompareQuery, Query()]) -> dict[str, Any]:
        """Finished runs side by side against a baseline (default: the first run)."""
        summaries = [finished(run_id).summary or {} for run_id in query.runs]
        try:
            return comparison(summaries, query.baseline, query.period)
        except ValueError as error:
            raise HTTPException(status_code=422, detail=str(error)) from None

    return app


def _csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a result file; 404 when the run's folder lacks it (a run stored by an
    older version has no ``stops.csv``: run it again)."""
    if not path.is_file():
        raise HTTPException(status_code=404, detail="the run's result folder has no "
                                                    f"{path.name}; run the scenario again")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
