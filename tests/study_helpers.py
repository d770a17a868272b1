"""Small studies for the study tests: a few Bergen units, crow-fly travel and small
solver limits, so each variant solves in about a second."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.conftest import make_small_dataset

QUICK_SOLVER = {"solver.solution_limit": 10, "solver.iteration_limit": 50,
                "solver.time_limit_s": 5}


def write_study(folder: Path, **fields: Any) -> Path:
    """A study file on a six-unit copy of the Bergen study (made once per folder),
    based on ``consolidated-ev`` with quick solver settings; ``fields`` add to or
    replace the study's fields."""
    data = folder / "data"
    if not data.exists():
        make_small_dataset(data, units=6)
    document: dict[str, Any] = {
        "name": "small", "base": "consolidated-ev",
        "overrides": {"dataset_dir": str(data), **QUICK_SOLVER},
        "grid": {"hub": ["kokstad", "nygardstangen"]},
    }
    document |= fields
    path = folder / f"{document['name']}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path
