"""Benchmark instances in VRPLIB format: Uchoa X (CVRP) and Solomon (VRPTW).

Reads an instance file (``.vrp``) and its best-known solution (``.sol``) and turns
the instance into our solver-neutral :class:`RoutingProblem`, so benchmarks solve it
through the same adapter as the product.

Distance conventions (the ones behind the published best-known costs):

- **Solomon VRPTW** (``TIME_WINDOW_SECTION`` present): Euclidean distance
  *truncated* to one decimal on every arc, ``floor(10 * d) / 10`` (the DIMACS 2021
  challenge convention). Travel time equals distance; service starts within the
  customer's window (waiting allowed), routes return by the depot's due time; the
  objective is total distance only, with at most ``VEHICLES`` routes.
- **X CVRP** (no time windows): Euclidean distance *rounded* to the nearest integer
  (TSPLIB ``EUC_2D``, ``floor(d + 0.5)``); objective is total distance, fleet not
  limited by the file (we allow ``k + max(2, ceil(0.1 k))`` vehicles, ``k`` from the
  ``-kNN`` suffix of the name, or the lower bound ceil(total demand / capacity)).

Node 1 of the file is the depot. Customers keep their file numbering minus one, so
customer ``i`` of a ``.sol`` route is job id ``str(i)`` at point index ``i``.

Units in the routing problem: one instance distance unit is ``metres_per_unit``
metres and ``seconds_per_unit`` seconds (10 for Solomon, so that every truncated
distance, window and service time is a whole number of metres/seconds; 1 for X).
Coordinates are planar instance coordinates stored in the ``lon``/``lat`` fields of
:class:`Point`: they are *not* WGS84 and only label the points; travel comes from
the matrices. Cost is 1 NOK per metre, so ``objective_nok`` tracks distance.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from logistics.errors import ProblemCollector
from logistics.routing.problem import Job, RoutingProblem, Vehicle
from logistics.travel.base import Point, TravelMatrices

PROFILE = "benchmark"
COST_NOK_PER_KM = 1000.0
"""1 NOK per metre: the product objective then equals distance in metres."""
PENALTY_FACTOR = 100.0
"""Leaving a customer out costs this many times the longest arc: never worth it."""
SOLOMON_UNIT = 10.0
"""Metres (and seconds) per Solomon distance unit: one decimal becomes whole metres."""


class DistanceConvention(StrEnum):
    """How arc lengths are derived from coordinates."""

    TRUNCATED_ONE_DECIMAL = "truncated_one_decimal"
    ROUNDED_INTEGER = "rounded_integer"


@dataclass(frozen=True)
class VrplibInstance:
    """A parsed instance. Index 0 is the depot; arrays have one row per node.

    ``time_windows`` is ``(ready, due)`` per node and ``service_times`` per node,
    both in instance time units; None/zeros for CVRP.
    """

    name: str
    coords: np.ndarray
    demands: np.ndarray
    capacity: float
    vehicles: int | None
    time_windows: np.ndarray | None
    service_times: np.ndarray
    convention: DistanceConvention

    @property
    def customers(self) -> int:
        return len(self.coords) - 1

    @property
    def metres_per_unit(self) -> float:
        """Metres (and seconds) in one instance distance (and time) unit."""
        if self.convention is DistanceConvention.TRUNCATED_ONE_DECIMAL:
            return SOLOMON_UNIT
        return 1.0

    def fleet_size(self) -> int:
        """Vehicles available: from the file, else the rule given in the module doc."""
        if self.vehicles is not None:
            return self.vehicles
        match = re.search(r"-k(\d+)", self.name)
        lower_bound = math.ceil(float(self.demands.sum()) / self.capacity)
        k = int(match.group(1)) if match else lower_bound
        return max(k, lower_bound) + max(2, math.ceil(0.1 * k))


@dataclass(frozen=True)
class BestKnownSolution:
    """A ``.sol`` file: routes of customer numbers (depot omitted) and the cost."""

    routes: tuple[tuple[int, ...], ...]
    cost: float


def distance_matrix(instance: VrplibInstance) -> np.ndarray:
    """Arc lengths in instance units under the instance's distance convention."""
    delta = instance.coords[:, None, :] - instance.coords[None, :, :]
    euclid = np.sqrt((delta**2).sum(axis=2))
    if instance.convention is DistanceConvention.TRUNCATED_ONE_DECIMAL:
        # A small tolerance keeps exact decimals (e.g. 5.0 stored as 4.99999...) intact.
        return np.floor(euclid * 10.0 + 1e-9) / 10.0
    return np.floor(euclid + 0.5)


def route_cost(instance: VrplibInstance, routes: tuple[tuple[int, ...], ...]) -> float:
    """Total distance (instance units) of routes given as customer numbers."""
    matrix = distance_matrix(instance)
    total = 0.0
    for route in routes:
        path = [0, *route, 0]
        total += float(sum(matrix[a, b] for a, b in itertools.pairwise(path)))
    return total


def _split_sections(path: Path) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    header: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = line
            sections[current] = []
        elif current is None and ":" in line:
            key, value = line.split(":", 1)
            header[key.strip().upper()] = value.strip().strip('"')
        elif current is not None:
            sections[current].append(line.split())
    return header, sections


def _node_column(rows: list[list[str]], n: int, width: int) -> np.ndarray:
    """Rows of ``index value...`` (1-based index) as an (n, width) float array."""
    values = np.zeros((n, width))
    for row in rows:
        values[int(row[0]) - 1] = [float(v) for v in row[1 : 1 + width]]
    return values


def read_instance(path: Path | str) -> VrplibInstance:
    """Parse a VRPLIB ``.vrp`` file (CVRP or CVRPTW, ``EUC_2D``, depot = node 1).

    Raises :class:`InputError` listing every unsupported or missing part.
    """
    path = Path(path)
    problems = ProblemCollector()
    source = str(path.name)
    if not path.is_file():
        problems.add(source, "", "path", str(path), "an existing .vrp file")
        problems.raise_if_any()
    header, sections = _split_sections(path)
    for key in ("DIMENSION", "CAPACITY"):
        if key not in header:
            problems.add(source, "header", key, None, "a number")
    if header.get("EDGE_WEIGHT_TYPE", "EUC_2D") != "EUC_2D":
        problems.add(source, "header", "EDGE_WEIGHT_TYPE", header["EDGE_WEIGHT_TYPE"], "EUC_2D")
    for section in ("NODE_COORD_SECTION", "DEMAND_SECTION"):
        if section not in sections:
            problems.add(source, "", section, None, "present")
    depots = [int(r[0]) for r in sections.get("DEPOT_SECTION", []) if int(r[0]) != -1]
    if depots not in ([], [1]):
        problems.add(source, "DEPOT_SECTION", "depot", depots, "a single depot, node 1")
    problems.raise_if_any()

    n = int(header["DIMENSION"])
    coords = _node_column(sections["NODE_COORD_SECTION"], n, 2)
    demands = _node_column(sections["DEMAND_SECTION"], n, 1)[:, 0]
    windows = None
    if "TIME_WINDOW_SECTION" in sections:
        windows = _node_column(sections["TIME_WINDOW_SECTION"], n, 2)
    service = np.full(n, float(header.get("SERVICE_TIME", 0.0)))
    if "SERVICE_TIME_SECTION" in sections:
        service = _node_column(sections["SERVICE_TIME_SECTION"], n, 1)[:, 0]
    service[0] = 0.0
    convention = (DistanceConvention.TRUNCATED_ONE_DECIMAL if windows is not None
                  else DistanceConvention.ROUNDED_INTEGER)
    return VrplibInstance(
        name=header.get("NAME", path.stem),
        coords=coords,
        demands=demands,
        capacity=float(header["CAPACITY"]),
        vehicles=int(header["VEHICLES"]) if "VEHICLES" in header else None,
        time_windows=windows,
        service_times=service,
        convention=convention,
    )


def read_solution(path: Path | str) -> BestKnownSolution:
    """Parse a ``.sol`` file: ``Route #k: c1 c2 ...`` lines and a ``Cost`` line."""
    path = Path(path)
    routes: list[tuple[int, ...]] = []
    cost: float | None = None
    for line in path.read_text().splitlines():
        text = line.strip()
        if text.lower().startswith("route"):
            routes.append(tuple(int(c) for c in text.split(":", 1)[1].split()))
        elif text.lower().startswith("cost"):
            cost = float(text.split()[1])
    if cost is None:
        problems = ProblemCollector()
        problems.add(path.name, "", "Cost", None, "a 'Cost <value>' line")
        problems.raise_if_any()
    assert cost is not None
    return BestKnownSolution(routes=tuple(routes), cost=cost)


def to_routing_problem(instance: VrplibInstance) -> RoutingProblem:
    """The instance as a :class:`RoutingProblem` in metres, seconds and NOK."""
    unit = instance.metres_per_unit
    # Exact: truncated tenths times 10, or rounded integers times 1, are whole metres.
    distance_m = np.round(distance_matrix(instance) * unit)
    points = tuple(
        Point(id="depot" if i == 0 else str(i), lon=float(x), lat=float(y))
        for i, (x, y) in enumerate(instance.coords)
    )
    matrices = TravelMatrices(
        points=points,
        distance_m=distance_m,
        duration_s=distance_m.copy(),
        model=f"vrplib:{instance.convention.value}",
        approximate=False,
        profile=PROFILE,
    )
    if instance.time_windows is not None:
        windows_s = instance.time_windows * unit
    else:
        horizon_s = float(distance_m.max(axis=1).sum())
        windows_s = np.tile([0.0, horizon_s], (len(points), 1))
    penalty_nok = PENALTY_FACTOR * float(distance_m.max()) * COST_NOK_PER_KM / 1000.0
    jobs = tuple(
        Job(
            id=str(i),
            location=i,
            time_windows_s=((float(windows_s[i, 0]), float(windows_s[i, 1])),),
            service_duration_s=float(instance.service_times[i]) * unit,
            delivery_kg=float(instance.demands[i]),
            penalty_nok=penalty_nok,
        )
        for i in range(1, len(points))
    )
    depot_window = (float(windows_s[0, 0]), float(windows_s[0, 1]))
    vehicles = tuple(
        Vehicle(
            id=f"v{k + 1}",
            vehicle_type_id="benchmark",
            profile=PROFILE,
            start=0,
            end=0,
            capacity_kg=instance.capacity,
            capacity_m3=0.0,
            shift_s=depot_window,
            cost_nok_per_km=COST_NOK_PER_KM,
        )
        for k in range(instance.fleet_size())
    )
    return RoutingProblem(
        name=instance.name,
        points=points,
        matrices={PROFILE: matrices},
        jobs=jobs,
        vehicles=vehicles,
    )
