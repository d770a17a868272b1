"""Do the demo's default search settings converge? Default objective against a reference.

For each scenario ``logistics demo`` runs (the Bergen study on the crow-fly travel
model, as the demo uses it without a cached road network), every routing problem of
the week is solved with the scenario's own solver settings and compared with the
reference stored in ``benchmarks/reference/<scenario>.json``: per problem the best
objective found by long searches (PyVRP with several seeds where it can model the
problem, and OR-Tools), the settings that found it, and the problem's key
(:func:`logistics.pipeline.solutions.problem_key`), so a changed problem is reported
instead of compared.
Every solution must pass the independent schedule checker.

    python benchmarks/convergence.py                    # the table
    python benchmarks/convergence.py --build-reference  # long searches, rewrites the files
    python benchmarks/convergence.py --curve 300 600 1200 2400  # gap against iterations
    python benchmarks/convergence.py --curve-per-stop 5 8 12    # ... against effort per stop

The table gives per scenario the default objective, the reference objective, the gap,
the solve time of its problems one after another and what stopped the searches; the
last line estimates the demo's solve time on two workers. Gaps are taken against the
references as they stood; a search that beats one then replaces it, so the file always
holds the best found and no point of a curve is measured against itself.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from logistics.cli.scenarios import DEMO_SCENARIOS
from logistics.paths import SHIPPED_SCENARIOS_DIR
from logistics.pipeline.run import prepare_scenario
from logistics.pipeline.scenario_check import check_scenario
from logistics.pipeline.solutions import problem_key
from logistics.routing.problem import RoutingProblem, Solution
from logistics.routing.settings import SolverSettings
from logistics.routing.solve import solve
from logistics.routing.solvers.pyvrp import unsupported_features
from logistics.routing.verify import verify_solution
from logistics.scenarios.files import load_scenario
from logistics.travel.base import TravelModel

REFERENCE_DIR = Path(__file__).parent / "reference"
REFERENCE_CAP_S = 3_600.0
"""Safety cap of each PyVRP reference search (they stop by iterations)."""
DEMO_WORKERS = 2
"""Processes the demo's solve-time estimate assumes."""


@dataclass(frozen=True)
class Solved:
    """One problem solved: its objective, solve time and what stopped the search."""

    problem: str
    key: str
    objective_nok: float
    wall_s: float
    stopped_by: str
    found_by: dict[str, object]


def scenario_problems(name: str, travel: TravelModel | None = None
                      ) -> tuple[tuple[RoutingProblem, ...], SolverSettings, TravelModel]:
    """The week's routing problems of shipped scenario ``name``, its solver settings and
    the travel model (reused across scenarios, as the demo does)."""
    path = SHIPPED_SCENARIOS_DIR / f"{name}.yaml"
    scenario = load_scenario(path)
    checked = check_scenario(scenario, str(path), travel=travel)
    plan = prepare_scenario(checked).plan
    return tuple(p.problem for p in plan.problems), scenario.solver, checked.travel


def solve_checked(problem: RoutingProblem, settings: SolverSettings) -> Solved:
    """Solve and verify with the independent checker (a violation is an error)."""
    began = time.perf_counter()
    solution: Solution = solve(problem, settings)
    wall_s = time.perf_counter() - began
    violations = verify_solution(problem, solution)
    if violations:
        raise AssertionError(f"{problem.name}: {violations[:3]}")
    found_by = {"backend": str(solution.solver.get("backend")), "seed": settings.seed,
                "iteration_limit": settings.iteration_limit,
                "solution_limit": settings.solution_limit,
                "time_limit_s": settings.time_limit_s}
    return Solved(problem.name, problem_key(problem), solution.objective_nok, wall_s,
                  str(solution.solver.get("stopped_by")), found_by)


@dataclass(frozen=True)
class ReferenceSearch:
    """How long the reference searches run: PyVRP for ``iterations`` per seed, OR-Tools
    (which counts no iterations) for ``ortools_s`` seconds."""

    iterations: int
    seeds: tuple[int, ...]
    ortools_s: float

    def settings(self, problem: RoutingProblem) -> list[SolverSettings]:
        """The searches of ``problem``: PyVRP per seed where it can model it, and
        OR-Tools."""
        pyvrp = [SolverSettings(backend="auto", seed=seed, iteration_limit=self.iterations,
                                time_limit_s=REFERENCE_CAP_S) for seed in self.seeds]
        ortools = SolverSettings(backend="ortools", solution_limit=None,
                                 time_limit_s=self.ortools_s)
        return ([] if unsupported_features(problem) else pyvrp) + [ortools]


def stored_reference(name: str) -> dict[str, dict[str, object]]:
    """The stored reference entries of scenario ``name`` by problem name (none: empty)."""
    path = REFERENCE_DIR / f"{name}.json"
    if not path.exists():
        return {}
    return {entry["problem"]: entry for entry in json.loads(path.read_text())["problems"]}


def _write_reference(name: str, entries: dict[str, dict[str, object]]) -> None:
    REFERENCE_DIR.mkdir(exist_ok=True)
    document = {"scenario": name, "travel_model": "crow_fly",
                "problems": list(entries.values())}
    (REFERENCE_DIR / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")


def keep_if_better(name: str, solved: Sequence[Solved],
                   method: dict[str, object] | None = None) -> list[str]:
    """Store each of ``solved`` as the reference of its problem of scenario ``name`` where
    it beats the stored entry (or the stored problem changed), and write the file at
    once; ``method`` (the searches behind it and their time) is recorded beside the
    entry. The names of the problems whose reference was replaced."""
    entries = stored_reference(name)
    replaced = []
    for s in solved:
        kept = entries.get(s.problem)
        if kept is not None and kept["problem_key"] == s.key and (
                float(str(kept["objective_nok"])) <= round(s.objective_nok, 4)):
            continue
        entries[s.problem] = {"problem": s.problem, "problem_key": s.key,
                              "objective_nok": round(s.objective_nok, 4),
                              "found_by": s.found_by,
                              "method": method or {"searches": 1,
                                                   "search_s": round(s.wall_s, 1)}}
        replaced.append(s.problem)
    if replaced:
        _write_reference(name, entries)
    return replaced


def build_reference(name: str, search: ReferenceSearch) -> None:
    """Run the long searches of every problem of ``name``, storing each problem's best
    as soon as it is found (a stored entry of the same problem that is better stays),
    so a search stopped part way keeps what it found."""
    problems, _, _ = scenario_problems(name)
    for problem in problems:
        searches = [solve_checked(problem, s) for s in search.settings(problem)]
        best = min(searches, key=lambda solved: solved.objective_nok)
        method: dict[str, object] = {
            "searches": len(searches), "pyvrp_seeds": list(search.seeds),
            "pyvrp_iterations": search.iterations, "ortools_s": search.ortools_s,
            "search_s": round(sum(s.wall_s for s in searches), 1)}
        replaced = keep_if_better(name, [best], method)
        entry = stored_reference(name)[best.problem]
        print(f"{name} {best.problem}: {float(str(entry['objective_nok'])):,.1f} NOK "
              f"({'new' if replaced else 'kept'}; found by {entry['found_by']})", flush=True)


def two_worker_makespan_s(walls_s: Sequence[float], workers: int = DEMO_WORKERS) -> float:
    """Solve time of one scenario's problems handed out in order to the first free of
    ``workers`` processes."""
    free_at = [0.0] * workers
    for wall_s in walls_s:
        slot = free_at.index(min(free_at))
        free_at[slot] += wall_s
    return max(free_at)


def compare(name: str, travel: TravelModel | None, overrides: dict[str, object],
            per_problem: bool) -> tuple[list[str], list[float], TravelModel]:
    """One table row for scenario ``name`` (solved with its settings and ``overrides``)
    and its problems' solve times; ``per_problem`` prints a line per problem too."""
    problems, settings, travel = scenario_problems(name, travel)
    settings = settings.with_overrides(overrides)
    stored = stored_reference(name)
    solved = [solve_checked(problem, settings) for problem in problems]
    changed = [s.problem for s in solved
               if s.problem not in stored or stored[s.problem]["problem_key"] != s.key]
    if per_problem:
        for s in solved:
            kept = stored.get(s.problem)
            gap = ("changed" if s.problem in changed or kept is None else
                   f"{100 * (s.objective_nok / float(str(kept['objective_nok'])) - 1):+.2f} %")
            print(f"  {s.problem}: {s.objective_nok:,.1f} NOK, {gap}, {s.wall_s:.1f} s, "
                  f"{s.stopped_by}", flush=True)
    total = sum(s.objective_nok for s in solved)
    walls = [s.wall_s for s in solved]
    stops = Counter(s.stopped_by for s in solved)
    if changed:
        reference, gap = "changed", f"{len(changed)} problems changed: --build-reference"
    else:
        best = sum(float(str(stored[s.problem]["objective_nok"])) for s in solved)
        reference, gap = f"{best:,.0f}", f"{100 * (total - best) / best:+.2f}"
    row = [name, f"{total:,.0f}", reference, gap, f"{sum(walls):.1f}",
           ", ".join(f"{k} {v}" for k, v in sorted(stops.items()))]
    # the gap is taken against the references as they were; better ones replace them after
    for replaced in keep_if_better(name, [s for s in solved if s.problem not in changed]):
        print(f"  {replaced}: this search beats the reference, which it replaces",
              flush=True)
    return row, walls, travel


def print_curve(names: Sequence[str], efforts: Sequence[tuple[str, dict[str, object]]]
                ) -> None:
    """One line per scenario and search effort (a label and its solver overrides): the gap
    to the reference as it stood before the point was run, and the solve time of the
    scenario's problems one after another."""
    travel: TravelModel | None = None
    print("scenario | effort | gap % | solve s")
    for name in names:
        for label, overrides in efforts:
            row, walls, travel = compare(name, travel, overrides, False)
            print(f"{name} | {label} | {row[3]} | {sum(walls):.1f}", flush=True)


def curve_efforts(iteration_limits: Sequence[int], per_stop: Sequence[int]
                  ) -> list[tuple[str, dict[str, object]]]:
    """The efforts of a curve: exact iteration limits (no effort per stop), then efforts
    per stop above the scenario's iteration limit."""
    efforts: list[tuple[str, dict[str, object]]] = [
        (f"{n} iterations", {"iteration_limit": n, "iterations_per_stop": None})
        for n in iteration_limits]
    return efforts + [(f"{k} per stop", {"iterations_per_stop": k}) for k in per_stop]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-reference", action="store_true",
                        help="run the long searches and rewrite the reference files")
    parser.add_argument("--scenario", action="append", choices=DEMO_SCENARIOS,
                        help="only this scenario (repeatable; default: the demo's four)")
    parser.add_argument("--per-problem", action="store_true",
                        help="print every problem's objective, gap and solve time too")
    parser.add_argument("--iteration-limit", type=int,
                        help="solve with this PyVRP iteration limit instead of the "
                             "scenario's (to measure a candidate default)")
    parser.add_argument("--iterations", type=int, default=3_000,
                        help="iterations of each PyVRP reference search")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2],
                        help="PyVRP seeds of the reference searches")
    parser.add_argument("--ortools-s", type=float, default=30.0,
                        help="length of the OR-Tools reference search (s)")
    parser.add_argument("--curve", type=int, nargs="+", metavar="ITERATIONS", default=[],
                        help="the gap and solve time at each of these PyVRP iteration "
                             "limits (the curve the default effort is chosen from)")
    parser.add_argument("--curve-per-stop", type=int, nargs="+", metavar="PER_STOP",
                        default=[],
                        help="the gap and solve time at each of these PyVRP iterations per "
                             "stop, above the scenario's iteration limit")
    args = parser.parse_args()
    names = args.scenario or list(DEMO_SCENARIOS)
    if args.curve or args.curve_per_stop:
        print_curve(names, curve_efforts(args.curve, args.curve_per_stop))
        return
    if args.build_reference:
        search = ReferenceSearch(args.iterations, tuple(args.seeds), args.ortools_s)
        for name in names:
            build_reference(name, search)
        return
    header = ["scenario", "default NOK", "reference NOK", "gap %", "solve s", "stopped by"]
    rows: list[list[str]] = []
    one_core_s = demo_s = 0.0
    travel: TravelModel | None = None
    for name in names:
        overrides: dict[str, object] = (
            {} if args.iteration_limit is None else {"iteration_limit": args.iteration_limit})
        row, walls, travel = compare(name, travel, overrides, args.per_problem)
        rows.append(row)
        one_core_s += sum(walls)
        demo_s += two_worker_makespan_s(walls)
        print(" | ".join(row), flush=True)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print()
    for r in [header, *rows]:
        print("  ".join(cell.rjust(w) if 0 < i < 5 else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(r, widths, strict=True))))
    print(f"\nsolve time of all problems: {one_core_s:.1f} s on one core, about "
          f"{demo_s:.1f} s on {DEMO_WORKERS} workers (scenario after scenario, as the demo)")


if __name__ == "__main__":
    main()
