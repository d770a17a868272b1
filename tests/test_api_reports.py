"""Decision reports over real HTTP: a run's report and a comparison report of runs by
id are jobs whose files download; a report of a run on an uploaded study names that
study's categories and carries no server path."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api_helpers import (
    FAST_SOLVER,
    UPLOADED_PREFIX,
    Server,
    api_server,
    upload_small_dataset,
    wait_finished,
)

REPORT_FILES = {"report.html", "report.pdf", "comparison.xlsx", "webmap.html"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("api") / "results") as running:
        yield running


@pytest.fixture(scope="module")
def dataset_dir(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    with server.client("run") as client:
        return upload_small_dataset(client, "renamed", tmp_path_factory.mktemp("copy") / "s")


def _done(client: httpx.Client, answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    record = wait_finished(client, answer.json()["id"], timeout_s=300)
    assert record["status"] == "done", record
    return record


@pytest.fixture(scope="module")
def runs(server: Server, dataset_dir: str) -> dict[str, int]:
    """A done run of each design on the uploaded study, and a resilience study with
    the dry-food supplier out all week and no alternates."""
    outage = {"type": "supplier_outage", "supplier": "sup-dry-food",
              "use_alternates": False}
    bodies = {
        "direct": ("/v1/runs", {"name": "on-upload-direct", "extends": "direct"}),
        "consolidated": ("/v1/runs", {"name": "on-upload-hub", "extends": "consolidated-ev"}),
        "resilience": ("/v1/runs/resilience", {"name": "dry-food-out", "extends": "direct",
                                               "disruptions": [outage]})}
    with server.client("run") as client:
        answers = {design: client.post(path, json={
            "scenario": {**fields, "dataset_dir": dataset_dir, "solver": FAST_SOLVER},
            **({"samples": 0} if design == "resilience" else {"maps": False})})
            for design, (path, fields) in bodies.items()}
        return {design: _done(client, answer)["id"] for design, answer in answers.items()}


def _files(client: httpx.Client, job_id: int) -> dict[str, str]:
    return {f["name"]: f["url"] for f in client.get(f"/v1/runs/{job_id}/files").json()}


def _text_files(client: httpx.Client, files: dict[str, str]) -> dict[str, str]:
    """Every text file of a job, and the XML inside its workbook."""
    texts = {name: client.get(url).text for name, url in files.items()
             if name.endswith((".html", ".css", ".svg", ".geojson", ".json"))}
    workbook = zipfile.ZipFile(io.BytesIO(client.get(files["comparison.xlsx"]).content))
    texts |= {f"comparison.xlsx:{name}": workbook.read(name).decode("utf-8")
              for name in workbook.namelist() if name.endswith(".xml")}
    return texts


def _leaking(texts: dict[str, str], server: Server) -> list[str]:
    """The files naming the server's temporary folder (the results folder's parent)."""
    folder = server.results_dir.parent
    return [name for name, text in texts.items()
            if str(folder) in text or str(folder.resolve()) in text]


def test_a_runs_report_downloads_and_names_no_server_path(server: Server,
                                                         runs: dict[str, int]) -> None:
    with server.client("run") as client:
        answer = client.post(f"/v1/runs/{runs['direct']}/report", params={"lang": "nb"})
        job = _done(client, answer)
        assert answer.headers["location"] == f"/v1/runs/{job['id']}"
        assert job["kind"] == "report"
        files = _files(client, job["id"])
        assert set(files) >= REPORT_FILES
        pdf = client.get(files["report.pdf"])
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        html = client.get(files["report.html"]).text
        assert '<html lang="nb">' in html
        texts = _text_files(client, files)
    assert not _leaking(texts, server)


def test_a_comparison_report_of_runs_by_id_names_the_uploaded_categories(
        server: Server, runs: dict[str, int]) -> None:
    with server.client("run") as client:
        answer = client.post("/v1/comparisons", json={
            "runs": [runs["direct"], runs["consolidated"]], "baseline": runs["direct"],
            "resilience": runs["resilience"], "lang": "en"})
        job = _done(client, answer)
        files = _files(client, job["id"])
        assert set(files) >= REPORT_FILES
        assert {"gis/on-upload-direct/layers.gpkg", "gis/on-upload-hub/layers.gpkg"} <= set(files)
    with server.client("admin") as admin:
        trail = admin.get("/v1/audit", params={"action": "report.queue"}).json()["items"]
    queued = next(e for e in trail if e["target"] == f"run {job['id']}")
    expected = {f"runs/{run_id}/{name}": hashlib.sha256(
        (server.results_dir / "runs" / str(run_id) / name).read_bytes()).hexdigest()
        for run_id, name in ((runs["direct"], "result.json"),
                             (runs["consolidated"], "result.json"),
                             (runs["resilience"], "resilience.json"))}
    assert queued["input_files"] == expected and queued["actor"]["name"] == "test run"
    with server.client("run") as client:
        assert client.get(files["report.pdf"]).content.startswith(b"%PDF")
        html = client.get(files["report.html"]).text
        # the dry-food supplier is out: its goods go unmet, named as the upload names them
        assert f"{UPLOADED_PREFIX}Dry food" in html
        assert "on-upload-hub" in html and "on-upload-direct" in html
        texts = _text_files(client, files)
    assert not _leaking(texts, server)


def test_reports_refuse_what_they_cannot_report(server: Server, runs: dict[str, int]) -> None:
    with server.client("run") as client:
        not_a_run = client.post("/v1/comparisons", json={"runs": [runs["resilience"]]})
        missing = client.post("/v1/runs/999999/report")
        resilience = client.post("/v1/comparisons", json={"runs": [runs["direct"]],
                                                          "resilience": runs["direct"]})
    assert (not_a_run.status_code, missing.status_code,
            resilience.status_code) == (409, 404, 409)
    assert not_a_run.headers["content-type"] == "application/problem+json"


def test_a_report_of_runs_sharing_a_scenario_name_is_refused(server: Server,
                                                             dataset_dir: str) -> None:
    body = {"scenario": {"name": "same", "extends": "direct", "dataset_dir": dataset_dir,
                         "solver": FAST_SOLVER}, "maps": False}
    with server.client("run") as client:
        ids = [_done(client, client.post("/v1/runs", json=body))["id"] for _ in range(2)]
        answer = client.post("/v1/comparisons", json={"runs": ids})
    assert answer.status_code == 422
    assert "same" in answer.json()["detail"]

