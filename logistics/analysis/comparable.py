"""Whether runs can be compared: the same data set, the same orders, the same travel
model. A comparison of runs that differ in these measures the data, not the design, so
it is refused unless asked for and then marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DATA_FIELDS = {
    "dataset_sha256": "data sets",
    "orders_sha256": "orders",
}
"""The data-set hashes that must agree, and how a reader names each."""


def data_differences(summaries: Sequence[Mapping[str, Any]], labels: Sequence[str]
                     ) -> list[str]:
    """What differs between the runs' data sets and travel models, one sentence per
    difference naming each run's value; empty when they agree. A run whose summary has
    no data set (an older result) differs from every run that has one."""
    differences = []
    data_sets = [dict(s.get("data_set") or {}) for s in summaries]
    for field, what in DATA_FIELDS.items():
        values = [d.get(field, "unknown") if d else "unknown" for d in data_sets]
        if len(set(values)) > 1:
            named = ", ".join(f"{label}: {_short(value)}" + _where(d, field)
                              for label, value, d in zip(labels, values, data_sets,
                                                         strict=True))
            differences.append(f"different {what} ({named})")
    travel = [str(s.get("travel_model")) for s in summaries]
    if len(set(travel)) > 1:
        named = ", ".join(f"{label}: {model}" for label, model in zip(labels, travel,
                                                                      strict=True))
        differences.append(f"different travel models ({named})")
    return differences


def _short(value: object) -> str:
    """A hash shortened to 12 characters; null (no orders file) as the demand model."""
    if value is None:
        return "demand model"
    return str(value)[:12]


def _where(data_set: Mapping[str, Any], field: str) -> str:
    """Where the data came from, in brackets: the data set folder or orders file."""
    source = data_set.get("dataset_dir" if field == "dataset_sha256" else "orders_file")
    return f" [{source}]" if source else ""
