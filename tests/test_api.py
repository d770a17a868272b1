"""The HTTP API over real HTTP: a uvicorn server on loopback, httpx as the client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from logistics.errors import InputError, Problem
from logistics.scenarios.schema import Scenario
from logistics.settings import Settings
from logistics.travel.network.cache import NetworkStore
from logistics.travel.network.sources import load_network_file
from tests.network_helpers import write_two_road_network

from .conftest import make_small_study


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port; yields its base URL."""
    port = _free_port()
    instance = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("api")
    study = make_small_study(root / "study")
    settings = Settings(results_dir=root / "results", workers=1)
    with _serving(create_app(settings)) as base:
        yield base, study


def _scenario(study: Path, name: str, extends: str) -> dict[str, Any]:
    return {"scenario": {"name": name, "extends": extends, "study_dir": str(study),
                         "solver": {"time_limit_s": 2, "solution_limit": 20}}}


def _wait(client: httpx.Client, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        record: dict[str, Any] = client.get(f"/runs/{run_id}").json()
        if record["status"] in ("done", "failed"):
            return record
        assert time.monotonic() < deadline, record
        time.sleep(0.2)


def test_health_and_scenario_listing(server: tuple[str, Path]) -> None:
    base, _ = server
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/health").json()["status"] == "ok"
        listing = {s["file"]: s for s in client.get("/scenarios").json()}
        assert listing["direct"]["design"] == "direct"
        assert listing["hub-outage-3d"]["disruptions"] >= 1


def test_invalid_scenario_gets_422_with_every_problem(server: tuple[str, Path]) -> None:
    base, _ = server
    with httpx.Client(base_url=base, timeout=30) as client:
        response = client.post("/runs", json={"scenario": {
            "name": "Bad Name", "extends": "consolidated-ev",
            "frequency_per_week": {"default": 12}, "solver": {"time_limit_s": -1}}})
        assert response.status_code == 422
        fields = {p["field"] for p in response.json()["problems"]}
        assert {"name", "frequency_per_week", "solver.time_limit_s"} <= fields
        missing_base = client.post("/scenarios/validate", json={"scenario": {
            "name": "x", "extends": "no-such-scenario"}})
        assert missing_base.status_code == 422
        assert missing_base.json()["problems"][0]["field"] == "extends"
        assert client.get("/runs/999").status_code == 404


def test_runs_are_stored_solved_and_compared(server: tuple[str, Path]) -> None:
    base, study = server
    with httpx.Client(base_url=base, timeout=30) as client:
        merged = client.post("/scenarios/validate",
                             json=_scenario(study, "small-ev", "consolidated-ev")).json()
        assert merged["design"] == "consolidated" and merged["hub"] == "kokstad"
        ids = [client.post("/runs", json=_scenario(study, name, extends)).json()["id"]
               for name, extends in (("small-direct", "direct"),
                                     ("small-ev", "consolidated-ev"))]
        records = [_wait(client, run_id) for run_id in ids]
        assert [r["status"] for r in records] == ["done", "done"], records
        direct, ev = (r["summary"] for r in records)
        assert ev["kpi_per_week"]["deliveries"] < direct["kpi_per_week"]["deliveries"]
        assert direct["travel_model"] == "crow_fly"
        stops = client.get(f"/runs/{ids[1]}/routes").json()
        assert stops and {"vehicle_id", "site_id", "arrival_hhmm", "orders"} <= set(stops[0])
        assert client.get(f"/runs/{ids[1]}/unserved").json() == []
        compared = client.get("/compare", params={"runs": ids}).json()
        row = next(r for r in compared["rows"] if r["kpi"] == "deliveries")
        assert row["small-ev_change"] == pytest.approx(
            ev["kpi_per_week"]["deliveries"] - direct["kpi_per_week"]["deliveries"])
        listed = client.get("/runs").json()
        assert {r["id"] for r in listed} >= set(ids)


def test_a_scenario_naming_missing_things_is_refused_with_every_problem(
    server: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, study = server
    monkeypatch.setenv("LOGISTICS_CACHE_DIR", str(tmp_path / "cache"))
    road = {"model": "road", "network": "nowhere"}
    with httpx.Client(base_url=base, timeout=30) as client:
        lost = _scenario(tmp_path / "no-study", "lost", "direct")
        lost["scenario"]["travel"] = road
        response = client.post("/runs", json=lost)
        assert response.status_code == 422
        problems = response.json()["problems"]
        assert any("units.csv" in p["source"] for p in problems)
        assert any(p["field"] == "network" and p["found"] == "nowhere" for p in problems)
        unknown = _scenario(study, "unknown-hub", "consolidated-ev")
        unknown["scenario"].update(hub="atlantis", travel=road)
        response = client.post("/scenarios/validate", json=unknown)
        assert response.status_code == 422
        found = {(p["field"], p["found"]) for p in response.json()["problems"]}
        assert {("hub", "'atlantis'"), ("network", "nowhere")} <= found
        assert all(r["scenario"] not in ("lost", "unknown-hub") for r in client.get("/runs").json())


def test_road_networks_are_listed_and_can_be_named(
    server: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, study = server
    monkeypatch.setenv("LOGISTICS_CACHE_DIR", str(tmp_path / "cache"))
    roads = write_two_road_network(tmp_path / "roads.geojson")
    NetworkStore().save(load_network_file(roads, "two-roads"), "test")
    with httpx.Client(base_url=base, timeout=30) as client:
        (listed,) = client.get("/networks").json()
        assert listed["name"] == "two-roads" and "roads.geojson" in listed["source"]
        scenario = _scenario(study, "on-roads", "direct")
        scenario["scenario"]["travel"] = {"model": "road", "network": "two-roads"}
        checked = client.post("/scenarios/validate", json=scenario)
        assert checked.status_code == 422, checked.text  # a toy network far from Bergen
        problems = checked.json()["problems"]
        assert problems and all(p["field"] == "lon/lat" for p in problems)
        assert all("km outside the network" in p["found"] for p in problems)
        assert len(problems) == len({p["location"] for p in problems})


def test_a_run_that_fails_while_running_reports_its_problems(tmp_path: Path) -> None:
    study = make_small_study(tmp_path / "study")

    def failing(_: Scenario) -> None:
        raise InputError([Problem("orders", "row 3", "kg", "-1", ">= 0")])

    app = create_app(Settings(results_dir=tmp_path / "results", workers=1), runner=failing)
    with _serving(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        run_id = client.post("/runs", json=_scenario(study, "doomed", "direct")).json()["id"]
        record = _wait(client, run_id)
        assert record["status"] == "failed"
        assert record["problems"] == [
            {"source": "orders", "location": "row 3", "field": "kg", "found": "-1",
             "allowed": ">= 0"}
        ]
        assert client.get(f"/runs/{run_id}/routes").status_code == 409
