"""Where a result comes from: its input hashes, the solver and its searches, the packages
and the time each stage took. Written into ``result.json`` as ``provenance``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict


@dataclass(frozen=True)
class SearchRecord:
    """How one routing search ran: the backend that solved it and what stopped it."""

    backend: str | None
    stopped_by: str | None

    @classmethod
    def from_solver_info(cls, info: Mapping[str, object]) -> SearchRecord:
        """The record of a solution's free-form solver info (``Solution.solver``)."""
        return cls(_text(info.get("backend")), _text(info.get("stopped_by")))


@dataclass(frozen=True)
class SolverProvenance:
    """The solver settings of a run and every search it made, by problem name."""

    backend: str
    seed: int
    seed_used_by: str
    time_limit_s_per_problem: float
    solution_limit: int | None
    iteration_limit: int | None
    search_workers: int
    searches: Mapping[str, SearchRecord]

    def as_json(self) -> SolverJson:
        return {"backend": self.backend, "seed": self.seed, "seed_used_by": self.seed_used_by,
                "time_limit_s_per_problem": self.time_limit_s_per_problem,
                "solution_limit": self.solution_limit, "iteration_limit": self.iteration_limit,
                "search_workers": self.search_workers,
                "searches": {name: {"backend": s.backend, "stopped_by": s.stopped_by}
                             for name, s in self.searches.items()}}


class SearchJson(TypedDict):
    backend: str | None
    stopped_by: str | None


class SolverJson(TypedDict):
    """``provenance.solver`` in ``result.json``."""

    backend: str
    seed: int
    seed_used_by: str
    time_limit_s_per_problem: float
    solution_limit: int | None
    iteration_limit: int | None
    search_workers: int
    searches: dict[str, SearchJson]


class ProvenanceJson(TypedDict, total=False):
    """``provenance`` in ``result.json`` (an older result may lack fields;
    ``started_by`` only in a run the API made)."""

    input_sha256: dict[str, str]
    orders_sha256: str | None
    orders: int
    routing_problems: int
    routing_problems_solved: int
    routing_problems_read_from_searches_in_flight: int
    solver: SolverJson
    packages: dict[str, str]
    python: str
    wall_s: float
    stage_s: dict[str, float]
    started_by: Mapping[str, object]


@dataclass(frozen=True)
class RunProvenance:
    """What a result was made from and with; ``started_by`` names the API key that
    started the run (none on the command line)."""

    input_sha256: Mapping[str, str]  # study table name -> SHA-256 of its file
    orders_sha256: str | None  # the orders file's; None when the demand model made them
    orders: int
    routing_problems: int
    routing_problems_solved: int  # by this run; the others came from the solution store
    routing_problems_read_from_searches_in_flight: int  # solved meanwhile by another process
    solver: SolverProvenance
    packages: Mapping[str, str]  # package -> version
    python: str
    wall_s: float
    stage_s: Mapping[str, float]  # seconds by pipeline stage
    started_by: Mapping[str, object] | None = None

    def as_json(self) -> ProvenanceJson:
        document: ProvenanceJson = {
            "input_sha256": dict(self.input_sha256), "orders_sha256": self.orders_sha256,
            "orders": self.orders, "routing_problems": self.routing_problems,
            "routing_problems_solved": self.routing_problems_solved,
            "routing_problems_read_from_searches_in_flight":
                self.routing_problems_read_from_searches_in_flight,
            "solver": self.solver.as_json(), "packages": dict(self.packages),
            "python": self.python, "wall_s": self.wall_s, "stage_s": dict(self.stage_s)}
        if self.started_by is not None:
            document["started_by"] = self.started_by
        return document


def _text(value: object) -> str | None:
    return None if value is None else str(value)
