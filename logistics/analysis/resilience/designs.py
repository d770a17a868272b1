"""The designs a resilience study compares, and how each holds up: service and extra
effort of the disrupted week against the normal week."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import TypedDict

from logistics.analysis.resilience import Designs
from logistics.model.dataset import DataSet
from logistics.pipeline.batch import Outcome
from logistics.plan.deliveries import UnservedDelivery
from logistics.scenarios.schema import Scenario

HIGHER_IS_BETTER = {"served_demand_share": True, "units_fully_served_share": True,
                    "unmet_kg": False, "extra_vehicle_km": False, "extra_co2e_wtw_kg": False,
                    "extra_cost_nok": False}
"""Metrics on which the designs are ranked, and which direction is better."""


def design_variants(scenario: Scenario, designs: Designs = "both") -> dict[str, Scenario]:
    """The scenario under its own design and, with ``designs="both"`` and where possible,
    the other design.

    A consolidated scenario gets a direct twin (same orders, days and disruptions); a
    direct scenario gets a consolidated twin only when it names a hub and hub fleet.
    """
    variants: dict[str, Scenario] = {scenario.design: scenario}
    if designs == "own":
        return variants
    if scenario.design == "consolidated":
        variants["direct"] = scenario.with_overrides(
            {"design": "direct", "reuse": None, "name": f"{scenario.name}-as-direct"})
    elif scenario.hub and any(f.count for f in scenario.fleet.hub):
        variants["consolidated"] = scenario.with_overrides(
            {"design": "consolidated", "name": f"{scenario.name}-as-consolidated"})
    return variants


def undisrupted(scenario: Scenario) -> Scenario:
    """The same scenario with its disruptions taken out."""
    return scenario.with_overrides({"disruptions": []})


def unmet_kg_by(unserved: Sequence[UnservedDelivery], key: Mapping[str, str] | None,
                field: str) -> dict[str, float]:
    """Unmet kg per week grouped by a delivery field (or by ``key[unit_id]``)."""
    totals: dict[str, float] = defaultdict(float)
    for item in unserved:
        value = getattr(item.delivery, field)
        totals[key[value] if key is not None else value] += item.delivery.demand_kg
    return {k: round(v, 3) for k, v in sorted(totals.items())}


class Impact(TypedDict):
    """A design's disrupted week against its normal week (``designs`` of a resilience
    report)."""

    served_demand_share: float
    normal_served_demand_share: float
    units_fully_served_share: float
    normal_units_fully_served_share: float
    unmet_kg: float
    unmet_kg_by_category: dict[str, float]
    unmet_kg_by_unit_type: dict[str, float]
    unserved_deliveries_by_reason: dict[str, int]
    vehicle_km: float
    extra_vehicle_km: float
    extra_co2e_wtw_kg: float
    extra_cost_nok: float


def impact_metric(impact: Impact, metric: str) -> float:
    """One number of an impact by its name (:data:`HIGHER_IS_BETTER`, the resilience
    table's rows); NaN for a name that is not a number of it."""
    value = impact.get(metric)
    return float(value) if isinstance(value, int | float) else float("nan")


def impact(disrupted: Outcome, normal: Outcome, dataset: DataSet) -> Impact:
    """Service of the disrupted week and its extra effort against the normal week."""
    kpi, base = disrupted.kpi_week, normal.kpi_week
    unit_type = {u.id: str(u.unit_type) for u in dataset.units}
    reasons = Counter(str(u.reason) for u in disrupted.unserved)
    return {
        "served_demand_share": kpi["served_demand_share"],
        "normal_served_demand_share": base["served_demand_share"],
        "units_fully_served_share": kpi["units_fully_served_share"],
        "normal_units_fully_served_share": base["units_fully_served_share"],
        "unmet_kg": round(sum(u.delivery.demand_kg for u in disrupted.unserved), 3),
        "unmet_kg_by_category": unmet_kg_by(disrupted.unserved, None, "category"),
        "unmet_kg_by_unit_type": unmet_kg_by(disrupted.unserved, unit_type, "unit_id"),
        "unserved_deliveries_by_reason": dict(sorted(reasons.items())),
        "vehicle_km": kpi["vehicle_km"],
        "extra_vehicle_km": kpi["vehicle_km"] - base["vehicle_km"],
        "extra_co2e_wtw_kg": kpi["co2e_wtw_kg"] - base["co2e_wtw_kg"],
        "extra_cost_nok": kpi["cost_nok"] - base["cost_nok"],
    }


def better_design(values: Mapping[str, float], higher_is_better: bool) -> str:
    """The design with the better value, or ``"equal"`` (within 1e-9 relative)."""
    ranked = sorted(values.items(), key=lambda item: item[1], reverse=higher_is_better)
    if len(ranked) < 2:
        return ranked[0][0] if ranked else "equal"
    best, second = ranked[0][1], ranked[1][1]
    if math.isclose(best, second, rel_tol=1e-9, abs_tol=1e-9):
        return "equal"
    return ranked[0][0]
