"""Batch studies: many variants of a scenario, run locally or on Dask, resumable.

``logistics.study.load(DIR)`` returns a study's results table as a pandas DataFrame;
``logistics.study.result_frames(DIR)`` a scenario result folder's tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from logistics.study.frames import ResultFrames, result_frames
from logistics.study.table import results_table

__all__ = ["ResultFrames", "load", "result_frames"]


def load(folder: str | Path) -> pd.DataFrame:
    """The results table of the study in ``folder`` (one row per variant)."""
    return results_table(Path(folder))
