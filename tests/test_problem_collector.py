"""ProblemCollector gathers the problems of input errors raised in its blocks, in order,
and lets every other exception through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics.errors import InputError, Problem, ProblemCollector

PROBLEMS = st.builds(Problem, st.text(max_size=5), st.text(max_size=5), st.text(max_size=5),
                     st.text(max_size=5), st.text(max_size=5))
BATCHES = st.lists(st.one_of(st.none(), st.lists(PROBLEMS, min_size=1, max_size=3)),
                   max_size=6)


def _check(batch: list[Problem] | None, value: int) -> int:
    if batch is not None:
        raise InputError(batch)
    return value


@given(BATCHES)
def test_attempt_collects_every_batch_in_order_and_returns_the_others(
        batches: list[list[Problem] | None]) -> None:
    problems = ProblemCollector()
    values = [problems.attempt(lambda b=batch, i=i: _check(b, i))  # type: ignore[misc]
              for i, batch in enumerate(batches)]
    assert values == [i if batch is None else None for i, batch in enumerate(batches)]
    assert problems.problems == [p for batch in batches if batch for p in batch]


@given(BATCHES)
def test_collecting_ends_the_block_at_the_error(batches: list[list[Problem] | None]) -> None:
    problems = ProblemCollector()
    finished = []
    for batch in batches:
        with problems.collecting():
            _check(batch, 0)
            finished.append(batch)
    assert finished == [None] * batches.count(None)
    assert problems.problems == [p for batch in batches if batch for p in batch]
    if problems.problems:
        with pytest.raises(InputError) as raised:
            problems.raise_if_any()
        assert list(raised.value.problems) == problems.problems
    else:
        problems.raise_if_any()


def test_other_errors_pass_through() -> None:
    problems = ProblemCollector()
    with pytest.raises(KeyError), problems.collecting():
        raise KeyError("not an input problem")
    assert problems.problems == []
