"""The on-disk store of a study: its manifest and one record per finished variant.

``<folder>/study.json`` lists the study and every variant (number, key, where it sits);
``<folder>/variants/<key>.json`` is the record of a variant that ran: its KPIs, or, when
it failed, its problems. Records are written atomically as each variant finishes, so a
killed study loses nothing finished, and a rerun skips every variant already done.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from pathlib import Path
from typing import Any

from logistics.errors import InputError, Problem
from logistics.io.durable import (
    CorruptedFile,
    read_checked_json,
    set_aside,
    write_checked_json,
    write_text_atomically,
)
from logistics.io.tables import read_json
from logistics.pipeline.solutions import SOLUTIONS_FOLDER, SolutionStore
from logistics.study.files import LoadedStudy
from logistics.study.variants import Variant

MANIFEST_FILE = "study.json"
RECORDS_FOLDER = "variants"
logger = logging.getLogger(__name__)
DONE, FAILED, PENDING = "done", "failed", "pending"


def variant_entry(variant: Variant) -> dict[str, Any]:
    """A variant as the manifest lists it."""
    return {"number": variant.number, "key": variant.key, "kind": variant.kind,
            "labels": dict(variant.labels), "sensitivity": variant.sensitivity,
            "level": variant.level, "sample": variant.sample,
            "sample_disruption": variant.sample_disruption, "scenario": variant.scenario.name,
            "description": variant.describe()}


class StudyStore:
    """A study's folder: manifest, variant records, and the shared solution cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def solutions(self) -> SolutionStore:
        """Routing solutions shared by every variant, worker and rerun of the study."""
        return SolutionStore(self.folder / SOLUTIONS_FOLDER)

    def record_path(self, key: str) -> Path:
        return self.folder / RECORDS_FOLDER / f"{key}.json"

    def write_manifest(self, loaded: LoadedStudy) -> None:
        document = {"study": loaded.study.model_dump(mode="json"), "source": loaded.source,
                    "base": loaded.base.name, "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "variants": [variant_entry(v) for v in loaded.variants]}
        write_text_atomically(self.folder / MANIFEST_FILE,
                              json.dumps(document, indent=2, allow_nan=False) + "\n")

    def manifest(self) -> dict[str, Any]:
        """The manifest; an input problem when the folder holds no study."""
        path = self.folder / MANIFEST_FILE
        if not path.is_file():
            raise InputError([Problem(str(self.folder), "", MANIFEST_FILE, "missing",
                                      "a study folder written by 'logistics study run'")])
        document = read_json(path)
        if not isinstance(document, dict) or not isinstance(document.get("variants"), list):
            raise InputError([Problem(str(path), "", "variants", "missing or not a list",
                                      "a study manifest written by 'logistics study run'")])
        return document

    def record(self, key: str) -> dict[str, Any] | None:
        """The record of a variant that ran; None when it has not, or when its file is
        corrupted (truncated, changed, no checksum): then it is set aside as
        ``<key>.json.corrupt``, logged, and the variant runs again."""
        path = self.record_path(key)
        try:
            return read_checked_json(path)
        except CorruptedFile as error:
            logger.warning("variant record %s is corrupted (%s): set aside, running the "
                           "variant again", path.name, error.why)
            with contextlib.suppress(OSError):
                set_aside(path)
            return None

    def save(self, record: dict[str, Any]) -> None:
        write_checked_json(self.record_path(str(record["key"])), record)

    def done(self, key: str) -> bool:
        """Whether the variant ran to a result (a failed one is tried again)."""
        record = self.record(key)
        return record is not None and record.get("status") == DONE
