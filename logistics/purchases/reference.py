"""The tables an import reads besides the documents: the shipped category rules and
factors (``data/purchases/``) and the user's optional item, cost-centre and postcode
tables. Every shipped row has a source or says ``assumption``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from logistics.io.tables import load_table
from logistics.model.domain import Lat, Lon
from logistics.paths import DATA_DIR
from logistics.validated import Frozen, Id, Text

PURCHASES_DATA_DIR = DATA_DIR / "purchases"
NON_GOODS = ("freight", "fee", "service")
"""Line classes that are not goods flows; freight is what the municipality pays for
transport today."""


class UnspscRule(Frozen):
    """UNSPSC codes starting with ``unspsc_prefix`` belong to ``category``."""

    unspsc_prefix: str = Field(pattern=r"^\d{2,8}$")
    category: Id
    source: Text = Field(min_length=1)


class KeywordRule(Frozen):
    """Item texts holding ``keyword`` (at the start or end of a word) are ``category``."""

    keyword: str = Field(min_length=2, max_length=50)
    category: Id
    source: Text = Field(min_length=1)


class CategoryFactor(Frozen):
    """kg per NOK spent and m3 per kg of one category, each with its source."""

    category: Id
    kg_per_nok: float = Field(gt=0, le=10)
    kg_per_nok_source: Text = Field(min_length=1)
    m3_per_kg: float = Field(gt=0, le=1)
    m3_per_kg_source: Text = Field(min_length=1)


class ItemRow(Frozen):
    """The user's item table: GTIN or seller's item id to kg (and m3) per unit."""

    item_id: Id
    kg_per_unit: float = Field(ge=0, le=100_000)
    m3_per_unit: float | None = Field(default=None, ge=0, le=1000)
    category: Id | None = None
    source: Text = ""


class CostCentreRow(Frozen):
    """The municipality's accounting code ("ansvar") or a delivery GLN of one unit."""

    code: Id
    unit_id: Id


class PostcodeRow(Frozen):
    """A postal code's position (e.g. its centroid), for sellers outside the list."""

    postcode: str = Field(pattern=r"^\d{4}$")
    lon: Lon
    lat: Lat
    source: Text = ""


@dataclass(frozen=True)
class ReferenceTables:
    """Everything the import looks up, loaded and validated once."""

    unspsc: tuple[UnspscRule, ...]
    keywords: tuple[KeywordRule, ...]
    factors: Mapping[str, CategoryFactor]
    items: Mapping[str, ItemRow]
    cost_centres: Mapping[str, str]
    postcodes: Mapping[str, PostcodeRow]


def load_reference(*, items: Path | None, cost_centres: Path | None, postcodes: Path | None,
                   data_dir: Path = PURCHASES_DATA_DIR) -> ReferenceTables:
    """Load the shipped rules and the user's tables; :class:`InputError` on any bad row."""
    factors = load_table(data_dir / "category_factors.csv", CategoryFactor, key="category")
    return ReferenceTables(
        unspsc=load_table(data_dir / "unspsc_categories.csv", UnspscRule, key="unspsc_prefix"),
        keywords=tuple(sorted(load_table(data_dir / "keyword_categories.csv", KeywordRule,
                                         key="keyword"),
                              key=lambda r: (-len(r.keyword), r.keyword))),
        factors={f.category: f for f in factors},
        items={r.item_id: r for r in load_table(items, ItemRow, key="item_id")} if items else {},
        cost_centres=({r.code: r.unit_id for r in load_table(cost_centres, CostCentreRow,
                                                             key="code")}
                      if cost_centres else {}),
        postcodes=({r.postcode: r for r in load_table(postcodes, PostcodeRow, key="postcode")}
                   if postcodes else {}),
    )
