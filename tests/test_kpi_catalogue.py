"""The KPI catalogue states each KPI once; the accounting's columns and ratio set and the
comparison table's decimals are read from it and are what the result files publish."""

from __future__ import annotations

import pytest

from api.models import kpi_description, kpi_unit
from logistics.accounting.carriers import CARRIER_KPIS
from logistics.accounting.kpi import KPI_COLUMNS, RATIO_KPIS, weekly_kpis
from logistics.accounting.kpi_catalogue import KPI_CATALOGUE, KPIS
from logistics.outputs import catalogues
from logistics.outputs.catalogues import kpi_label_problems
from logistics.outputs.locale import Locale
from logistics.outputs.tables import KPI_LABELS

PUBLISHED_COLUMNS = (
    "deliveries", "hub_inbound_trips", "vehicle_km", "vehicle_km_driven", "vehicle_km_inbound",
    "vehicle_hours", "routes", "stops", "vehicles_used", "vehicles_used_incl_inbound",
    "tonne_km", "tonne_km_distribution", "tonne_km_inbound", "load_factor",
    "load_factor_distribution_kg", "load_factor_inbound_kg", "load_factor_distribution_m3",
    "load_factor_inbound_m3", "energy_kwh", "hub_energy_kwh", "co2e_ttw_kg", "co2e_wtw_kg",
    "co2e_wtw_kg_inbound", "hub_co2e_wtw_kg", "nox_g", "pm_g", "cost_nok", "cost_nok_inbound",
    "hub_cost_nok", "cost_nok_municipality", "cost_nok_suppliers", "social_cost_nok",
    "external_cost_nok", "served_demand_share", "units_fully_served_share", "unserved_orders",
    "unserved_deliveries", "late_minutes", "reuse_items_collected", "reuse_items_delivered",
    "reuse_kg_delivered", "avoided_embodied_co2e_kg", "reuse_moves_unserved",
    "hub_dwell_hours_mean", "routes_leaving_before_goods", "hub_chilled_store_m3",
    "hub_storage_energy_kwh", "carrier_shipments", "carrier_kg", "carrier_tonne_km",
    "carrier_co2e_wtw_kg", "carrier_cost_nok")
"""The KPI columns of the result files (routes.csv sums, compare, studies), in order."""


def test_the_columns_are_the_catalogue_in_the_published_order() -> None:
    assert KPI_COLUMNS == PUBLISHED_COLUMNS
    assert len(KPIS) == len(KPI_CATALOGUE)  # each KPI once
    assert set(weekly_kpis([], [], [])) == set(KPI_COLUMNS)  # and each computed one listed
    assert KPI_COLUMNS[-len(CARRIER_KPIS):] == CARRIER_KPIS


def test_only_totals_scale_with_the_period() -> None:
    same_every_period = {
        "load_factor", "load_factor_distribution_kg", "load_factor_inbound_kg",
        "load_factor_distribution_m3", "load_factor_inbound_m3", "served_demand_share",
        "units_fully_served_share", "vehicles_used", "vehicles_used_incl_inbound",
        "hub_dwell_hours_mean", "hub_chilled_store_m3"}
    assert same_every_period == RATIO_KPIS
    assert {s.aggregation for s in KPI_CATALOGUE if s.name in RATIO_KPIS} == {
        "ratio", "peak", "mean"}


def test_the_table_shows_the_catalogue_decimals() -> None:
    digits = {label.key: label.digits for label in KPI_LABELS}
    assert digits["vehicle_hours"] == 1
    assert digits["served_demand_share"] == 3
    assert {digits[k] for k in digits if k.startswith("load_factor")} == {2}
    assert {digits[k] for k in ("vehicle_km", "cost_nok", "co2e_wtw_kg", "deliveries")} == {0}
    assert all(KPIS[key].decimals == value for key, value in digits.items())


def test_the_api_describes_each_kpi_as_the_catalogue_does() -> None:
    assert KPIS["vehicles_used"].description == (
        "vehicles on the peak day, suppliers' vehicles on trunk trips left out "
        "(count; same in every period)")
    assert KPIS["load_factor"].description == "tonne-km over capacity tonne-km (share 0..1)"
    assert set(KPI_COLUMNS) == set(KPIS)  # no KPI falls back to its bare name in the API
    assert {name: (kpi_description(name), kpi_unit(name)) for name in KPI_COLUMNS} == {
        name: (spec.description, spec.unit.split(" of ")[0]) for name, spec in KPIS.items()}
    assert kpi_unit("served_demand_share") == "share 0..1"


def test_a_kpi_label_is_written_once_and_read_by_every_table() -> None:
    labelled = {spec.name: spec.label for spec in KPI_CATALOGUE if spec.label is not None}
    assert {label.key: label.text for label in KPI_LABELS} == labelled
    assert labelled["co2e_wtw_kg"] == "CO2e WTW kg (incl. hub)"
    assert labelled["load_factor"] == "load factor"
    assert all(label.digits == KPIS[label.key].decimals for label in KPI_LABELS)
    english = Locale("en")
    assert [english.kpi(label) for label in KPI_LABELS] == [labelled[label.key]
                                                            for label in KPI_LABELS]


def test_the_check_finds_a_message_catalogue_with_another_english_label(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert kpi_label_problems() == []
    texts = dict(catalogues.english())
    texts["kpi.vehicle_km"] = "vehicle km"
    monkeypatch.setattr(catalogues, "english", lambda: texts)
    assert kpi_label_problems() == [
        "kpi.vehicle_km: English 'vehicle km' is not the KPI catalogue's label 'vehicle-km'"]
