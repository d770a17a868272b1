"""A hub that works in time: when inbound goods are at the hub, and how long they wait.

The scenario's ``hub_timing`` chooses how a consolidated week runs:

* ``same_day`` (default): suppliers' trunk trips and the hub's milk runs arrive the
  morning the goods go out. The moment a delivery's goods are unloaded (a trunk trip's
  departure from the hub dock; a milk run's return to the hub, which includes the
  unloading) becomes the ``release_s`` of the distribution job carrying it, so no route
  leaves before its goods are there (:func:`unload_complete_s`).
* ``day_before``: goods arrive the previous planning day (Friday for Monday) and stay
  overnight, so nothing waits on a release. The hub then needs chilled storage for the
  chilled and frozen goods of the busiest night, reported with its energy
  (:func:`hub_timing_kpis`).

Either way the result reports each delivery's dwell at the hub (unload complete to the
departure of the trip carrying it) as the week's mean, and counts the distribution
routes that would leave before their goods are unloaded (0 in a working plan).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from logistics.clock import SECONDS_PER_DAY, WEEKDAYS, Weekday
from logistics.model.domain import TemperatureClass
from logistics.plan.planned import PlannedRoute

HubTiming = Literal["same_day", "day_before"]

INBOUND_KINDS = ("trunk", "collection")
"""Routes that bring goods to the hub."""

CHILLED_STORE_KWH_PER_M3_YEAR = 50.0
"""Electricity of a chilled store per m3 of store volume and year: the top of the
30-50 kWh/m3/year the International Institute of Refrigeration estimated for European
cold stores (Duiven and Binard 2002, as cited by Evans et al., "Cold store energy usage
and optimisation", ICR 2011, Prague, paper 846); the top because a municipal hub's
store is small and small stores use more per m3."""
CHILLED_STORE_UTILISATION = 0.5
"""Share of a chilled store's volume that goods fill (aisles, racking, air flow):
assumption."""
WEEKS_PER_YEAR = 52.0
REFRIGERATED = frozenset({TemperatureClass.CHILLED, TemperatureClass.FROZEN})


def unload_complete_s(inbound: Iterable[PlannedRoute]) -> dict[tuple[str, Weekday], float]:
    """For each delivery brought to the hub, (order id, delivery day) -> the time its
    goods are all unloaded there (seconds since midnight of the day they arrive): the
    latest of the trips that carry a share of it."""
    done: dict[tuple[str, Weekday], float] = {}
    for planned in inbound:
        if planned.kind == "trunk":
            unloaded_s = planned.route.visits[0].departure_s
        elif planned.kind == "collection":
            unloaded_s = planned.route.end_s
        else:
            continue
        for carried in planned.deliveries.values():
            for delivery in carried:
                key = (delivery.order_id, delivery.day)
                done[key] = max(done.get(key, 0.0), unloaded_s)
    return done


def arrival_day(day: Weekday, days: Sequence[Weekday], timing: HubTiming
                ) -> tuple[Weekday, int]:
    """The day goods for ``day``'s routes arrive at the hub and how many calendar days
    earlier: the same day, or the previous planning day (Friday for Monday)."""
    if timing == "same_day":
        return day, 0
    previous = days[(days.index(day) - 1) % len(days)]
    return previous, (WEEKDAYS.index(day) - WEEKDAYS.index(previous)) % 7 or 7


def _trip_departures_s(planned: PlannedRoute) -> dict[int, float]:
    """Visit index -> when the trip serving it left the depot (route start or reload)."""
    departures: dict[int, float] = {}
    leaves_s = planned.route.start_s
    for index, visit in enumerate(planned.route.visits):
        if visit.kind == "reload":
            leaves_s = visit.departure_s
        departures[index] = leaves_s
    return departures


def hub_timing_kpis(routes: Sequence[PlannedRoute], timing: HubTiming,
                    days: Sequence[Weekday],
                    temperature: Mapping[str, TemperatureClass]) -> dict[str, float]:
    """The week's hub timing: mean dwell (hours) of the deliveries through the hub,
    distribution routes leaving before their goods are unloaded, and (``day_before``) the
    chilled store the busiest night needs (m3) and its electricity per week (kWh)."""
    unloaded = unload_complete_s(routes)
    dwell_h: list[float] = []
    early_routes = 0
    stored_m3: dict[Weekday, float] = defaultdict(float)
    for planned in routes:
        if planned.kind != "distribution":
            continue
        departures = _trip_departures_s(planned)
        early = False
        for index, carried in planned.deliveries.items():
            for delivery in carried:
                if delivery.collected or (delivery.order_id, delivery.day) not in unloaded:
                    continue
                _, days_before = arrival_day(delivery.day, days, timing)
                waited_s = (departures[index] + days_before * SECONDS_PER_DAY
                            - unloaded[(delivery.order_id, delivery.day)])
                dwell_h.append(waited_s / 3600)
                early = early or waited_s < 0
                if days_before and temperature.get(delivery.category) in REFRIGERATED:
                    stored_m3[delivery.day] += delivery.volume_m3
        early_routes += early
    store_m3 = max(stored_m3.values(), default=0.0) / CHILLED_STORE_UTILISATION
    return {
        "hub_dwell_hours_mean": sum(dwell_h) / len(dwell_h) if dwell_h else 0.0,
        "routes_leaving_before_goods": float(early_routes),
        "hub_chilled_store_m3": store_m3,
        "hub_storage_energy_kwh": store_m3 * CHILLED_STORE_KWH_PER_M3_YEAR / WEEKS_PER_YEAR,
    }
