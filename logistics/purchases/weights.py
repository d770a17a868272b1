"""Category and weight of one purchase line, with the basis of each kept.

Category, first that applies (``category_method``): ``unspsc`` (``listID="STI"``, the
longest matching prefix of ``data/purchases/unspsc_categories.csv``), ``item_table``
(a category in the user's item table), ``seller_classification`` (the seller's own
class when it names a category, or holds one of the keywords), ``keyword`` (the
item's name, ``data/purchases/keyword_categories.csv``, longest keyword first, at the
start or end of a word so that compounds such as ``lettmelk`` match). ``freight``,
``fee`` and ``service`` are not goods.

Weight basis of a line, first that applies (the despatch advice's gross weight, the
best of all, replaces these for the whole order later, in :mod:`~.store`):
``quantity_mass`` (UN/ECE Rec. 20 mass units), ``quantity_volume`` (volume units, at
1 kg per litre: an assumption for drinks and liquids), ``item_table`` (kg per unit),
``nok_factor`` (line amount in NOK times the category's kg per NOK,
``data/purchases/category_factors.csv``). Volume is the quantity's own where it is a
volume, the item table's, else kg times the category's m3 per kg.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from logistics.purchases.documents import PurchaseLine
from logistics.purchases.reference import NON_GOODS, ItemRow, ReferenceTables
from logistics.purchases.ubl import MASS_KG_PER_UNIT, VOLUME_M3_PER_UNIT

KG_PER_M3_LIQUID = 1000.0
"""Assumption: liquids bought by volume (milk, juice, cleaning agents) weigh 1 kg/l."""
WEIGHT_BASES = ("despatch_advice", "quantity_mass", "quantity_volume", "item_table",
                "nok_factor")


@dataclass(frozen=True, slots=True)
class LineCategory:
    category: str
    method: str

    @property
    def goods(self) -> bool:
        return self.category not in NON_GOODS


@dataclass(frozen=True, slots=True)
class LineWeight:
    kg: float
    m3: float
    basis: str


class LineClassifier:
    """Category and weight of purchase lines from the reference tables."""

    def __init__(self, tables: ReferenceTables, category_names: Mapping[str, str]):
        self.tables = tables
        self.unspsc = sorted(tables.unspsc, key=lambda r: -len(r.unspsc_prefix))
        self.names = {k.casefold(): v for k, v in category_names.items()}
        self.keywords = [(re.compile(rf"(?:\b{re.escape(r.keyword)}|{re.escape(r.keyword)}\b)"),
                          r.category) for r in tables.keywords]

    def category(self, line: PurchaseLine) -> LineCategory | None:
        """The line's category and how it was found, or None."""
        if line.unspsc:
            for rule in self.unspsc:
                if line.unspsc.startswith(rule.unspsc_prefix):
                    return LineCategory(rule.category, "unspsc")
        item = self.item(line)
        if item is not None and item.category:
            return LineCategory(item.category, "item_table")
        if line.seller_category:
            named = self.names.get(line.seller_category.strip().casefold())
            found = named or self.keyword(line.seller_category)
            if found:
                return LineCategory(found, "seller_classification")
        found = self.keyword(line.item_name)
        return LineCategory(found, "keyword") if found else None

    def keyword(self, text: str) -> str | None:
        lowered = text.lower()
        for pattern, category in self.keywords:
            if pattern.search(lowered):
                return category
        return None

    def item(self, line: PurchaseLine) -> ItemRow | None:
        """The item table's row for the line's GTIN or seller's item id, if any."""
        items = self.tables.items
        return (items.get(line.gtin) or items.get(line.seller_item_id)) if items else None

    def weight(self, line: PurchaseLine, category: str, currency: str) -> LineWeight | None:
        """The line's kg and m3 on the best basis it has, or None."""
        factor = self.tables.factors.get(category)
        m3_per_kg = factor.m3_per_kg if factor else 0.0
        unit = line.unit_code.upper()
        if unit in MASS_KG_PER_UNIT:
            kg = line.quantity * MASS_KG_PER_UNIT[unit]
            return LineWeight(kg, kg * m3_per_kg, "quantity_mass")
        if unit in VOLUME_M3_PER_UNIT:
            m3 = line.quantity * VOLUME_M3_PER_UNIT[unit]
            return LineWeight(m3 * KG_PER_M3_LIQUID, m3, "quantity_volume")
        item = self.item(line)
        if item is not None:
            kg = line.quantity * item.kg_per_unit
            m3 = (line.quantity * item.m3_per_unit if item.m3_per_unit is not None
                  else kg * m3_per_kg)
            return LineWeight(kg, m3, "item_table")
        if factor is not None and line.amount_nok is not None and currency == "NOK":
            kg = line.amount_nok * factor.kg_per_nok
            return LineWeight(kg, kg * m3_per_kg, "nok_factor")
        return None
