"""The economics a budget needs: who pays the yearly cost, what setting a design up
costs once, its present cost over the contract period and the cost per tonne of CO2e
abated, each option against the baseline.

Payers: the municipality pays its hub (handling and fixed cost) and the hub's fleets
(``distribution`` and ``collection`` routes); suppliers pay their own vehicles
(``direct`` deliveries and ``trunk`` trips to the hub). A result that carries the KPIs
``cost_nok_municipality`` and ``cost_nok_suppliers`` is taken as it states them; older
results are split from their routes. One-off costs are the scenario's ``economics``
quantities times the unit prices of ``data/factors/one_off_costs.csv``; present values
use the discount rate of Finansdepartementet's rundskriv R-109/21 (4 % real) by default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ConfigDict

from logistics.errors import InputError, Problem
from logistics.io.tables import load_table
from logistics.paths import PROJECT_ROOT, VEHICLES_FILE
from logistics.scenarios.schema import ONE_OFF_ITEMS, EconomicsSpec
from logistics.validated import Frozen

SUPPLIER_ROUTE_KINDS = frozenset({"direct", "trunk"})
"""Route kinds the suppliers drive and pay for; every other kind is the hub's fleets."""
ELECTRIC_CARRIER = "electricity"
MUNICIPALITY_KPI, SUPPLIERS_KPI = "cost_nok_municipality", "cost_nok_suppliers"
KG_PER_TONNE = 1000.0


class CostedRoutes(Protocol):
    """Routes of one kind summed over a week (``report_inputs.RouteGroup``)."""

    @property
    def kind(self) -> str: ...

    @property
    def cost_nok(self) -> float: ...


class OneOffPrice(Frozen):
    """One row of ``one_off_costs.csv``: the unit price of a one-off item."""

    item: str
    basis: str
    cost_nok_per_unit: float
    price_level: str
    source: str


class _VehicleCarrier(Frozen):
    """The columns of ``vehicles.csv`` that say which vehicle types need a charger."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    energy_carrier: str


@dataclass(frozen=True)
class PayerCosts:
    """A scenario's yearly cost by payer."""

    municipality_nok_per_year: float
    suppliers_nok_per_year: float
    from_kpis: bool
    """Whether the result stated the split (else it was computed from routes.csv)."""

    @property
    def total_nok_per_year(self) -> float:
        return self.municipality_nok_per_year + self.suppliers_nok_per_year


@dataclass(frozen=True)
class OneOffCost:
    """One one-off item of a design: how many and what they cost."""

    item: str
    quantity: float
    cost_nok: float
    source: str


@dataclass(frozen=True)
class OptionEconomics:
    """An option's economics against the baseline (changes are option minus baseline;
    negative saves)."""

    scenario: str
    payers: PayerCosts
    municipality_change_nok_per_year: float
    suppliers_change_nok_per_year: float
    one_off: tuple[OneOffCost, ...]
    contract_years: int
    discount_rate: float
    present_cost_change_nok: float
    """All payers: one-off costs plus the yearly change discounted over the contract."""
    municipality_present_cost_change_nok: float
    co2e_t_per_year: float
    abated_co2e_t_per_year: float
    cost_nok_per_t_abated: float | None
    """Annualised one-off plus yearly cost change per tonne abated; ``None`` when the
    option abates nothing."""

    @property
    def one_off_nok(self) -> float:
        return sum(cost.cost_nok for cost in self.one_off)

    @property
    def total_change_nok_per_year(self) -> float:
        return self.municipality_change_nok_per_year + self.suppliers_change_nok_per_year

    @property
    def one_off_nok_per_year(self) -> float:
        """The one-off costs spread evenly over the contract as an annuity."""
        return self.one_off_nok / annuity_factor(self.discount_rate, self.contract_years)


def payer_costs(document: Mapping[str, Any], routes: Sequence[CostedRoutes]) -> PayerCosts:
    """The yearly cost of a result by payer: the result's own KPIs when it has them,
    otherwise its routes by kind plus the hub's cost for the municipality."""
    year = document["kpi_per_year"]
    if MUNICIPALITY_KPI in year and SUPPLIERS_KPI in year:
        return PayerCosts(float(year[MUNICIPALITY_KPI]), float(year[SUPPLIERS_KPI]), True)
    week = document["kpi_per_week"]
    weeks = float(year["cost_nok"]) / float(week["cost_nok"]) if week["cost_nok"] else 0.0
    suppliers = sum(g.cost_nok for g in routes if g.kind in SUPPLIER_ROUTE_KINDS)
    municipality = sum(g.cost_nok for g in routes if g.kind not in SUPPLIER_ROUTE_KINDS)
    municipality += float(week.get("hub_cost_nok") or 0.0)
    return PayerCosts(municipality * weeks, suppliers * weeks, False)


def economics_spec(document: Mapping[str, Any]) -> EconomicsSpec:
    """The ``economics`` block of a result's scenario (the defaults for older results)."""
    spec = document.get("scenario_spec", {}).get("economics")
    return EconomicsSpec() if spec is None else EconomicsSpec.from_data(
        spec, str(document.get("scenario", "result")), "economics")


def load_one_off_prices(path: Path) -> dict[str, OneOffPrice]:
    """The unit prices of ``path`` by item; every item of the scenario format must have
    a row."""
    prices = {row.item: row for row in load_table(path, OneOffPrice, key="item")}
    missing = [item for item in ONE_OFF_ITEMS if item not in prices]
    if missing:
        raise InputError([Problem(str(path), "", "item", f"no row for {', '.join(missing)}",
                                  f"one row per item: {', '.join(ONE_OFF_ITEMS)}")])
    return prices


def electric_vehicle_types(vehicles_file: Path = VEHICLES_FILE) -> frozenset[str]:
    """Ids of the vehicle types that run on electricity (each needs a charger)."""
    return frozenset(v.id for v in load_table(vehicles_file, _VehicleCarrier)
                     if v.energy_carrier == ELECTRIC_CARRIER)


def one_off_quantities(scenario_spec: Mapping[str, Any], electric: frozenset[str],
                       overrides: Mapping[str, float]) -> dict[str, float]:
    """How many of each one-off item a design needs: none for direct delivery; for a
    consolidated design one hub and its ICT, a charger per electric vehicle of the hub's
    fleets, no vehicles bought, one FTE-year for the transition; ``overrides`` win."""
    quantities = dict.fromkeys(ONE_OFF_ITEMS, 0.0)
    if scenario_spec.get("design") == "consolidated":
        fleet = scenario_spec.get("fleet") or {}
        chargers = sum(float(entry["count"]) for kind in ("hub", "collection")
                       for entry in fleet.get(kind) or [] if entry["vehicle_type"] in electric)
        quantities |= {"hub_setup": 1.0, "ict": 1.0, "chargers": chargers,
                       "transition_staff_fte_years": 1.0}
    return quantities | dict(overrides)


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 NOK paid at the end of each of ``years`` years at ``rate``."""
    if rate == 0:
        return float(years)
    return -math.expm1(-years * math.log1p(rate)) / rate  # exact for tiny rates too


def present_cost_nok(yearly_nok: float, one_off_nok: float, rate: float, years: int) -> float:
    """One-off costs now plus a yearly cost over ``years`` years, discounted at ``rate``."""
    return one_off_nok + yearly_nok * annuity_factor(rate, years)


def cost_per_tonne_abated(yearly_change_nok: float, one_off_nok: float, abated_t: float,
                          rate: float, years: int) -> float | None:
    """NOK per tonne CO2e abated: the yearly cost change plus the one-off cost spread
    evenly (as an annuity) over the contract, over the tonnes abated a year; ``None``
    when nothing is abated."""
    if abated_t <= 0:
        return None
    return (yearly_change_nok + one_off_nok / annuity_factor(rate, years)) / abated_t


def option_economics(documents: Sequence[Mapping[str, Any]],
                     routes: Mapping[str, Sequence[CostedRoutes]], baseline: str,
                     vehicles_file: Path = VEHICLES_FILE) -> list[OptionEconomics]:
    """Each result's economics against ``baseline`` (the baseline's own row included,
    with no change), in the order given."""
    electric = electric_vehicle_types(vehicles_file)
    payers = {str(d["scenario"]): payer_costs(d, routes[str(d["scenario"])])
              for d in documents}
    base_doc = next(d for d in documents if d["scenario"] == baseline)
    base = payers[baseline]
    base_co2e_t = float(base_doc["kpi_per_year"]["co2e_wtw_kg"]) / KG_PER_TONNE
    options = []
    for document in documents:
        name = str(document["scenario"])
        spec = economics_spec(document)
        prices = load_one_off_prices(PROJECT_ROOT / spec.one_off_costs_file)
        quantities = one_off_quantities(document.get("scenario_spec", {}), electric,
                                        spec.one_off)
        one_off = tuple(OneOffCost(item, quantity, quantity * prices[item].cost_nok_per_unit,
                                   prices[item].source)
                        for item, quantity in quantities.items() if quantity)
        one_off_nok = sum(cost.cost_nok for cost in one_off)
        mine = payers[name]
        municipality = mine.municipality_nok_per_year - base.municipality_nok_per_year
        suppliers = mine.suppliers_nok_per_year - base.suppliers_nok_per_year
        rate, years = spec.discount_rate, spec.contract_years
        co2e_t = float(document["kpi_per_year"]["co2e_wtw_kg"]) / KG_PER_TONNE
        abated = base_co2e_t - co2e_t
        options.append(OptionEconomics(
            name, mine, municipality, suppliers, one_off, years, rate,
            present_cost_nok(municipality + suppliers, one_off_nok, rate, years),
            present_cost_nok(municipality, one_off_nok, rate, years), co2e_t, abated,
            None if name == baseline else cost_per_tonne_abated(
                municipality + suppliers, one_off_nok, abated, rate, years)))
    return options


def round_significant(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant figures (what a planning estimate
    supports): 70 728 -> 71 000 with two."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))
