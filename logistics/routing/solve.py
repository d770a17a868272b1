"""The public entry point: solve a routing problem with the backend the settings name."""

from __future__ import annotations

from collections.abc import Callable

from logistics.errors import InputError, Problem
from logistics.routing.ortools_backend import solve_with_ortools
from logistics.routing.problem import RoutingProblem, Solution, SolverSettings
from logistics.routing.pyvrp_backend import solve_pyvrp

Backend = Callable[[RoutingProblem, SolverSettings], Solution]

BACKENDS: dict[str, Backend] = {"ortools": solve_with_ortools, "pyvrp": solve_pyvrp}
"""Backend name -> solve function."""


def solve(problem: RoutingProblem, settings: SolverSettings | None = None) -> Solution:
    """Solve ``problem``; same problem and settings give the same :class:`Solution`."""
    settings = settings or SolverSettings()
    backend = BACKENDS.get(settings.backend)
    if backend is None:
        raise InputError([Problem("solver settings", "", "backend", repr(settings.backend),
                                  ", ".join(sorted(BACKENDS)))])
    return backend(problem, settings)
