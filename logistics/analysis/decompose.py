"""Why a scenario differs from the baseline: its change in vehicle-km, CO2e and cost
split into parts that sum to the change.

The transport part of a KPI ``M`` (vehicle-km, the routes' CO2e or cost) is the product

    M = S x (tkm / S) x (1 / LF) x (1 / C) x (M / vkm)

with ``S`` the stops (deliveries and hub inbound trips), ``tkm`` the tonne-km carried,
``LF`` the load factor (tonne-km over capacity tonne-km) and ``C`` the capacity carried
per vehicle-km (capacity tonne-km over vehicle-km). Its change is split among the
factors by the logarithmic mean Divisia index (LMDI-I, Ang 2005), which leaves no
residual. The parts:

* ``fewer_stops``: the number of stops (consolidation);
* ``trip_length``: tonne-km per stop, how far and how much each stop's goods ride (hub
  location, trunk distance, drop size);
* ``load_factor``: how full the vehicles run;
* ``vehicle_energy``: vehicle size and the KPI per vehicle-km (fleet, fuel, energy);
* ``hub_operations``: the hubs' own CO2e or cost (added, not multiplied).

A factor that is zero in one scenario (no CO2e on a zero-rated grid) has no logarithm;
then the change is attributed factor by factor in the order above instead, which also
sums to the total.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

PARTS = ("fewer_stops", "trip_length", "load_factor", "vehicle_energy", "hub_operations")
"""The parts of a decomposition, in the order they are shown."""

DECOMPOSED_KPIS = {"vehicle_km": None, "co2e_wtw_kg": "hub_co2e_wtw_kg",
                   "cost_nok": "hub_cost_nok"}
"""The KPIs decomposed, each with the KPI of its hub part (None: hubs drive no km)."""


def _factors(kpis: Mapping[str, Any], transport: float) -> dict[str, float] | None:
    """The factors of the identity for one scenario (their product is ``transport``), or
    None when the scenario drove nothing or its result lacks a KPI the identity needs."""
    found = [kpis.get(name) for name in ("stops", "tonne_km", "vehicle_km", "load_factor")]
    values = [float(value) for value in found if value is not None]
    if len(values) < len(found):
        return None
    stops, tonne_km, vehicle_km, load_factor = values
    if min(stops, tonne_km, vehicle_km, load_factor) <= 0:
        return None
    capacity_per_vkm = tonne_km / load_factor / vehicle_km
    return {"fewer_stops": stops, "trip_length": tonne_km / stops,
            "load_factor": 1 / load_factor, "vehicle_size": 1 / capacity_per_vkm,
            "intensity": transport / vehicle_km}


def _log_mean(a: float, b: float) -> float:
    return a if math.isclose(a, b, rel_tol=1e-12) else (a - b) / (math.log(a) - math.log(b))


def _lmdi(before: Mapping[str, float], after: Mapping[str, float], total_before: float,
          total_after: float) -> dict[str, float]:
    weight = _log_mean(total_after, total_before)
    return {name: weight * math.log(after[name] / before[name]) for name in before}


def _chained(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """Each factor changed in turn, the others at their new value once changed."""
    current = dict(before)
    effects: dict[str, float] = {}
    for name in before:
        product_before = math.prod(current.values())
        current[name] = after[name]
        effects[name] = math.prod(current.values()) - product_before
    return effects


def decompose_change(baseline: Mapping[str, Any], other: Mapping[str, Any],
                     kpi: str) -> dict[str, Any]:
    """The change of ``kpi`` from ``baseline`` to ``other`` (KPI mappings of one period),
    as ``{"total": change, "parts": [{"key": part, "value": change}, ...]}``."""
    hub_kpi = DECOMPOSED_KPIS[kpi]
    hub_before = float(baseline.get(hub_kpi) or 0.0) if hub_kpi else 0.0
    hub_after = float(other.get(hub_kpi) or 0.0) if hub_kpi else 0.0
    before_total, after_total = float(baseline.get(kpi) or 0.0), float(other.get(kpi) or 0.0)
    transport_before, transport_after = before_total - hub_before, after_total - hub_after
    before = _factors(baseline, transport_before)
    after = _factors(other, transport_after)
    if before is None or after is None:
        effects = {"vehicle_energy": transport_after - transport_before}
    else:
        positive = all(v > 0 for v in (*before.values(), *after.values()))
        by_factor = (_lmdi(before, after, transport_before, transport_after) if positive
                     else _chained(before, after))
        effects = {"fewer_stops": by_factor["fewer_stops"],
                   "trip_length": by_factor["trip_length"],
                   "load_factor": by_factor["load_factor"],
                   "vehicle_energy": by_factor["vehicle_size"] + by_factor["intensity"]}
    if hub_kpi:
        effects["hub_operations"] = hub_after - hub_before
    shown = PARTS if hub_kpi else PARTS[:-1]
    parts = [{"key": name, "value": effects.get(name, 0.0)} for name in shown]
    return {"total": after_total - before_total, "parts": parts}


def decomposition(names: Sequence[str], kpis: Sequence[Mapping[str, Any]],
                  baseline: str) -> dict[str, dict[str, Any]]:
    """For every scenario but the baseline, :func:`decompose_change` of each
    :data:`DECOMPOSED_KPIS` against the baseline."""
    base = kpis[list(names).index(baseline)]
    return {name: {kpi: decompose_change(base, values, kpi) for kpi in DECOMPOSED_KPIS}
            for name, values in zip(names, kpis, strict=True) if name != baseline}
