"""Faults the API and the engine survive, each injected: PostgreSQL stopped while runs
are queued, a full disk (``ENOSPC``), corrupted stored solutions and variant records."""

from __future__ import annotations

import errno
import logging
import os
import re
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest

import logistics.study
from api.context import ApiConfig
from benchmarks.local_postgres import local_postgres, missing_reason
from logistics.pipeline import solutions as pipeline_solutions
from logistics.pipeline.solutions import SOLUTIONS_FOLDER, SolutionStore
from logistics.routing.problem import Solution
from logistics.study.files import load_study_file
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.store import RECORDS_FOLDER
from tests.api_helpers import api_server, scenario, wait_finished
from tests.api_runners import sleeping_two_seconds, writing_on_a_full_disk
from tests.study_helpers import write_study


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


def test_a_full_disk_fails_the_job_clearly_and_leaves_nothing_to_read(tmp_path: Path) -> None:
    with api_server(tmp_path / "results", writing_on_a_full_disk) as server, \
            server.client("run") as client:
        run = wait_finished(client, client.post("/v1/runs", json=scenario("full")).json()["id"])
        assert (run["status"], run["reason"]) == ("failed", "error")
        assert "the disk is full" in run["message"] and "result.json" in run["message"]
        assert client.get(f"/v1/runs/{run['id']}/files").status_code == 409
    folder = server.results_dir / "runs" / str(run["id"])
    assert sorted(p.name for p in folder.iterdir()) == []  # no result, no temporary file


def _solution(objective_nok: float) -> Solution:
    return Solution("p", (), (), objective_nok, {"backend": "test"})


def test_a_full_disk_keeps_the_stored_file_before_it(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    store = SolutionStore(tmp_path)
    store.put("kept", _solution(1.0))

    def full(_: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    for key in ("kept", "new"):
        with pytest.raises(OSError, match=f"the disk is full: .*{key}.json was not written"):
            store.put(key, _solution(2.0))
    assert store.get("kept") == _solution(1.0)
    assert store.get("new") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json"]


def test_corrupted_solutions_and_variant_records_are_found_recomputed_and_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    loaded = load_study_file(write_study(tmp_path))
    out = tmp_path / "out"
    first = run_study(loaded, out, LocalRunner(1))
    assert (first.ran, first.failed) == (2, 0)
    before = logistics.study.load(out)
    records = sorted((out / RECORDS_FOLDER).glob("*.json"))
    tampered = records[0]
    text = tampered.read_text(encoding="utf-8")
    digit = re.search(r"\d\.\d", text)
    assert digit is not None
    changed = "9" if text[digit.start()] != "9" else "8"
    tampered.write_text(text[:digit.start()] + changed + text[digit.start() + 1:],
                        encoding="utf-8")  # still JSON, one figure changed
    solutions = sorted((out / SOLUTIONS_FOLDER).glob("*.json"))
    for path in solutions:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated
    solved: list[str] = []
    solve = pipeline_solutions.solve
    monkeypatch.setattr(pipeline_solutions, "solve", lambda problem, settings=None:
                        solved.append(problem.name) or solve(problem, settings))
    with caplog.at_level(logging.WARNING):
        second = run_study(loaded, out, LocalRunner(1))
    assert (second.ran, second.skipped, second.failed) == (1, 1, 0)
    assert len(solved) == 5  # the rerun variant's five days, their stored files truncated
    after = logistics.study.load(out)
    timings = [column for column in before.columns if column.startswith("wall_")]
    assert timings  # how long a variant took differs from run to run; nothing else may
    pd.testing.assert_frame_equal(after.drop(columns=timings), before.drop(columns=timings))
    assert tampered.with_name(tampered.name + ".corrupt").is_file()
    assert len(list((out / SOLUTIONS_FOLDER).glob("*.corrupt"))) == 5
    reported = caplog.text
    assert f"variant record {tampered.name} is corrupted" in reported
    assert "content does not match its checksum" in reported
    assert "stored solution" in reported and "not whole JSON" in reported
