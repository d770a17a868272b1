"""Run a scenario end to end: data -> orders -> travel -> plan -> solve -> accounting -> KPIs."""

from __future__ import annotations

import multiprocessing
import platform
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
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
from logistics.model.domain import Order
from logistics.model.study import StudyData
from logistics.pipeline.check import check_scenario, scenario_channels, scenario_orders
from logistics.pipeline.result import ScenarioResult
from logistics.pipeline.solutions import SolutionStore, solve_shared
from logistics.pipeline.stages import StageClock, TimedTravel
from logistics.plan.builder import (
    Plan,
    PlanBuilder,
    PlannedProblem,
    PlannedRoute,
    shortest_distances_m,
    unserved_deliveries,
)
from logistics.plan.deliveries import UnservedDelivery
from logistics.plan.hub_timing import hub_timing_kpis
from logistics.plan.reuse import ReuseFlow, ReuseItem, flow_orders, load_reuse
from logistics.routing.problem import Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.scenarios.schema import Scenario, check_references
from logistics.settings import get_settings
from logistics.travel.base import TravelModel

Progress = Callable[[str, int, int], None]
"""Called as ``progress(task, done, total)`` while problems are solved."""

TRACKED_PACKAGES = ("ortools", "numpy", "pydantic", "osmnx", "pyvrp")

SEED_USED_BY = {
    "ortools": "no search: the OR-Tools routing search has no seed (it is deterministic "
               "when stopped by its solution limit)",
    "pyvrp": "every search (PyVRP)",
    "auto": "the problems solved with PyVRP; OR-Tools searches have no seed",
}
"""What the recorded seed reached, by backend."""


def default_workers() -> int:
    """Processes for independent routing problems (``Settings.workers``)."""
    return get_settings().workers


def solve_problems(problems: tuple[PlannedProblem, ...], settings: SolverSettings,
                   workers: int, progress: Progress | None = None) -> list[Solution]:
    """Solve independent problems, in parallel processes when ``workers`` > 1.

    Each problem is solved single-threaded with the same seed, so results do not
    depend on the number of workers. The largest problems go first, so that no worker
    is left with a long search at the end. Workers start from a fork server, which is
    safe when the caller runs threads (the HTTP API does).
    """
    total = len(problems)
    if workers <= 1 or total <= 1:
        solutions = []
        for done, planned in enumerate(problems, start=1):
            solutions.append(solve(planned.problem, settings))
            if progress:
                progress("solving", done, total)
        return solutions
    largest_first = sorted(range(total), key=lambda i: len(problems[i].problem.jobs),
                           reverse=True)
    solved: dict[int, Solution] = {}
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("forkserver")) as pool:
        futures = {pool.submit(solve, problems[i].problem, settings): i
                   for i in largest_first}
        for done, future in enumerate(as_completed(futures), start=1):
            solved[futures[future]] = future.result()
            if progress:
                progress("solving", done, total)
    return [solved[i] for i in range(total)]


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


def prepare_scenario(scenario: Scenario, study: StudyData, travel: TravelModel,
                     source: str = "scenario") -> PreparedScenario:
    """Check the scenario against the study, make its orders and build its plan."""
    check_references(scenario, source, {h.id for h in study.hubs}, set(study.vehicle_types),
                     {c.id for c in study.categories})
    orders = scenario_orders(scenario, study)
    flows: tuple[ReuseFlow, ...] = ()
    items: dict[str, ReuseItem] = {}
    if scenario.reuse is not None:
        flows, items = load_reuse(scenario.resolve(scenario.reuse.flows_file),
                                  scenario.resolve(scenario.reuse.items_file),
                                  {u.id for u in study.units})
    plan = PlanBuilder(scenario, study, orders, travel, source, reuse_flows=flows,
                       reuse_items=items, channels=scenario_channels(scenario, study)).build()
    return PreparedScenario(orders + flow_orders(flows, items, str(scenario.hub)), plan)


def account_plan(scenario: Scenario, study: StudyData, plan: Plan,
                 solutions: list[Solution]) -> Accounts:
    """Routes, unserved deliveries, allocated emissions and KPIs of a solved plan."""
    routes, solver_unserved, late_minutes = planned_routes(plan, plan.problems, solutions)
    routes = list(plan.inbound_routes) + routes
    unserved = tuple(plan.unserved) + tuple(solver_unserved)
    context = AccountingContext.for_scenario(scenario, study)
    accounted: list[tuple[PlannedRoute, RouteAccount]] = []
    allocations: list[Mapping[str, LegEmissions]] = []
    for planned in routes:
        account, allocation = account_route(
            planned, study.vehicle_types[planned.route.vehicle_type_id], context)
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
                 study: StudyData | None = None, travel: TravelModel | None = None,
                 workers: int | None = None, progress: Progress | None = None,
                 solution_store: SolutionStore | None = None) -> ScenarioResult:
    """Plan, solve and account one scenario; with ``solution_store``, routing problems
    solved before (by any process reading that store) are not solved again."""
    started = time.perf_counter()
    clock = StageClock()
    with clock.stage("planning"):
        checked = check_scenario(scenario, source, study=study, travel=travel)
        study, travel = checked.study, checked.travel
        timed_travel = TimedTravel(travel)
        prepared = prepare_scenario(scenario, study, timed_travel, source)
    clock.moved(timed_travel.matrices_s, "planning", "matrices")
    plan = prepared.plan
    settings = scenario.solver
    solve_missing = partial(solve_problems, settings=settings,
                            workers=workers or default_workers(), progress=progress)
    solved_here: list[PlannedProblem] = []

    def solve_counted(problems: tuple[PlannedProblem, ...]) -> list[Solution]:
        solved_here.extend(problems)
        return solve_missing(problems)

    with clock.stage("search"):
        solutions = solve_shared(plan.problems, settings, solve_counted, solution_store)
    with clock.stage("accounting"):
        accounts = account_plan(scenario, study, plan, solutions)
    searches = {**plan.searches, **{planned.problem.name: solution.solver for planned, solution
                                    in zip(plan.problems, solutions, strict=True)}}
    return ScenarioResult(
        scenario=scenario.model_dump(mode="json"),
        travel=travel.describe(),
        approximate=travel.approximate,
        illustrative=study.illustrative,
        kpi_week=accounts.kpi_week,
        kpi_year=accounts.kpi_year,
        routes=accounts.routes,
        unserved=accounts.unserved,
        point_ids=tuple(p.id for p in plan.points),
        sites={site.id: site for site in (*study.suppliers, *study.hubs, *study.units)},
        emissions_method=accounts.context.describe(),
        emissions_by_order=aggregate_by_order_field(accounts.allocations, prepared.orders, "id"),
        orders=prepared.orders,
        provenance={
            "input_sha256": dict(study.file_sha256),
            "orders": len(prepared.orders),
            "routing_problems": len(plan.problems),
            "routing_problems_solved": len(solved_here),
            "solver": {"backend": settings.backend, "seed": settings.seed,
                       "seed_used_by": SEED_USED_BY[settings.backend],
                       "time_limit_s_per_problem": settings.time_limit_s,
                       "solution_limit": settings.solution_limit,
                       "iteration_limit": settings.iteration_limit, "search_workers": 1,
                       "searches": {name: {"backend": info.get("backend"),
                                           "stopped_by": info.get("stopped_by")}
                                    for name, info in searches.items()}},
            "packages": {name: _version(name) for name in TRACKED_PACKAGES},
            "python": platform.python_version(),
            "wall_s": round(time.perf_counter() - started, 2),
            "stage_s": clock.rounded(),
        },
        plan_notes=plan.notes,
        carriers=accounts.carriers,
    )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"

