"""Critical road links: the OSM ways whose closure cuts units off or costs most km."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Required, TypedDict

import numpy as np
from scipy.sparse.csgraph import dijkstra

from logistics.model.domain import VehicleType
from logistics.plan.sites import vehicle_profile
from logistics.routing.problem import Route
from logistics.travel.base import Point, TravelModel
from logistics.travel.network.closures import Closure
from logistics.travel.network.matrix import RoutingGraph
from logistics.travel.network.model import RoadNetworkModel

TOP_LINKS = 10
DEFAULT_LINK_CANDIDATES = 40
"""Critical links are searched among this many most-used OSM ways of the plan's routes."""


@dataclass(frozen=True)
class CriticalLink:
    """An OSM way, and what closing it does to the plan's routes (per week)."""

    way_id: int
    street_name: str
    extra_km: float
    units_cut_off: tuple[str, ...]
    sites_cut_off: tuple[str, ...]


class CriticalLinkJson(TypedDict):
    """A critical link as a resilience report lists it."""

    way_id: int
    street_name: str
    extra_km_per_week: float
    units_cut_off: int
    unit_ids: list[str]
    sites_cut_off: list[str]


class CriticalLinksJson(TypedDict, total=False):
    """``critical_links`` of a resilience report: the links, or why there are none."""

    available: Required[bool]
    reason: str
    candidates_evaluated: int
    links: list[CriticalLinkJson]


@dataclass(frozen=True)
class CriticalLinks:
    """The top links, or (``available`` False) why they cannot be computed."""

    available: bool
    reason: str = ""
    links: tuple[CriticalLink, ...] = ()
    candidates: int = 0

    def as_dict(self) -> CriticalLinksJson:
        if not self.available:
            return {"available": False, "reason": self.reason}
        return {"available": True, "candidates_evaluated": self.candidates,
                "links": [{"way_id": k.way_id, "street_name": k.street_name,
                           "extra_km_per_week": round(k.extra_km, 3),
                           "units_cut_off": len(k.units_cut_off),
                           "unit_ids": list(k.units_cut_off),
                           "sites_cut_off": list(k.sites_cut_off)} for k in self.links]}


NEEDS_ROAD_NETWORK = ("critical links need a road network (travel: {model: road, network: "
                      "<name>}); crow-fly travel has no road links to close")


def way_usage(routes: Sequence[Route], points: tuple[Point, ...], model: RoadNetworkModel,
              vehicle_types: Mapping[str, VehicleType]) -> Counter[int]:
    """How many route legs drive along each OSM way (shortest-distance paths)."""
    usage: Counter[int] = Counter()
    graph = model.routable_graph
    legs_by_type: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for route in routes:
        legs_by_type[route.vehicle_type_id] |= {(leg.from_location, leg.to_location)
                                                for leg in route.legs
                                                if leg.from_location != leg.to_location}
    count_by_leg: Counter[tuple[str, int, int]] = Counter(
        (r.vehicle_type_id, leg.from_location, leg.to_location) for r in routes for leg in r.legs)
    for type_id, legs in sorted(legs_by_type.items()):
        profile = vehicle_profile(vehicle_types[type_id])
        snap, unreachable = model.snap(points, profile)
        network = model.profile_network(profile)
        routing = RoutingGraph(graph, network.allowed, network.twin, graph.length_m, snap)
        targets: dict[int, list[int]] = defaultdict(list)
        for a, b in legs:
            if points[a].id not in unreachable and points[b].id not in unreachable:
                targets[a].append(b)
        for a, ends in sorted(targets.items()):
            source = int(routing.site_node[a])
            _, predecessors = dijkstra(routing.csr, directed=True, indices=source,
                                       return_predecessors=True)
            for b in ends:
                ways = _path_ways(routing, predecessors, source, int(routing.site_node[b]))
                for way in ways:
                    usage[way] += count_by_leg[(type_id, a, b)]
    return usage


def _path_ways(routing: RoutingGraph, predecessors: np.ndarray, source: int,
               target: int) -> set[int]:
    """OSM way ids (>= 0) along the lightest path from ``source`` to ``target``."""
    ways: set[int] = set()
    node = target
    while node != source:
        tail = int(predecessors[node])
        if tail < 0:
            return set()
        lo, hi = routing.csr.indptr[tail], routing.csr.indptr[tail + 1]
        arc = lo + int(np.flatnonzero(routing.csr.indices[lo:hi] == node)[0])
        way = int(routing.graph.way_id[int(routing.arcs.edge[arc])])
        if way >= 0:
            ways.add(way)
        node = tail
    return ways


def _route_distance_m(route: Route, distance: Mapping[str, np.ndarray], position: Mapping[int, int],
                      cut: set[int]) -> float:
    """The route's stop sequence re-driven on ``distance``, skipping ``cut`` locations."""
    sequence = [route.legs[0].from_location] + [leg.to_location for leg in route.legs]
    kept = [loc for loc in sequence if loc not in cut]
    matrix = distance[route.vehicle_type_id]
    return float(sum(matrix[position[a], position[b]] for a, b in itertools.pairwise(kept)
                     if a != b))


def critical_links(routes: Sequence[Route], points: tuple[Point, ...], travel: TravelModel,
                   vehicle_types: Mapping[str, VehicleType], unit_ids: set[str],
                   max_candidates: int | None = DEFAULT_LINK_CANDIDATES,
                   top: int = TOP_LINKS) -> CriticalLinks:
    """The road links (OSM ways) whose closure hurts ``routes`` most.

    Each candidate way (the ``max_candidates`` most used by the routes; None = all
    used) is closed on its own; the routes keep their stop order and are re-driven on
    the shortest roads left, skipping stops no longer reachable from their depot (or
    that cannot reach it). Ranked by units cut off, then extra km.
    """
    if not isinstance(travel, RoadNetworkModel):
        return CriticalLinks(False, NEEDS_ROAD_NETWORK)
    routes = [r for r in routes if r.legs]
    usage = way_usage(routes, points, travel, vehicle_types)
    ranked = sorted(usage, key=lambda way: (-usage[way], way))
    candidates = ranked if max_candidates is None else ranked[:max_candidates]
    used = sorted({leg.from_location for r in routes for leg in r.legs}
                  | {leg.to_location for r in routes for leg in r.legs})
    position = {loc: i for i, loc in enumerate(used)}
    sites = tuple(points[i] for i in used)
    type_ids = sorted({r.vehicle_type_id for r in routes})

    def distances(model: TravelModel) -> dict[str, np.ndarray]:
        return {t: model.matrices(sites, vehicle_profile(vehicle_types[t])).distance_m
                for t in type_ids}

    base = distances(travel)
    base_m = sum(_route_distance_m(r, base, position, set()) for r in routes)
    graph = travel.routable_graph
    links = []
    for way in candidates:
        closure = Closure(way_ids=(way,), label=f"way {way}")
        closed = dataclasses.replace(travel, closures=(*travel.closures, closure))
        matrices = distances(closed)
        cut: set[int] = set()
        for route in routes:
            matrix = matrices[route.vehicle_type_id]
            depot = position[route.legs[0].from_location]
            for leg in route.legs:
                loc = position[leg.to_location]
                if np.isnan(matrix[depot, loc]) or np.isnan(matrix[loc, depot]):
                    cut.add(leg.to_location)
        extra_m = sum(_route_distance_m(r, matrices, position, cut) for r in routes) - base_m
        names = sorted({str(n) for n in graph.street_name[graph.way_id == way] if n})
        cut_ids = tuple(sorted(points[loc].id for loc in cut))
        links.append(CriticalLink(way, "; ".join(names), extra_m / 1000,
                                  tuple(i for i in cut_ids if i in unit_ids), cut_ids))
    links.sort(key=lambda k: (-len(k.units_cut_off), -k.extra_km, k.way_id))
    return CriticalLinks(True, links=tuple(links[:top]), candidates=len(candidates))
