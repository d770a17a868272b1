"""A scenario from a request, merged and checked in full inside the allowed roots.

The same checks as ``logistics validate`` (:mod:`logistics.pipeline.scenario_check`), with one
step before any file is read: the scenario's paths are resolved inside the roots
(:class:`api.paths.Roots`). Field problems and reference problems come in one list.
"""

from __future__ import annotations

from collections.abc import Mapping

from api.paths import Roots
from logistics.errors import InputError, Problem
from logistics.pipeline.scenario_check import CheckedScenario, check_scenario
from logistics.scenarios.files import repaired_scenario, scenario_from_mapping
from logistics.scenarios.schema import Scenario

SOURCE = "request body"


def checked_scenario(document: Mapping[str, object], roots: Roots,
                     source: str = SOURCE) -> tuple[Scenario, CheckedScenario]:
    """The scenario as given (paths relative to the roots), merged with its bases and
    checked against everything it names; one :class:`InputError` with every problem."""
    merged = roots.merged_document(document, source)
    try:
        scenario = scenario_from_mapping(merged, source)
    except InputError as fields:
        problems = list(fields.problems)
        repaired = repaired_scenario(merged)
        if repaired is not None:
            problems += _reference_problems(repaired, roots, source)
        raise InputError(problems) from None
    resolved = roots.resolved_scenario(scenario, source)
    return scenario, check_scenario(resolved, source)


def _reference_problems(scenario: Scenario, roots: Roots, source: str) -> list[Problem]:
    try:
        check_scenario(roots.resolved_scenario(scenario, source), source)
    except InputError as error:
        return list(error.problems)
    return []
