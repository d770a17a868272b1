"""A study variant's record: the JSON it is stored as, read back the same, and a stored
document that is no record set aside like a corrupted one."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from logistics.errors import Problem
from logistics.io.durable import write_checked_json
from logistics.study.store import DONE, FAILED, StudyStore, VariantRecord

DONE_RECORD = VariantRecord(
    key="k1", status=DONE, scenario="hub-kokstad",
    kpi_per_week={"deliveries": 12, "cost_nok": 99.5},
    kpi_per_year={"deliveries": 480, "cost_nok": 3980.0}, notes=("Travel is approximate.",),
    travel_model="crow_fly", unserved_count=0, problems=(), wall_s=1.25, code_version="abc",
    stage_s={"planning": 0.5, "search": 0.7}, routing_problems_solved=3)
FAILED_RECORD = VariantRecord(
    key="k2", status=FAILED, scenario=None, kpi_per_week={}, kpi_per_year={}, notes=(),
    travel_model=None, unserved_count=None,
    problems=(Problem("study.yaml", "variant 2", "network", "'nowhere'", "a network"),),
    wall_s=0.01, code_version="abc")


def _stored(tmp_path: Path, record: VariantRecord) -> dict[str, object]:
    StudyStore(tmp_path).save(record)
    document = json.loads(StudyStore(tmp_path).record_path(record.key).read_text())
    assert isinstance(document, dict)
    return document


def test_a_done_record_is_stored_with_its_fields_in_order(tmp_path: Path) -> None:
    document = _stored(tmp_path, DONE_RECORD)
    assert list(document) == ["key", "status", "scenario", "kpi_per_week", "kpi_per_year",
                              "notes", "travel_model", "unserved_count", "problems",
                              "stage_s", "routing_problems_solved",
                              "routing_problems_read_from_searches_in_flight", "wall_s",
                              "code_version",
                              "content_sha256"]
    assert document["kpi_per_week"] == {"deliveries": 12, "cost_nok": 99.5}
    assert document["notes"] == ["Travel is approximate."]
    assert document["routing_problems_solved"] == 3
    assert StudyStore(tmp_path).record("k1") == DONE_RECORD


def test_a_failed_record_keeps_its_problems_and_has_no_stage_times(tmp_path: Path) -> None:
    document = _stored(tmp_path, FAILED_RECORD)
    assert "stage_s" not in document and "routing_problems_solved" not in document
    assert document["problems"] == [{"source": "study.yaml", "location": "variant 2",
                                     "field": "network", "found": "'nowhere'",
                                     "allowed": "a network"}]
    assert StudyStore(tmp_path).record("k2") == FAILED_RECORD
    assert not StudyStore(tmp_path).done("k2")


def test_a_stored_document_that_is_no_record_is_set_aside(tmp_path: Path) -> None:
    store = StudyStore(tmp_path)
    path = store.record_path("k3")
    path.parent.mkdir(parents=True)
    write_checked_json(path, {"key": "k3", "status": "done", "kpi_per_week": [1, 2]})
    assert store.record("k3") is None
    assert not path.exists() and path.with_name("k3.json.corrupt").exists()


numbers = st.dictionaries(st.sampled_from(["deliveries", "cost_nok", "vehicle_km"]),
                          st.integers(0, 10**6) | st.floats(0, 1e9, allow_nan=False))


@given(week=numbers, year=numbers, notes=st.lists(st.text(max_size=20), max_size=3),
       solved=st.none() | st.integers(0, 100), wall_s=st.floats(0, 1e4))
def test_any_done_record_reads_back_as_written(week: dict[str, float], year: dict[str, float],
                                               notes: list[str], solved: int | None,
                                               wall_s: float) -> None:
    record = VariantRecord(key="k", status=DONE, scenario="s", kpi_per_week=week,
                           kpi_per_year=year, notes=tuple(notes), travel_model="road",
                           unserved_count=1, problems=(), wall_s=wall_s, code_version="v",
                           stage_s={"search": 1.0}, routing_problems_solved=solved)
    document = json.loads(json.dumps(record.to_json()))
    assert VariantRecord.from_json(document) == record
