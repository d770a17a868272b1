"""Disruption specs: what breaks, on which days (``disruptions:`` in scenario files).

One model per kind, told apart by ``type``; each applies on its ``days`` (empty =
every planning day). :class:`logistics.plan.disruptions.Disruptions` resolves them
against the data set for each planning day.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from shapely.geometry import Polygon

from logistics.clock import Weekday
from logistics.model.domain import EnergyCarrier, UnitType
from logistics.travel.network.closures import Closure
from logistics.validated import Frozen, Id, Name

MAX_POLYGON_CORNERS = 10_000

LonLat = tuple[float, float]


def _valid_ring(ring: tuple[LonLat, ...]) -> tuple[LonLat, ...]:
    if len({tuple(p) for p in ring}) < 3:
        raise ValueError("a polygon needs at least three distinct [lon, lat] corners")
    for lon, lat in ring:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"corner [{lon}, {lat}] is not a WGS84 [lon, lat]")
    if not Polygon(ring).is_valid:
        raise ValueError("the polygon crosses itself; list the corners in order around it")
    return ring


PolygonRing = Annotated[tuple[LonLat, ...], Field(max_length=MAX_POLYGON_CORNERS),
                        AfterValidator(_valid_ring)]
"""A polygon as its corners ``[[lon, lat], ...]`` in WGS84, in order around it."""


class DisruptionSpec(Frozen):
    """What every disruption has: a label and the days it applies on."""

    label: Name = Field(default="", description="Name shown in reports")
    days: tuple[Weekday, ...] = Field(
        default=(), description="Planning days it applies on; empty = every planning day")

    @model_validator(mode="after")
    def _unique_days(self) -> DisruptionSpec:
        if len(set(self.days)) != len(self.days):
            raise ValueError("days must not repeat")
        return self

    def active_on(self, day: Weekday) -> bool:
        return not self.days or day in self.days

    def name(self) -> str:
        """The label, or the type and days when there is none."""
        if self.label:
            return self.label
        kind = str(getattr(self, "type", "disruption"))
        return f"{kind} ({', '.join(self.days) or 'every day'})"


class SupplierOutage(DisruptionSpec):
    """A supplier delivers nothing; its categories go to a supplier listing them as
    ``backup_categories`` (when ``use_alternates``), otherwise they are unmet."""

    type: Literal["supplier_outage"] = "supplier_outage"
    supplier: Id
    use_alternates: bool = True


class HubOutage(DisruptionSpec):
    """The hub is closed. Consolidated deliveries fall back to ``direct`` supplier
    delivery, to a second ``hub`` (``fallback_hub``, same municipal fleet) or to
    ``none`` (unmet)."""

    type: Literal["hub_outage"] = "hub_outage"
    hub: Id | None = Field(default=None, description="Closed hub; default the scenario's")
    fallback: Literal["direct", "hub", "none"] = "direct"
    fallback_hub: Id | None = None

    @model_validator(mode="after")
    def _fallback_hub(self) -> HubOutage:
        if (self.fallback == "hub") != (self.fallback_hub is not None):
            raise ValueError("fallback 'hub' needs fallback_hub, and only it")
        return self


class RoadClosure(DisruptionSpec):
    """Roads closed (a bridge, a tunnel, a landslide area): OSM way ids, street names
    (OSM ``name``, case-insensitive) and/or a polygon. Needs a road network."""

    type: Literal["road_closure"] = "road_closure"
    way_ids: tuple[Annotated[int, Field(ge=0)], ...] = Field(default=(), max_length=10_000)
    street_names: tuple[Name, ...] = Field(default=(), max_length=1000)
    polygon: PolygonRing | None = None

    @model_validator(mode="after")
    def _something_closed(self) -> RoadClosure:
        if not (self.way_ids or self.street_names or self.polygon):
            raise ValueError("a road closure needs way_ids, street_names or a polygon")
        return self

    def closure(self) -> Closure:
        area = Polygon(self.polygon) if self.polygon else None
        return Closure(way_ids=self.way_ids, street_names=self.street_names, area=area,
                       label=self.name())


class FuelShortage(DisruptionSpec):
    """An energy carrier runs short: unavailable (vehicles using it stay parked), or
    rationed to ``litres_per_vehicle_per_day`` (liquid fuels), which limits each
    vehicle's daily distance at its full-load consumption."""

    type: Literal["fuel_shortage"] = "fuel_shortage"
    carrier: Literal[EnergyCarrier.DIESEL, EnergyCarrier.HVO100, EnergyCarrier.BIOGAS]
    litres_per_vehicle_per_day: float | None = Field(default=None, gt=0, le=2000)

    @model_validator(mode="after")
    def _litres_for_liquids(self) -> FuelShortage:
        if self.litres_per_vehicle_per_day is not None and self.carrier is EnergyCarrier.BIOGAS:
            raise ValueError("biogas is sold by kg: a biogas shortage can only be 'unavailable'"
                             " (leave litres_per_vehicle_per_day out)")
        return self


class PowerOutage(DisruptionSpec):
    """No charging: electric vehicles run on what is in the battery at the start,
    shared evenly over the consecutive outage days, with ``winter_derating`` of range
    (cold batteries and cabin heat: 0.2-0.36 at 0 to -10 °C, about 0.5 near -20 °C)."""

    type: Literal["power_outage"] = "power_outage"
    winter_derating: float = Field(default=0.3, ge=0.0, le=0.6)


class DemandSurge(DisruptionSpec):
    """Demand multiplied per category and/or unit type (both apply when both match)."""

    type: Literal["demand_surge"] = "demand_surge"
    categories: dict[Id, float] = Field(default_factory=dict)
    unit_types: dict[UnitType, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _multipliers(self) -> DemandSurge:
        if not (self.categories or self.unit_types):
            raise ValueError("a demand surge needs multipliers for categories or unit_types")
        for key, value in (*self.categories.items(), *self.unit_types.items()):
            if not 0 < value <= 20:
                raise ValueError(f"multiplier for {key}: {value}; allowed 0 < m <= 20")
        return self


class FleetShortage(DisruptionSpec):
    """Drivers or vehicles missing: ``share`` of each fleet out (rounded to whole
    vehicles, largest types first). ``fleets`` names supplier or hub ids; empty = all."""

    type: Literal["fleet_shortage"] = "fleet_shortage"
    share: float = Field(gt=0, le=1)
    fleets: tuple[Id, ...] = ()


class ZoneBan(DisruptionSpec):
    """A zero-emission zone: only zero-emission vehicles may deliver inside it (and, on
    a road network, drive through it)."""

    type: Literal["zone_ban"] = "zone_ban"
    polygon: PolygonRing


Disruption = Annotated[
    SupplierOutage | HubOutage | RoadClosure | FuelShortage | PowerOutage | DemandSurge
    | FleetShortage | ZoneBan,
    Field(discriminator="type"),
]
"""One disruption entry of a scenario."""
