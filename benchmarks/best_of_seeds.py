"""Independent searches on several cores, best kept.

Routing searches are single-threaded. ``solve_best_of_seeds`` runs ``searches``
independent searches of the same problem in separate processes, with
seeds ``seed, seed + 1, ...`` and the same time limit, each through the product's
``solve()`` entry, and keeps the best: fewest unserved jobs, then lowest
``objective_nok``, then lowest seed. OR-Tools' routing search ignores the seed, so
when the first-solution strategy is left on ``"auto"`` the searches also start from
different first solutions (:data:`PORTFOLIO_FIRST_SOLUTIONS`); on the benchmark
instances that spread moved single results by several percent. The result is
deterministic for given settings and searches whenever each single search is (OR-Tools
with a time limit is not strictly so; PyVRP and OR-Tools with a solution limit are).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from logistics.routing.problem import RoutingProblem, Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve

PORTFOLIO_FIRST_SOLUTIONS = ("auto", "local_cheapest_insertion", "savings",
                             "path_cheapest_arc")
"""First-solution strategy of search 0, 1, 2, ... when the settings say ``"auto"``."""


def search_settings(settings: SolverSettings, search: int) -> SolverSettings:
    """The settings of search number ``search`` (0-based): seed ``settings.seed + search``."""
    first = settings.first_solution
    if first == "auto":
        first = PORTFOLIO_FIRST_SOLUTIONS[search % len(PORTFOLIO_FIRST_SOLUTIONS)]
    return settings.with_overrides({"seed": settings.seed + search, "first_solution": first})


def _rank(seed: int, solution: Solution) -> tuple[int, float, int]:
    return len(solution.unserved), solution.objective_nok, seed


def solve_best_of_seeds(problem: RoutingProblem, settings: SolverSettings,
                        searches: int = 1) -> Solution:
    """Best of ``searches`` independent searches, one process each (see module doc)."""
    singles = [search_settings(settings, k) for k in range(max(1, searches))]
    seeds = [single.seed for single in singles]
    if len(singles) == 1:
        solutions = [solve(problem, singles[0])]
    else:
        # "spawn": a fresh interpreter per search; solver libraries are not fork-safe.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(singles), mp_context=context) as pool:
            solutions = list(pool.map(solve, [problem] * len(singles), singles))
    seed, best = min(zip(seeds, solutions, strict=True), key=lambda pair: _rank(*pair))
    info = dict(best.solver)
    info.update(searches=len(seeds), best_seed=seed,
                first_solutions=[single.first_solution for single in singles],
                objectives_nok=[s.objective_nok for s in solutions])
    return replace(best, solver=info)
