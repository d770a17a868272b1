"""A study on a real Dask cluster (a scheduler and two worker processes on loopback)
gives the same variants and the same KPIs as the local process pool, even when a
worker process is killed mid-study; an unreachable scheduler is an input problem."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

import logistics.study
from logistics.accounting.kpi import KPI_COLUMNS
from logistics.cli.app import app
from logistics.pipeline.solutions import SOLUTIONS_FOLDER
from logistics.study.execute import VariantTask
from logistics.study.files import load_study_file
from logistics.study.run import run_study
from logistics.study.runners import DaskRunner, LocalRunner
from logistics.study.store import RECORDS_FOLDER, StudyStore
from tests.study_helpers import write_study

pytestmark = pytest.mark.timeout(600)


def test_dask_cluster_gives_the_local_results(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad", "asane"],
                                       "design": ["consolidated", "direct"]})
    loaded = load_study_file(path)
    run_study(loaded, tmp_path / "local", LocalRunner(2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        dask_run = run_study(loaded, tmp_path / "dask", DaskRunner(cluster.scheduler_address))
    assert (dask_run.ran, dask_run.failed) == (4, 0)
    local = logistics.study.load(tmp_path / "local")
    remote = logistics.study.load(tmp_path / "dask")
    assert (local["status"] == "done").all()
    columns = ["variant", "key", "hub", "design", *KPI_COLUMNS]
    pd.testing.assert_frame_equal(local[columns], remote[columns])
    # two hubs and direct delivery: three different plans, not one repeated
    assert local["vehicle_km"].nunique() == 3


def test_dask_workers_solve_each_routing_problem_once(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad"]}, monte_carlo={"samples": 3, "seed": 1},
                       one_at_a_time=[{"name": "hub energy",
                                       "low": {"emissions.hub_energy_scale": 0.5},
                                       "high": {"emissions.hub_energy_scale": 2.0}}])
    loaded = load_study_file(path)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        run = run_study(loaded, tmp_path / "dask", DaskRunner(cluster.scheduler_address))
    assert (run.ran, run.failed) == (6, 0)
    store = StudyStore(tmp_path / "dask")
    records = [store.record(v.key) for v in loaded.variants]
    solves = sum(r.routing_problems_solved or 0 for r in records if r is not None)
    assert solves == len(list((tmp_path / "dask" / SOLUTIONS_FOLDER).glob("*.json"))) > 0
    assert not list((tmp_path / "dask" / SOLUTIONS_FOLDER).glob("*.claim"))


def test_unreachable_scheduler_exits_2(tmp_path: Path) -> None:
    path = write_study(tmp_path)
    result = CliRunner().invoke(app, ["study", "run", str(path), "--scheduler",
                                      "tcp://127.0.0.1:9", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "--scheduler" in result.output and "tcp://127.0.0.1:9" in result.output


def test_a_worker_killed_mid_study_changes_no_result(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad", "asane", "nygardstangen"],
                                       "design": ["consolidated", "direct"]})
    loaded = load_study_file(path)
    run_study(loaded, tmp_path / "local", LocalRunner(2))
    killed: list[int] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, \
            Client(cluster.scheduler_address) as observer:

        def kill_a_busy_worker() -> None:
            """SIGKILL the process of a worker while it runs a variant."""
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed:
                busy = [address for address, keys in observer.processing().items()
                        if any(str(key).startswith("variant-") for key in keys)]
                if busy and (tmp_path / "dask" / RECORDS_FOLDER).is_dir():
                    pid = observer.run(os.getpid, workers=busy[:1])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                time.sleep(0.05)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        dask_run = run_study(loaded, tmp_path / "dask", DaskRunner(cluster.scheduler_address))
        killer.join()
    assert killed, "no worker was busy to kill"
    assert (dask_run.ran, dask_run.failed) == (6, 0)
    columns = ["variant", "key", "hub", "design", *KPI_COLUMNS]
    pd.testing.assert_frame_equal(logistics.study.load(tmp_path / "local")[columns],
                                  logistics.study.load(tmp_path / "dask")[columns])


def test_dask_runs_the_variants_in_the_order_given(tmp_path: Path) -> None:
    path = write_study(tmp_path, grid={"hub": ["kokstad", "asane", "nygardstangen"]},
                       monte_carlo={"samples": 3, "seed": 1})
    loaded = load_study_file(path)
    tasks = [VariantTask(v.key, v.describe(), v.scenario.model_dump(mode="json"),
                         loaded.source, str(tmp_path / "solutions"))
             for v in reversed(loaded.variants)]
    finished: list[str] = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        DaskRunner(cluster.scheduler_address).run(
            tasks, lambda record: finished.append(record.key))
    assert finished == [task.key for task in tasks]
