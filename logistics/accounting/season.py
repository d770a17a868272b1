"""Electric energy by season: the year's energy of battery-electric vehicles summed over
the months at the study area's mean temperature of each.

A battery-electric vehicle's tabled energy per km (``data/vehicles.csv``) is its summer
value. In a month of mean temperature ``T`` it uses that times the factor of
``data/factors/ev_temperature.csv`` at ``T`` (cabin heating, a cold battery). A planned
week stands for the year's mean week, so its electric energy is the tabled energy times
the days-weighted mean factor over the twelve months. The same relation gives the range
a cold month leaves (``1 / factor``), so a scenario's ``winter_range_derating`` can be
checked against it (:func:`range_loss_share`).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping

from logistics.model.factors import FactorTables

DAYS_IN_MONTH = {month: calendar.monthrange(2023, month)[1] for month in range(1, 13)}
"""Days of each month of a common year (365 days)."""


def seasonal_energy_factor(mean_temperature_c: Mapping[int, float],
                           factors: FactorTables) -> float:
    """The year's electric energy over its summer value: the factor at each month's mean
    temperature, weighted by the month's days."""
    weighted = sum(DAYS_IN_MONTH[month] * factors.ev_consumption_factor(temperature)
                   for month, temperature in mean_temperature_c.items())
    days = sum(DAYS_IN_MONTH[month] for month in mean_temperature_c)
    return weighted / days if days else 1.0


def range_loss_share(temperature_c: float, factors: FactorTables) -> float:
    """The share of its summer range a battery-electric vehicle loses at
    ``temperature_c`` (``1 - 1 / factor``)."""
    return 1.0 - 1.0 / factors.ev_consumption_factor(temperature_c)
