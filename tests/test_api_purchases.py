"""Purchase documents uploaded as a zip over real HTTP: a sound archive is kept and
imported as a job whose files are the study folder and report; an archive with a path
leaving the folder, a zip bomb, a non-archive, a body over the limit or a study outside
the roots is refused before anything is queued. The job plumbing runs here with a
stand-in import that counts documents; the real import runs where it is installed."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.context import ApiConfig
from logistics.purchases.generate import generate_purchase_year
from logistics.purchases.generated_year import YearScale
from tests.api_helpers import Server, api_server, wait_finished
from tests.purchase_fakes import counting_import_job

IMPORTS = "/v1/purchases/imports"
ZIP = {"Content-Type": "application/zip"}


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One GENERATED week for the shipped units."""
    out = tmp_path_factory.mktemp("year") / "year"
    generate_purchase_year(out, scale=YearScale(weeks=1))
    return out


def _zipped(folder: Path, *, tables: bool = True) -> bytes:
    """The delivered documents of ``folder`` (not the hostile ones) as one archive, with
    the year's tables at the top."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((folder / "documents").rglob("*")):
            if path.is_file() and "unsorted" not in path.parts:
                archive.write(path, path.relative_to(folder).as_posix())
        if tables:
            for name in ("cost_centres.csv", "postcodes.csv"):
                archive.write(folder / name, name)
    return buffer.getvalue()


def _xml_documents(body: bytes) -> int:
    """XML documents in an archive, those in archives inside it included."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.endswith(".zip"):
                count += _xml_documents(archive.read(name))
            elif name.endswith(".xml"):
                count += 1
    return count


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with api_server(tmp_path_factory.mktemp("api") / "results", runner=counting_import_job,
                    config=ApiConfig(max_request_bytes=20_000_000)) as running:
        yield running


def test_an_archive_is_imported_as_a_job_with_its_files(server: Server, year: Path) -> None:
    body = _zipped(year)
    with server.client("run") as client:
        answer = client.post(IMPORTS, content=body, headers=ZIP)
        assert answer.status_code == 202, answer.text
        run_id = answer.json()["id"]
        assert answer.headers["location"] == f"/v1/runs/{run_id}"
        assert answer.json()["kind"] == "purchases"
        record = wait_finished(client, run_id)
        assert record["status"] == "done", record
        files = {f["name"]: f["url"] for f in client.get(f"/v1/runs/{run_id}/files").json()}
        report = client.get(files["study/import_report.json"]).json()
    assert set(files) == {"study/import_report.json"}
    assert report["documents_read"] == _xml_documents(body) > 1000
    assert report["units"] == "units.csv"
    work = server.results_dir / "purchases-work" / str(run_id)
    assert not work.exists()  # the unpacked sources are gone
    assert len(list((server.results_dir / "uploads" / "purchases").glob("*.zip"))) >= 1


def test_a_retried_upload_with_its_key_returns_the_first_job(server: Server,
                                                            year: Path) -> None:
    body = _zipped(year, tables=False)
    headers = {**ZIP, "Idempotency-Key": "purchases-once"}
    with server.client("run") as client:
        first = client.post(IMPORTS, content=body, headers=headers)
        again = client.post(IMPORTS, content=body, headers=headers)
        other = client.post(IMPORTS, content=body + b" ", headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert other.status_code == 422


def _archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("body", "field", "found"), [
    (_archive({"../../outside.xml": b"<Invoice/>", "/etc/cron.d/x": b"x",
               "ok.xml": b"<Invoice/>"}), "path", "../../outside.xml"),
    (_archive({"bomb.xml": b" " * (8 * 1024 * 1024)}), "compression ratio", "to 1"),
    (b"this is not an archive", "format", "not a zip archive"),
])
def test_hostile_or_broken_archives_are_refused(server: Server, body: bytes, field: str,
                                                found: str) -> None:
    with server.client("run") as client:
        before = client.get("/v1/runs").json()["total"]
        answer = client.post(IMPORTS, content=body, headers=ZIP)
        after = client.get("/v1/runs").json()["total"]
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problems = answer.json()["problems"]
    assert any(p["field"] == field and found in p["found"] for p in problems), problems
    if field == "path":  # every bad member listed at once
        assert len([p for p in problems if p["field"] == "path"]) == 2
    assert after == before


def test_the_generated_hostile_archives_are_refused(server: Server, year: Path) -> None:
    unsorted = year / "documents" / "unsorted"
    with server.client("run") as client:
        for name, field in (("eksport-1.zip", "path"), ("eksport-2.zip", "compression ratio")):
            answer = client.post(IMPORTS, content=(unsorted / name).read_bytes(), headers=ZIP)
            assert answer.status_code == 422, answer.text
            assert [p["field"] for p in answer.json()["problems"]] == [field]


def test_a_body_over_the_limit_is_refused(tmp_path: Path, year: Path) -> None:
    with (api_server(tmp_path / "results", runner=counting_import_job,
                     config=ApiConfig(max_request_bytes=10_000)) as small,
          small.client("run") as client):
        answer = client.post(IMPORTS, content=_zipped(year), headers=ZIP)
    assert answer.status_code == 413


def test_a_study_outside_the_roots_or_a_read_key_is_refused(server: Server,
                                                            year: Path) -> None:
    body = _zipped(year, tables=False)
    with server.client("run") as client:
        for dataset_dir in ("/etc", "data/../../etc", "uploads/datasets/none"):
            answer = client.post(IMPORTS, content=body, headers=ZIP,
                                 params={"dataset_dir": dataset_dir})
            assert answer.status_code == 422, (dataset_dir, answer.text)
            assert answer.json()["problems"][0]["field"] == "dataset_dir"
            assert str(server.results_dir) not in answer.text
    with server.client("read") as client:
        assert client.post(IMPORTS, content=body, headers=ZIP).status_code == 403


def test_an_archive_without_documents_fails_as_input(server: Server) -> None:
    body = _archive({"notes.txt": b"nothing to import", "postcodes.csv": b"postal_code\n"})
    with server.client("run") as client:
        answer = client.post(IMPORTS, content=body, headers=ZIP)
        assert answer.status_code == 202, answer.text
        record = wait_finished(client, answer.json()["id"])
    assert (record["status"], record["reason"]) == ("failed", "input"), record
    assert record["problems"] and record["problems"][0]["field"] == "documents"
    assert str(server.results_dir) not in json.dumps(record)


def test_the_import_runs_as_a_job(tmp_path: Path, year: Path) -> None:
    """The shipped runner with the real import, where it is installed."""
    pytest.importorskip("logistics.purchases.importer")
    with (api_server(tmp_path / "results",
                     config=ApiConfig(max_request_bytes=20_000_000)) as real,
          real.client("run") as client):
        answer = client.post(IMPORTS, content=_zipped(year), headers=ZIP)
        assert answer.status_code == 202, answer.text
        record = wait_finished(client, answer.json()["id"], timeout_s=300)
        assert record["status"] == "done", record
        files = {f["name"]: f["url"] for f in
                 client.get(f"/v1/runs/{record['id']}/files").json()}
        texts = [client.get(url).text for name, url in files.items()
                 if name.endswith((".csv", ".json"))]
    assert {"study/orders.csv", "study/import_report.json"} <= set(files)
    planted = json.loads((year / "generated.json").read_text(encoding="utf-8"))
    for text in texts:
        assert str(real.results_dir) not in text
        assert not [p for p in planted["personal_data"] if p in text]


def test_uploads_are_described_in_the_openapi_document(server: Server) -> None:
    with httpx.Client(base_url=server.base) as client:
        document = client.get("/v1/openapi.json").json()
    operation = document["paths"][IMPORTS]["post"]
    assert "application/zip" in operation["requestBody"]["content"]
    assert {"202", "413", "422"} <= set(operation["responses"])
