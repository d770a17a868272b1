"""The API's contract over real HTTP: /v1 paths, a typed OpenAPI document, problem+json
errors, pagination, Location headers, numbers as numbers, comparisons by run id,
downloads, idempotency and offline docs."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.checks import checked_scenario
from api.jobs import Job
from api.paths import Roots
from api.runner import solve_job
from logistics.accounting.kpi import KPI_COLUMNS
from tests.api_helpers import Server, api_server, scenario, wait_finished
from tests.api_runners import replay_result

from .conftest import make_small_dataset

PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small study solved once per design, by the default runner."""
    roots = Roots(tmp_path_factory.mktemp("solved"))
    make_small_dataset(roots.uploaded_datasets_dir / "small", units=4)
    folders = {}
    for number, extends in enumerate(("direct", "consolidated-ev"), start=1):
        spec, _ = checked_scenario(scenario(f"small-{extends}", extends)["scenario"], roots)
        options = {"maps": spec.design == "direct"}
        job = Job(number, "run", spec.model_dump(mode="json"), options, roots.results_dir, 1)
        solve_job(job)
        folders[spec.design] = job.folder
    return folders


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory,
           solved: dict[str, Path]) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("api"),
                    functools.partial(replay_result, solved)) as running:
        yield running


@pytest.fixture(scope="module")
def twins(server: Server) -> list[dict[str, Any]]:
    """Two done runs with the same scenario name, one per design."""
    with server.client("run") as client:
        answers = [client.post("/v1/runs", json=scenario("twin", extends))
                   for extends in ("direct", "consolidated-ev")]
        assert [a.status_code for a in answers] == [202, 202], [a.text for a in answers]
        for answer in answers:
            assert answer.headers["location"] == f"/v1/runs/{answer.json()['id']}"
        return [wait_finished(client, a.json()["id"]) for a in answers]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_openapi_document_types_every_answer(server: Server) -> None:
    with server.client(None) as client:
        document = client.get("/v1/openapi.json").json()
    assert document["paths"] and all(p.startswith("/v1/") for p in document["paths"])
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if media_type == "application/json":
                    assert content["schema"], (path, method, status)
                if int(status) >= 400:
                    assert media_type == PROBLEM_JSON, (path, method, status)
        if path != "/v1/health":
            assert {"401", "429"} <= set(operation["responses"]), (path, method)
    queued = document["paths"]["/v1/runs"]["post"]["responses"]["202"]
    assert "Location" in queued["headers"]
    assert "bearer" in str(document["components"]["securitySchemes"]).lower()
    schemas = document["components"]["schemas"]
    kpis = schemas["Kpis"]["properties"]
    assert set(kpis) == set(KPI_COLUMNS)
    assert "(km)" in kpis["vehicle_km"]["description"]
    assert "(kg)" in kpis["co2e_wtw_kg"]["description"]
    body = schemas["ScenarioRequest"]["properties"]["scenario"]
    assert {"dataset_dir", "solver", "extends", "disruptions"} <= set(body["properties"])
    assert body["properties"]["name"]["maxLength"] == 100
    assert "Scenario" in schemas and schemas["Scenario"]["properties"]["design"]
    assert schemas["RouteRow"]["properties"]["distance_km"]["type"] == "number"


def test_every_error_is_problem_json(server: Server) -> None:
    with server.client("read") as client:
        answers = {
            404: client.get("/v1/no-such-thing"),
            405: client.delete("/v1/runs"),
            422: client.get("/v1/runs", params={"limit": 0}),
        }
        not_a_number = client.get("/v1/runs/not-a-number")
        assert not_a_number.status_code == 404, "ids are integers: no route matches"
        for method, path, allowed in [("OPTIONS", "/v1/keys", "GET, POST"),
                                      ("OPTIONS", "/v1/keys/1", "GET, DELETE"),
                                      ("OPTIONS", "/v1/runs", "GET, POST"),
                                      ("GET", "/v1/runs/resilience", "POST"),
                                      ("PUT", "/v1/runs/1/files/result.json", "GET")]:
            refused = client.request(method, path)
            assert (refused.status_code, refused.headers.get("allow")) == \
                (405, allowed), (method, path)
    with server.client(None) as anonymous:
        answers[401] = anonymous.get("/v1/runs")
    for status, answer in answers.items():
        assert answer.status_code == status
        assert answer.headers["content-type"] == PROBLEM_JSON
        body = answer.json()
        assert body["status"] == status and body["title"] and body["detail"]
    assert answers[401].headers["www-authenticate"] == "Bearer"
    assert answers[422].json()["problems"][0]["field"] == "limit"


def test_a_bad_scenario_gets_422_with_every_problem(server: Server) -> None:
    with server.client("run") as client:
        bad = scenario("bad", "consolidated-ev", hub="atlantis",
                       frequency_per_week={"default": 12}, solver={"time_limit_s": -1})
        answer = client.post("/v1/runs", json=bad)
        assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM_JSON
        fields = {p["field"] for p in answer.json()["problems"]}
        assert {"frequency_per_week", "solver.time_limit_s", "hub"} <= fields
        named = client.post("/v1/runs", json=scenario("Bad Name", solver={"seed": -1}))
        assert {p["field"] for p in named.json()["problems"]} == {"name", "solver.seed"}
        unknown = client.post("/v1/runs", json={**scenario("fine"), "priority": "high"})
        assert unknown.status_code == 422
        assert unknown.json()["problems"][0]["field"] == "priority"
        inner = client.post("/v1/scenarios/validate", json=scenario("fine", colour="red"))
        assert inner.status_code == 422
        assert inner.json()["problems"][0]["field"] == "colour"
        listed = client.get("/v1/runs", params={"limit": 500}).json()["items"]
        assert all(r["scenario_name"] != "fine" for r in listed)


def test_validate_returns_the_merged_scenario(server: Server) -> None:
    with server.client("read") as client:
        answer = client.post("/v1/scenarios/validate", json=scenario("ev", "consolidated-ev"))
        assert answer.status_code == 200, answer.text
        merged = answer.json()["scenario"]
        assert (merged["design"], merged["hub"]) == ("consolidated", "kokstad")
        assert merged["dataset_dir"] == "uploads/datasets/small"
        listing = {s["name"]: s for s in client.get("/v1/scenarios").json()}
        assert listing["direct"]["design"] == "direct"
        assert listing["hub-outage-3d"]["disruptions"] >= 1


def test_runs_are_paged(server: Server, twins: list[dict[str, Any]]) -> None:
    with server.client("read") as client:
        first = client.get("/v1/runs", params={"limit": 1}).json()
        assert first["total"] >= 2 and len(first["items"]) == 1 and first["next"]
        second = client.get(first["next"]).json()
        assert second["offset"] == 1 and second["items"][0]["id"] != first["items"][0]["id"]
        done = client.get("/v1/runs", params={"status": "done", "limit": 500}).json()
        assert {r["id"] for r in twins} <= {r["id"] for r in done["items"]}
        assert client.get("/v1/runs", params={"limit": 0}).status_code == 422


def test_result_rows_are_typed_numbers_that_add_up(server: Server,
                                                    twins: list[dict[str, Any]]) -> None:
    run = twins[1]
    with server.client("read") as client:
        routes = client.get(f"/v1/runs/{run['id']}/routes", params={"limit": 500}).json()
        stops = client.get(f"/v1/runs/{run['id']}/stops", params={"limit": 3}).json()
        unserved = client.get(f"/v1/runs/{run['id']}/unserved").json()
    assert routes["total"] == len(routes["items"]) == run["summary"]["kpi_per_week"]["routes"]
    assert all(isinstance(r["distance_km"], float) and isinstance(r["stops"], int)
               for r in routes["items"])
    assert sum(r["distance_km"] for r in routes["items"]) == pytest.approx(
        run["summary"]["kpi_per_week"]["vehicle_km_driven"], rel=1e-3)
    assert stops["items"][0]["step_type"] == "start"
    assert stops["items"][0]["arrival_hhmm"] is None
    assert isinstance(stops["items"][0]["lon"], float) and stops["next"]
    assert unserved["total"] == run["summary"]["unserved_count"]


def test_runs_are_compared_by_id_against_a_baseline_run(
    server: Server, twins: list[dict[str, Any]]
) -> None:
    direct, ev = twins
    with server.client("read") as client:
        answer = client.get("/v1/compare", params={"runs": [direct["id"], ev["id"]],
                                                   "baseline": ev["id"]})
        assert answer.status_code == 200, answer.text
        compared = answer.json()
        assert compared["baseline_run"] == ev["id"]
        assert [r["scenario_name"] for r in compared["runs"]] == ["twin", "twin"]
        row = next(r for r in compared["rows"] if r["kpi"] == "deliveries")
        values = {v["run_id"]: v for v in row["values"]}
        week = {r["id"]: r["summary"]["kpi_per_week"]["deliveries"] for r in twins}
        assert values[direct["id"]]["change"] == pytest.approx(week[direct["id"]]
                                                               - week[ev["id"]])
        assert values[ev["id"]]["change"] == 0
        outside = client.get("/v1/compare", params={"runs": [direct["id"]],
                                                    "baseline": ev["id"]})
        assert outside.status_code == 200, outside.text
        assert [r["id"] for r in outside.json()["runs"]] == [ev["id"], direct["id"]]
        outside_row = next(r for r in outside.json()["rows"] if r["kpi"] == "deliveries")
        assert outside_row["values"] == [values[ev["id"]], values[direct["id"]]]
        assert client.get("/v1/compare", params={"runs": [999_999]}).status_code == 404


def test_result_files_are_downloaded(server: Server, twins: list[dict[str, Any]]) -> None:
    run_id = twins[0]["id"]
    with server.client("read") as client:
        listing = {f["name"]: f for f in client.get(f"/v1/runs/{run_id}/files").json()}
        assert {"result.json", "routes.csv", "stops.csv", "unserved.csv", "layers.gpkg",
                "geojson/routes.geojson"} <= set(listing)
        routes = client.get(listing["routes.csv"]["url"])
        assert routes.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(routes.text)))
        assert len(rows) == twins[0]["summary"]["kpi_per_week"]["routes"]
        result = client.get(listing["result.json"]["url"]).json()
        week = twins[0]["summary"]["kpi_per_week"]
        assert {k: result["kpi_per_week"].get(k) for k in KPI_COLUMNS} == week
        lines = client.get(listing["geojson/routes.geojson"]["url"]).json()
        assert lines["type"] == "FeatureCollection" and len(lines["features"]) == len(rows)
        png = client.get(listing["report/maps/small-direct.png"]["url"])
        assert png.headers["content-type"] == "image/png"
        assert png.content.startswith(b"\x89PNG")
        gpkg = client.get(listing["layers.gpkg"]["url"])
        assert gpkg.content.startswith(b"SQLite format 3")
        assert client.get(f"/v1/runs/{run_id}/files/..%2F..%2Fapi.sqlite").status_code == 404
        assert client.get(f"/v1/runs/{run_id}/files/../../api.sqlite").status_code in (404, 422)
        assert client.get(f"/v1/runs/{run_id}/files/nothing.csv").status_code == 404


def test_an_idempotency_key_returns_the_first_run(server: Server) -> None:
    with server.client("run") as client:
        body = scenario("once")
        headers = {"Idempotency-Key": "order-2026-12-01-a"}
        first = client.post("/v1/runs", json=body, headers=headers)
        again = client.post("/v1/runs", json=body, headers=headers)
        assert first.status_code == again.status_code == 202
        assert first.json()["id"] == again.json()["id"]
        assert again.headers["location"] == first.headers["location"]
        other = client.post("/v1/runs", json=scenario("twice"), headers=headers)
        assert other.status_code == 422
        listed = client.get("/v1/runs", params={"limit": 500}).json()["items"]
        assert [r["scenario_name"] for r in listed].count("once") == 1


def test_the_docs_load_without_the_internet(server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        for page in ("/docs", "/redoc"):
            html = client.get(page).text
            assert not re.search(r"https?://|//cdn|fonts\.googleapis", html), page
            assets = re.findall(r"""(?:src|href)=["']?([^"' >]+)""", html)
            assets += re.findall(r"""url: ["']([^"']+)""", html)
            assert assets, page
            for asset in assets:
                assert client.get(asset).status_code == 200, asset
        document = json.loads(client.get("/v1/openapi.json").text)
        assert document["info"]["title"]
