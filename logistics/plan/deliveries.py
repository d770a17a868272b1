"""Deliveries: an order (or a reuse flow) on one day, made by a route or unserved."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from logistics.clock import Weekday
from logistics.routing.problem import UnservedReason


class PlanReason(StrEnum):
    """Why the plan leaves a delivery off every routing problem, before any search
    (the solver's own reasons are :class:`~logistics.routing.problem.UnservedReason`)."""

    SUPPLIER_UNAVAILABLE = "supplier_unavailable"
    HUB_UNAVAILABLE = "hub_unavailable"
    HUB_CAPACITY_EXCEEDED = "hub_capacity_exceeded"


@dataclass(frozen=True)
class Delivery:
    """One delivery of an order on one day: ``demand_kg`` / ``volume_m3`` dropped at
    the unit (collected there, for reuse surplus)."""

    order_id: str
    unit_id: str
    category: str
    supplier_id: str
    day: Weekday
    demand_kg: float
    volume_m3: float

    @property
    def collected(self) -> bool:
        """True when the goods are picked up at the unit rather than dropped."""
        return False


@dataclass(frozen=True)
class UnservedDelivery:
    """A delivery that no route makes, with a machine-readable reason."""

    delivery: Delivery
    reason: UnservedReason | PlanReason
    detail: str
