"""The planner's API over real HTTP: nothing silently wrong (runs on different data are
not compared without a flag, every run names its data set, unknown frequency keys and
unit types without demand rates are input problems), jobs belong to their key, the
comparison carries units and its decomposition, every job's files come as one zip."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api_helpers import (
    FAST_SOLVER,
    SMALL_DATASET,
    STUDY_SOLVER,
    Server,
    api_server,
    scenario,
    wait_finished,
)
from tests.api_runners import sleeping_in_child
from tests.conftest import make_small_dataset


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("api") / "results") as running:
        yield running


def _units_csv(folder: Path) -> str:
    return (folder / "units.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def three_units(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An uploaded study of three units (the small study has four): other study data."""
    small = make_small_dataset(tmp_path_factory.mktemp("three") / "s", units=3)
    with server.client("run") as client:
        answer = client.put("/v1/uploads/datasets/three/units.csv",
                            content=_units_csv(small), headers={"Content-Type": "text/csv"})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["dataset_dir"])


def _done(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post("/v1/runs", json={**body, "maps": False})
    assert answer.status_code == 202, answer.text
    record = wait_finished(client, answer.json()["id"], timeout_s=300)
    assert record["status"] == "done", record
    return record


@pytest.fixture(scope="module")
def runs(server: Server, three_units: str) -> dict[str, dict[str, Any]]:
    """Done runs: direct and consolidated on the small study, direct on three units."""
    with server.client("run") as client:
        return {
            "direct": _done(client, scenario("small-direct")),
            "hub": _done(client, scenario("small-hub", "consolidated-ev")),
            "three": _done(client, {"scenario": {
                "name": "three-direct", "extends": "direct", "dataset_dir": three_units,
                "solver": FAST_SOLVER}}),
        }


def test_every_run_names_its_data_set(runs: dict[str, dict[str, Any]]) -> None:
    direct, hub, three = (runs[k]["summary"]["data_set"] for k in ("direct", "hub", "three"))
    assert direct["dataset_dir"] == SMALL_DATASET
    assert three["dataset_dir"] == "uploads/datasets/three"
    assert direct["orders_file"] is None and direct["orders_sha256"] is None
    assert direct["dataset_sha256"] == hub["dataset_sha256"] != three["dataset_sha256"]
    assert len(direct["dataset_sha256"]) == 64


def test_runs_on_different_study_data_are_not_compared_without_the_flag(
        server: Server, runs: dict[str, dict[str, Any]]) -> None:
    direct, three = runs["direct"]["id"], runs["three"]["id"]
    with server.client("read") as client:
        refused = client.get("/v1/compare", params={"runs": [direct, three]})
        assert refused.status_code == 422, refused.text
        assert "different data set" in refused.json()["detail"]
        assert "allow_different_data" in refused.json()["detail"]
        allowed = client.get("/v1/compare", params={"runs": [direct, three],
                                                    "allow_different_data": "true"})
        assert allowed.status_code == 200, allowed.text
        body = allowed.json()
        assert len(body["data_differences"]) == 1
        assert "uploads/datasets/three" in body["data_differences"][0]
        assert body["notes"][0].startswith("Not like for like")
    with server.client("run") as client:
        report = client.post("/v1/comparisons", json={"runs": [direct, three]})
        assert report.status_code == 422, report.text
        assert "different data set" in report.json()["detail"]


def test_the_comparison_carries_units_and_its_decomposition(
        server: Server, runs: dict[str, dict[str, Any]]) -> None:
    direct, hub = runs["direct"], runs["hub"]
    with server.client("read") as client:
        answer = client.get("/v1/compare", params={"runs": [direct["id"], hub["id"]]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["data_differences"] == []
    units = {row["kpi"]: row["unit"] for row in body["rows"]}
    assert units["vehicle_km"] == "km"
    assert units["co2e_wtw_kg"] == "kg"
    assert units["cost_nok"] == "NOK"
    assert units["served_demand_share"] == "share 0..1"
    changes = {change["kpi"]: change for change in body["decomposition"]}
    assert set(changes) == {"vehicle_km", "co2e_wtw_kg", "cost_nok"}
    for kpi, change in changes.items():
        expected = (hub["summary"]["kpi_per_week"][kpi]
                    - direct["summary"]["kpi_per_week"][kpi])
        assert change["run_id"] == hub["id"]
        assert change["total"] == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert sum(p["value"] for p in change["parts"]) == pytest.approx(expected, abs=1e-6)
    assert runs["direct"]["summary"]["kpi_units"]["vehicle_km"] == "km"


def test_files_zip_holds_every_listed_file(server: Server,
                                           runs: dict[str, dict[str, Any]]) -> None:
    run_id = runs["direct"]["id"]
    with server.client("read") as client:
        listing = {f["name"]: f["url"] for f in client.get(f"/v1/runs/{run_id}/files").json()}
        answer = client.get(f"/v1/runs/{run_id}/files.zip")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        assert set(archive.namelist()) == set(listing)
        assert archive.read("stops.csv") == client.get(listing["stops.csv"]).content
    assert not list(server.results_dir.glob("**/*.zip"))


def test_report_jobs_read_right(server: Server, runs: dict[str, dict[str, Any]]) -> None:
    direct, hub = runs["direct"]["id"], runs["hub"]["id"]
    with server.client("run") as client:
        answer = client.post("/v1/comparisons", json={"runs": [direct, hub],
                                                      "baseline": direct})
        assert answer.status_code == 202, answer.text
        assert answer.json()["scenario_name"] == \
            f"report of run {hub} against baseline run {direct}"
        client.post(f"/v1/runs/{answer.json()['id']}/cancel")


def test_frequency_keys_must_name_a_category_or_its_temperature_class(
        server: Server) -> None:
    body = scenario("twice", "consolidated-ev",
                    frequency_per_week={"frozen": 2, "chilled": 3, "bakery": 2})
    with server.client("read") as client:
        answer = client.post("/v1/scenarios/validate", json=body)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert [p["field"] for p in problems] == ["frequency_per_week.frozen"]
    assert "['ambient', 'chilled']" in problems[0]["allowed"]
    assert "chilled_food" in problems[0]["allowed"]


def test_a_unit_type_without_demand_rates_is_an_input_problem(
        server: Server, tmp_path: Path) -> None:
    small = make_small_dataset(tmp_path / "s", units=4)
    rows = list(csv.DictReader(io.StringIO(_units_csv(small))))
    rows[0]["unit_type"] = "nursing_home"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with server.client("run") as client:
        uploaded = client.put("/v1/uploads/datasets/care/units.csv", content=text.getvalue(),
                              headers={"Content-Type": "text/csv"})
        assert uploaded.status_code == 200, uploaded.text
        answer = client.post("/v1/scenarios/validate", json={"scenario": {
            "name": "care", "extends": "direct", "dataset_dir": "uploads/datasets/care"}})
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert len(problems) == 1
    assert problems[0]["field"] == "unit_type"
    assert problems[0]["found"] == "'nursing_home'"
    assert rows[0]["id"] in problems[0]["location"]
    assert "['kindergarten', 'school']" in problems[0]["allowed"]


def test_a_missing_column_is_one_header_problem(server: Server, tmp_path: Path) -> None:
    small = make_small_dataset(tmp_path / "s", units=4)
    rows = list(csv.DictReader(io.StringIO(_units_csv(small))))
    text = io.StringIO()
    columns = [c for c in rows[0] if c != "size"] + ["colour"]
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows({**row, "colour": "red"} for row in rows)
    with server.client("run") as client:
        answer = client.put("/v1/uploads/datasets/columns/units.csv", content=text.getvalue(),
                            headers={"Content-Type": "text/csv"})
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert {(p["location"], p["field"], p["found"]) for p in problems} == {
        ("header", "size", "no such column"), ("header", "colour", "an unknown column")}
    assert "Value error" not in answer.text


def test_only_the_key_that_made_a_job_or_an_admin_cancels_it(tmp_path: Path) -> None:
    with api_server(tmp_path / "results", sleeping_in_child) as server, \
            server.client("admin") as admin:
        other = admin.post("/v1/keys", json={"name": "another planner", "role": "run"})
        assert other.status_code == 201, other.text
        with server.client("run") as owner, httpx.Client(
                base_url=server.base, timeout=60,
                headers={"Authorization": f"Bearer {other.json()['secret']}"}) as stranger:
            run_id = owner.post("/v1/runs", json=scenario("mine")).json()["id"]
            refused = stranger.post(f"/v1/runs/{run_id}/cancel")
            assert refused.status_code == 403, refused.text
            assert "another API key" in refused.json()["detail"]
            assert owner.get(f"/v1/runs/{run_id}").json()["status"] in ("queued", "running")
            assert owner.post(f"/v1/runs/{run_id}/cancel").status_code == 200
            second = owner.post("/v1/runs", json=scenario("mine-too")).json()["id"]
            assert admin.post(f"/v1/runs/{second}/cancel").status_code == 200
            assert wait_finished(owner, second)["status"] == "cancelled"


def test_catalogues_are_typed_with_units(server: Server) -> None:
    with server.client("read") as client:
        answers = {name: client.get(f"/v1/catalogue/{name}") for name in (
            "categories", "vehicle-types", "hubs", "unit-types", "disruption-types", "kpis")}
        uploaded = client.get("/v1/catalogue/unit-types",
                              params={"dataset_dir": SMALL_DATASET}).json()
        missing = client.get("/v1/catalogue/hubs",
                             params={"dataset_dir": "uploads/datasets/nowhere"})
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 200)
    shipped = list(csv.DictReader(io.StringIO(
        (Path("data/bergen/categories.csv")).read_text(encoding="utf-8"))))
    assert [c["id"] for c in answers["categories"].json()] == [r["id"] for r in shipped]
    hub = {h["id"]: h for h in answers["hubs"].json()}["kokstad"]
    assert hub["opening_hhmm"] == "06:00-18:00"
    assert hub["capacity_kg_per_day"] > 0 and hub["illustrative"] is True
    assert {"capacity_kg", "energy_kwh_per_km_full", "cost_nok_per_km"} <= set(
        answers["vehicle-types"].json()[0])
    by_type = {t["unit_type"]: t for t in answers["unit-types"].json()}
    assert by_type["kindergarten"]["units"] == 96 and by_type["nursing_home"]["units"] == 0
    assert by_type["nursing_home"]["demand_rates"] == []
    assert {r["category"] for r in by_type["school"]["demand_rates"]} >= {"dry_food"}
    assert {t["unit_type"]: t["units"] for t in uploaded}["kindergarten"] == 2
    types = {t["type"] for t in answers["disruption-types"].json()}
    assert {"supplier_outage", "hub_outage", "road_closure", "demand_surge"} <= types
    units = {k["kpi"]: k["unit"] for k in answers["kpis"].json()}
    assert units["co2e_wtw_kg"] == "kg" and units["vehicle_hours"] == "h"
    assert missing.status_code == 404


def test_the_openapi_document_walks_through_the_workflow(server: Server) -> None:
    with httpx.Client(base_url=server.base) as client:
        info = client.get("/v1/openapi.json").json()["info"]
    text = info["description"]
    for step in ("POST /v1/scenarios/validate", "POST /v1/runs", "GET /v1/runs/{id}",
                 "GET /v1/compare", "POST /v1/comparisons", "GET /v1/catalogue/categories",
                 "/hubs",
                 "Authorization: Bearer KEY", "600 requests a minute",
                 "4 jobs queued or running", "5,000,000 bytes", "per API key"):
        assert step in text, step


def test_validation_shows_what_was_inherited(server: Server) -> None:
    body = scenario("kokstad-2x", "consolidated-ev", frequency_per_week={"default": 2},
                    shift=["06:30", "15:00"], hub="kokstad")
    with server.client("read") as client:
        answer = client.post("/v1/scenarios/validate", json=body)
        listing = {s["name"]: s for s in client.get("/v1/scenarios").json()}
    assert answer.status_code == 200, answer.text
    checked = answer.json()
    assert checked["scenario"]["shift"] == [[6 * 3600 + 30 * 60, 15 * 3600]]
    assert "fleet" in checked["inherited"]
    assert "frequency_per_week.chilled" in checked["inherited"]
    assert "frequency_per_week.default" not in checked["inherited"]
    assert "hub" not in checked["inherited"]
    note = [n for n in checked["notes"] if n.startswith("frequency_per_week")]
    assert len(note) == 1 and "'default'" in note[0]
    assert "chilled 3" in note[0] and "bakery 3" in note[0], note
    description = checked["scenario"]["description"]
    assert description.startswith("[Inherited from 'consolidated-ev'")
    assert listing["consolidated-ev"]["description"] in description
    assert not listing["consolidated-ev"]["description"].startswith("[Inherited")


def test_shift_in_seconds_is_still_accepted(server: Server) -> None:
    with server.client("read") as client:
        answer = client.post("/v1/scenarios/validate", json=scenario(
            "seconds", shift=[[23400, 57600]]))
        wrong = client.post("/v1/scenarios/validate", json=scenario(
            "wrong", shift=["06:30", "25:00"]))
    assert answer.status_code == 200, answer.text
    assert answer.json()["scenario"]["shift"] == [[23400, 57600]]
    assert wrong.status_code == 422
    assert "Value error" not in wrong.text and "25:00" in wrong.text


def _small_rows(tmp_path: Path) -> list[dict[str, str]]:
    small = make_small_dataset(tmp_path / "s", units=4)
    return list(csv.DictReader(io.StringIO(_units_csv(small))))


def _stored_units(server: Server, name: str) -> list[dict[str, str]]:
    path = server.results_dir / "uploads" / "datasets" / name / "units.csv"
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_norwegian_spreadsheet_export_is_read_and_said_so(server: Server,
                                                            tmp_path: Path) -> None:
    rows = _small_rows(tmp_path)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), delimiter=";",
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({**row, "lon": row["lon"].replace(".", ","),
                      "lat": row["lat"].replace(".", ",")} for row in rows)
    body = ("\ufeff" + text.getvalue()).encode("utf-8")
    with server.client("run") as client:
        answer = client.put("/v1/uploads/datasets/semicolons/units.csv", content=body,
                            headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["notes"] == [
        "units.csv: read as CSV with ';' between cells and a decimal comma "
        f"({2 * len(rows)} numbers read with a point)"]
    stored = _stored_units(server, "semicolons")
    assert [(float(r["lon"]), float(r["lat"])) for r in stored] == \
        [(float(r["lon"]), float(r["lat"])) for r in rows]


def test_multipart_and_xlsx_uploads(server: Server, tmp_path: Path) -> None:
    from openpyxl import Workbook

    rows = _small_rows(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Enheter"
    sheet.append(list(rows[0]))
    numeric = {"size", "lon", "lat", "service_time_s"}
    for row in rows:
        sheet.append([float(v) if k in numeric else (v or None) for k, v in row.items()])
    workbook.save(tmp_path / "units.xlsx")
    text = _units_csv(tmp_path / "s")
    with server.client("run") as client:
        form = client.put("/v1/uploads/datasets/form/units.csv",
                          files={"file": ("units.csv", text.encode(), "text/csv")})
        xlsx = client.put("/v1/uploads/datasets/book/units.csv",
                          content=(tmp_path / "units.xlsx").read_bytes(),
                          headers={"Content-Type": "application/vnd.openxmlformats-"
                                                   "officedocument.spreadsheetml.sheet"})
    assert form.status_code == 200, form.text
    assert _stored_units(server, "form") == rows
    assert xlsx.status_code == 200, xlsx.text
    assert xlsx.json()["notes"] == ["units.csv: read from the first sheet ('Enheter') of an "
                                    "XLSX workbook"]
    stored = _stored_units(server, "book")
    assert [r["id"] for r in stored] == [r["id"] for r in rows]
    assert [float(r["lat"]) for r in stored] == [float(r["lat"]) for r in rows]
    assert [r["time_windows"] for r in stored] == [r["time_windows"] for r in rows]


def test_a_unit_far_outside_its_district_is_warned_of(server: Server, tmp_path: Path) -> None:
    rows = _small_rows(tmp_path)
    moved = rows[0]
    moved["lat"] = f"{float(moved['lat']) + 0.09:.6f}"  # 0.09 degrees north: 10 km
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with server.client("run") as client:
        answer = client.put("/v1/uploads/datasets/moved/units.csv", content=text.getvalue(),
                            headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text
    warnings = answer.json()["notes"][1:]
    assert len(warnings) == 1
    assert moved["id"] in warnings[0] and moved["district"] in warnings[0]
    assert "outside its registered district" in warnings[0]


def test_the_client_compares_into_a_table_and_downloads_every_file(
        server: Server, runs: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    from logistics.client import ApiError, PlannerClient

    direct, hub = runs["direct"], runs["hub"]
    with PlannerClient(server.base, server.secrets["read"]) as api:
        table = api.compare([direct["id"], hub["id"]])
        files = api.download_files(hub["id"], tmp_path / "hub")
        with pytest.raises(ApiError) as refused:
            api.compare([direct["id"], runs["three"]["id"]])
    week = hub["summary"]["kpi_per_week"]
    assert table.loc["vehicle_km", "unit"] == "km"
    assert table.loc["vehicle_km", f"run {hub['id']}"] == pytest.approx(week["vehicle_km"])
    assert table.loc["cost_nok", f"run {hub['id']} change"] == pytest.approx(
        week["cost_nok"] - direct["summary"]["kpi_per_week"]["cost_nok"])
    assert table.attrs["baseline_run"] == direct["id"]
    assert {f.relative_to(tmp_path / "hub").as_posix() for f in files} == {
        f["name"] for f in httpx.get(f"{server.base}/v1/runs/{hub['id']}/files", headers={
            "Authorization": f"Bearer {server.secrets['read']}"}).json()}
    assert refused.value.status_code == 422


def test_a_report_attaches_only_done_batch_studies(server: Server,
                                                   runs: dict[str, dict[str, Any]]) -> None:
    direct, hub = runs["direct"]["id"], runs["hub"]["id"]
    with server.client("run") as client:
        not_a_study = client.post("/v1/comparisons", json={"runs": [direct, hub],
                                                           "studies": [hub]})
        missing = client.post("/v1/comparisons", json={"runs": [direct, hub],
                                                       "studies": [999999]})
    assert not_a_study.status_code == 409, not_a_study.text
    assert "needs a study" in not_a_study.json()["detail"]
    assert missing.status_code == 404, missing.text


def test_a_report_of_runs_on_different_data_says_so_first(
        server: Server, runs: dict[str, dict[str, Any]]) -> None:
    direct, three = runs["direct"]["id"], runs["three"]["id"]
    with server.client("run") as client:
        answer = client.post("/v1/comparisons", json={
            "runs": [direct, three], "allow_different_data": True, "lang": "nb"})
        assert answer.status_code == 202, answer.text
        job = wait_finished(client, answer.json()["id"], timeout_s=300)
        assert job["status"] == "done", job
        archive = zipfile.ZipFile(io.BytesIO(
            client.get(f"/v1/runs/{job['id']}/files.zip").content))
    html = archive.read("report.html").decode("utf-8")
    box = html.split('class="caveat-box">', 1)[1].split("</p>", 1)[0]
    assert box.lstrip().startswith("Ikke sammenlignbart uten videre")
    assert "uploads/datasets/three" in box
    links = set(re.findall(r'(?:src|href)="([^"#][^"]*)"', html))
    assert links, "the report links no files"
    names = archive.namelist()
    dangling = {link for link in links if link not in names
                and not (link.endswith("/") and any(n.startswith(link) for n in names))}
    assert not dangling, dangling
    assert not any(link.startswith(("/", "http")) for link in links), links


def test_a_report_attaches_a_batch_study_by_id(server: Server,
                                               runs: dict[str, dict[str, Any]]) -> None:
    direct, hub = runs["direct"]["id"], runs["hub"]["id"]
    study = {"study": {"name": "weeks", "base": "direct",
                       "overrides": {"dataset_dir": SMALL_DATASET, "solver": STUDY_SOLVER},
                       "grid": {"weeks_per_year": [46, 23]}}}
    with server.client("run") as client:
        queued = client.post("/v1/studies", json=study)
        assert queued.status_code == 202, queued.text
        done = wait_finished(client, queued.json()["id"], timeout_s=300)
        assert done["status"] == "done", done
        answer = client.post("/v1/comparisons", json={"runs": [direct, hub],
                                                      "studies": [done["id"]]})
        assert answer.status_code == 202, answer.text
        report = wait_finished(client, answer.json()["id"], timeout_s=300)
        assert report["status"] == "done", report
        html = client.get(f"/v1/runs/{report['id']}/files/report.html").text
    assert "Study weeks" in html
    assert "No batch study was given" not in html
    assert str(server.results_dir) not in html
