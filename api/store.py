"""Run records in the database: the durable job queue and what each job produced.

A run is ``queued`` when it is accepted, ``running`` once a worker claimed it, then
``done``, ``failed`` (with a ``reason``: ``input``, ``error``, ``interrupted``) or
``cancelled``. Claiming is one conditional ``UPDATE``, so two workers never take the
same run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from api.db import aware, idempotency_keys, new_id, now, runs
from logistics.analysis.resilience import Designs
from logistics.io.durable import JsonValue

ACTIVE = ("queued", "running")


class JobOptions(TypedDict, total=False):
    """A job's options as stored, by kind of job: a run ``maps``; a resilience study
    ``samples``, ``seed``, ``designs``; a report ``runs``, ``baseline``, ``resilience``,
    ``studies``, ``lang``; a study ``variants``; a purchase import ``strict``."""

    maps: bool
    samples: int
    seed: int
    designs: Designs
    runs: list[int]
    baseline: int
    resilience: int | None
    studies: list[int]
    lang: str
    variants: int
    strict: bool


@dataclass(frozen=True)
class RunRecord:
    """One run as stored."""

    id: int
    kind: str
    scenario_name: str
    scenario: dict[str, JsonValue]
    """The job's document as stored (a scenario, a study, a report's or an import's
    name and inputs), holding its ``name``."""
    options: JobOptions
    status: str
    reason: str | None
    message: str | None
    problems: list[dict[str, str]] | None
    summary: dict[str, JsonValue] | None
    key_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class IdempotencyConflict(Exception):
    """The ``Idempotency-Key`` was used before: the earlier request's hash and run."""

    def __init__(self, request_sha256: str, run_id: int):
        super().__init__(f"Idempotency-Key used before, for run {run_id}")
        self.request_sha256 = request_sha256
        self.run_id = run_id


class RunStore:
    """Runs in the API database; safe to use from request handlers and job workers."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, kind: str, scenario: Mapping[str, object], options: JobOptions,
               key_id: int | None, idempotency: tuple[str, str] | None = None) -> int:
        """Queue a run; returns its id. ``idempotency`` (an ``Idempotency-Key`` and the
        request's hash) is stored with it in the same transaction; when the API key
        used that ``Idempotency-Key`` already, :class:`IdempotencyConflict` names the
        earlier run and nothing is queued."""
        try:
            with self.engine.begin() as connection:
                result = connection.execute(runs.insert().values(
                    kind=kind, scenario_name=scenario["name"], scenario=scenario,
                    options=options, status="queued", key_id=key_id, created_at=now()))
                run_id = new_id(result)
                if idempotency is not None:
                    connection.execute(idempotency_keys.insert().values(
                        key_id=key_id, idempotency_key=idempotency[0],
                        request_sha256=idempotency[1], run_id=run_id, created_at=now()))
        except sa.exc.IntegrityError:
            earlier = (self.idempotent_run(key_id, idempotency[0])
                       if idempotency is not None and key_id is not None else None)
            if earlier is None:
                raise
            raise IdempotencyConflict(*earlier) from None
        return run_id

    def get(self, run_id: int) -> RunRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(runs.select().where(runs.c.id == run_id)).first()
        return None if row is None else _record(row)

    def page(self, limit: int, offset: int, status: str | None = None
             ) -> tuple[list[RunRecord], int]:
        """Runs by id, ``limit`` from ``offset``, and how many there are in all."""
        where = sa.true() if status is None else runs.c.status == status
        with self.engine.connect() as connection:
            total = connection.execute(sa.select(sa.func.count()).select_from(runs)
                                       .where(where)).scalar_one()
            rows = connection.execute(runs.select().where(where).order_by(runs.c.id)
                                      .limit(limit).offset(offset)).all()
        return [_record(row) for row in rows], int(total)

    def claim_next(self) -> RunRecord | None:
        """Take the oldest queued run (it becomes ``running``); None when none waits."""
        while True:
            with self.engine.begin() as connection:
                run_id = connection.execute(
                    sa.select(sa.func.min(runs.c.id)).where(runs.c.status == "queued")
                ).scalar()
                if run_id is None:
                    return None
                claimed = connection.execute(
                    runs.update().where(runs.c.id == run_id, runs.c.status == "queued")
                    .values(status="running", started_at=now())).rowcount
            if claimed:
                return self.get(run_id)

    def finish(self, run_id: int, summary: Mapping[str, object] | None) -> None:
        self._close(run_id, status="done", summary=summary)

    def fail(self, run_id: int, reason: str, message: str,
             problems: list[dict[str, str]] | None = None) -> None:
        self._close(run_id, status="failed", reason=reason, message=message,
                    problems=problems)

    def cancel(self, run_id: int) -> bool:
        """Mark a queued or running run cancelled; False when it had finished."""
        with self.engine.begin() as connection:
            return bool(connection.execute(
                runs.update().where(runs.c.id == run_id, runs.c.status.in_(ACTIVE))
                .values(status="cancelled", reason="cancelled", finished_at=now(),
                        message="cancelled by request")).rowcount)

    def interrupt_running(self) -> list[int]:
        """Mark runs left ``running`` by a server that died ``failed`` with reason
        ``interrupted``; returns their ids."""
        with self.engine.begin() as connection:
            ids = list(connection.execute(sa.select(runs.c.id)
                                          .where(runs.c.status == "running")).scalars())
            connection.execute(runs.update().where(runs.c.id.in_(ids)).values(
                status="failed", reason="interrupted", finished_at=now(),
                message="the server stopped while the run was running; run it again"))
        return ids

    def requeue(self, run_id: int) -> None:
        """Put a running run back in the queue (a clean shutdown stopped it)."""
        with self.engine.begin() as connection:
            connection.execute(runs.update().where(runs.c.id == run_id,
                                                   runs.c.status == "running")
                               .values(status="queued", started_at=None))

    def active_count(self, key_id: int) -> int:
        """Queued and running runs of one API key."""
        with self.engine.connect() as connection:
            return int(connection.execute(
                sa.select(sa.func.count()).select_from(runs)
                .where(runs.c.key_id == key_id, runs.c.status.in_(ACTIVE))).scalar_one())

    def idempotent_run(self, key_id: int, idempotency_key: str) -> tuple[str, int] | None:
        """The request hash and run of an ``Idempotency-Key`` this API key used."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(idempotency_keys.c.request_sha256,
                                               idempotency_keys.c.run_id).where(
                idempotency_keys.c.key_id == key_id,
                idempotency_keys.c.idempotency_key == idempotency_key)).first()
        return None if row is None else (row[0], row[1])

    def _close(self, run_id: int, **values: object) -> None:
        """Finish a running run; a run cancelled meanwhile stays cancelled."""
        with self.engine.begin() as connection:
            connection.execute(runs.update().where(runs.c.id == run_id,
                                                   runs.c.status == "running")
                               .values(finished_at=now(), **values))


def _record(row: sa.Row[Any]) -> RunRecord:
    values = {column: getattr(row, column) for column in RunRecord.__annotations__}
    for column in ("created_at", "started_at", "finished_at"):
        values[column] = aware(values[column])
    return RunRecord(**values)

