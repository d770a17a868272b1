"""Factor tables: the shipped tables load, cover the catalogue, and bad files are rejected
with every problem listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from logistics.errors import InputError
from logistics.io.tables import load_table
from logistics.model.domain import EnergyCarrier, VehicleType
from logistics.model.factors import PRICE_BASE_YEAR, euro_stage, load_factor_tables
from logistics.paths import FACTORS_DIR
from tests.factor_helpers import make_vehicle

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def factors():
    return load_factor_tables()


def test_shipped_tables_carry_a_source_on_every_row(factors) -> None:
    rows = [*factors.energy_carriers.values(), *factors.electricity.values(),
            *factors.exhaust.values(), *factors.non_exhaust.values(),
            *factors.carbon_prices.values(), *factors.external_costs.values()]
    assert len(rows) > 25
    assert all(len(row.source) > 20 for row in rows)


def test_shipped_tables_hold_the_published_anchor_values(factors) -> None:
    diesel = factors.carrier(EnergyCarrier.DIESEL)
    # Miljødirektoratet: 0.265 kg CO2/kWh, 10.056 kWh/l -> 2.66 kg CO2/l
    assert diesel.kwh_per_unit == 10.056
    assert diesel.fossil_ttw_co2e_kg_per_kwh / 1.01 * diesel.kwh_per_unit == pytest.approx(
        2.66, abs=0.01)
    assert factors.electricity_basis("location_nve_2022").co2e_kg_per_kwh == 0.019
    assert factors.electricity_basis("residual_mix_nve_2020").co2e_kg_per_kwh == 0.402
    assert factors.electricity_basis("zero_kommune_inventory").co2e_kg_per_kwh == 0.0
    # NOK 2 000 in 2030 at 2020 prices, in 2024 kroner with the CPI (133.6 / 112.2)
    assert factors.carbon_price(2030).nok_per_t_co2e == pytest.approx(2000 * 133.6 / 112.2)
    prices = [factors.carbon_prices[y].nok_per_t_co2e for y in sorted(factors.carbon_prices)]
    assert prices == sorted(prices)


def test_shipped_tables_cover_every_vehicle_of_the_catalogue(factors) -> None:
    vehicle_types = load_table(REPO / "data" / "vehicles.csv", VehicleType)
    assert vehicle_types
    factors.check_covers(vehicle_types, area="town_over_100k")


def test_uncovered_vehicle_types_are_all_named(factors) -> None:
    old_van = make_vehicle(id="old-van", euro_class="Euro 3")
    bike_on_diesel = make_vehicle(id="diesel-bike", vehicle_class="cargo_bike")
    with pytest.raises(InputError) as caught:
        factors.check_covers([old_van, bike_on_diesel], area="town_over_100k")
    locations = [p.location for p in caught.value.problems]
    assert "vehicle type old-van" in locations
    assert locations.count("vehicle type diesel-bike") == 2  # exhaust and external cost


@pytest.mark.parametrize(("text", "stage"), [
    ("Euro 6", "6"), ("Euro VI", "6"), ("euro vi", "6"), ("Euro V", "5"), ("EURO 5", "5"),
    ("Euro 6d-temp", "6d-temp"), ("none", "none"), ("", "none"), ("any", "any"),
])
def test_euro_classes_are_normalised(text: str, stage: str) -> None:
    assert euro_stage(text) == stage


def test_euro_sub_stage_falls_back_to_its_stage_number(factors) -> None:
    van = make_vehicle(euro_class="Euro 6d-temp")
    assert factors.exhaust_for(van) is factors.exhaust_for(make_vehicle(euro_class="Euro 6"))


def test_unknown_electricity_basis_names_the_allowed_ones(factors) -> None:
    with pytest.raises(InputError) as caught:
        factors.electricity_basis("green_certificates")
    (problem,) = caught.value.problems
    assert problem.found == "green_certificates"
    assert "location_nve_2022" in problem.allowed and "residual_mix_nve_2020" in problem.allowed


def _copy_tables(tmp_path: Path) -> Path:
    folder = tmp_path / "factors"
    shutil.copytree(FACTORS_DIR, folder)
    return folder


def test_bad_tables_are_rejected_listing_every_problem(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "exhaust.csv").write_text(
        "vehicle_class,energy_carrier,euro_class,nox_g_per_km,pm_g_per_km,source\n"
        "van,diesel,Euro 6,0.6,0.0015,ok\n"
        "lorry,diesel,Euro 6,0.6,0.0015,unknown class\n"
        "van,petrol,Euro 6,0.6,0.0015,unknown carrier\n"
        "van,hvo100,Euro 6,-1,0.0015,negative NOx\n"
        "van,biogas,Euro 6,0.1,lots,pm not a number\n"
        "van,diesel,Euro 6,0.5,0.001,duplicate of row 1\n"
        "rigid_truck,diesel,Euro VI,0.8,0.01,\n"
        "van,electricity,any,0.1,0,electric with exhaust\n",
        encoding="utf-8")
    (folder / "electricity.csv").write_text(
        "basis,year,co2e_kg_per_kwh,description,source\n"
        "location_nve_2022,2022,19,grams instead of kg,NVE\n",
        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    found = {(p.source, p.location, p.field) for p in caught.value.problems}
    exhaust = "factor table exhaust.csv"
    assert found == {
        (exhaust, "row 3", "vehicle_class"),
        (exhaust, "row 4", "energy_carrier"),
        (exhaust, "row 5", "nox_g_per_km"),
        (exhaust, "row 6", "pm_g_per_km"),
        (exhaust, "row 7", "vehicle_class, energy_carrier, euro_class"),
        (exhaust, "row 8", "source"),
        (exhaust, "row 9", "nox_g_per_km"),
        ("factor table electricity.csv", "row 2", "co2e_kg_per_kwh"),
    }
    assert "8 input problems" in str(caught.value)


def test_missing_columns_and_files_are_reported_together(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "non_exhaust_pm.csv").write_text("vehicle_class,tyre_pm10_mg_per_km\nvan,10\n",
                                              encoding="utf-8")
    (folder / "carbon_price.csv").unlink()
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    by_source = {p.source: p for p in caught.value.problems}
    assert set(by_source) == {"factor table non_exhaust_pm.csv", "factor table carbon_price.csv"}
    assert "brake_pm10_mg_per_km" in by_source["factor table non_exhaust_pm.csv"].field
    assert "missing" in by_source["factor table carbon_price.csv"].found


def test_a_price_year_without_a_cpi_row_is_reported(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    path = folder / "carbon_price.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + '2031,2100,1999,"a row of a year the CPI table lacks"\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    (problem,) = caught.value.problems
    assert (problem.source, problem.location, problem.field, problem.found) == (
        "factor table carbon_price.csv", "year=2031", "price_year", "1999")
    assert "2015" in problem.allowed and "2024" in problem.allowed


def test_rows_of_any_price_year_are_converted_to_the_base_year(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "carbon_price.csv").write_text(
        "year,nok_per_t_co2e,price_year,source\n"
        "2025,1000,2020,in 2020 kroner\n2026,1000,2024,in 2024 kroner\n", encoding="utf-8")
    factors = load_factor_tables(folder)
    # CPI (2015 = 100): 112.2 in 2020, 133.6 in 2024 (SSB table 03014)
    assert factors.carbon_price(2025).nok_per_t_co2e == pytest.approx(1000 * 133.6 / 112.2)
    assert factors.carbon_price(2026).nok_per_t_co2e == pytest.approx(1000)
    # 100 SEK of 2019: x 0.9303 NOK/SEK (2019 average), x 133.6 / 110.8 (CPI 2019 -> 2024)
    assert factors.to_base_nok(100, 2019, "SEK") == pytest.approx(93.03 * 133.6 / 110.8)
    assert PRICE_BASE_YEAR == 2024


def test_the_shipped_vintage_is_one_reference_year_in_base_year_kroner() -> None:
    from logistics.accounting.emissions import EmissionSettings
    from logistics.model.factors import REFERENCE_YEAR
    from logistics.scenarios.schema import EmissionsSpec

    factors = load_factor_tables()
    assert EmissionSettings().carbon_price_year == EmissionsSpec().carbon_price_year \
        == REFERENCE_YEAR
    vintage = EmissionSettings().describe(factors).as_json()["vintage"]
    assert vintage == {"reference_year": REFERENCE_YEAR,
                       "carbon_price": f"{REFERENCE_YEAR}, from 2020 NOK",
                       "price_base_year": 2024,
                       "electricity": 2022, "diesel_bio_share": 2020}
    # 2023's nominal tax inflated to 2024 kroner; the straight line in 2020 kroner too
    assert factors.carbon_price(2023).nok_per_t_co2e == pytest.approx(952 * 133.6 / 129.6)
    for year in range(2024, 2030):
        expected = (824 + (2000 - 824) * (year - 2023) / 7) * 133.6 / 112.2
        assert factors.carbon_price(year).nok_per_t_co2e == pytest.approx(expected, abs=0.6)


def test_a_missing_energy_carrier_row_is_reported(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    path = folder / "energy_carriers.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("biogas,")),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    (problem,) = caught.value.problems
    assert problem.allowed == "a row for biogas"


def test_three_bad_rows_in_two_files_are_reported_at_once(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "carbon_price.csv").write_text(
        "year,nok_per_t_co2e,price_year,source\n"
        "2025,1251,2020,ok\n"
        "soon,1300,2020,year not a number\n"
        "2026,-5,2020,negative price\n",
        encoding="utf-8")
    (folder / "external_costs.csv").write_text(
        "vehicle_class,zero_emission,area,local_air_nok_per_vkm,noise_nok_per_vkm,"
        "congestion_nok_per_vkm,accidents_nok_per_vkm,road_wear_nok_per_vkm,price_year,source\n"
        "van,maybe,town_over_100k,0.8,0.5,2.3,0.1,0.1,2020,not a boolean\n",
        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    found = {(p.source, p.location, p.field, p.found) for p in caught.value.problems}
    assert found == {
        ("factor table carbon_price.csv", "row 3", "year", "'soon'"),
        ("factor table carbon_price.csv", "row 4", "nok_per_t_co2e", "'-5'"),
        ("factor table external_costs.csv", "row 2", "zero_emission", "'maybe'"),
    }
    allowed = {p.field: p.allowed for p in caught.value.problems}
    assert "integer" in allowed["year"]
    assert "greater than or equal to 0" in allowed["nok_per_t_co2e"]
    assert "true or false" in allowed["zero_emission"]
    assert "3 input problems" in str(caught.value)


def test_booleans_are_spelled_as_before_and_duplicate_keys_compare_parsed(
        tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    header = ("vehicle_class,zero_emission,area,local_air_nok_per_vkm,noise_nok_per_vkm,"
              "congestion_nok_per_vkm,accidents_nok_per_vkm,road_wear_nok_per_vkm,price_year,"
              "source\n")
    spellings = ["true", "YES", "1", "False", "no", "0"]
    (folder / "external_costs.csv").write_text(
        header + "".join(f"van,{s},area_{i},0.8,0.5,2.3,0.1,0.1,2020,ok\n"
                         for i, s in enumerate(spellings)), encoding="utf-8")
    costs = load_factor_tables(folder).external_costs
    assert [costs[key].zero_emission for key in sorted(costs, key=lambda k: k[2])] == [
        True, True, True, False, False, False]
    (folder / "external_costs.csv").write_text(
        header + "van,on,a,0.8,0.5,2.3,0.1,0.1,2020,pydantic spelling\n"
                 "van,yes,a,0.8,0.5,2.3,0.1,0.1,2020,first\n"
                 "van,TRUE,a,0.8,0.5,2.3,0.1,0.1,2020,same key\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    assert {(p.location, p.field) for p in caught.value.problems} == {
        ("row 2", "zero_emission"), ("row 4", "vehicle_class, zero_emission, area")}


def test_a_file_the_shared_reader_rejects_is_reported_with_the_other_files(
        tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "exhaust.csv").write_bytes(b"vehicle_class,energy_carrier\nvan,\xff\n")
    (folder / "carbon_price.csv").write_text(
        "year,nok_per_t_co2e,price_year,source\n2025,lots,2020,ok\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_factor_tables(folder)
    by_field = {p.field: p for p in caught.value.problems}
    assert set(by_field) == {"encoding", "nok_per_t_co2e"}
    assert by_field["encoding"].source.endswith("exhaust.csv")
    assert by_field["nok_per_t_co2e"].source == "factor table carbon_price.csv"
