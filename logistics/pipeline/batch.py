"""Many scenarios on one study and travel model, each distinct routing problem solved once.

A routing problem is keyed by the SHA-256 of everything a solver sees
(:func:`~logistics.pipeline.solutions.problem_key`); variants that leave a day's problem
unchanged reuse its solution, so a batch of variants costs only the days they change.
With a :class:`~logistics.pipeline.solutions.SolutionStore` the solutions are shared on
disk with other processes and later runs too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from logistics.accounting.kpi import RouteAccount
from logistics.model.dataset import DataSet
from logistics.pipeline.run import account_plan, prepare_scenario
from logistics.pipeline.scenario_check import CheckedScenario, check_scenario
from logistics.pipeline.solutions import Progress, SolutionStore, default_workers, solve_shared
from logistics.plan.builder import Plan
from logistics.plan.deliveries import UnservedDelivery
from logistics.plan.planned import PlannedRoute
from logistics.routing.problem import Solution
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


@dataclass(frozen=True)
class SharedWork:
    """Where evaluators made in this context keep solutions on disk, and whom they tell
    how solving goes (a command's progress bar)."""

    store: SolutionStore | None = None
    progress: Progress | None = None


_SHARED_WORK: ContextVar[SharedWork | None] = ContextVar("shared_work", default=None)


@contextmanager
def sharing(work: SharedWork) -> Iterator[None]:
    """Evaluators made inside this block use ``work`` (a command sets it around an
    analysis that makes its own evaluator, such as the resilience report)."""
    token = _SHARED_WORK.set(work)
    try:
        yield
    finally:
        _SHARED_WORK.reset(token)


class Evaluator:
    """Plans, solves and accounts scenarios on one study and travel model.

    Each distinct routing problem is solved once (in ``workers`` processes) and the
    solution reused, so many variants of a scenario cost only their changed days.
    """

    def __init__(self, dataset: DataSet, travel: TravelModel, settings: SolverSettings,
                 workers: int | None = None) -> None:
        self.dataset = dataset
        self.travel = travel
        self.settings = settings
        self.workers = workers or default_workers()
        self.shared = _SHARED_WORK.get() or SharedWork()
        self._solutions: dict[str, Solution] = {}

    @classmethod
    def for_scenario(cls, scenario: Scenario, dataset: DataSet, travel: TravelModel,
                     workers: int | None = None) -> Evaluator:
        """An evaluator searching with the scenario's solver settings."""
        return cls(dataset, travel, scenario.solver, workers)

    @property
    def time_capped(self) -> int:
        """Searches stopped by the time limit (the safety cap) rather than their solution
        or iteration limit."""
        return sum(1 for s in self._solutions.values() if s.solver.get("stopped_by") == "time_cap")

    def evaluate(self, scenarios: Sequence[Scenario], source: str = "scenario") -> list[Outcome]:
        """Outcomes of ``scenarios`` (all on this evaluator's study and travel model)."""
        checked = [check_scenario(scenario, source, dataset=self.dataset, travel=self.travel)
                   for scenario in scenarios]
        plans = [prepare_scenario(each, partial(
            solve_shared, settings=each.scenario.solver, workers=self.workers,
            progress=self.shared.progress, store=self.shared.store, memo=self._solutions)).plan
                 for each in checked]
        solutions = solve_shared(tuple(p for plan in plans for p in plan.problems),
                                 self.settings, self.workers, self.shared.progress,
                                 self.shared.store, self._solutions)
        outcomes, start = [], 0
        for each, plan in zip(checked, plans, strict=True):
            end = start + len(plan.problems)
            outcomes.append(self._outcome(each, plan, solutions[start:end]))
            start = end
        return outcomes

    def _outcome(self, checked: CheckedScenario, plan: Plan,
                 solutions: list[Solution]) -> Outcome:
        accounts = account_plan(checked, plan, solutions)
        return Outcome(checked.scenario, plan, accounts.routes, accounts.unserved,
                       accounts.kpi_week)
