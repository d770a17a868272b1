"""Purchase documents sent to the API: a zip archive checked and kept, and the job
that imports it (:func:`logistics.purchases.importer.import_purchases`).

The archive is checked in full before it is kept (:mod:`logistics.io.archives`: not a
zip, a member leaving the folder, a link, a zip bomb: 422 with every problem) and kept
under ``uploads/purchases/<sha256>.zip``. The job unpacks it into a working folder that
is never served, imports it against the units and suppliers of a data set inside the
roots, and writes the data set folder and the import report under ``study/`` in the job's
folder, their texts scrubbed of server paths. Top-level members named
``cost_centres.csv``, ``postcodes.csv``, ``items.csv`` and ``mapping.*`` are the
import's tables; every other member is a source (documents, folders, archives, flat
exports).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.jobs import Job
from api.paths import Roots
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io.archives import checked_members, extract_checked, open_archive

SOURCE = "upload"
ARCHIVES_FOLDER = "purchases"
"""Under the uploads folder: the kept archives."""
WORK_DIR = "purchases-work"
"""Under the results folder: each import job's unpacked sources, never served."""
STUDY_FOLDER = "study"
"""In the job's folder: what the import wrote (data set folder and report)."""
TABLES = {"cost_centres.csv": "cost_centres", "postcodes.csv": "postcodes",
          "items.csv": "items"}
MAPPING_STEM = "mapping"
DATASET_FILES = ("units.csv", "suppliers.csv")
SCRUBBED_SUFFIXES = (".json", ".csv", ".md", ".txt", ".html")
Importer = Callable[..., Any]
"""``import_purchases``'s signature."""


def archive_path(roots: Roots, sha256: str) -> Path:
    """Where the archive of this content is kept."""
    return roots.uploads_dir / ARCHIVES_FOLDER / f"{sha256}.zip"


def dataset_folder(roots: Roots, dataset_dir: str) -> Path:
    """The study whose units and suppliers an import matches against, inside the
    roots; an :class:`InputError` when it is outside them or lacks those files."""
    folder = roots.resolve(dataset_dir, "dataset_dir", SOURCE)
    problems = ProblemCollector()
    for name in DATASET_FILES:
        if not (folder / name).is_file():
            problems.add(SOURCE, "", "dataset_dir", dataset_dir,
                         f"a data set folder with {' and '.join(DATASET_FILES)}")
            break
    problems.raise_if_any()
    return folder


def keep_archive(body: bytes, roots: Roots) -> str:
    """Check the uploaded archive in full and keep it; its SHA-256."""
    with open_archive(io.BytesIO(body), SOURCE) as archive:
        checked_members(archive, SOURCE)
    sha256 = hashlib.sha256(body).hexdigest()
    target = archive_path(roots, sha256)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=".staging-", dir=target.parent)
        with os.fdopen(handle, "wb") as staged:
            staged.write(body)
        os.replace(staging, target)
    return sha256


def run_import_job(job: Job, importer: Importer | None = None) -> None:
    """The job: unpack the kept archive, import it (``importer``, by default
    :func:`~logistics.purchases.importer.import_purchases`) into ``study/`` of the job's
    folder, and scrub the texts it wrote. Problems name members as the archive does."""
    if importer is None:
        from logistics.purchases.importer import import_purchases

        importer = import_purchases
    roots = Roots(job.results_dir)
    dataset = dataset_folder(roots, str(job.scenario["dataset_dir"]))
    work = job.results_dir / WORK_DIR / str(job.run_id)
    shutil.rmtree(work, ignore_errors=True)
    sources_dir = work / "sources"
    sources_dir.mkdir(parents=True)
    try:
        with open_archive(archive_path(roots, str(job.scenario["archive_sha256"])),
                          SOURCE) as archive:
            extract_checked(archive, checked_members(archive, SOURCE), sources_dir, SOURCE)
        top = sorted(sources_dir.iterdir())
        tables = {TABLES[p.name]: p for p in top if p.is_file() and p.name in TABLES}
        mapping = next((p for p in top if p.is_file() and p.stem == MAPPING_STEM), None)
        sources = [p for p in top if p not in tables.values() and p != mapping]
        if not sources:
            raise InputError([Problem(SOURCE, "", "members", "no documents beside the tables",
                                      "documents, folders, archives or flat exports")])
        try:
            importer(sources, units=dataset / "units.csv", suppliers=dataset / "suppliers.csv",
                     out_dir=job.folder / STUDY_FOLDER, mapping=mapping,
                     strict=bool(job.options.get("strict", False)),
                     cost_centres=tables.get("cost_centres"), postcodes=tables.get("postcodes"),
                     items=tables.get("items"))
        except InputError as error:
            raise InputError([_named_as_uploaded(p, sources_dir) for p in error.problems]
                             ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _scrub_folder(job.folder, sources_dir, roots)


def _named_as_uploaded(problem: Problem, sources_dir: Path) -> Problem:
    def renamed(text: str) -> str:
        return text.replace(f"{sources_dir}/", "").replace(str(sources_dir), SOURCE)

    return Problem(renamed(problem.source), renamed(problem.location), problem.field,
                   renamed(problem.found), problem.allowed)


def _scrub_folder(folder: Path, sources_dir: Path, roots: Roots) -> None:
    """The texts the import wrote, with members named as in the archive and no server
    path left."""
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in SCRUBBED_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            cleaned = roots.scrub(text.replace(f"{sources_dir}/", "")
                                  .replace(str(sources_dir), SOURCE))
            if cleaned != text:
                path.write_text(cleaned, encoding="utf-8")
