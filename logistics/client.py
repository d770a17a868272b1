"""A thin Python client of the planner's HTTP API (``logistics serve``).

It speaks HTTP only, so it works against any server the key is valid on::

    from logistics.client import PlannerClient

    with PlannerClient("http://127.0.0.1:8000", key) as api:
        run = api.run_and_wait({"name": "kokstad-2x", "extends": "consolidated-ev",
                                "frequency_per_week": {"default": 2}})
        table = api.compare([baseline_id, run["id"]])
        api.download_files(run["id"], "results/kokstad-2x")

An answer the API refuses raises :class:`ApiError` carrying its problems (field, what
was found, what is allowed).
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict

import httpx
import pandas as pd

from logistics.io.archives import checked_members, extract_checked, open_archive
from logistics.io.durable import JsonValue

FINISHED = ("done", "failed", "cancelled")
MAX_FILES_RATIO = 1000.0
"""The unpacked-to-packed ratio a job's archive may have (tables compress well)."""
QueryValue = str | int | float | bool | None | Sequence[str | int | float | bool | None]
"""A query parameter's value: one value, or a list sent as the parameter repeated."""


class ProblemRecord(TypedDict):
    """One input problem of an answer (the API's ``InputProblem``)."""

    source: str
    location: str
    field: str
    found: str
    allowed: str


class JobRecord(TypedDict):
    """A job as ``GET /v1/runs/{id}`` answers (the API's ``Run``); ``summary`` is the
    done run's summary (the head of its ``result.json``)."""

    id: int
    kind: str
    scenario_name: str
    status: str
    reason: str | None
    message: str | None
    problems: list[ProblemRecord]
    summary: dict[str, JsonValue] | None
    started_by: dict[str, JsonValue] | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class ValidatedRecord(TypedDict):
    """``POST /v1/scenarios/validate``: the scenario merged with its bases, the fields
    it inherited (dotted paths) and notes."""

    scenario: dict[str, JsonValue]
    inherited: list[str]
    notes: list[str]


class UploadedDataSetRecord(TypedDict):
    """An uploaded study file's answer: ``dataset_dir`` (and ``orders_file``) name it
    in a scenario."""

    name: str
    dataset_dir: str
    files: list[str]
    orders_file: str | None
    notes: list[str]


class ComparedValueRecord(TypedDict):
    run_id: int
    value: float | None
    change: float | None
    change_pct: float | None


class ComparedKpiRecord(TypedDict):
    kpi: str
    unit: str
    description: str
    values: list[ComparedValueRecord]


class ComparisonRecord(TypedDict):
    """``GET /v1/compare`` (the API's ``Comparison``), as :meth:`PlannerClient.compare`
    reads it."""

    baseline_run: int
    period: str
    runs: list[dict[str, JsonValue]]
    rows: list[ComparedKpiRecord]
    decomposition: list[dict[str, JsonValue]]
    data_differences: list[str]
    notes: list[str]


Progress = Callable[[JobRecord, float], None]
"""Called with a job's record and the seconds waited, whenever its status changes."""


class ApiError(Exception):
    """An answer of 4xx or 5xx: its status, detail and problems."""

    def __init__(self, status_code: int, detail: str, problems: list[ProblemRecord]):
        lines = [f"{p.get('source')}: {p.get('location')}: field {p.get('field')!r}: found "
                 f"{p.get('found')}; allowed: {p.get('allowed')}" for p in problems]
        super().__init__("\n  ".join([f"HTTP {status_code}: {detail}", *lines]))
        self.status_code = status_code
        self.detail = detail
        self.problems = problems


class JobFailed(Exception):
    """A job that finished ``failed`` or ``cancelled``; ``record`` is its last state."""

    def __init__(self, record: JobRecord):
        super().__init__(f"job {record['id']} {record['status']}: {record.get('message')}")
        self.record = record


def print_progress(record: JobRecord, waited_s: float) -> None:
    """The default progress: one line on standard error per status change."""
    print(f"job {record['id']} ({record['scenario_name']}): {record['status']} after "
          f"{waited_s:.0f} s", file=sys.stderr)


class PlannerClient:
    """The API at ``base_url`` with the API key ``key``."""

    def __init__(self, base_url: str, key: str, timeout_s: float = 60.0) -> None:
        self.http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout_s,
                                 headers={"Authorization": f"Bearer {key}"})

    def __enter__(self) -> PlannerClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def _answer(self, response: httpx.Response) -> Any:
        """The JSON of a successful answer (of the shape the API's schema gives the
        route); :class:`ApiError` otherwise."""
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text[:500]}
            raise ApiError(response.status_code, str(body.get("detail")),
                           list(body.get("problems") or []))
        return response.json() if response.content else None

    def get(self, path: str, **params: QueryValue) -> JsonValue:
        """``GET /v1/<path>`` as JSON."""
        answer: JsonValue = self._get(path, params)
        return answer

    def _get(self, path: str, params: Mapping[str, QueryValue]) -> Any:
        return self._answer(self.http.get(f"/v1/{path.lstrip('/')}", params=params))

    def post(self, path: str, body: object = None, **params: QueryValue) -> JsonValue:
        """``POST /v1/<path>`` with a JSON body, as JSON."""
        answer: JsonValue = self._post(path, body, params)
        return answer

    def _post(self, path: str, body: object, params: Mapping[str, QueryValue]) -> Any:
        return self._answer(self.http.post(f"/v1/{path.lstrip('/')}", json=body,
                                           params=params))

    def catalogue(self, name: str, dataset_dir: str | None = None) -> pd.DataFrame:
        """A catalogue (``categories``, ``vehicle-types``, ``hubs``, ``unit-types``,
        ``disruption-types``, ``kpis``) as a table."""
        params = {} if dataset_dir is None else {"dataset_dir": dataset_dir}
        return pd.DataFrame(self._get(f"catalogue/{name}", params))

    def validate(self, scenario: Mapping[str, object]) -> ValidatedRecord:
        """The scenario merged and checked (with ``inherited`` and ``notes``)."""
        answer: ValidatedRecord = self._post("scenarios/validate", {"scenario": scenario}, {})
        return answer

    def upload_dataset_file(self, dataset: str, path: str | Path,
                            file_name: str | None = None) -> UploadedDataSetRecord:
        """Upload a data set file (CSV or XLSX) as ``file_name`` (default the path's name)
        of the uploaded data set ``dataset``; the answer's ``dataset_dir`` names it."""
        path = Path(path)
        name = file_name or path.name
        answer: UploadedDataSetRecord = self._answer(self.http.put(
            f"/v1/uploads/datasets/{dataset}/{name}", content=path.read_bytes()))
        return answer

    def run(self, scenario: Mapping[str, object], maps: bool = False) -> int:
        """Queue a run of ``scenario``; its id."""
        queued: JobRecord = self._post("runs", {"scenario": scenario, "maps": maps}, {})
        return int(queued["id"])

    def wait(self, job_id: int, progress: Progress | None = print_progress,
             poll_s: float = 1.0, timeout_s: float = 3600.0) -> JobRecord:
        """Poll a job until it finishes; its record when ``done``, :class:`JobFailed`
        when it failed or was cancelled, :class:`TimeoutError` after ``timeout_s``."""
        started = time.monotonic()
        status = None
        while True:
            record: JobRecord = self._get(f"runs/{job_id}", {})
            waited_s = time.monotonic() - started
            if record["status"] != status and progress is not None:
                progress(record, waited_s)
            status = record["status"]
            if status == "done":
                return record
            if status in FINISHED:
                raise JobFailed(record)
            if waited_s > timeout_s:
                raise TimeoutError(f"job {job_id} still {status} after {timeout_s:.0f} s")
            time.sleep(poll_s)

    def run_and_wait(self, scenario: Mapping[str, object], maps: bool = False,
                     progress: Progress | None = print_progress) -> JobRecord:
        """Run ``scenario`` and wait for it; the done run's record (its summary)."""
        return self.wait(self.run(scenario, maps), progress)

    def download_files(self, job_id: int, folder: str | Path) -> list[Path]:
        """Every file of a done job (``files.zip``) unpacked into ``folder``; the files
        written. A report's ``report.html`` opens there with its charts and maps."""
        response = self.http.get(f"/v1/runs/{job_id}/files.zip")
        if response.status_code >= 400:
            self._answer(response)
        source = f"job {job_id} files.zip"
        archive = open_archive(io.BytesIO(response.content), source)
        members = checked_members(archive, source, max_ratio=MAX_FILES_RATIO)
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        extract_checked(archive, members, target, source)
        return [target / m.filename for m in members if not m.is_dir()]

    def compare(self, run_ids: Sequence[int], baseline: int | None = None,
                period: str = "week", allow_different_data: bool = False) -> pd.DataFrame:
        """The runs side by side: one row per KPI with its unit, each run's value and
        its change and change % against the baseline. The answer's notes and its
        decomposition are in ``attrs``."""
        params: dict[str, QueryValue] = {"runs": list(run_ids), "period": period,
                                         "allow_different_data": allow_different_data}
        if baseline is not None:
            params["baseline"] = baseline
        answer: ComparisonRecord = self._get("compare", params)
        rows = []
        for row in answer["rows"]:
            cells: dict[str, object] = {"kpi": row["kpi"], "unit": row["unit"]}
            for value in row["values"]:
                run = f"run {value['run_id']}"
                cells |= {run: value["value"], f"{run} change": value["change"],
                          f"{run} change %": value["change_pct"]}
            rows.append(cells)
        table = pd.DataFrame(rows).set_index("kpi")
        table.attrs = {"baseline_run": answer["baseline_run"], "notes": answer["notes"],
                       "data_differences": answer["data_differences"],
                       "decomposition": answer["decomposition"]}
        return table

    def report(self, run_ids: Sequence[int], baseline: int | None = None, lang: str = "en",
               resilience: int | None = None, studies: Sequence[int] = ()) -> int:
        """Queue the decision report of done runs; the report job's id."""
        body = {"runs": list(run_ids), "baseline": baseline, "lang": lang,
                "resilience": resilience, "studies": list(studies)}
        queued: JobRecord = self._post("comparisons", body, {})
        return int(queued["id"])
