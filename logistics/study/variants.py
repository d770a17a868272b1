"""A study expanded into its variants, each a validated scenario under a content hash.

The variants are: for each sensitivity setting (the base, then every one-at-a-time input
low and high), every combination of the grid; for the base setting, each grid point the
Monte Carlo applies to is followed by its samples. A variant's key hashes its merged
scenario (less its name), its input files and the code version, so the same variant in
a rerun, or in another study, is recognised as done.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from logistics.analysis.resilience.monte_carlo import Sample, draw_samples
from logistics.errors import InputError, Problem
from logistics.model.dataset import DataSet
from logistics.paths import FACTORS_DIR, file_sha256
from logistics.pipeline.solutions import code_version
from logistics.scenarios.schema import Scenario, check_references
from logistics.study.spec import NOT_VARIED, Study

BASE_SETTING = "base"
"""The sensitivity setting of every variant outside one-at-a-time runs."""


@dataclass(frozen=True)
class Variant:
    """One scenario of a study and where it sits in the study."""

    number: int
    labels: Mapping[str, str]  # grid axis -> label
    sensitivity: str  # BASE_SETTING or a one-at-a-time input's name
    level: str  # "base", "low" or "high"
    scenario: Scenario
    key: str
    sample: int | None = None
    sample_disruption: str = ""
    overrides: Mapping[str, object] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``grid``, ``sensitivity`` or ``monte_carlo``."""
        if self.sample is not None:
            return "monte_carlo"
        return "grid" if self.sensitivity == BASE_SETTING else "sensitivity"

    def describe(self) -> str:
        """Where the variant sits, for problems and progress."""
        sample = "" if self.sample is None else f"sample {self.sample}: {self.sample_disruption}"
        return describe_point(self.number, self.labels, self.sensitivity, self.level, sample)


def describe_point(number: int, labels: Mapping[str, str], sensitivity: str, level: str,
                   sample: str = "") -> str:
    """``variant 3 (hub=asane, detour factor low)``."""
    parts = [f"{axis}={label}" for axis, label in labels.items()]
    if sensitivity != BASE_SETTING:
        parts.append(f"{sensitivity} {level}")
    if sample:
        parts.append(sample)
    return f"variant {number}" + (f" ({', '.join(parts)})" if parts else "")


@dataclass(frozen=True)
class _Setting:
    sensitivity: str
    level: str
    overrides: Mapping[str, object]


def expand(study: Study, base: Scenario, dataset: DataSet, source: str) -> list[Variant]:
    """Every variant of ``study`` on ``base``, validated; one :class:`InputError` with
    every distinct problem (each named after the first variant showing it)."""
    problems: dict[tuple[str, str, str], Problem] = {}
    variants: list[Variant] = []
    prefix = study.name[:90]
    for number, (setting, labels, values) in enumerate(_points(study), start=1):
        overrides = {**study.overrides, **values, **setting.overrides,
                     "name": f"{prefix}-v{number:04d}"}
        where = describe_point(number, labels, setting.sensitivity, setting.level)
        scenario = _validated(base, overrides, source, where, dataset, problems)
        if scenario is None:
            continue
        variants.append(Variant(number, labels, setting.sensitivity, setting.level, scenario,
                                variant_key(scenario), overrides=overrides))
    if problems:
        raise InputError(problems.values())
    return _with_samples(study, variants, dataset, source)


def _points(study: Study) -> Iterator[tuple[_Setting, dict[str, str], dict[str, object]]]:
    """(sensitivity setting, grid labels, grid values) of every grid variant, in order."""
    settings = [_Setting(BASE_SETTING, "base", {})]
    for entry in study.one_at_a_time:
        settings += [_Setting(entry.name, "low", entry.low), _Setting(entry.name, "high",
                                                                      entry.high)]
    axes = list(study.grid)
    choices = [list(zip(study.axis_labels(a), study.axis_values(a), strict=True)) for a in axes]
    for setting in settings:
        for combination in itertools.product(*choices):
            yield (setting, {a: label for a, (label, _) in zip(axes, combination, strict=True)},
                   {a: value for a, (_, value) in zip(axes, combination, strict=True)})


def _validated(base: Scenario, overrides: Mapping[str, object], source: str, where: str,
               dataset: DataSet, problems: dict[tuple[str, str, str], Problem]
               ) -> Scenario | None:
    """The base with ``overrides``, its fields and the ids it names checked; problems
    added to ``problems`` (first occurrence kept)."""
    try:
        scenario = base.with_overrides(overrides, source)
        check_references(scenario, source, {h.id for h in dataset.hubs}, set(dataset.vehicle_types),
                         dataset.category_classes)
    except InputError as error:
        for problem in error.problems:
            problems.setdefault((problem.field, problem.found, problem.allowed),
                                Problem(source, where, problem.field, problem.found,
                                        problem.allowed))
        return None
    return scenario


def _with_samples(study: Study, variants: list[Variant], dataset: DataSet,
                  source: str) -> list[Variant]:
    """``variants`` with each Monte Carlo sample after the grid point it applies to,
    numbered in order."""
    carlo = study.monte_carlo
    ordered: list[Variant] = []
    for variant in variants:
        ordered.append(variant)
        if carlo is None or variant.kind != "grid" or not _applies(carlo.apply_to, variant):
            continue
        drawn = draw_samples(carlo.samples, carlo.seed, [s.id for s in dataset.suppliers],
                             variant.scenario.days, [])
        ordered += [_sampled(variant, number, sample, source)
                    for number, sample in enumerate(drawn)]
    return [_renumbered(variant, number) for number, variant in enumerate(ordered, start=1)]


def _applies(apply_to: Mapping[str, tuple[str, ...]], variant: Variant) -> bool:
    return all(variant.labels.get(axis) in labels for axis, labels in apply_to.items())


def _sampled(variant: Variant, number: int, sample: Sample, source: str) -> Variant:
    scenario = variant.scenario.with_overrides(
        {"disruptions": [*variant.scenario.disruptions, sample.disruption]}, source)
    return Variant(variant.number, variant.labels, variant.sensitivity, variant.level,
                   scenario, variant_key(scenario), number, sample.describe(),
                   variant.overrides)


def _renumbered(variant: Variant, number: int) -> Variant:
    name = f"{variant.scenario.name.rsplit('-v', 1)[0]}-v{number:04d}"
    scenario = variant.scenario.with_overrides({"name": name})
    return Variant(number, variant.labels, variant.sensitivity, variant.level, scenario,
                   variant.key, variant.sample, variant.sample_disruption, variant.overrides)


def variant_key(scenario: Scenario) -> str:
    """SHA-256 of the merged scenario (less its name and description), the files it is
    planned on, and the code version."""
    document = {k: v for k, v in scenario.model_dump(mode="json").items()
                if k not in NOT_VARIED}
    text = "\n".join((json.dumps(document, sort_keys=True), json.dumps(input_hashes(scenario),
                                                                        sort_keys=True),
                      code_version()))
    return hashlib.sha256(text.encode()).hexdigest()


def input_hashes(scenario: Scenario) -> dict[str, str]:
    """SHA-256 of every file the scenario is planned on (the study folder, the factor
    tables, its orders and reuse files) and the content hash of its road network."""
    hashes = {f"{folder.name}/{path.relative_to(folder)}": _hash_or_missing(path)
              for folder in (scenario.resolve(scenario.dataset_dir), FACTORS_DIR)
              for path in _files(folder)}
    named = (scenario.orders_file,
             *((scenario.reuse.flows_file, scenario.reuse.items_file) if scenario.reuse else ()))
    hashes |= {name: _hash_or_missing(scenario.resolve(name)) for name in named if name}
    if scenario.travel.network is not None:
        hashes["network"] = _network_hash(scenario.travel.network)
    return hashes


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _network_hash(name: str) -> str:
    from logistics.travel.network.cache import NetworkStore

    records = {r["name"]: r["content_hash"] for r in NetworkStore().records()}
    return records.get(name, "not cached")


@cache
def _cached_hash(path: Path, size: int, mtime_ns: int) -> str:
    return file_sha256(path)


def _hash_or_missing(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return _cached_hash(path, stat.st_size, stat.st_mtime_ns)
