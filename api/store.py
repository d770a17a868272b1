"""Run records in SQLite: what was asked, its status, its summary or its problems."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_name TEXT NOT NULL,
    scenario_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    created_at TEXT NOT NULL,
    finished_at TEXT,
    result_dir TEXT,
    summary_json TEXT,
    problems_json TEXT
)
"""


@dataclass(frozen=True)
class RunRecord:
    """One run as stored."""

    id: int
    scenario_name: str
    scenario: dict[str, Any]
    status: str
    created_at: str
    finished_at: str | None
    result_dir: str | None
    summary: dict[str, Any] | None
    problems: list[dict[str, str]] | None

    def public(self) -> dict[str, Any]:
        """The record as the API shows it."""
        return {"id": self.id, "scenario": self.scenario_name, "status": self.status,
                "created_at": self.created_at, "finished_at": self.finished_at,
                "summary": self.summary, "problems": self.problems}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunStore:
    """Runs in one SQLite file; safe to use from the API's worker thread too."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as connection:
            connection.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = sqlite3.connect(self.path)
            connection.row_factory = sqlite3.Row
            try:
                yield connection
                connection.commit()
            finally:
                connection.close()

    def create(self, scenario_name: str, scenario: dict[str, Any]) -> int:
        with self._connect() as connection:
            cursor = connection.execute(
                "INSERT INTO runs (scenario_name, scenario_json, status, created_at) "
                "VALUES (?, ?, 'queued', ?)",
                (scenario_name, json.dumps(scenario), _now()))
            return int(cursor.lastrowid or 0)

    def mark_running(self, run_id: int) -> None:
        with self._connect() as connection:
            connection.execute("UPDATE runs SET status = 'running' WHERE id = ?", (run_id,))

    def finish(self, run_id: int, result_dir: Path, summary: dict[str, Any]) -> None:
        with self._connect() as connection:
            connection.execute(
                "UPDATE runs SET status = 'done', finished_at = ?, result_dir = ?, "
                "summary_json = ? WHERE id = ?",
                (_now(), str(result_dir), json.dumps(summary), run_id))

    def fail(self, run_id: int, problems: list[dict[str, str]]) -> None:
        with self._connect() as connection:
            connection.execute(
                "UPDATE runs SET status = 'failed', finished_at = ?, problems_json = ? "
                "WHERE id = ?", (_now(), json.dumps(problems), run_id))

    def get(self, run_id: int) -> RunRecord | None:
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else _record(row)

    def all(self) -> list[RunRecord]:
        with self._connect() as connection:
            rows = connection.execute("SELECT * FROM runs ORDER BY id").fetchall()
        return [_record(row) for row in rows]


def _record(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        id=row["id"], scenario_name=row["scenario_name"],
        scenario=json.loads(row["scenario_json"]), status=row["status"],
        created_at=row["created_at"], finished_at=row["finished_at"],
        result_dir=row["result_dir"],
        summary=json.loads(row["summary_json"]) if row["summary_json"] else None,
        problems=json.loads(row["problems_json"]) if row["problems_json"] else None)
