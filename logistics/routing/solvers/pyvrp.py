"""PyVRP as a second routing backend, behind the same interface as OR-Tools.

``solve_pyvrp(problem, settings)`` takes a :class:`RoutingProblem` and returns our
own :class:`Solution`. It models what PyVRP supports: capacity in kg and m3
(deliveries from the start depot, pickups back to the end depot), one time window
per job, release times (a client's ``release_time``: its route leaves the depot no
earlier; rounded up to whole seconds), a heterogeneous fleet with fixed, per-km and
per-hour costs, several depots, maximum route duration and distance, and optional
jobs whose ``penalty_nok`` is the prize for serving them. Problems with shipments, several
windows per job, several trips or vehicle restrictions raise
:class:`UnsupportedByPyVRP`, so the caller can use OR-Tools instead.

Driver breaks are placed after solving: a route whose driving stays within the
rule's ``after_driving_s`` needs none; otherwise one break goes after the stop that
keeps every window, the shift and the route duration and ends the route earliest
(:func:`with_driver_break`). When a route has no such stop the problem raises
:class:`BreakDoesNotFit` (``auto`` then solves it with OR-Tools).

The search is PyVRP's iterated local search with our own penalties (priced from the
costs and adapting within a short search, :func:`initial_penalties`), late-acceptance
history and neighbourhood size, measured in the README (``make bench-convergence``).
It stops after ``settings.pyvrp_iterations`` iterations, so the result is the
same on every machine; ``settings.pyvrp_time_cap_s`` is a safety cap, and the solver info
records which of the two stopped it (``stopped_by``).

Every job is optional with a prize equal to its penalty, so a feasible answer
always exists (at worst with jobs unserved, each with a reason).

Pre-screening, the float replay of PyVRP's routes and the objective are shared with
the OR-Tools backend in :mod:`logistics.routing.replay`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvrp
from pyvrp import search, stop

from logistics.errors import LogisticsError
from logistics.routing.diagnose import diagnose_unserved
from logistics.routing.problem import Break, Job, Route, RoutingProblem, Solution, Vehicle
from logistics.routing.replay import BREAK, Step, objective_nok, prescreen, replay_route
from logistics.routing.scaling import (
    capacity_to_int_g,
    demand_to_int_g,
    distance_limit_to_int_m,
    duration_to_int_s,
    matrix_to_int,
    time_to_int_s_down,
    time_to_int_s_up,
    volume_capacity_to_int_l,
    volume_to_int_l,
)
from logistics.routing.settings import SolverSettings, stop_reason

UNREACHABLE = 1e8
"""Metres (and seconds) given to a pair with no path: far beyond any prize, so never
used, yet small enough that PyVRP's penalty on it cannot overflow (unlike
``scaling.UNUSABLE_ARC``, sized for OR-Tools)."""
NO_LIMIT = int(np.iinfo(np.int64).max)
"""PyVRP's value for an unconstrained route duration or distance."""
REFERENCE_SPEED_M_PER_S = 10.0
"""The speed at which a second of duration is priced like metres of distance, in the
reference cost below and in the penalty of a second of lateness."""
COST_UNITS_PER_REFERENCE_METRE = 1_000
"""PyVRP costs are integers. The costliest vehicle's cost of one metre (its duration
cost counted at :data:`REFERENCE_SPEED_M_PER_S`) becomes this many cost units: 0.1 %
resolution (at 1 %, a diesel lorry's 12 NOK/km was searched as 12.15, a hand-made
route's 220 NOK as 220.56), while PyVRP's infeasibility penalties stay in proportion
to the costs."""
PENALTY_PER_UNIT_COST = 10.0
"""Starting penalty of one unit of a violated limit, in multiples of what a unit of it
costs: a metre over a range costs 10 reference metres, a second of lateness the same
per metre at :data:`REFERENCE_SPEED_M_PER_S`, a unit over a capacity 10 times the mean
arc's cost per mean demand. Strong enough that the best solutions stay feasible, weak
enough that the search can cross infeasible ground, e.g. to empty a route and save its
vehicle's fixed cost (measured in the README, `make bench-convergence`)."""
PENALTY_RANGE = 100.0
"""The penalties may fall to 1/100 of their lowest starting value and rise to 100
times their highest (on Bergen's problems at most 10^7 cost units per second of
lateness, so even a route over an :data:`UNREACHABLE` arc stays inside 64-bit
integers)."""
ACCEPTANCE_HISTORY = 50
"""Length of the late-acceptance history: a candidate is accepted when it beats the
current solution or the one this many iterations ago. PyVRP's default (300) accepts
almost anything better than the random start for the first 300 iterations, half of a
default search."""
NEIGHBOURS = 35
"""Nearest clients each client's moves consider. PyVRP's default (50) costs a third
more time per iteration for a similar gap; the time saved buys more iterations
(README, `make bench-convergence`)."""
PENALTY_UPDATE_EVERY = 50
"""Candidate solutions between penalty updates: PyVRP's default (500) barely adapts
within a search of a few hundred iterations."""


def cost_units_per_nok(problem: RoutingProblem) -> float:
    """Integer cost units per NOK for ``problem`` (see COST_UNITS_PER_REFERENCE_METRE)."""
    reference_nok_per_m = max(
        (v.cost_nok_per_km / 1000.0 + v.cost_nok_per_hour / 3600.0 / REFERENCE_SPEED_M_PER_S
         for v in problem.vehicles), default=0.0)
    return COST_UNITS_PER_REFERENCE_METRE / max(reference_nok_per_m, 1e-3)


def cost_to_int(cost_nok: float, units_per_nok: float) -> int:
    return round(cost_nok * units_per_nok)


def initial_penalties(data: pyvrp.ProblemData) -> tuple[list[float], float, float]:
    """Starting penalties of one unit of excess load (per load dimension), time warp
    (s) and excess distance (m), in cost units, from what a unit costs (see
    :data:`PENALTY_PER_UNIT_COST`), instead of PyVRP's midpoint of its penalty range."""
    per_m = PENALTY_PER_UNIT_COST * COST_UNITS_PER_REFERENCE_METRE
    distances = np.asarray(data.distance_matrix(0), dtype=float)
    mean_arc_m = float(distances[distances < UNREACHABLE].mean())
    loads = []
    for dim in range(data.num_load_dimensions):
        demand = np.mean([max(c.delivery[dim], c.pickup[dim]) for c in data.clients()])
        loads.append(per_m * mean_arc_m / max(float(demand), 1.0))
    return loads, per_m * REFERENCE_SPEED_M_PER_S, per_m


def _search(data: pyvrp.ProblemData, criterion: Any, seed: int) -> pyvrp.Result:
    """PyVRP's iterated local search as :func:`pyvrp.solve` runs it, with penalties that
    start at :func:`initial_penalties` and adapt every :data:`PENALTY_UPDATE_EVERY`
    candidates."""
    penalties = initial_penalties(data)
    values = [*penalties[0], penalties[1], penalties[2]]
    params = pyvrp.PenaltyParams(solutions_between_updates=PENALTY_UPDATE_EVERY,
                                 min_penalty=min(values) / PENALTY_RANGE,
                                 max_penalty=max(values) * PENALTY_RANGE)
    manager = pyvrp.PenaltyManager(penalties, params)
    rng = pyvrp.RandomNumberGenerator(seed=seed)
    neighbours = search.compute_neighbours(
        data, search.NeighbourhoodParams(num_neighbours=NEIGHBOURS))
    local_search = search.LocalSearch(data, rng, neighbours, search.PerturbationManager())
    for operator in search.OPERATORS:
        if operator.supports(data):
            local_search.add_operator(operator(data))
    start = local_search(pyvrp.Solution.make_random(data, rng),
                         manager.max_cost_evaluator(), exhaustive=True)
    ils = pyvrp.IteratedLocalSearch(
        data, manager, local_search, start,
        pyvrp.IteratedLocalSearchParams(history_length=ACCEPTANCE_HISTORY))
    return ils.run(criterion, collect_stats=False)


class UnsupportedByPyVRP(LogisticsError):
    """The problem uses features the PyVRP backend does not model; use OR-Tools."""

    def __init__(self, problem_name: str, features: Sequence[str]):
        self.features = tuple(features)
        listed = "; ".join(self.features)
        super().__init__(
            f"routing problem '{problem_name}' needs features the pyvrp backend does not "
            f"support: {listed}. Solve it with the ortools backend."
        )


def unsupported_features(problem: RoutingProblem) -> list[str]:
    """What in ``problem`` the PyVRP backend cannot model (empty when all is fine)."""
    features: list[str] = []
    if problem.shipments:
        features.append(f"{len(problem.shipments)} shipments (pickup and delivery pairs)")
    several = [j.id for j in problem.jobs if len(j.time_windows_s) > 1]
    if several:
        features.append(f"several time windows per job (jobs {', '.join(several[:5])})")
    fleet = {v.id for v in problem.vehicles}
    restricted = [j.id for j in problem.jobs
                  if j.allowed_vehicles is not None and not fleet <= j.allowed_vehicles]
    if restricted:
        features.append(f"vehicle restrictions (jobs {', '.join(restricted[:5])})")
    trips = [v.id for v in problem.vehicles if v.max_trips > 1]
    if trips:
        features.append(f"several trips per vehicle (vehicles {', '.join(trips[:5])})")
    return features


class BreakDoesNotFit(UnsupportedByPyVRP):
    """A route PyVRP found drives longer than its driver-break rule allows and no stop
    takes the break without breaking a window, the shift or the route duration."""

    def __init__(self, problem_name: str, vehicle_id: str):
        super().__init__(problem_name, [f"a driver break on the route of {vehicle_id}"])


def _drives_within_rule(route: Route, rule: Break) -> bool:
    """Whether driving since the route start or the last break never exceeds
    ``rule.after_driving_s`` (breaks of the rule's length reset it)."""
    driving_s = 0.0
    for leg, visit in zip(route.legs, [*route.visits, None], strict=True):
        driving_s += leg.duration_s
        if driving_s > rule.after_driving_s:
            return False
        if visit is not None and visit.kind == BREAK:
            driving_s = 0.0
    return True


def _keeps_times(problem: RoutingProblem, vehicle: Vehicle, route: Route) -> bool:
    """Every service inside a window of its job, the route inside the shift and within
    the vehicle's maximum duration."""
    if route.end_s > vehicle.shift_s[1] or (
            vehicle.max_duration_s is not None and route.duration_s > vehicle.max_duration_s):
        return False
    windows = {job.id: job.time_windows_s for job in problem.jobs}
    return all(any(a <= visit.start_s <= b for a, b in windows[visit.job_id])
               for visit in route.visits if visit.kind != BREAK)


def with_driver_break(problem: RoutingProblem, vehicle: Vehicle, jobs: Sequence[Job],
                      start_s: float) -> Route | None:
    """The route serving ``jobs`` in order from ``start_s``, with one driver break after
    the stop that keeps the rule, every window, the shift and the duration and ends the
    route earliest; without a break when its driving needs none (or the vehicle has no
    break rule). None when no stop can take the break."""
    route = replay_route(problem, vehicle, jobs, start_s)
    rule = vehicle.driver_break
    if rule is None or _drives_within_rule(route, rule):
        return route
    fitting = []
    for stop_count in range(1, len(jobs) + 1):
        steps: list[Step] = [*jobs[:stop_count], BREAK, *jobs[stop_count:]]
        candidate = replay_route(problem, vehicle, steps, start_s)
        if _drives_within_rule(candidate, rule) and _keeps_times(problem, vehicle, candidate):
            fitting.append(candidate)
    return min(fitting, key=lambda r: r.end_s, default=None)


@dataclass(frozen=True)
class _Model:
    """The PyVRP data plus the maps back to our ids."""

    data: pyvrp.ProblemData
    jobs: tuple[Job, ...]
    fleets: tuple[tuple[Vehicle, ...], ...]
    location_points: tuple[int, ...]


def _fleet_key(v: Vehicle) -> tuple[object, ...]:
    return (v.vehicle_type_id, v.profile, v.start, v.end, v.capacity_kg, v.capacity_m3,
            v.shift_s, v.max_duration_s, v.max_distance_m, v.fixed_cost_nok,
            v.cost_nok_per_km, v.cost_nok_per_hour)


def _int_matrix(matrix: np.ndarray, idx: np.ndarray, what: str) -> np.ndarray:
    """The sub-matrix between ``idx`` points, NaN replaced by :data:`UNREACHABLE`."""
    sub = np.nan_to_num(matrix[np.ix_(idx, idx)], nan=UNREACHABLE)
    return matrix_to_int(sub, what)


def _build_model(problem: RoutingProblem, jobs: list[Job]) -> _Model:
    groups: dict[tuple[object, ...], list[Vehicle]] = {}
    for vehicle in problem.vehicles:
        groups.setdefault(_fleet_key(vehicle), []).append(vehicle)
    fleets = tuple(tuple(g) for g in groups.values())
    depot_points = sorted({p for v in problem.vehicles for p in (v.start, v.end)})
    location_points = depot_points + sorted({j.location for j in jobs} - set(depot_points))
    where = {point: i for i, point in enumerate(location_points)}
    scale = cost_units_per_nok(problem)
    locations = [pyvrp.Location(x=problem.points[p].lon, y=problem.points[p].lat,
                                name=problem.points[p].id) for p in location_points]
    depots = [pyvrp.Depot(location=where[p], name=problem.points[p].id) for p in depot_points]
    depot_index = {p: i for i, p in enumerate(depot_points)}
    clients = [
        pyvrp.Client(
            location=where[j.location],
            delivery=[demand_to_int_g(j.delivery_kg), volume_to_int_l(j.delivery_m3)],
            pickup=[demand_to_int_g(j.pickup_kg), volume_to_int_l(j.pickup_m3)],
            service_duration=duration_to_int_s(j.service_duration_s),
            tw_early=time_to_int_s_up(j.time_windows_s[0][0]),
            tw_late=time_to_int_s_down(j.time_windows_s[0][1]),
            release_time=time_to_int_s_up(j.release_s),
            prize=cost_to_int(j.penalty_nok, scale),
            required=False,
            name=j.id,
        )
        for j in jobs
    ]
    profiles = sorted({v.profile for v in problem.vehicles})
    vehicle_types = []
    for fleet in fleets:
        v = fleet[0]
        vehicle_types.append(pyvrp.VehicleType(
            num_available=len(fleet),
            capacity=[capacity_to_int_g(v.capacity_kg),
                      volume_capacity_to_int_l(v.capacity_m3)],
            start_depot=depot_index[v.start],
            end_depot=depot_index[v.end],
            fixed_cost=cost_to_int(v.fixed_cost_nok, scale),
            tw_early=time_to_int_s_up(v.shift_s[0]),
            tw_late=time_to_int_s_down(v.shift_s[1]),
            unit_distance_cost=cost_to_int(v.cost_nok_per_km / 1000.0, scale),
            unit_duration_cost=cost_to_int(v.cost_nok_per_hour / 3600.0, scale),
            profile=profiles.index(v.profile),
            shift_duration=(NO_LIMIT if v.max_duration_s is None
                            else time_to_int_s_down(v.max_duration_s)),
            max_distance=(NO_LIMIT if v.max_distance_m is None
                          else distance_limit_to_int_m(v.max_distance_m)),
            name=v.vehicle_type_id,
        ))
    idx = np.array(location_points)
    distances: list[Any] = [_int_matrix(problem.distance_m(p), idx, "distance_m")
                            for p in profiles]
    durations: list[Any] = [_int_matrix(problem.duration_s(p), idx, "duration_s")
                            for p in profiles]
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        distance_matrices=distances,
        duration_matrices=durations,
    )
    return _Model(data, tuple(jobs), fleets, tuple(location_points))


def _search_objective_nok(problem: RoutingProblem, solution: pyvrp.Solution) -> float:
    """The objective PyVRP minimised for ``solution`` (its integer costs and uncollected
    prizes), in NOK: it differs from ``objective_nok`` only by the rounding of the
    matrices and unit costs."""
    return (solution.fixed_vehicle_cost() + solution.distance_cost()
            + solution.duration_cost() + solution.uncollected_prizes()
            ) / cost_units_per_nok(problem)


def _route(problem: RoutingProblem, model: _Model, vehicle: Vehicle,
           route: pyvrp.Route) -> Route:
    """Our route for a PyVRP route: its order and start time, replayed in floats, with
    the driver break its driving needs."""
    schedule = list(route.schedule())
    served = [model.jobs[a.idx] for a in schedule if a.is_client()]
    ours = with_driver_break(problem, vehicle, served, float(schedule[0].start_time))
    if ours is None:
        raise BreakDoesNotFit(problem.name, vehicle.id)
    return ours


def solve_pyvrp(problem: RoutingProblem, settings: SolverSettings) -> Solution:
    """Solve ``problem`` with PyVRP's iterated local search, stopped after
    ``settings.pyvrp_iterations(problem.stops)`` iterations or at the time cap.

    Raises :class:`UnsupportedByPyVRP` when the problem needs features listed in
    :func:`unsupported_features`, and :class:`BreakDoesNotFit` when a route needs a
    driver break no stop can take.
    """
    features = unsupported_features(problem)
    if features:
        raise UnsupportedByPyVRP(problem.name, features)
    jobs, unserved = prescreen(problem, problem.jobs)
    iterations = settings.pyvrp_iterations(problem.stops)
    cap_s = settings.pyvrp_time_cap_s(problem.stops)
    info: dict[str, object] = {"backend": "pyvrp", "seed": settings.seed,
                               "time_limit_s": cap_s,
                               "iteration_limit": iterations}
    routes: list[Route] = []
    if not jobs:
        info.update(iterations=0, stopped_by="nothing_to_solve")
    else:
        model = _build_model(problem, jobs)
        criteria: list[Any] = [stop.MaxRuntime(cap_s)]
        if iterations is not None:
            criteria.append(stop.MaxIterations(iterations))
        result = _search(model.data, stop.MultipleCriteria(criteria), settings.seed)
        best = result.best
        info.update(iterations=result.num_iterations, runtime_s=result.runtime,
                    feasible=best.is_feasible(),
                    search_objective_nok=_search_objective_nok(problem, best),
                    stopped_by=stop_reason(settings, "iteration_limit",
                                           iterations, result.num_iterations,
                                           result.runtime, cap_s))
        if best.is_feasible():
            used = [0] * len(model.fleets)
            for route in best.routes():
                fleet = model.fleets[route.vehicle_type()]
                vehicle = fleet[used[route.vehicle_type()]]
                used[route.vehicle_type()] += 1
                routes.append(_route(problem, model, vehicle, route))
        on_route = {v.job_id for r in routes for v in r.visits}
        unserved.extend(diagnose_unserved(problem, (j.id for j in jobs
                                                    if j.id not in on_route)))
    return Solution(
        problem_name=problem.name,
        routes=tuple(routes),
        unserved=tuple(unserved),
        objective_nok=objective_nok(problem, routes, unserved),
        solver=info,
    )
