"""The public entry point: solve a routing problem with the backend the settings name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from logistics.routing.problem import RoutingProblem, Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.solvers.ortools import search_parameters, solve_with_ortools
from logistics.routing.solvers.pyvrp import BreakDoesNotFit, solve_pyvrp, unsupported_features

Backend = Callable[[RoutingProblem, SolverSettings], Solution]


def solve_auto(problem: RoutingProblem, settings: SolverSettings) -> Solution:
    """PyVRP where it models everything the problem needs (it meets the quality targets
    of the VRP benchmark and of the Bergen convergence benchmark), OR-Tools otherwise
    (several windows, reloads, vehicle restrictions, shipments, or a driver break that
    fits on no stop of a PyVRP route). OR-Tools settings are checked either way."""
    search_parameters(settings)
    if unsupported_features(problem):
        return solve_with_ortools(problem, settings)
    try:
        return solve_pyvrp(problem, settings)
    except BreakDoesNotFit as reason:
        fallback = solve_with_ortools(problem, settings)
        return replace(fallback, solver={**fallback.solver, "pyvrp_declined": str(reason)})


BACKENDS: dict[str, Backend] = {"ortools": solve_with_ortools, "pyvrp": solve_pyvrp,
                                "auto": solve_auto}
"""Backend name -> solve function."""


def solve(problem: RoutingProblem, settings: SolverSettings | None = None) -> Solution:
    """Solve ``problem``; same problem and settings give the same :class:`Solution`."""
    settings = settings or SolverSettings()
    return BACKENDS[settings.backend](problem, settings)
