"""The resilience report: everything ``logistics resilience`` prints.

For a scenario, each design (the scenario's own and, unless only the own design is
asked for, its twin with the other design where the scenario names a hub and hub
fleet) is planned normally and with the
scenario's disruptions, and compared on service (``served_demand_share``,
``units_fully_served_share``, unmet kg by category and unit type) and on extra
vehicle-km, CO2e and cost. Around that: days of autonomy from the units' stock days,
supplier concentration, critical road links (road network only) and a seeded Monte
Carlo of random link closures and supplier outages. Searches run with the scenario's
solver settings, and every distinct routing problem is solved once
(:mod:`logistics.pipeline.batch`).
"""

from __future__ import annotations

import dataclasses
from typing import TypedDict

from logistics.analysis.resilience import Designs
from logistics.analysis.resilience.designs import (
    HIGHER_IS_BETTER,
    Impact,
    better_design,
    design_variants,
    impact,
    impact_metric,
    undisrupted,
)
from logistics.analysis.resilience.links import (
    DEFAULT_LINK_CANDIDATES,
    NEEDS_ROAD_NETWORK,
    CriticalLinksJson,
    critical_links,
    way_usage,
)
from logistics.analysis.resilience.monte_carlo import MonteCarloJson, draw_samples, monte_carlo
from logistics.analysis.resilience.stock import (
    CategoryAutonomy,
    SupplierConcentration,
    autonomy_summary,
    days_of_autonomy,
    supplier_concentration,
)
from logistics.model.dataset import DataSet
from logistics.pipeline.batch import Evaluator
from logistics.pipeline.scenario_check import scenario_orders
from logistics.plan.builder import scenario_disruptions
from logistics.plan.disruptions import NotApplied
from logistics.scenarios.schema import Scenario
from logistics.travel.base import TravelModel
from logistics.travel.network.model import RoadNetworkModel


class DesignAutonomy(TypedDict):
    """Days of autonomy of a design's disrupted week: per category, and the units short
    (each with its stock and shortfall days and whether it runs out)."""

    by_category: dict[str, CategoryAutonomy]
    short_units: list[dict[str, object]]


class SolverUse(TypedDict):
    backend: str
    seed: int
    solution_limit: int | None
    time_limit_s: float
    searches_stopped_by_time_cap: int


class ResilienceReport(TypedDict):
    """Everything ``logistics resilience --json`` prints (``resilience.json``)."""

    scenario: str
    designs_compared: list[str]
    travel_model: str
    approximate_travel: bool
    disruptions: list[str]
    disruption_types: list[str]
    not_applied: list[dict[str, str]]  # label and reason of each
    notes: list[str]
    designs: dict[str, Impact]
    holds_up_better: dict[str, str]  # metric -> design or "equal"
    days_of_autonomy: dict[str, DesignAutonomy]
    supplier_concentration: SupplierConcentration
    critical_links: CriticalLinksJson
    monte_carlo: MonteCarloJson
    solver: SolverUse


def resilience_report(scenario: Scenario, dataset: DataSet, travel: TravelModel, *,
                      samples: int, seed: int, workers: int | None = None,
                      source: str = "scenario", designs: Designs = "both",
                      link_candidates: int | None = DEFAULT_LINK_CANDIDATES
                      ) -> ResilienceReport:
    """Everything ``logistics resilience`` prints: per design normal vs disrupted, the
    design that holds up better on each metric, days of autonomy, supplier
    concentration, critical links and the Monte Carlo distribution."""
    evaluator = Evaluator.for_scenario(scenario, dataset, travel, workers)
    variants = design_variants(scenario, designs)
    names = list(variants)
    outcomes = evaluator.evaluate([v for n in names for v in (undisrupted(variants[n]),
                                                               variants[n])], source)
    normals = {n: outcomes[2 * i] for i, n in enumerate(names)}
    disrupted = {n: outcomes[2 * i + 1] for i, n in enumerate(names)}
    impacts = {n: impact(disrupted[n], normals[n], dataset) for n in names}
    better = ({metric: better_design({n: impact_metric(impacts[n], metric) for n in names},
                                     higher)
               for metric, higher in HIGHER_IS_BETTER.items()} if len(names) > 1 else {})
    orders = scenario_orders(scenario, dataset)
    autonomy: dict[str, DesignAutonomy] = {}
    for name in names:
        rows = days_of_autonomy(dataset, orders, disrupted[name].unserved, scenario.days)
        autonomy[name] = {"by_category": autonomy_summary(rows),
                          "short_units": [dataclasses.asdict(r) | {"runs_out": r.runs_out}
                                          for r in rows if r.shortfall_days > 0]}
    own = normals[scenario.design]
    links = critical_links([r.route for r, _ in own.routes], own.plan.points, travel,
                           dataset.vehicle_types, {u.id for u in dataset.units}, link_candidates)
    ways = (sorted(way_usage([r.route for n in names for r, _ in normals[n].routes],
                             own.plan.points, travel, dataset.vehicle_types))
            if isinstance(travel, RoadNetworkModel) else [])
    drawn = draw_samples(samples, seed, [s.id for s in dataset.suppliers], scenario.days, ways)
    carlo: MonteCarloJson = (monte_carlo(evaluator, variants, normals, drawn) if samples > 0
                             else {"samples": 0})
    if not ways:
        carlo["link_closures"] = NEEDS_ROAD_NETWORK.replace("critical links", "link closures")
    not_applied: list[NotApplied] = list(dict.fromkeys(
        n for o in disrupted.values()
        for n in scenario_disruptions(o.scenario, dataset, travel, source).not_applied))
    return {
        "scenario": scenario.name,
        "designs_compared": names,
        "travel_model": travel.name,
        "approximate_travel": travel.approximate,
        "disruptions": [d.name() for d in scenario.disruptions],
        "disruption_types": [d.type for d in scenario.disruptions],
        "not_applied": [dataclasses.asdict(n) for n in not_applied],
        "notes": sorted({note for o in disrupted.values() for note in o.plan.notes}),
        "designs": impacts,
        "holds_up_better": better,
        "days_of_autonomy": autonomy,
        "supplier_concentration": supplier_concentration(dataset, orders),
        "critical_links": links.as_dict(),
        "monte_carlo": carlo,
        "solver": {"backend": evaluator.settings.backend, "seed": evaluator.settings.seed,
                   "solution_limit": evaluator.settings.solution_limit,
                   "time_limit_s": evaluator.settings.time_limit_s,
                   "searches_stopped_by_time_cap": evaluator.time_capped},
    }
