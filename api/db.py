"""The API's database: SQLite (WAL) by default, PostgreSQL by URL, via SQLAlchemy.

The tables are declared here; the schema is created and upgraded by the alembic
migrations shipped in :mod:`api.migrations`, run when the server starts (and by
``logistics keys``), so every database is at the same revision.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DATABASE_FILE = "api.sqlite"

metadata = sa.MetaData()

api_keys = sa.Table(
    "api_keys", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("scenario_name", sa.String(100), nullable=False),
    sa.Column("scenario", sa.JSON, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("status", sa.String(10), nullable=False, index=True),
    sa.Column("reason", sa.String(20)),
    sa.Column("message", sa.Text),
    sa.Column("problems", sa.JSON),
    sa.Column("summary", sa.JSON),
    sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
)

idempotency_keys = sa.Table(
    "idempotency_keys", metadata,
    sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), primary_key=True),
    sa.Column("idempotency_key", sa.String(200), primary_key=True),
    sa.Column("request_sha256", sa.String(64), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


audit_events = sa.Table(
    "audit_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("key_id", sa.Integer),
    sa.Column("key_name", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False, index=True),
    sa.Column("target", sa.String(100), nullable=False),
    sa.Column("outcome", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("request_sha256", sa.String(64)),
    sa.Column("scenario_sha256", sa.String(64)),
    sa.Column("input_files", sa.JSON, nullable=False),
)
"""The audit trail: rows are only ever inserted (the migration adds triggers that
refuse UPDATE and DELETE)."""


def default_database_url(results_dir: Path) -> str:
    """SQLite in the results folder: ``<results_dir>/api.sqlite``."""
    return f"sqlite:///{(results_dir / DATABASE_FILE).resolve()}"


def connect(url: str) -> Engine:
    """An engine for ``url``, its schema migrated to the newest revision. SQLite runs
    in WAL mode with a busy timeout, so the job workers and requests share it."""
    if url.startswith("sqlite"):
        database = sa.make_url(url).database
        if database:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False,
                                                     "timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest migration (alembic, run in-process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def now() -> datetime:
    """The current time, time-zone aware (UTC)."""
    return datetime.now(UTC)


def new_id(result: sa.CursorResult[Any]) -> int:
    """The id an ``INSERT`` gave its row."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def aware(moment: datetime | None) -> datetime | None:
    """A stored time, time-zone aware: SQLite keeps no time zone, the times are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
