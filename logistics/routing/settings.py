"""Search settings: the one place the solver's knobs and their defaults live.

Scenario files set them under ``solver:``; the CLI, resilience, benchmarks and the API
all pass this same validated model. Searches stop after ``solution_limit``
solutions, which makes results the same on a quiet or a busy machine;
``time_limit_s`` is a safety cap, and each solution records which of the two
stopped it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from logistics.validated import Frozen

Backend = Literal["ortools", "pyvrp", "auto"]


class SolverSettings(Frozen):
    """How one routing problem is searched. Same problem + same settings -> same
    solution whenever the search stops by its solution limit."""

    time_limit_s: float = Field(
        default=10.0, gt=0, le=3600,
        description="safety cap on one search (s); a search stopped by it is recorded")
    solution_limit: int | None = Field(
        default=60, ge=1, le=1_000_000,
        description="stop each search after this many solutions: results then do not "
                    "depend on machine speed; None = search until the time limit")
    seed: int = Field(
        default=1, ge=0, le=2**31 - 1,
        description="random seed of PyVRP's search and of the best-of-seeds portfolio; "
                    "the OR-Tools routing search has no seed and ignores it")
    backend: Backend = Field(
        default="ortools",
        description="ortools; pyvrp (fails on problems it cannot model); auto (pyvrp where "
                    "it can model the problem, else ortools)")
    first_solution: str = Field(
        default="auto", max_length=50,
        description="OR-Tools first-solution strategy (lower case name)")
    metaheuristic: str = Field(
        default="guided_local_search", max_length=50,
        description="OR-Tools local-search metaheuristic (lower case name)")
    workers: int = Field(
        default=1, ge=1, le=64,
        description="independent searches of one problem, best kept (benchmarks)")
