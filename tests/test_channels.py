"""Carrier channels: the files, a shipment's account by hand, the shipped intensities
recomputed from the tables they cite, and carrier flows through both designs."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logistics.accounting.carriers import account_shipment, carrier_totals
from logistics.cli.app import app
from logistics.errors import InputError
from logistics.model.dataset import load_dataset
from logistics.paths import DATA_DIR, DATASET_DIR, FACTORS_DIR, SHIPPED_SCENARIOS_DIR
from logistics.pipeline.scenario_check import scenario_channels, scenario_orders
from logistics.plan.builder import Plan, PlanBuilder
from logistics.plan.channels import CarrierShipment, Channel, ChannelTable, load_channels
from logistics.plan.deliveries import Delivery
from logistics.plan.sites import vehicle_profile
from logistics.scenarios.files import load_scenario
from logistics.scenarios.schema import Scenario
from logistics.travel.crowfly import CrowFlyModel

RATES = FACTORS_DIR / "carrier_intensities.csv"
CARRIED = {"medical_consumables", "office_school_supplies"}


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[next(iter(row))]: row for row in csv.DictReader(handle)}


def _shipped() -> ChannelTable:
    dataset = load_dataset()
    return load_channels(DATASET_DIR / "channels.csv", RATES, (s.id for s in dataset.suppliers),
                         (c.id for c in dataset.categories), dataset.vehicle_types)


def test_a_shipment_is_accounted_by_hand() -> None:
    rate = _shipped().rates[Channel.PARCEL]
    delivery = Delivery("o1", "u1", "medical_consumables", "sup-medical", "mon", 20.0, 0.1)
    account = account_shipment(CarrierShipment(delivery, rate, "u1", 15_000.0), 1000.0)
    # 20 kg over 15 km = 0.3 tonne-km; GLEC van 0.842 kg CO2e WTW per tonne-km
    assert account.tonne_km == pytest.approx(0.3)
    assert account.emissions.co2e_wtw_kg == pytest.approx(0.3 * 0.842)
    assert account.emissions.co2e_ttw_kg == pytest.approx(0.3 * 0.6731)
    assert account.emissions.nox_g == pytest.approx(0.3 * 1.7308)
    # NOK 120 a shipment + 1.5 per kg; carbon at NOK 1000/t
    assert account.cost_nok == pytest.approx(120 + 20 * 1.5)
    assert account.social_cost_nok == pytest.approx(0.3 * 0.842)
    hub = account_shipment(CarrierShipment(delivery, rate, "kokstad", 15_000.0), 1000.0)
    totals = carrier_totals([account, hub])
    assert totals["deliveries"] == 1  # the one to the hub is delivered by the hub's fleet
    assert totals["carrier_shipments"] == 2
    assert totals["cost_nok"] == totals["carrier_cost_nok"] == pytest.approx(2 * 150)


def _diesel_kg_per_kwh() -> tuple[float, float]:
    """TTW and WTW kg CO2e per kWh of road diesel as sold (energy_carriers.csv)."""
    row = _rows(FACTORS_DIR / "energy_carriers.csv")["diesel"]
    bio = float(row["bio_share_energy"])
    ttw = ((1 - bio) * float(row["fossil_ttw_co2e_kg_per_kwh"])
           + bio * float(row["bio_ttw_other_co2e_kg_per_kwh"]))
    wtt = ((1 - bio) * float(row["fossil_wtt_co2e_kg_per_kwh"])
           + bio * float(row["bio_wtt_co2e_kg_per_kwh"]))
    return ttw, ttw + wtt


def _per_vkm(vehicle_class: str, euro: str) -> tuple[float, float]:
    """NOx and PM10 (exhaust + non-exhaust) g per vehicle-km of a diesel vehicle."""
    with (FACTORS_DIR / "exhaust.csv").open(newline="", encoding="utf-8") as handle:
        exhaust = next(r for r in csv.DictReader(handle) if (
            r["vehicle_class"], r["energy_carrier"], r["euro_class"]) == (
            vehicle_class, "diesel", euro))
    wear = _rows(FACTORS_DIR / "non_exhaust_pm.csv")[vehicle_class]
    wear_g = sum(float(wear[f"{part}_pm10_mg_per_km"]) for part in ("tyre", "brake", "road"))
    return float(exhaust["nox_g_per_km"]), float(exhaust["pm_g_per_km"]) + wear_g / 1000


def test_the_groupage_intensities_follow_from_the_tables_they_cite() -> None:
    lorry = _rows(DATA_DIR / "vehicles.csv")["rigid-diesel-16t"]
    empty, full = float(lorry["energy_kwh_per_km_empty"]), float(lorry["energy_kwh_per_km_full"])
    load_factor, empty_share, distance_adjustment = 0.5, 0.2, 1.05  # stated in the row
    kwh_per_vkm = (1 - empty_share) * (empty + load_factor * (full - empty)) \
        + empty_share * empty
    tkm_per_vkm = float(lorry["capacity_kg"]) / 1000 * load_factor * (1 - empty_share)
    ttw, wtw = _diesel_kg_per_kwh()
    nox, pm = _per_vkm("rigid_truck", "Euro VI")
    row = _rows(RATES)["groupage"]
    per_tkm = distance_adjustment / tkm_per_vkm
    assert float(row["co2e_wtw_kg_per_tkm"]) == pytest.approx(kwh_per_vkm * wtw * per_tkm,
                                                              abs=5e-4)
    assert float(row["co2e_ttw_kg_per_tkm"]) == pytest.approx(kwh_per_vkm * ttw * per_tkm,
                                                              abs=5e-4)
    assert float(row["nox_g_per_tkm"]) == pytest.approx(nox * per_tkm, abs=5e-4)
    assert float(row["pm_g_per_tkm"]) == pytest.approx(pm * per_tkm, abs=5e-5)


def test_the_parcel_split_and_pollutants_follow_from_the_tables_they_cite() -> None:
    row = _rows(RATES)["parcel"]
    ttw, wtw = _diesel_kg_per_kwh()
    assert float(row["co2e_ttw_kg_per_tkm"]) == pytest.approx(
        float(row["co2e_wtw_kg_per_tkm"]) * ttw / wtw, abs=5e-4)
    nox, pm = _per_vkm("van", "Euro 6")
    per_tkm = 1.05 / (1.0 * 0.40 * 0.91)  # GLEC van: 1 t, 40 % load, 9 % empty running
    assert float(row["nox_g_per_tkm"]) == pytest.approx(nox * per_tkm, abs=5e-4)
    assert float(row["pm_g_per_tkm"]) == pytest.approx(pm * per_tkm, abs=5e-5)


def test_every_problem_of_both_files_is_named(tmp_path: Path) -> None:
    channels = tmp_path / "channels.csv"
    channels.write_text("applies_to,channel,basis\nmedical_consumables,drone,x\n"
                        "nobody,parcel,x\nbakery,groupage,x\n", encoding="utf-8")
    rates = tmp_path / "rates.csv"
    header, parcel = RATES.read_text(encoding="utf-8").splitlines()[:2]
    rates.write_text("\n".join([header, parcel.replace("van-diesel", "hovercraft", 1),
                                parcel.replace("parcel", "own_fleet", 1)]) + "\n",
                     encoding="utf-8")
    dataset = load_dataset()
    with pytest.raises(InputError) as raised:
        load_channels(channels, rates, (s.id for s in dataset.suppliers),
                      (c.id for c in dataset.categories), dataset.vehicle_types)
    message = str(raised.value)
    for fragment in ("channels.csv: row 1 (applies_to=medical_consumables): field 'channel'",
                     "'drone'", "'own_fleet', 'parcel' or 'groupage'",
                     "channels.csv: row 2 (applies_to=nobody): field 'applies_to'",
                     "row 3 (applies_to=bakery): field 'channel': found 'groupage'",
                     "rates.csv: row 1 (channel=parcel): field 'vehicle_type': found "
                     "'hovercraft'",
                     "rates.csv: row 2 (channel=own_fleet): field 'channel'",
                     "a carrier channel"):
        assert fragment in message, message


def test_a_bad_channels_file_exits_2_on_the_command_line(tmp_path: Path) -> None:
    channels = tmp_path / "channels.csv"
    channels.write_text("applies_to,channel\nmedical_consumables,pigeon\n", encoding="utf-8")
    scenario = tmp_path / "case.yaml"
    scenario.write_text(f"name: case\nextends: direct\nchannels: {{file: {channels}}}\n",
                        encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(scenario)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "channels.csv" in result.output and "pigeon" in result.output


def test_a_category_row_wins_over_its_suppliers_row(tmp_path: Path) -> None:
    channels = tmp_path / "channels.csv"
    channels.write_text("applies_to,channel\nsup-cleaning,parcel\n"
                        "consumables_cleaning,own_fleet\n", encoding="utf-8")
    dataset = load_dataset()
    table = load_channels(channels, RATES, (s.id for s in dataset.suppliers),
                          (c.id for c in dataset.categories), dataset.vehicle_types)
    assert table.channel_of("sup-cleaning", "consumables_cleaning") is Channel.OWN_FLEET
    assert table.channel_of("sup-cleaning", "medical_consumables") is Channel.PARCEL
    assert table.channel_of("sup-dry-food", "dry_food") is Channel.OWN_FLEET


def _plan(design: str, dataset_dir: Path, overrides: Mapping[str, object]) -> Plan:
    scenario: Scenario = load_scenario(SHIPPED_SCENARIOS_DIR / f"{design}.yaml").with_overrides(
        {"dataset_dir": str(dataset_dir), **overrides})
    dataset = load_dataset(dataset_dir)
    builder = PlanBuilder(scenario, dataset, scenario_orders(scenario, dataset), CrowFlyModel(),
                          channels=scenario_channels(scenario, dataset))
    return builder.build()


def _routed_orders(plan: Plan) -> set[str]:
    routed = {o for p in plan.problems for job in p.problem.jobs for o in job.order_ids}
    for route in plan.inbound_routes:
        routed |= {d.order_id for ds in route.deliveries.values() for d in ds}
    return routed


@pytest.mark.parametrize("design", ["direct", "consolidated-ev"])
def test_carrier_flows_are_counted_not_routed(small_dataset_dir: Path, design: str) -> None:
    plan = _plan(design, small_dataset_dir, {})
    carried = [d for d in plan.deliveries if d.category in CARRIED]
    assert carried and not plan.unserved
    shipped = sorted((s.delivery.order_id, s.delivery.day) for s in plan.carrier_shipments)
    assert shipped == sorted((d.order_id, d.day) for d in carried)
    assert all(s.to_unit for s in plan.carrier_shipments)
    assert not {o for o in _routed_orders(plan) if o.split(":")[-1] in CARRIED}
    channels = {s.delivery.category: s.channel for s in plan.carrier_shipments}
    assert channels == {"medical_consumables": Channel.PARCEL,
                        "office_school_supplies": Channel.GROUPAGE}
    # the shortest distance is the travel model's, depot to unit, on the carrier's roads
    first = plan.carrier_shipments[0]
    vehicle_types = load_dataset(small_dataset_dir).vehicle_types
    profile = vehicle_profile(vehicle_types[first.rate.vehicle_type])
    index = {p.id: i for i, p in enumerate(plan.points)}
    assert first.distance_m == float(plan.matrices[profile.name].distance_m[
        index[first.delivery.supplier_id], index[first.delivery.unit_id]])


def test_carriers_to_the_hub_leave_the_last_mile_to_the_hub_fleet(
        small_dataset_dir: Path) -> None:
    plan = _plan("consolidated-ev", small_dataset_dir, {"channels.consolidated": "to_hub"})
    assert plan.carrier_shipments and not plan.unserved
    assert {s.destination_id for s in plan.carrier_shipments} == {"kokstad"}
    distributed = {o for p in plan.problems if p.kind == "distribution"
                   for job in p.problem.jobs for o in job.order_ids}
    assert {s.delivery.order_id for s in plan.carrier_shipments} <= distributed
    trunked = {d.order_id for r in plan.inbound_routes for ds in r.deliveries.values()
               for d in ds}
    assert not {o for o in trunked if o.split(":")[-1] in CARRIED}
