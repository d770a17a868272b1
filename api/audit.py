"""The audit trail: who queued, cancelled or finished which run, study or report, and
who created or revoked which key, with what inputs and what came of it.

Each event names its key by id and name (never a secret), the time, the action and
its target, the outcome and, for jobs, the hash of the request, of the scenario or
study as stored and of every input file it reads. Rows are only inserted: there is
no update or delete here, the API has no route that changes them, and the database
refuses UPDATE and DELETE on the table (triggers of migration 0002).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from api.db import api_keys, audit_events, aware, now
from api.paths import Roots
from logistics.paths import file_sha256
from logistics.scenarios.schema import Scenario


@dataclass(frozen=True)
class Actor:
    """Who acts: an API key (id and name), or the command line or server (no id)."""

    key_id: int | None
    name: str


COMMAND_LINE = Actor(None, "command line")
"""``logistics keys`` (no API key makes that change)."""
SERVER = Actor(None, "server")
"""What the server decides itself (a job interrupted by a restart)."""


@dataclass(frozen=True)
class AuditEvent:
    """One entry of the trail."""

    id: int
    at: datetime
    actor: Actor
    action: str
    target: str
    outcome: str
    detail: str
    request_sha256: str | None
    scenario_sha256: str | None
    input_files: dict[str, str]


@dataclass(frozen=True)
class Inputs:
    """What a job request stood on: its own hash, the stored document's, and each
    input file's (by its name as a request names it)."""

    request_sha256: str | None = None
    scenario_sha256: str | None = None
    input_files: dict[str, str] = field(default_factory=dict)


def document_sha256(document: Any) -> str:
    """SHA-256 of a JSON document with its keys sorted."""
    text = json.dumps(document, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_input_files(scenarios: Iterable[Scenario], roots: Roots) -> dict[str, str]:
    """SHA-256 of every file resolved scenarios read (the data set folder's CSV files, the
    orders file, the reuse files), keyed by the path as a request names it."""
    paths: set[Path] = set()
    for scenario in scenarios:
        paths.update(Path(scenario.dataset_dir).glob("*.csv"))
        named = [scenario.orders_file]
        if scenario.reuse is not None:
            named += [scenario.reuse.flows_file, scenario.reuse.items_file]
        paths.update(Path(name) for name in named if name is not None)
    return {roots.scrub(str(path)): file_sha256(path) for path in sorted(paths)
            if path.is_file()}


class AuditTrail:
    """The audit events in the API database: appended, read, never changed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, actor: Actor, action: str, target: str, outcome: str,
               detail: str = "", inputs: Inputs | None = None) -> None:
        """Append one event."""
        with self.engine.begin() as connection:
            append(connection, actor, action, target, outcome, detail, inputs)

    def actor(self, key_id: int | None) -> Actor:
        """The key ``key_id`` as an actor (its name read from the keys table)."""
        if key_id is None:
            return SERVER
        with self.engine.connect() as connection:
            name = connection.execute(sa.select(api_keys.c.name)
                                      .where(api_keys.c.id == key_id)).scalar()
        return Actor(key_id, name or f"key {key_id}")

    def page(self, limit: int, offset: int, action: str | None = None
             ) -> tuple[list[AuditEvent], int]:
        """Events oldest first, ``limit`` from ``offset``, and how many there are."""
        where = sa.true() if action is None else audit_events.c.action == action
        with self.engine.connect() as connection:
            total = connection.execute(sa.select(sa.func.count()).select_from(audit_events)
                                       .where(where)).scalar_one()
            rows = connection.execute(audit_events.select().where(where)
                                      .order_by(audit_events.c.id)
                                      .limit(limit).offset(offset)).all()
        return [_event(row) for row in rows], int(total)


def append(connection: sa.Connection, actor: Actor, action: str, target: str, outcome: str,
           detail: str = "", inputs: Inputs | None = None) -> None:
    """Append one event inside ``connection``'s transaction (so a key change and its
    event are stored together or not at all)."""
    inputs = inputs or Inputs()
    connection.execute(audit_events.insert().values(
        at=now(), key_id=actor.key_id, key_name=actor.name[:100], action=action,
        target=target[:100], outcome=outcome[:40], detail=detail,
        request_sha256=inputs.request_sha256, scenario_sha256=inputs.scenario_sha256,
        input_files=inputs.input_files))


def _event(row: sa.Row[Any]) -> AuditEvent:
    at = aware(row.at)
    assert at is not None
    return AuditEvent(id=row.id, at=at, actor=Actor(row.key_id, row.key_name),
                      action=row.action, target=row.target, outcome=row.outcome,
                      detail=row.detail, request_sha256=row.request_sha256,
                      scenario_sha256=row.scenario_sha256,
                      input_files=dict(row.input_files or {}))
