"""The order a study's variants run in: base points, then new plans in turn across base
points (other travel before outages), then accounting-only variants; with two workers
each routing problem is solved once and the KPIs are those of one worker in study order."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.hub_question import kpi_checksum
from logistics.pipeline.solutions import SOLUTIONS_FOLDER
from logistics.study.files import load_study_file
from logistics.study.order import planning_inputs, work_order
from logistics.study.run import run_study
from logistics.study.runners import LocalRunner
from logistics.study.store import DONE, StudyStore
from logistics.study.variants import Variant
from tests.study_helpers import write_study

INPUTS = [{"name": "hub energy", "low": {"emissions.hub_energy_scale": 0.5},
           "high": {"emissions.hub_energy_scale": 2.0}},
          {"name": "detour factor", "low": {"travel.detour_factor": 1.3},
           "high": {"travel.detour_factor": 1.72}},
          {"name": "shared-route share", "low": {"shared_routes.municipal_share": 0.25},
           "high": {"shared_routes.municipal_share": 1.0}}]


@cache
def _variants() -> tuple[Variant, ...]:
    """The variants of a two-hub study with every kind of input and two outages."""
    folder = Path(tempfile.mkdtemp(prefix="study-order-"))
    return load_study_file(write_study(folder, one_at_a_time=INPUTS,
                                       monte_carlo={"samples": 2, "seed": 1})).variants


def _where(variant: Variant) -> tuple[str, str, str, int | None]:
    return variant.labels["hub"], variant.sensitivity, variant.level, variant.sample


def test_base_points_then_new_plans_in_turn_then_accounting_only(tmp_path: Path) -> None:
    loaded = load_study_file(write_study(tmp_path, one_at_a_time=INPUTS,
                                         monte_carlo={"samples": 2, "seed": 1}))
    ordered = work_order(loaded.variants)
    assert sorted(v.key for v in ordered) == sorted(v.key for v in loaded.variants)
    k, n = "kokstad", "nygardstangen"
    assert [_where(v) for v in ordered] == [
        (k, "base", "base", None), (n, "base", "base", None),
        (k, "detour factor", "low", None), (n, "detour factor", "low", None),
        (k, "detour factor", "high", None), (n, "detour factor", "high", None),
        (k, "base", "base", 0), (n, "base", "base", 0),
        (k, "base", "base", 1), (n, "base", "base", 1),
        (k, "hub energy", "low", None), (n, "hub energy", "low", None),
        (k, "hub energy", "high", None), (n, "hub energy", "high", None),
        (k, "shared-route share", "low", None), (n, "shared-route share", "low", None),
        (k, "shared-route share", "high", None), (n, "shared-route share", "high", None)]


def test_planning_inputs_leave_out_only_the_accounting(tmp_path: Path) -> None:
    loaded = load_study_file(write_study(tmp_path, one_at_a_time=INPUTS))
    by_input = {(v.sensitivity, v.level): planning_inputs(v.scenario)
                for v in loaded.variants if v.labels["hub"] == "kokstad"}
    assert by_input[("hub energy", "high")] == by_input[("base", "base")]
    assert by_input[("shared-route share", "low")] == by_input[("base", "base")]
    assert by_input[("detour factor", "low")] != by_input[("base", "base")]


def test_two_workers_solve_each_routing_problem_once(tmp_path: Path) -> None:
    loaded = load_study_file(write_study(tmp_path, one_at_a_time=INPUTS[:2],
                                         monte_carlo={"samples": 2, "seed": 1}))
    run_study(loaded, tmp_path / "one", LocalRunner(1))
    run = run_study(loaded, tmp_path / "two", LocalRunner(2))
    assert run.ran == len(loaded.variants) == 14 and run.failed == 0
    records = {}
    for name in ("one", "two"):
        store = StudyStore(tmp_path / name)
        records[name] = [r for v in loaded.variants if (r := store.record(v.key)) is not None]
        assert len(records[name]) == 14 and all(r.status == DONE for r in records[name])
    solved_by_workers = sum(r.routing_problems_solved or 0 for r in records["two"])
    distinct = len(list((tmp_path / "two" / SOLUTIONS_FOLDER).glob("*.json")))
    assert solved_by_workers == distinct
    assert distinct == len(list((tmp_path / "one" / SOLUTIONS_FOLDER).glob("*.json")))
    assert kpi_checksum(records["two"]) == kpi_checksum(records["one"])


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_work_order_is_a_permutation_with_every_plan_before_its_repeats(
        data: st.DataObject) -> None:
    variants = data.draw(st.permutations(_variants()))
    variants = variants[:data.draw(st.integers(1, len(variants)))]
    ordered = work_order(variants)
    assert sorted(v.key for v in ordered) == sorted(v.key for v in variants)
    kinds = [v.kind == "grid" for v in ordered]
    assert kinds == sorted(kinds, reverse=True)  # base points first
    first_of_plan: dict[str, int] = {}
    for position, variant in enumerate(ordered):
        first_of_plan.setdefault(planning_inputs(variant.scenario), position)
    repeats = [i for i, v in enumerate(ordered)
               if first_of_plan[planning_inputs(v.scenario)] != i]
    firsts = [i for i in first_of_plan.values() if ordered[i].kind != "grid"]
    assert not repeats or not firsts or max(firsts) < min(repeats)  # repeats last
