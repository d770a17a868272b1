"""What the plan hands on: its routing problems, each with what it is for, and its routes
(solved, or made by the plan itself), each with the deliveries it carries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from logistics.clock import Weekday
from logistics.plan.deliveries import Delivery
from logistics.routing.problem import Route, RoutingProblem


@dataclass(frozen=True)
class PlannedProblem:
    """A routing problem of the plan, with what it is for."""

    day: Weekday
    kind: str  # "direct", "distribution" or "collection"
    owner: str  # supplier id or hub id
    problem: RoutingProblem


@dataclass(frozen=True)
class PlannedRoute:
    """A solved (or constructed, for trunk trips) route with its context."""

    day: Weekday
    kind: str  # "direct", "distribution", "trunk" or "collection"
    owner: str
    route: Route
    deliveries: Mapping[int, tuple[Delivery, ...]]  # visit index -> deliveries dropped there
    shortest_m: Mapping[int, tuple[float, float]]
    """Visit index -> shortest feasible distance (m) from the route's start to the visit
    and from the visit to the route's end: what goods dropped, or collected, there
    would travel on their own (ISO 14083 allocation)."""
    vehicle_day_share: float = 1.0
    """The share of a vehicle-day the route is charged: 1 for a route, the hours used
    for a supplier's trunk trip (:func:`logistics.plan.trunk.vehicle_day_share`)."""
