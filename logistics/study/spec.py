"""The study format: a base scenario and the variants to run on it, and what to report.

A study names a base scenario, ``overrides`` for every variant, a ``grid`` of values for
scenario fields by dotted path (every combination is a variant), ``one_at_a_time``
inputs varied low and high around the base (sensitivity), optional ``monte_carlo``
samples of random supplier outages with a seed, and the ``report``: the metrics to
chart, a trade-off table with its Pareto front, and the headline saving whose range
the tornado shows. The JSON schema of the format is generated from :class:`Study`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field

from logistics.accounting.kpi import KPI_COLUMNS
from logistics.scenarios.schema import MAX_SCENARIO_NAME_LENGTH, Scenario
from logistics.validated import Frozen, Id, Text

MAX_AXIS_VALUES = 1000
MAX_VARIANTS = 10_000
"""A study expanding to more variants than this is refused before anything runs."""
NOT_VARIED = frozenset({"name", "description", "extends"})
"""Scenario fields a study does not vary: they name the variant, not what it plans."""
VARIED_FIELDS = tuple(sorted(set(Scenario.model_fields) - NOT_VARIED))
"""The first part of every dotted path a study sets."""

DottedPath = Annotated[str, Field(min_length=1, max_length=200,
                                  pattern=r"^[a-z_][a-z0-9_]*(\.[A-Za-z0-9_]+)*$")]
"""A scenario field by dotted path: ``hub``, ``travel.detour_factor``,
``frequency_per_week.chilled``."""
Kpi = Literal[KPI_COLUMNS]  # type: ignore[valid-type]
"""A KPI column of every result."""
Overrides = Annotated[dict[DottedPath, Any], Field(max_length=100)]
"""Scenario field values by dotted path."""
AxisValues = (Annotated[list[Any], Field(min_length=1, max_length=MAX_AXIS_VALUES)]
              | Annotated[dict[Id, Any], Field(min_length=1, max_length=MAX_AXIS_VALUES)])
"""An axis of the grid: a list of values, or labelled values (label: value)."""

DEFAULT_METRICS: tuple[str, ...] = ("cost_nok", "co2e_wtw_kg", "vehicle_km",
                                    "served_demand_share")


class SensitivityInput(Frozen):
    """One uncertain input, set ``low`` and ``high`` while every other input stays at
    the base."""

    name: Id
    low: Overrides = Field(min_length=1)
    high: Overrides = Field(min_length=1)
    note: Text = Field(default="", description="where the range comes from")


class MonteCarloSpec(Frozen):
    """Random supplier outages (a random supplier, first day and length), ``samples`` of
    them from ``seed``; each sample is added to a grid point's disruptions. Every grid
    point gets the same samples, so the points are compared on the same draws."""

    samples: int = Field(ge=1, le=1000)
    seed: int = Field(default=1, ge=0, le=2**31 - 1)
    apply_to: dict[DottedPath, tuple[Id, ...]] = Field(
        default_factory=dict,
        description="grid axis -> labels: only grid points with these labels get samples; "
                    "empty = every grid point")


Statistic = Literal["value", "mean", "p5", "median", "p95"]
"""``value``: the variant itself; the others: over its Monte Carlo samples."""


class Criterion(Frozen):
    """One column of the trade-off table: a KPI of the variants ``where`` the other grid
    axes hold the given labels, as a value or a statistic over the Monte Carlo samples."""

    name: Id
    metric: Kpi
    period: Literal["week", "year"] = "week"
    where: dict[DottedPath, Id] = Field(default_factory=dict)
    statistic: Statistic = "value"
    better: Literal["lower", "higher"]


class TradeOffSpec(Frozen):
    """Options (the labels of one grid axis) ranked on several criteria; the Pareto
    front holds the options no other option beats on every criterion."""

    options: DottedPath
    criteria: tuple[Criterion, ...] = Field(min_length=2, max_length=20)


class HeadlineSpec(Frozen):
    """The headline saving: ``1 - metric(option) / metric(baseline)``, the labels of one
    grid axis, at each sensitivity setting (the tornado shows its range)."""

    metric: Kpi
    axis: DottedPath
    baseline: Id
    option: Id


class ReportSpec(Frozen):
    """What ``logistics study report`` shows."""

    metrics: tuple[Kpi, ...] = Field(default=DEFAULT_METRICS, min_length=1, max_length=30)
    trade_off: TradeOffSpec | None = None
    headline: HeadlineSpec | None = None


class Study(Frozen):
    """A whole study file, validated."""

    name: str = Field(min_length=1, max_length=MAX_SCENARIO_NAME_LENGTH,
                      pattern=r"^[a-z0-9][a-z0-9_.-]*$",
                      description="lower-case letters, digits, '_', '.' and '-'; it names "
                                  "the study's folder and its variants")
    description: Text = ""
    base: Id = Field(description="the base scenario: a scenario file beside the study file "
                                 "or a shipped scenario, by name")
    overrides: Overrides = Field(default_factory=dict,
                                 description="set on every variant")
    grid: dict[DottedPath, AxisValues] = Field(
        default_factory=dict, max_length=20,
        description="dotted path -> values; every combination is a variant")
    one_at_a_time: tuple[SensitivityInput, ...] = Field(default=(), max_length=100)
    monte_carlo: MonteCarloSpec | None = None
    report: ReportSpec = ReportSpec()

    def axis_labels(self, axis: str) -> list[str]:
        """The labels of a grid axis: its keys, or its values written out."""
        values = self.grid[axis]
        if isinstance(values, dict):
            return list(values)
        return [value_label(value) for value in values]

    def axis_values(self, axis: str) -> list[Any]:
        values = self.grid[axis]
        return list(values.values()) if isinstance(values, dict) else list(values)


def value_label(value: Any) -> str:
    """A grid value as its label: scalars as written, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
