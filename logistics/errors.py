"""The one error family of the package.

Every loader and validator collects *all* problems it finds and raises a single
:class:`InputError` listing them; nothing stops at the first bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what was found, what is allowed."""

    source: str
    location: str
    field: str
    found: str
    allowed: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.location}" if self.location else self.source
        return f"{where}: field '{self.field}': found {self.found}; allowed: {self.allowed}"


class LogisticsError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(LogisticsError, ValueError):
    """Malformed input; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{count} input problem{'s' if count > 1 else ''}:\n{lines}")


class ProblemCollector:
    """Gathers problems while validating, then raises them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, source: str, location: str, field: str, found: object, allowed: str) -> None:
        self.problems.append(Problem(source, location, field, repr(found), allowed))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run the block; an :class:`InputError` raised in it ends the block and its
        problems are collected here instead of raised."""
        try:
            yield
        except InputError as error:
            self.problems.extend(error.problems)

    def attempt(self, check: Callable[[], T]) -> T | None:
        """``check()``'s value; None, with its problems collected here, when it raises
        an :class:`InputError`."""
        with self.collecting():
            return check()
        return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)
