"""Where a scenario run spends its time: seconds by stage, for benchmarks.

:class:`StageClock` adds up wall time per stage (``planning``, ``matrices``, ``search``,
``accounting``); :class:`TimedTravel` charges a travel model's matrix builds to
``matrices`` so that planning is counted without them. The times go into a result's
provenance (``stage_s``) and never into its KPIs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from logistics.travel.base import (
    Point,
    TravelDescription,
    TravelMatrices,
    TravelModel,
    VehicleProfile,
)

STAGES = ("planning", "matrices", "search", "accounting")
"""The stages of one scenario run; a study adds ``writing`` (records and tables)."""


class StageClock:
    """Wall seconds spent per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Count the time of the ``with`` block to stage ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def moved(self, seconds: float, source: str, target: str) -> None:
        """Move ``seconds`` already counted to ``source`` over to ``target``."""
        self.seconds[source] -= seconds
        self.seconds[target] = self.seconds.get(target, 0.0) + seconds

    def rounded(self) -> dict[str, float]:
        """Seconds per stage, to the millisecond."""
        return {name: round(value, 3) for name, value in self.seconds.items()}


class TimedTravel:
    """A travel model whose matrix builds are timed; everything else is the model's."""

    def __init__(self, model: TravelModel) -> None:
        self.model = model
        self.matrices_s = 0.0

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def approximate(self) -> bool:
        return self.model.approximate

    def matrices(self, points: tuple[Point, ...], profile: VehicleProfile) -> TravelMatrices:
        started = time.perf_counter()
        try:
            return self.model.matrices(points, profile)
        finally:
            self.matrices_s += time.perf_counter() - started

    def describe(self) -> TravelDescription:
        return self.model.describe()

    def check_covers(self, points: tuple[Point, ...]) -> None:
        self.model.check_covers(points)
