"""Solver quality against best-known solutions: OR-Tools, PyVRP and VROOM side by side.

Run by hand (about 10 minutes with the defaults on the six shared instances):

    python benchmarks/vrp.py                       # every instance in ../shared/benchmarks/vrp
    python benchmarks/vrp.py PATH.vrp ... --solomon-time-s 30 --x-time-s 60 --cores 2 --json

OR-Tools and PyVRP go through the product's ``solve()`` (``cores`` independent
searches, best kept; see :mod:`benchmarks.vrp_instances`). VROOM, the peer, gets the same
integer matrices, ``cores`` threads, exploration level 5 and the same time as a cap
(it usually stops earlier, on its own). Every answer is re-checked and re-costed by
the benchmark's own checker, under the instance's distance convention.

Targets (issue 4, 2-core machine): mean gap <= 0.5 % on Solomon 100-customer
instances at 30 s, <= 1.5 % on X instances up to 200 customers at 60 s, better
than VROOM, and always a feasible answer.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import vroom

from benchmarks.vrp_instances import BenchResult, check_routes, gap_pct, run_instance
from benchmarks.vrplib import (
    VrplibInstance,
    distance_matrix,
    read_instance,
    read_solution,
    route_cost,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "vrp"


def solve_with_vroom(instance: VrplibInstance, time_limit_s: float, cores: int
                     ) -> tuple[tuple[tuple[int, ...], ...], int]:
    """VROOM's routes (customer numbers) and its count of unassigned customers."""
    unit = instance.metres_per_unit
    matrix = np.round(distance_matrix(instance) * unit).astype(np.int64)
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    if instance.time_windows is not None:
        windows = np.round(instance.time_windows * unit).astype(np.int64)
    else:
        windows = np.tile([0, int(matrix.max(axis=1).sum())], (len(matrix), 1))
    depot_window = vroom.TimeWindow(int(windows[0, 0]), int(windows[0, 1]))
    problem.add_vehicle([vroom.Vehicle(k + 1, start=0, end=0, capacity=[int(instance.capacity)],
                                       time_window=depot_window)
                         for k in range(instance.fleet_size())])
    problem.add_job([vroom.Job(i, location=i, delivery=[int(instance.demands[i])],
                               default_service=round(float(instance.service_times[i]) * unit),
                               time_windows=[vroom.TimeWindow(int(windows[i, 0]),
                                                              int(windows[i, 1]))])
                     for i in range(1, len(matrix))])
    solution = problem.solve(exploration_level=5, nb_threads=cores,
                             timeout=timedelta(seconds=time_limit_s))
    steps = solution.routes
    jobs = steps[steps["type"] == "job"]
    routes = tuple(tuple(int(i) for i in group["id"]) for _, group in jobs.groupby("vehicle_id"))
    return routes, int(solution.summary.unassigned)


def vroom_result(path: Path, time_limit_s: float, cores: int) -> BenchResult:
    instance = read_instance(path)
    bks = read_solution(path.with_suffix(".sol")).cost
    started = time.perf_counter()
    routes, unassigned = solve_with_vroom(instance, time_limit_s, cores)
    wall_s = time.perf_counter() - started
    objective = route_cost(instance, routes)
    return BenchResult(
        instance=instance.name, objective=round(objective, 6), bks=bks,
        gap_pct=gap_pct(objective, bks), vehicles=len(routes),
        feasible=unassigned == 0 and not check_routes(instance, routes),
        wall_s=round(wall_s, 2), backend="vroom", cores=cores)


def _cell(result: BenchResult) -> str:
    flag = "" if result.feasible else " INFEASIBLE"
    return f"{result.gap_pct:6.2f} % ({result.vehicles} veh, {result.wall_s:.0f} s){flag}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("instances", nargs="*", type=Path,
                        default=sorted(SHARED.glob("*/*.vrp")))
    parser.add_argument("--solomon-time-s", type=float, default=30.0)
    parser.add_argument("--x-time-s", type=float, default=60.0)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--backends", nargs="+", default=["pyvrp", "ortools", "vroom"])
    parser.add_argument("--json", action="store_true", help="one JSON object per result")
    args = parser.parse_args()

    rows: dict[str, dict[str, BenchResult]] = {}
    for path in args.instances:
        instance = read_instance(path)
        limit = args.x_time_s if instance.time_windows is None else args.solomon_time_s
        for backend in args.backends:
            if backend == "vroom":
                result = vroom_result(path, limit, args.cores)
            else:
                result = run_instance(path, limit, backend=backend, cores=args.cores)
            row = f"{instance.name} ({result.bks:g}, {limit:.0f} s)"
            rows.setdefault(row, {})[backend] = result
            if args.json:
                print(json.dumps(result.as_dict()), flush=True)
    if args.json:
        return
    print(f"cores: {args.cores}")
    print("| instance (best known, time) | " + " | ".join(args.backends) + " |")
    print("| --- " * (len(args.backends) + 1) + "|")
    for name, results in rows.items():
        print(f"| {name} | " + " | ".join(_cell(results[b]) for b in args.backends) + " |")
    for family, is_x in (("Solomon", False), ("X", True)):
        means = []
        for backend in args.backends:
            gaps = [r[backend].gap_pct for n, r in rows.items() if n.startswith("X-") == is_x]
            if gaps:
                means.append(f"{backend} {sum(g or 0.0 for g in gaps) / len(gaps):.2f} %")
        if means:
            print(f"mean gap {family}: " + ", ".join(means))


if __name__ == "__main__":
    main()
