"""``logistics purchases generate``: write a GENERATED year of purchase documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from logistics.cli.common import guarded, out
from logistics.paths import STUDY_DIR

purchases_app = typer.Typer(help="Purchase documents (EHF / Peppol BIS 3) as today's "
                                 "deliveries.", no_args_is_help=True)


@purchases_app.command("generate")
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write (emptied first)")],
    year: Annotated[int, typer.Option(min=2000, max=2100, help="Calendar year")] = 2025,
    seed: Annotated[int, typer.Option(help="Seed: the same seed writes the same bytes")] = 1,
    units: Annotated[Path, typer.Option(help="Units file")] = STUDY_DIR / "units.csv",
    suppliers: Annotated[Path, typer.Option(help="Suppliers file (org_number column "
                                                 "optional)")] = STUDY_DIR / "suppliers.csv",
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
