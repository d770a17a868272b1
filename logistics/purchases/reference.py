"""The tables an import reads besides the documents: the shipped category rules and
factors (``data/purchases/``) and the user's optional item, cost-centre and postcode
tables. Every shipped row has a source or says ``assumption``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import Field

from logistics.errors import InputError, ProblemCollector
from logistics.io.tables import load_table, read_rows
from logistics.model.domain import Lat, Lon
from logistics.paths import DATA_DIR
from logistics.validated import Frozen, Id, Text

M = TypeVar("M", bound=Frozen)

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
                   unit_ids: Collection[str] | None = None,
                   category_ids: Collection[str] | None = None,
                   data_dir: Path = PURCHASES_DATA_DIR) -> ReferenceTables:
    """Load the shipped rules and the user's tables; one :class:`InputError` naming
    every bad row, and every category or unit id that is not in the data set."""
    problems = ProblemCollector()

    def load(path: Path | None, model: type[M], key: str) -> tuple[M, ...]:
        if path is None:
            return ()
        return problems.attempt(lambda: load_table(path, model, key=key)) or ()

    unspsc_file = data_dir / "unspsc_categories.csv"
    keyword_file = data_dir / "keyword_categories.csv"
    factor_file = data_dir / "category_factors.csv"
    unspsc = load(unspsc_file, UnspscRule, "unspsc_prefix")
    keywords = load(keyword_file, KeywordRule, "keyword")
    factors = load(factor_file, CategoryFactor, "category")
    item_rows = load(items, ItemRow, "item_id")
    centre_rows = load(cost_centres, CostCentreRow, "code")
    postcode_rows = load(postcodes, PostcodeRow, "postcode")
    if category_ids is not None:
        goods = set(category_ids)
        any_class = f"a category of the data set or {', '.join(NON_GOODS)}"
        for source, key, choices, described in (
                (unspsc_file, "unspsc_prefix", goods | set(NON_GOODS), any_class),
                (keyword_file, "keyword", goods | set(NON_GOODS), any_class),
                (items, "item_id", goods | set(NON_GOODS), any_class),
                (factor_file, "category", goods, "a category of the data set")):
            _check_column(source, key, "category", choices, problems, described)
    if unit_ids is not None:
        _check_column(cost_centres, "code", "unit_id", set(unit_ids), problems,
                      f"a unit id of the units file ({len(unit_ids)} known)")
    problems.raise_if_any()
    return ReferenceTables(
        unspsc=unspsc,
        keywords=tuple(sorted(keywords, key=lambda r: (-len(r.keyword), r.keyword))),
        factors={f.category: f for f in factors},
        items={r.item_id: r for r in item_rows},
        cost_centres={r.code: r.unit_id for r in centre_rows},
        postcodes={r.postcode: r for r in postcode_rows},
    )


def _check_column(path: Path | None, key: str, column: str, allowed: Collection[str],
                  problems: ProblemCollector, described: str) -> None:
    """Every non-empty ``column`` value of the table at ``path`` is in ``allowed``
    (rows numbered as a spreadsheet shows them, the header being row 1)."""
    if path is None:
        return
    try:
        rows = read_rows(path)
    except InputError:
        return  # the table's own load has listed why it cannot be read
    for number, row in enumerate(rows, start=2):
        value = row.get(column)
        if value is not None and str(value) not in allowed:
            problems.add(str(path), f"row {number} ({key}={row.get(key)})", column, value,
                         described)
