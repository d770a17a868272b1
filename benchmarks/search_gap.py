"""The default search's gap to longer searches of the same routing problem.

A gap to one long search is only as good as that search, so the long searches start
from other seeds than the default, and the gap is taken to the best of all of them (the
default included). Every search stops by count, so the gaps repeat on any machine.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from logistics.routing.problem import RoutingProblem, Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve

LONG_SEARCH_CAP_S = 3_600.0
"""Safety cap of each long search (it stops by count)."""


def long_settings(settings: SolverSettings, stops: int, factor: int,
                  seed_offset: int = 1) -> SolverSettings:
    """``settings`` searching ``factor`` times as long (iterations and solutions, of a
    problem with ``stops`` stops) from the seed ``seed_offset`` after the default's."""
    iterations = settings.pyvrp_iterations(stops)
    return settings.with_overrides({
        "iteration_limit": None if iterations is None else factor * iterations,
        "iterations_per_stop": None,
        "solution_limit": (None if settings.solution_limit is None
                           else factor * settings.solution_limit),
        "seed": settings.seed + seed_offset, "time_limit_s": LONG_SEARCH_CAP_S},
        "long search")


@dataclass(frozen=True)
class SearchGap:
    """The default's solution of one problem against the best of the longer searches."""

    problem: str
    stops: int
    default_nok: float
    default_iterations: object
    default_unserved: int
    long_nok: float
    long_iterations: object
    long_unserved: int

    @property
    def gap_pct(self) -> float:
        """How far the default is above the best found (the default included), in %."""
        return 100 * (self.default_nok / min(self.default_nok, self.long_nok) - 1)

    def row(self) -> dict[str, object]:
        """The gap as a table row (NOK rounded to 0.1, the gap to 0.01 %)."""
        return {"problem": self.problem, "stops": self.stops,
                "default_nok": round(self.default_nok, 1),
                "default_iterations": self.default_iterations,
                "default_unserved": self.default_unserved,
                "long_nok": round(self.long_nok, 1),
                "long_iterations": self.long_iterations,
                "long_unserved": self.long_unserved,
                "gap_pct": round(self.gap_pct, 2)}


def search_gap(problem: RoutingProblem, settings: SolverSettings, factor: int,
               searches: int = 1) -> SearchGap:
    """The default search of ``problem`` against ``searches`` searches ``factor`` times as
    long, each from its own seed (the best of them counts)."""
    default = solve(problem, settings)
    longs: list[Solution] = [solve(problem, long_settings(settings, problem.stops, factor,
                                                          offset))
                             for offset in range(1, searches + 1)]
    best = min(longs, key=lambda solution: solution.objective_nok)
    return SearchGap(problem.name, problem.stops, default.objective_nok,
                     default.solver.get("iterations"), len(default.unserved),
                     best.objective_nok, best.solver.get("iterations"), len(best.unserved))


def _search_gap(arguments: tuple[RoutingProblem, SolverSettings, int, int]) -> SearchGap:
    return search_gap(*arguments)


def search_gaps(problems: Sequence[tuple[RoutingProblem, SolverSettings]], factor: int,
                searches: int, workers: int) -> list[SearchGap]:
    """:func:`search_gap` of each problem with its settings, in order, in ``workers``
    processes (started from a fork server, as the solve step's)."""
    tasks = [(problem, settings, factor, searches) for problem, settings in problems]
    if workers <= 1:
        return [_search_gap(task) for task in tasks]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")
                             ) as pool:
        return list(pool.map(_search_gap, tasks))
