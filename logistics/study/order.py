"""The order a study's variants are handed to its workers, so that workers running side
by side mostly need different routing problems (results never depend on the order).

First the grid's base points. Then the variants that plan something no earlier variant
plans, taken in turn from each base point, so that neighbours in the queue belong to
different base points: first other travel (sharing no routing problem with the base
point), then outages (sharing most, solved by then). Last the variants that differ from
an earlier one only in inputs that never reach the plan (costs, emission factors, the
municipality's share of shared routes): every routing problem they need is solved or
being solved by then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from logistics.scenarios.schema import Scenario
from logistics.study.spec import NOT_VARIED
from logistics.study.variants import Variant

ACCOUNTING_ONLY = (("costs",), ("emissions",), ("shared_routes", "municipal_share"))
"""Scenario fields read only by the accounting: the routes are planned without them
(``CostsSpec`` says so of costs; emission factors and the shared-route share are applied
to routes already planned, :func:`logistics.pipeline.run.account_plan`)."""


def planning_inputs(scenario: Scenario) -> str:
    """The scenario less its name and the accounting-only fields, as JSON: variants with
    equal planning inputs plan the same routing problems."""
    document: dict[str, Any] = {k: v for k, v in scenario.model_dump(mode="json").items()
                                if k not in NOT_VARIED}
    for *parents, name in ACCOUNTING_ONLY:
        part = document
        for parent in parents:
            part = part.get(parent) or {}
        part.pop(name, None)
    return json.dumps(document, sort_keys=True)


def _in_turn(groups: list[list[Variant]]) -> list[Variant]:
    """The first of every group, then the second of every group, and so on."""
    longest = max((len(group) for group in groups), default=0)
    return [group[i] for i in range(longest) for group in groups if i < len(group)]


def work_order(variants: Sequence[Variant]) -> list[Variant]:
    """``variants`` in the order to run them: base points, then the variants planning
    something new (outages last), then those differing only in accounting inputs; the
    latter two taken in turn from each base point."""
    base_points = [v for v in variants if v.kind == "grid"]
    seen = {planning_inputs(v.scenario) for v in base_points}
    point_of = {tuple(v.labels.items()): i for i, v in enumerate(base_points)}
    planning: list[list[Variant]] = [[] for _ in base_points]
    accounting: list[list[Variant]] = [[] for _ in base_points]
    for variant in variants:
        if variant.kind == "grid":
            continue
        point = point_of.setdefault(tuple(variant.labels.items()), len(point_of))
        if point == len(planning):  # a base point not among ``variants``
            planning.append([])
            accounting.append([])
        inputs = planning_inputs(variant.scenario)
        (accounting if inputs in seen else planning)[point].append(variant)
        seen.add(inputs)
    # the outages share most of their base point's problems: they go after the other
    # travel, which shares none, so they find the base point's problems solved
    planning = [sorted(group, key=lambda v: v.kind == "monte_carlo") for group in planning]
    return base_points + _in_turn(planning) + _in_turn(accounting)
