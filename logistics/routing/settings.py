"""Search settings: the one place the solver's knobs and their defaults live.

Scenario files set them under ``solver:``; the CLI, resilience, benchmarks and the API
all pass this same validated model. OR-Tools searches stop after ``solution_limit``
solutions and PyVRP searches after ``iteration_limit`` iterations, which makes results
the same on a quiet or a busy machine; ``time_limit_s`` is a safety cap, and each
solution records what stopped it (``stopped_by``, a :data:`StopReason`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from logistics.validated import Frozen

Backend = Literal["ortools", "pyvrp", "auto"]

StopReason = Literal["solution_limit", "iteration_limit", "time_cap", "no_improvement",
                     "nothing_to_solve"]
"""What ended a search, recorded in each solution's solver info as ``stopped_by``."""

ITERATIONS_PER_STOP = 12
"""Default PyVRP effort per stop: below 71 stops the 850 iterations of
``iteration_limit`` rule; a 180-stop problem gets 2,160, a 682-stop one 8,184 (chosen
from the measured curve of gap against effort, README, `make bench-convergence`)."""
MAX_TIME_LIMIT_S = 3600.0
TIME_CAP_SHARE = 0.98
"""A search that ran this share of its time limit or more counts as stopped by the cap."""


class SolverSettings(Frozen):
    """How one routing problem is searched. Same problem + same settings -> same
    solution whenever the search stops by its solution or iteration limit."""

    time_limit_s: float = Field(
        default=60.0, gt=0, le=MAX_TIME_LIMIT_S,
        description="safety cap on one search (s); a search stopped by it is recorded")
    solution_limit: int | None = Field(
        default=60, ge=1, le=1_000_000,
        description="stop each OR-Tools search after this many solutions (same result on "
                    "every machine); None = search until the time limit")
    iteration_limit: int | None = Field(
        default=850, ge=1, le=10_000_000,
        description="stop each PyVRP search after this many iterations (same result on "
                    "every machine), or after iterations_per_stop per stop where that is "
                    "more; None = search until the time limit")
    iterations_per_stop: int | None = Field(
        default=ITERATIONS_PER_STOP, ge=1, le=10_000,
        description="PyVRP iterations per stop of a problem, where that is more than "
                    "iteration_limit (a large problem gets a longer search, still stopped "
                    "by count); None = iteration_limit alone")
    seed: int = Field(
        default=1, ge=0, le=2**31 - 1,
        description="random seed of PyVRP's search and of the best-of-seeds portfolio; "
                    "the OR-Tools routing search has no seed and ignores it")
    backend: Backend = Field(
        default="auto",
        description="ortools; pyvrp (fails on problems it cannot model); auto (pyvrp where "
                    "it can model the problem, driver breaks placed after solving, else "
                    "ortools)")
    first_solution: str = Field(
        default="auto", max_length=50,
        description="OR-Tools first-solution strategy (lower case name)")
    metaheuristic: str = Field(
        default="guided_local_search", max_length=50,
        description="OR-Tools local-search metaheuristic (lower case name)")

    def pyvrp_iterations(self, stops: int) -> int | None:
        """The iteration limit of a PyVRP search of a problem with ``stops`` stops: the
        larger of ``iteration_limit`` and ``iterations_per_stop`` x ``stops`` (None: no
        limit but the time cap)."""
        if self.iteration_limit is None or self.iterations_per_stop is None:
            return self.iteration_limit
        return max(self.iteration_limit, self.iterations_per_stop * stops)

    def pyvrp_time_cap_s(self, stops: int) -> float:
        """The safety cap of a PyVRP search of ``stops`` stops: ``time_limit_s``, longer in
        proportion where the effort per stop raises the iterations (at most an hour), so
        the count, not the cap, still stops a longer search."""
        iterations = self.pyvrp_iterations(stops)
        if iterations is None or self.iteration_limit is None:
            return self.time_limit_s
        return min(MAX_TIME_LIMIT_S, self.time_limit_s * iterations / self.iteration_limit)


def stop_reason(settings: SolverSettings, limit_name: StopReason, limit: int | None,
                reached: int, wall_s: float, cap_s: float | None = None) -> StopReason:
    """Why a search that counted ``reached`` solutions or iterations against ``limit``
    (named ``limit_name``) in ``wall_s`` seconds stopped: its limit, the safety cap
    (``cap_s``, default ``time_limit_s``), or neither (it ran out of improving moves)."""
    if limit is not None and reached >= limit:
        return limit_name
    if wall_s >= TIME_CAP_SHARE * (settings.time_limit_s if cap_s is None else cap_s):
        return "time_cap"
    return "no_improvement"
