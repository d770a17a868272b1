"""The travel model a scenario asks for."""

from __future__ import annotations

from logistics.travel.base import TravelModel
from logistics.travel.crowfly import CrowFlyModel
from logistics.travel.settings import TravelSettings


def make_travel_model(settings: TravelSettings) -> TravelModel:
    """Crow-fly (with the scenario's detour factor, if any) or the named cached road
    network."""
    if settings.model == "crow_fly":
        if settings.detour_factor is not None:
            return CrowFlyModel(detour_factor=settings.detour_factor)
        return CrowFlyModel()
    from logistics.travel.network.model import RoadNetworkModel

    return RoadNetworkModel.from_cache(str(settings.network))
