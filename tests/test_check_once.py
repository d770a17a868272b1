"""A scenario is checked once per run on the command line, and once before queueing plus
once in the job process on the API; planning and running take the checked scenario."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import api.runner
import logistics.cli.scenarios
from api.checks import checked_scenario
from api.jobs import Job
from api.paths import Roots
from logistics.pipeline import scenario_check
from tests.api_helpers import FAST_SOLVER, SMALL_DATASET
from tests.conftest import make_small_dataset

BERGEN = Path(__file__).resolve().parents[1] / "scenarios" / "bergen"


@pytest.fixture
def check_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources of every call of ``check_scenario``, wherever it was imported."""
    calls: list[str] = []
    original = scenario_check.check_scenario

    def counted(scenario, source="scenario", **loaded):  # type: ignore[no-untyped-def]
        calls.append(source)
        return original(scenario, source, **loaded)

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if (name.startswith(("logistics", "api"))
                and getattr(module, "check_scenario", None) is original):
            monkeypatch.setattr(module, "check_scenario", counted)
    return calls


def _direct_document(dataset_dir: str) -> dict[str, object]:
    return {"name": "small-direct", "extends": "direct", "dataset_dir": dataset_dir,
            "solver": FAST_SOLVER}


def test_a_cli_run_checks_the_scenario_once(tmp_path: Path, check_calls: list[str]) -> None:
    dataset = make_small_dataset(tmp_path / "study", units=3)
    path = tmp_path / "small.yaml"
    text = (BERGEN / "direct.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("dataset_dir: data/bergen", f"dataset_dir: {dataset}")
                    + "solver: {solution_limit: 1, iteration_limit: 20}\n", encoding="utf-8")
    logistics.cli.scenarios.run(path, out_dir=tmp_path / "out", workers=1, json_output=True)
    assert check_calls == [str(path)]
    written = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    assert written["scenario_spec"]["dataset_dir"] == str(dataset)
    assert (tmp_path / "out" / "layers.gpkg").exists()


def test_an_api_run_checks_before_queueing_and_once_in_the_job(
        tmp_path: Path, check_calls: list[str]) -> None:
    roots = Roots(tmp_path)
    make_small_dataset(roots.uploaded_datasets_dir / "small", units=3)
    scenario, _ = checked_scenario(_direct_document(SMALL_DATASET), roots)
    assert len(check_calls) == 1  # the request, before the job is queued
    job = Job(1, "run", scenario.model_dump(mode="json"), {"maps": False}, tmp_path, 1)
    assert api.runner.solve_job(job) is not None
    assert len(check_calls) == 2  # and once in the job process, no more
    written = json.loads((job.folder / "result.json").read_text(encoding="utf-8"))
    assert written["scenario_spec"]["dataset_dir"] == SMALL_DATASET  # as the user gave it
    assert (job.folder / "layers.gpkg").exists()
