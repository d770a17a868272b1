"""Security over real HTTP: no read outside the allowed roots, no server path or file
content in any answer, API keys with roles, rate, concurrency and size limits, and
uploads checked in full."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.auth import KeyStore
from api.cli import keys_app
from api.context import ApiConfig
from api.db import api_keys, connect, default_database_url
from api.paths import Roots
from logistics.paths import DATASET_DIR, PROJECT_ROOT
from tests.api_helpers import SMALL_DATASET, Server, api_server, scenario, wait_finished
from tests.api_runners import no_result, sleeping_in_child

MARKER = "SECRET-MARKER-7431"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files outside every root, each holding the marker."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.yaml").write_text(f"name: {MARKER}\ndesign: direct\n")
    (folder / "secret.csv").write_text(f"id,unit_id\n{MARKER},{MARKER}\n")
    study = folder / "study"
    shutil.copytree(DATASET_DIR, study)
    units = (study / "units.csv").read_text().splitlines()
    (study / "units.csv").write_text("\n".join([units[0], f"{MARKER},{MARKER},x"]) + "\n")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, outside: Path) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("api"), no_result) as running:
        (running.results_dir / "uploads" / "datasets" / "link").symlink_to(outside / "study")
        yield running


def _escapes(outside: Path) -> dict[str, dict[str, Any]]:
    """Scenario fields that try to read outside the roots."""
    secret = outside / "secret.yaml"
    return {
        "extends absolute": {"extends": str(secret.with_suffix(""))},
        "extends relative": {"extends": "../../../" + str(secret.with_suffix(""))},
        "extends a folder": {"extends": "bergen"},
        "extends dots": {"extends": ".."},
        "dataset_dir absolute": {"dataset_dir": str(outside / "study")},
        "dataset_dir up from uploads": {"dataset_dir": "uploads/../../../" + str(outside)},
        "dataset_dir up from data": {"dataset_dir": "data/../../" + str(outside)},
        "dataset_dir through a link": {"dataset_dir": "uploads/datasets/link"},
        "dataset_dir another project folder": {"dataset_dir": "scenarios"},
        "orders_file absolute": {"orders_file": str(outside / "secret.csv")},
        "orders_file backslashes": {"orders_file": "uploads\\..\\..\\secret.csv"},
        "orders_file with a NUL": {"orders_file": "uploads/datasets/small/units.csv\x00"},
        "dataset_dir too long a name": {"dataset_dir": "uploads/" + "a" * 300},
        "reuse file absolute": {"extends": "consolidated-ev",
                                "reuse": {"flows_file": str(outside / "secret.csv")}},
    }


@pytest.mark.parametrize("endpoint", ["/v1/scenarios/validate", "/v1/runs"])
def test_no_file_outside_the_roots_is_read(server: Server, outside: Path,
                                           endpoint: str) -> None:
    with server.client("run") as client:
        for case, fields in _escapes(outside).items():
            body = scenario("escape", **{"extends": "direct", **fields})
            answer = client.post(endpoint, json=body)
            assert 400 <= answer.status_code < 500, (case, answer.text)
            assert answer.headers["content-type"] == PROBLEM_JSON, case
            assert MARKER not in answer.text, case  # the file's content
            for path in (server.results_dir, PROJECT_ROOT):  # paths only the server knows
                assert str(path) not in answer.text, (case, answer.text)
        listed = client.get("/v1/runs").json()["items"]
    assert all(r["scenario_name"] != "escape" for r in listed)


def test_problems_in_shipped_or_uploaded_files_name_no_server_path(server: Server) -> None:
    with server.client("run") as client:
        answer = client.post("/v1/scenarios/validate",
                             json=scenario("factors", dataset_dir="data/factors"))
    assert answer.status_code == 422
    sources = {p["source"] for p in answer.json()["problems"]}
    assert "data/factors/units.csv" in sources, sources
    assert str(PROJECT_ROOT) not in answer.text and str(server.results_dir) not in answer.text


def test_keys_and_roles(server: Server) -> None:
    with server.client(None) as anonymous:
        assert anonymous.get("/v1/runs").status_code == 401
        assert anonymous.get("/v1/runs", headers={"Authorization": "Bearer lk_nope"}
                             ).status_code == 401
        assert anonymous.get("/v1/health").status_code == 200
    with server.client("read") as reader:
        assert reader.get("/v1/runs").status_code == 200
        refused = reader.post("/v1/runs", json=scenario("not-allowed"))
        assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM_JSON
    with server.client("run") as runner:
        assert runner.get("/v1/keys").status_code == 403
    with server.client("admin") as admin:
        created = admin.post("/v1/keys", json={"name": "planner", "role": "read"})
        assert created.status_code == 201
        key = created.json()
        assert created.headers["location"] == f"/v1/keys/{key['id']}"
        listed = admin.get("/v1/keys").json()
        assert all("secret" not in k for k in listed)
        assert key["id"] in {k["id"] for k in listed}
        headers = {"Authorization": f"Bearer {key['secret']}"}
        assert admin.get("/v1/runs", headers=headers).status_code == 200
        assert admin.delete(f"/v1/keys/{key['id']}").status_code == 204
        assert admin.get("/v1/runs", headers=headers).status_code == 401
        assert admin.delete(f"/v1/keys/{key['id']}").status_code == 404
        assert "revoked" in admin.get(f"/v1/keys/{key['id']}").json()["detail"]
        assert key["id"] in {k["id"] for k in admin.get("/v1/keys").json()}
        own_id = next(k["id"] for k in listed if k["name"] == "test admin")
        itself = admin.delete(f"/v1/keys/{own_id}")
        assert itself.status_code == 409 and "itself" in itself.json()["detail"]
        assert admin.get("/v1/keys").status_code == 200
        assert admin.post("/v1/keys", json={"name": "x", "role": "root"}).status_code == 422


def test_long_names_are_refused_and_never_echoed(server: Server) -> None:
    with server.client("run") as client:
        huge = client.post("/v1/runs", json=scenario("a" * 10_000_000))
        assert huge.status_code == 413
        assert huge.headers["content-type"] == PROBLEM_JSON and len(huge.text) < 1000
        long = client.post("/v1/scenarios/validate", json=scenario("a" * 50_000))
        assert long.status_code == 422 and len(long.text) < 2000
        assert long.json()["problems"][0]["field"] == "name"
        assert client.get("/v1/runs").json()["total"] == 0


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    config = ApiConfig(rate_limit_per_minute=5, max_concurrent_runs=1,
                       max_request_bytes=10_000)
    with api_server(tmp_path_factory.mktemp("limited"), sleeping_in_child, config) as running:
        yield running


def test_each_key_has_a_rate_limit(limited: Server) -> None:
    with limited.client("read") as client:
        statuses = [client.get("/v1/runs").status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        over = client.get("/v1/runs")
        assert over.headers["content-type"] == PROBLEM_JSON
        assert 1 <= int(over.headers["retry-after"]) <= 60


def test_each_key_has_a_concurrent_run_limit(limited: Server) -> None:
    with limited.client("run") as client:
        first = client.post("/v1/runs", json=scenario("first"))
        assert first.status_code == 202
        second = client.post("/v1/runs", json=scenario("second"))
        assert second.status_code == 429 and "Retry-After" in second.headers
        client.post(f"/v1/runs/{first.json()['id']}/cancel")
        assert wait_finished(client, first.json()["id"])["status"] == "cancelled"


def test_request_bodies_have_a_size_limit(limited: Server) -> None:
    with limited.client("admin") as client:
        large = client.post("/v1/scenarios/validate",
                            json=scenario("big", description="x" * 20_000))
        assert large.status_code == 413 and large.headers["content-type"] == PROBLEM_JSON

        def chunks() -> Iterator[bytes]:
            yield b'{"scenario": {"name": "'
            for _ in range(20):
                yield b"y" * 1000
            yield b'"}}'

        streamed = client.post("/v1/scenarios/validate", content=chunks(),
                               headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413


def _units_csv(rows: list[dict[str, str]]) -> str:
    with (DATASET_DIR / "units.csv").open(newline="", encoding="utf-8") as handle:
        fields = list(csv.DictReader(handle).fieldnames or [])
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()


def test_study_data_is_uploaded_and_checked_in_full(server: Server) -> None:
    with (DATASET_DIR / "units.csv").open(newline="", encoding="utf-8") as handle:
        shipped = list(csv.DictReader(handle))[:5]
    bad = [dict(shipped[0], lat="95"), dict(shipped[1], size="-3"), *shipped[2:]]
    url = "/v1/uploads/datasets/mine/units.csv"
    csv_type = {"Content-Type": "text/csv"}
    with server.client("run") as client:
        refused = client.put(url, content=_units_csv(bad), headers=csv_type)
        assert refused.status_code == 422, refused.text
        problems = refused.json()["problems"]
        assert {p["field"] for p in problems} >= {"lat", "size"}
        assert {p["source"] for p in problems} == {"uploads/datasets/mine/units.csv"}
        assert str(server.results_dir) not in refused.text
        assert "mine" not in {s["name"] for s in client.get("/v1/uploads/datasets").json()}
        assert client.put(url, content=b"\xff\xfe", headers=csv_type).status_code == 422
        kept = client.put(url, content=_units_csv(shipped), headers=csv_type)
        assert kept.status_code == 200, kept.text
        assert kept.json() == {"name": "mine", "dataset_dir": "uploads/datasets/mine",
                               "files": ["units.csv"], "orders_file": None,
                               "notes": ["units.csv: read as CSV with ',' between cells "
                                         "and a decimal point"]}
        checked = client.post("/v1/scenarios/validate",
                              json=scenario("mine", dataset_dir="uploads/datasets/mine"))
        assert checked.status_code == 200, checked.text
        unit = shipped[0]["id"]
        header = ("id,unit_id,category,supplier_id,demand_kg_per_week,volume_m3_per_week,"
                  "deliveries_per_week\n")
        orders_url = "/v1/uploads/datasets/mine/orders.csv"
        wrong = client.put(orders_url, headers=csv_type, content=header
                           + f"o1,{unit},dry_food,sup-dry-food,10,0.1,9\n"
                           + f"o2,{unit},dry_food,sup-dry-food,-5,0.1,1\n")
        assert wrong.status_code == 422
        problems = wrong.json()["problems"]
        assert {p["field"] for p in problems} == {"deliveries_per_week", "demand_kg_per_week"}
        assert {p["source"] for p in problems} == {"uploads/datasets/mine/orders.csv"}
        unknown = client.put(orders_url, headers=csv_type, content=header
                             + "o1,nowhere,dry_food,sup-dry-food,10,0.1,1\n")
        assert [p["found"] for p in unknown.json()["problems"]] == ["'nowhere'"]
        right = client.put(orders_url, headers=csv_type, content=header
                           + f"o1,{unit},dry_food,sup-dry-food,10,0.1,1\n")
        assert right.status_code == 200, right.text
        orders_file = right.json()["orders_file"]
        assert orders_file == "uploads/datasets/mine/orders.csv"
        with_orders = client.post("/v1/scenarios/validate", json=scenario(
            "mine", dataset_dir="uploads/datasets/mine", orders_file=orders_file))
        assert with_orders.status_code == 200, with_orders.text
        assert client.put("/v1/uploads/datasets/../units.csv", content=b"x").status_code \
            in (404, 422)
        assert client.put("/v1/uploads/datasets/mine/passwd", content=b"x").status_code == 422


def test_uploaded_scenarios_are_extended_by_name(server: Server) -> None:
    with server.client("run") as client:
        stored = client.put("/v1/uploads/scenarios/small-ev",
                            json=scenario("ignored", "consolidated-ev"))
        assert stored.status_code == 200, stored.text
        assert stored.json()["scenario"]["dataset_dir"] == SMALL_DATASET
        child = client.post("/v1/scenarios/validate",
                            json={"scenario": {"name": "child", "extends": "small-ev"}})
        assert child.status_code == 200, child.text
        assert child.json()["scenario"]["hub"] == "kokstad"
        listing = {s["name"]: s["origin"] for s in client.get("/v1/scenarios").json()}
        assert listing["small-ev"] == "uploaded" and listing["direct"] == "shipped"
        assert client.put("/v1/uploads/scenarios/direct",
                          json=scenario("x")).status_code == 409


def test_logistics_keys_prints_the_secret_once_and_stores_its_hash(tmp_path: Path) -> None:
    url = default_database_url(tmp_path)
    created = CliRunner().invoke(keys_app, ["create", "--role", "run", "--name", "planner",
                                            "--database-url", url])
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    engine = connect(url)
    with engine.connect() as connection:
        stored = " ".join(str(v) for row in connection.execute(api_keys.select())
                          for v in row)
    assert secret not in stored
    assert hashlib.sha256(secret.encode()).hexdigest() in stored
    key = KeyStore(engine).authenticate(secret)
    assert key is not None and (key.role, key.name) == ("run", "planner")
    listed = CliRunner().invoke(keys_app, ["list", "--database-url", url])
    assert "planner" in listed.output and secret not in listed.output
    assert CliRunner().invoke(keys_app, ["revoke", str(key.id), "--database-url", url]
                              ).exit_code == 0
    assert KeyStore(engine).authenticate(secret) is None
    wrong = CliRunner().invoke(keys_app, ["create", "--role", "root", "--database-url", url])
    assert wrong.exit_code == 2
    engine.dispose()


def test_answers_write_roots_as_labels_and_cut_other_paths(tmp_path: Path) -> None:
    roots = Roots(tmp_path / "results")
    text = (f"{roots.uploads_dir}/datasets/a/units.csv; {PROJECT_ROOT}/data/bergen/hubs.csv; "
            f"'{tmp_path}/elsewhere/roads.geojson' C:\\Users\\me\\x.csv "
            "https://example.org/factors/table and data/bergen/units.csv")
    assert roots.scrub(text) == (
        "uploads/datasets/a/units.csv; data/bergen/hubs.csv; 'roads.geojson' x.csv "
        "https://example.org/factors/table and data/bergen/units.csv")


def test_weeks_by_unit_type_are_uploaded_and_checked(server: Server) -> None:
    url = "/v1/uploads/datasets/weeks/unit_weeks.csv"
    csv_type = {"Content-Type": "text/csv"}
    header = "unit_type,weeks_per_year,source\n"
    with server.client("run") as client:
        refused = client.put(url, content=header + "school,60,too many\n", headers=csv_type)
        assert refused.status_code == 422, refused.text
        (problem,) = refused.json()["problems"]
        assert problem["field"] == "weeks_per_year"
        assert problem["source"] == "uploads/datasets/weeks/unit_weeks.csv"
        kept = client.put(url, content=header + "school,40,ours\nkindergarten,48,ours\n",
                          headers=csv_type)
        assert kept.status_code == 200, kept.text
        assert kept.json()["files"] == ["unit_weeks.csv"]
