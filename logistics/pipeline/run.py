"""Run a scenario end to end: data -> orders -> travel -> plan -> solve -> accounting -> KPIs."""

from __future__ import annotations

import dataclasses
import platform
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from importlib import metadata

from logistics.accounting.carriers import CarrierAccount, account_shipments, carrier_allocation
from logistics.accounting.emissions import LegEmissions, aggregate_by_order_field
from logistics.accounting.kpi import RATIO_KPIS, RouteAccount, weekly_kpis, yearly_kpis
from logistics.accounting.routes import AccountingContext, account_route
from logistics.accounting.shared_routes import (
    attributed_account,
    attributed_allocation,
    route_share,
)
from logistics.model.dataset import DataSet
from logistics.model.domain import Order
from logistics.paths import file_sha256
from logistics.pipeline.provenance import RunProvenance, SearchRecord, SolverProvenance
from logistics.pipeline.result import ScenarioResult
from logistics.pipeline.scenario_check import CheckedScenario, check_scenario
from logistics.pipeline.solutions import Progress, SolutionStore, solve_shared
from logistics.pipeline.stages import StageClock, TimedTravel
from logistics.plan.builder import (
    Plan,
    PlanBuilder,
    SolveProblems,
    shortest_distances_m,
    unserved_deliveries,
)
from logistics.plan.deliveries import UnservedDelivery
from logistics.plan.hub_timing import hub_timing_kpis
from logistics.plan.planned import PlannedProblem, PlannedRoute
from logistics.plan.reuse import flow_orders
from logistics.routing.problem import Solution
from logistics.scenarios.schema import Scenario
from logistics.travel.base import TravelModel

TRACKED_PACKAGES = ("ortools", "numpy", "pydantic", "osmnx", "pyvrp")

SEED_USED_BY = {
    "ortools": "no search: the OR-Tools routing search has no seed (it is deterministic "
               "when stopped by its solution limit)",
    "pyvrp": "every search (PyVRP)",
    "auto": "the problems solved with PyVRP; OR-Tools searches have no seed",
}
"""What the recorded seed reached, by backend."""


def planned_routes(plan: Plan, problems: tuple[PlannedProblem, ...],
                   solutions: list[Solution]) -> tuple[list[PlannedRoute],
                                                       list[UnservedDelivery], float]:
    """Routes with the deliveries at each stop, unserved deliveries, and late minutes."""
    routes: list[PlannedRoute] = []
    unserved: list[UnservedDelivery] = []
    late_s = 0.0
    for planned, solution in zip(problems, solutions, strict=True):
        for route in solution.routes:
            dropped = {i: plan.deliveries_by_job[v.job_id] for i, v in enumerate(route.visits)
                       if v.job_id in plan.deliveries_by_job}
            routes.append(PlannedRoute(planned.day, planned.kind, planned.owner, route, dropped,
                                       shortest_distances_m(planned.problem, route, dropped)))
            for visit in route.visits:
                if visit.job_id in plan.deliveries_by_job:
                    job = planned.problem.job(visit.job_id)
                    late_s += min(max(0.0, visit.start_s - end) for _, end in job.time_windows_s)
        for missed in solution.unserved:
            unserved += unserved_deliveries(missed, plan.deliveries_by_job)
    return routes, unserved, late_s / 60


@dataclass(frozen=True)
class PreparedScenario:
    """A scenario's plan, ready to solve, and its orders: goods orders and reuse flows
    (as orders of the store), the units emissions are allocated to."""

    orders: tuple[Order, ...]
    plan: Plan


@dataclass(frozen=True)
class Accounts:
    """A solved plan accounted: routes with their accounts, unserved deliveries,
    emissions allocated to orders, KPIs of the week and of the year."""

    routes: tuple[tuple[PlannedRoute, RouteAccount], ...]
    unserved: tuple[UnservedDelivery, ...]
    allocations: tuple[Mapping[str, LegEmissions], ...]
    kpi_week: dict[str, float]
    kpi_year: dict[str, float]
    context: AccountingContext
    carriers: tuple[CarrierAccount, ...] = ()


def prepare_scenario(checked: CheckedScenario,
                     solving: SolveProblems | None = None) -> PreparedScenario:
    """The checked scenario's plan and its orders (goods orders, then reuse flows);
    ``solving`` searches the milk runs planned on the way (default: one by one here)."""
    scenario = checked.scenario
    plan = PlanBuilder(scenario, checked.dataset, checked.orders, checked.travel, checked.source,
                       reuse_flows=checked.reuse_flows, reuse_items=checked.reuse_items,
                       channels=checked.channels, disruptions=checked.disruptions,
                       solve_collections=solving).build()
    return PreparedScenario(checked.orders + flow_orders(checked.reuse_flows,
                                                         checked.reuse_items,
                                                         str(scenario.hub)), plan)


def account_plan(checked: CheckedScenario, plan: Plan, solutions: list[Solution]) -> Accounts:
    """Routes, unserved deliveries, allocated emissions and KPIs of a solved plan."""
    scenario, dataset, context = checked.scenario, checked.dataset, checked.context
    routes, solver_unserved, late_minutes = planned_routes(plan, plan.problems, solutions)
    routes = list(plan.inbound_routes) + routes
    unserved = tuple(plan.unserved) + tuple(solver_unserved)
    accounted: list[tuple[PlannedRoute, RouteAccount]] = []
    allocations: list[Mapping[str, LegEmissions]] = []
    for planned in routes:
        account, allocation = account_route(
            planned, dataset.vehicle_types[planned.route.vehicle_type_id], context)
        share = route_share(planned.kind, scenario.shared_routes.municipal_share)
        accounted.append((planned, attributed_account(account, share)))
        allocations.append(attributed_allocation(allocation, share))
    carriers = account_shipments(plan.carrier_shipments, context.factors.carbon_price(
        context.settings.carbon_price_year).nok_per_t_co2e)
    allocations.append(carrier_allocation(carriers))
    hub = context.hub_operations(routes)
    kpi_week = weekly_kpis(accounted, plan.deliveries, unserved, hub=hub,
                           late_minutes=late_minutes, carriers=carriers)
    kpi_year = yearly_kpis(accounted, plan.deliveries, unserved, context.year, hub=hub,
                           late_minutes=late_minutes, carriers=carriers)
    timing = hub_timing_kpis(routes, scenario.hub_timing, scenario.days, context.temperature)
    kpi_week.update(timing)
    kpi_year.update({name: value if name in RATIO_KPIS else value * context.year.hub_weeks
                     for name, value in timing.items()})
    return Accounts(tuple(accounted), unserved, tuple(allocations), kpi_week, kpi_year,
                    context, carriers)


def run_scenario(scenario: Scenario, *, source: str = "scenario",
                 dataset: DataSet | None = None, travel: TravelModel | None = None,
                 workers: int | None = None, progress: Progress | None = None,
                 solution_store: SolutionStore | None = None) -> ScenarioResult:
    """Check, then :func:`run_checked`, one scenario; ``study`` and ``travel`` may be
    given when already loaded."""
    return run_checked(check_scenario(scenario, source, dataset=dataset, travel=travel),
                       workers=workers, progress=progress, solution_store=solution_store)


def run_checked(checked: CheckedScenario, *, workers: int | None = None,
                progress: Progress | None = None,
                solution_store: SolutionStore | None = None) -> ScenarioResult:
    """Plan, solve and account one checked scenario (no check again); with
    ``solution_store``, routing problems solved before (by any process reading that
    store) are not solved again, nor those another process is solving at the same time
    (read once it stored them)."""
    started = time.perf_counter()
    scenario, dataset, travel = checked.scenario, checked.dataset, checked.travel
    settings = scenario.solver
    solved_here: list[PlannedProblem] = []
    waited_for: list[PlannedProblem] = []
    solving = partial(solve_shared, settings=settings, workers=workers, progress=progress,
                      store=solution_store, solved=solved_here, waited=waited_for)
    clock = StageClock()
    with clock.stage("planning"):  # the milk runs' searches are planning here
        timed_travel = TimedTravel(travel)
        prepared = prepare_scenario(dataclasses.replace(checked, travel=timed_travel), solving)
    clock.moved(timed_travel.matrices_s, "planning", "matrices")
    plan = prepared.plan
    with clock.stage("search"):
        solutions = solving(plan.problems)
    with clock.stage("accounting"):
        accounts = account_plan(checked, plan, solutions)
    searches = {**plan.searches, **{planned.problem.name: solution.solver for planned, solution
                                    in zip(plan.problems, solutions, strict=True)}}
    return ScenarioResult(
        scenario=scenario,
        travel=travel.describe(),
        approximate=travel.approximate,
        illustrative=dataset.illustrative,
        kpi_week=accounts.kpi_week,
        kpi_year=accounts.kpi_year,
        routes=accounts.routes,
        unserved=accounts.unserved,
        point_ids=tuple(p.id for p in plan.points),
        sites={site.id: site for site in (*dataset.suppliers, *dataset.hubs, *dataset.units)},
        emissions_method=accounts.context.describe(),
        emissions_by_order=aggregate_by_order_field(accounts.allocations, prepared.orders, "id"),
        orders=prepared.orders,
        provenance=RunProvenance(
            input_sha256=dict(dataset.file_sha256),
            orders_sha256=(file_sha256(scenario.resolve(scenario.orders_file))
                           if scenario.orders_file else None),
            orders=len(prepared.orders),
            routing_problems=len(plan.problems),
            routing_problems_solved=len(solved_here),
            routing_problems_read_from_searches_in_flight=len(waited_for),
            solver=SolverProvenance(
                backend=settings.backend, seed=settings.seed,
                seed_used_by=SEED_USED_BY[settings.backend],
                time_limit_s_per_problem=settings.time_limit_s,
                solution_limit=settings.solution_limit,
                iteration_limit=settings.iteration_limit, search_workers=1,
                searches={name: SearchRecord.from_solver_info(info)
                          for name, info in searches.items()}),
            packages={name: _version(name) for name in TRACKED_PACKAGES},
            python=platform.python_version(),
            wall_s=round(time.perf_counter() - started, 2),
            stage_s=clock.rounded(),
        ),
        plan_notes=plan.notes,
        carriers=accounts.carriers,
    )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"

