"""Reuse flows ("reuse, not just consumption"): surplus furniture and equipment is
collected at units, taken to the reuse store at the hub, and delivered from the store
to units that asked for it, on the consolidated delivery routes.

Flows are weekly counts per unit and item (``reuse_flows.csv``); items carry weight,
volume and the embodied CO2e a reused item avoids buying new (``reuse_items.csv``).
Each flow rides on the unit's first consolidated stop of the week; a unit with no
goods stop that week gets a reuse-only stop on the first planning day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from logistics.clock import Weekday
from logistics.errors import ProblemCollector
from logistics.io.tables import load_table, read_rows, row_locations, validate_rows
from logistics.model.domain import Order
from logistics.plan.deliveries import Delivery
from logistics.validated import Frozen, Id, Name, Text

REUSE_CATEGORY_PREFIX = "reuse:"


class ReuseItem(Frozen):
    """An item type that can be reused, with what buying it new would emit."""

    id: Id
    name: Name
    kg_per_item: float = Field(gt=0, le=10_000)
    m3_per_item: float = Field(gt=0, le=100)
    embodied_co2e_kg_per_item: float = Field(ge=0, le=1_000_000)
    basis: Text = ""
    source: Text = ""


class ReuseFlow(Frozen):
    """Items a unit offers (``surplus``) or asks for (``request``) each week."""

    id: Id
    unit_id: Id
    item: Id
    count_per_week: int = Field(ge=1, le=10_000)
    direction: Literal["surplus", "request"]


@dataclass(frozen=True)
class ReuseMove(Delivery):
    """A reuse flow on a day: collected at the unit (``surplus``) or delivered to it
    (``request``); ``order_id`` is the flow id, ``supplier_id`` the reuse store (hub)."""

    item: str = ""
    count: int = 0
    direction: Literal["surplus", "request"] = "request"
    embodied_co2e_kg: float = 0.0

    @property
    def collected(self) -> bool:
        """Surplus is collected at the unit and brought to the store."""
        return self.direction == "surplus"


def load_reuse(flows_path: Path, items_path: Path,
               unit_ids: set[str]) -> tuple[tuple[ReuseFlow, ...], dict[str, ReuseItem]]:
    """Read and cross-check the flows and the item table; every problem of both files
    (bad values and unknown units or items) is listed at once."""
    problems = ProblemCollector()
    items = {i.id: i for i in problems.attempt(lambda: load_table(items_path, ReuseItem)) or ()}
    rows = read_rows(flows_path)
    for location, row in zip(row_locations(rows), rows, strict=True):
        where = f"{location} (id={row.get('id')})"
        if row.get("unit_id") not in unit_ids:
            problems.add(str(flows_path), where, "unit_id", row.get("unit_id"),
                         "a unit id of the data set")
        if items and row.get("item") not in items:
            problems.add(str(flows_path), where, "item", row.get("item"),
                         f"an item of {items_path.name}: {sorted(items)}")
    flows = problems.attempt(lambda: validate_rows(rows, ReuseFlow, str(flows_path))) or ()
    problems.raise_if_any()
    return flows, items


def reuse_moves(flows: Iterable[ReuseFlow], items: Mapping[str, ReuseItem],
                goods: Iterable[Delivery], days: tuple[Weekday, ...],
                store_id: str) -> tuple[ReuseMove, ...]:
    """Each flow on the unit's first goods day of the week (or the first planning day)."""
    first_day: dict[str, Weekday] = {}
    for delivery in goods:
        current = first_day.get(delivery.unit_id)
        if current is None or days.index(delivery.day) < days.index(current):
            first_day[delivery.unit_id] = delivery.day
    moves = []
    for flow in flows:
        item = items[flow.item]
        moves.append(ReuseMove(
            order_id=flow.id,
            unit_id=flow.unit_id,
            category=REUSE_CATEGORY_PREFIX + flow.item,
            supplier_id=store_id,
            day=first_day.get(flow.unit_id, days[0]),
            demand_kg=flow.count_per_week * item.kg_per_item,
            volume_m3=flow.count_per_week * item.m3_per_item,
            item=flow.item,
            count=flow.count_per_week,
            direction=flow.direction,
            embodied_co2e_kg=flow.count_per_week * item.embodied_co2e_kg_per_item,
        ))
    return tuple(moves)


def flow_orders(flows: Iterable[ReuseFlow], items: Mapping[str, ReuseItem],
                store_id: str) -> tuple[Order, ...]:
    """Reuse flows as standing orders of the store, so emissions are allocated and
    reported per flow like any order (category ``reuse:<item>``)."""
    return tuple(
        Order(id=flow.id, unit_id=flow.unit_id, category=REUSE_CATEGORY_PREFIX + flow.item,
              supplier_id=store_id,
              demand_kg_per_week=flow.count_per_week * items[flow.item].kg_per_item,
              volume_m3_per_week=flow.count_per_week * items[flow.item].m3_per_item,
              deliveries_per_week=1)
        for flow in flows)


def reuse_kpis(made: Iterable[Delivery], missed: Iterable[Delivery]) -> dict[str, float]:
    """Reuse figures of a week: items and kg collected and delivered, avoided embodied
    CO2e (items delivered to units that would otherwise buy new), flows not made."""
    totals = {"reuse_items_collected": 0.0, "reuse_items_delivered": 0.0,
              "reuse_kg_delivered": 0.0, "avoided_embodied_co2e_kg": 0.0,
              "reuse_moves_unserved": 0.0}
    for move in made:
        if not isinstance(move, ReuseMove):
            continue
        if move.collected:
            totals["reuse_items_collected"] += move.count
        else:
            totals["reuse_items_delivered"] += move.count
            totals["reuse_kg_delivered"] += move.demand_kg
            totals["avoided_embodied_co2e_kg"] += move.embodied_co2e_kg
    totals["reuse_moves_unserved"] = float(sum(isinstance(m, ReuseMove) for m in missed))
    return totals
