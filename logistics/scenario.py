"""Scenario files: declarative YAML, merged with the base they extend, then validated.

The same pydantic models validate scenario files, the CLI and the HTTP API. The JSON
schema of the format is generated from :class:`Scenario` and checked in
(``scenarios/scenario.schema.json``); a test fails when they drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from logistics.disruptions import Disruption
from logistics.domain import Frozen, TimeWindows
from logistics.errors import InputError, Problem, ProblemCollector
from logistics.io import problems_from_validation, read_yaml_mapping
from logistics.study import PACKAGE_ROOT
from logistics.weekdays import WEEKDAYS, Weekday

SCHEMA_PATH = PACKAGE_ROOT / "scenarios" / "scenario.schema.json"
MAX_EXTENDS_DEPTH = 10


class FleetSpec(Frozen):
    """``count`` vehicles of a catalogue type; ``max_trips`` > 1 lets them reload."""

    vehicle_type: str = Field(min_length=1)
    count: int = Field(ge=0)
    max_trips: int = Field(default=1, ge=1, le=4)


class FleetsSpec(Frozen):
    """Fleets the scenario sets. Suppliers keep the fleets of the study data."""

    hub: tuple[FleetSpec, ...] = ()


class TravelSpec(Frozen):
    """Which travel model to use: ``crow_fly`` anywhere, ``road`` on a named network."""

    model: Literal["crow_fly", "road"] = "crow_fly"
    network: str | None = None
    detour_factor: float | None = Field(default=None, ge=1.0, le=3.0)

    @model_validator(mode="after")
    def _network_for_road(self) -> TravelSpec:
        if self.model == "road" and not self.network:
            raise ValueError("travel.model 'road' needs travel.network (a network name)")
        return self


class SolverSpec(Frozen):
    """Search settings; same inputs + seed + time limit -> same result."""

    time_limit_s: float = Field(default=5.0, gt=0, le=3600)
    solution_limit: int | None = Field(
        default=None, ge=1,
        description="stop each search after this many solutions: results then do not "
                    "depend on machine speed (the time limit still caps the search)")
    seed: int = Field(default=1, ge=0)
    backend: Literal["ortools", "pyvrp", "auto"] = Field(
        default="ortools",
        description="ortools; pyvrp (fails on problems it cannot model); auto (pyvrp where "
                    "it can model the problem, else ortools)")


class EmissionsSpec(Frozen):
    """Accounting choices named in every result."""

    electricity_basis: Literal[
        "location_nve_2022", "residual_mix_nve_2020", "zero_kommune_inventory"
    ] = "location_nve_2022"
    biogenic_co2: Literal["zero_at_tailpipe", "counted"] = "zero_at_tailpipe"
    carbon_price_year: int = Field(default=2026, ge=2020, le=2050)
    diesel_bio_share: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="bio share (energy) of road diesel; None = the factor table's value, "
                    "0 = fossil diesel")
    external_cost_area: str = Field(
        default="town_over_100k", description="row of data/factors/external_costs.csv")


class ReuseSpec(Frozen):
    """Reuse flows collected and redistributed on the consolidated routes through the
    reuse store at the hub (files relative to the project root)."""

    flows_file: str = "data/bergen/reuse_flows.csv"
    items_file: str = "data/bergen/reuse_items.csv"


class Scenario(Frozen):
    """A fully merged, validated scenario."""

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    description: str = ""
    extends: str | None = None
    study_dir: str = "data/bergen"
    orders_file: str | None = None
    design: Literal["direct", "consolidated"]
    hub: str | None = None
    fleet: FleetsSpec = FleetsSpec()
    frequency_per_week: dict[str, int] = Field(default_factory=lambda: {"default": 2})
    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    weeks_per_year: float = Field(default=46.0, gt=0, le=53)
    shift: TimeWindows = ((6 * 3600 + 1800, 16 * 3600),)
    max_route_duration_s: float | None = Field(default=9 * 3600.0, gt=0)
    service_s_per_kg: float = Field(default=0.6, ge=0)
    unserved_penalty_nok: float = Field(default=50_000.0, gt=0)
    winter_range_derating: float = Field(default=0.0, ge=0.0, le=0.6)
    driver_breaks: bool = True
    travel: TravelSpec = TravelSpec()
    solver: SolverSpec = SolverSpec()
    emissions: EmissionsSpec = EmissionsSpec()
    disruptions: tuple[Disruption, ...] = ()
    reuse: ReuseSpec | None = None

    @field_validator("frequency_per_week")
    @classmethod
    def _frequencies(cls, value: dict[str, int]) -> dict[str, int]:
        for key, times in value.items():
            if not 1 <= times <= 7:
                raise ValueError(f"frequency_per_week[{key!r}] = {times}: allowed 1..7")
        return value

    @field_validator("days")
    @classmethod
    def _unique_days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value) or not value:
            raise ValueError("days must be a non-empty list without repeats")
        return tuple(sorted(value, key=WEEKDAYS.index))

    @field_validator("shift")
    @classmethod
    def _one_shift(cls, value: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
        if len(value) != 1:
            raise ValueError("shift is one window 'HH:MM-HH:MM'")
        return value

    @model_validator(mode="after")
    def _design_needs(self) -> Scenario:
        if self.design == "consolidated":
            if not self.hub:
                raise ValueError("design 'consolidated' needs 'hub' (a hub id)")
            if not any(f.count for f in self.fleet.hub):
                raise ValueError("design 'consolidated' needs 'fleet.hub' with vehicles")
        elif self.reuse is not None:
            raise ValueError("reuse flows ride on consolidated routes: 'reuse' needs "
                             "design 'consolidated'")
        return self

    def frequency_for(self, category: str, temperature_class: str) -> int:
        """Deliveries per week of a category: by category id, then temperature class,
        then ``default``; never more than the planning days."""
        table = self.frequency_per_week
        times = table.get(category, table.get(temperature_class, table.get("default", 2)))
        return min(times, len(self.days))

    @property
    def shift_s(self) -> tuple[int, int]:
        return self.shift[0]

    def resolve(self, relative: str) -> Path:
        """A path of the scenario (study_dir, orders_file) made absolute: relative paths
        are taken from the project root."""
        path = Path(relative)
        return path if path.is_absolute() else PACKAGE_ROOT / path


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; every other value (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def merged_document(path: Path) -> dict[str, Any]:
    """The scenario file's mapping with its ``extends`` chain merged in (base first).

    ``extends`` names another scenario file in the same folder (``name`` or
    ``name.yaml``).
    """
    return merge_bases(read_yaml_mapping(path), path.parent, str(path), first=path)


def merge_bases(document: dict[str, Any], folder: Path, source: str,
                first: Path | None = None) -> dict[str, Any]:
    """``document`` with the chain of scenarios it ``extends`` (files in ``folder``)
    merged in, base first. ``first`` is the file ``document`` came from, if any."""
    chain: list[tuple[Path | None, dict[str, Any]]] = [(first, document)]
    while (base := chain[-1][1].get("extends")) is not None:
        where = str(chain[-1][0] or source)
        if not isinstance(base, str):
            raise InputError([Problem(where, "", "extends", repr(base),
                                      "the name of another scenario file")])
        name = base if base.endswith((".yaml", ".yml")) else f"{base}.yaml"
        current = folder / name
        if any(seen is not None and current.resolve() == seen.resolve() for seen, _ in chain):
            raise InputError([Problem(source, "", "extends", str(current),
                                      "a chain of scenarios without cycles")])
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise InputError([Problem(source, "", "extends", f"{len(chain)} levels",
                                      f"at most {MAX_EXTENDS_DEPTH}")])
        chain.append((current, read_yaml_mapping(current)))
    merged: dict[str, Any] = {}
    for _, part in reversed(chain):
        merged = _deep_merge(merged, part)
    merged["extends"] = document.get("extends")
    return merged


def scenario_from_mapping(document: dict[str, Any], source: str) -> Scenario:
    """Validate a merged mapping; every problem listed at once."""
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise InputError(problems_from_validation(error, source, "scenario")) from error


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file, merge its bases, validate the result."""
    return scenario_from_mapping(merged_document(path), str(path))


def check_references(scenario: Scenario, source: str, hub_ids: set[str],
                     vehicle_ids: set[str], category_ids: set[str]) -> None:
    """Cross-check ids the scenario names against the study data."""
    problems = ProblemCollector()
    if scenario.hub is not None and scenario.hub not in hub_ids:
        problems.add(source, "scenario", "hub", scenario.hub, f"one of {sorted(hub_ids)}")
    for number, entry in enumerate(scenario.fleet.hub):
        if entry.vehicle_type not in vehicle_ids:
            problems.add(source, "scenario", f"fleet.hub.{number}.vehicle_type",
                         entry.vehicle_type, f"one of {sorted(vehicle_ids)}")
    temperature_keys = {"ambient", "chilled", "frozen", "default"}
    for key in scenario.frequency_per_week:
        if key not in category_ids | temperature_keys:
            problems.add(source, "scenario", f"frequency_per_week.{key}", key,
                         f"a category id {sorted(category_ids)}, a temperature class or "
                         "'default'")
    problems.raise_if_any()


def scenario_json_schema() -> str:
    """The JSON schema of the scenario format, as checked in."""
    return json.dumps(Scenario.model_json_schema(), indent=2, sort_keys=True) + "\n"
