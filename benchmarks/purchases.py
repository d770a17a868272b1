"""Import benchmark on a GENERATED purchase year of a city of Bergen's size.

Generates a year of EHF documents for the shipped units (:mod:`logistics.purchases.
generate`; its scale is units x sellers x weeks: ``--unit-copies``, ``--tail-copies``,
``--weeks``), at least 100,000 documents, then imports the first months holding at
least 25,000, 50,000 and 100,000 documents, and the whole year, each in a fresh process.
It reports documents per second and peak memory (:mod:`benchmarks.process_memory`:
the process's ``ru_maxrss`` and the sampled sum over it and its workers) of each, so
one sees whether memory grows with the number of documents (an import that streams
holds about the same at 25k as at 100k). Target: 100,000 documents in under two
minutes on 2 cores. Everything imported is GENERATED; nothing describes a real purchase.

Run: ``python -m benchmarks.purchases [--out DIR] [--seed N] [--unit-copies K]
[--tail-copies N] [--weeks W] [--sizes 25000,50000,100000] [--json]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from benchmarks.process_memory import run_measured_process
from logistics.cli.common import guarded, out
from logistics.paths import DATASET_DIR
from logistics.purchases.generate import generate_purchase_year
from logistics.purchases.generated_year import YearScale

LABEL = "GENERATED purchase year"
TARGET_DOCUMENTS = 100_000
TARGET_S = 120.0
"""100,000 documents in under two minutes on 2 cores (issue 20)."""
DEFAULT_SIZES = (25_000, 50_000, 100_000)
DEFAULT_TIMEOUT_S = 1800.0
IMPORTER = "logistics.purchases.importer:import_purchases"
GROWTH_TOLERANCE = 1.5
"""Peak memory at the largest size over the smallest above which memory is said to
grow with the documents."""


def month_documents(documents_dir: Path) -> list[tuple[Path, int]]:
    """The month folders of a generated year in order, with the documents each holds
    (zip members and loose files)."""
    months = []
    for folder in sorted(p for p in documents_dir.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]")
                         if p.is_dir()):
        count = 0
        for path in folder.rglob("*"):
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    count += len(archive.namelist())
            elif path.suffix == ".xml":
                count += 1
        months.append((folder, count))
    return months


def first_months(months: Sequence[tuple[Path, int]], documents: int
                 ) -> tuple[list[Path], int] | None:
    """The first months holding at least ``documents`` documents, and how many they
    hold; None when the whole year holds fewer."""
    chosen: list[Path] = []
    total = 0
    for folder, count in months:
        chosen.append(folder)
        total += count
        if total >= documents:
            return chosen, total
    return None


def import_once(arguments: dict[str, Any]) -> dict[str, Any]:
    """Import the sources in this process (the measured process); what it read."""
    module, function = arguments["importer"].split(":")
    import_purchases = getattr(importlib.import_module(module), function)
    started = time.perf_counter()
    report = import_purchases(
        [Path(p) for p in arguments["sources"]], units=Path(arguments["units"]),
        suppliers=Path(arguments["suppliers"]), out_dir=Path(arguments["out_dir"]),
        cost_centres=Path(arguments["cost_centres"]), postcodes=Path(arguments["postcodes"]))
    return {"documents_read": report.documents_read,
            "documents_failed": report.documents_failed,
            "documents_skipped": report.documents_skipped,
            "problems": len(report.problems),
            "import_s": round(time.perf_counter() - started, 1)}


def _measured_import(name: str, sources: Sequence[Path], documents: int, year: Path,
                     units: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Import ``sources`` in a fresh process; documents per second and peak memory."""
    arguments = {"importer": args.importer, "sources": [str(p) for p in sources],
                 "units": str(units), "suppliers": str(DATASET_DIR / "suppliers.csv"),
                 "out_dir": str(year.parent / f"study-{name}"),
                 "cost_centres": str(year / "cost_centres.csv"),
                 "postcodes": str(year / "postcodes.csv")}
    request = year.parent / f"import-{name}.json"
    request.write_text(json.dumps(arguments), encoding="utf-8")
    report = year.parent / f"report-{name}.json"
    command = [sys.executable, "-m", "benchmarks.purchases", "--one", str(request)]
    print(f"{LABEL}: importing {name} ({documents} documents) ...", file=sys.stderr,
          flush=True)
    run = run_measured_process(command, report, args.timeout_s)
    row: dict[str, Any] = {"import": name, "documents": documents, "status": run.status,
                           "wall_s": run.wall_s, "peak_mib_process": run.peak_mib_process,
                           "peak_mib_all_processes_sampled":
                               run.peak_mib_all_processes_sampled}
    if run.returncode == 0:
        row |= json.loads(report.read_text(encoding="utf-8"))
        row["documents_per_s"] = round(documents / max(row["import_s"], 1e-9))
    return row


def benchmark(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Generate the year in ``folder``, import its parts and the whole, and the report."""
    header: dict[str, Any] = {"label": LABEL, "seed": args.seed, "cores": os.cpu_count(),
                              "target": f"{TARGET_DOCUMENTS} documents in {TARGET_S:.0f} s",
                              "load_before": _load_average()}
    scale = YearScale(args.unit_copies, args.tail_copies, args.weeks)
    started, started_cpu = time.perf_counter(), time.process_time()
    print(f"{LABEL}: generating ...", file=sys.stderr, flush=True)
    year = generate_purchase_year(folder / "year", seed=args.seed, scale=scale)
    generate_s = time.perf_counter() - started
    header |= {"documents": year.document_count, "deliveries": year.deliveries,
               "generate_s": round(generate_s, 1),
               "generate_cpu_s": round(time.process_time() - started_cpu, 1),
               "generated_documents_per_s": round(year.document_count / generate_s),
               "scale": {"unit_copies": scale.unit_copies, "tail_copies": scale.tail_copies,
                         "weeks": scale.weeks}}
    if year.document_count < max(args.sizes):
        raise SystemExit(f"the generated year holds {year.document_count} documents, fewer "
                         f"than {max(args.sizes)}: raise --unit-copies or --weeks")
    units = (year.out_dir / "units.csv" if scale.unit_copies > 1
             else DATASET_DIR / "units.csv")
    months = month_documents(year.documents_dir)
    rows = []
    for size in args.sizes:
        chosen = first_months(months, size)
        assert chosen is not None
        rows.append(_measured_import(f"{size // 1000}k", chosen[0], chosen[1], year.out_dir,
                                     units, args))
    rows.append(_measured_import("year", [year.documents_dir], year.document_count,
                                 year.out_dir, units, args))
    finished = [r for r in rows[:-1] if r["status"] == "finished"]
    grows = (None if len(finished) < 2 else finished[-1]["peak_mib_all_processes_sampled"]
             > GROWTH_TOLERANCE * finished[0]["peak_mib_all_processes_sampled"])
    return {**header, "load_after": _load_average(), "imports": rows,
            "memory_grows_with_documents": grows}


def _table(report: dict[str, Any]) -> Table:
    table = Table(title=f"{LABEL}: import benchmark, {report['cores']} cores, target "
                        f"{report['target']}")
    for column in ("import", "documents", "read", "failed", "skipped", "import s",
                   "documents/s", "peak MiB (process)", "peak MiB (all processes)",
                   "status"):
        table.add_column(column, justify="left" if column in ("import", "status") else "right")
    for row in report["imports"]:
        table.add_row(row["import"], str(row["documents"]),
                      *(str(row.get(key, "-")) for key in ("documents_read", "documents_failed",
                                                           "documents_skipped", "import_s",
                                                           "documents_per_s")),
                      f"{row['peak_mib_process']:.0f}",
                      f"{row['peak_mib_all_processes_sampled']:.0f}", row["status"])
    verdict = {True: "GROWS with the documents", False: "does not grow with the documents",
               None: "not compared (fewer than two partial imports finished)"}[
        report["memory_grows_with_documents"]]
    table.caption = (f"{LABEL}, seed {report['seed']}: {report['documents']} documents "
                     f"generated in {report['generate_s']} s, {report['generate_cpu_s']} s of "
                     f"CPU ({report['generated_documents_per_s']}/s); peak memory {verdict}; "
                     f"load average {report['load_before']} before, {report['load_after']} "
                     "after (the machine may be shared)")
    return table


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=f"Import benchmark on a {LABEL}.")
    parser.add_argument("--out", type=Path, help="folder for the year, studies and reports "
                                                 "(default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unit-copies", type=int, default=1)
    parser.add_argument("--tail-copies", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=53)
    parser.add_argument("--sizes", type=lambda text: tuple(int(v) for v in text.split(",")),
                        default=DEFAULT_SIZES, help="documents of each partial import")
    parser.add_argument("--timeout-s", type=float, default=DEFAULT_TIMEOUT_S,
                        help="stop an import still running after this long")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--importer", default=IMPORTER, help="(internal) module:function "
                                                             "that imports")
    parser.add_argument("--one", type=Path, help="(internal) run the import this request "
                                                 "file describes, in this process")
    return parser.parse_args(argv)


def _load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with ``--one``, one of its imports); the exit code."""
    args = _arguments(argv)
    try:
        if args.one:
            request = json.loads(args.one.read_text(encoding="utf-8"))
            print(json.dumps(guarded(lambda: import_once(request))))
            return 0
        if args.out is not None:
            report = guarded(lambda: benchmark(args.out, args))
        else:
            with tempfile.TemporaryDirectory(prefix="purchase-year-") as folder:
                report = guarded(lambda: benchmark(Path(folder), args))
    except typer.Exit as stopped:
        return stopped.exit_code
    if args.json:
        print(json.dumps(report))
    else:
        out.print(_table(report))
    return 0 if all(row["status"] == "finished" for row in report["imports"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
