"""Claims on routing problems between real processes: two processes that need the same
problems at once solve each once; a claim whose holder died, or that makes no progress
for longer than the search's time cap, is taken over."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import time
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import pytest

from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.claims import Claims
from logistics.pipeline.run import prepare_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import SolutionStore, solution_key, solve_shared
from logistics.plan.planned import PlannedProblem
from logistics.routing.settings import SolverSettings
from logistics.scenarios.files import load_scenario
from tests.conftest import make_small_dataset
from tests.study_helpers import QUICK_SOLVER

CONTEXT = multiprocessing.get_context("spawn")


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[PlannedProblem, ...],
                                                               SolverSettings]:
    """The five routing problems of a six-unit consolidated scenario, and its search."""
    data = make_small_dataset(tmp_path_factory.mktemp("claims") / "data", units=6)
    scenario = load_scenario(SHIPPED_SCENARIOS_DIR / "consolidated-ev.yaml").with_overrides(
        {"dataset_dir": str(data), **QUICK_SOLVER})
    return prepare_scenario(check_scenario(scenario)).plan.problems, scenario.solver


def _solve(problems: tuple[PlannedProblem, ...], settings: SolverSettings, folder: str,
           results: Any, barrier: Barrier | None = None, started: Event | None = None) -> None:
    """In a child process: solve through the store, report (pid, solved, waited) names."""
    solved: list[PlannedProblem] = []
    waited: list[PlannedProblem] = []
    if barrier is not None:
        barrier.wait()
    if started is not None:
        started.set()
    solve_shared(problems, settings, workers=1, store=SolutionStore(Path(folder)),
                 solved=solved, waited=waited)
    results.put((os.getpid(), [p.problem.name for p in solved],
                 [p.problem.name for p in waited]))


def _hold_claim(folder: str, key: str, holding: Event) -> None:
    """In a child process: claim ``key`` and never finish (a worker that hangs or is
    killed mid-solve)."""
    claims = Claims(Path(folder))
    assert claims.take(key)
    holding.set()
    time.sleep(600)


def test_two_processes_needing_the_same_problems_at_once_solve_each_once(
        tmp_path: Path, planned: tuple[tuple[PlannedProblem, ...], SolverSettings]) -> None:
    problems, settings = planned
    results = CONTEXT.Queue()
    barrier = CONTEXT.Barrier(2)
    children = [CONTEXT.Process(target=_solve, args=(problems, settings, str(tmp_path),
                                                     results, barrier)) for _ in range(2)]
    for child in children:
        child.start()
    reports = [results.get(timeout=300) for _ in children]
    for child in children:
        child.join(timeout=60)
    solved = [name for _, names, _ in reports for name in names]
    names = sorted(p.problem.name for p in problems)
    assert len(names) == 5
    assert sorted(solved) == names  # every problem solved, and by one process only
    for _, solved_here, waited in reports:  # solved here, or read from the other's search
        # (a problem the other had already stored when this one first looked is neither)
        assert not set(solved_here) & set(waited) and set(solved_here + waited) <= set(names)
    assert len(list(tmp_path.glob("*.json"))) == 5
    assert not list(tmp_path.glob("*.claim"))  # every claim released


def test_a_process_waits_for_the_solution_another_is_searching(
        tmp_path: Path, planned: tuple[tuple[PlannedProblem, ...], SolverSettings]) -> None:
    problems, settings = planned
    first = problems[:1]
    key = solution_key(first[0].problem, settings)
    store = SolutionStore(tmp_path)
    with Claims(tmp_path) as claims:
        assert claims.take(key)
        holder = claims.holder(key)
        assert holder is not None and holder["pid"] == os.getpid()
        assert holder["host"] == socket.gethostname()
        results, started = CONTEXT.Queue(), CONTEXT.Event()
        child = CONTEXT.Process(target=_solve, args=(first, settings, str(tmp_path), results,
                                                     None, started))
        child.start()
        assert started.wait(timeout=120)
        time.sleep(1.5)  # the child looks, finds the claim, waits
        assert results.empty()
        store.put(key, solve_shared(first, settings, workers=1)[0])  # this process's search
        claims.release(key)
        _, solved, waited = results.get(timeout=60)
        child.join(timeout=60)
    assert solved == [] and waited == [first[0].problem.name]


def _claim_held_by_a_child(folder: Path, planned: PlannedProblem, settings: SolverSettings
                           ) -> tuple[str, Any]:
    """Start a child process that claims ``planned``'s problem and never finishes it;
    its key and the child, once the claim is held."""
    key = solution_key(planned.problem, settings)
    holding = CONTEXT.Event()
    child = CONTEXT.Process(target=_hold_claim, args=(str(folder), key, holding))
    child.start()
    assert holding.wait(timeout=120)
    return key, child


def test_claim_of_a_killed_worker_is_taken_over(
        tmp_path: Path, planned: tuple[tuple[PlannedProblem, ...], SolverSettings]) -> None:
    problems, settings = planned
    first = problems[:1]
    key, child = _claim_held_by_a_child(tmp_path, first[0], settings)
    claims = Claims(tmp_path)
    assert not claims.take(key)  # the child holds it
    holder = claims.holder(key)
    assert holder is not None and holder["pid"] == child.pid
    os.kill(child.pid, signal.SIGKILL)  # dies mid-solve; its claim file stays
    child.join(timeout=60)
    assert claims.path(key).exists()
    solved: list[PlannedProblem] = []
    solutions = solve_shared(first, settings, workers=1, store=SolutionStore(tmp_path),
                             solved=solved)
    assert [p.problem.name for p in solved] == [first[0].problem.name]
    assert SolutionStore(tmp_path).get(key) == solutions[0]
    assert not claims.path(key).exists()


def test_claim_untouched_longer_than_the_time_cap_is_solved_past(
        tmp_path: Path, planned: tuple[tuple[PlannedProblem, ...], SolverSettings]) -> None:
    problems, settings = planned
    first = problems[:1]
    key, child = _claim_held_by_a_child(tmp_path, first[0], settings)
    try:
        claims = Claims(tmp_path)
        assert not claims.stale(key, settings.time_limit_s)
        an_hour_ago = time.time() - 3600  # the live holder made no progress for an hour
        os.utime(claims.path(key), (an_hour_ago, an_hour_ago))
        assert claims.stale(key, settings.time_limit_s)
        solved: list[PlannedProblem] = []
        solve_shared(first, settings, workers=1, store=SolutionStore(tmp_path), solved=solved)
        assert len(solved) == 1
        assert not claims.take(key)  # the hung holder keeps its claim; nobody waits on it
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=60)


def test_progress_counts_every_problem_solved_through_the_store(
        tmp_path: Path, planned: tuple[tuple[PlannedProblem, ...], SolverSettings]) -> None:
    problems, settings = planned
    calls: list[tuple[str, int, int]] = []
    solve_shared(problems, settings, workers=1, store=SolutionStore(tmp_path),
                 progress=lambda task, done, total: calls.append((task, done, total)))
    assert calls == [("solving", done, 5) for done in range(1, 6)]
    assert len(list(tmp_path.glob("*.json"))) == 5 and not list(tmp_path.glob("*.claim"))
