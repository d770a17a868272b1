"""Which travel model a scenario asks for (``travel:`` in scenario files)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from logistics.validated import Frozen, Id


class TravelSettings(Frozen):
    """``crow_fly`` anywhere, or ``road`` on a named cached road network."""

    model: Literal["crow_fly", "road"] = "crow_fly"
    network: Id | None = None
    detour_factor: float | None = Field(
        default=None, ge=1.0, le=3.0,
        description="crow-fly distance multiplier; None = the model's measured default")

    @model_validator(mode="after")
    def _network_for_road(self) -> TravelSettings:
        if self.model == "road" and not self.network:
            raise ValueError("travel.model 'road' needs travel.network (a network name)")
        return self
