"""Vehicle profiles, zero-emission zones, closures, snapping and the matrix cache."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import box

from logistics.plan.sites import vehicle_profile
from logistics.travel.base import HGV_MAX_SPEED_KMH, Point, VehicleProfile
from logistics.travel.network.cache import MatrixCache
from logistics.travel.network.closures import Closure
from logistics.travel.network.graph import RoadGraph
from logistics.travel.network.model import RoadNetworkModel
from logistics.travel.network.profiles import access_allowed, parse_length_m, parse_weight_kg
from logistics.travel.network.sources import load_network_file
from tests.network_helpers import (
    DEPOT,
    FAR,
    UNIT,
    at,
    write_osm_xml,
    write_two_road_network,
)

CAR = VehicleProfile()
TALL_TRUCK = VehicleProfile(name="tall-truck", height_m=4.0, weight_kg=18_000, is_hgv=True)
DIESEL_VAN = VehicleProfile(name="van", height_m=2.5)
E_VAN = VehicleProfile(name="e-van", height_m=2.5, is_zero_emission=True)
DIRECT_M, DETOUR_M = 1000.0, 2000.0


def _graph(tmp_path: Path, direct_tags: dict[str, str] | None = None) -> RoadGraph:
    return load_network_file(
        write_two_road_network(tmp_path / "roads.geojson", direct_tags), "two-roads"
    )


def _road_distance(model: RoadNetworkModel, profile: VehicleProfile) -> float:
    matrices = model.matrices((DEPOT, UNIT), profile)
    assert matrices.unreachable == {}
    return float(matrices.distance_m[0, 1])


def test_tall_truck_avoids_the_low_bridge(tmp_path: Path) -> None:
    graph = _graph(tmp_path)
    model = RoadNetworkModel(graph)
    assert _road_distance(model, CAR) == pytest.approx(DIRECT_M, rel=1e-3)
    assert _road_distance(model, TALL_TRUCK) == pytest.approx(DETOUR_M, rel=1e-3)
    low = graph.way_id == 1
    assert not model.profile_network(TALL_TRUCK).allowed[low].any()
    assert model.profile_network(CAR).allowed[low].all()


@pytest.mark.parametrize(
    ("tags", "profile", "expected_m"),
    [
        ({"maxheight": "default", "hgv": "no"}, TALL_TRUCK, DETOUR_M),
        ({"maxheight": "default", "hgv": "destination"}, TALL_TRUCK, DIRECT_M),
        ({"maxheight": "default", "maxweight": "7.5"}, TALL_TRUCK, DETOUR_M),
        ({"maxheight": "default", "motor_vehicle": "no", "goods": "yes"}, DIESEL_VAN, DIRECT_M),
        ({"maxheight": "default", "motor_vehicle": "no", "goods": "yes"}, TALL_TRUCK, DETOUR_M),
    ],
)
def test_access_and_weight_tags(
    tmp_path: Path, tags: dict[str, str], profile: VehicleProfile, expected_m: float
) -> None:
    model = RoadNetworkModel(_graph(tmp_path, tags))
    assert _road_distance(model, profile) == pytest.approx(expected_m, rel=1e-3)


def test_zero_emission_zone_only_admits_zero_emission_vehicles(tmp_path: Path) -> None:
    zone = box(*at(400, -10), *at(600, 10))
    model = RoadNetworkModel(_graph(tmp_path), zero_emission_zone=zone)
    assert _road_distance(model, DIESEL_VAN) == pytest.approx(DETOUR_M, rel=1e-3)
    assert _road_distance(model, E_VAN) == pytest.approx(DIRECT_M, rel=1e-3)
    inside = model.matrices((DEPOT, UNIT, type(DEPOT)("school", *at(500, 0))), DIESEL_VAN)
    assert "zero-emission zone" in inside.unreachable["school"]


@pytest.mark.parametrize(
    "closure",
    [
        Closure(way_ids=(1,)),
        Closure(street_names=("lavveien",)),
        Closure(area=box(*at(400, -10), *at(600, 10))),
    ],
)
def test_closures_remove_edges_and_change_the_matrix(tmp_path: Path, closure: Closure) -> None:
    graph = _graph(tmp_path)
    closed = RoadNetworkModel(graph, closures=(closure,))
    assert closed.routable_graph.edge_count < graph.edge_count
    assert _road_distance(RoadNetworkModel(graph), CAR) == pytest.approx(DIRECT_M, rel=1e-3)
    assert _road_distance(closed, CAR) == pytest.approx(DETOUR_M, rel=1e-3)


def test_snap_distance_reported_and_far_sites_unreachable(tmp_path: Path) -> None:
    model = RoadNetworkModel(_graph(tmp_path), snap_threshold_m=500)
    matrices = model.matrices((DEPOT, FAR, UNIT), CAR)
    assert matrices.snap_distance_m is not None
    np.testing.assert_allclose(matrices.snap_distance_m, [30.0, 2000.0, 30.0], rtol=2e-3)
    assert set(matrices.unreachable) == {"far"}
    assert re.fullmatch(
        r"snap distance 20\d\d m > 500 m \(sites join roads outside tunnels and motorways\)",
        matrices.unreachable["far"],
    )
    far = matrices.index("far")
    others = [i for i in range(3) if i != far]
    assert (
        np.isnan(matrices.distance_m[far, others]).all()
        and np.isnan(matrices.duration_s[others, far]).all()
    )
    assert matrices.distance_m[far, far] == 0.0
    # the reachable pair goes 30 m on the road from the snap points: exact road distance
    assert matrices.distance_m[0, 2] == pytest.approx(DIRECT_M, rel=1e-3)
    assert matrices.duration_s[0, 2] == pytest.approx(DIRECT_M / (50 / 3.6), rel=1e-3)


@pytest.mark.parametrize(
    ("direct_tags", "joins_direct_road"),
    [
        ({"tunnel": "yes"}, False),
        ({"highway": "motorway", "oneway": "no"}, False),
        ({"tunnel": "building_passage"}, True),
        ({"tunnel": "no"}, True),
    ],
)
def test_sites_never_join_a_tunnel_or_motorway_but_routes_use_them(
    tmp_path: Path, direct_tags: dict[str, str], joins_direct_road: bool
) -> None:
    graph = _graph(tmp_path, direct_tags)
    above = Point("above", *at(500, 20))  # 20 m from the direct road, 480 m from the detour
    matrices = RoadNetworkModel(graph).matrices((DEPOT, above, UNIT), CAR)
    assert matrices.unreachable == {} and matrices.snap_distance_m is not None
    expected_snap_m = 20.0 if joins_direct_road else 480.0
    assert matrices.snap_distance_m[1] == pytest.approx(expected_snap_m, rel=2e-3)
    # the depot and the unit sit 30 m off A and B, where both roads start: the route
    # between them takes the direct road, tunnel or motorway alike
    assert matrices.distance_m[0, 2] == pytest.approx(DIRECT_M, rel=1e-3)


def test_heavy_vehicles_keep_to_their_legal_top_speed(tmp_path: Path, dataset) -> None:
    model = RoadNetworkModel(_graph(tmp_path, {"maxspeed": "110"}))
    low_truck = VehicleProfile(
        name="low-truck", height_m=3.0, weight_kg=18_000, is_hgv=True,
        max_speed_kmh=HGV_MAX_SPEED_KMH,
    )  # fmt: skip
    car, truck = (model.matrices((DEPOT, UNIT), p) for p in (CAR, low_truck))
    assert car.distance_m[0, 1] == truck.distance_m[0, 1] == pytest.approx(DIRECT_M, rel=1e-3)
    assert car.duration_s[0, 1] == pytest.approx(DIRECT_M / (110 / 3.6), rel=1e-3)
    assert truck.duration_s[0, 1] == pytest.approx(DIRECT_M / (80 / 3.6), rel=1e-3)
    # the catalogue's trucks (all over 3.5 t) keep to 80 km/h, cargo bikes to 25, vans
    # (3.5 t or less) to the road's limit
    expected = {"rigid_truck": HGV_MAX_SPEED_KMH, "van": None, "cargo_bike": 25.0}
    for vehicle_type in dataset.vehicle_types.values():
        is_truck = vehicle_type.vehicle_class == "rigid_truck"
        assert (vehicle_type.gross_weight_kg > 3500) == is_truck
        assert vehicle_profile(vehicle_type).max_speed_kmh == expected[vehicle_type.vehicle_class]
    assert {v.vehicle_class for v in dataset.vehicle_types.values()} == set(expected)


def _two_road_osm_xml(path: Path, direct_tags: dict[str, str]) -> Path:
    """The two-road network as OSM XML: ways drawn from A (west) to B (east)."""
    corners = {1: at(0, 0), 2: at(500, 0), 3: at(1000, 0), 4: at(0, 500), 5: at(1000, 500)}
    nodes = [{"id": i, "lon": lon, "lat": lat} for i, (lon, lat) in corners.items()]
    ways = [
        {"id": 1, "nodes": [1, 2, 3], "tags": {"highway": "residential", "maxspeed": "50",
                                              "maxheight": "default", **direct_tags}},
        {"id": 2, "nodes": [1, 4, 5, 3], "tags": {"highway": "residential", "maxspeed": "50"}},
    ]  # fmt: skip
    return write_osm_xml(path, nodes, ways)


@pytest.mark.parametrize("source", ["geojson", "osm-xml"])
@pytest.mark.parametrize(
    ("direct_tags", "profile", "there_m", "back_m"),
    [
        ({"hgv:backward": "no"}, TALL_TRUCK, DIRECT_M, DETOUR_M),
        ({"hgv:backward": "no"}, CAR, DIRECT_M, DIRECT_M),
        ({"motor_vehicle:forward": "no"}, CAR, DETOUR_M, DIRECT_M),
        ({"motor_vehicle:forward": "no", "goods:forward": "yes"}, DIESEL_VAN, DIRECT_M, DIRECT_M),
        ({"hgv": "no", "hgv:forward": "yes"}, TALL_TRUCK, DIRECT_M, DETOUR_M),
    ],
)
def test_access_tags_for_one_direction(
    tmp_path: Path, source: str, direct_tags: dict[str, str], profile: VehicleProfile,
    there_m: float, back_m: float,
) -> None:  # fmt: skip
    if source == "geojson":
        graph = _graph(tmp_path, {"maxheight": "default", **direct_tags})
    else:
        graph = load_network_file(_two_road_osm_xml(tmp_path / "roads.osm", direct_tags), "xml")
    matrices = RoadNetworkModel(graph).matrices((DEPOT, UNIT), profile)  # A, then B
    assert matrices.unreachable == {}
    assert matrices.distance_m[0, 1] == pytest.approx(there_m, rel=1e-3)  # along the way
    assert matrices.distance_m[1, 0] == pytest.approx(back_m, rel=1e-3)  # against it


def test_cache_returns_identical_matrices_keyed_by_content(tmp_path: Path) -> None:
    graph = _graph(tmp_path)
    cache = MatrixCache(tmp_path / "cache")
    first = RoadNetworkModel(graph, cache=cache).matrices((DEPOT, UNIT, FAR), CAR)
    files = sorted((tmp_path / "cache" / "matrices").glob("*.npz"))
    assert len(files) == 1
    again = RoadNetworkModel(graph, cache=cache).matrices((DEPOT, UNIT, FAR), CAR)
    np.testing.assert_array_equal(again.distance_m, first.distance_m)
    np.testing.assert_array_equal(again.duration_s, first.duration_s)
    assert again.unreachable == first.unreachable
    # the file is named by the key of network content, sites and profile
    key = MatrixCache.key(RoadNetworkModel(graph).fingerprint(), (DEPOT, UNIT, FAR), repr(CAR))
    assert files[0].stem == key
    RoadNetworkModel(graph, cache=cache).matrices((UNIT, DEPOT), CAR)
    RoadNetworkModel(graph, cache=cache).matrices((DEPOT, UNIT, FAR), TALL_TRUCK)
    RoadNetworkModel(graph, cache=cache, closures=(Closure(way_ids=(1,)),)).matrices(
        (DEPOT, UNIT, FAR), CAR
    )
    renamed = load_network_file(write_two_road_network(tmp_path / "other.geojson"), "renamed")
    RoadNetworkModel(renamed, cache=cache).matrices((DEPOT, UNIT, FAR), CAR)
    # new sites, profile and closure each made an entry; the same roads renamed did not
    assert len(list((tmp_path / "cache" / "matrices").glob("*.npz"))) == 4


def test_restriction_tag_parsing() -> None:
    assert parse_length_m("4.3 m") == 4.3
    assert parse_length_m("14'6\"") == pytest.approx(4.4196)
    assert np.isnan(parse_length_m("default"))
    assert parse_length_m("4.5;3.9") == 3.9
    assert parse_weight_kg("7.5") == 7500 and parse_weight_kg("3500 kg") == 3500
    assert access_allowed(
        {"access": "no", "goods": "delivery"}, ("goods", "motor_vehicle", "vehicle", "access")
    )
    assert not access_allowed(
        {"motor_vehicle": "private"}, ("hgv", "motor_vehicle", "vehicle", "access")
    )
