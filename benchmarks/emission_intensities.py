"""Per-vehicle emission intensities of the vehicle catalogue next to published defaults.

Run by hand: ``python benchmarks/emission_intensities.py``. Prints, for each vehicle of
``data/vehicles.csv`` at 50 % load: g CO2e per vehicle-km (TTW; WTW under the
location-based and residual-mix electricity bases), g CO2e WTW per tonne-km, NOx and PM.
Reference intensities follow the table (sources in ``data/factors/README.md`` and the
domain notes); they use other load factors, so compare orders of magnitude.
"""

from __future__ import annotations

from pathlib import Path

from logistics.accounting.emissions import EmissionSettings, leg_emissions
from logistics.io.tables import load_table
from logistics.model.domain import VehicleType
from logistics.model.factors import load_factor_tables

REPO = Path(__file__).resolve().parents[1]
REFERENCES = (
    ("DEFRA 2025 diesel van <3.5 t (UK)", "243 g CO2e/vkm"),
    ("DEFRA 2025 battery-electric van, UK grid", "76 g CO2e/vkm"),
    ("GLEC v3.2 van <3.5 t diesel, 40 % load, 9 % empty (Europe)", "842 g CO2e/tkm WTW"),
    ("GLEC v2 rigid 26-32 t diesel B5, average load", "95 g CO2e/tkm TTW"),
)


def main() -> None:
    factors = load_factor_tables()
    location = EmissionSettings(electricity_basis="location_nve_2022")
    residual = EmissionSettings(electricity_basis="residual_mix_nve_2020")
    vehicle_types = load_table(REPO / "data" / "vehicles.csv", VehicleType)
    header = (f"{'vehicle':28s} {'TTW g/vkm':>10s} {'WTW loc':>8s} {'WTW res':>8s} "
              f"{'g/tkm loc':>9s} {'g/tkm res':>9s} {'NOx g/km':>8s} {'PM mg/km':>8s}")
    print("At 50 % load; loc = NVE 2022 location-based, res = NVE 2020 residual mix;"
          " biogenic CO2 zero at tailpipe; road diesel with the table's bio share")
    print(header)
    print("-" * len(header))
    for vehicle in vehicle_types:
        payload_kg = vehicle.capacity_kg / 2
        loc = leg_emissions(vehicle, 1000.0, payload_kg, factors, location)
        res = leg_emissions(vehicle, 1000.0, payload_kg, factors, residual)
        tonnes = payload_kg / 1000
        print(f"{vehicle.id:28s} {loc.co2e_ttw_kg * 1000:10.1f} {loc.co2e_wtw_kg * 1000:8.1f} "
              f"{res.co2e_wtw_kg * 1000:8.1f} {loc.co2e_wtw_kg * 1000 / tonnes:9.1f} "
              f"{res.co2e_wtw_kg * 1000 / tonnes:9.1f} {loc.nox_g:8.2f} {loc.pm_g * 1000:8.1f}")
    print("\nPublished reference intensities:")
    for name, value in REFERENCES:
        print(f"  {name:60s} {value}")


if __name__ == "__main__":
    main()
