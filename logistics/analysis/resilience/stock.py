"""Days of autonomy on the units' own stock, and how concentrated supply is."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from logistics.clock import Weekday
from logistics.model.dataset import DataSet
from logistics.model.domain import Order
from logistics.plan.deliveries import UnservedDelivery


@dataclass(frozen=True)
class Autonomy:
    """How long a unit manages a category on its own stock, and what the week takes.

    ``shortfall_days`` is the unmet demand in days of normal consumption; the unit
    runs out when it exceeds ``stock_days``.
    """

    unit_id: str
    category: str
    stock_days: float
    shortfall_days: float

    @property
    def remaining_days(self) -> float:
        return self.stock_days - self.shortfall_days

    @property
    def runs_out(self) -> bool:
        return self.shortfall_days > self.stock_days + 1e-9


def days_of_autonomy(dataset: DataSet, orders: Sequence[Order],
                     unserved: Sequence[UnservedDelivery], days: Sequence[Weekday]
                     ) -> list[Autonomy]:
    """Days of autonomy per unit and category ordered (stock days of its unit type;
    0 where the data give none), with the shortfall of the disrupted week."""
    stock = {(str(s.unit_type), s.category): s.stock_days for s in dataset.stock_days}
    unit_type = {u.id: str(u.unit_type) for u in dataset.units}
    weekly: dict[tuple[str, str], float] = defaultdict(float)
    for order in orders:
        weekly[(order.unit_id, order.category)] += order.demand_kg_per_week
    unmet: dict[tuple[str, str], float] = defaultdict(float)
    for item in unserved:
        unmet[(item.delivery.unit_id, item.delivery.category)] += item.delivery.demand_kg
    rows = []
    for (unit_id, category), kg in sorted(weekly.items()):
        per_day = kg / len(days) if kg > 0 else math.inf
        rows.append(Autonomy(unit_id, category, stock.get((unit_type[unit_id], category), 0.0),
                             unmet.get((unit_id, category), 0.0) / per_day))
    return rows


class CategoryAutonomy(TypedDict):
    """Days of autonomy of one category over the units that get it."""

    units: int
    min_stock_days: float
    units_short: int
    units_running_out: int
    max_shortfall_days: float


class CategoryConcentration(TypedDict):
    """How much one category depends on single suppliers."""

    supplier_kg_share: dict[str, float]
    hhi: float
    units_single_supplier: int
    alternates: list[str]
    units_without_alternate: int


class SupplierConcentration(TypedDict):
    """Per category and over all goods, the dependence on single suppliers."""

    categories: dict[str, CategoryConcentration]
    hhi_all_goods: float
    units_depending_on_a_single_supplier_without_alternate: int
    units: int


def autonomy_summary(rows: Sequence[Autonomy]) -> dict[str, CategoryAutonomy]:
    """Per category: least stock days, units short of goods, units that run out."""
    by_category: dict[str, list[Autonomy]] = defaultdict(list)
    for row in rows:
        by_category[row.category].append(row)
    return {category: {"units": len(items),
                       "min_stock_days": min(r.stock_days for r in items),
                       "units_short": sum(1 for r in items if r.shortfall_days > 0),
                       "units_running_out": sum(1 for r in items if r.runs_out),
                       "max_shortfall_days": round(max(r.shortfall_days for r in items), 3)}
            for category, items in sorted(by_category.items())}


def herfindahl_index(weights: Sequence[float]) -> float:
    """Herfindahl-Hirschman index of shares (0-10,000; 10,000 = a single source)."""
    total = sum(weights)
    return sum((100.0 * w / total) ** 2 for w in weights) if total > 0 else 0.0


def supplier_concentration(dataset: DataSet, orders: Sequence[Order]) -> SupplierConcentration:
    """How much each category, and the whole, depends on single suppliers.

    Per category: kg share and HHI of its suppliers, units getting it from one
    supplier, the alternates listed in the data (``backup_categories``) and units with
    no alternate. Overall: HHI of all kg by supplier and units that depend on a
    single supplier, without alternate, for at least one category.
    """
    kg: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for order in orders:
        kg[order.category][order.supplier_id] += order.demand_kg_per_week
        units[(order.category, order.unit_id)].add(order.supplier_id)
    categories: dict[str, CategoryConcentration] = {}
    exposed_units: set[str] = set()
    for category, by_supplier in sorted(kg.items()):
        total = sum(by_supplier.values())
        alternates = [s.id for s in dataset.suppliers if category in s.backup_categories]
        single = {u for (c, u), sources in units.items() if c == category and len(sources) == 1}
        if not alternates:
            exposed_units |= single
        categories[category] = {
            "supplier_kg_share": {s: round(w / total, 4) for s, w in sorted(by_supplier.items())},
            "hhi": round(herfindahl_index(list(by_supplier.values())), 1),
            "units_single_supplier": len(single),
            "alternates": alternates,
            "units_without_alternate": 0 if alternates else len(single),
        }
    by_supplier_total: dict[str, float] = defaultdict(float)
    for order in orders:
        by_supplier_total[order.supplier_id] += order.demand_kg_per_week
    return {"categories": categories,
            "hhi_all_goods": round(herfindahl_index(list(by_supplier_total.values())), 1),
            "units_depending_on_a_single_supplier_without_alternate": len(exposed_units),
            "units": len({o.unit_id for o in orders})}
