"""Batch studies over real HTTP: a study on an uploaded study is a job whose status
counts its variants and whose results table has a row per variant, as JSON and as
files; a study naming a path outside the allowed roots or a base that does not exist is
refused before anything is read."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from tests.api_helpers import STUDY_SOLVER, Server, api_server, upload_small_dataset, wait_finished


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("api") / "results") as running:
        yield running


@pytest.fixture(scope="module")
def dataset_dir(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    with server.client("run") as client:
        return upload_small_dataset(client, "four", tmp_path_factory.mktemp("copy") / "s")


def _study(dataset_dir: str, **fields: Any) -> dict[str, Any]:
    return {"study": {"name": "frequency", "base": "direct",
                      "overrides": {"dataset_dir": dataset_dir, "solver": STUDY_SOLVER},
                      "grid": {"weeks_per_year": [46, 23]}, **fields}}


def test_a_study_job_runs_both_variants_and_serves_its_table(server: Server,
                                                             dataset_dir: str) -> None:
    with server.client("run") as client:
        answer = client.post("/v1/studies", json=_study(dataset_dir))
        assert answer.status_code == 202, answer.text
        location = answer.headers["location"]
        assert location == f"/v1/studies/{answer.json()['id']}"
        assert answer.json()["variants"]["total"] == 2
        job = wait_finished(client, answer.json()["id"], timeout_s=300)
        assert (job["kind"], job["status"]) == ("study", "done"), job
        status = client.get(location).json()
        assert status["variants"] == {"total": 2, "done": 2, "failed": 0, "pending": 0}
        rows = client.get(f"{location}/results").json()
        files = {f["name"]: f["url"] for f in client.get(status["files_url"]).json()}
        assert set(files) == {"results.csv", "results.parquet", "results.xlsx"}
        table = list(csv.DictReader(io.StringIO(client.get(files["results.csv"]).text)))
        parquet = pd.read_parquet(io.BytesIO(client.get(files["results.parquet"]).content))
        text = client.get(files["results.csv"]).text + str(rows)
    assert rows["total"] == 2
    by_label = {row["weeks_per_year"]: row for row in rows["items"]}
    assert set(by_label) == {"46", "23"}
    assert all(row["status"] == "done" for row in rows["items"])
    # the same week planned twice; a year is the week times the weeks the variant sets
    week = by_label["46"]["deliveries"]
    assert week > 0 and by_label["23"]["deliveries"] == week
    assert by_label["46"]["deliveries_per_year"] == pytest.approx(46 * week)
    assert by_label["23"]["deliveries_per_year"] == pytest.approx(23 * week)
    assert [row["status"] for row in table] == ["done", "done"]
    assert len(parquet) == 2
    assert str(server.results_dir.parent) not in text
    with server.client("admin") as admin:
        trail = admin.get("/v1/audit", params={"action": "study.queue"}).json()["items"]
    queued = next(e for e in trail if e["target"] == f"run {job['id']}")
    uploaded = server.results_dir / "uploads" / dataset_dir.removeprefix("uploads/")
    assert queued["input_files"] == {
        f"{dataset_dir}/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(uploaded.glob("*.csv"))}


@pytest.mark.parametrize("where", ["grid", "overrides", "one_at_a_time"])
def test_a_study_naming_a_folder_outside_the_roots_is_refused(server: Server,
                                                              dataset_dir: str, where: str) -> None:
    fields: dict[str, Any] = {
        "grid": {"grid": {"dataset_dir": ["/etc", dataset_dir]}},
        "overrides": {"overrides": {"dataset_dir": "uploads/../../../etc"}},
        "one_at_a_time": {"one_at_a_time": [{"name": "orders",
                                             "low": {"orders_file": "/etc/passwd"},
                                             "high": {"orders_file": "data/../../etc/passwd"}}]},
    }[where]
    with server.client("run") as client:
        answer = client.post("/v1/studies", json=_study(dataset_dir, **fields))
        listed = client.get("/v1/runs").json()["items"]
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problems = answer.json()["problems"]
    assert problems and all(p["field"].startswith(where) for p in problems), problems
    assert "root:" not in answer.text  # no line of /etc/passwd
    assert not [run for run in listed if run["kind"] == "study"
                and run["status"] in ("queued", "running")]


def test_a_study_on_an_unknown_base_lists_every_problem(server: Server) -> None:
    body = {"study": {"name": "nowhere", "base": "no-such-scenario",
                      "grid": {"dataset_dir": ["../etc"]}}}
    with server.client("run") as client:
        answer = client.post("/v1/studies", json=body)
    assert answer.status_code == 422
    fields = {p["field"] for p in answer.json()["problems"]}
    assert fields == {"base", "grid.dataset_dir"}


def test_a_study_id_is_not_a_run_id(server: Server) -> None:
    with server.client("read") as client:
        assert client.get("/v1/studies/999999").status_code == 404
