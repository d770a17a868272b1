"""Orders: from an orders file (e.g. invoice data) or from the demand model.

The demand model multiplies a unit's size (children, pupils, beds) by a weekly rate
per category and unit type (``demand_rates.csv``); each category comes from its main
supplier at today's frequency.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from logistics.errors import ProblemCollector
from logistics.io.tables import load_table
from logistics.model.dataset import DataSet
from logistics.model.domain import Order


def orders_from_demand_model(dataset: DataSet) -> tuple[Order, ...]:
    """One order per unit and category with a positive rate; id ``<unit>:<category>``.
    A unit of a type without rows in ``demand_rates.csv`` is an input problem (it would
    get no goods and still count as served), one per such type, naming its units."""
    rates = {(r.unit_type, r.category): r for r in dataset.demand_rates}
    rated = sorted({r.unit_type.value for r in dataset.demand_rates})
    unrated: dict[str, list[str]] = {}
    for unit in dataset.units:
        if unit.unit_type.value not in rated:
            unrated.setdefault(unit.unit_type.value, []).append(unit.id)
    problems = ProblemCollector()
    for unit_type, ids in sorted(unrated.items()):
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        problems.add("units.csv", f"units {shown}", "unit_type", unit_type,
                     f"a unit type with rates in demand_rates.csv: {rated} (or add its "
                     "rates to the data set, or give the scenario an orders_file)")
    problems.raise_if_any()
    orders: list[Order] = []
    for unit in dataset.units:
        for category in dataset.categories:
            rate = rates.get((unit.unit_type, category.id))
            if rate is None or rate.kg_per_size_per_week <= 0 or unit.size <= 0:
                continue
            demand_kg = unit.size * rate.kg_per_size_per_week
            orders.append(Order(
                id=f"{unit.id}:{category.id}",
                unit_id=unit.id,
                category=category.id,
                supplier_id=dataset.main_supplier(category.id).id,
                demand_kg_per_week=demand_kg,
                volume_m3_per_week=demand_kg * rate.m3_per_kg,
                deliveries_per_week=rate.deliveries_per_week_today,
            ))
    return tuple(orders)


def load_orders(path: Path, dataset: DataSet) -> tuple[Order, ...]:
    """Read an orders file and check that every unit, category and supplier exists."""
    orders = load_table(path, Order)
    problems = ProblemCollector()
    references: Mapping[str, set[str]] = {
        "unit_id": {u.id for u in dataset.units},
        "category": {c.id for c in dataset.categories},
        "supplier_id": {s.id for s in dataset.suppliers},
    }
    for order in orders:
        for field, allowed in references.items():
            value = getattr(order, field)
            if value not in allowed:
                problems.add(str(path), f"id={order.id}", field, value,
                             f"an id from the data set ({len(allowed)} known)")
    problems.raise_if_any()
    return orders


def scale_orders(orders: tuple[Order, ...],
                 factor_by_order: Mapping[str, float]) -> tuple[Order, ...]:
    """Orders with demand multiplied by a factor per order id (missing = 1)."""
    return tuple(
        order.with_overrides({
            "demand_kg_per_week": order.demand_kg_per_week * factor_by_order[order.id],
            "volume_m3_per_week": order.volume_m3_per_week * factor_by_order[order.id],
        }, "demand surge") if order.id in factor_by_order else order
        for order in orders
    )
