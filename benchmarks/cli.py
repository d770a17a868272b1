"""``logistics bench vrp``: solver quality against published best-known solutions."""

from __future__ import annotations

import json
import os
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from benchmarks.vrp_instances import BenchResult, run_instance
from logistics.cli.common import guarded, out

bench_app = typer.Typer(help="Solver benchmarks against best-known solutions.",
                        no_args_is_help=True)


@bench_app.callback()
def bench() -> None:
    """Solver benchmarks against best-known solutions."""


def _table(results: list[BenchResult]) -> Table:
    table = Table(title=f"VRP benchmark ({results[0].backend}, {results[0].cores} cores)")
    for column in ("instance", "objective", "best known", "gap %", "vehicles", "feasible",
                   "wall s"):
        table.add_column(column, justify="left" if column == "instance" else "right")
    for r in results:
        table.add_row(r.instance, f"{r.objective:g}", "-" if r.bks is None else f"{r.bks:g}",
                      "-" if r.gap_pct is None else f"{r.gap_pct:.2f}", str(r.vehicles),
                      "yes" if r.feasible else "NO", f"{r.wall_s:.1f}")
    gaps = [r.gap_pct for r in results if r.gap_pct is not None]
    if gaps:
        table.caption = f"mean gap {sum(gaps) / len(gaps):.2f} % over {len(gaps)} instances"
    return table


@bench_app.command("vrp")
def vrp(
    instances: Annotated[list[Path], typer.Argument(help="VRPLIB .vrp files (CVRP X or "
                                                         "Solomon VRPTW), .sol beside them")],
    time_limit_s: Annotated[float, typer.Option(help="Search time per instance")] = 10.0,
    backend: Annotated[str, typer.Option(help="pyvrp (the search the product runs) or "
                                              "ortools")] = "pyvrp",
    cores: Annotated[int, typer.Option(help="Independent searches in parallel, best "
                                            "kept")] = os.cpu_count() or 1,
    seed: Annotated[int, typer.Option(help="Seed of the first search")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line and "
                                                         "instance")] = False,
) -> None:
    """Solve each instance through the product's solver and report the gap to best known."""
    results: list[BenchResult] = []
    for path in instances:
        result = guarded(partial(run_instance, path, time_limit_s, backend=backend,
                                 seed=seed, cores=cores))
        results.append(result)
        if as_json:
            print(json.dumps(result.as_dict()), flush=True)
    if not as_json:
        out.print(_table(results))
