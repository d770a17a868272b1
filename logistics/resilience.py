"""Supply security: how each delivery design holds up when something breaks.

For a scenario, each design (the scenario's own, and its twin with the other design
where the scenario names a hub and hub fleet) is planned normally and with the
scenario's disruptions, and compared on service (``served_demand_share``,
``units_fully_served_share``, unmet kg by category and unit type) and on extra
vehicle-km, CO2e and cost. Around that: days of autonomy from the units' stock days,
supplier concentration, critical road links (road network only) and a seeded Monte
Carlo of random link closures and supplier outages.

Resilience runs stop each routing search after :data:`SOLUTION_LIMIT` solutions, so
the numbers do not depend on machine speed, and solve every distinct routing problem
once: a disruption that leaves a day's problem unchanged leaves its routes unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse.csgraph import dijkstra

from logistics.deliveries import UnservedDelivery
from logistics.disruptions import Disruptions, NotApplied, RoadClosure, SupplierOutage
from logistics.domain import Order, VehicleType
from logistics.kpi import RouteAccount
from logistics.network.closures import Closure
from logistics.network.matrix import RoutingGraph
from logistics.network.model import RoadNetworkModel
from logistics.plan import Plan, PlannedProblem, PlannedRoute, vehicle_profile
from logistics.routing.problem import Route, RoutingProblem, Solution, SolverSettings
from logistics.run import (
    account_plan,
    default_workers,
    prepare_scenario,
    scenario_orders,
    solve_problems,
)
from logistics.scenario import Scenario
from logistics.study import StudyData
from logistics.travel.base import Point, TravelModel
from logistics.weekdays import Weekday

SOLUTION_LIMIT = 50
"""Solutions each routing search may find before it stops (machine-independent results)."""
TIME_CAP_S = 120.0
"""Safety cap on one routing search; a search stopped by it is counted in the report."""
TOP_LINKS = 10
DEFAULT_LINK_CANDIDATES = 40
"""Critical links are searched among this many most-used OSM ways of the plan's routes."""
PERCENTILES = (5, 50, 95)

HIGHER_IS_BETTER = {"served_demand_share": True, "units_fully_served_share": True,
                    "unmet_kg": False, "extra_vehicle_km": False, "extra_co2e_wtw_kg": False,
                    "extra_cost_nok": False}
"""Metrics on which the designs are ranked, and which direction is better."""


# -- planning, solving, accounting -------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """One planned and solved week of a scenario."""

    scenario: Scenario
    plan: Plan
    routes: tuple[tuple[PlannedRoute, RouteAccount], ...]
    unserved: tuple[UnservedDelivery, ...]
    kpi_week: Mapping[str, float]


def problem_key(problem: RoutingProblem) -> str:
    """SHA-256 of everything a solver sees: equal keys, equal solutions."""
    digest = hashlib.sha256(repr((problem.name, problem.points, problem.jobs, problem.vehicles,
                                  problem.shipments)).encode())
    for profile in sorted(problem.matrices):
        matrices = problem.matrices[profile]
        digest.update(profile.encode())
        digest.update(np.ascontiguousarray(matrices.distance_m).tobytes())
        digest.update(np.ascontiguousarray(matrices.duration_s).tobytes())
    return digest.hexdigest()


class Evaluator:
    """Plans, solves and accounts scenarios on one study and travel model.

    Each distinct routing problem is solved once (in ``workers`` processes) and the
    solution reused, so many variants of a scenario cost only their changed days.
    """

    def __init__(self, study: StudyData, travel: TravelModel, settings: SolverSettings,
                 workers: int | None = None) -> None:
        self.study = study
        self.travel = travel
        self.settings = settings
        self.workers = workers or default_workers()
        self._solutions: dict[str, Solution] = {}

    @classmethod
    def for_scenario(cls, scenario: Scenario, study: StudyData, travel: TravelModel,
                     workers: int | None = None,
                     solution_limit: int | None = None) -> Evaluator:
        """The scenario's seed and backend; searches stop after ``solution_limit``
        solutions (default: the scenario's ``solver.solution_limit``, else
        :data:`SOLUTION_LIMIT`)."""
        limit = solution_limit or scenario.solver.solution_limit or SOLUTION_LIMIT
        settings = SolverSettings(time_limit_s=TIME_CAP_S, seed=scenario.solver.seed,
                                  backend=scenario.solver.backend, solution_limit=limit)
        return cls(study, travel, settings, workers)

    @property
    def time_capped(self) -> int:
        """Searches stopped by the time cap rather than the solution limit."""
        cap_s = 0.98 * self.settings.time_limit_s
        return sum(1 for s in self._solutions.values()
                   if float(str(s.solver.get("wall_s", 0.0))) >= cap_s)

    def evaluate(self, scenarios: Sequence[Scenario], source: str = "scenario") -> list[Outcome]:
        """Outcomes of ``scenarios`` (all on this evaluator's study and travel model)."""
        plans = [prepare_scenario(scenario, self.study, self.travel, source).plan
                 for scenario in scenarios]
        keys = [[problem_key(p.problem) for p in plan.problems] for plan in plans]
        pending: dict[str, PlannedProblem] = {}
        for plan, plan_keys in zip(plans, keys, strict=True):
            for planned, key in zip(plan.problems, plan_keys, strict=True):
                if key not in self._solutions:
                    pending.setdefault(key, planned)
        solved = solve_problems(tuple(pending.values()), self.settings, self.workers)
        self._solutions.update(zip(pending, solved, strict=True))
        return [self._outcome(scenario, plan, [self._solutions[k] for k in plan_keys])
                for scenario, plan, plan_keys in zip(scenarios, plans, keys, strict=True)]

    def _outcome(self, scenario: Scenario, plan: Plan, solutions: list[Solution]) -> Outcome:
        accounts = account_plan(scenario, self.study, plan, solutions)
        return Outcome(scenario, plan, accounts.routes, accounts.unserved, accounts.kpi_week)


def design_variants(scenario: Scenario) -> dict[str, Scenario]:
    """The scenario under its own design and, where possible, the other design.

    A consolidated scenario gets a direct twin (same orders, days and disruptions); a
    direct scenario gets a consolidated twin only when it names a hub and hub fleet.
    """
    variants: dict[str, Scenario] = {scenario.design: scenario}
    document = scenario.model_dump(mode="json")
    if scenario.design == "consolidated":
        variants["direct"] = Scenario.model_validate(
            document | {"design": "direct", "reuse": None, "name": f"{scenario.name}-as-direct"})
    elif scenario.hub and any(f.count for f in scenario.fleet.hub):
        variants["consolidated"] = Scenario.model_validate(
            document | {"design": "consolidated", "name": f"{scenario.name}-as-consolidated"})
    return variants


def undisrupted(scenario: Scenario) -> Scenario:
    """The same scenario with its disruptions taken out."""
    return scenario.model_copy(update={"disruptions": ()})


# -- service and extra effort ---------------------------------------------------------------
def unmet_kg_by(unserved: Sequence[UnservedDelivery], key: Mapping[str, str] | None,
                field: str) -> dict[str, float]:
    """Unmet kg per week grouped by a delivery field (or by ``key[unit_id]``)."""
    totals: dict[str, float] = defaultdict(float)
    for item in unserved:
        value = getattr(item.delivery, field)
        totals[key[value] if key is not None else value] += item.delivery.demand_kg
    return {k: round(v, 3) for k, v in sorted(totals.items())}


def impact(disrupted: Outcome, normal: Outcome, study: StudyData) -> dict[str, Any]:
    """Service of the disrupted week and its extra effort against the normal week."""
    kpi, base = disrupted.kpi_week, normal.kpi_week
    unit_type = {u.id: str(u.unit_type) for u in study.units}
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


# -- stock, suppliers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Autonomy:
    """How long a unit manages a category on its own stock, and what the week takes.

    ``shortfall_days`` is the unmet demand in days of normal consumption; the unit
    runs out when it exceeds ``stock_days``.
    """

    unit_id: str
    category: str
    stock_days: float
    shortfall_days: float

    @property
    def remaining_days(self) -> float:
        return self.stock_days - self.shortfall_days

    @property
    def runs_out(self) -> bool:
        return self.shortfall_days > self.stock_days + 1e-9


def days_of_autonomy(study: StudyData, orders: Sequence[Order],
                     unserved: Sequence[UnservedDelivery], days: Sequence[Weekday]
                     ) -> list[Autonomy]:
    """Days of autonomy per unit and category ordered (stock days of its unit type;
    0 where the data give none), with the shortfall of the disrupted week."""
    stock = {(str(s.unit_type), s.category): s.stock_days for s in study.stock_days}
    unit_type = {u.id: str(u.unit_type) for u in study.units}
    weekly: dict[tuple[str, str], float] = defaultdict(float)
    for order in orders:
        weekly[(order.unit_id, order.category)] += order.demand_kg_per_week
    unmet: dict[tuple[str, str], float] = defaultdict(float)
    for item in unserved:
        unmet[(item.delivery.unit_id, item.delivery.category)] += item.delivery.demand_kg
    rows = []
    for (unit_id, category), kg in sorted(weekly.items()):
        per_day = kg / len(days) if kg > 0 else math.inf
        rows.append(Autonomy(unit_id, category, stock.get((unit_type[unit_id], category), 0.0),
                             unmet.get((unit_id, category), 0.0) / per_day))
    return rows


def autonomy_summary(rows: Sequence[Autonomy]) -> dict[str, Any]:
    """Per category: least stock days, units short of goods, units that run out."""
    by_category: dict[str, list[Autonomy]] = defaultdict(list)
    for row in rows:
        by_category[row.category].append(row)
    return {category: {"units": len(items),
                       "min_stock_days": min(r.stock_days for r in items),
                       "units_short": sum(1 for r in items if r.shortfall_days > 0),
                       "units_running_out": sum(1 for r in items if r.runs_out),
                       "max_shortfall_days": round(max(r.shortfall_days for r in items), 3)}
            for category, items in sorted(by_category.items())}


def herfindahl_index(weights: Sequence[float]) -> float:
    """Herfindahl-Hirschman index of shares (0-10,000; 10,000 = a single source)."""
    total = sum(weights)
    return sum((100.0 * w / total) ** 2 for w in weights) if total > 0 else 0.0


def supplier_concentration(study: StudyData, orders: Sequence[Order]) -> dict[str, Any]:
    """How much each category, and the whole, depends on single suppliers.

    Per category: kg share and HHI of its suppliers, units getting it from one
    supplier, the alternates listed in the data (``backup_categories``) and units with
    no alternate. Overall: HHI of all kg by supplier and units that depend on a
    single supplier, without alternate, for at least one category.
    """
    kg: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for order in orders:
        kg[order.category][order.supplier_id] += order.demand_kg_per_week
        units[(order.category, order.unit_id)].add(order.supplier_id)
    categories: dict[str, Any] = {}
    exposed_units: set[str] = set()
    for category, by_supplier in sorted(kg.items()):
        total = sum(by_supplier.values())
        alternates = [s.id for s in study.suppliers if category in s.backup_categories]
        single = {u for (c, u), sources in units.items() if c == category and len(sources) == 1}
        if not alternates:
            exposed_units |= single
        categories[category] = {
            "supplier_kg_share": {s: round(w / total, 4) for s, w in sorted(by_supplier.items())},
            "hhi": round(herfindahl_index(list(by_supplier.values())), 1),
            "units_single_supplier": len(single),
            "alternates": alternates,
            "units_without_alternate": 0 if alternates else len(single),
        }
    by_supplier_total: dict[str, float] = defaultdict(float)
    for order in orders:
        by_supplier_total[order.supplier_id] += order.demand_kg_per_week
    return {"categories": categories,
            "hhi_all_goods": round(herfindahl_index(list(by_supplier_total.values())), 1),
            "units_depending_on_a_single_supplier_without_alternate": len(exposed_units),
            "units": len({o.unit_id for o in orders})}


# -- critical links -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CriticalLink:
    """An OSM way, and what closing it does to the plan's routes (per week)."""

    way_id: int
    street_name: str
    extra_km: float
    units_cut_off: tuple[str, ...]
    sites_cut_off: tuple[str, ...]


@dataclass(frozen=True)
class CriticalLinks:
    """The top links, or (``available`` False) why they cannot be computed."""

    available: bool
    reason: str = ""
    links: tuple[CriticalLink, ...] = ()
    candidates: int = 0

    def as_dict(self) -> dict[str, Any]:
        if not self.available:
            return {"available": False, "reason": self.reason}
        return {"available": True, "candidates_evaluated": self.candidates,
                "links": [{"way_id": k.way_id, "street_name": k.street_name,
                           "extra_km_per_week": round(k.extra_km, 3),
                           "units_cut_off": len(k.units_cut_off),
                           "unit_ids": list(k.units_cut_off),
                           "sites_cut_off": list(k.sites_cut_off)} for k in self.links]}


NEEDS_ROAD_NETWORK = ("critical links need a road network (travel: {model: road, network: "
                      "<name>}); crow-fly travel has no road links to close")


def way_usage(routes: Sequence[Route], points: tuple[Point, ...], model: RoadNetworkModel,
              vehicle_types: Mapping[str, VehicleType]) -> Counter[int]:
    """How many route legs drive along each OSM way (shortest-distance paths)."""
    usage: Counter[int] = Counter()
    graph = model.routable_graph
    legs_by_type: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for route in routes:
        legs_by_type[route.vehicle_type_id] |= {(leg.from_location, leg.to_location)
                                                for leg in route.legs
                                                if leg.from_location != leg.to_location}
    count_by_leg: Counter[tuple[str, int, int]] = Counter(
        (r.vehicle_type_id, leg.from_location, leg.to_location) for r in routes for leg in r.legs)
    for type_id, legs in sorted(legs_by_type.items()):
        profile = vehicle_profile(vehicle_types[type_id])
        snap, unreachable = model.snap(points, profile)
        network = model.profile_network(profile)
        routing = RoutingGraph(graph, network.allowed, network.twin, graph.length_m, snap)
        targets: dict[int, list[int]] = defaultdict(list)
        for a, b in legs:
            if points[a].id not in unreachable and points[b].id not in unreachable:
                targets[a].append(b)
        for a, ends in sorted(targets.items()):
            source = int(routing.site_node[a])
            _, predecessors = dijkstra(routing.csr, directed=True, indices=source,
                                       return_predecessors=True)
            for b in ends:
                ways = _path_ways(routing, predecessors, source, int(routing.site_node[b]))
                for way in ways:
                    usage[way] += count_by_leg[(type_id, a, b)]
    return usage


def _path_ways(routing: RoutingGraph, predecessors: np.ndarray, source: int,
               target: int) -> set[int]:
    """OSM way ids (>= 0) along the lightest path from ``source`` to ``target``."""
    ways: set[int] = set()
    node = target
    while node != source:
        tail = int(predecessors[node])
        if tail < 0:
            return set()
        lo, hi = routing.csr.indptr[tail], routing.csr.indptr[tail + 1]
        arc = lo + int(np.flatnonzero(routing.csr.indices[lo:hi] == node)[0])
        way = int(routing.graph.way_id[int(routing.arcs.edge[arc])])
        if way >= 0:
            ways.add(way)
        node = tail
    return ways


def _route_distance_m(route: Route, distance: Mapping[str, np.ndarray], position: Mapping[int, int],
                      cut: set[int]) -> float:
    """The route's stop sequence re-driven on ``distance``, skipping ``cut`` locations."""
    sequence = [route.legs[0].from_location] + [leg.to_location for leg in route.legs]
    kept = [loc for loc in sequence if loc not in cut]
    matrix = distance[route.vehicle_type_id]
    return float(sum(matrix[position[a], position[b]] for a, b in itertools.pairwise(kept)
                     if a != b))


def critical_links(routes: Sequence[Route], points: tuple[Point, ...], travel: TravelModel,
                   vehicle_types: Mapping[str, VehicleType], unit_ids: set[str],
                   max_candidates: int | None = DEFAULT_LINK_CANDIDATES,
                   top: int = TOP_LINKS) -> CriticalLinks:
    """The road links (OSM ways) whose closure hurts ``routes`` most.

    Each candidate way (the ``max_candidates`` most used by the routes; None = all
    used) is closed on its own; the routes keep their stop order and are re-driven on
    the shortest roads left, skipping stops no longer reachable from their depot (or
    that cannot reach it). Ranked by units cut off, then extra km.
    """
    if not isinstance(travel, RoadNetworkModel):
        return CriticalLinks(False, NEEDS_ROAD_NETWORK)
    routes = [r for r in routes if r.legs]
    usage = way_usage(routes, points, travel, vehicle_types)
    ranked = sorted(usage, key=lambda way: (-usage[way], way))
    candidates = ranked if max_candidates is None else ranked[:max_candidates]
    used = sorted({leg.from_location for r in routes for leg in r.legs}
                  | {leg.to_location for r in routes for leg in r.legs})
    position = {loc: i for i, loc in enumerate(used)}
    sites = tuple(points[i] for i in used)
    type_ids = sorted({r.vehicle_type_id for r in routes})

    def distances(model: TravelModel) -> dict[str, np.ndarray]:
        return {t: model.matrices(sites, vehicle_profile(vehicle_types[t])).distance_m
                for t in type_ids}

    base = distances(travel)
    base_m = sum(_route_distance_m(r, base, position, set()) for r in routes)
    graph = travel.routable_graph
    links = []
    for way in candidates:
        closure = Closure(way_ids=(way,), label=f"way {way}")
        closed = dataclasses.replace(travel, closures=(*travel.closures, closure))
        matrices = distances(closed)
        cut: set[int] = set()
        for route in routes:
            matrix = matrices[route.vehicle_type_id]
            depot = position[route.legs[0].from_location]
            for leg in route.legs:
                loc = position[leg.to_location]
                if np.isnan(matrix[depot, loc]) or np.isnan(matrix[loc, depot]):
                    cut.add(leg.to_location)
        extra_m = sum(_route_distance_m(r, matrices, position, cut) for r in routes) - base_m
        names = sorted({str(n) for n in graph.street_name[graph.way_id == way] if n})
        cut_ids = tuple(sorted(points[loc].id for loc in cut))
        links.append(CriticalLink(way, "; ".join(names), extra_m / 1000,
                                  tuple(i for i in cut_ids if i in unit_ids), cut_ids))
    links.sort(key=lambda k: (-len(k.units_cut_off), -k.extra_km, k.way_id))
    return CriticalLinks(True, links=tuple(links[:top]), candidates=len(candidates))


# -- Monte Carlo ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sample:
    """One random disruption of the Monte Carlo."""

    kind: str  # "supplier_outage" or "link_closure"
    disruption: SupplierOutage | RoadClosure

    def describe(self) -> str:
        entry = self.disruption
        if isinstance(entry, SupplierOutage):
            return f"{entry.supplier} out {'-'.join((entry.days[0], entry.days[-1]))}"
        return f"way {entry.way_ids[0]} closed all week"


def draw_samples(count: int, seed: int, suppliers: Sequence[str], days: Sequence[Weekday],
                 ways: Sequence[int]) -> list[Sample]:
    """``count`` random disruptions from ``seed``: each a supplier outage (random
    supplier, first day and length) or, when ``ways`` are given, with probability one
    half, the closure of a random way for the week. Same seed, same samples."""
    rng = np.random.default_rng(seed)
    suppliers, ways = sorted(suppliers), sorted(ways)
    samples = []
    for number in range(count):
        if ways and rng.random() < 0.5:
            way = int(ways[int(rng.integers(len(ways)))])
            samples.append(Sample("link_closure", RoadClosure(
                label=f"monte-carlo {number}: way {way}", way_ids=(way,))))
            continue
        supplier = suppliers[int(rng.integers(len(suppliers)))]
        start = int(rng.integers(len(days)))
        length = int(rng.integers(1, len(days) - start + 1))
        samples.append(Sample("supplier_outage", SupplierOutage(
            label=f"monte-carlo {number}: {supplier} out", supplier=supplier,
            days=tuple(days[start:start + length]))))
    return samples


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """5th, 50th (median) and 95th percentile (linear interpolation)."""
    p5, p50, p95 = np.percentile(np.asarray(values, dtype=float), PERCENTILES)
    return {"p5": float(p5), "median": float(p50), "p95": float(p95)}


def monte_carlo(evaluator: Evaluator, variants: Mapping[str, Scenario],
                normals: Mapping[str, Outcome], samples: Sequence[Sample]) -> dict[str, Any]:
    """Service level and extra cost per week of each design over the samples (each
    sample added to the undisrupted design), as percentiles and per sample."""
    names = list(variants)
    batch = [undisrupted(variants[name]).model_copy(
        update={"disruptions": (sample.disruption,),
                "name": f"{variants[name].name}-mc{number}"})
             for number, sample in enumerate(samples) for name in names]
    outcomes = evaluator.evaluate(batch, source="monte carlo")
    rows = []
    served: dict[str, list[float]] = defaultdict(list)
    extra: dict[str, list[float]] = defaultdict(list)
    for number, sample in enumerate(samples):
        row: dict[str, Any] = {"sample": number, "kind": sample.kind,
                               "disruption": sample.describe()}
        for k, name in enumerate(names):
            kpi = outcomes[number * len(names) + k].kpi_week
            share = kpi["served_demand_share"]
            cost = kpi["cost_nok"] - normals[name].kpi_week["cost_nok"]
            served[name].append(share)
            extra[name].append(cost)
            row[name] = {"served_demand_share": share, "extra_cost_nok": cost}
        rows.append(row)
    summary = {name: {"served_demand_share": percentiles(served[name]),
                      "extra_cost_nok": percentiles(extra[name])} for name in names}
    better = {}
    if len(names) > 1:
        better = {"served_demand_share_p5": better_design(
                      {n: summary[n]["served_demand_share"]["p5"] for n in names}, True),
                  "served_demand_share_median": better_design(
                      {n: summary[n]["served_demand_share"]["median"] for n in names}, True),
                  "extra_cost_nok_median": better_design(
                      {n: summary[n]["extra_cost_nok"]["median"] for n in names}, False)}
    return {"samples": len(samples), "kinds": dict(Counter(s.kind for s in samples)),
            "designs": summary, "holds_up_better": better, "per_sample": rows}


# -- the report -----------------------------------------------------------------------------------
def resilience_report(scenario: Scenario, study: StudyData, travel: TravelModel, *,
                      samples: int, seed: int, workers: int | None = None,
                      source: str = "scenario",
                      link_candidates: int | None = DEFAULT_LINK_CANDIDATES,
                      solution_limit: int | None = None) -> dict[str, Any]:
    """Everything ``logistics resilience`` prints: per design normal vs disrupted, the
    design that holds up better on each metric, days of autonomy, supplier
    concentration, critical links and the Monte Carlo distribution."""
    evaluator = Evaluator.for_scenario(scenario, study, travel, workers, solution_limit)
    variants = design_variants(scenario)
    names = list(variants)
    outcomes = evaluator.evaluate([v for n in names for v in (undisrupted(variants[n]),
                                                               variants[n])], source)
    normals = {n: outcomes[2 * i] for i, n in enumerate(names)}
    disrupted = {n: outcomes[2 * i + 1] for i, n in enumerate(names)}
    designs = {n: impact(disrupted[n], normals[n], study) for n in names}
    better = ({metric: better_design({n: designs[n][metric] for n in names}, higher)
               for metric, higher in HIGHER_IS_BETTER.items()} if len(names) > 1 else {})
    orders = scenario_orders(scenario, study)
    autonomy = {}
    for name in names:
        rows = days_of_autonomy(study, orders, disrupted[name].unserved, scenario.days)
        autonomy[name] = {"by_category": autonomy_summary(rows),
                          "short_units": [dataclasses.asdict(r) | {"runs_out": r.runs_out}
                                          for r in rows if r.shortfall_days > 0]}
    own = normals[scenario.design]
    links = critical_links([r.route for r, _ in own.routes], own.plan.points, travel,
                           study.vehicle_types, {u.id for u in study.units}, link_candidates)
    ways = (sorted(way_usage([r.route for n in names for r, _ in normals[n].routes],
                             own.plan.points, travel, study.vehicle_types))
            if isinstance(travel, RoadNetworkModel) else [])
    drawn = draw_samples(samples, seed, [s.id for s in study.suppliers], scenario.days, ways)
    carlo: dict[str, Any] = (monte_carlo(evaluator, variants, normals, drawn) if samples > 0
                             else {"samples": 0})
    if not ways:
        carlo["link_closures"] = NEEDS_ROAD_NETWORK.replace("critical links", "link closures")
    not_applied: list[NotApplied] = list(dict.fromkeys(
        n for o in disrupted.values()
        for n in Disruptions(o.scenario, study, travel, source).not_applied))
    return {
        "scenario": scenario.name,
        "designs_compared": names,
        "travel_model": travel.name,
        "approximate_travel": travel.approximate,
        "disruptions": [d.name() for d in scenario.disruptions],
        "not_applied": [dataclasses.asdict(n) for n in not_applied],
        "notes": sorted({note for o in disrupted.values() for note in o.plan.notes}),
        "designs": designs,
        "holds_up_better": better,
        "days_of_autonomy": autonomy,
        "supplier_concentration": supplier_concentration(study, orders),
        "critical_links": links.as_dict(),
        "monte_carlo": carlo,
        "solver": {"backend": evaluator.settings.backend, "seed": evaluator.settings.seed,
                   "solution_limit": evaluator.settings.solution_limit,
                   "time_cap_s": TIME_CAP_S,
                   "searches_stopped_by_time_cap": evaluator.time_capped},
    }

