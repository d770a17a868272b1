"""Why a scenario differs from the baseline: its change in vehicle-km, CO2e and cost
split into parts that add to the change exactly, none larger than the larger of the two
totals (the baseline, when the scenario saves).

A KPI ``M`` (vehicle-km, CO2e or cost) of a scenario is three terms:

    M = D x k x e  +  I  +  H

* ``D``: deliveries, the stops of direct and hub delivery routes at units;
* ``k = V / D``: vehicle-km of those routes per delivery (``V = vehicle_km -
  vehicle_km_inbound``);
* ``e = T / V``: the KPI per vehicle-km of those routes (1 for vehicle-km), with
  ``T = M - I - H`` their part of the KPI;
* ``I``: the trips that bring goods to the hub (suppliers' trunk trips, the hub's milk
  runs: ``*_inbound``);
* ``H``: the hubs' own CO2e or cost (none for vehicle-km).

The change ``M1 - M0`` has five parts:

* ``fewer_stops`` and ``km_per_stop``: the change of ``V = D x k`` valued per
  vehicle-km (``w`` below), split between ``D`` and ``k``;
* ``fleet_energy``: the change of ``e`` (vehicle size, energy, fuel, cost per km);
* ``inbound_trips``: ``I1 - I0``;
* ``hub_operations``: ``H1 - H0``.

A product ``a x b`` changes by ``part_a + part_b`` with

    part_a = (a1 - a0) x w_b,   part_b = (b1 - b0) x w_a,

where ``w_b`` is the mean ``(b0 + b1) / 2`` when ``a`` and ``b`` move the same way and
the smaller of ``b0, b1`` when they move opposite ways (then ``part_a + part_b`` is still
exactly ``a1 b1 - a0 b0``). So a part is at most the larger product: in the same
direction ``|a1 - a0| x mean(b) <= max(a) x max(b)``, and in opposite directions the
larger ``a`` goes with the smaller ``b``. ``T = V x e`` is split that way into
``(V1 - V0) x w_e`` and the ``fleet_energy`` part; ``V = D x k`` is split that way
into ``dV_D + dV_k``, and ``fewer_stops = dV_D x w_e``, ``km_per_stop = dV_k x w_e``.
Every part is at most ``max(M0, M1)`` in size. (The log-mean index used before split
``tonne-km per stop`` and ``stops`` into two large parts of opposite sign, each larger
than the baseline, because stops cancel out of that identity.)

A scenario without deliveries or without delivery km gives the ratio it lacks the other
scenario's value; a result without the KPIs these need (an older result) puts the whole
change in ``fleet_energy``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

PARTS = ("fewer_stops", "km_per_stop", "inbound_trips", "fleet_energy", "hub_operations")
"""The parts of a decomposition, in the order they are shown."""

DECOMPOSED_KPIS: dict[str, tuple[str, str | None]] = {
    "vehicle_km": ("vehicle_km_inbound", None),
    "co2e_wtw_kg": ("co2e_wtw_kg_inbound", "hub_co2e_wtw_kg"),
    "cost_nok": ("cost_nok_inbound", "hub_cost_nok"),
}
"""The KPIs decomposed, each with the KPI of its inbound part and of its hub part (None:
hubs drive no km)."""


def split_product(a0: float, b0: float, a1: float, b1: float) -> tuple[float, float]:
    """``a1 b1 - a0 b0`` as (part of ``a``, part of ``b``): each factor's change valued
    at the other's mean when both move the same way, at the other's smaller value when
    they move opposite ways. The parts add to the change exactly and neither is larger
    than ``max(a0 b0, a1 b1)``."""
    da, db = a1 - a0, b1 - b0
    if da * db >= 0:
        return da * (b0 + b1) / 2, db * (a0 + a1) / 2
    return da * min(b0, b1), db * min(a0, a1)


def _terms(kpis: Mapping[str, float | None], kpi: str) -> tuple[float, float, float, float,
                                                       float] | None:
    """(D, V, T, I, H) of one scenario, or None when its result lacks a KPI they need."""
    inbound_kpi, hub_kpi = DECOMPOSED_KPIS[kpi]
    names = ["deliveries", "vehicle_km", "vehicle_km_inbound", kpi, inbound_kpi or kpi]
    found = [kpis.get(name) for name in names]
    values = [float(value) for value in found if value is not None]
    if len(values) < len(names):
        return None
    deliveries, vehicle_km, vehicle_km_inbound, total, inbound = values
    hub = float(kpis.get(hub_kpi) or 0.0) if hub_kpi else 0.0
    return (deliveries, vehicle_km - vehicle_km_inbound, total - inbound - hub, inbound, hub)


def _ratio(part: float, whole: float, other: float) -> float:
    return part / whole if whole > 0 else other


class DecomposedPart(TypedDict):
    """One part of a KPI's change."""

    key: str  # one of PARTS
    value: float


class DecomposedChange(TypedDict):
    """A KPI's change against the baseline and the parts it splits into (they sum to
    ``total``)."""

    total: float
    parts: list[DecomposedPart]


def decompose_change(baseline: Mapping[str, float | None], other: Mapping[str, float | None],
                     kpi: str) -> DecomposedChange:
    """The change of ``kpi`` from ``baseline`` to ``other`` (KPI mappings of one period),
    as ``{"total": change, "parts": [{"key": part, "value": change}, ...]}``."""
    before_total = float(baseline.get(kpi) or 0.0)
    after_total = float(other.get(kpi) or 0.0)
    before, after = _terms(baseline, kpi), _terms(other, kpi)
    effects = dict.fromkeys(PARTS, 0.0)
    if before is None or after is None:
        effects["fleet_energy"] = after_total - before_total
    else:
        d0, v0, t0, i0, h0 = before
        d1, v1, t1, i1, h1 = after
        e0 = _ratio(t0, v0, _ratio(t1, v1, 0.0))
        e1 = _ratio(t1, v1, e0)
        dv, de = v1 - v0, e1 - e0
        w_e = (e0 + e1) / 2 if dv * de >= 0 else min(e0, e1)
        if d0 > 0 and d1 > 0:
            k0, k1 = v0 / d0, v1 / d1
            dv_d, dv_k = split_product(d0, k0, d1, k1)
        else:
            dv_d, dv_k = dv, 0.0
        effects["fewer_stops"] = dv_d * w_e
        effects["km_per_stop"] = dv_k * w_e
        effects["fleet_energy"] = (t1 - t0) - dv * w_e
        effects["inbound_trips"] = i1 - i0
        effects["hub_operations"] = h1 - h0
    shown = PARTS if DECOMPOSED_KPIS[kpi][1] else PARTS[:-1]
    parts: list[DecomposedPart] = [{"key": name, "value": effects[name]} for name in shown]
    return {"total": after_total - before_total, "parts": parts}


def decomposition(names: Sequence[str], kpis: Sequence[Mapping[str, float | None]],
                  baseline: str) -> dict[str, dict[str, DecomposedChange]]:
    """For every scenario but the baseline, :func:`decompose_change` of each
    :data:`DECOMPOSED_KPIS` against the baseline."""
    base = kpis[list(names).index(baseline)]
    return {name: {kpi: decompose_change(base, values, kpi) for kpi in DECOMPOSED_KPIS}
            for name, values in zip(names, kpis, strict=True) if name != baseline}
