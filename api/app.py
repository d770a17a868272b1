"""The FastAPI application: ``create_app(settings, runner, config)``.

Every path is under ``/v1``, one router per resource (:mod:`api.routes`). Every error
is ``application/problem+json`` (:mod:`api.problems`). Runs are durable jobs in the
database (:mod:`api.jobs`); requests need an API key (:mod:`api.auth`) but
``/v1/health`` and the documentation, which is served from local assets (``/docs``,
``/redoc``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline

from api.audit import AuditTrail
from api.auth import KeyStore, RateLimiter
from api.context import ApiConfig, ApiContext
from api.db import connect, default_database_url
from api.guide import api_description
from api.jobs import JobQueue, Runner
from api.limits import BodySizeLimit
from api.paths import Roots
from api.problems import describe_problems_in_openapi, install_problem_handlers
from api.routes import (
    API_PREFIX,
    audit_trail,
    catalogue,
    compare,
    files,
    keys,
    purchases,
    runs,
    scenarios,
    studies,
    system,
    uploads,
)
from api.runner import solve_job
from api.store import RunStore
from logistics import __version__
from logistics.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, runner: Runner | None = None,
               config: ApiConfig | None = None) -> FastAPI:
    """The API. Results live under ``settings.results_dir`` (each run in
    ``runs/<id>``, uploads in ``uploads/``); ``runner`` solves jobs (default
    :func:`api.runner.solve_job`; tests give a stub); ``config`` sets the database,
    workers and limits."""
    settings = settings or get_settings()
    config = config or ApiConfig()
    engine = connect(config.database_url or default_database_url(settings.results_dir))
    roots = Roots(settings.results_dir)
    store = RunStore(engine)
    audit = AuditTrail(engine)
    state = ApiContext(
        settings=settings, config=config, roots=roots, runs=store, keys=KeyStore(engine),
        jobs=JobQueue(store, roots, runner or solve_job, config.workers, settings.workers,
                      audit),
        limiter=RateLimiter(config.rate_limit_per_minute), audit=audit)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        interrupted = state.jobs.start()
        if interrupted:
            logger.warning("runs %s were running when the server stopped: marked failed "
                           "(interrupted)", interrupted)
        yield
        state.jobs.stop()
        engine.dispose()

    app = FastAPIOffline(title="Bergen municipal deliveries", version=__version__,
                         description=api_description(config),
                         lifespan=lifespan, openapi_url=f"{API_PREFIX}/openapi.json")
    app.state.context = state
    install_problem_handlers(app, roots.scrub)
    app.add_middleware(BodySizeLimit, max_bytes=config.max_request_bytes)
    version_one = APIRouter(prefix=API_PREFIX)
    for module in (system, catalogue, scenarios, runs, files, compare, studies, uploads,
                   purchases, keys, audit_trail):
        version_one.include_router(module.router)
    app.include_router(version_one)
    describe_problems_in_openapi(app)
    return app
