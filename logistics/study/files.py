"""Study files: YAML read, validated and expanded before anything is solved.

The study's fields, the base scenario (merged with the chain it ``extends``) and
everything it names, what the report refers to (grid axes and their labels) and every
variant's merged scenario are checked; every problem comes in one
:class:`~logistics.errors.InputError`. The JSON schema of the format is generated from
:class:`~logistics.study.spec.Study` and checked in (``studies/study.schema.json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from logistics.errors import Problem, ProblemCollector
from logistics.io.tables import read_yaml_mapping
from logistics.paths import PROJECT_ROOT
from logistics.pipeline.scenario_check import CheckedScenario, check_scenario
from logistics.scenarios.files import merge_bases, scenario_from_mapping
from logistics.scenarios.schema import Scenario
from logistics.study.spec import MAX_VARIANTS, VARIED_FIELDS, Study
from logistics.study.variants import Variant, expand

STUDIES_DIR = PROJECT_ROOT / "studies"
STUDY_SCHEMA_FILE = STUDIES_DIR / "study.schema.json"


@dataclass(frozen=True)
class LoadedStudy:
    """A study file checked and expanded: its base scenario, what checking the base
    loaded, and every variant."""

    study: Study
    source: str
    base: Scenario
    checked: CheckedScenario
    variants: tuple[Variant, ...]


def load_study_file(path: Path) -> LoadedStudy:
    """Read, validate and expand a study file; one :class:`InputError` with every
    problem found."""
    source = str(path)
    study = Study.from_data(read_yaml_mapping(path), source, "study")
    problems = ProblemCollector()
    unknown_paths = path_problems(study, source)
    problems.extend(unknown_paths + reference_problems(study, source))
    count = variant_count(study)
    if count > MAX_VARIANTS:
        problems.add(source, "study", "grid", f"{count} variants", f"at most {MAX_VARIANTS}")
    base: Scenario | None = None
    checked: CheckedScenario | None = None
    with problems.collecting():
        base = scenario_from_mapping(merge_bases({"extends": study.base}, path.parent, source),
                                     f"{source}: base {study.base}")
        checked = check_scenario(base, f"{source}: base {study.base}")
    variants: list[Variant] = []
    if base is not None and checked is not None and not unknown_paths:
        with problems.collecting():
            variants = expand(study, base, checked.dataset, source)
    problems.raise_if_any()
    assert base is not None and checked is not None
    return LoadedStudy(study, source, base, checked, tuple(variants))


def variant_count(study: Study) -> int:
    """How many variants the study expands to."""
    points = 1
    for axis in study.grid:
        points *= len(study.grid[axis])
    settings = 1 + 2 * len(study.one_at_a_time)
    sampled = 0
    if study.monte_carlo is not None:
        sampled = points
        for axis, labels in study.monte_carlo.apply_to.items():
            if axis in study.grid:
                sampled = sampled // len(study.grid[axis]) * len(
                    set(labels) & set(study.axis_labels(axis)))
        sampled *= study.monte_carlo.samples
    return points * settings + sampled


def path_problems(study: Study, source: str) -> list[Problem]:
    """Dotted paths that name no scenario field a study may set."""
    return [Problem(source, "study", field, repr(path),
                    f"a dotted path starting with one of {list(VARIED_FIELDS)}")
            for field, path in _paths(study) if path.split(".")[0] not in VARIED_FIELDS]


def reference_problems(study: Study, source: str) -> list[Problem]:
    """Repeated labels and names, and report or Monte Carlo references to grid axes or
    labels that do not exist."""
    problems: list[Problem] = []
    for axis in study.grid:
        labels = study.axis_labels(axis)
        if len(set(labels)) != len(labels):
            problems.append(Problem(source, "study", f"grid.{axis}", repr(labels),
                                    "values without repeats"))
    names = [entry.name for entry in study.one_at_a_time]
    if len(set(names)) != len(names):
        problems.append(Problem(source, "study", "one_at_a_time.name", repr(names),
                                "names without repeats"))
    for field, axis, label in _grid_references(study):
        if axis not in study.grid:
            problems.append(Problem(source, "study", field, repr(axis),
                                    f"a grid axis: one of {list(study.grid)}"))
        elif label is not None and label not in study.axis_labels(axis):
            problems.append(Problem(source, "study", field, repr(label),
                                    f"a label of grid axis {axis!r}: "
                                    f"one of {study.axis_labels(axis)}"))
    trade_off = study.report.trade_off
    for number, criterion in enumerate(trade_off.criteria if trade_off else ()):
        if criterion.statistic != "value" and study.monte_carlo is None:
            problems.append(Problem(source, "study",
                                    f"report.trade_off.criteria.{number}.statistic",
                                    repr(criterion.statistic),
                                    "'value' (the study has no monte_carlo samples)"))
    return problems


def _paths(study: Study) -> Iterator[tuple[str, str]]:
    """(field, dotted path) of every scenario field the study sets."""
    yield from ((f"overrides.{path}", path) for path in study.overrides)
    yield from ((f"grid.{path}", path) for path in study.grid)
    for number, entry in enumerate(study.one_at_a_time):
        for level, overrides in (("low", entry.low), ("high", entry.high)):
            yield from ((f"one_at_a_time.{number}.{level}.{path}", path) for path in overrides)


def _grid_references(study: Study) -> Iterator[tuple[str, str, str | None]]:
    """(field, grid axis, label or None) of every reference to the grid."""
    if study.monte_carlo is not None:
        for axis, labels in study.monte_carlo.apply_to.items():
            for label in labels:
                yield f"monte_carlo.apply_to.{axis}", axis, label
    trade_off = study.report.trade_off
    if trade_off is not None:
        yield "report.trade_off.options", trade_off.options, None
        for number, criterion in enumerate(trade_off.criteria):
            for axis, label in criterion.where.items():
                yield f"report.trade_off.criteria.{number}.where.{axis}", axis, label
    headline = study.report.headline
    if headline is not None:
        yield "report.headline.baseline", headline.axis, headline.baseline
        yield "report.headline.option", headline.axis, headline.option


def study_json_schema() -> str:
    """The JSON schema of the study format, as checked in."""
    return json.dumps(Study.model_json_schema(), indent=2, sort_keys=True) + "\n"
