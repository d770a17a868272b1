"""Distances on the WGS84 sphere, for sites given as ``lon``/``lat`` in degrees."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), the sphere every great-circle distance here uses."""


def haversine_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike,
                lat2: ArrayLike) -> np.ndarray:
    """Great-circle distance in metres between arrays of WGS84 points (broadcasts)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
