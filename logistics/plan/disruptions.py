"""The per-day resolver: how a scenario's disruptions change the inputs of the plan.

:class:`Disruptions` resolves the disruption specs of a scenario
(:mod:`logistics.scenarios.disruptions`) against the data set and answers the
questions the plan builder asks for each day: who supplies a category, which hub
works, which vehicles can run and how far, which travel model holds, how large demand
is. Nothing is dropped silently: deliveries nobody can make become unserved with a
reason, and a disruption the travel model cannot express (a road closure on crow-fly
travel) is listed in :attr:`Disruptions.not_applied` and in the plan's notes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

import shapely
from shapely.geometry import Polygon

from logistics.clock import Weekday
from logistics.errors import ProblemCollector
from logistics.model.dataset import DataSet
from logistics.model.demand import scale_orders
from logistics.model.domain import EnergyCarrier, FleetEntry, Order, VehicleType
from logistics.model.factors import default_factor_tables
from logistics.scenarios.disruptions import (
    DemandSurge,
    Disruption,
    DisruptionSpec,
    FleetShortage,
    FuelShortage,
    HubOutage,
    PowerOutage,
    RoadClosure,
    SupplierOutage,
    ZoneBan,
)
from logistics.travel.base import TravelModel
from logistics.travel.network.model import RoadNetworkModel

_D = TypeVar("_D", bound=DisruptionSpec)


@dataclass(frozen=True)
class Sourcing:
    """Who delivers a category on a day: a supplier id, or None with the reason."""

    supplier_id: str | None
    detail: str = ""


@dataclass(frozen=True)
class HubDay:
    """How consolidated goods move on a day: through ``hub_id``, or (hub_id None)
    ``direct`` from the suppliers or not at all (``none``)."""

    hub_id: str | None
    fallback: Literal["direct", "hub", "none"] = "hub"
    detail: str = ""


@dataclass(frozen=True)
class NotApplied:
    """A disruption the travel model cannot express, and why."""

    label: str
    reason: str


class Disruptions:
    """A scenario's disruptions resolved against the data set (the plan builder's view).

    Raises :class:`~logistics.errors.InputError` listing every unknown id or day.
    """

    def __init__(self, entries: Sequence[Disruption], days: tuple[Weekday, ...],
                 design: Literal["direct", "consolidated"], hub: str | None,
                 dataset: DataSet, travel: TravelModel, source: str = "scenario") -> None:
        self.entries = tuple(entries)
        self.days = days
        self.design = design
        self.hub = hub
        self.dataset = dataset
        self.travel = travel
        self._check(source)
        self.not_applied = self._not_applied()
        self._travel_by_key: dict[str, TravelModel] = {"": travel}
        self._litres_per_km = self._fuel_use() if self._of(FuelShortage) else {}

    def _of(self, kind: type[_D]) -> list[_D]:
        return [d for d in self.entries if isinstance(d, kind)]

    def _on(self, kind: type[_D], day: Weekday) -> list[_D]:
        return [d for d in self._of(kind) if d.active_on(day)]

    @property
    def notes(self) -> tuple[str, ...]:
        """Caveats every output of the plan repeats."""
        return tuple(f"Disruption '{n.label}' NOT applied: {n.reason}" for n in self.not_applied)

    # -- validation -------------------------------------------------------------------
    def _check(self, source: str) -> None:
        problems = ProblemCollector()
        suppliers = {s.id for s in self.dataset.suppliers}
        hubs = {h.id for h in self.dataset.hubs}
        categories = {c.id for c in self.dataset.categories}
        for number, entry in enumerate(self.entries):
            where = f"disruptions.{number} ({entry.name()})"
            for day in entry.days:
                if day not in self.days:
                    problems.add(source, where, "days", day, f"a planning day: {list(self.days)}")
            if isinstance(entry, SupplierOutage) and entry.supplier not in suppliers:
                problems.add(source, where, "supplier", entry.supplier,
                             f"one of {sorted(suppliers)}")
            if isinstance(entry, HubOutage):
                for field in ("hub", "fallback_hub"):
                    value = getattr(entry, field)
                    if value is not None and value not in hubs:
                        problems.add(source, where, field, value, f"one of {sorted(hubs)}")
                if entry.fallback_hub is not None and entry.fallback_hub == (entry.hub or self.hub):
                    problems.add(source, where, "fallback_hub", entry.fallback_hub,
                                 "a hub other than the closed one")
            if isinstance(entry, DemandSurge):
                for category in entry.categories:
                    if category not in categories:
                        problems.add(source, where, f"categories.{category}", category,
                                     f"one of {sorted(categories)}")
            if isinstance(entry, FleetShortage):
                for fleet in entry.fleets:
                    if fleet not in suppliers | hubs:
                        problems.add(source, where, "fleets", fleet,
                                     f"a supplier or hub id: {sorted(suppliers | hubs)}")
        problems.raise_if_any()

    def _not_applied(self) -> tuple[NotApplied, ...]:
        skipped: list[NotApplied] = []
        if not isinstance(self.travel, RoadNetworkModel):
            for closure in self._of(RoadClosure):
                skipped.append(NotApplied(closure.name(), (
                    f"a road closure needs a road network (travel model is {self.travel.name}); "
                    "run with travel: {model: road, network: <name>}")))
        if self.design == "direct":
            for outage in self._of(HubOutage):
                skipped.append(NotApplied(outage.name(), "the direct design uses no hub"))
        return tuple(skipped)

    # -- demand ---------------------------------------------------------------------------
    @property
    def changes_demand(self) -> bool:
        return bool(self._of(DemandSurge))

    def orders_on(self, orders: tuple[Order, ...], day: Weekday) -> tuple[Order, ...]:
        """Orders with the demand surges active on ``day`` applied."""
        surges = self._on(DemandSurge, day)
        if not surges:
            return orders
        unit_type = {u.id: u.unit_type for u in self.dataset.units}
        factors: dict[str, float] = {}
        for order in orders:
            factor = 1.0
            for surge in surges:
                factor *= surge.categories.get(order.category, 1.0)
                factor *= surge.unit_types.get(unit_type[order.unit_id], 1.0)
            if factor != 1.0:
                factors[order.id] = factor
        return scale_orders(orders, factors)

    # -- suppliers and hubs -----------------------------------------------------------------
    def out_suppliers(self, day: Weekday) -> set[str]:
        return {o.supplier for o in self._on(SupplierOutage, day)}

    def supplier_on(self, supplier_id: str, category: str, day: Weekday) -> Sourcing:
        """Who delivers ``category`` instead of ``supplier_id`` on ``day``."""
        outages = [o for o in self._on(SupplierOutage, day) if o.supplier == supplier_id]
        if not outages:
            return Sourcing(supplier_id)
        out = self.out_suppliers(day)
        if all(o.use_alternates for o in outages):
            for supplier in self.dataset.suppliers:
                if category in supplier.backup_categories and supplier.id not in out:
                    return Sourcing(supplier.id, f"re-sourced from {supplier.id}")
            why = "no alternate supplier for this category is available"
        else:
            why = "alternates not used"
        return Sourcing(None, f"supplier {supplier_id} out on {day} "
                              f"({outages[0].name()}); {why}")

    def hub_on(self, day: Weekday) -> HubDay:
        """The hub consolidated goods go through on ``day``, or the fallback."""
        hub = self.hub
        for outage in self._on(HubOutage, day):
            if (outage.hub or self.hub) != hub:
                continue
            detail = f"hub {hub} closed on {day} ({outage.name()})"
            if outage.fallback == "hub":
                hub = outage.fallback_hub
                continue
            return HubDay(None, outage.fallback, detail)
        return HubDay(hub)

    # -- vehicles -----------------------------------------------------------------------------
    def fleet_on(self, owner_id: str, fleet: Sequence[FleetEntry],
                 day: Weekday) -> tuple[list[FleetEntry], str]:
        """The vehicles of ``owner_id``'s fleet that can run on ``day``, and what was cut."""
        cuts: list[str] = []
        kept = list(fleet)
        for shortage in self._on(FuelShortage, day):
            if shortage.litres_per_vehicle_per_day is not None:
                continue
            out = [e for e in kept if self._carrier(e.vehicle_type) is shortage.carrier]
            if any(e.count for e in out):
                cuts.append(f"no {shortage.carrier.value} ({shortage.name()})")
            kept = [e for e in kept if e not in out]
        for fleet_cut in self._on(FleetShortage, day):
            if fleet_cut.fleets and owner_id not in fleet_cut.fleets:
                continue
            total = sum(e.count for e in kept)
            remove = round(total * fleet_cut.share)
            if remove:
                cuts.append(f"{remove} of {total} vehicles out ({fleet_cut.name()})")
            kept = _without_vehicles(kept, remove, self.dataset.vehicle_types)
        return [e for e in kept if e.count > 0], "; ".join(cuts)

    def _carrier(self, vehicle_type_id: str) -> EnergyCarrier:
        return self.dataset.vehicle_types[vehicle_type_id].energy_carrier

    def range_limit_m(self, vehicle_type: VehicleType, day: Weekday,
                      range_m: float | None) -> float | None:
        """The distance a vehicle of this type may drive on ``day`` (None = unlimited),
        given ``range_m`` on a normal day."""
        limit = range_m
        if vehicle_type.energy_carrier is EnergyCarrier.ELECTRICITY and vehicle_type.range_m:
            for outage in self._on(PowerOutage, day):
                battery_m = vehicle_type.range_m * (1.0 - outage.winter_derating)
                share = battery_m / self._run_length(outage, day)
                limit = share if limit is None else min(limit, share)
        for ration in self._on(FuelShortage, day):
            litres = ration.litres_per_vehicle_per_day
            if litres is None or vehicle_type.energy_carrier is not ration.carrier:
                continue
            ration_m = litres / self._litres_per_km[vehicle_type.id] * 1000
            limit = ration_m if limit is None else min(limit, ration_m)
        return limit

    def _run_length(self, entry: PowerOutage, day: Weekday) -> int:
        """Consecutive planning days of ``entry`` around ``day`` (one battery charge)."""
        active = [entry.active_on(d) for d in self.days]
        position = self.days.index(day)
        start = position
        while start > 0 and active[start - 1]:
            start -= 1
        end = position
        while end + 1 < len(active) and active[end + 1]:
            end += 1
        return end - start + 1

    def _fuel_use(self) -> dict[str, float]:
        """Litres per km at full load per vehicle type of a liquid fuel."""
        factors = default_factor_tables()
        use: dict[str, float] = {}
        for vehicle_type in self.dataset.vehicle_types.values():
            carrier = vehicle_type.energy_carrier
            if carrier in (EnergyCarrier.DIESEL, EnergyCarrier.HVO100):
                use[vehicle_type.id] = (vehicle_type.energy_kwh_per_km_full
                                        / factors.carrier(carrier).kwh_per_unit)
        return use

    def may_deliver(self, vehicle_type: VehicleType, lon: float, lat: float,
                    day: Weekday) -> bool:
        """False when a zone ban active on ``day`` keeps this vehicle out of the site."""
        if vehicle_type.is_zero_emission:
            return True
        return not any(shapely.contains_xy(Polygon(z.polygon), lon, lat)
                       for z in self._on(ZoneBan, day))

    # -- travel -------------------------------------------------------------------------------
    def travel_on(self, day: Weekday) -> tuple[str, TravelModel]:
        """A key naming the road conditions of ``day`` ('' = normal) and the travel model."""
        if not isinstance(self.travel, RoadNetworkModel):
            return "", self.travel
        closures = self._on(RoadClosure, day)
        zones = self._on(ZoneBan, day)
        if not closures and not zones:
            return "", self.travel
        key = "|".join([c.name() for c in closures] + [f"zone:{z.name()}" for z in zones])
        if key not in self._travel_by_key:
            zone = shapely.union_all([Polygon(z.polygon) for z in zones]) if zones else None
            if self.travel.zero_emission_zone is not None and zone is not None:
                zone = zone.union(self.travel.zero_emission_zone)
            self._travel_by_key[key] = dataclasses.replace(
                self.travel,
                closures=self.travel.closures + tuple(c.closure() for c in closures),
                zero_emission_zone=zone if zone is not None else self.travel.zero_emission_zone)
        return key, self._travel_by_key[key]


def _without_vehicles(fleet: list[FleetEntry], remove: int,
                      vehicle_types: Mapping[str, VehicleType]) -> list[FleetEntry]:
    """``fleet`` with ``remove`` vehicles taken out, largest capacity first."""
    order = sorted(range(len(fleet)), key=lambda i: (-vehicle_types[fleet[i].vehicle_type]
                                                      .capacity_kg, i))
    counts = [e.count for e in fleet]
    for i in order:
        taken = min(counts[i], remove)
        counts[i] -= taken
        remove -= taken
    return [e.with_overrides({"count": c}) for e, c in zip(fleet, counts, strict=True)]

