"""Road closures: edges removed by OSM way id, street name or polygon before matrices are built."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from logistics.travel.network.graph import RoadGraph


@dataclass(frozen=True)
class Closure:
    """Roads that cannot be driven: any edge of a listed OSM way, any edge whose street
    name is listed (case-insensitive), and any edge touching ``area`` (WGS84 polygon)."""

    way_ids: tuple[int, ...] = ()
    street_names: tuple[str, ...] = ()
    area: BaseGeometry | None = None
    label: str = ""

    def closed_edges(self, graph: RoadGraph) -> np.ndarray:
        """Boolean mask of the edges of ``graph`` this closure removes."""
        closed = np.isin(graph.way_id, np.array(self.way_ids, dtype=np.int64))
        if self.street_names:
            wanted = {name.strip().casefold() for name in self.street_names}
            closed |= np.array(
                [
                    any(part.strip().casefold() in wanted for part in n.split(";"))
                    for n in graph.street_name.tolist()
                ],
                dtype=bool,
            )
        if self.area is not None:
            closed |= np.asarray(shapely.intersects(graph.edge_lines(), self.area), dtype=bool)
        return closed

    def fingerprint(self) -> str:
        """Stable text naming exactly what is closed (part of matrix cache keys)."""
        area = (
            hashlib.sha256(shapely.to_wkb(self.area)).hexdigest()[:16]
            if self.area is not None
            else ""
        )
        names = sorted(n.casefold() for n in self.street_names)
        return f"ways={sorted(self.way_ids)};names={names};area={area}"


def apply_closures(graph: RoadGraph, closures: tuple[Closure, ...]) -> RoadGraph:
    """``graph`` without the edges any of ``closures`` removes (nodes kept)."""
    if not closures:
        return graph
    closed = np.zeros(graph.edge_count, dtype=bool)
    for closure in closures:
        closed |= closure.closed_edges(graph)
    return graph.with_edges(~closed)
