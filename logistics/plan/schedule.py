"""The week's deliveries: every order spread over the planning days by its frequency."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from logistics.clock import Weekday
from logistics.model.domain import Order, Unit
from logistics.plan.deliveries import Delivery


def delivery_days(frequency: int, days: tuple[Weekday, ...], offset: int) -> tuple[Weekday, ...]:
    """Days of the week a unit gets a category delivered ``frequency`` times, spread evenly.

    ``offset`` staggers units so that not every unit is served on the first day. Lower
    frequencies give subsets of higher ones where possible (2 ⊂ 3 ⊂ 5 of 5 days), which
    keeps categories of a unit on the same stops.
    """
    count = len(days)
    frequency = max(1, min(frequency, count))
    picked = sorted({(offset + round(k * count / frequency)) % count for k in range(frequency)})
    return tuple(days[i] for i in picked)


def schedule_deliveries(
    orders: Iterable[Order],
    units: tuple[Unit, ...],
    days: tuple[Weekday, ...],
    frequency_of: Callable[[Order], int],
) -> tuple[Delivery, ...]:
    """Spread every order over the week; demand per delivery = weekly demand / frequency."""
    offset_of = {unit.id: number % len(days) for number, unit in enumerate(sorted(units, key=_id))}
    deliveries: list[Delivery] = []
    for order in orders:
        frequency = max(1, min(frequency_of(order), len(days)))
        for day in delivery_days(frequency, days, offset_of[order.unit_id]):
            deliveries.append(Delivery(
                order_id=order.id,
                unit_id=order.unit_id,
                category=order.category,
                supplier_id=order.supplier_id,
                day=day,
                demand_kg=order.demand_kg_per_week / frequency,
                volume_m3=order.volume_m3_per_week / frequency,
            ))
    return tuple(deliveries)


def _id(item: Unit) -> str:
    return item.id
