"""Energy, greenhouse gases and local pollutants per leg, route and order.

Method: ISO 14083:2023 / GLEC Framework v3, per-vehicle-km (energy-based) calculation.
Each leg's final energy is ``distance x energy_kwh_per_km(payload)`` (linear between the
vehicle's empty and full consumption); GHG = energy x carrier factor, tank-to-wheel (TTW)
and well-to-tank (WTT), well-to-wheel (WTW) = TTW + WTT. Electricity has no TTW; its WTT
is the chosen electricity basis. NOx and exhaust PM are per vehicle-km by vehicle class,
carrier and Euro stage; non-exhaust PM10 (tyre, brake, road wear) per vehicle-km for every
vehicle, electric ones included. ``pm_g`` is PM10: exhaust PM (all finer than 2.5 µm)
plus non-exhaust PM10.

Allocation (ISO 14083 / GLEC), by default: a route's emissions go to the orders it
carries in proportion to mass x shortest feasible distance, the distance each order
would travel on its own from where it is loaded to where it is unloaded (on the
matrices the vehicle drove), so the last drop of a round is not charged for the others.
The alternative ``actual_distance`` shares by tonne-km as driven: each leg among the
orders on board by kg, legs with nothing on board (empty running, the return) by each
order's tonne-km over the whole route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import TypedDict

from logistics.errors import InputError, LogisticsError, Problem, ProblemCollector
from logistics.model.domain import EnergyCarrier, Order, VehicleType
from logistics.model.factors import (
    EXTERNAL_COSTS_FILE,
    PRICE_BASE_YEAR,
    REFERENCE_YEAR,
    CarbonPrice,
    CarrierFactors,
    ElectricityBasis,
    FactorTables,
    HubEnergy,
)
from logistics.routing.problem import Leg, Route

METHOD = "ISO 14083:2023 / GLEC v3 per-vehicle-km method"
PM_BASIS = "PM10: exhaust PM + tyre, brake and road wear"


class AllocationRule(StrEnum):
    """How a route's emissions are shared among the orders it carries."""

    SHORTEST_DISTANCE = "shortest_distance"
    """ISO 14083: by mass x shortest feasible distance from loading to unloading."""
    ACTUAL_DISTANCE = "actual_distance"
    """By tonne-km as driven, leg by leg; empty legs by each order's route tonne-km."""


ALLOCATION_RULES = {
    AllocationRule.SHORTEST_DISTANCE: (
        "ISO 14083 mass x shortest feasible distance: each order's share of the route is its "
        "kg times the shortest distance from where it is loaded to where it is unloaded"),
    AllocationRule.ACTUAL_DISTANCE: (
        "tonne-km as driven: each leg is shared among the orders on board by kg; legs with "
        "nothing on board (empty running, return) by each order's tonne-km over the trip"),
}


class BiogenicRule(StrEnum):
    """How biogenic CO2 from biofuels at the tailpipe is counted."""

    ZERO_AT_TAILPIPE = "zero_at_tailpipe"
    """Not counted (municipal climate accounts, GLEC); non-CO2 gases still counted."""
    COUNTED = "counted"
    """Counted like fossil CO2."""


DEFAULT_ELECTRICITY_BASIS = "location_nve_2022"
DEFAULT_EXTERNAL_COST_AREA = "town_over_100k"


@dataclass(frozen=True)
class EmissionSettings:
    """Accounting choices, named in every result (see :meth:`describe`).

    ``electricity_basis`` is a row of ``electricity.csv``; ``diesel_bio_share`` overrides
    the table's bio share of road diesel (share of energy, 0..1; None = table value);
    ``carbon_price_year`` picks the carbon price; ``external_cost_area`` the row of
    ``external_costs.csv``.
    """

    electricity_basis: str = DEFAULT_ELECTRICITY_BASIS
    biogenic_co2: BiogenicRule = BiogenicRule.ZERO_AT_TAILPIPE
    carbon_price_year: int = REFERENCE_YEAR
    diesel_bio_share: float | None = None
    external_cost_area: str = DEFAULT_EXTERNAL_COST_AREA
    hub_energy_scale: float = 1.0
    allocation: AllocationRule = AllocationRule.SHORTEST_DISTANCE
    electric_energy_factor: float = 1.0
    """Battery-electric energy over its tabled (summer) value: the year's mean by season
    (:mod:`logistics.accounting.season`); 1 = as tabled."""

    def __post_init__(self) -> None:
        problems = ProblemCollector()
        try:
            object.__setattr__(self, "allocation", AllocationRule(self.allocation))
        except ValueError:
            problems.add("emission settings", "", "allocation", self.allocation,
                         ", ".join(r.value for r in AllocationRule))
        try:
            object.__setattr__(self, "biogenic_co2", BiogenicRule(self.biogenic_co2))
        except ValueError:
            problems.add("emission settings", "", "biogenic_co2", self.biogenic_co2,
                         ", ".join(r.value for r in BiogenicRule))
        share = self.diesel_bio_share
        if share is not None and not 0.0 <= share <= 1.0:
            problems.add("emission settings", "", "diesel_bio_share", share, "0..1 or None")
        if not 0.0 <= self.hub_energy_scale <= 10.0:
            problems.add("emission settings", "", "hub_energy_scale", self.hub_energy_scale,
                         "0..10")
        if not 0.5 <= self.electric_energy_factor <= 5.0:
            problems.add("emission settings", "", "electric_energy_factor",
                         self.electric_energy_factor, "0.5..5")
        problems.raise_if_any()

    def check(self, factors: FactorTables, source: str = "emission settings") -> None:
        """Raise InputError if the basis, year or area has no row in the factor tables;
        each problem names ``source`` (the scenario file the setting came from) and the
        setting as that file spells it (``emissions.electricity_basis``)."""
        problems = ProblemCollector()
        for field, lookup in (
                ("electricity_basis", lambda: factors.electricity_basis(self.electricity_basis)),
                ("carbon_price_year", lambda: factors.carbon_price(self.carbon_price_year))):
            try:
                lookup()
            except InputError as error:
                problems.extend(Problem(source, "", f"emissions.{field}", p.found,
                                        f"{p.allowed} ({p.source})") for p in error.problems)
        areas = sorted({area for _, _, area in factors.external_costs})
        if self.external_cost_area not in areas:
            problems.add(source, "", "emissions.external_cost_area", self.external_cost_area,
                         f"an area of factor table {EXTERNAL_COSTS_FILE}: {', '.join(areas)}")
        problems.raise_if_any()

    def describe(self, factors: FactorTables) -> EmissionsMethod:
        """The method and choices behind a result, with the factor rows they pick."""
        return EmissionsMethod(self, factors.electricity_basis(self.electricity_basis),
                               factors.carbon_price(self.carbon_price_year),
                               tuple(factors.hub_energy.values()),
                               factors.carrier(EnergyCarrier.DIESEL))


class HubEnergyJson(TypedDict):
    """A hub energy factor as a result names it."""

    kwh: float
    basis: str
    source: str


class VintageJson(TypedDict):
    """The years the factors of a result describe."""

    reference_year: int
    carbon_price: str
    price_base_year: int
    electricity: int | None
    diesel_bio_share: int | str | None


class EmissionsMethodJson(TypedDict, total=False):
    """The emissions method as ``result.json`` holds it (an older result may lack
    fields)."""

    method: str
    allocation: str
    allocation_rule: str
    electricity_basis: str
    biogenic_co2: str
    carbon_price_year: int
    diesel_bio_share: float
    external_cost_area: str
    pm: str
    hub_energy_scale: float
    electric_energy_factor: float
    electricity_co2e_kg_per_kwh: float
    electricity_source: str
    carbon_price_nok_per_t_co2e: float
    carbon_price_source: str
    hub_energy: dict[str, HubEnergyJson]
    vintage: VintageJson


@dataclass(frozen=True)
class EmissionsMethod:
    """The accounting choices of a result and the factor rows they picked, for reports
    and comparison tables (``emissions_method`` in ``result.json``)."""

    settings: EmissionSettings
    electricity: ElectricityBasis
    carbon_price: CarbonPrice
    hub_energy: tuple[HubEnergy, ...]
    diesel: CarrierFactors

    @property
    def diesel_bio_share(self) -> float:
        """The bio share of road diesel used: the scenario's, else the table's."""
        chosen = self.settings.diesel_bio_share
        return self.diesel.bio_share_energy if chosen is None else chosen

    def as_json(self) -> EmissionsMethodJson:
        settings = self.settings
        return {
            "method": METHOD,
            "allocation": settings.allocation.value,
            "allocation_rule": ALLOCATION_RULES[settings.allocation],
            "electricity_basis": settings.electricity_basis,
            "biogenic_co2": settings.biogenic_co2.value,
            "carbon_price_year": settings.carbon_price_year,
            "diesel_bio_share": self.diesel_bio_share,
            "external_cost_area": settings.external_cost_area,
            "pm": PM_BASIS,
            "hub_energy_scale": settings.hub_energy_scale,
            "electric_energy_factor": settings.electric_energy_factor,
            "electricity_co2e_kg_per_kwh": self.electricity.co2e_kg_per_kwh,
            "electricity_source": self.electricity.source,
            "carbon_price_nok_per_t_co2e": self.carbon_price.nok_per_t_co2e,
            "carbon_price_source": self.carbon_price.source,
            "hub_energy": {row.activity: {"kwh": row.kwh_per_unit, "basis": row.basis,
                                          "source": row.source} for row in self.hub_energy},
            "vintage": {
                "reference_year": settings.carbon_price_year,
                "carbon_price": (f"{settings.carbon_price_year}, from "
                                 f"{self.carbon_price.price_year} NOK"),
                "price_base_year": PRICE_BASE_YEAR,
                "electricity": self.electricity.year,
                "diesel_bio_share": (self.diesel.bio_share_year
                                     if settings.diesel_bio_share is None
                                     else "set by the scenario"),
            },
        }


@dataclass(frozen=True)
class LegEmissions:
    """Energy and emissions of one leg (or a sum of legs, or an order's allocated part)."""

    energy_kwh: float = 0.0
    co2e_ttw_kg: float = 0.0
    co2e_wtw_kg: float = 0.0
    nox_g: float = 0.0
    pm_exhaust_g: float = 0.0
    pm_non_exhaust_g: float = 0.0

    @property
    def co2e_wtt_kg(self) -> float:
        return self.co2e_wtw_kg - self.co2e_ttw_kg

    @property
    def pm_g(self) -> float:
        return self.pm_exhaust_g + self.pm_non_exhaust_g

    def __add__(self, other: LegEmissions) -> LegEmissions:
        return LegEmissions(*(getattr(self, f.name) + getattr(other, f.name)
                              for f in fields(LegEmissions)))

    def scaled(self, factor: float) -> LegEmissions:
        return LegEmissions(*(getattr(self, f.name) * factor for f in fields(LegEmissions)))

    def as_dict(self) -> dict[str, float]:
        values = {f.name: getattr(self, f.name) for f in fields(LegEmissions)}
        values["co2e_wtt_kg"] = self.co2e_wtt_kg
        values["pm_g"] = self.pm_g
        return values


def total(emissions: Iterable[LegEmissions]) -> LegEmissions:
    """Sum of emissions."""
    result = LegEmissions()
    for item in emissions:
        result = result + item
    return result


@dataclass(frozen=True)
class CarrierIntensity:
    """GHG per kWh of final energy of a carrier under given settings (kg CO2e/kWh)."""

    ttw_kg_per_kwh: float
    wtt_kg_per_kwh: float

    @property
    def wtw_kg_per_kwh(self) -> float:
        return self.ttw_kg_per_kwh + self.wtt_kg_per_kwh


def carrier_intensity(carrier: EnergyCarrier, factors: FactorTables,
                      settings: EmissionSettings) -> CarrierIntensity:
    """TTW and WTT kg CO2e per kWh of ``carrier``, blend and biogenic rule applied."""
    if carrier is EnergyCarrier.ELECTRICITY:
        basis = factors.electricity_basis(settings.electricity_basis)
        return CarrierIntensity(0.0, basis.co2e_kg_per_kwh)
    row: CarrierFactors = factors.carrier(carrier)
    bio = row.bio_share_energy
    if carrier is EnergyCarrier.DIESEL and settings.diesel_bio_share is not None:
        bio = settings.diesel_bio_share
    biogenic = (row.bio_ttw_biogenic_co2_kg_per_kwh
                if settings.biogenic_co2 is BiogenicRule.COUNTED else 0.0)
    ttw = (1 - bio) * row.fossil_ttw_co2e_kg_per_kwh + bio * (
        row.bio_ttw_other_co2e_kg_per_kwh + biogenic)
    wtt = (1 - bio) * row.fossil_wtt_co2e_kg_per_kwh + bio * row.bio_wtt_co2e_kg_per_kwh
    return CarrierIntensity(ttw, wtt)


def leg_energy_kwh(vehicle_type: VehicleType, distance_m: float, payload_kg: float) -> float:
    """Final energy of driving ``distance_m`` with ``payload_kg`` on board (kWh)."""
    return distance_m / 1000 * vehicle_type.energy_kwh_per_km(payload_kg)


def leg_emissions(vehicle_type: VehicleType, distance_m: float, payload_kg: float,
                  factors: FactorTables, settings: EmissionSettings) -> LegEmissions:
    """Energy, CO2e (TTW, WTW), NOx and PM of one leg."""
    return _leg_calculator(vehicle_type, factors, settings)(distance_m, payload_kg)


def _leg_calculator(vehicle_type: VehicleType, factors: FactorTables,
                    settings: EmissionSettings) -> Callable[[float, float], LegEmissions]:
    """Look the factors of a vehicle up once; return leg (distance_m, payload_kg) -> emissions."""
    intensity = carrier_intensity(vehicle_type.energy_carrier, factors, settings)
    exhaust = factors.exhaust_for(vehicle_type)
    non_exhaust_g_per_km = factors.non_exhaust_for(vehicle_type).pm10_g_per_km
    season = (settings.electric_energy_factor
              if vehicle_type.energy_carrier is EnergyCarrier.ELECTRICITY else 1.0)

    def calculate(distance_m: float, payload_kg: float) -> LegEmissions:
        distance_km = distance_m / 1000
        energy_kwh = season * leg_energy_kwh(vehicle_type, distance_m, payload_kg)
        return LegEmissions(
            energy_kwh=energy_kwh,
            co2e_ttw_kg=energy_kwh * intensity.ttw_kg_per_kwh,
            co2e_wtw_kg=energy_kwh * intensity.wtw_kg_per_kwh,
            nox_g=distance_km * exhaust.nox_g_per_km,
            pm_exhaust_g=distance_km * exhaust.pm_g_per_km,
            pm_non_exhaust_g=distance_km * non_exhaust_g_per_km,
        )

    return calculate


def route_leg_emissions(route: Route, vehicle_type: VehicleType, factors: FactorTables,
                        settings: EmissionSettings) -> tuple[LegEmissions, ...]:
    """Emissions of every leg of a route (distribution route or trunk trip), in order.

    Each leg uses the load on board during it, so empty running counts.
    """
    calculate = _leg_calculator(vehicle_type, factors, settings)
    return tuple(calculate(leg.distance_m, leg.load_kg) for leg in route.legs)


def route_emissions(route: Route, vehicle_type: VehicleType, factors: FactorTables,
                    settings: EmissionSettings) -> LegEmissions:
    """Total emissions of a route: the sum over its legs."""
    return total(route_leg_emissions(route, vehicle_type, factors, settings))


def _legs_before_visits(route: Route) -> list[int]:
    """For each visit, how many legs have been driven when the vehicle arrives there.

    A visit at the vehicle's current position (a break, a second job at the same place)
    consumes no leg; otherwise legs are consumed until one ends at the visit's location.
    """
    legs: Sequence[Leg] = route.legs
    counts: list[int] = []
    driven = 0
    position = legs[0].from_location if legs else None
    for visit in route.visits:
        if visit.location != position:
            while driven < len(legs) and legs[driven].to_location != visit.location:
                driven += 1
            if driven == len(legs):
                raise LogisticsError(
                    f"route of vehicle {route.vehicle_id}: no leg reaches visit "
                    f"{visit.job_id} at location {visit.location}")
            driven += 1
            position = visit.location
        counts.append(driven)
    return counts


def onboard_kg_by_leg(route: Route, order_kg_by_visit: Sequence[Mapping[str, float]],
                      collected_kg_by_visit: Sequence[Mapping[str, float]] | None = None
                      ) -> list[dict[str, float]]:
    """Kg of each order on board during each leg.

    ``order_kg_by_visit`` has one mapping per visit of ``route.visits`` (empty for
    breaks and reloads): order id -> kg delivered there (``kind == "delivery"``) or
    collected there (``kind == "pickup"``). A trip runs from the start or a ``reload``
    visit to the next reload or the end. A delivery is on board from its order's pickup
    earlier on the route if there is one (a shipment), else from the start of its trip;
    a pickup not delivered later rides to the end of its trip.
    ``collected_kg_by_visit`` (optional, one mapping per visit) lists what is collected
    at visits that also deliver (e.g. reuse surplus at a delivery stop); it is treated
    like a pickup.
    """
    if len(order_kg_by_visit) != len(route.visits):
        raise LogisticsError(
            f"route of vehicle {route.vehicle_id}: {len(order_kg_by_visit)} order mappings "
            f"for {len(route.visits)} visits; give one mapping per visit")
    arrived_after = _legs_before_visits(route)
    n_legs = len(route.legs)
    reloads = [i for i, visit in enumerate(route.visits) if visit.kind == "reload"]

    def trip_start(index: int) -> int:
        earlier = [arrived_after[r] for r in reloads if r < index]
        return earlier[-1] if earlier else 0

    def trip_end(index: int) -> int:
        later = [arrived_after[r] for r in reloads if r > index]
        return later[0] if later else n_legs

    onboard: list[dict[str, float]] = [{} for _ in range(n_legs)]

    def carry(order_id: str, kg: float, first_leg: int, end_leg: int) -> None:
        for leg in range(first_leg, end_leg):
            onboard[leg][order_id] = onboard[leg].get(order_id, 0.0) + kg

    pending: dict[str, list[tuple[int, float]]] = {}  # order -> [(visit index, kg)] picked up
    for index, collected in enumerate(collected_kg_by_visit or ()):
        for order_id, kg in collected.items():
            pending.setdefault(order_id, []).append((index, kg))
    for index, (visit, orders) in enumerate(zip(route.visits, order_kg_by_visit,
                                                strict=True)):
        for order_id, kg in orders.items():
            if visit.kind == "pickup":
                pending.setdefault(order_id, []).append((index, kg))
                continue
            remaining = kg
            while remaining > 0 and pending.get(order_id):
                picked_at, picked_kg = pending[order_id][0]
                moved = min(remaining, picked_kg)
                carry(order_id, moved, arrived_after[picked_at], arrived_after[index])
                remaining -= moved
                if picked_kg > moved:
                    pending[order_id][0] = (picked_at, picked_kg - moved)
                else:
                    pending[order_id].pop(0)
            if remaining > 0:
                carry(order_id, remaining, trip_start(index), arrived_after[index])
    for order_id, pickups in pending.items():
        for picked_at, kg in pickups:
            carry(order_id, kg, arrived_after[picked_at], trip_end(picked_at))
    return onboard


def allocation_weights(route: Route, order_kg_by_visit: Sequence[Mapping[str, float]],
                       collected_kg_by_visit: Sequence[Mapping[str, float]] | None = None
                       ) -> list[dict[str, float]]:
    """Per leg, each order's share of that leg's emissions (each leg's shares sum to 1).

    Loaded legs: kg on board (equal to the tonne-km share, as every order on board drives
    the same km). Legs with nothing on board: each order's tonne-km over the whole route
    (by kg if the route has no tonne-km, equally if no order has kg).
    """
    onboard = onboard_kg_by_leg(route, order_kg_by_visit, collected_kg_by_visit)
    every_visit = list(order_kg_by_visit) + list(collected_kg_by_visit or ())
    order_ids = list(dict.fromkeys(o for orders in every_visit for o in orders))
    tonne_km: dict[str, float] = dict.fromkeys(order_ids, 0.0)
    for leg, orders in zip(route.legs, onboard, strict=True):
        for order_id, kg in orders.items():
            tonne_km[order_id] += kg / 1000 * leg.distance_m / 1000
    fallback = _normalised(tonne_km) or _normalised(_kg_by_order(every_visit)) or (
        {o: 1 / len(order_ids) for o in order_ids} if order_ids else {})
    return [_normalised(orders) or fallback for orders in onboard]


def _kg_by_order(order_kg_by_visit: Sequence[Mapping[str, float]]) -> dict[str, float]:
    kg: dict[str, float] = {}
    for orders in order_kg_by_visit:
        for order_id, value in orders.items():
            kg[order_id] = kg.get(order_id, 0.0) + value
    return kg


def _normalised(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1; empty if they sum to 0."""
    positive = {k: v for k, v in weights.items() if v > 0}
    weight_sum = sum(positive.values())
    return {k: v / weight_sum for k, v in positive.items()} if weight_sum > 0 else {}


def allocate_route(route: Route, emissions_by_leg: Sequence[LegEmissions],
                   order_kg_by_visit: Sequence[Mapping[str, float]],
                   collected_kg_by_visit: Sequence[Mapping[str, float]] | None = None
                   ) -> dict[str, LegEmissions]:
    """Allocate a route's emissions to the orders it carries (ISO 14083, tonne-km).

    ``emissions_by_leg`` is :func:`route_leg_emissions` of the route;
    ``order_kg_by_visit`` is one mapping per visit, order id -> kg delivered (or
    collected) there, e.g. built from ``problem.job(visit.job_id).order_ids``;
    ``collected_kg_by_visit`` what is collected at delivering visits
    (see :func:`onboard_kg_by_leg`).
    The allocated parts sum to the route total (to floating-point rounding) for every
    quantity. A route with no orders allocates nothing.
    """
    if len(emissions_by_leg) != len(route.legs):
        raise LogisticsError(
            f"route of vehicle {route.vehicle_id}: {len(emissions_by_leg)} leg emissions "
            f"for {len(route.legs)} legs")
    allocated: dict[str, LegEmissions] = {}
    for leg_emission, weights in zip(emissions_by_leg,
                                     allocation_weights(route, order_kg_by_visit,
                                                        collected_kg_by_visit),
                                     strict=True):
        for order_id, weight in weights.items():
            part = leg_emission.scaled(weight)
            allocated[order_id] = allocated[order_id] + part if order_id in allocated else part
    return allocated


def allocate_by_shortest_distance(emissions: LegEmissions,
                                  kg_and_distance_m: Iterable[tuple[str, float, float]]
                                  ) -> dict[str, LegEmissions]:
    """Share ``emissions`` (a route's total) among orders by kg x shortest feasible
    distance (ISO 14083); ``kg_and_distance_m`` holds (order id, kg, distance m) for each
    drop or collection (an order may appear several times). Orders with no distance
    (loaded where unloaded) share by kg only if no order has a distance."""
    weights: dict[str, float] = {}
    kg: dict[str, float] = {}
    for order_id, order_kg, distance_m in kg_and_distance_m:
        weights[order_id] = weights.get(order_id, 0.0) + order_kg * distance_m
        kg[order_id] = kg.get(order_id, 0.0) + order_kg
    shares = _normalised(weights) or _normalised(kg) or (
        {o: 1 / len(kg) for o in kg} if kg else {})
    return {order_id: emissions.scaled(share) for order_id, share in shares.items()}


def aggregate(allocations: Iterable[Mapping[str, LegEmissions]],
              group_of_order: Mapping[str, str] | Callable[[str], str]
              ) -> dict[str, LegEmissions]:
    """Sum allocated emissions of many routes by a group (unit, supplier, category, ...).

    ``group_of_order`` maps an order id to its group; orders it does not know raise
    LogisticsError naming them.
    """
    lookup: Callable[[str], str | None] = (
        group_of_order.get if isinstance(group_of_order, Mapping) else group_of_order)
    grouped: dict[str, LegEmissions] = {}
    unknown: set[str] = set()
    for allocation in allocations:
        for order_id, emissions in allocation.items():
            group = lookup(order_id)
            if group is None:
                unknown.add(order_id)
                continue
            grouped[group] = grouped[group] + emissions if group in grouped else emissions
    if unknown:
        raise LogisticsError(f"no group for orders: {', '.join(sorted(unknown))}")
    return grouped


def aggregate_by_order_field(allocations: Iterable[Mapping[str, LegEmissions]],
                             orders: Iterable[Order], field: str
                             ) -> dict[str, LegEmissions]:
    """Allocated emissions per ``Order`` field: ``"id"``, ``"unit_id"``, ``"supplier_id"``
    or ``"category"`` (emissions per order, unit, supplier contract or product group)."""
    allowed = ("id", "unit_id", "supplier_id", "category")
    if field not in allowed:
        raise LogisticsError(f"cannot aggregate by {field!r}; allowed: {', '.join(allowed)}")
    return aggregate(allocations, {order.id: str(getattr(order, field)) for order in orders})
