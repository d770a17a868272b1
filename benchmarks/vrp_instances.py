"""Solver quality on VRPLIB instances: gap to the best-known solution.

Each instance is solved through the product's own ``solve()`` entry (on
``cores`` independent searches, best kept), then re-checked here with code that
shares nothing with the solvers: the routes are replayed on the instance's own
numbers (coordinates, demands, windows, distance convention of
:mod:`benchmarks.vrplib`), and the objective is recomputed from them. The
product's schedule checker (:func:`verify_solution`) must pass as well.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.best_of_seeds import solve_best_of_seeds
from benchmarks.vrplib import (
    VrplibInstance,
    distance_matrix,
    read_instance,
    read_solution,
    route_cost,
    to_routing_problem,
)
from logistics.routing.problem import Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.verify import verify_solution

TOLERANCE = 1e-6
"""Slack (instance units) for float sums of one-decimal distances."""


@dataclass(frozen=True)
class BenchResult:
    """One instance solved: objective and best-known value in instance distance units."""

    instance: str
    objective: float
    bks: float | None
    gap_pct: float | None
    vehicles: int
    feasible: bool
    wall_s: float
    backend: str
    cores: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def gap_pct(objective: float, bks: float) -> float:
    """Gap to the best-known value in percent, to 0.001 %, from the 1e-6-rounded objective."""
    return round(100.0 * (round(objective, 6) - bks) / bks, 3) + 0.0


def routes_in_customers(solution: Solution) -> tuple[tuple[int, ...], ...]:
    """The solution's routes as customer numbers (job id ``"i"`` is customer i)."""
    return tuple(tuple(int(v.job_id) for v in route.visits) for route in solution.routes
                 if route.visits)


def check_routes(instance: VrplibInstance, routes: tuple[tuple[int, ...], ...]) -> list[str]:
    """Every rule of the instance the routes break (empty when feasible).

    Rules: each customer exactly once; load within capacity; at most the fleet
    size of routes; with time windows, service starts no later than the window's
    due time (waiting until ready time is allowed) and the vehicle is back at the
    depot by the depot's due time, travel time being the arc's distance.
    """
    violations: list[str] = []
    visits = [c for route in routes for c in route]
    expected = set(range(1, instance.customers + 1))
    missing = expected - set(visits)
    if missing:
        violations.append(f"{len(missing)} customers not served, e.g. {sorted(missing)[:5]}")
    repeated = sorted({c for c in visits if visits.count(c) > 1})
    if repeated:
        violations.append(f"customers served more than once: {repeated[:5]}")
    unknown = sorted(set(visits) - expected)
    if unknown:
        violations.append(f"unknown customers: {unknown[:5]}")
        return violations
    if len(routes) > instance.fleet_size():
        violations.append(f"{len(routes)} routes > fleet of {instance.fleet_size()}")
    matrix = distance_matrix(instance)
    for k, route in enumerate(routes, start=1):
        load = float(instance.demands[list(route)].sum())
        if load > instance.capacity + TOLERANCE:
            violations.append(f"route {k}: load {load:g} > capacity {instance.capacity:g}")
        if instance.time_windows is None:
            continue
        windows = instance.time_windows
        clock = float(windows[0, 0])
        for a, b in itertools.pairwise([0, *route, 0]):
            clock = max(clock + float(matrix[a, b]), float(windows[b, 0]))
            if clock > windows[b, 1] + TOLERANCE:
                where = "depot" if b == 0 else f"customer {b}"
                violations.append(f"route {k}: {where} reached at {clock:.1f} > due "
                                  f"{windows[b, 1]:g}")
            clock += float(instance.service_times[b])
    return violations


def run_instance(path: Path | str, time_limit_s: float, backend: str = "ortools",
                 seed: int = 1, cores: int = 1) -> BenchResult:
    """Solve one ``.vrp`` file through ``solve()`` and compare with its ``.sol``."""
    path = Path(path)
    instance = read_instance(path)
    solution_path = path.with_suffix(".sol")
    bks = read_solution(solution_path).cost if solution_path.is_file() else None
    settings = SolverSettings.from_data(
        {"time_limit_s": time_limit_s, "solution_limit": None, "iteration_limit": None,
         "seed": seed, "backend": backend}, "bench vrp")
    problem = to_routing_problem(instance)
    started = time.perf_counter()
    solution = solve_best_of_seeds(problem, settings, cores)
    wall_s = time.perf_counter() - started
    routes = routes_in_customers(solution)
    objective = route_cost(instance, routes)
    feasible = not check_routes(instance, routes) and not verify_solution(problem, solution)
    gap = None if bks is None else gap_pct(objective, bks)
    return BenchResult(
        instance=instance.name,
        objective=round(objective, 6),
        bks=bks,
        gap_pct=gap,
        vehicles=len(routes),
        feasible=feasible,
        wall_s=round(wall_s, 2),
        backend=backend,
        cores=cores,
    )
