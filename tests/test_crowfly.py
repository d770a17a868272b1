"""Crow-fly travel: great-circle distance times the detour factor, speed by band, capped
at a vehicle's top speed."""

from __future__ import annotations

import numpy as np
import pytest

from logistics.geo import haversine_m
from logistics.travel.base import Point, VehicleProfile
from logistics.travel.crowfly import DEFAULT_DETOUR_FACTOR, CrowFlyModel


def test_distance_is_the_great_circle_times_the_detour_factor() -> None:
    # one degree of latitude on the 6,371 km sphere: 111,195 m
    assert haversine_m(5.0, 60.0, 5.0, 61.0) == pytest.approx(111_195, rel=1e-4)
    points = (Point("a", 5.0, 60.0), Point("b", 5.0, 60.1))
    matrices = CrowFlyModel().matrices(points, VehicleProfile())
    assert matrices.distance_m[0, 1] == pytest.approx(11_119.5 * DEFAULT_DETOUR_FACTOR, rel=1e-4)
    assert matrices.approximate and np.all(np.diag(matrices.distance_m) == 0)


def test_duration_follows_the_band_and_the_vehicle_top_speed() -> None:
    model = CrowFlyModel(speed_bands_kmh=((2_000.0, 20.0), (float("inf"), 60.0)))
    distance_m = np.array([1_000.0, 30_000.0])
    free = [1_000 / (20 / 3.6), 30_000 / (60 / 3.6)]
    capped = [1_000 / (20 / 3.6), 30_000 / (25 / 3.6)]  # only the faster band is capped
    np.testing.assert_allclose(model.duration_s(distance_m), free)
    np.testing.assert_allclose(model.duration_s(distance_m, max_speed_kmh=25.0), capped)
    points = (Point("a", 5.0, 60.0), Point("b", 5.0, 60.3))
    bike = VehicleProfile(name="cargo-bike", max_speed_kmh=25.0)
    fast, slow = (model.matrices(points, p) for p in (VehicleProfile(), bike))
    assert slow.duration_s[0, 1] == pytest.approx(fast.duration_s[0, 1] * 60 / 25)
