"""Named conversions from float base units to the integers a routing solver needs.

Only solver adapters use these. Rounding always errs on the feasible side, so a
schedule that is feasible in integers stays feasible in the original floats:

- travel and service durations, demands and start-of-window times round *up*;
- capacities, window ends, shift ends and limits (duration, distance) round *down*;
- costs round to the nearest øre (cost never decides feasibility).

Every conversion warns with :class:`ScalingWarning` when a value comes near the
range where sums inside the solver could overflow 64-bit integers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

GRAMS_PER_KG = 1_000
LITRES_PER_M3 = 1_000
ORE_PER_NOK = 100

SAFE_INTEGER_LIMIT = 10**15
"""Largest value a single converted quantity may have without a warning: routes sum
thousands of them, and OR-Tools saturates at 2**63 - 1 (about 9.2e18)."""

UNUSABLE_ARC = 10**12
"""Transit/cost given to an unreachable (NaN) arc: far above any shift, range or
route cost, far below the int64 limit even when summed over a long route."""

_ROUND_TOLERANCE = 1e-9


class ScalingWarning(UserWarning):
    """A value is so large that integer arithmetic in the solver may overflow."""


def _checked(value: int, what: str) -> int:
    if abs(value) > SAFE_INTEGER_LIMIT:
        warnings.warn(f"{what} = {value} exceeds the safe solver range "
                      f"(|x| <= {SAFE_INTEGER_LIMIT:.0e}); results may overflow",
                      ScalingWarning, stacklevel=3)
    return value


def _up(value: float) -> int:
    return math.ceil(value - _ROUND_TOLERANCE)


def _down(value: float) -> int:
    return math.floor(value + _ROUND_TOLERANCE)


def duration_to_int_s(duration_s: float) -> int:
    """A duration (travel, service) in whole seconds, rounded up."""
    return _checked(_up(duration_s), "duration_s")


def time_to_int_s_up(time_s: float) -> int:
    """An earliest time (window or shift start) in whole seconds, rounded up."""
    return _checked(_up(time_s), "time_s")


def time_to_int_s_down(time_s: float) -> int:
    """A latest time or a limit (window end, shift end, max duration) rounded down."""
    return _checked(_down(time_s), "time_s")


def distance_to_int_m(distance_m: float) -> int:
    """A travelled distance in whole metres, rounded up."""
    return _checked(_up(distance_m), "distance_m")


def distance_limit_to_int_m(distance_m: float) -> int:
    """A distance limit (range) in whole metres, rounded down."""
    return _checked(_down(distance_m), "distance_m")


def demand_to_int_g(demand_kg: float) -> int:
    """A demand in grams, rounded up."""
    return _checked(_up(demand_kg * GRAMS_PER_KG), "demand_g")


def capacity_to_int_g(capacity_kg: float) -> int:
    """A capacity in grams, rounded down."""
    return _checked(_down(capacity_kg * GRAMS_PER_KG), "capacity_g")


def volume_to_int_l(volume_m3: float) -> int:
    """A volume demand in litres, rounded up."""
    return _checked(_up(volume_m3 * LITRES_PER_M3), "volume_l")


def volume_capacity_to_int_l(capacity_m3: float) -> int:
    """A volume capacity in litres, rounded down."""
    return _checked(_down(capacity_m3 * LITRES_PER_M3), "volume_capacity_l")


def cost_to_int_ore(cost_nok: float) -> int:
    """A cost in whole øre, rounded to nearest."""
    return _checked(round(cost_nok * ORE_PER_NOK), "cost_ore")


def cost_per_hour_to_ore_per_s(cost_nok_per_hour: float) -> int:
    """An hourly cost as whole øre per second (rounded; at least 1 when positive)."""
    ore_per_s = round(cost_nok_per_hour * ORE_PER_NOK / 3600)
    if cost_nok_per_hour > 0:
        ore_per_s = max(ore_per_s, 1)
    return _checked(ore_per_s, "cost_ore_per_s")


def ore_to_nok(cost_ore: int) -> float:
    """Back from øre to NOK (for reporting the solver's own objective)."""
    return cost_ore / ORE_PER_NOK


def matrix_to_int(matrix: np.ndarray, what: str, *, round_up: bool = True) -> np.ndarray:
    """A float matrix as int64, NaN -> :data:`UNUSABLE_ARC`; durations/distances round up."""
    finite = np.isfinite(matrix)
    values = np.where(finite, matrix, 0.0)
    scaled = np.ceil(values - _ROUND_TOLERANCE) if round_up else np.rint(values)
    largest = float(np.max(np.abs(scaled))) if scaled.size else 0.0
    if largest > SAFE_INTEGER_LIMIT:
        warnings.warn(f"{what} has a value {largest:.3g} beyond the safe solver range "
                      f"(|x| <= {SAFE_INTEGER_LIMIT:.0e}); results may overflow",
                      ScalingWarning, stacklevel=2)
    return np.where(finite, scaled, UNUSABLE_ARC).astype(np.int64)
