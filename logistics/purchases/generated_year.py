"""The GENERATED Bergen purchase year as deliveries: which seller brings which items
to which unit on which day. Nothing here is measured; every seller, item, price and
person is made up, only the units are the shipped ones.

Framework sellers (one per illustrative supplier of ``suppliers.csv``) serve every
unit at the demand model's frequency (``demand_rates.csv``: deliveries a week, kg per
child or pupil) on fixed weekdays per seller and district; tail sellers outside the
agreements serve a share of the units a few times a month. Quantities follow the demand
model with a deterministic spread, so the year is the same for the same seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from logistics.errors import ProblemCollector
from logistics.io.tables import load_table
from logistics.model.domain import Unit
from logistics.paths import DATA_DIR, DATASET_DIR
from logistics.purchases.school_calendar import SchoolCalendar

GENERATOR_DIR = DATA_DIR / "purchases"
SELLERS_FILE = GENERATOR_DIR / "generator_sellers.csv"
ITEMS_FILE = GENERATOR_DIR / "generator_items.csv"
POSTCODES_FILE = GENERATOR_DIR / "generator_postcodes.csv"
WEEKDAY_PATTERNS = {1: ((0,), (1,), (2,), (3,), (4,)), 2: ((0, 3), (1, 4)),
                    3: ((0, 2, 4),), 4: ((0, 1, 3, 4),), 5: ((0, 1, 2, 3, 4),)}
"""Weekdays (Monday = 0) a seller may keep for a district, by deliveries a week."""
SPREAD_SIGMA = 0.2
"""Lognormal spread of a delivery's kg around the demand model (assumption)."""
PACKAGING_FACTOR = 1.06
"""Gross weight on a despatch advice over the goods' net weight (assumption)."""
KG_PER_HANDLING_UNIT = 120.0
"""Goods per roll cage or box on a despatch advice (assumption)."""
WORKING_DAYS_PER_MONTH = 21.0
TAIL_ORDER_KG = (2.0, 25.0)
"""Range of an order from a seller outside the agreements, uniform (assumption)."""
SERVICE_LINE_SHARE = 0.03
"""Deliveries whose invoice also carries a fee or service line (assumption)."""
MEASURED = ("KGM", "LTR", "GRM")
"""Unit codes sold in any amount (not in whole units)."""


@dataclass(frozen=True)
class Item:
    """An item as sellers invoice it."""

    category: str
    item_id: str
    name: str
    unspsc: str
    classification: str
    unit_code: str
    kg_per_unit: float
    price_nok_per_unit: float
    vat_percent: float


@dataclass(frozen=True)
class Seller:
    """A seller of the GENERATED year (framework supplier or outside the agreements)."""

    id: str
    name: str
    kind: str
    supplier_id: str
    org_number: str
    street: str
    postal_code: str
    city: str
    categories: tuple[str, ...]
    billing: str
    despatch_advice: bool
    freight: str
    units_share: float
    orders_per_month: float

    @property
    def framework(self) -> bool:
        return self.kind == "framework"


@dataclass(frozen=True)
class Line:
    """One line of a delivery: an item and how many of its unit."""

    item: Item
    quantity: float

    @property
    def net_kg(self) -> float:
        return self.quantity * self.item.kg_per_unit

    @property
    def amount_nok(self) -> float:
        return round(self.quantity * self.item.price_nok_per_unit, 2)


@dataclass(frozen=True)
class Delivery:
    """What one seller brought to one unit on one day."""

    number: int
    seller: Seller
    unit: Unit
    day: dt.date
    lines: tuple[Line, ...]
    charges: tuple[Line, ...] = field(default=())

    @property
    def net_kg(self) -> float:
        return sum(line.net_kg for line in self.lines)

    @property
    def gross_kg(self) -> float:
        return round(self.net_kg * PACKAGING_FACTOR, 1)

    @property
    def handling_units(self) -> int:
        return max(1, math.ceil(self.gross_kg / KG_PER_HANDLING_UNIT))


@dataclass(frozen=True)
class YearScale:
    """How big a GENERATED year is: copies of each unit (GENERATED twins at the same
    site), copies of each tail seller, and weeks from 1 January."""

    unit_copies: int = 1
    tail_copies: int = 1
    weeks: int = 53


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_items(path: Path = ITEMS_FILE) -> dict[str, tuple[Item, ...]]:
    """The generator's items by category."""
    items: dict[str, list[Item]] = {}
    for row in _rows(path):
        item = Item(row["category"], row["item_id"], row["name"], row["unspsc"],
                    row["classification"], row["unit_code"], float(row["kg_per_unit"]),
                    float(row["price_nok_per_unit"]), float(row["vat_percent"]))
        items.setdefault(item.category, []).append(item)
    return {category: tuple(group) for category, group in items.items()}


def load_sellers(suppliers: Path, path: Path = SELLERS_FILE, tail_copies: int = 1
                 ) -> tuple[Seller, ...]:
    """The sellers; a framework seller's org number from the ``org_number`` column of
    ``suppliers`` when it has one. Tail sellers are repeated ``tail_copies`` times
    (copies get ids and org numbers of their own)."""
    supplier_rows = {row["id"]: row for row in _rows(suppliers)}
    problems = ProblemCollector()
    sellers: list[Seller] = []
    for number, row in enumerate(_rows(path), start=2):
        supplier = supplier_rows.get(row["supplier_id"])
        if row["kind"] == "framework" and supplier is None:
            problems.add(str(path), f"row {number}", "supplier_id", row["supplier_id"],
                         f"an id of {suppliers.name}: {sorted(supplier_rows)}")
            continue
        org_number = ((supplier or {}).get("org_number") or "").strip() or row["org_number"]
        seller = Seller(
            id=row["id"], name=row["name"], kind=row["kind"], supplier_id=row["supplier_id"],
            org_number=org_number, street=row["street"], postal_code=row["postal_code"],
            city=row["city"], categories=tuple(c for c in row["categories"].split(";") if c),
            billing=row["billing"], despatch_advice=row["despatch_advice"] == "true",
            freight=row["freight"], units_share=float(row["units_share"]),
            orders_per_month=float(row["orders_per_month"] or 0))
        copies = 1 if seller.framework else tail_copies
        for copy in range(copies):
            sellers.append(seller if copy == 0 else _copied_seller(seller, copy))
    problems.raise_if_any()
    return tuple(sellers)


def _copied_seller(seller: Seller, copy: int) -> Seller:
    base = int(seller.org_number[:8]) + 7919 * copy
    return Seller(**{**seller.__dict__, "id": f"{seller.id}-{copy + 1}",
                     "name": f"{seller.name} {copy + 1}",
                     "org_number": org_number_with_check_digit(base)})


def org_number_with_check_digit(first_eight: int) -> str:
    """A 9-digit Norwegian organisation number (modulus 11 check digit, weights
    3 2 7 6 5 4 3 2); the next number with a valid check digit when one has none."""
    while True:
        digits = f"{first_eight:08d}"[-8:]
        total = sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return f"{digits}{check}"
        first_eight += 1


def load_units(path: Path, unit_copies: int = 1) -> tuple[Unit, ...]:
    """The units (validated like every study table), each with ``unit_copies - 1``
    GENERATED twins at the same site (id suffixed ``-g2``, ``-g3``, ...)."""
    units = load_table(path, Unit)
    return tuple(unit if copy == 0 else unit.model_copy(update={
                     "id": f"{unit.id}-g{copy + 1}", "name": f"{unit.name} (GENERATED {copy + 1})"})
                 for unit in units for copy in range(unit_copies))


@dataclass(frozen=True)
class DemandRate:
    kg_per_size_per_week: float
    deliveries_per_week: int


def load_rates(dataset_dir: Path = DATASET_DIR) -> dict[tuple[str, str], DemandRate]:
    """The demand model's rates by (unit type, category)."""
    return {(row["unit_type"], row["category"]): DemandRate(
                float(row["kg_per_size_per_week"]), int(float(row["deliveries_per_week_today"])))
            for row in _rows(dataset_dir / "demand_rates.csv")}


class YearPlan:
    """The deliveries of a GENERATED year, streamed day by day."""

    def __init__(self, units: Sequence[Unit], sellers: Sequence[Seller],
                 items: dict[str, tuple[Item, ...]], rates: dict[tuple[str, str], DemandRate],
                 year: int, seed: int, weeks: int = 53) -> None:
        self.units = tuple(units)
        self.sellers = tuple(sellers)
        self.items = items
        self.rates = rates
        self.year = year
        self.seed = seed
        self.calendar = SchoolCalendar(year)
        self.first_day = dt.date(year, 1, 1)
        self.last_day = min(dt.date(year, 12, 31),
                            self.first_day + dt.timedelta(weeks=weeks, days=-1))
        self._customers = {s.id: self._customers_of(s) for s in sellers}
        self._weekdays: dict[tuple[str, str, str], tuple[int, ...]] = {}
        self._streams: dict[tuple[str, str], random.Random] = {}

    def rng(self, *parts: object) -> random.Random:
        """A random stream of its own for ``parts`` (deterministic by seed)."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def _customers_of(self, seller: Seller) -> tuple[Unit, ...]:
        if seller.framework:
            return self.units
        return tuple(u for u in self.units if self.rng("buys", seller.id, u.id).random()
                     < seller.units_share)

    def stream(self, seller: Seller, unit: Unit) -> random.Random:
        """The random stream of a seller and unit, drawn from day by day in order."""
        key = (seller.id, unit.id)
        found = self._streams.get(key)
        if found is None:
            found = self._streams[key] = self.rng("stream", *key)
        return found

    def weekdays(self, seller: Seller, unit: Unit, category: str) -> tuple[int, ...]:
        """The fixed weekdays ``seller`` serves ``unit`` with ``category``: the same for
        every unit of a district and type (frequencies differ by type)."""
        frequency = self.rates[(unit.unit_type, category)].deliveries_per_week
        key = (seller.id, category, f"{unit.district}:{frequency}")
        found = self._weekdays.get(key)
        if found is None:
            patterns = WEEKDAY_PATTERNS[max(1, min(5, frequency))]
            found = self._weekdays[key] = patterns[self.rng("days", *key)
                                                   .randrange(len(patterns))]
        return found

    def days(self) -> Iterator[dt.date]:
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def deliveries(self) -> Iterator[Delivery]:
        """Every delivery of the year in order of day, seller and unit."""
        number = 0
        for day in self.days():
            for seller in self.sellers:
                for unit in self._customers[seller.id]:
                    factor = self.calendar.demand_factor(unit.unit_type, day)
                    if factor == 0:
                        continue
                    lines = (self._framework_lines(seller, unit, day, factor) if seller.framework
                             else self._tail_lines(seller, unit, day))
                    if not lines:
                        continue
                    number += 1
                    yield Delivery(number, seller, unit, day, lines,
                                   self._charges(seller, unit))

    def _framework_lines(self, seller: Seller, unit: Unit, day: dt.date, factor: float
                         ) -> tuple[Line, ...]:
        lines: list[Line] = []
        for category in seller.categories:
            rate = self.rates.get((unit.unit_type, category))
            if rate is None or rate.kg_per_size_per_week <= 0 or \
                    day.weekday() not in self.weekdays(seller, unit, category):
                continue
            rng = self.stream(seller, unit)
            kg = (unit.size * rate.kg_per_size_per_week / rate.deliveries_per_week * factor
                  * rng.lognormvariate(-SPREAD_SIGMA ** 2 / 2, SPREAD_SIGMA))
            lines.extend(self._split(kg, self.items[category], rng))
        return tuple(lines)

    def _tail_lines(self, seller: Seller, unit: Unit, day: dt.date) -> tuple[Line, ...]:
        rng = self.stream(seller, unit)
        if rng.random() >= seller.orders_per_month / WORKING_DAYS_PER_MONTH:
            return ()
        categories = seller.categories or ("outside_categories",)
        category = categories[rng.randrange(len(categories))]
        kg = rng.uniform(*TAIL_ORDER_KG)
        return tuple(self._split(kg, self.items[category], rng))

    @staticmethod
    def _split(kg: float, items: Sequence[Item], rng: random.Random) -> list[Line]:
        """``kg`` as lines of 1 to 3 of ``items``; counted units rounded up to whole ones."""
        chosen = rng.sample(list(items), k=min(len(items), rng.randint(1, 3)))
        weights = [rng.uniform(0.5, 1.5) for _ in chosen]
        lines = []
        for item, weight in zip(chosen, weights, strict=True):
            share_kg = kg * weight / sum(weights)
            quantity = (round(share_kg / item.kg_per_unit, 1) if item.unit_code in MEASURED
                        else float(max(1, math.ceil(share_kg / item.kg_per_unit))))
            lines.append(Line(item, max(quantity, 0.1)))
        return lines

    def _charges(self, seller: Seller, unit: Unit) -> tuple[Line, ...]:
        """Freight and service lines: freight on every delivery of a seller charging
        it; now and then a small-order fee or a mat rental."""
        charges: list[Line] = []
        if seller.freight != "none":
            charges.append(Line(self.items["freight"][0], 1.0))
        rng = self.stream(seller, unit)
        if rng.random() < SERVICE_LINE_SHARE:
            services = self.items["service"]
            charges.append(Line(services[rng.randrange(len(services))], 1.0))
        return tuple(charges)
