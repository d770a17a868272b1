"""The Python client against a running API: its typed records hold the fields the API
answers with, and a run, a refusal and a failed job come back as documented."""

from __future__ import annotations

from pathlib import Path
from typing import get_type_hints

import pytest

from api.models import (
    ComparedKpi,
    ComparedValue,
    Comparison,
    Run,
    UploadedDataSet,
    ValidatedScenario,
)
from api.problems import InputProblem
from logistics.client import (
    ApiError,
    ComparedKpiRecord,
    ComparedValueRecord,
    ComparisonRecord,
    JobFailed,
    JobRecord,
    PlannerClient,
    ProblemRecord,
    UploadedDataSetRecord,
    ValidatedRecord,
)
from tests.api_helpers import FAST_SOLVER, SMALL_DATASET, api_server
from tests.api_runners import failing_with_runtime_error, no_result

from .conftest import make_small_dataset


@pytest.mark.parametrize(("record", "model"), [
    (JobRecord, Run), (ProblemRecord, InputProblem), (ValidatedRecord, ValidatedScenario),
    (UploadedDataSetRecord, UploadedDataSet), (ComparisonRecord, Comparison),
    (ComparedKpiRecord, ComparedKpi), (ComparedValueRecord, ComparedValue)])
def test_each_record_of_the_client_has_the_fields_of_the_answer_model(
        record: type, model: type) -> None:
    assert list(get_type_hints(record)) == list(model.model_fields)


def _scenario(name: str, **fields: object) -> dict[str, object]:
    return {"name": name, "extends": "direct", "dataset_dir": SMALL_DATASET,
            "solver": FAST_SOLVER, **fields}


def test_the_client_validates_runs_and_uploads_with_typed_answers(tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    units = make_small_dataset(tmp_path / "copy", units=4) / "units.csv"
    with api_server(tmp_path / "results", runner=no_result) as server, \
            PlannerClient(server.base, server.secrets["run"]) as api:
        checked = api.validate(_scenario("client-check"))
        with pytest.raises(ApiError) as refused:
            api.validate(_scenario("client-bad", frequency_per_week={"default": "often"}))
        record = api.run_and_wait(_scenario("client-run"),
                                  progress=lambda r, s: seen.append((r["status"], s)))
        uploaded = api.upload_dataset_file("client-upload", units)
    assert checked["scenario"]["name"] == "client-check"
    assert "design" in checked["inherited"]  # set by 'direct', not by the request
    assert "name" not in checked["inherited"] and "dataset_dir" not in checked["inherited"]
    assert refused.value.status_code == 422
    fields = {p["field"] for p in refused.value.problems}
    assert any("frequency_per_week" in f for f in fields), fields
    assert all(set(p) == set(get_type_hints(ProblemRecord)) for p in refused.value.problems)
    assert set(record) == set(get_type_hints(JobRecord))
    assert (record["kind"], record["scenario_name"], record["status"]) == (
        "run", "client-run", "done")
    assert record["summary"] is None  # the runner wrote nothing
    assert seen[-1][0] == "done" and all(s >= 0 for _, s in seen)
    assert uploaded["dataset_dir"] == "uploads/datasets/client-upload"
    assert uploaded["files"] == ["units.csv"]


def test_a_failed_job_raises_job_failed_with_its_record(tmp_path: Path) -> None:
    with api_server(tmp_path / "results", runner=failing_with_runtime_error) as server, \
            PlannerClient(server.base, server.secrets["run"]) as api, \
            pytest.raises(JobFailed) as failed:
        api.run_and_wait(_scenario("client-fails"), progress=None)
    assert failed.value.record["status"] == "failed"
    assert failed.value.record["reason"] == "error"
    assert "RuntimeError: solver crashed on client-fails" in str(failed.value)
