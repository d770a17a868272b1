"""An unknown field's problem lists the fields allowed where it stands: at the top of a
scenario, inside a nested model, inside one entry of a tagged list."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.errors import InputError, Problem
from logistics.scenarios.schema import Scenario

SCHEMA = Scenario.model_json_schema()
PREFIX = "one of the fields "


def _schema_fields(definition: str | None = None) -> set[str]:
    """The fields the scenario's JSON schema documents (its own generator, not ours)."""
    part = SCHEMA if definition is None else SCHEMA["$defs"][definition]
    return set(part["properties"])


def _problem(document: dict[str, Any], field: str) -> Problem:
    with pytest.raises(InputError) as caught:
        Scenario.from_data({"name": "x", "design": "direct", **document}, "case.yaml",
                           "scenario")
    return next(p for p in caught.value.problems if p.field == field)


def _listed(problem: Problem) -> set[str]:
    assert problem.allowed.startswith(PREFIX), problem.allowed
    return set(problem.allowed.removeprefix(PREFIX).split(", "))


UNKNOWN = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)


@given(UNKNOWN.filter(lambda name: name not in _schema_fields()))
def test_an_unknown_scenario_field_lists_the_scenario_fields(name: str) -> None:
    problem = _problem({name: 1}, name)
    assert problem.found == repr(f"unknown field {name!r}")
    assert _listed(problem) == _schema_fields()


@given(UNKNOWN.filter(lambda name: name not in _schema_fields("SolverSettings")))
def test_an_unknown_solver_field_lists_the_solver_fields(name: str) -> None:
    assert _listed(_problem({"solver": {name: 1}}, f"solver.{name}")) == _schema_fields(
        "SolverSettings")


def test_workers_is_no_longer_a_scenario_solver_field() -> None:
    listed = _listed(_problem({"solver": {"workers": 2}}, "solver.workers"))
    assert "workers" not in listed
    assert {"seed", "iteration_limit", "time_limit_s"} <= listed


def test_an_unknown_field_of_a_tagged_list_entry_lists_that_entry_type() -> None:
    problem = _problem({"disruptions": [{"type": "zone_ban", "days": ["mon"]},
                                        {"type": "road_closure", "colour": "red"}]},
                       "disruptions.1.road_closure.colour")
    assert _listed(problem) == _schema_fields("RoadClosure")
    assert _listed(problem) != _schema_fields("ZoneBan")
