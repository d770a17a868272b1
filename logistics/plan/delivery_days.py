"""The week's deliveries: every order spread over the planning days by area and frequency.

A depot owner (a supplier in the direct design, the hub in the consolidated one) plans
its week the way carriers do: by area. Its units are swept by bearing around its depot
and cut into as many contiguous sectors (territories) as there are planning days, each
with about the same weekly kg (:func:`sweep_territories`). Territory ``k`` is anchored on
planning day ``k``; a unit served ``f`` times a week gets ``f`` days spread evenly from
its anchor (:func:`delivery_days`), so twice a week is Monday and Wednesday, never
Monday and Tuesday, and lower frequencies nest in higher ones (a unit's categories then
share stops). Ties are broken by unit id: the same orders give the same days.

Observed delivery days (``Order.delivery_days``, from purchase data) take precedence
where the design replays today's practice (direct); the hub sets its own calendar and
ignores them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from logistics.clock import Weekday
from logistics.model.domain import Order, Site, Unit
from logistics.plan.deliveries import Delivery


def delivery_days(frequency: int, days: tuple[Weekday, ...], offset: int) -> tuple[Weekday, ...]:
    """Days of the week a unit gets a category delivered ``frequency`` times, spread evenly
    from the planning day ``offset`` (its territory's anchor day).

    Lower frequencies give subsets of higher ones where possible (1 ⊂ 2 ⊂ 3 ⊂ 5 of 5
    days), which keeps categories of a unit on the same stops.
    """
    count = len(days)
    frequency = max(1, min(frequency, count))
    picked = sorted({(offset + round(k * count / frequency)) % count for k in range(frequency)})
    return tuple(days[i] for i in picked)


def bearing_rad(origin_lon: float, origin_lat: float, lon: float, lat: float) -> float:
    """Bearing of a point seen from the origin, radians in [0, 2π) counter-clockwise from
    east, on a local equirectangular projection (ample for sorting a city's sites)."""
    east = (lon - origin_lon) * math.cos(math.radians(origin_lat))
    north = lat - origin_lat
    return math.atan2(north, east) % (2 * math.pi)


def sweep_territories(depot: Site, kg_by_unit: Mapping[str, tuple[Site, float]],
                      count: int) -> dict[str, int]:
    """Territory (0..count-1) of each unit: contiguous sectors by bearing around ``depot``
    with about equal kg.

    Units are sorted by bearing (then id) and the sweep starts after the widest angular
    gap between neighbours, so a sector never straddles it. Cut ``k`` falls at the unit
    boundary whose cumulative kg is nearest ``k / count`` of the total (the earlier on a
    tie), so every territory's kg is within one unit's kg of the mean. Without any kg the
    units count equally.
    """
    ids = sorted(kg_by_unit, key=lambda u: (bearing_rad(depot.lon, depot.lat,
                                                        kg_by_unit[u][0].lon,
                                                        kg_by_unit[u][0].lat), u))
    if not ids:
        return {}
    angles = [bearing_rad(depot.lon, depot.lat, kg_by_unit[u][0].lon, kg_by_unit[u][0].lat)
              for u in ids]
    gaps = [(angles[(i + 1) % len(ids)] - angles[i]) % (2 * math.pi) for i in range(len(ids))]
    if len(ids) == 1:
        gaps = [2 * math.pi]
    widest = max(range(len(ids)), key=lambda i: (gaps[i], -i))
    ids = ids[widest + 1:] + ids[:widest + 1]
    weights = [max(0.0, kg_by_unit[u][1]) for u in ids]
    if sum(weights) <= 0:
        weights = [1.0] * len(ids)
    cumulative = [0.0]
    for weight in weights:
        cumulative.append(cumulative[-1] + weight)
    total = cumulative[-1]
    cuts = [0]
    for k in range(1, count):
        target = k * total / count
        cuts.append(min(range(cuts[-1], len(ids) + 1),
                        key=lambda j: (abs(cumulative[j] - target), j)))
    cuts.append(len(ids))
    return {ids[i]: k for k in range(count) for i in range(cuts[k], cuts[k + 1])}


class DeliveryCalendar:
    """The delivery days of every order: observed days where replayed, else the days of
    the unit's territory around the order's depot and the order's frequency."""

    def __init__(self, orders: Iterable[Order], units: Sequence[Unit],
                 days: tuple[Weekday, ...], depot_of: Callable[[Order], Site],
                 replay_observed: bool) -> None:
        self.days = days
        self.depot_of = depot_of
        self.replay_observed = replay_observed
        unit_by_id = {u.id: u for u in units}
        kg: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        depots: dict[str, Site] = {}
        for order in orders:
            depot = depot_of(order)
            depots[depot.id] = depot
            kg[depot.id][order.unit_id] += order.demand_kg_per_week
        self.territory: dict[tuple[str, str], int] = {}
        for depot_id in sorted(kg):
            sites = {u: (unit_by_id[u], w) for u, w in kg[depot_id].items()}
            for unit_id, k in sweep_territories(depots[depot_id], sites, len(days)).items():
                self.territory[(depot_id, unit_id)] = k

    def days_of(self, order: Order, frequency: int) -> tuple[Weekday, ...]:
        """The days ``order`` is delivered at ``frequency`` a week (its observed days,
        when replayed, instead)."""
        if self.replay_observed and order.delivery_days is not None:
            return tuple(d for d in self.days if d in order.delivery_days)
        anchor = self.territory.get((self.depot_of(order).id, order.unit_id), 0)
        return delivery_days(frequency, self.days, anchor)


def schedule_deliveries(orders: Iterable[Order], calendar: DeliveryCalendar,
                        frequency_of: Callable[[Order], int]) -> tuple[Delivery, ...]:
    """Spread every order over its days; demand per delivery = weekly demand / days."""
    deliveries: list[Delivery] = []
    for order in orders:
        days = calendar.days_of(order, max(1, min(frequency_of(order), len(calendar.days))))
        for day in days:
            deliveries.append(Delivery(
                order_id=order.id,
                unit_id=order.unit_id,
                category=order.category,
                supplier_id=order.supplier_id,
                day=day,
                demand_kg=order.demand_kg_per_week / len(days),
                volume_m3=order.volume_m3_per_week / len(days),
            ))
    return tuple(deliveries)
