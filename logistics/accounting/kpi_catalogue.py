"""What each KPI is: its name, unit, decimals shown and how it adds up.

One entry per KPI, in the order of the KPI table's columns. The accounting's
:data:`~logistics.accounting.kpi.KPI_COLUMNS` and
:data:`~logistics.accounting.kpi.RATIO_KPIS` and the comparison table's decimals
(:mod:`logistics.outputs.tables`) are read from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Aggregation = Literal["sum", "ratio", "peak", "mean"]
"""How a KPI adds up over routes and weeks: ``sum`` (a total, so a year is the week times
the weeks worked), ``ratio`` (a share or load factor), ``peak`` (a busiest-day count or
size) or ``mean`` (an average per item); only sums scale with the period."""


@dataclass(frozen=True)
class KpiSpec:
    """One KPI: its name in results, its unit, the decimals shown and its aggregation."""

    name: str
    unit: str
    decimals: int
    aggregation: Aggregation

    @property
    def scales_with_period(self) -> bool:
        """True when the KPI of a year is the week's times the weeks (a total); shares,
        ratios, peaks and means are the same in every period."""
        return self.aggregation == "sum"


def _sums(unit: str, decimals: int, *names: str) -> tuple[KpiSpec, ...]:
    return tuple(KpiSpec(name, unit, decimals, "sum") for name in names)


KPI_CATALOGUE: tuple[KpiSpec, ...] = (
    *_sums("count", 0, "deliveries", "hub_inbound_trips"),
    *_sums("km", 0, "vehicle_km", "vehicle_km_driven", "vehicle_km_inbound"),
    KpiSpec("vehicle_hours", "h", 1, "sum"),
    *_sums("count", 0, "routes", "stops"),
    KpiSpec("vehicles_used", "vehicles", 0, "peak"),
    KpiSpec("vehicles_used_incl_inbound", "vehicles", 0, "peak"),
    *_sums("t*km", 0, "tonne_km", "tonne_km_distribution", "tonne_km_inbound"),
    *(KpiSpec(name, "share", 2, "ratio") for name in (
        "load_factor", "load_factor_distribution_kg", "load_factor_inbound_kg",
        "load_factor_distribution_m3", "load_factor_inbound_m3")),
    *_sums("kWh", 0, "energy_kwh", "hub_energy_kwh"),
    *_sums("kg", 0, "co2e_ttw_kg", "co2e_wtw_kg", "co2e_wtw_kg_inbound", "hub_co2e_wtw_kg"),
    *_sums("g", 0, "nox_g", "pm_g"),
    *_sums("NOK", 0, "cost_nok", "cost_nok_inbound", "hub_cost_nok", "cost_nok_municipality",
           "cost_nok_suppliers", "social_cost_nok", "external_cost_nok"),
    KpiSpec("served_demand_share", "share", 3, "ratio"),
    KpiSpec("units_fully_served_share", "share", 3, "ratio"),
    *_sums("count", 0, "unserved_orders", "unserved_deliveries"),
    KpiSpec("late_minutes", "min", 0, "sum"),
    *_sums("items", 0, "reuse_items_collected", "reuse_items_delivered"),
    *_sums("kg", 0, "reuse_kg_delivered", "avoided_embodied_co2e_kg"),
    KpiSpec("reuse_moves_unserved", "count", 0, "sum"),
    KpiSpec("hub_dwell_hours_mean", "h", 1, "mean"),
    KpiSpec("routes_leaving_before_goods", "count", 0, "sum"),
    KpiSpec("hub_chilled_store_m3", "m3", 1, "peak"),
    KpiSpec("hub_storage_energy_kwh", "kWh", 0, "sum"),
    KpiSpec("carrier_shipments", "count", 0, "sum"),
    KpiSpec("carrier_kg", "kg", 0, "sum"),
    KpiSpec("carrier_tonne_km", "t*km", 0, "sum"),
    KpiSpec("carrier_co2e_wtw_kg", "kg", 0, "sum"),
    KpiSpec("carrier_cost_nok", "NOK", 0, "sum"),
)
"""Every KPI, in the KPI table's column order."""

KPIS: dict[str, KpiSpec] = {spec.name: spec for spec in KPI_CATALOGUE}
"""The catalogue by KPI name."""
