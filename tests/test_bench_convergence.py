"""The convergence benchmark takes each gap against the reference as it stood, and only
then keeps a better solution as the new reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import convergence
from logistics.pipeline.solutions import problem_key
from logistics.routing.problem import RoutingProblem
from logistics.routing.settings import SolverSettings
from tests.routing_builders import job, problem, vehicle

QUICK = SolverSettings(backend="pyvrp", iteration_limit=50, iterations_per_stop=None)


def _square() -> RoutingProblem:
    xy = [(0.0, 0.0), (1000.0, 0.0), (1000.0, 1000.0), (0.0, 1000.0)]
    return problem(xy, [job(f"j{i}", i) for i in (1, 2, 3)], [vehicle()])


def test_gap_is_taken_before_a_better_search_replaces_the_reference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    square = _square()
    monkeypatch.setattr(convergence, "REFERENCE_DIR", tmp_path)
    monkeypatch.setattr(convergence, "scenario_problems",
                        lambda name, travel=None: ((square,), QUICK, travel))
    stale_nok = 1_000_000.0  # far worse than any route around the square
    (tmp_path / "square.json").write_text(json.dumps({"scenario": "square", "problems": [
        {"problem": "test", "problem_key": problem_key(square), "objective_nok": stale_nok,
         "found_by": {}, "method": {}}]}))
    row, _, _ = convergence.compare("square", None, {}, per_problem=False)
    found_nok = float(row[1].replace(",", ""))
    assert row[2] == f"{stale_nok:,.0f}"  # the reference as it stood
    assert float(row[3]) == pytest.approx(100 * (found_nok - stale_nok) / stale_nok, abs=0.01)
    kept = convergence.stored_reference("square")["test"]
    assert float(str(kept["objective_nok"])) == pytest.approx(found_nok, abs=0.5)


def test_curve_efforts_are_exact_limits_then_efforts_per_stop() -> None:
    efforts = convergence.curve_efforts([300, 600], [5, 12])
    assert [label for label, _ in efforts] == ["300 iterations", "600 iterations",
                                               "5 per stop", "12 per stop"]
    settings = [QUICK.with_overrides({"iteration_limit": 850, **overrides})
                for _, overrides in efforts]
    assert [s.pyvrp_iterations(100) for s in settings] == [300, 600, 850, 1200]
