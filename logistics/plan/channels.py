"""Channels: who carries a supplier's or a category's goods.

A flow goes by the supplier's own fleet (``own_fleet``, routed like today) or by a
``parcel`` or ``groupage`` carrier. Carrier flows are counted but not routed: each
delivery becomes a :class:`CarrierShipment` from the supplier's depot to the unit (or, in
a consolidated design that chooses it, to the hub, the hub's fleet doing the last mile),
measured on the shortest road distance, and accounted with the carrier's intensity and
price (:mod:`logistics.accounting.carriers`).

``channels.csv`` names a supplier id or a category id in ``applies_to``; a category's
row wins over its supplier's; anything not named goes by its own fleet.
``carrier_intensities.csv`` holds one row per carrier channel: intensities per
tonne-km and per shipment, prices, and the catalogue vehicle whose roads measure the
distance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from pydantic import Field

from logistics.clock import Weekday
from logistics.errors import ProblemCollector
from logistics.io.tables import read_rows
from logistics.plan.deliveries import Delivery, UnservedDelivery
from logistics.routing.problem import UnservedReason
from logistics.validated import Frozen, Id, Text


class Channel(StrEnum):
    """How a flow reaches its unit."""

    OWN_FLEET = "own_fleet"
    PARCEL = "parcel"
    GROUPAGE = "groupage"


CARRIER_CHANNELS = (Channel.PARCEL, Channel.GROUPAGE)


class ChannelRow(Frozen):
    """A row of ``channels.csv``: the channel of a supplier's or a category's flows."""

    applies_to: Id = Field(description="a supplier id or a category id")
    channel: Channel
    basis: Text = ""


class CarrierRate(Frozen):
    """A row of ``carrier_intensities.csv``: a carrier channel's emission intensities
    (per tonne-km of shortest distance and per shipment) and its price."""

    channel: Channel
    vehicle_type: Id = Field(description="catalogue vehicle whose roads measure the "
                                         "shortest distance of a shipment")
    co2e_wtw_kg_per_tkm: float = Field(ge=0, le=10)
    co2e_ttw_kg_per_tkm: float = Field(ge=0, le=10)
    co2e_wtw_kg_per_shipment: float = Field(ge=0, le=1000)
    co2e_ttw_kg_per_shipment: float = Field(ge=0, le=1000)
    nox_g_per_tkm: float = Field(ge=0, le=1000)
    pm_g_per_tkm: float = Field(ge=0, le=100)
    cost_nok_per_shipment: float = Field(ge=0, le=100_000)
    cost_nok_per_kg: float = Field(ge=0, le=1000)
    cost_nok_per_tkm: float = Field(ge=0, le=10_000)
    price_year: int = Field(ge=1990, le=2100)
    source: Text


@dataclass(frozen=True)
class ChannelTable:
    """Channels by category and by supplier, and the carriers' rates."""

    by_category: Mapping[str, Channel]
    by_supplier: Mapping[str, Channel]
    rates: Mapping[Channel, CarrierRate]

    def channel_of(self, supplier_id: str, category: str) -> Channel:
        """The channel of a supplier's flow of a category (category first)."""
        return self.by_category.get(category,
                                    self.by_supplier.get(supplier_id, Channel.OWN_FLEET))


NO_CHANNELS = ChannelTable({}, {}, {})
"""Every flow by the supplier's own fleet."""


def load_channels(channels_path: Path, rates_path: Path, supplier_ids: Iterable[str],
                  category_ids: Iterable[str], vehicle_ids: Iterable[str]) -> ChannelTable:
    """Load and cross-check ``channels.csv`` and ``carrier_intensities.csv``; one
    InputError lists every problem of both."""
    problems = ProblemCollector()
    rows = _numbered_rows(channels_path, ChannelRow, "applies_to", problems)
    rates = _numbered_rows(rates_path, CarrierRate, "channel", problems)
    suppliers, categories = set(supplier_ids), set(category_ids)
    vehicles = set(vehicle_ids)
    rated = {rate.channel for _, rate in rates}
    by_category: dict[str, Channel] = {}
    by_supplier: dict[str, Channel] = {}
    for where, row in rows:
        if row.applies_to in categories:
            by_category[row.applies_to] = row.channel
        elif row.applies_to in suppliers:
            by_supplier[row.applies_to] = row.channel
        else:
            problems.add(str(channels_path), where, "applies_to", row.applies_to,
                         f"a supplier id {sorted(suppliers)} or a category id "
                         f"{sorted(categories)}")
        if row.channel in CARRIER_CHANNELS and row.channel not in rated:
            problems.add(str(channels_path), where, "channel", row.channel.value,
                         f"own_fleet or a channel with a row in {rates_path.name}: "
                         f"{sorted(c.value for c in rated)}")
    for where, rate in rates:
        if rate.channel is Channel.OWN_FLEET:
            problems.add(str(rates_path), where, "channel", rate.channel.value,
                         "a carrier channel: parcel or groupage")
        if rate.vehicle_type not in vehicles:
            problems.add(str(rates_path), where, "vehicle_type", rate.vehicle_type,
                         f"a vehicle id of the catalogue: {sorted(vehicles)}")
        if rate.co2e_ttw_kg_per_tkm > rate.co2e_wtw_kg_per_tkm:
            problems.add(str(rates_path), where, "co2e_ttw_kg_per_tkm",
                         rate.co2e_ttw_kg_per_tkm,
                         f"at most co2e_wtw_kg_per_tkm ({rate.co2e_wtw_kg_per_tkm})")
        if rate.co2e_ttw_kg_per_shipment > rate.co2e_wtw_kg_per_shipment:
            problems.add(str(rates_path), where, "co2e_ttw_kg_per_shipment",
                         rate.co2e_ttw_kg_per_shipment,
                         f"at most co2e_wtw_kg_per_shipment ({rate.co2e_wtw_kg_per_shipment})")
    problems.raise_if_any()
    return ChannelTable(by_category, by_supplier, {r.channel: r for _, r in rates})


_Row = TypeVar("_Row", ChannelRow, CarrierRate)


def _numbered_rows(path: Path, model: type[_Row], key: str,
                   problems: ProblemCollector) -> list[tuple[str, _Row]]:
    """The valid rows of a table, each with where it is (``row N (key=value)``, data rows
    numbered from 1 as in every loader); the problems of the others, and of repeated
    keys, go to ``problems`` so the valid rows are still cross-checked."""
    raw = problems.attempt(lambda: read_rows(path))
    if raw is None:
        return []
    valid: list[tuple[str, _Row]] = []
    seen: set[str] = set()
    for number, row in enumerate(raw, start=1):
        where = f"row {number} ({key}={row.get(key)})"
        with problems.collecting():
            valid.append((where, model.from_data(row, str(path), where)))
        if str(row.get(key)) in seen:
            problems.add(str(path), where, key, row.get(key), "each value once")
        seen.add(str(row.get(key)))
    return valid


@dataclass(frozen=True)
class CarrierShipment:
    """One delivery handed to a carrier (at ``rate``): from the supplier's depot to
    ``destination_id`` (the unit, or the hub), ``distance_m`` the shortest road distance
    between them."""

    delivery: Delivery
    rate: CarrierRate
    destination_id: str
    distance_m: float

    @property
    def channel(self) -> Channel:
        return self.rate.channel

    @property
    def day(self) -> Weekday:
        return self.delivery.day

    @property
    def to_unit(self) -> bool:
        """True when the carrier delivers to the unit itself (a delivery to a unit)."""
        return self.destination_id == self.delivery.unit_id


def split_by_channel(deliveries: Iterable[Delivery], table: ChannelTable
                     ) -> tuple[tuple[Delivery, ...], tuple[Delivery, ...]]:
    """The deliveries going by a carrier and those going by the supplier's own fleet."""
    carried: list[Delivery] = []
    own: list[Delivery] = []
    for delivery in deliveries:
        channel = table.channel_of(delivery.supplier_id, delivery.category)
        (own if channel is Channel.OWN_FLEET else carried).append(delivery)
    return tuple(carried), tuple(own)


def carrier_shipments(carried: Iterable[Delivery], table: ChannelTable,
                      destination_of: Callable[[Delivery], str],
                      distance_m: Callable[[Delivery, str, str], float]
                      ) -> tuple[tuple[CarrierShipment, ...], tuple[UnservedDelivery, ...]]:
    """The shipments of the carried deliveries: each to ``destination_of(delivery)``,
    over ``distance_m(delivery, vehicle type, destination)`` (the shortest road distance
    from the supplier's depot on that vehicle's roads; NaN when there is no road, and
    the delivery is unserved as unreachable)."""
    shipments: list[CarrierShipment] = []
    unserved: list[UnservedDelivery] = []
    for delivery in carried:
        rate = table.rates[table.channel_of(delivery.supplier_id, delivery.category)]
        destination = destination_of(delivery)
        distance = distance_m(delivery, rate.vehicle_type, destination)
        if math.isnan(distance):
            unserved.append(UnservedDelivery(
                delivery, UnservedReason.UNREACHABLE,
                f"no road for the {rate.channel.value} carrier between supplier "
                f"{delivery.supplier_id} and {destination}"))
        else:
            shipments.append(CarrierShipment(delivery, rate, destination, distance))
    return tuple(shipments), tuple(unserved)
