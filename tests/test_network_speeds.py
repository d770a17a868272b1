"""Speed tags, Norwegian defaults and congestion bands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from logistics.travel.base import VehicleProfile
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.sources import load_network_file
from logistics.travel.network.speeds import (
    BERGEN_AFTERNOON_PEAK,
    CongestionBand,
    default_speed_kmh,
    parse_maxspeed_kmh,
)
from tests.network_helpers import DEPOT, UNIT, write_two_road_network


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("50", 50.0), ("30 mph", 48.28032), ("NO:urban", 50.0), ("NO:rural", 80.0), ("60;40", 40.0),
     (["70", "50"], 50.0), ("none", None), ("signals", None), ("0", None), (None, None)],
)  # fmt: skip
def test_maxspeed_parsing(tag: object, expected: float | None) -> None:
    assert parse_maxspeed_kmh(tag) == (pytest.approx(expected) if expected else None)


def test_untagged_roads_get_the_default_of_their_class(tmp_path: Path) -> None:
    path = write_two_road_network(tmp_path / "roads.geojson", {"maxspeed": "signals"})
    graph = load_network_file(path, "two-roads")
    direct = graph.way_id == 1
    assert not graph.speed_tagged[direct].any() and graph.speed_tagged[~direct].all()
    np.testing.assert_allclose(graph.speed_kmh[direct], default_speed_kmh("residential"))
    assert default_speed_kmh("residential") == 30.0 and default_speed_kmh("unknown") == 30.0


def test_congestion_band_scales_durations_not_distances(tmp_path: Path) -> None:
    graph = load_network_file(write_two_road_network(tmp_path / "roads.geojson"), "two-roads")
    model = RoadNetworkModel(graph, congestion_bands=(BERGEN_AFTERNOON_PEAK,))
    free = model.matrices((DEPOT, UNIT), VehicleProfile())
    peak = model.matrices_at((DEPOT, UNIT), VehicleProfile(), 16 * 3600)
    night = model.matrices_at((DEPOT, UNIT), VehicleProfile(), 2 * 3600)
    np.testing.assert_allclose(peak.duration_s, free.duration_s * BERGEN_AFTERNOON_PEAK.factor)
    np.testing.assert_array_equal(peak.distance_m, free.distance_m)
    np.testing.assert_array_equal(night.duration_s, free.duration_s)
    with pytest.raises(ValueError, match=">= 1"):
        CongestionBand(0, 3600, 0.5)
