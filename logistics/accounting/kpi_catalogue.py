"""What each KPI is: its name, unit, decimals shown, how it adds up, what it measures
and the English label it is shown with.

One entry per KPI, in the order of the KPI table's columns. The accounting's
:data:`~logistics.accounting.kpi.KPI_COLUMNS` and
:data:`~logistics.accounting.kpi.RATIO_KPIS` and the comparison table's decimals
(:mod:`logistics.outputs.tables`) are read from here; :attr:`KpiSpec.description` is
the text the API gives each KPI field, and :attr:`KpiSpec.label` the English label of
every table, chart, report and workbook (``python -m logistics.outputs.catalogues
check`` finds a message catalogue whose ``kpi.<name>`` English differs from it).
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
    """One KPI: its name in results, its unit, the decimals shown, its aggregation and
    what it measures."""

    name: str
    unit: str
    decimals: int
    aggregation: Aggregation
    what: str  # what it measures, in words
    label: str | None = None
    """The English label tables, the report and the workbook show (the bokmål one is
    the ``kpi.<name>`` entry of the message catalogues, keyed by this label); None for
    a KPI they do not show by name."""

    @property
    def description(self) -> str:
        """What the KPI measures with its unit, and, for peaks and means, that a year's
        is the week's (``"vehicles on the peak day (count; same in every period)"``)."""
        same = "; same in every period" if self.aggregation in ("peak", "mean") else ""
        return f"{self.what} ({self.unit}{same})"

    @property
    def scales_with_period(self) -> bool:
        """True when the KPI of a year is the week's times the weeks (a total); shares,
        ratios, peaks and means are the same in every period."""
        return self.aggregation == "sum"


KPI_CATALOGUE: tuple[KpiSpec, ...] = (
    KpiSpec("deliveries", "count", 0, "sum",
            "deliveries made",
            label="deliveries"),
    KpiSpec("hub_inbound_trips", "count", 0, "sum",
            "supplier trips into the hub",
            label="hub inbound trips"),
    KpiSpec("vehicle_km", "km", 0, "sum",
            "distance attributed to the municipality, suppliers' shared routes at their "
            "municipal share",
            label="vehicle-km"),
    KpiSpec("vehicle_km_driven", "km", 0, "sum",
            "distance driven",
            label="vehicle-km driven"),
    KpiSpec("vehicle_km_inbound", "km", 0, "sum",
            "of which on trunk trips and milk runs to the hub, attributed"),
    KpiSpec("vehicle_hours", "h", 1, "sum",
            "time on route attributed to the municipality",
            label="vehicle-hours"),
    KpiSpec("routes", "count", 0, "sum",
            "routes driven",
            label="routes"),
    KpiSpec("stops", "count", 0, "sum",
            "stops made"),
    KpiSpec("vehicles_used", "count", 0, "peak",
            "vehicles on the peak day, suppliers' vehicles on trunk trips left out",
            label="vehicles on peak day (without suppliers' trunk trips)"),
    KpiSpec("vehicles_used_incl_inbound", "count", 0, "peak",
            "vehicles on the peak day, suppliers' vehicles on trunk trips included",
            label="vehicles on peak day (with suppliers' trunk trips)"),
    KpiSpec("tonne_km", "t km", 0, "sum",
            "load carried times distance; goods through a hub ride twice, on a trip to the "
            "hub and on a delivery route",
            label="tonne-km (goods through a hub ride twice)"),
    KpiSpec("tonne_km_distribution", "t km", 0, "sum",
            "tonne-km on direct and hub delivery routes",
            label="of which on delivery routes t-km"),
    KpiSpec("tonne_km_inbound", "t km", 0, "sum",
            "tonne-km on trunk trips and milk runs to the hub",
            label="of which on trips to the hub t-km"),
    KpiSpec("load_factor", "share 0..1", 2, "ratio",
            "tonne-km over capacity tonne-km",
            label="load factor"),
    KpiSpec("load_factor_distribution_kg", "share 0..1", 2, "ratio",
            "tonne-km over capacity tonne-km of direct and hub delivery routes",
            label="load factor by mass, delivery routes"),
    KpiSpec("load_factor_inbound_kg", "share 0..1", 2, "ratio",
            "tonne-km over capacity tonne-km of trunk trips and milk runs",
            label="load factor by mass, trips to the hub"),
    KpiSpec("load_factor_distribution_m3", "share 0..1", 2, "ratio",
            "m3-km over capacity m3-km of direct and hub delivery routes",
            label="load factor by volume, delivery routes"),
    KpiSpec("load_factor_inbound_m3", "share 0..1", 2, "ratio",
            "m3-km over capacity m3-km of trunk trips and milk runs",
            label="load factor by volume, trips to the hub"),
    KpiSpec("energy_kwh", "kWh", 0, "sum",
            "energy the vehicles used",
            label="vehicle energy kWh"),
    KpiSpec("hub_energy_kwh", "kWh", 0, "sum",
            "energy the hub used",
            label="hub energy kWh"),
    KpiSpec("co2e_ttw_kg", "kg", 0, "sum",
            "CO2e tank-to-wheel"),
    KpiSpec("co2e_wtw_kg", "kg", 0, "sum",
            "CO2e well-to-wheel, the hub's included",
            label="CO2e WTW kg (incl. hub)"),
    KpiSpec("co2e_wtw_kg_inbound", "kg", 0, "sum",
            "of which on trunk trips and milk runs to the hub"),
    KpiSpec("hub_co2e_wtw_kg", "kg", 0, "sum",
            "CO2e of the hub's operations",
            label="of which hub CO2e kg"),
    KpiSpec("nox_g", "g", 0, "sum",
            "NOx",
            label="NOx g"),
    KpiSpec("pm_g", "g", 0, "sum",
            "particulate matter",
            label="PM g"),
    KpiSpec("cost_nok", "NOK", 0, "sum",
            "operating cost, the hub's included",
            label="cost NOK (incl. hub)"),
    KpiSpec("cost_nok_inbound", "NOK", 0, "sum",
            "of which trunk trips and milk runs to the hub"),
    KpiSpec("hub_cost_nok", "NOK", 0, "sum",
            "cost of the hub",
            label="of which hub NOK"),
    KpiSpec("cost_nok_municipality", "NOK", 0, "sum",
            "cost the municipality pays: hub, its delivery fleet, its milk runs",
            label="paid by the municipality NOK (hub, own fleet)"),
    KpiSpec("cost_nok_suppliers", "NOK", 0, "sum",
            "cost the suppliers pay: their direct routes and trunk trips",
            label="paid by suppliers NOK (their routes, trunk trips)"),
    KpiSpec("social_cost_nok", "NOK", 0, "sum",
            "carbon price of the CO2e (the hub's included) plus the external cost"),
    KpiSpec("external_cost_nok", "NOK", 0, "sum",
            "external cost of the vehicle-km without the carbon price: local air pollution, "
            "noise, congestion, accidents, road wear",
            label="external cost NOK (no carbon price)"),
    KpiSpec("served_demand_share", "share 0..1 of kg", 3, "ratio",
            "demand delivered",
            label="served demand share"),
    KpiSpec("units_fully_served_share", "share 0..1", 3, "ratio",
            "units with every delivery made"),
    KpiSpec("unserved_orders", "count", 0, "sum",
            "orders with a delivery not made"),
    KpiSpec("unserved_deliveries", "count", 0, "sum",
            "deliveries not made",
            label="unserved deliveries"),
    KpiSpec("late_minutes", "min", 0, "sum",
            "minutes past time windows"),
    KpiSpec("reuse_items_collected", "count", 0, "sum",
            "reuse items collected"),
    KpiSpec("reuse_items_delivered", "count", 0, "sum",
            "reuse items delivered"),
    KpiSpec("reuse_kg_delivered", "kg", 0, "sum",
            "reuse goods delivered"),
    KpiSpec("avoided_embodied_co2e_kg", "kg", 0, "sum",
            "embodied CO2e avoided by reuse"),
    KpiSpec("reuse_moves_unserved", "count", 0, "sum",
            "reuse moves not made"),
    KpiSpec("hub_dwell_hours_mean", "h", 1, "mean",
            "mean wait of goods at the hub, unloaded to departure"),
    KpiSpec("routes_leaving_before_goods", "count", 0, "sum",
            "distribution routes leaving before their goods are unloaded at the hub"),
    KpiSpec("hub_chilled_store_m3", "m3", 1, "peak",
            "chilled store the busiest night needs, goods kept overnight"),
    KpiSpec("hub_storage_energy_kwh", "kWh", 0, "sum",
            "electricity of that chilled store"),
    KpiSpec("carrier_shipments", "count", 0, "sum",
            "shipments handed to parcel and groupage carriers",
            label="carrier shipments"),
    KpiSpec("carrier_kg", "kg", 0, "sum",
            "goods handed to carriers"),
    KpiSpec("carrier_tonne_km", "t km", 0, "sum",
            "carriers' load times shortest distance"),
    KpiSpec("carrier_co2e_wtw_kg", "kg", 0, "sum",
            "CO2e well-to-wheel of the carriers' shipments",
            label="of which carriers CO2e kg"),
    KpiSpec("carrier_cost_nok", "NOK", 0, "sum",
            "price of the carriers' shipments",
            label="of which carriers NOK"),
)
"""Every KPI, in the KPI table's column order."""

KPIS: dict[str, KpiSpec] = {spec.name: spec for spec in KPI_CATALOGUE}
"""The catalogue by KPI name."""
