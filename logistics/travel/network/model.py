"""The road travel model: matrices along the roads a vehicle profile may use."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from logistics.errors import ProblemCollector
from logistics.geo import haversine_m
from logistics.travel.base import Point, TravelDescription, TravelMatrices, VehicleProfile
from logistics.travel.network.cache import HierarchyCache, MatrixCache, NetworkStore
from logistics.travel.network.closures import Closure, apply_closures
from logistics.travel.network.graph import FORMAT_VERSION, RoadGraph
from logistics.travel.network.matrix import RoutingGraph, largest_strong_component, twin_edges
from logistics.travel.network.profiles import edge_allowed_mask, zone_mask
from logistics.travel.network.snapping import NODE_TOLERANCE_M, EdgeSnapper, MetricEdges, Snap
from logistics.travel.network.speeds import CongestionBand, congestion_factor_at

DEFAULT_SNAP_THRESHOLD_M = 500.0
"""Sites farther than this from any usable road are unreachable (never moved further)."""


def _profile_travel_time_s(graph: RoadGraph, profile: VehicleProfile) -> np.ndarray:
    """Free-flow time (s) over each edge at its speed, or at the profile's top speed
    where that is lower."""
    top = profile.max_speed_kmh
    if top is None or not np.any(graph.speed_kmh > top):
        return graph.travel_time_s
    return graph.length_m / (np.minimum(graph.speed_kmh, top) / 3.6)


@dataclass(frozen=True, eq=False)
class ProfileNetwork:
    """The part of the network one vehicle profile may use: ``open_edges`` it may drive
    on, ``allowed`` those of them inside the largest strongly connected component, and
    the free-flow ``travel_time_s`` of every edge for this profile."""

    profile: VehicleProfile
    open_edges: np.ndarray
    allowed: np.ndarray
    in_component: np.ndarray
    twin: np.ndarray
    travel_time_s: np.ndarray
    metric: MetricEdges

    @property
    def component_size(self) -> int:
        return int(self.in_component.sum())

    @cached_property
    def connected(self) -> EdgeSnapper:
        """Snaps to the allowed edges (one of each pair of twins)."""
        edges = np.arange(len(self.allowed))
        return EdgeSnapper(
            self.metric, np.flatnonzero(self.allowed & ((self.twin < 0) | (edges < self.twin)))
        )

    @cached_property
    def any_allowed(self) -> EdgeSnapper:
        """Snaps to every open edge, connected or not (to explain unreachable sites)."""
        return EdgeSnapper(self.metric, np.flatnonzero(self.open_edges))


@dataclass(eq=False)
class RoadNetworkModel:
    """Travel matrices on a :class:`RoadGraph` (implements ``TravelModel``).

    ``distance_m`` is the shortest road distance and ``duration_s`` the fastest free-flow
    time (``matrices_at`` applies a congestion band), both over the edges the profile may
    use after ``closures``. Sites farther than ``snap_threshold_m`` from a road of the
    largest strongly connected component of their profile, or (for vehicles that are
    not zero-emission) inside ``zero_emission_zone``, are listed in ``unreachable``.
    ``cache`` stores matrices and ``hierarchy_cache`` the contraction hierarchies behind
    them (per profile and weight) on disk.
    """

    network: RoadGraph
    snap_threshold_m: float = DEFAULT_SNAP_THRESHOLD_M
    closures: tuple[Closure, ...] = ()
    zero_emission_zone: BaseGeometry | None = None
    congestion_bands: tuple[CongestionBand, ...] = ()
    cache: MatrixCache | None = None
    hierarchy_cache: HierarchyCache | None = None
    _routable: RoadGraph = field(init=False, repr=False)
    _profiles: dict[VehicleProfile, ProfileNetwork] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if self.snap_threshold_m <= 0:
            raise ValueError("snap_threshold_m must be positive")
        self._routable = apply_closures(self.network, self.closures)
        self._network_hash = self.network.content_hash()
        self._zone_edges = (
            zone_mask(self._routable.edge_lines(), self.zero_emission_zone)
            if self.zero_emission_zone is not None
            else np.zeros(self._routable.edge_count, dtype=bool)
        )

    @cached_property
    def _metric(self) -> MetricEdges:
        """The routable edges in metres, shared by every profile's snappers."""
        return MetricEdges(self._routable)

    @classmethod
    def from_cache(cls, network_name: str, **options: object) -> RoadNetworkModel:
        """The model on the cached network ``network_name``, with the on-disk matrix and
        hierarchy caches."""
        store = NetworkStore()
        options.setdefault("cache", MatrixCache(store.root))
        options.setdefault("hierarchy_cache", HierarchyCache(store.root))
        return cls(store.load(network_name), **options)  # type: ignore[arg-type]

    @property
    def name(self) -> str:
        return f"road:{self.network.name}"

    @property
    def approximate(self) -> bool:
        return False

    def check_covers(self, points: tuple[Point, ...]) -> None:
        """Every point lies within the snap threshold of the network's extent; the
        problems name each point outside and how far off it is."""
        west, south, east, north = self.network.bounding_box()
        lon = np.array([p.lon for p in points])
        lat = np.array([p.lat for p in points])
        off_m = haversine_m(lon, lat, np.clip(lon, west, east), np.clip(lat, south, north))
        problems = ProblemCollector()
        for point, distance_m in zip(points, off_m, strict=True):
            if distance_m > self.snap_threshold_m:
                problems.add(f"road network '{self.network.name}'", f"site {point.id}",
                             "lon/lat", f"{distance_m / 1000:,.1f} km outside the network "
                             f"({west:.3f}..{east:.3f} E, {south:.3f}..{north:.3f} N)",
                             "a road network that covers every site of the data set")
        problems.raise_if_any()

    @property
    def routable_graph(self) -> RoadGraph:
        """The network after closures."""
        return self._routable

    def fingerprint(self) -> str:
        """Text naming everything the matrices depend on except sites and profile."""
        zone = self.zero_emission_zone
        parts = [
            f"road-model-v{FORMAT_VERSION}",
            self._network_hash,
            f"snap={self.snap_threshold_m!r}",
            f"node-tolerance={NODE_TOLERANCE_M!r}",
            "zone="
            + (hashlib.sha256(shapely.to_wkb(zone)).hexdigest() if zone is not None else ""),
            *(c.fingerprint() for c in self.closures),
        ]
        return "|".join(parts)

    def describe(self) -> TravelDescription:
        graph = self.network
        return {
            "model": self.name,
            "approximate": False,
            "network": graph.name,
            "network_source": graph.source,
            "network_bbox": list(graph.bounding_box()),
            "network_content_hash": self._network_hash,
            "snap_threshold_m": self.snap_threshold_m,
            "closures": [c.label or c.fingerprint() for c in self.closures],
            "zero_emission_zone": self.zero_emission_zone is not None,
            "congestion_bands": [asdict(b) for b in self.congestion_bands],
        }

    def profile_network(self, profile: VehicleProfile) -> ProfileNetwork:
        """Allowed edges, largest strong component and snap index of ``profile`` (memoised)."""
        if profile not in self._profiles:
            graph = self._routable
            open_edges = edge_allowed_mask(
                van_access=graph.van_access, hgv_access=graph.hgv_access,
                maxheight_m=graph.maxheight_m, maxweight_kg=graph.maxweight_kg,
                maxlength_m=graph.maxlength_m, profile=profile,
            )  # fmt: skip
            if not profile.is_zero_emission:
                open_edges &= ~self._zone_edges
            in_component = largest_strong_component(graph, open_edges)
            allowed = open_edges & in_component[graph.edge_u] & in_component[graph.edge_v]
            self._profiles[profile] = ProfileNetwork(
                profile=profile,
                open_edges=open_edges,
                allowed=allowed,
                in_component=in_component,
                twin=twin_edges(graph, allowed),
                travel_time_s=_profile_travel_time_s(graph, profile),
                metric=self._metric,
            )
        return self._profiles[profile]

    def snap(
        self, points: tuple[Point, ...], profile: VehicleProfile
    ) -> tuple[Snap, dict[str, str]]:
        """Where each point meets the profile's network, and why unreachable points are."""
        network = self.profile_network(profile)
        lon = np.array([p.lon for p in points], dtype=float)
        lat = np.array([p.lat for p in points], dtype=float)
        snap = network.connected.snap(lon, lat)
        unreachable: dict[str, str] = {}
        in_zone = (
            np.asarray(shapely.contains_xy(self.zero_emission_zone, lon, lat), dtype=bool)
            if self.zero_emission_zone is not None and not profile.is_zero_emission
            else np.zeros(len(points), dtype=bool)
        )
        far = ~(snap.distance_m <= self.snap_threshold_m)
        nearest_any = (
            network.any_allowed.snap(lon[far], lat[far]).distance_m if far.any() else np.empty(0)
        )
        threshold = f"{self.snap_threshold_m:.0f} m"
        for i, point in enumerate(points):
            if in_zone[i]:
                unreachable[point.id] = (
                    f"inside the zero-emission zone; profile {profile.name} is not zero-emission"
                )
        for i, other in zip(np.flatnonzero(far).tolist(), nearest_any.tolist(), strict=True):
            point, distance = points[i], snap.distance_m[i]
            if point.id in unreachable:
                continue
            if np.isnan(distance):
                unreachable[point.id] = f"no road open to profile {profile.name}"
            elif other <= self.snap_threshold_m:
                unreachable[point.id] = (
                    f"nearest road open to profile {profile.name} ({other:.0f} m) is outside the"
                    " largest strongly connected component; nearest connected road"
                    f" {distance:.0f} m > {threshold}"
                )
            else:
                unreachable[point.id] = (
                    f"snap distance {distance:.0f} m > {threshold} (sites join roads outside"
                    " tunnels and motorways)"
                )
        return snap, unreachable

    def matrices(self, points: tuple[Point, ...], profile: VehicleProfile) -> TravelMatrices:
        """Directed distance (m) and free-flow duration (s) matrices between ``points``."""
        points = tuple(points)
        key = (
            MatrixCache.key(self.fingerprint(), points, repr(profile))
            if self.cache is not None
            else ""
        )
        if self.cache is not None and (cached := self.cache.get(key, points)) is not None:
            return cached
        snap, unreachable = self.snap(points, profile)
        n = len(points)
        distance_m = np.full((n, n), np.nan)
        duration_s = np.full((n, n), np.nan)
        reachable = np.array([p.id not in unreachable for p in points], dtype=bool)
        sites = np.flatnonzero(reachable)
        if len(sites):
            network = self.profile_network(profile)
            graph = self._routable
            block = np.ix_(sites, sites)
            for weight, matrix in (
                (graph.length_m, distance_m), (network.travel_time_s, duration_s)
            ):
                matrix[block] = RoutingGraph(
                    graph, network.allowed, network.twin, weight, snap, self.hierarchy_cache
                ).matrix(sites)
        np.fill_diagonal(distance_m, 0.0)
        np.fill_diagonal(duration_s, 0.0)
        result = TravelMatrices(
            points=points,
            distance_m=distance_m,
            duration_s=duration_s,
            model=self.name,
            approximate=False,
            profile=profile.name,
            unreachable=unreachable,
            snap_distance_m=snap.distance_m,
        )
        if self.cache is not None:
            self.cache.put(key, result)
        return result

    def matrices_at(
        self, points: tuple[Point, ...], profile: VehicleProfile, time_s: float
    ) -> TravelMatrices:
        """:meth:`matrices` with durations scaled by the congestion band containing ``time_s``."""
        free_flow = self.matrices(points, profile)
        factor = congestion_factor_at(self.congestion_bands, time_s)
        if factor == 1.0:
            return free_flow
        return TravelMatrices(
            points=free_flow.points,
            distance_m=free_flow.distance_m,
            duration_s=free_flow.duration_s * factor,
            model=free_flow.model,
            approximate=False,
            profile=free_flow.profile,
            unreachable=free_flow.unreachable,
            snap_distance_m=free_flow.snap_distance_m,
        )

    def leg_geometry(
        self,
        points: tuple[Point, ...],
        profile: VehicleProfile,
        from_id: str,
        to_id: str,
        *,
        fastest: bool = True,
    ) -> LineString | None:
        """Road geometry (WGS84) of the fastest (or shortest) leg between two of ``points``;
        None when either end is unreachable."""
        ends = tuple(p for p in points if p.id == from_id) + tuple(
            p for p in points if p.id == to_id
        )
        if len(ends) != 2:
            raise KeyError(f"{from_id!r} or {to_id!r} not among the points")
        snap, unreachable = self.snap(ends, profile)
        if unreachable:
            return None
        network = self.profile_network(profile)
        graph = self._routable
        weight = network.travel_time_s if fastest else graph.length_m
        coords = RoutingGraph(graph, network.allowed, network.twin, weight, snap).leg_coords(0, 1)
        if coords is None:
            return None
        start = np.array([[ends[0].lon, ends[0].lat]])
        end = np.array([[ends[1].lon, ends[1].lat]])
        return LineString(np.concatenate([start, coords, end]))
