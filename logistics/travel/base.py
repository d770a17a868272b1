"""The travel-model interface every model implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, Required, TypedDict

import numpy as np


@dataclass(frozen=True)
class Point:
    """A site to route between: its id and WGS84 position."""

    id: str
    lon: float
    lat: float


HGV_MAX_SPEED_KMH = 80.0
"""Top speed of a motor vehicle with permitted gross weight over 3,500 kg, whatever the
road's limit (Trafikkreglene, forskrift 21. mars 1986 nr. 747, § 13 nr. 2)."""

CARGO_BIKE_MAX_SPEED_KMH = 25.0
"""Speed above which an electric bicycle's motor gives no assistance (forskrift om krav
til sykkel, § 2): the cruising top speed of an electric cargo bike."""


@dataclass(frozen=True)
class VehicleProfile:
    """What a vehicle is allowed to drive on. Matrices are built per profile.

    ``name`` is the cache key; two vehicle types with the same physical limits and
    zero-emission status share a profile. ``max_speed_kmh`` is the vehicle's legal top
    speed: on roads with a higher limit it drives at this speed.
    """

    name: str = "default"
    height_m: float | None = None
    weight_kg: float | None = None
    length_m: float | None = None
    is_hgv: bool = False
    is_zero_emission: bool = False
    max_speed_kmh: float | None = None


@dataclass(frozen=True)
class TravelMatrices:
    """Directed matrices between ``points`` (row = from, column = to).

    ``distance_m`` and ``duration_s`` are float64 arrays; NaN marks an unreachable
    pair. ``unreachable`` maps a point id to the reason it cannot be reached at all
    (for example ``"snap distance 812 m > 500 m"``); such points have NaN rows and
    columns except on the diagonal.
    """

    points: tuple[Point, ...]
    distance_m: np.ndarray
    duration_s: np.ndarray
    model: str
    approximate: bool
    profile: str = "default"
    unreachable: dict[str, str] = field(default_factory=dict)
    snap_distance_m: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.points)
        for name in ("distance_m", "duration_s"):
            matrix = getattr(self, name)
            if matrix.shape != (n, n):
                raise ValueError(f"{name} has shape {matrix.shape}, expected ({n}, {n})")

    def index(self, point_id: str) -> int:
        for i, point in enumerate(self.points):
            if point.id == point_id:
                return i
        raise KeyError(point_id)


class SpeedBand(TypedDict):
    """A crow-fly speed band: ``speed_kmh`` below ``up_to_road_m`` (None: no bound)."""

    up_to_road_m: float | None
    speed_kmh: float


class TravelDescription(TypedDict, total=False):
    """A travel model as a result records it (``travel`` in ``result.json``): its name,
    whether it is approximate, and the parameters of its kind (crow-fly: detour and
    speed bands; road: the network, its hash, closures, zone and congestion)."""

    model: Required[str]
    approximate: Required[bool]
    detour_factor: float
    speed_bands: list[SpeedBand]
    speed_bands_note: str
    network: str
    network_source: str
    network_bbox: list[float]
    network_content_hash: str
    snap_threshold_m: float
    closures: list[str]
    zero_emission_zone: bool
    congestion_bands: list[Mapping[str, object]]


class TravelModel(Protocol):
    """Builds travel matrices between points for a vehicle profile."""

    @property
    def name(self) -> str:
        """``"crow_fly"`` or ``"road:<network name>"``: recorded in every result."""
        ...

    @property
    def approximate(self) -> bool:
        """True when distances are estimates (crow-fly), so outputs must say so."""
        ...

    def matrices(self, points: tuple[Point, ...], profile: VehicleProfile) -> TravelMatrices:
        """Directed distance (m) and duration (s) matrices between ``points``."""
        ...

    def describe(self) -> TravelDescription:
        """Parameters and data hash of the model, for result provenance."""
        ...

    def check_covers(self, points: tuple[Point, ...]) -> None:
        """Raise :class:`~logistics.errors.InputError` naming every point the model
        cannot cover (a road network far from the sites)."""
        ...
