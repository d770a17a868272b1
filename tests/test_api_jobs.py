"""Runs are durable jobs: kill -9 of the server loses nothing, leaves nothing running and
nothing stuck; cancel stops a run's processes; any exception fails a run with its
message; a clean shutdown queues running jobs again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.audit import AuditTrail
from api.auth import KeyStore
from api.context import ApiConfig
from api.db import connect, default_database_url
from api.paths import Roots
from tests.api_helpers import (
    api_server,
    free_port,
    process_alive,
    scenario,
    session_members,
    wait_finished,
)
from tests.api_runners import failing_with_runtime_error, no_result, sleeping_in_child

from .conftest import make_small_dataset

LOGISTICS = Path(sys.executable).with_name("logistics")


def _wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@contextmanager
def _logistics_serve(folder: Path, env: dict[str, str]
                     ) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``logistics serve`` as a real process in its own session; yields it and its URL."""
    port = free_port()
    server = subprocess.Popen([str(LOGISTICS), "serve", "--port", str(port),
                               "--workers", "1"], cwd=folder, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{base}/v1/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait_for(answers, 60, "logistics serve did not start")
        yield server, base
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def test_kill_9_during_a_run_loses_nothing_and_leaves_no_process(tmp_path: Path) -> None:
    results = tmp_path / "results"
    make_small_dataset(Roots(results).uploaded_datasets_dir / "small", units=4)
    env = {**os.environ, "LOGISTICS_RESULTS_DIR": str(results), "LOGISTICS_WORKERS": "2",
           "LOGISTICS_CACHE_DIR": str(tmp_path / "cache")}
    engine = connect(default_database_url(results))
    secret = KeyStore(engine).create("planner", "run")[1]
    engine.dispose()
    headers = {"Authorization": f"Bearer {secret}"}
    slow = scenario("slow", "consolidated-ev",
                    solver={"time_limit_s": 120, "solution_limit": None})
    with _logistics_serve(tmp_path, env) as (server, base):
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            slow_id = client.post("/v1/runs", json=slow).json()["id"]
            fast_id = client.post("/v1/runs", json={**scenario("fast"), "maps": False}
                                  ).json()["id"]
            session = os.getsid(server.pid)
            # server, job process, watchdog, forkserver and solver processes
            _wait_for(lambda: len(session_members(session)) >= 5, 90,
                      "the run did not start its solver processes")
            assert client.get(f"/v1/runs/{slow_id}").json()["status"] == "running"
            assert client.get(f"/v1/runs/{fast_id}").json()["status"] == "queued"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        _wait_for(lambda: not session_members(session), 10,
                  f"processes left behind: {session_members(session)}")
    with _logistics_serve(tmp_path, {**env, "LOGISTICS_WORKERS": "1"}) as (server, base):
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            interrupted = client.get(f"/v1/runs/{slow_id}").json()
            assert (interrupted["status"], interrupted["reason"]) == ("failed", "interrupted")
            resumed = wait_finished(client, fast_id)
            assert resumed["status"] == "done", resumed
            assert resumed["summary"]["kpi_per_week"]["deliveries"] > 0
            result = client.get(f"/v1/runs/{fast_id}/files/result.json").json()
            assert result["provenance"]["started_by"]["key_name"] == "planner"
        session = os.getsid(server.pid)
    _wait_for(lambda: not session_members(session), 10, "processes left after shutdown")


def test_cancel_stops_the_run_and_its_processes(tmp_path: Path) -> None:
    with api_server(tmp_path / "results", sleeping_in_child) as server, \
            server.client("run") as client:
        answer = client.post("/v1/runs", json=scenario("sleepy"))
        assert answer.status_code == 202, answer.text
        run_id = answer.json()["id"]
        pid_file = server.results_dir / "runs" / str(run_id) / "child.pid"
        _wait_for(pid_file.is_file, 60, "the job did not start")
        child = int(pid_file.read_text())
        cancelled = client.post(f"/v1/runs/{run_id}/cancel")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        _wait_for(lambda: not process_alive(child), 10, "the job's child process survived")
        again = client.post(f"/v1/runs/{run_id}/cancel")
        assert again.status_code == 409
        assert again.headers["content-type"] == "application/problem+json"
        queued = client.post("/v1/runs", json=scenario("never-started")).json()["id"]
        client.post(f"/v1/runs/{queued}/cancel")
        assert wait_finished(client, queued)["status"] == "cancelled"


def test_any_exception_fails_the_run_with_its_message(tmp_path: Path) -> None:
    with api_server(tmp_path / "results", failing_with_runtime_error) as server, \
            server.client("run") as client:
        run_id = client.post("/v1/runs", json=scenario("doomed")).json()["id"]
        record = wait_finished(client, run_id)
        assert (record["status"], record["reason"]) == ("failed", "error")
        assert record["message"] == "RuntimeError: solver crashed on doomed"
        assert client.get(f"/v1/runs/{run_id}/routes").status_code == 409


def test_a_clean_shutdown_queues_running_runs_again(tmp_path: Path) -> None:
    results = tmp_path / "results"
    with api_server(results, sleeping_in_child) as server, server.client("run") as client:
        run_id = client.post("/v1/runs", json=scenario("resumed")).json()["id"]
        pid_file = results / "runs" / str(run_id) / "child.pid"
        _wait_for(pid_file.is_file, 60, "the job did not start")
        child = int(pid_file.read_text())
    assert not process_alive(child)
    with api_server(results, no_result) as server, server.client("read") as client:
        record = wait_finished(client, run_id)
    assert record["status"] == "done" and record["reason"] is None


def test_workers_solve_runs_side_by_side(tmp_path: Path) -> None:
    with api_server(tmp_path / "results", sleeping_in_child,
                    ApiConfig(workers=2)) as server, server.client("run") as client:
        ids = [client.post("/v1/runs", json=scenario(f"side-{n}")).json()["id"]
               for n in range(2)]
        _wait_for(lambda: all(client.get(f"/v1/runs/{i}").json()["status"] == "running"
                              for i in ids), 60, "the runs did not run side by side")
        for run_id in ids:
            client.post(f"/v1/runs/{run_id}/cancel")


def test_a_resilience_study_is_a_job_whose_report_is_a_file(tmp_path: Path) -> None:
    with api_server(tmp_path / "results") as server, server.client("run") as client:
        twin = client.post("/v1/runs/resilience", json={
            **scenario("outage", "hub-outage-3d"), "samples": 0, "designs": "twin"})
        assert twin.status_code == 422 and "designs" in twin.text, twin.text
        # suppliers' vehicles serving the municipality only: the outage's direct trips
        # then add vehicle-km (at a smaller municipal share they may attribute fewer)
        answer = client.post("/v1/runs/resilience", json={
            **scenario("outage", "hub-outage-3d", shared_routes={"municipal_share": 1.0}),
            "samples": 0, "designs": "own"})
        assert answer.status_code == 202, answer.text
        record = wait_finished(client, answer.json()["id"])
        assert (record["kind"], record["status"]) == ("resilience", "done"), record
        files = {f["name"]: f["url"] for f in
                 client.get(f"{answer.headers['location']}/files").json()}
        report = client.get(files["resilience.json"]).json()
        assert report["designs_compared"] == ["consolidated"]
        outage = report["designs"]["consolidated"]  # suppliers deliver while the hub is shut
        assert outage["served_demand_share"] == 1.0 and outage["extra_vehicle_km"] > 0
        assert report["disruptions"]
        assert client.get(f"{answer.headers['location']}/routes").status_code == 409


def test_kill_9_during_a_study_job_marks_it_failed_and_never_stuck(tmp_path: Path) -> None:
    results = tmp_path / "results"
    make_small_dataset(Roots(results).uploaded_datasets_dir / "small", units=4)
    env = {**os.environ, "LOGISTICS_RESULTS_DIR": str(results),
           "LOGISTICS_CACHE_DIR": str(tmp_path / "cache")}
    engine = connect(default_database_url(results))
    secret = KeyStore(engine).create("planner", "run")[1]
    engine.dispose()
    slow = {"study": {"name": "slow", "base": "consolidated-ev",
                      "overrides": {"dataset_dir": "uploads/datasets/small",
                                    "solver": {"time_limit_s": 120, "solution_limit": None}},
                      "grid": {"weeks_per_year": [46, 23]}}}
    with _logistics_serve(tmp_path, env) as (server, base), \
            httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"},
                         timeout=30) as client:
        answer = client.post("/v1/studies", json=slow)
        assert answer.status_code == 202, answer.text
        study_id = answer.json()["id"]
        _wait_for(lambda: client.get(f"/v1/studies/{study_id}").json()["job"]["status"]
                  == "running", 60, "the study did not start")
        session = os.getsid(server.pid)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        _wait_for(lambda: not session_members(session), 20,
                  f"processes left behind: {session_members(session)}")
    with _logistics_serve(tmp_path, env) as (server, base), \
            httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"},
                         timeout=30) as client:
        job = client.get(f"/v1/studies/{study_id}").json()["job"]
        assert (job["status"], job["reason"]) == ("failed", "interrupted")
        assert job["started_by"]["name"] == "planner"
        session = os.getsid(server.pid)
    _wait_for(lambda: not session_members(session), 10, "processes left after shutdown")
    engine = connect(default_database_url(results))
    try:
        events, _ = AuditTrail(engine).page(100, 0, "study.finish")
    finally:
        engine.dispose()
    assert [(e.target, e.outcome, e.actor.name) for e in events] == [
        (f"run {study_id}", "failed", "server")]
