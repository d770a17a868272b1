"""Faults the API survives, each injected: PostgreSQL restarted while runs are queued,
the server killed during a study job, a full disk, a corrupted stored solution."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from api.context import ApiConfig
from benchmarks.local_postgres import local_postgres, missing_reason
from tests.api_helpers import api_server, scenario
from tests.api_runners import sleeping_two_seconds


def _statuses(client: httpx.Client, ids: list[int], timeout_s: float) -> dict[int, str]:
    """Each run's status once none is queued or running; answers while the database is
    away (503 or 500) are waited out."""
    deadline = time.monotonic() + timeout_s
    statuses: dict[int, str] = {}
    while time.monotonic() < deadline:
        for run_id in ids:
            answer = client.get(f"/v1/runs/{run_id}")
            if answer.status_code == 200:
                statuses[run_id] = answer.json()["status"]
        if len(statuses) == len(ids) and all(s not in ("queued", "running")
                                               for s in statuses.values()):
            return statuses
        time.sleep(0.2)
    raise AssertionError(f"runs still not finished: {statuses}")


def test_postgresql_restarted_while_runs_are_queued_loses_no_run(tmp_path: Path) -> None:
    reason = missing_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have PostgreSQL (.ci/services installs it): {reason}")
        pytest.skip(reason)
    with local_postgres() as postgres, api_server(
            tmp_path / "results", sleeping_two_seconds,
            ApiConfig(database_url=postgres.url)) as server, \
            server.client("run") as client:
        ids = [client.post("/v1/runs", json=scenario(f"queued-{n}")).json()["id"]
               for n in range(4)]
        started = server.results_dir / "runs" / str(ids[0]) / "started"
        deadline = time.monotonic() + 60
        while not started.is_file():
            assert time.monotonic() < deadline, "the first run did not start"
            time.sleep(0.05)
        postgres.stop()  # every connection is cut; the running job ends meanwhile
        time.sleep(4)
        postgres.start()
        statuses = _statuses(client, ids, timeout_s=120)
        assert statuses == dict.fromkeys(ids, "done")
        with server.client("admin") as admin:
            trail = admin.get("/v1/audit", params={"action": "run.finish"}).json()
        assert sorted(e["target"] for e in trail["items"]) == sorted(f"run {i}" for i in ids)
