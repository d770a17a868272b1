"""Plan builder: turns a scenario, the data set and orders into routing problems.

* ``direct``: each supplier serves its own orders from its own depot with its own
  fleet, at today's frequency: one routing problem per supplier and day.
* ``consolidated``: suppliers drive trunk trips to the hub; the hub's fleet delivers
  all categories of a unit in one stop, at the scenario's frequency: one routing
  problem per day, plus the trunk trips.

Flows the scenario hands to parcel or groupage carriers (:mod:`logistics.plan.channels`)
are not routed: they become carrier shipments, to the unit or (``channels.consolidated:
to_hub``) to the hub, whose fleet then delivers them with the rest.

Orders are spread over the planning days by area and frequency
(:mod:`logistics.plan.delivery_days`), each delivery carrying ``demand / frequency``.

Disruptions (``scenario.disruptions``) reach the builder through one object,
:class:`logistics.plan.disruptions.Disruptions`, which it asks per day: who supplies a
category, which hub works, which vehicles run and how far, which travel model holds,
how large demand is. Deliveries nobody can make are unserved with a reason.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from logistics.clock import Weekday, format_windows, intersect_windows
from logistics.model.dataset import DataSet
from logistics.model.domain import (
    FleetEntry,
    Hub,
    Order,
    Site,
    TemperatureClass,
    Unit,
    VehicleType,
)
from logistics.plan.channels import (
    NO_CHANNELS,
    CarrierShipment,
    ChannelTable,
    carrier_shipments,
    split_by_channel,
)
from logistics.plan.collection import Collected, collection_job, trunk_cost_nok
from logistics.plan.deliveries import Delivery, PlanReason, UnservedDelivery
from logistics.plan.delivery_days import DeliveryCalendar, schedule_deliveries
from logistics.plan.disruptions import Disruptions
from logistics.plan.hub_timing import arrival_day, unload_complete_s
from logistics.plan.planned import PlannedProblem, PlannedRoute
from logistics.plan.reuse import ReuseFlow, ReuseItem, reuse_moves
from logistics.plan.sites import site_points, vehicle_profile
from logistics.plan.trunk import TrunkLink, TrunkVehicle, trunk_trips, vehicle_day_share
from logistics.routing.problem import (
    Break,
    Job,
    Route,
    RoutingProblem,
    Solution,
    UnservedJob,
    UnservedReason,
    Vehicle,
)
from logistics.routing.solve import solve
from logistics.scenarios.schema import Scenario
from logistics.travel.base import Point, TravelMatrices, TravelModel, VehicleProfile

SolveProblems = Callable[[tuple[PlannedProblem, ...]], list[Solution]]
"""Solves routing problems of the plan, in order: the pipeline passes its solve step
(solution store and worker pool) for the milk runs searched while planning."""


@dataclass(frozen=True)
class _DepotDay:
    """The deliveries leaving one depot on one day, with the fleet based there."""

    depot_id: str
    label: str
    fleet: Sequence[FleetEntry]
    hours: tuple[tuple[int, int], ...]
    day: Weekday
    deliveries: tuple[Delivery, ...]


_Problems = tuple[tuple["PlannedProblem", ...], tuple[UnservedDelivery, ...],
                  dict[str, tuple[Delivery, ...]]]
"""Routing problems, deliveries left unserved, and the deliveries behind each job."""


@dataclass(frozen=True)
class Plan:
    """What the builder hands to the solver step."""

    points: tuple[Point, ...]
    matrices: Mapping[str, TravelMatrices]
    problems: tuple[PlannedProblem, ...]
    inbound_routes: tuple[PlannedRoute, ...]
    """Routes the plan makes itself: suppliers' trunk trips and the hub's milk runs."""
    unserved: tuple[UnservedDelivery, ...]
    deliveries: tuple[Delivery, ...]
    deliveries_by_job: Mapping[str, tuple[Delivery, ...]]
    notes: tuple[str, ...] = ()  # disruptions the travel model could not apply
    searches: Mapping[str, Mapping[str, object]] = dataclasses.field(default_factory=dict)
    """Solver info of the searches made while planning (the milk runs), by problem name."""
    carrier_shipments: tuple[CarrierShipment, ...] = ()
    """Deliveries handed to parcel and groupage carriers: counted, not routed."""


def scenario_disruptions(scenario: Scenario, dataset: DataSet, travel: TravelModel,
                         source: str = "scenario") -> Disruptions:
    """The scenario's disruptions resolved against the data set and travel model."""
    return Disruptions(scenario.disruptions, scenario.days, scenario.design, scenario.hub,
                       dataset, travel, source)


class PlanBuilder:
    """Builds the routing problems of one scenario. Stateless apart from its inputs."""

    def __init__(self, scenario: Scenario, dataset: DataSet, orders: tuple[Order, ...],
                 travel: TravelModel, source: str = "scenario",
                 reuse_flows: tuple[ReuseFlow, ...] = (),
                 reuse_items: Mapping[str, ReuseItem] | None = None,
                 channels: ChannelTable = NO_CHANNELS,
                 disruptions: Disruptions | None = None,
                 solve_collections: SolveProblems | None = None) -> None:
        self.scenario = scenario
        self.solve_collections = solve_collections or self._solve_in_turn
        self.channels = channels
        self.dataset = dataset
        self.orders = orders
        self.reuse_flows = reuse_flows
        self.reuse_items = reuse_items or {}
        self.travel = travel
        self.disruptions = disruptions or scenario_disruptions(scenario, dataset, travel, source)
        self.points = site_points(dataset)
        self.index = {p.id: i for i, p in enumerate(self.points)}
        self.units = {u.id: u for u in dataset.units}
        self.temperature = {c.id: c.temperature_class for c in dataset.categories}
        self.profiles = {v.id: vehicle_profile(v) for v in dataset.vehicle_types.values()}
        self._matrices: dict[str, TravelMatrices] = {}

    # -- travel -----------------------------------------------------------------------
    def matrices(self, profile: VehicleProfile, day: Weekday | None = None) -> TravelMatrices:
        """Matrices over all points for a profile on ``day`` (road closures and zone
        bans of the day applied), computed once per profile and road condition. Keys
        are the profile name, plus ``@<conditions>`` on disrupted days."""
        condition, travel = self.disruptions.travel_on(day) if day else ("", self.travel)
        key = f"{profile.name}@{condition}" if condition else profile.name
        if key not in self._matrices:
            self._matrices[key] = travel.matrices(self.points, profile)
        return self._matrices[key]

    # -- the plan ---------------------------------------------------------------------
    def build(self) -> Plan:
        if self.scenario.design == "direct":
            deliveries = self._schedule(lambda order: order.deliveries_per_week)
            sourced, unserved = self._sourced(deliveries)
            carried, sourced = split_by_channel(sourced, self.channels)
            shipments, carrier_unserved = self._carrier_shipments(carried, ())
            problems, direct_unserved, by_job = self._direct_problems(sourced)
            unserved += carrier_unserved + direct_unserved
            inbound: tuple[PlannedRoute, ...] = ()
            searches: dict[str, Mapping[str, object]] = {}
        else:
            deliveries = self._schedule(
                lambda order: self.scenario.frequency_for(order.category,
                                                          self.temperature[order.category]))
            sourced, unserved = self._sourced(deliveries)
            carried, sourced = split_by_channel(sourced, self.channels)
            to_hub = frozenset(d for d in carried if self.scenario.channels.consolidated
                               == "to_hub" and self.disruptions.hub_on(d.day).hub_id)
            via_hub, direct, hub_unserved = self._through_hubs(
                sourced + tuple(d for d in carried if d in to_hub))
            via_hub, over_capacity = self._within_hub_capacity(via_hub)
            hub_unserved += over_capacity
            shipments, carrier_unserved = self._carrier_shipments(
                tuple(d for d in carried if d not in to_hub or d in via_hub), via_hub)
            hub_unserved += carrier_unserved
            own_to_hub = tuple(d for d in via_hub if d not in to_hub)
            collections, brought, searches = self._collection_routes(own_to_hub)
            trunk, trunk_unserved = self._trunk_routes(
                tuple(d for d in own_to_hub if d not in brought))
            inbound = self._on_arrival_days(collections + trunk)
            released = (unload_complete_s(inbound) if self.scenario.hub_timing == "same_day"
                        else {})
            cut = {u.delivery for u in trunk_unserved}
            moves = reuse_moves(self.reuse_flows, self.reuse_items, via_hub, self.scenario.days,
                                str(self.scenario.hub))
            deliveries += moves
            moves_via_hub, moves_without_store, moves_unserved = self._through_hubs(moves)
            hub_unserved += moves_unserved + tuple(
                UnservedDelivery(m, PlanReason.HUB_UNAVAILABLE,
                                 "the reuse store at the hub is closed that day")
                for m in moves_without_store)
            problems, distribution_unserved, by_job = self._distribution_problems(
                tuple(d for d in via_hub if d not in cut) + moves_via_hub, released)
            direct_problems, direct_unserved, direct_by_job = self._direct_problems(direct)
            problems += direct_problems
            by_job |= direct_by_job
            unserved += hub_unserved + trunk_unserved + distribution_unserved + direct_unserved
        return Plan(
            points=self.points,
            matrices=dict(self._matrices),
            problems=problems,
            inbound_routes=inbound,
            unserved=unserved,
            deliveries=deliveries,
            deliveries_by_job=by_job,
            notes=self.disruptions.notes,
            searches=searches,
            carrier_shipments=shipments,
        )

    def _carrier_shipments(self, carried: tuple[Delivery, ...],
                           via_hub: Iterable[Delivery]) -> tuple[
            tuple[CarrierShipment, ...], tuple[UnservedDelivery, ...]]:
        """The carriers' shipments (:mod:`logistics.plan.channels`): to the day's hub for
        deliveries in ``via_hub``, else to the unit; distances on the day's roads."""
        at_hub = frozenset(via_hub)

        def destination(delivery: Delivery) -> str:
            return self._hub(delivery.day).id if delivery in at_hub else delivery.unit_id

        def distance_m(delivery: Delivery, vehicle_type: str, to: str) -> float:
            matrices = self.matrices(self.profiles[vehicle_type], delivery.day)
            return float(matrices.distance_m[self.index[delivery.supplier_id], self.index[to]])

        return carrier_shipments(carried, self.channels, destination, distance_m)

    # -- disruptions ---------------------------------------------------------------------
    def _schedule(self, frequency_of: Callable[[Order], int]) -> tuple[Delivery, ...]:
        """Deliveries of the week on each depot owner's days by area
        (:class:`~logistics.plan.delivery_days.DeliveryCalendar`: suppliers replay observed
        days in the direct design; the hub sets its own); demand surges scale the
        deliveries of their days and leave the days as they are."""
        days = self.scenario.days
        direct = self.scenario.design == "direct"
        hub = None if direct else self.dataset.hub(str(self.scenario.hub))

        def depot_of(order: Order) -> Site:
            return hub or self.dataset.supplier(order.supplier_id)

        calendar = DeliveryCalendar(self.orders, self.dataset.units, days, depot_of,
                                    replay_observed=direct)
        if not self.disruptions.changes_demand:
            return schedule_deliveries(self.orders, calendar, frequency_of)
        return tuple(
            delivery for day in days
            for delivery in schedule_deliveries(self.disruptions.orders_on(self.orders, day),
                                                calendar, frequency_of)
            if delivery.day == day)

    def _sourced(self, deliveries: tuple[Delivery, ...]) -> tuple[
            tuple[Delivery, ...], tuple[UnservedDelivery, ...]]:
        """Deliveries of suppliers that are out moved to an alternate, or unserved."""
        kept: list[Delivery] = []
        unserved: list[UnservedDelivery] = []
        for delivery in deliveries:
            sourcing = self.disruptions.supplier_on(delivery.supplier_id, delivery.category,
                                                    delivery.day)
            if sourcing.supplier_id is None:
                unserved.append(UnservedDelivery(delivery, PlanReason.SUPPLIER_UNAVAILABLE,
                                                 sourcing.detail))
            else:
                kept.append(dataclasses.replace(delivery, supplier_id=sourcing.supplier_id))
        return tuple(kept), tuple(unserved)

    def _through_hubs(self, deliveries: tuple[Delivery, ...]) -> tuple[
            tuple[Delivery, ...], tuple[Delivery, ...], tuple[UnservedDelivery, ...]]:
        """Consolidated deliveries going through the day's hub; on days the hub is
        closed, those going direct from the suppliers and those left unserved."""
        via_hub: list[Delivery] = []
        direct: list[Delivery] = []
        unserved: list[UnservedDelivery] = []
        for delivery in deliveries:
            hub_day = self.disruptions.hub_on(delivery.day)
            if hub_day.hub_id is not None:
                via_hub.append(delivery)
            elif hub_day.fallback == "direct":
                direct.append(delivery)
            else:
                unserved.append(UnservedDelivery(delivery, PlanReason.HUB_UNAVAILABLE,
                                                 hub_day.detail))
        return tuple(via_hub), tuple(direct), tuple(unserved)

    def _within_hub_capacity(self, deliveries: tuple[Delivery, ...]) -> tuple[
            tuple[Delivery, ...], tuple[UnservedDelivery, ...]]:
        """The goods each day's hub can take (``capacity_kg_per_day``): when a day's goods
        through it weigh more, the smallest deliveries are kept while they fit and the
        rest are unserved with the reason."""
        by_day: dict[Weekday, list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            by_day[delivery.day].append(delivery)
        cut: dict[Delivery, UnservedDelivery] = {}
        for day, todays in by_day.items():
            hub = self._hub(day)
            total_kg = sum(d.demand_kg for d in todays)
            if total_kg <= hub.capacity_kg_per_day:
                continue
            detail = (f"hub {hub.id} handles {hub.capacity_kg_per_day:,.0f} kg a day; the "
                      f"goods through it on {day} weigh {total_kg:,.0f} kg")
            handled_kg = 0.0
            for delivery in sorted(todays, key=lambda d: (d.demand_kg, d.order_id)):
                if handled_kg + delivery.demand_kg <= hub.capacity_kg_per_day:
                    handled_kg += delivery.demand_kg
                else:
                    cut[delivery] = UnservedDelivery(
                        delivery, PlanReason.HUB_CAPACITY_EXCEEDED, detail)
        return (tuple(d for d in deliveries if d not in cut),
                tuple(cut[d] for d in deliveries if d in cut))

    def _hub(self, day: Weekday) -> Hub:
        """The hub working on ``day`` (the scenario's, or the fallback hub)."""
        return self.dataset.hub(str(self.disruptions.hub_on(day).hub_id))

    def _direct_problems(self, deliveries: tuple[Delivery, ...]) -> _Problems:
        """One routing problem per supplier and day, from the supplier's depot."""
        grouped: dict[tuple[str, Weekday], list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            grouped[(delivery.supplier_id, delivery.day)].append(delivery)
        return self._depot_problems("direct", (
            _DepotDay(supplier.id, f"supplier {supplier.id}",
                      self.dataset.supplier_fleets.get(supplier.id, ()), supplier.depot_open,
                      day, tuple(grouped[(supplier.id, day)]))
            for supplier in self.dataset.suppliers for day in self.scenario.days
            if grouped.get((supplier.id, day))))

    def _on_arrival_days(self, inbound: tuple[PlannedRoute, ...]) -> tuple[PlannedRoute, ...]:
        """Inbound routes on the day they drive: the day their goods go out, or the
        previous planning day when goods arrive the day before
        (:func:`~logistics.plan.hub_timing.arrival_day`)."""
        timing, days = self.scenario.hub_timing, self.scenario.days
        return tuple(dataclasses.replace(r, day=arrival_day(r.day, days, timing)[0])
                     for r in inbound)

    def _distribution_problems(self, deliveries: tuple[Delivery, ...],
                               released: Mapping[tuple[str, Weekday], float]) -> _Problems:
        """One routing problem per day, from the day's hub with the hub fleet; each job
        released when the goods it carries are unloaded at the hub (``released``: (order
        id, day) -> seconds; none when they arrived the day before)."""
        depot_days = []
        for day in self.scenario.days:
            todays = tuple(d for d in deliveries if d.day == day)
            if todays:
                hub = self._hub(day)
                depot_days.append(_DepotDay(hub.id, f"hub {hub.id}", self.scenario.fleet.hub,
                                            hub.opening, day, todays))
        return self._depot_problems("distribution", depot_days, released)

    def _depot_problems(self, kind: str, depot_days: Iterable[_DepotDay],
                        released: Mapping[tuple[str, Weekday], float] | None = None
                        ) -> _Problems:
        """A routing problem for each depot and day, or its deliveries unserved when no
        vehicle runs there that day; jobs carry the latest release of their goods."""
        problems: list[PlannedProblem] = []
        unserved: list[UnservedDelivery] = []
        by_job: dict[str, tuple[Delivery, ...]] = {}
        for depot in depot_days:
            vehicles, cut = self._vehicles(depot.depot_id, depot.fleet, depot.hours, depot.day)
            if not vehicles:
                unserved += [UnservedDelivery(d, UnservedReason.NO_VEHICLE_AVAILABLE,
                                              f"{depot.label} has no vehicles{cut}")
                             for d in depot.deliveries]
                continue
            name = f"{kind}:{depot.depot_id}:{depot.day}"
            jobs, job_deliveries, closed = self._jobs(name, depot.deliveries, vehicles,
                                                      depot.day, released or {})
            unserved += closed
            by_job.update(job_deliveries)
            if not jobs:
                continue
            problems.append(PlannedProblem(depot.day, kind, depot.depot_id,
                                           self._problem(name, jobs, vehicles, depot.day)))
        return tuple(problems), tuple(unserved), by_job

    def _problem(self, name: str, jobs: list[Job], vehicles: list[Vehicle],
                 day: Weekday) -> RoutingProblem:
        profiles = {v.profile: self.profiles[v.vehicle_type_id] for v in vehicles}
        return RoutingProblem(
            name=name,
            points=self.points,
            matrices={name: self.matrices(profiles[name], day) for name in sorted(profiles)},
            jobs=tuple(jobs),
            vehicles=tuple(vehicles),
        )

    def _vehicles(self, depot_id: str, fleet: Sequence[FleetEntry],
                  depot_hours: tuple[tuple[int, int], ...], day: Weekday,
                  fleet_name: str = "") -> tuple[list[Vehicle], str]:
        """The vehicles running from ``depot_id`` on ``day`` (ids named after the depot,
        ``fleet_name`` when the depot bases two fleets, and the vehicle type), and (when
        disruptions cut the fleet) a text saying what was cut."""
        shift_start = max(self.scenario.shift_s[0], depot_hours[0][0])
        shift_end = min(self.scenario.shift_s[1], depot_hours[-1][1])
        depot = self.index[depot_id]
        fleet, cut = self.disruptions.fleet_on(depot_id, fleet, day)
        vehicles = []
        for entry in fleet:
            vehicle_type = self.dataset.vehicle_types[entry.vehicle_type]
            range_m = self._range_m(vehicle_type, day)
            for number in range(1, entry.count + 1):
                vehicles.append(Vehicle(
                    id="/".join(filter(None, (depot_id, fleet_name, vehicle_type.id,
                                              str(number)))),
                    vehicle_type_id=vehicle_type.id,
                    profile=self.profiles[vehicle_type.id].name,
                    start=depot,
                    end=depot,
                    capacity_kg=vehicle_type.capacity_kg,
                    capacity_m3=vehicle_type.capacity_m3,
                    shift_s=(float(shift_start), float(max(shift_start, shift_end))),
                    max_duration_s=self.scenario.max_route_duration_s,
                    max_distance_m=range_m,
                    fixed_cost_nok=vehicle_type.fixed_cost_nok_per_day,
                    cost_nok_per_km=vehicle_type.cost_nok_per_km,
                    cost_nok_per_hour=vehicle_type.cost_nok_per_hour,
                    max_trips=entry.max_trips,
                    driver_break=Break() if self.scenario.driver_breaks else None,
                ))
        return vehicles, f" ({cut})" if cut else ""

    def _range_m(self, vehicle_type: VehicleType, day: Weekday) -> float | None:
        """How far a vehicle may drive on ``day``: its range after the scenario's winter
        derating, limited further by the day's disruptions (None = unlimited)."""
        range_m = vehicle_type.range_m
        if range_m is not None:
            range_m *= 1.0 - self.scenario.winter_range_derating
        return self.disruptions.range_limit_m(vehicle_type, day, range_m)

    def _jobs(self, problem_name: str, deliveries: Iterable[Delivery],
              vehicles: list[Vehicle], day: Weekday,
              released: Mapping[tuple[str, Weekday], float]
              ) -> tuple[list[Job], dict[str, tuple[Delivery, ...]], list[UnservedDelivery]]:
        """One stop per unit: everything it gets from this depot today, and the reuse
        items collected there; released when the last of its goods is at the depot, in
        the unit's windows that every goods' delivery window allows. Stops whose windows
        do not meet are unserved with the reason."""
        by_unit: dict[str, list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            by_unit[delivery.unit_id].append(delivery)
        jobs: list[Job] = []
        job_deliveries: dict[str, tuple[Delivery, ...]] = {}
        unserved: list[UnservedDelivery] = []
        types = self.dataset.vehicle_types
        for unit_id in sorted(by_unit):
            unit = self.units[unit_id]
            dropped = by_unit[unit_id]
            windows, limits = self._receiving_windows(unit, dropped)
            if not windows:
                detail = (f"unit {unit_id} receives {format_windows(unit.time_windows)}; "
                          f"{'; '.join(limits)}: no time in all of them")
                unserved += [UnservedDelivery(d, UnservedReason.TIME_WINDOW_UNREACHABLE, detail)
                             for d in dropped]
                continue
            handled_kg = sum(d.demand_kg for d in dropped)
            classes = {self.temperature[d.category] for d in dropped
                       if d.category in self.temperature}
            job_id = f"{problem_name}:{unit_id}"
            jobs.append(Job(
                id=job_id,
                location=self.index[unit_id],
                time_windows_s=windows,
                service_duration_s=(unit.service_time_s
                                    + self.scenario.service_s_per_kg * handled_kg),
                delivery_kg=sum(d.demand_kg for d in dropped if not d.collected),
                delivery_m3=sum(d.volume_m3 for d in dropped if not d.collected),
                pickup_kg=sum(d.demand_kg for d in dropped if d.collected),
                pickup_m3=sum(d.volume_m3 for d in dropped if d.collected),
                allowed_vehicles=frozenset(
                    v.id for v in vehicles
                    if self._compatible(types[v.vehicle_type_id], unit, classes)
                    and self.disruptions.may_deliver(types[v.vehicle_type_id],
                                                     unit.lon, unit.lat, day)),
                penalty_nok=self.scenario.unserved_penalty_nok,
                order_ids=tuple(sorted(d.order_id for d in dropped)),
                release_s=max((released.get((d.order_id, d.day), 0.0) for d in dropped
                               if not d.collected), default=0.0),
            ))
            job_deliveries[job_id] = tuple(dropped)
        return jobs, job_deliveries, unserved

    def _receiving_windows(self, unit: Unit, dropped: Sequence[Delivery]
                           ) -> tuple[tuple[tuple[float, float], ...], list[str]]:
        """The unit's windows within the delivery window of every goods dropped there
        (``delivery_windows.csv``: a stop carrying fresh food gets the fresh-food window),
        and the goods' windows that applied, in words."""
        windows: tuple[tuple[float, float], ...] = tuple(
            (float(a), float(b)) for a, b in unit.time_windows)
        limits: list[str] = []
        for category in sorted({d.category for d in dropped if not d.collected
                                and d.category in self.temperature}):
            goods_window = self.dataset.goods_window(unit.unit_type, category)
            if goods_window is not None:
                windows = intersect_windows(windows, goods_window)
                limits.append(f"{category} {format_windows(goods_window)}")
        return windows, limits

    @staticmethod
    def _compatible(vehicle_type: VehicleType, unit: Unit,
                    classes: set[TemperatureClass]) -> bool:
        """Can this vehicle carry these temperature classes to this unit's door?"""
        limits = (
            (unit.max_vehicle_height_m, vehicle_type.height_m),
            (unit.max_vehicle_length_m, vehicle_type.length_m),
            (unit.max_vehicle_weight_kg, vehicle_type.gross_weight_kg),
        )
        return (all(vehicle_type.can_carry(c) for c in classes)
                and all(limit is None or value <= limit for limit, value in limits))

    # -- trunk trips --------------------------------------------------------------------
    def _trunk_routes(self, deliveries: tuple[Delivery, ...]) -> tuple[
            tuple[PlannedRoute, ...], tuple[UnservedDelivery, ...]]:
        """Supplier -> hub trips on each day the hub delivers the supplier's goods, made by
        the supplier's own vehicles (:meth:`_supplier_trunk`)."""
        grouped: dict[tuple[str, Weekday], list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            grouped[(delivery.supplier_id, delivery.day)].append(delivery)
        routes: list[PlannedRoute] = []
        unserved: list[UnservedDelivery] = []
        for (supplier_id, day), todays in sorted(grouped.items()):
            trips, short = self._supplier_trunk(supplier_id, day, todays)
            routes += trips
            unserved += short
        return tuple(routes), tuple(unserved)

    def _supplier_trunk(self, supplier_id: str, day: Weekday, todays: Sequence[Delivery]
                        ) -> tuple[list[PlannedRoute], list[UnservedDelivery]]:
        """One supplier's trunk trips to the day's hub, made by its own vehicles that run
        that day and can carry the day's temperature classes
        (:func:`logistics.plan.trunk.trunk_trips`), and what they cannot bring."""
        hub = self._hub(day)
        classes = {self.temperature[d.category] for d in todays}
        fleet = [f for f in self.dataset.supplier_fleets.get(supplier_id, ()) if f.count > 0]
        running, cut = self.disruptions.fleet_on(supplier_id, fleet, day)
        entries = [(self.dataset.vehicle_types[f.vehicle_type], f.count) for f in running]
        entries = [(v, n) for v, n in entries if all(v.can_carry(c) for c in classes)]
        if not entries:
            reason = (UnservedReason.NO_VEHICLE_AVAILABLE if cut
                      else UnservedReason.NO_COMPATIBLE_VEHICLE)
            loads = " and ".join(sorted(c.value for c in classes))
            return [], [UnservedDelivery(d, reason,
                                         f"supplier {supplier_id} has no vehicle for "
                                         f"{loads} trunk loads" + (f" ({cut})" if cut else ""))
                        for d in todays]
        # one link per profile: vehicles of different sizes may take different roads
        links: dict[VehicleProfile, TrunkLink | None] = {}
        vehicles: list[TrunkVehicle] = []
        for vehicle_type, count in entries:
            profile = self.profiles[vehicle_type.id]
            if profile not in links:
                links[profile] = self._trunk_link(supplier_id, hub, profile, day)
            link = links[profile]
            if link is not None:
                vehicles.extend(TrunkVehicle(vehicle_type, n + 1,
                                             self._range_m(vehicle_type, day), link)
                                for n in range(count))
        if not vehicles:
            return [], [UnservedDelivery(d, UnservedReason.UNREACHABLE,
                                         f"no road between supplier {supplier_id} and hub "
                                         f"{hub.id}") for d in todays]
        in_range = [v for v in vehicles
                    if v.range_m is None or v.link.out_m + v.link.back_m <= v.range_m]
        if not in_range:
            longest = max(vehicles, key=lambda v: float(v.range_m or 0.0))
            round_trip_m = longest.link.out_m + longest.link.back_m
            return [], [UnservedDelivery(d, UnservedReason.RANGE_EXCEEDED,
                                         f"trunk trip {supplier_id} -> {hub.id} -> "
                                         f"{supplier_id} is {round_trip_m / 1000:.1f} km; "
                                         f"the vehicle may drive "
                                         f"{float(longest.range_m or 0.0) / 1000:.1f} km on "
                                         f"{day}") for d in todays]
        trips, short = trunk_trips(supplier_id, hub.id, day, todays, in_range)
        return [PlannedRoute(day, "trunk", supplier_id, route, {0: carried},
                             {0: (route.legs[0].distance_m, route.legs[1].distance_m)},
                             vehicle_day_share(route.duration_s, self.scenario.shift_s))
                for route, carried in trips], short

    # -- milk runs ----------------------------------------------------------------------
    def _collection_routes(self, deliveries: tuple[Delivery, ...]) -> tuple[
            tuple[PlannedRoute, ...], frozenset[Delivery], dict[str, Mapping[str, object]]]:
        """The collection fleet's milk runs of each day (:mod:`logistics.plan.collection`),
        the deliveries they bring to the hub and each day's solver info; none without a
        collection fleet."""
        routes: list[PlannedRoute] = []
        brought: set[Delivery] = set()
        searches: dict[str, Mapping[str, object]] = {}
        fleet = [f for f in self.scenario.fleet.collection if f.count > 0]
        if not fleet:
            return (), frozenset(), searches
        milk_runs: list[tuple[PlannedProblem, dict[str, tuple[Collected, ...]],
                              dict[str, tuple[Delivery, ...]]]] = []
        for day in self.scenario.days:
            by_supplier: dict[str, list[Delivery]] = defaultdict(list)
            for delivery in deliveries:
                if delivery.day == day:
                    by_supplier[delivery.supplier_id].append(delivery)
            if not by_supplier:  # nothing through a hub today (or the hub is closed)
                continue
            hub = self._hub(day)
            vehicles, _ = self._vehicles(hub.id, fleet, hub.opening, day, "collection")
            if not vehicles:
                continue
            name = f"collection:{hub.id}:{day}"
            jobs: list[Job] = []
            collected: dict[str, tuple[Collected, ...]] = {}
            originals: dict[str, tuple[Delivery, ...]] = {}
            for supplier_id, todays in sorted(by_supplier.items()):
                trips, short = self._supplier_trunk(supplier_id, day, todays)
                prize = trunk_cost_nok(
                    ((t, self.dataset.vehicle_types[t.route.vehicle_type_id]) for t in trips),
                    len(short), self.scenario.unserved_penalty_nok)
                classes = {self.temperature[d.category] for d in todays}
                allowed = frozenset(
                    v.id for v in vehicles
                    if all(self.dataset.vehicle_types[v.vehicle_type_id].can_carry(c)
                           for c in classes))
                job_id = f"{name}:{supplier_id}"
                jobs.append(collection_job(job_id, self.dataset.supplier(supplier_id),
                                           self.index[supplier_id], todays, allowed, prize,
                                           self.scenario.service_s_per_kg))
                collected[job_id] = tuple(Collected.of(d) for d in todays)
                originals[job_id] = tuple(todays)
            milk_runs.append((PlannedProblem(day, "collection", hub.id,
                                             self._problem(name, jobs, vehicles, day)),
                              collected, originals))
        solutions = self.solve_collections(tuple(planned for planned, _, _ in milk_runs))
        for (planned, collected, originals), solution in zip(milk_runs, solutions, strict=True):
            searches[planned.problem.name] = solution.solver
            for route in solution.routes:
                picked = {i: collected[v.job_id] for i, v in enumerate(route.visits)
                          if v.job_id in collected}
                routes.append(PlannedRoute(planned.day, "collection", planned.owner, route,
                                           picked,
                                           shortest_distances_m(planned.problem, route, picked)))
                brought |= {d for v in route.visits for d in originals.get(v.job_id, ())}
        return tuple(routes), frozenset(brought), searches

    def _solve_in_turn(self, problems: tuple[PlannedProblem, ...]) -> list[Solution]:
        """Each problem searched in this process, with the scenario's solver settings."""
        return [solve(planned.problem, self.scenario.solver) for planned in problems]

    def _trunk_link(self, supplier_id: str, hub: Hub, profile: VehicleProfile,
                    day: Weekday) -> TrunkLink | None:
        """The supplier depot and ``hub`` on ``profile``'s roads that day (None: no road)."""
        matrices = self.matrices(profile, day)
        depot, hub_index = self.index[supplier_id], self.index[hub.id]
        out_m = float(matrices.distance_m[depot, hub_index])
        back_m = float(matrices.distance_m[hub_index, depot])
        if math.isnan(out_m) or math.isnan(back_m):
            return None
        return TrunkLink(depot, hub_index, out_m, back_m,
                         float(matrices.duration_s[depot, hub_index]),
                         float(matrices.duration_s[hub_index, depot]),
                         hub.opening[0], self.scenario.shift_s,
                         self.scenario.max_route_duration_s, self.scenario.service_s_per_kg)


def shortest_distances_m(problem: RoutingProblem, route: Route,
                         visits: Iterable[int]) -> dict[int, tuple[float, float]]:
    """For each of ``visits`` (indices into the route's visits), the shortest feasible
    distance from the vehicle's start to it and from it to the vehicle's end, m, on the
    matrices the vehicle drove."""
    vehicle = next(v for v in problem.vehicles if v.id == route.vehicle_id)
    distance_m = problem.matrices[vehicle.profile].distance_m
    located = {i: route.visits[i].location for i in visits}
    return {i: (float(distance_m[vehicle.start, at]), float(distance_m[at, vehicle.end]))
            for i, at in located.items()}


def unserved_deliveries(unserved: UnservedJob,
                        by_job: Mapping[str, tuple[Delivery, ...]]) -> list[UnservedDelivery]:
    """The deliveries behind an unserved job, each with the job's reason."""
    return [UnservedDelivery(d, unserved.reason, unserved.detail) for d in by_job[unserved.job_id]]
