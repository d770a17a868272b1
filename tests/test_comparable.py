"""Whether runs can be compared: same study data, same orders, same travel model."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from logistics.analysis.comparable import data_differences

STUDY_A, STUDY_B = "a" * 64, "b" * 64


def _summary(dataset: str = STUDY_A, orders: str | None = None,
             travel: str = "crow_fly") -> dict[str, Any]:
    return {"travel_model": travel, "data_set": {
        "dataset_dir": f"uploads/datasets/{dataset[0]}", "dataset_sha256": dataset,
        "orders_file": None if orders is None else "orders.csv", "orders_sha256": orders}}


def test_runs_on_the_same_data_differ_in_nothing() -> None:
    assert data_differences([_summary(), _summary()], ["run 1", "run 2"]) == []


def test_each_difference_is_named_with_each_runs_value() -> None:
    differences = data_differences(
        [_summary(), _summary(STUDY_B, "c" * 64, "road")], ["run 1", "run 2"])
    assert differences == [
        "different data sets (run 1: aaaaaaaaaaaa [uploads/datasets/a], "
        "run 2: bbbbbbbbbbbb [uploads/datasets/b])",
        "different orders (run 1: demand model, run 2: cccccccccccc [orders.csv])",
        "different travel models (run 1: crow_fly, run 2: road)"]


def test_an_older_result_without_a_data_set_is_not_taken_as_the_same() -> None:
    older = {"travel_model": "crow_fly"}
    assert len(data_differences([older, _summary()], ["run 1", "run 2"])) == 2
    assert data_differences([older, dict(older)], ["run 1", "run 2"]) == []


@given(st.lists(st.sampled_from([STUDY_A, STUDY_B]), min_size=1, max_size=6))
def test_a_study_difference_is_found_exactly_when_hashes_differ(studies: list[str]) -> None:
    differences = data_differences([_summary(s) for s in studies],
                                   [f"run {n}" for n in range(len(studies))])
    assert bool(differences) == (len(set(studies)) > 1)
