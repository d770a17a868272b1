"""Free-flow speeds from OSM tags: ``maxspeed`` where tagged, Norwegian defaults otherwise.

Legal basis (Trafikkreglene, FOR-1986-03-21-747, §13): 50 km/h inside built-up
areas and 80 km/h outside unless signed otherwise; "gatetun" (``living_street``) is
walking pace. OSM encodes these as ``NO:urban`` = 50, ``NO:rural`` = 80 (OSM wiki
"Default speed limits", Norway). Untagged roads get a speed by road class
(:data:`DEFAULT_SPEED_KMH_BY_HIGHWAY`):

* motorway 80, trunk 60, primary 50, secondary 50: the median tagged ``maxspeed``
  per class on the Oslo main-road network (OSM 2024-06-05, 2,935 ways; medians
  motorway 80, trunk 60, primary 50, secondary 50; 70-96 % of those ways tagged).
* tertiary, unclassified 50: the built-up default of §13.
* residential 30: Norwegian cities sign residential areas as 30 zones (assumption).
* living_street 7 (walking pace, §13 "gatetun"), service 20, links 40-60:
  assumptions, below the limit of the road they connect.

Check against measured Bergen speeds (CityFreight, NHH; AIMSUN afternoon simulation
15:00-17:00 by Statens vegvesen, 451 detectors with traffic, ``speed_average_Bergen.csv``):
all vehicles median 37.9 km/h; by detector flow quartile (lowest to highest flow)
30.7 / 33.6 / 37.5 / 51.1 km/h; trucks 36.8 vs cars 37.5 km/h (median truck/car ratio
at the same detector 0.99). The detectors carry no road class, so reading the flow
quartiles as classes is an assumption: quiet streets match the residential default
(30 vs 30.7), urban main roads run 33-50 % below their 50 km/h default, and the
busiest corridors (60-70 km/h defaults) 18-37 % below. The free-flow defaults are
therefore kept as limits and the afternoon peak is a separate travel-time multiplier,
:data:`BERGEN_AFTERNOON_CONGESTION_FACTOR` = 1.3 (median of those ratios); no separate
truck speed in the city (measured truck/car ratio ~1).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

DEFAULT_SPEED_KMH_BY_HIGHWAY: dict[str, float] = {
    "motorway": 80.0,
    "motorway_link": 60.0,
    "trunk": 60.0,
    "trunk_link": 50.0,
    "primary": 50.0,
    "primary_link": 40.0,
    "secondary": 50.0,
    "secondary_link": 40.0,
    "tertiary": 50.0,
    "tertiary_link": 40.0,
    "unclassified": 50.0,
    "road": 40.0,
    "residential": 30.0,
    "living_street": 7.0,
    "service": 20.0,
}
"""Speed (km/h) for roads without a usable ``maxspeed`` tag, by OSM ``highway``."""

FALLBACK_SPEED_KMH = 30.0
"""Speed for a drivable class missing from the table above (assumption)."""

NORWEGIAN_ZONE_SPEEDS_KMH: dict[str, float] = {
    "NO:urban": 50.0,
    "NO:rural": 80.0,
    "NO:motorway": 90.0,
    "NO:living_street": 7.0,
    "walk": 7.0,
}
"""Implicit ``maxspeed`` values used in Norway (OSM wiki, Trafikkreglene §13)."""

BERGEN_AFTERNOON_CONGESTION_FACTOR = 1.3
"""Travel-time multiplier for 15:00-17:00 in central Bergen: median ratio of default
free-flow speed to CityFreight measured afternoon speed (see module docstring)."""

MPH_TO_KMH = 1.609344
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$")


def parse_maxspeed_kmh(value: object) -> float | None:
    """Speed limit in km/h from an OSM ``maxspeed`` value, or None when not usable.

    Handles plain numbers, ``mph``, Norwegian zone codes (``NO:urban``), lists
    (``"50;60"`` or osmnx lists: the lowest) and returns None for ``none``,
    ``signals``, ``variable`` and anything unparsable.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, list | tuple):
        parsed = [s for s in (parse_maxspeed_kmh(v) for v in value) if s is not None]
        return min(parsed) if parsed else None
    text = str(value).strip()
    if ";" in text or "|" in text:
        return parse_maxspeed_kmh(re.split(r"[;|]", text))
    if text in NORWEGIAN_ZONE_SPEEDS_KMH:
        return NORWEGIAN_ZONE_SPEEDS_KMH[text]
    match = _NUMBER.match(text)
    if match is None:
        return None
    speed = float(match.group(1))
    if match.group(2) == "mph":
        speed *= MPH_TO_KMH
    return speed if speed > 0 else None


def default_speed_kmh(highway: str) -> float:
    """Norwegian default speed (km/h) for an OSM road class without a tagged limit."""
    return DEFAULT_SPEED_KMH_BY_HIGHWAY.get(highway, FALLBACK_SPEED_KMH)


@dataclass(frozen=True)
class CongestionBand:
    """Travel-time multiplier (>= 1) for departures in [start_s, end_s) seconds since midnight."""

    start_s: float
    end_s: float
    factor: float

    def __post_init__(self) -> None:
        if not 0 <= self.start_s < self.end_s <= 86_400:
            raise ValueError("congestion band needs 0 <= start_s < end_s <= 86400")
        if self.factor < 1.0:
            raise ValueError("congestion factor must be >= 1 (free flow is 1)")


BERGEN_AFTERNOON_PEAK = CongestionBand(15 * 3600, 17 * 3600, BERGEN_AFTERNOON_CONGESTION_FACTOR)


def congestion_factor_at(bands: tuple[CongestionBand, ...], time_s: float) -> float:
    """The multiplier of the band containing ``time_s`` (1.0 outside every band)."""
    for band in bands:
        if band.start_s <= time_s < band.end_s:
            return band.factor
    return 1.0
