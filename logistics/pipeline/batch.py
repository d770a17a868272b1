"""Many scenarios on one study and travel model, each distinct routing problem solved once.

A routing problem is keyed by the SHA-256 of everything a solver sees
(:func:`problem_key`); variants that leave a day's problem unchanged reuse its
solution, so a batch of variants costs only the days they change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from logistics.accounting.kpi import RouteAccount
from logistics.model.study import StudyData
from logistics.pipeline.run import account_plan, default_workers, prepare_scenario, solve_problems
from logistics.plan.builder import Plan, PlannedProblem, PlannedRoute
from logistics.plan.deliveries import UnservedDelivery
from logistics.routing.problem import RoutingProblem, Solution
from logistics.routing.settings import SolverSettings
from logistics.scenarios.schema import Scenario
from logistics.travel.base import TravelModel


@dataclass(frozen=True)
class Outcome:
    """One planned and solved week of a scenario."""

    scenario: Scenario
    plan: Plan
    routes: tuple[tuple[PlannedRoute, RouteAccount], ...]
    unserved: tuple[UnservedDelivery, ...]
    kpi_week: Mapping[str, float]


def problem_key(problem: RoutingProblem) -> str:
    """SHA-256 of everything a solver sees: equal keys, equal solutions."""
    digest = hashlib.sha256(repr((problem.name, problem.points, problem.jobs, problem.vehicles,
                                  problem.shipments)).encode())
    for profile in sorted(problem.matrices):
        matrices = problem.matrices[profile]
        digest.update(profile.encode())
        digest.update(np.ascontiguousarray(matrices.distance_m).tobytes())
        digest.update(np.ascontiguousarray(matrices.duration_s).tobytes())
    return digest.hexdigest()


class Evaluator:
    """Plans, solves and accounts scenarios on one study and travel model.

    Each distinct routing problem is solved once (in ``workers`` processes) and the
    solution reused, so many variants of a scenario cost only their changed days.
    """

    def __init__(self, study: StudyData, travel: TravelModel, settings: SolverSettings,
                 workers: int | None = None) -> None:
        self.study = study
        self.travel = travel
        self.settings = settings
        self.workers = workers or default_workers()
        self._solutions: dict[str, Solution] = {}

    @classmethod
    def for_scenario(cls, scenario: Scenario, study: StudyData, travel: TravelModel,
                     workers: int | None = None) -> Evaluator:
        """An evaluator searching with the scenario's solver settings."""
        return cls(study, travel, scenario.solver, workers)

    @property
    def time_capped(self) -> int:
        """Searches stopped by the time limit (the safety cap) rather than the solution
        limit."""
        cap_s = 0.98 * self.settings.time_limit_s
        return sum(1 for s in self._solutions.values()
                   if float(str(s.solver.get("wall_s", 0.0))) >= cap_s)

    def evaluate(self, scenarios: Sequence[Scenario], source: str = "scenario") -> list[Outcome]:
        """Outcomes of ``scenarios`` (all on this evaluator's study and travel model)."""
        plans = [prepare_scenario(scenario, self.study, self.travel, source).plan
                 for scenario in scenarios]
        keys = [[problem_key(p.problem) for p in plan.problems] for plan in plans]
        pending: dict[str, PlannedProblem] = {}
        for plan, plan_keys in zip(plans, keys, strict=True):
            for planned, key in zip(plan.problems, plan_keys, strict=True):
                if key not in self._solutions:
                    pending.setdefault(key, planned)
        solved = solve_problems(tuple(pending.values()), self.settings, self.workers)
        self._solutions.update(zip(pending, solved, strict=True))
        return [self._outcome(scenario, plan, [self._solutions[k] for k in plan_keys])
                for scenario, plan, plan_keys in zip(scenarios, plans, keys, strict=True)]

    def _outcome(self, scenario: Scenario, plan: Plan, solutions: list[Solution]) -> Outcome:
        accounts = account_plan(scenario, self.study, plan, solutions)
        return Outcome(scenario, plan, accounts.routes, accounts.unserved, accounts.kpi_week)
