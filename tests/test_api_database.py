"""The API database, the same tests on SQLite (WAL) and on a real PostgreSQL server:
migrations, the durable job queue, runs and keys over HTTP."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from api.audit import COMMAND_LINE, AuditTrail
from api.auth import KeyStore
from api.context import ApiConfig
from api.db import audit_events, connect, default_database_url, metadata, migrate
from api.store import RunStore
from tests.api_helpers import api_server, scenario, wait_finished
from tests.api_runners import no_result

POSTGRES_ENV = "LOGISTICS_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield default_database_url(tmp_path / "results")
        return
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set in CI (.ci/services prints it)")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV}")
    name = f"logistics_api_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_create_the_schema_once(database_url: str) -> None:
    engine = connect(database_url)
    migrate(engine)  # a second upgrade changes nothing
    inspector = sa.inspect(engine)
    assert {"runs", "api_keys", "idempotency_keys", "audit_events", "alembic_version"} <= set(
        inspector.get_table_names())
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")
                                  ).scalars().all() == ["0002"]
    with engine.connect() as connection:  # the tables declared match the migrations
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_workers_never_claim_a_run_twice(database_url: str) -> None:
    engine = connect(database_url)
    store = RunStore(engine)
    queued = {store.create("run", {"name": f"r{n}"}, {}, None) for n in range(30)}
    claimed: list[int] = []

    def claim_all() -> None:
        while (record := store.claim_next()) is not None:
            claimed.append(record.id)

    workers = [threading.Thread(target=claim_all) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(claimed) == sorted(queued)
    engine.dispose()


def test_a_restart_marks_running_runs_interrupted_and_solves_queued_ones(
    database_url: str, tmp_path: Path
) -> None:
    engine = connect(database_url)
    store = RunStore(engine)
    key, _ = KeyStore(engine).create("before the crash", "run")
    was_running = store.create("run", {"name": "was-running"}, {}, key.id)
    assert store.claim_next() is not None  # a server took it, then died
    was_queued = store.create("run", {"name": "was-queued"}, {}, key.id)
    engine.dispose()
    with api_server(tmp_path / "results", no_result,
                    ApiConfig(database_url=database_url)) as server, \
            server.client("read") as client:
        interrupted = client.get(f"/v1/runs/{was_running}").json()
        assert (interrupted["status"], interrupted["reason"]) == ("failed", "interrupted")
        assert wait_finished(client, was_queued)["status"] == "done"


def test_runs_and_keys_over_http(database_url: str, tmp_path: Path) -> None:
    with api_server(tmp_path / "results", no_result,
                    ApiConfig(database_url=database_url)) as server, \
            server.client("admin") as client:
        headers = {"Idempotency-Key": "same-request"}
        ids = [client.post("/v1/runs", json=scenario(f"run-{n}"), headers=headers
                           if n == 0 else {}).json()["id"] for n in range(3)]
        repeated = client.post("/v1/runs", json=scenario("run-0"), headers=headers)
        assert repeated.json()["id"] == ids[0]
        assert [wait_finished(client, i)["status"] for i in ids] == ["done"] * 3
        page = client.get("/v1/runs", params={"limit": 2, "offset": 1}).json()
        assert page["total"] == 3 and [r["id"] for r in page["items"]] == ids[1:]
        assert page["next"] is None
        created = client.post("/v1/keys", json={"name": "reader", "role": "read"}).json()
        assert client.delete(f"/v1/keys/{created['id']}").status_code == 204
        assert client.get(f"/v1/keys/{created['id']}").status_code == 404
        listed = {k["id"]: k for k in client.get("/v1/keys").json()}
        assert listed[created["id"]]["revoked_at"] is not None
        trail = client.get("/v1/audit", params={"action": "key.revoke"}).json()
        assert [e["target"] for e in trail["items"]] == [f"key {created['id']}"]


def test_the_audit_trail_refuses_update_and_delete(database_url: str) -> None:
    engine = connect(database_url)
    try:
        AuditTrail(engine).record(COMMAND_LINE, "key.create", "key 1", "created")
        for statement in (audit_events.update().values(outcome="forged"),
                          audit_events.delete()):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), \
                    engine.begin() as connection:
                connection.execute(statement)
        events, total = AuditTrail(engine).page(10, 0)
        assert total == 1 and events[0].outcome == "created"
    finally:
        engine.dispose()
