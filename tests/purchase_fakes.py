"""A stand-in for the purchase import in the tests of the job plumbing and the
benchmark harness: it only counts the documents it is given (files, folders, zip
archives) and writes a report, like the import's report, into its folder."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.errors import InputError, Problem

if TYPE_CHECKING:
    from api.jobs import Job


@dataclass(frozen=True)
class CountedReport:
    """What the stand-in read, in the import report's terms."""

    documents_read: int
    documents_failed: int
    documents_skipped: int
    out_dir: Path
    problems: tuple[Problem, ...] = ()
    files: tuple[Path, ...] = field(default=())


def count_documents(sources: Sequence[Path], *, units: Path, suppliers: Path, out_dir: Path,
                    mapping: Path | None = None, items: Path | None = None,
                    cost_centres: Path | None = None, postcodes: Path | None = None,
                    strict: bool = False) -> CountedReport:
    """Count the XML documents of ``sources``; an :class:`InputError` when there are none."""
    read = 0
    for source in sources:
        paths = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in paths:
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    read += sum(1 for name in archive.namelist() if name.endswith(".xml"))
            elif path.suffix == ".xml":
                read += 1
    if read == 0:
        raise InputError([Problem("upload", "", "documents", "no XML document",
                                  "EHF / Peppol BIS 3 documents")])
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / "import_report.json"
    report.write_text(json.dumps({"documents_read": read, "units": units.name}),
                      encoding="utf-8")
    return CountedReport(read, 0, 0, out_dir, files=(report,))


def counting_import_job(job: Job) -> None:
    """A job runner importing an uploaded archive with :func:`count_documents`."""
    from api.purchases import run_import_job

    run_import_job(job, importer=count_documents)
