"""``logistics purchases``: ``import SOURCE... --units U --suppliers S --out DIR`` reads
purchase documents (EHF / Peppol BIS 3, CSV/XLSX exports) into a data set folder of today's
flows; ``generate`` writes a GENERATED year of such documents.

Exits with code 2, listing every problem, when nothing could be read, or on any
problem with ``--strict``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from logistics.cli.common import console, guarded, out
from logistics.paths import DATASET_DIR
from logistics.purchases.importer import ImportReport, import_purchases

purchases_app = typer.Typer(help="Purchase documents (EHF / Peppol) into today's flows.",
                            no_args_is_help=True)


@purchases_app.command("import")
def import_command(
    sources: Annotated[list[Path], typer.Argument(
        help="EHF/Peppol XML files, folders, zip archives, CSV/XLSX exports")],
    units: Annotated[Path, typer.Option(help="Units file (CSV)")],
    suppliers: Annotated[Path, typer.Option(help="Supplier list (CSV, with org_number)")],
    out_dir: Annotated[Path, typer.Option("--out", help="Study folder to write")],
    mapping: Annotated[Path | None, typer.Option(
        help="Column mapping (YAML) for CSV/XLSX exports")] = None,
    items: Annotated[Path | None, typer.Option(
        help="Item table: item_id (GTIN or seller's id), kg_per_unit")] = None,
    cost_centres: Annotated[Path | None, typer.Option(
        help="Cost-centre table: code (ansvar or GLN), unit_id")] = None,
    postcodes: Annotated[Path | None, typer.Option(
        help="Postcode table: postcode, lon, lat (depots of sellers outside the list)")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 2 on any problem")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Import purchase documents into a data set folder (orders.csv, deliveries.csv,
    suppliers.csv, unmatched.csv, the import report and the profile of today's flows)."""
    report = guarded(lambda: import_purchases(
        sources, units=units, suppliers=suppliers, out_dir=out_dir, mapping=mapping,
        items=items, cost_centres=cost_centres, postcodes=postcodes, strict=strict))
    if json_output:
        out.print_json(json.dumps(_as_json(report)))
        return
    _print(report)


def _as_json(report: ImportReport) -> dict[str, object]:
    return {"documents_read": report.documents_read,
            "documents_failed": report.documents_failed,
            "documents_skipped": report.documents_skipped,
            "documents_duplicate": report.documents_duplicate,
            "problems": [str(p) for p in report.problems],
            "out_dir": str(report.out_dir),
            "files": [str(f) for f in report.files],
            "summary": report.summary}


def _print(report: ImportReport) -> None:
    summary = report.summary
    table = Table(title="Purchase import")
    table.add_column("figure")
    table.add_column("value", justify="right")
    outside = summary.get("outside_agreements", {})
    assert isinstance(outside, dict)
    rows = [("documents read", report.documents_read),
            ("documents failed", report.documents_failed),
            ("documents skipped", report.documents_skipped),
            ("documents read twice (counted once)", report.documents_duplicate),
            ("kg", f"{summary.get('kg_total', 0):,.0f}"),
            ("deliveries outside the agreements", f"{outside.get('deliveries_share', 0):.1%}"),
            ("kg outside the agreements", f"{outside.get('kg_share', 0):.1%}")]
    for name, value in rows:
        table.add_row(name, str(value))
    out.print(table)
    for problem in report.problems:
        console.print(f"  - {problem}", markup=False, highlight=False)
    console.print(f"data set folder: {report.out_dir} (import_report.md)")


@purchases_app.command("generate")
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write (emptied first)")],
    year: Annotated[int, typer.Option(min=2000, max=2100, help="Calendar year")] = 2025,
    seed: Annotated[int, typer.Option(help="Seed: the same seed writes the same bytes")] = 1,
    units: Annotated[Path, typer.Option(help="Units file")] = DATASET_DIR / "units.csv",
    suppliers: Annotated[Path, typer.Option(help="Suppliers file (org_number column "
                                                 "optional)")] = DATASET_DIR / "suppliers.csv",
    unit_copies: Annotated[int, typer.Option(min=1, max=100, help="GENERATED twins of each "
                                             "unit (scale)")] = 1,
    tail_copies: Annotated[int, typer.Option(min=1, max=100, help="Copies of each seller "
                                             "outside the agreements (scale)")] = 1,
    weeks: Annotated[int, typer.Option(min=1, max=53, help="Weeks from 1 January")] = 53,
) -> None:
    """Write a GENERATED year of EHF invoices, credit notes and despatch advices for the
    units, with broken and hostile files and made-up people, into ``--out``."""
    from logistics.purchases.generate import generate_purchase_year
    from logistics.purchases.generated_year import YearScale

    result = guarded(lambda: generate_purchase_year(
        out_dir, year=year, seed=seed, units=units, suppliers=suppliers,
        scale=YearScale(unit_copies=unit_copies, tail_copies=tail_copies, weeks=weeks)))
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.documents.items()))
    out.print(f"GENERATED purchase year {year}: {result.deliveries} deliveries, "
              f"{result.document_count} documents ({counts}) in {out_dir}",
              markup=False, highlight=False)
