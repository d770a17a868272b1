"""The audit trail: every run, study, report and key action is recorded with who did
it (key id and name, never the secret), the inputs' hashes and the outcome; admins
read it a page at a time; nothing can change it, through the API or in the database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from api.db import audit_events
from tests.api_helpers import Server, api_server, scenario, wait_finished
from tests.api_runners import failing_with_runtime_error, no_result

from .conftest import make_small_dataset


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("audit"), no_result) as running:
        yield running


def _entries(server: Server, **params: Any) -> list[dict[str, Any]]:
    with server.client("admin") as client:
        answer = client.get("/v1/audit", params={"limit": 500, **params})
        assert answer.status_code == 200, answer.text
        page: dict[str, Any] = answer.json()
    assert page["total"] == len(page["items"])
    return list(page["items"])


def test_a_queued_run_is_recorded_with_its_key_and_the_hashes_of_its_inputs(
        server: Server, tmp_path: Path) -> None:
    body = scenario("audited")
    with server.client("run") as client:
        answer = client.post("/v1/runs", json=body)
        assert answer.status_code == 202, answer.text
        run = wait_finished(client, answer.json()["id"])
        assert run["started_by"] == {"id": run["started_by"]["id"], "name": "test run"}
    queued = [e for e in _entries(server, action="run.queue")
              if e["target"] == f"run {run['id']}"]
    assert len(queued) == 1
    entry = queued[0]
    assert entry["actor"]["name"] == "test run" and entry["outcome"] == "queued"
    assert entry["actor"]["id"] == run["started_by"]["id"]
    expected_request = hashlib.sha256(json.dumps(
        ["run", body["scenario"], {"maps": True}], sort_keys=True).encode()).hexdigest()
    assert entry["request_sha256"] == expected_request
    units = server.results_dir / "uploads/datasets/small/units.csv"
    assert entry["input_files"]["uploads/datasets/small/units.csv"] == \
        hashlib.sha256(units.read_bytes()).hexdigest()
    assert len(entry["input_files"]) == len(list(units.parent.glob("*.csv")))
    assert all(server.secrets["run"] not in json.dumps(e) for e in _entries(server))
    finished = [e for e in _entries(server, action="run.finish")
                if e["target"] == f"run {run['id']}"]
    assert [(e["outcome"], e["actor"]["name"]) for e in finished] == [("done", "test run")]


def test_refusals_cancels_and_key_actions_are_recorded(server: Server) -> None:
    with server.client("run") as client:
        refused = client.post("/v1/runs", json=scenario("bad", hub="nowhere"))
        assert refused.status_code == 422
    with server.client("admin") as admin:
        created = admin.post("/v1/keys", json={"name": "auditor", "role": "read"}).json()
        assert admin.delete(f"/v1/keys/{created['id']}").status_code == 204
    outcomes = [(e["action"], e["outcome"], e["actor"]["name"]) for e in _entries(server)]
    assert ("run.queue", "refused 422", "test run") in outcomes
    assert ("key.create", "created", "test admin") in outcomes
    assert ("key.revoke", "revoked", "test admin") in outcomes
    creations = [e for e in _entries(server, action="key.create")]
    assert {"command line"} <= {e["actor"]["name"] for e in creations}
    assert created["secret"] not in json.dumps(_entries(server))


def test_the_trail_is_paginated_and_for_admins_only(server: Server) -> None:
    entries = _entries(server)
    with server.client("admin") as client:
        first = client.get("/v1/audit", params={"limit": 2}).json()
        second = client.get(first["next"]).json()
    assert [e["id"] for e in first["items"] + second["items"]] == \
        [e["id"] for e in entries[:4]]
    for role in ("read", "run"):
        with server.client(role) as client:
            assert client.get("/v1/audit").status_code == 403


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_the_trail_cannot_be_changed_through_the_api(server: Server, method: str) -> None:
    before = _entries(server)
    with server.client("admin") as client:
        for path in ("/v1/audit", f"/v1/audit/{before[0]['id']}"):
            answer = client.request(method, path, json={"outcome": "forged"})
            assert answer.status_code in (404, 405), (path, answer.status_code)
            if answer.status_code == 405:
                assert answer.headers["allow"] == "GET"
    assert _entries(server) == before


def test_the_database_refuses_to_change_or_delete_an_entry(server: Server) -> None:
    engine = sa.create_engine(f"sqlite:///{server.results_dir / 'api.sqlite'}")
    try:
        for statement in (audit_events.update().values(outcome="forged"),
                          audit_events.delete()):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), \
                    engine.begin() as connection:
                connection.execute(statement)
        with engine.connect() as connection:
            outcomes = set(connection.execute(sa.select(audit_events.c.outcome)).scalars())
    finally:
        engine.dispose()
    assert "forged" not in outcomes


def test_a_failed_job_is_recorded_as_failed_by_the_key_that_queued_it(tmp_path: Path) -> None:
    make_small_dataset(tmp_path / "results/uploads/datasets/small", units=4)
    with api_server(tmp_path / "results", failing_with_runtime_error) as failing:
        with failing.client("run") as client:
            run = wait_finished(client, client.post("/v1/runs", json=scenario("x")).json()["id"])
        finished = [e for e in _entries(failing, action="run.finish")
                    if e["target"] == f"run {run['id']}"]
    assert [(e["outcome"], e["actor"]["name"]) for e in finished] == [("failed", "test run")]
    assert "solver crashed on x" in finished[0]["detail"]
