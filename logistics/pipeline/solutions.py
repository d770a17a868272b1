"""The solve step: routing problems solved in a worker pool, each distinct problem once,
and their solutions shared on disk by content hash.

A solution is stored as ``<folder>/<key>.json`` where the key hashes everything the
solver sees (:func:`problem_key`), the search settings and the code that plans and
solves (:func:`code_version`). Every process, Dask worker and later run that reads the
same folder reuses it; files are written atomically and read without pickle.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

import logistics
from logistics.io.durable import (
    CorruptedFile,
    read_checked_json,
    set_aside,
    write_checked_json,
)
from logistics.pipeline.claims import Claims
from logistics.plan.planned import PlannedProblem
from logistics.routing.problem import (
    Leg,
    Route,
    RoutingProblem,
    Solution,
    UnservedJob,
    UnservedReason,
    Visit,
)
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.settings import get_settings

SOLUTIONS_FOLDER = "solutions"
logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(task, done, total)`` while problems are solved."""


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


def _described(value: object) -> object:
    """JSON for what :func:`json.dumps` cannot encode itself: a dataclass as the mapping
    of its fields (nested ones in turn), a set in sorted order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot describe {type(value).__name__} in a problem key")


def problem_key(problem: RoutingProblem) -> str:
    """SHA-256 of everything a solver sees: equal keys, equal solutions, in every process
    (sets are hashed in sorted order, never in the order of the process's hash seed)."""
    described = json.dumps(
        [problem.name, problem.points, problem.jobs, problem.vehicles, problem.shipments],
        default=_described, sort_keys=True)
    digest = hashlib.sha256(described.encode())
    for profile in sorted(problem.matrices):
        matrices = problem.matrices[profile]
        digest.update(profile.encode())
        digest.update(np.ascontiguousarray(matrices.distance_m).tobytes())
        digest.update(np.ascontiguousarray(matrices.duration_s).tobytes())
    return digest.hexdigest()


@cache
def code_version() -> str:
    """``logistics.__version__`` and a hash of the package's source files, so results
    computed by other code are never reused."""
    package = Path(logistics.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return f"{logistics.__version__}+{digest.hexdigest()[:12]}"


def solution_key(problem: RoutingProblem, settings: SolverSettings) -> str:
    """The problem's key, its search settings and the code version, hashed."""
    text = "\n".join((problem_key(problem), settings.model_dump_json(), code_version()))
    return hashlib.sha256(text.encode()).hexdigest()


class SolutionStore:
    """Solutions as JSON files in one folder, shared by every process that reads it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> SolutionStore:
        """The store every command shares: ``<results_dir>/solutions``."""
        return cls(get_settings().results_dir / SOLUTIONS_FOLDER)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> Solution | None:
        """The solution stored under ``key``; None when absent, or when the file is
        corrupted (truncated, changed, no checksum): it is set aside as
        ``<key>.json.corrupt``, logged, and the solution is computed again."""
        path = self.path(key)
        try:
            document = read_checked_json(path)
            return None if document is None else _solution(document)
        except (CorruptedFile, ValueError, KeyError, TypeError) as error:
            logger.warning("stored solution %s is corrupted (%s): set aside, solving "
                           "again", path.name, getattr(error, "why", error))
            with contextlib.suppress(OSError):
                set_aside(path)
            return None

    def put(self, key: str, solution: Solution) -> None:
        write_checked_json(self.path(key), dataclasses.asdict(solution))


def solve_shared(problems: tuple[PlannedProblem, ...], settings: SolverSettings,
                 workers: int | None = None, progress: Progress | None = None,
                 store: SolutionStore | None = None,
                 memo: dict[str, Solution] | None = None,
                 solved: list[PlannedProblem] | None = None,
                 waited: list[PlannedProblem] | None = None) -> list[Solution]:
    """Solutions of ``problems`` in order: from ``memo`` (this process), then ``store``
    (disk), and only the rest solved (:func:`solve_problems` in ``workers`` processes,
    default :func:`default_workers`), each distinct problem once. With a store, a
    problem another process is solving at the same time is claimed by it
    (:class:`~logistics.pipeline.claims.Claims`): this process solves the others
    meanwhile, then reads that solution when it is stored. New solutions go into both;
    the problems solved here go onto ``solved``, those read from another process's
    search in flight onto ``waited``."""
    memo = {} if memo is None else memo
    keys = [solution_key(planned.problem, settings) for planned in problems]
    pending: dict[str, PlannedProblem] = {}
    for planned, key in zip(problems, keys, strict=True):
        if key in memo or key in pending:
            continue
        stored = store.get(key) if store is not None else None
        if stored is None:
            pending[key] = planned
        else:
            memo[key] = stored
    workers = workers or default_workers()
    if store is None:
        memo.update(zip(pending, solve_problems(tuple(pending.values()), settings, workers,
                                                progress), strict=True))
        solved_here = list(pending.values())
    else:
        solved_here = _solve_claimed(pending, settings, workers, progress, store, memo,
                                     waited if waited is not None else [])
    if solved is not None:
        solved.extend(solved_here)
    return [memo[key] for key in keys]


CLAIM_POLL_S = 0.1
"""How often a process waiting for another's solution looks at the store."""
CLAIM_PATIENCE_FACTOR = 2.0
"""A claim untouched for this many times the search's time cap is taken to be hung."""


def _patience_s(planned: PlannedProblem, settings: SolverSettings) -> float:
    return CLAIM_PATIENCE_FACTOR * settings.pyvrp_time_cap_s(len(planned.problem.jobs))


def _solve_claimed(pending: dict[str, PlannedProblem], settings: SolverSettings,
                   workers: int, progress: Progress | None, store: SolutionStore,
                   memo: dict[str, Solution],
                   waited: list[PlannedProblem]) -> list[PlannedProblem]:
    """Solve the ``pending`` problems this process can claim, put them in ``store`` and
    ``memo``, and read the others once their claimers have stored them (add them to
    ``waited``); a claim whose holder died is taken over, one not touched for
    :data:`CLAIM_PATIENCE_FACTOR` x the search's time cap is ignored. Returns the
    problems solved here."""
    pending = dict(pending)
    solved_here: list[PlannedProblem] = []
    finished = taken = 0
    with Claims(store.folder) as claims:
        def touched(task: str, _done: int, _total: int) -> None:
            nonlocal finished
            finished += 1
            claims.touch()
            if progress:
                progress(task, finished, taken)

        while pending:
            mine: dict[str, PlannedProblem] = {}
            for key, planned in list(pending.items()):
                claimed = claims.take(key)
                found = store.get(key)  # stored since we first looked
                if found is not None:
                    claims.release(key)
                    memo[key] = found
                    waited.append(pending.pop(key))
                elif claimed or claims.stale(key, _patience_s(planned, settings)):
                    mine[key] = pending.pop(key)
            if not mine:
                time.sleep(CLAIM_POLL_S)
                continue
            taken += len(mine)
            # one process solving in turn stores each solution as soon as it has it
            for batch in ([dict([item]) for item in mine.items()] if workers <= 1 else [mine]):
                solutions = solve_problems(tuple(batch.values()), settings, workers, touched)
                for key, solution in zip(batch, solutions, strict=True):
                    memo[key] = solution
                    store.put(key, solution)
                    claims.release(key)
                solved_here += batch.values()
    return solved_here


def default_workers() -> int:
    """Processes for independent routing problems (``Settings.workers``)."""
    return get_settings().workers


def solve_problems(problems: tuple[PlannedProblem, ...], settings: SolverSettings,
                   workers: int, progress: Progress | None = None) -> list[Solution]:
    """Solve independent problems, in parallel processes when ``workers`` > 1.

    Each problem is solved single-threaded with the same seed, so results do not
    depend on the number of workers. The largest problems go first, so that no worker
    is left with a long search at the end. Workers start from a fork server, which is
    safe when the caller runs threads (the HTTP API does).
    """
    total = len(problems)
    if workers <= 1 or total <= 1:
        solutions = []
        for done, planned in enumerate(problems, start=1):
            solutions.append(solve(planned.problem, settings))
            if progress:
                progress("solving", done, total)
        return solutions
    largest_first = sorted(range(total), key=lambda i: len(problems[i].problem.jobs),
                           reverse=True)
    solved: dict[int, Solution] = {}
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("forkserver")) as pool:
        futures = {pool.submit(solve, problems[i].problem, settings): i
                   for i in largest_first}
        for done, future in enumerate(as_completed(futures), start=1):
            solved[futures[future]] = future.result()
            if progress:
                progress("solving", done, total)
    return [solved[i] for i in range(total)]


def _solution(document: dict[str, Any]) -> Solution:
    routes = tuple(
        Route(route["vehicle_id"], route["vehicle_type_id"], route["start_s"], route["end_s"],
              tuple(Visit(**visit) for visit in route["visits"]),
              tuple(Leg(**leg) for leg in route["legs"]))
        for route in document["routes"])
    unserved = tuple(UnservedJob(item["job_id"], tuple(item["order_ids"]),
                                 UnservedReason(item["reason"]), item["detail"])
                     for item in document["unserved"])
    return Solution(document["problem_name"], routes, unserved, document["objective_nok"],
                    document["solver"])
