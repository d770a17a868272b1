"""Where the project's shipped files live, and the content hash every cache and
provenance record uses."""

from __future__ import annotations

import hashlib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
"""The checkout: ``data/`` and ``scenarios/`` sit beside the ``logistics`` package."""
DATA_DIR = PROJECT_ROOT / "data"
DATASET_DIR = DATA_DIR / "bergen"
VEHICLES_FILE = DATA_DIR / "vehicles.csv"
FACTORS_DIR = DATA_DIR / "factors"
SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
SHIPPED_SCENARIOS_DIR = SCENARIOS_DIR / "bergen"
SCENARIO_SCHEMA_FILE = SCENARIOS_DIR / "scenario.schema.json"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
