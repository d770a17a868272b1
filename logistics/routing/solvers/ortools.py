"""OR-Tools adapter: the only module that imports OR-Tools.

Model (all quantities through :mod:`logistics.routing.scaling`):

- nodes: one per depot point, one per job (shipment ends are jobs), and
  ``max_trips - 1`` optional *reload* nodes per vehicle at its end depot;
- cost: per vehicle an arc cost in øre = distance x cost per km + (travel + service
  at the from-node) x cost per hour, waiting charged through the time dimension's
  slack cost, fixed cost per used vehicle, and every job in a disjunction with its
  penalty. A vehicle with neither per-km nor per-hour cost gets a tie-break arc cost
  of 1 øre per 100 m so it still drives short routes;
- time: cumul = service start (seconds since midnight), transit = service at the
  from-node + travel on the vehicle's profile; several windows are the hull of the
  windows minus the gaps; shift as start/end cumul range; max duration as span bound;
- load (kg and m3 separately): the route starts with a free load ``s`` and every
  stop adds ``pickup - delivery``. Loads stay in [0, capacity]. When a problem mixes
  depot deliveries with pickups, a second dimension counts the depot deliveries
  still on board and the load may never be below it, which makes ``s`` at least the
  trip's deliveries: load = remaining deliveries + collected goods <= capacity.
  A reload node empties the vehicle (transit = -capacity) and its slack refills it;
- release: a job released at ``release_s`` makes the start cumul of whichever vehicle
  serves it at least that (rounded up): the route leaves the depot after the goods are
  there. With several trips this holds every trip back to the latest release on the
  route, stricter than needed, so the replayed schedule keeps it too;
- range: a distance dimension bounded by ``max_distance_m``;
- shipments: pickup-and-delivery pair, same vehicle, same trip, pickup first;
- driver break (EU 561/2006, 45 min after 4.5 h of driving). OR-Tools cannot count
  driving time only, so the rule enforced is stricter: *no stretch of route time*
  (driving, service and waiting) longer than ``after_driving_s`` without a break of
  ``duration_s`` (SetBreakDistanceDurationOfVehicle). Breaks may only be taken at a
  stop, after its service and before driving on (pre-travel = service, post-travel
  = the drive), so they are reported as ``Visit(kind="break")`` at that stop and
  the reported schedule keeps driving between breaks within the limit.

Unusable (NaN) arcs get a transit and cost of ``UNUSABLE_ARC``: above any shift, so
never on a feasible route. Jobs that no vehicle could serve even alone, or whose
windows hold no whole second, are not given to the solver
(:func:`logistics.routing.replay.prescreen`); a shipment goes whole or not at all.

The schedule returned is recomputed in floats from the solver's visit order and
route start by :func:`logistics.routing.replay.replay_route`, shared with the
PyVRP backend: the earliest feasible time at every stop, then (``start_late``) the
route starting as late as the first stop allows. Integer rounding errs on the
feasible side, so this float schedule is feasible whenever the solver's is. Costs
and the objective come from :mod:`logistics.routing.replay` as well.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from logistics.errors import ProblemCollector
from logistics.routing import diagnose, scaling
from logistics.routing.problem import Job, Route, RoutingProblem, Solution, UnservedJob
from logistics.routing.replay import (
    BREAK,
    RELOAD,
    Step,
    objective_nok,
    prescreen,
    replay_route,
    visit_kind,
)
from logistics.routing.settings import SolverSettings, stop_reason

AUTO_FIRST_SOLUTION = "parallel_cheapest_insertion"
UNLIMITED_DISTANCE_M = 10**13


@dataclass(frozen=True)
class _Node:
    """A solver node: a depot, a job or a reload at a vehicle's end depot."""

    location: int
    kind: str  # "depot", "delivery", "pickup" or "reload"
    job: Job | None = None
    shipment_end: str | None = None  # "pickup"/"delivery" for shipment ends
    reload_s: float = 0.0


def _enum_value(enum_type: object, name: str, setting: str, problems: ProblemCollector) -> int:
    values = enum_type.Value  # type: ignore[attr-defined]
    names = [n.lower() for n, _ in values.items() if n != "UNSET"]
    if name.lower() not in names:
        problems.add("solver settings", "", setting, name, ", ".join(sorted(names)))
        return 0
    return int(values.Value(name.upper()))


def search_parameters(settings: SolverSettings) -> tuple[object, str]:
    """OR-Tools search parameters for ``settings`` and the first-solution name used."""
    first = AUTO_FIRST_SOLUTION if settings.first_solution == "auto" else settings.first_solution
    problems = ProblemCollector()
    first_value = _enum_value(routing_enums_pb2.FirstSolutionStrategy, first,
                              "first_solution", problems)
    meta_value = _enum_value(routing_enums_pb2.LocalSearchMetaheuristic,
                             settings.metaheuristic, "metaheuristic", problems)
    problems.raise_if_any()
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = first_value
    params.local_search_metaheuristic = meta_value
    params.time_limit.FromMilliseconds(max(1, round(settings.time_limit_s * 1000)))
    if settings.solution_limit is not None:
        params.solution_limit = settings.solution_limit
    params.log_search = False
    return params, first


def _int_windows(job: Job) -> list[tuple[int, int]]:
    """Windows in whole seconds (start up, end down), sorted and merged."""
    windows = sorted((scaling.time_to_int_s_up(a), scaling.time_to_int_s_down(b))
                     for a, b in job.time_windows_s)
    merged: list[tuple[int, int]] = []
    for start, end in windows:
        if start > end:
            continue
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _Model:
    """Builds the OR-Tools model for one problem and reads its solution back."""

    def __init__(self, problem: RoutingProblem, jobs: Sequence[tuple[Job, str | None]],
                 allowed: dict[str, list[int]]):
        self.problem = problem
        vehicles = problem.vehicles
        depots = sorted({v.start for v in vehicles} | {v.end for v in vehicles})
        depot_node = {location: i for i, location in enumerate(depots)}
        self.nodes: list[_Node] = [_Node(loc, "depot") for loc in depots]
        for job, end in jobs:
            self.nodes.append(_Node(job.location, visit_kind(job, end), job, end))
        self.reload_nodes: dict[int, list[int]] = {}
        for v, vehicle in enumerate(vehicles):
            first = len(self.nodes)
            self.nodes.extend(_Node(vehicle.end, "reload", reload_s=vehicle.reload_duration_s)
                              for _ in range(vehicle.max_trips - 1))
            self.reload_nodes[v] = list(range(first, len(self.nodes)))
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.nodes), len(vehicles),
            [depot_node[v.start] for v in vehicles], [depot_node[v.end] for v in vehicles])
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.job_index = {node.job.id: self.manager.NodeToIndex(n)
                          for n, node in enumerate(self.nodes) if node.job is not None}
        self.service_s = [scaling.duration_to_int_s(
            node.job.service_duration_s if node.job is not None else node.reload_s)
            for node in self.nodes]
        self._build_matrices()
        self._add_costs()
        self._add_time()
        self._add_loads()
        self._add_range()
        self._add_jobs(allowed)
        self._add_releases(allowed)
        self._add_breaks(allowed)

    # -- matrices -------------------------------------------------------------
    def _build_matrices(self) -> None:
        locations = np.array([node.location for node in self.nodes])
        same = locations[:, None] == locations[None, :]
        self.float_distance: dict[str, np.ndarray] = {}
        self.float_duration: dict[str, np.ndarray] = {}
        self.time_callback: dict[str, int] = {}
        self.travel_s: dict[str, np.ndarray] = {}
        self.distance_callback: dict[str, int] = {}
        service = np.array(self.service_s, dtype=np.int64)
        for profile in sorted({v.profile for v in self.problem.vehicles}):
            matrices = self.problem.matrices[profile]
            distance = np.where(same, 0.0, matrices.distance_m[np.ix_(locations, locations)])
            duration = np.where(same, 0.0, matrices.duration_s[np.ix_(locations, locations)])
            unusable = ~(np.isfinite(distance) & np.isfinite(duration))
            distance[unusable] = np.nan
            duration[unusable] = np.nan
            self.float_distance[profile], self.float_duration[profile] = distance, duration
            travel = scaling.matrix_to_int(duration, f"duration_s ({profile})")
            meters = scaling.matrix_to_int(distance, f"distance_m ({profile})")
            with_service = np.where(unusable, scaling.UNUSABLE_ARC, travel + service[:, None])
            self.time_callback[profile] = self.routing.RegisterTransitMatrix(
                with_service.tolist())
            self.travel_s[profile] = travel
            self.distance_callback[profile] = self.routing.RegisterTransitMatrix(
                meters.tolist())

    def _add_costs(self) -> None:
        classes: dict[tuple[str, float, float], int] = {}
        service_s = np.array([node.job.service_duration_s if node.job is not None
                              else node.reload_s for node in self.nodes])
        for v, vehicle in enumerate(self.problem.vehicles):
            key = (vehicle.profile, vehicle.cost_nok_per_km, vehicle.cost_nok_per_hour)
            if key not in classes:
                distance = self.float_distance[vehicle.profile]
                duration = self.float_duration[vehicle.profile] + service_s[:, None]
                if vehicle.cost_nok_per_km == 0 and vehicle.cost_nok_per_hour == 0:
                    ore = distance / 100
                else:
                    ore = (distance / 1000 * vehicle.cost_nok_per_km
                           + duration / 3600 * vehicle.cost_nok_per_hour) * scaling.ORE_PER_NOK
                cost = scaling.matrix_to_int(ore, "arc cost (øre)", round_up=False)
                classes[key] = self.routing.RegisterTransitMatrix(cost.tolist())
            self.routing.SetArcCostEvaluatorOfVehicle(classes[key], v)
            self.routing.SetFixedCostOfVehicle(scaling.cost_to_int_ore(vehicle.fixed_cost_nok), v)

    # -- dimensions -----------------------------------------------------------
    def _add_time(self) -> None:
        vehicles = self.problem.vehicles
        horizon = max(scaling.time_to_int_s_down(v.shift_s[1]) for v in vehicles)
        self.routing.AddDimensionWithVehicleTransits(
            [self.time_callback[v.profile] for v in vehicles], horizon, horizon, False, "time")
        self.time = self.routing.GetDimensionOrDie("time")
        self.horizon = horizon
        for v, vehicle in enumerate(vehicles):
            start = scaling.time_to_int_s_up(vehicle.shift_s[0])
            end = max(start, scaling.time_to_int_s_down(vehicle.shift_s[1]))
            self.time.CumulVar(self.routing.Start(v)).SetRange(start, end)
            self.time.CumulVar(self.routing.End(v)).SetRange(start, end)
            if vehicle.max_duration_s is not None:
                self.time.SetSpanUpperBoundForVehicle(
                    scaling.time_to_int_s_down(vehicle.max_duration_s), v)
            if vehicle.driver_break is None:  # slack costs defeat the break search
                self.time.SetSlackCostCoefficientForVehicle(
                    scaling.cost_per_hour_to_ore_per_s(vehicle.cost_nok_per_hour), v)
            # Prefer late starts: no idle time at the depot before the first stop.
            self.routing.AddVariableMaximizedByFinalizer(self.time.CumulVar(self.routing.Start(v)))
            self.routing.AddVariableMinimizedByFinalizer(self.time.CumulVar(self.routing.End(v)))

    def _unary_dimension(self, name: str, changes: list[int], capacities: list[int],
                         resets: bool) -> object:
        """A load-like dimension with a free start; reload nodes may refill (slack)."""
        callback = self.routing.RegisterUnaryTransitVector(changes)
        slack = 2 * max(capacities) if resets else 0
        self.routing.AddDimensionWithVehicleCapacity(callback, slack, capacities, False, name)
        dimension = self.routing.GetDimensionOrDie(name)
        if resets:
            for n, node in enumerate(self.nodes):
                if node.kind not in ("reload", "depot"):
                    dimension.SlackVar(self.manager.NodeToIndex(n)).SetValue(0)
            for v in range(len(self.problem.vehicles)):
                dimension.SlackVar(self.routing.Start(v)).SetValue(0)
        return dimension

    def _add_loads(self) -> None:
        vehicles = self.problem.vehicles
        resets = any(v.max_trips > 1 for v in vehicles)
        solver = self.routing.solver()
        reload_owner = {n: v for v, ns in self.reload_nodes.items() for n in ns}
        for unit, capacity_of, demand_of in (
            ("kg", lambda v: scaling.capacity_to_int_g(v.capacity_kg), scaling.demand_to_int_g),
            ("m3", lambda v: scaling.volume_capacity_to_int_l(v.capacity_m3),
             scaling.volume_to_int_l),
        ):
            capacities = [capacity_of(v) for v in vehicles]
            change: list[int] = []
            depot_delivery: list[int] = []
            collects = False
            for n, node in enumerate(self.nodes):
                job = node.job
                if node.kind == "reload":
                    change.append(-capacities[reload_owner[n]])
                    depot_delivery.append(-capacities[reload_owner[n]])
                elif job is None:
                    change.append(0)
                    depot_delivery.append(0)
                else:
                    delivery = demand_of(getattr(job, f"delivery_{unit}"))
                    pickup = demand_of(getattr(job, f"pickup_{unit}"))
                    change.append(pickup - delivery)
                    depot_delivery.append(0 if node.shipment_end else -delivery)
                    collects = collects or pickup > 0
            load = self._unary_dimension(f"load_{unit}", change, capacities, resets)
            delivers = any(depot_delivery[n] < 0 for n, node in enumerate(self.nodes)
                           if node.kind != "reload")
            if not (delivers and collects):
                continue
            on_board = self._unary_dimension(f"depot_goods_{unit}", depot_delivery, capacities,
                                             resets)
            for index in self._all_indices():
                solver.Add(load.CumulVar(index) >= on_board.CumulVar(index))  # type: ignore[attr-defined]

    def _all_indices(self) -> list[int]:
        ends = [self.routing.End(v) for v in range(len(self.problem.vehicles))]
        return list(range(self.routing.Size())) + ends

    def _add_range(self) -> None:
        vehicles = self.problem.vehicles
        if all(v.max_distance_m is None for v in vehicles):
            return
        limits = [UNLIMITED_DISTANCE_M if v.max_distance_m is None
                  else scaling.distance_limit_to_int_m(v.max_distance_m) for v in vehicles]
        self.routing.AddDimensionWithVehicleTransitAndCapacity(
            [self.distance_callback[v.profile] for v in vehicles], 0, limits, True, "distance")

    # -- jobs -----------------------------------------------------------------
    def _add_jobs(self, allowed: dict[str, list[int]]) -> None:
        routing, solver = self.routing, self.routing.solver()
        for node in self.nodes:
            if node.job is None:
                continue
            index = self.job_index[node.job.id]
            windows = _int_windows(node.job)
            cumul = self.time.CumulVar(index)
            cumul.SetRange(windows[0][0], windows[-1][1])
            for (_, end), (start, _) in itertools.pairwise(windows):
                cumul.RemoveInterval(end + 1, start - 1)
            if node.shipment_end is None:
                routing.AddDisjunction([index], scaling.cost_to_int_ore(node.job.penalty_nok))
            vehicles = allowed[node.job.id]
            if len(vehicles) < len(self.problem.vehicles):
                _allow_only(routing, vehicles, index)
        for v, reload_nodes in self.reload_nodes.items():
            for n in reload_nodes:
                index = self.manager.NodeToIndex(n)
                routing.AddDisjunction([index], 0)
                _allow_only(routing, [v], index)
        trips = None
        if any(n for n in self.reload_nodes.values()) and self.problem.shipments:
            counts = [1 if node.kind == "reload" else 0 for node in self.nodes]
            callback = routing.RegisterUnaryTransitVector(counts)
            routing.AddDimension(callback, 0, max(v.max_trips for v in self.problem.vehicles),
                                 True, "trip")
            trips = routing.GetDimensionOrDie("trip")
        for shipment in self.problem.shipments:
            if shipment.pickup.id not in self.job_index:
                continue
            pickup = self.job_index[shipment.pickup.id]
            delivery = self.job_index[shipment.delivery.id]
            half_penalty = scaling.cost_to_int_ore(shipment.penalty_nok / 2)
            routing.AddDisjunction([pickup], half_penalty)
            routing.AddDisjunction([delivery], half_penalty)
            routing.AddPickupAndDelivery(pickup, delivery)
            solver.Add(routing.ActiveVar(pickup) == routing.ActiveVar(delivery))
            solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(delivery))
            solver.Add(self.time.CumulVar(pickup) <= self.time.CumulVar(delivery))
            if trips is not None:
                solver.Add(trips.CumulVar(pickup) == trips.CumulVar(delivery))

    def _add_releases(self, allowed: dict[str, list[int]]) -> None:
        """A vehicle serving a released job leaves its depot no earlier than the release."""
        solver = self.routing.solver()
        for node in self.nodes:
            job = node.job
            if job is None or job.release_s <= 0:
                continue
            index = self.job_index[job.id]
            release = scaling.time_to_int_s_up(job.release_s)
            for v in allowed[job.id]:
                if release <= scaling.time_to_int_s_up(self.problem.vehicles[v].shift_s[0]):
                    continue
                serves = solver.IsEqualCstVar(self.routing.VehicleVar(index), v)
                solver.Add(self.time.CumulVar(self.routing.Start(v)) >= serves * release)

    def _add_breaks(self, allowed: dict[str, list[int]]) -> None:
        solver = self.routing.solver()
        node_visit_s = [self.service_s[self.manager.IndexToNode(i)]
                        for i in range(self.routing.Size())]
        self.break_intervals: dict[int, list[object]] = {}
        for v, vehicle in enumerate(self.problem.vehicles):
            rule = vehicle.driver_break
            if rule is None:
                continue
            longest_s = vehicle.shift_s[1] - vehicle.shift_s[0]
            if vehicle.max_duration_s is not None:
                longest_s = min(longest_s, vehicle.max_duration_s)
            limit = scaling.time_to_int_s_down(rule.after_driving_s)
            limit = max(1, limit - self._longest_leg_s(v, allowed))
            duration = scaling.duration_to_int_s(rule.duration_s)
            # a route of length R needs k breaks when R > (k + 1) x limit + k x duration
            count = max(0, math.ceil((longest_s - limit) / (limit + duration)))
            if count == 0:
                continue
            first = scaling.time_to_int_s_up(vehicle.shift_s[0])
            last = max(first, scaling.time_to_int_s_down(vehicle.shift_s[1]) - duration)
            intervals = [solver.FixedDurationIntervalVar(first, last, duration, False,
                                                         f"break {vehicle.id} {k}")
                         for k in range(count)]
            self.time.SetBreakIntervalsOfVehicle(intervals, v, node_visit_s)
            self.time.SetBreakDistanceDurationOfVehicle(limit, duration, v)
            self.break_intervals[v] = intervals

    def _longest_leg_s(self, v: int, allowed: dict[str, list[int]]) -> int:
        """Longest usable drive (s) between points vehicle ``v`` may visit.

        A break found by the solver may fall inside a drive; it is reported at the
        stop before that drive, which can add up to one drive to the driving time
        before the next break. Shortening the solver's interval by the longest drive
        keeps the reported schedule within the rule.
        """
        vehicle = self.problem.vehicles[v]
        mine = [n for n, node in enumerate(self.nodes)
                if (node.job is not None and v in allowed[node.job.id])
                or n in self.reload_nodes[v]
                or (node.kind == "depot" and node.location in (vehicle.start, vehicle.end))]
        travel = self.travel_s[vehicle.profile][np.ix_(mine, mine)]
        usable = travel[travel < scaling.UNUSABLE_ARC]
        return int(usable.max()) if usable.size else 0

    # -- reading the solution ------------------------------------------------
    def steps(self, assignment: object, v: int) -> tuple[float, list[Step]]:
        """The route start (s) and its ordered steps: jobs, reloads and breaks."""
        routing, value = self.routing, assignment.Value  # type: ignore[attr-defined]
        indices = []
        index = routing.Start(v)
        while not routing.IsEnd(index):
            indices.append(index)
            index = assignment.Value(routing.NextVar(index))  # type: ignore[attr-defined]
        indices.append(index)
        cumuls = [value(self.time.CumulVar(i)) for i in indices]
        after: dict[int, int] = {}
        for interval in self.break_intervals.get(v, []):
            if not assignment.PerformedValue(interval):  # type: ignore[attr-defined]
                continue
            start = assignment.StartValue(interval)  # type: ignore[attr-defined]
            if start < cumuls[0] or start >= cumuls[-1]:
                continue  # before the route starts or after it ends
            position = max(k for k, c in enumerate(cumuls[:-1]) if c <= start)
            after[position] = after.get(position, 0) + 1
        steps: list[Step] = []
        for k, index in enumerate(indices[:-1]):
            if k > 0:
                steps.append(self.nodes[self.manager.IndexToNode(index)].job or RELOAD)
            steps.extend([BREAK] * after.get(k, 0))
        return float(cumuls[0]), _without_idle_reloads(steps)


def _allow_only(routing: pywrapcp.RoutingModel, vehicles: list[int], index: int) -> None:
    """Restrict the vehicles that may visit ``index`` (-1 = unperformed stays allowed).

    Done on the vehicle variable because ``SetAllowedVehiclesForIndex`` rejects every
    Python sequence in the OR-Tools 9.15 wrapper.
    """
    routing.VehicleVar(index).SetValues([-1, *vehicles])


def _without_idle_reloads(steps: list[Step]) -> list[Step]:
    """Drop reloads with no job after them and repeated reloads (they change nothing)."""
    kept: list[Step] = []
    for k, step in enumerate(steps):
        if step == RELOAD:
            later_job = any(isinstance(s, Job) for s in steps[k + 1:])
            previous = next((s for s in reversed(kept) if s != BREAK), None)
            if not later_job or previous == RELOAD:
                continue
        kept.append(step)
    return kept


def _servable_jobs(problem: RoutingProblem) -> tuple[list[tuple[Job, str | None]],
                                                    dict[str, list[int]], list[UnservedJob]]:
    """Jobs given to the solver (with their shipment end), their allowed vehicle
    numbers, and the rest, diagnosed; a shipment is given whole or not at all."""
    vehicle_number = {v.id: k for k, v in enumerate(problem.vehicles)}
    shipment_end = {s.pickup.id: "pickup" for s in problem.shipments}
    shipment_end |= {s.delivery.id: "delivery" for s in problem.shipments}
    kept, unserved = prescreen(problem, problem.all_jobs())
    dropped = {u.job_id for u in unserved}
    partner = {s.pickup.id: s.delivery.id for s in problem.shipments}
    partner |= {d: p for p, d in partner.items()}
    servable: list[tuple[Job, str | None]] = []
    for job in kept:
        if partner.get(job.id) in dropped:
            unserved.append(diagnose.diagnose_job(problem, job))
        else:
            servable.append((job, shipment_end.get(job.id)))
    allowed = {job.id: sorted(vehicle_number[v.id]
                              for v in diagnose.lone_feasible_vehicles(problem, job))
               for job, _ in servable}
    return servable, allowed, unserved


def solve_with_ortools(problem: RoutingProblem, settings: SolverSettings) -> Solution:
    """Solve ``problem`` with OR-Tools; deterministic for equal inputs and settings."""
    began = time.perf_counter()
    params, first_solution = search_parameters(settings)
    servable, allowed, unserved = _servable_jobs(problem)
    info: dict[str, object] = {
        "backend": "ortools", "seed": settings.seed, "time_limit_s": settings.time_limit_s,
        "solution_limit": settings.solution_limit, "first_solution": first_solution,
        "metaheuristic": settings.metaheuristic,
    }
    routes: list[Route] = []
    served: set[str] = set()
    if servable:
        model = _Model(problem, servable, allowed)
        solutions_found = [0]
        model.routing.AddAtSolutionCallback(
            lambda: solutions_found.__setitem__(0, solutions_found[0] + 1))
        assignment = model.routing.SolveWithParameters(params)
        info["status"] = routing_enums_pb2.RoutingSearchStatus.Value.Name(model.routing.status())
        info["solutions"] = solutions_found[0]
        info["stopped_by"] = stop_reason(settings, "solution_limit", settings.solution_limit,
                                         solutions_found[0], time.perf_counter() - began)
        if assignment is not None:
            info["solver_objective_nok"] = scaling.ore_to_nok(assignment.ObjectiveValue())
            for v, vehicle in enumerate(problem.vehicles):
                start_s, steps = model.steps(assignment, v)
                if not any(isinstance(s, Job) for s in steps):
                    continue
                route = replay_route(problem, vehicle, steps, start_s, start_late=True)
                routes.append(route)
                served |= {visit.job_id for visit in route.visits
                           if visit.kind in ("delivery", "pickup")}
    else:
        info.update(status="NOTHING_TO_SOLVE", solutions=0, stopped_by="nothing_to_solve")
    left = [job.id for job, _ in servable if job.id not in served]
    unserved.extend(diagnose.diagnose_unserved(problem, left))
    objective = objective_nok(problem, routes, unserved)
    info["wall_s"] = round(time.perf_counter() - began, 3)
    return Solution(problem.name, tuple(routes), tuple(unserved), objective, info)

