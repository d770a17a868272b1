"""Travel models: how far and how long between sites, per vehicle profile.

A travel model turns a list of points into directed distance (m) and duration (s)
matrices for one vehicle profile. ``crow_fly`` works anywhere; ``road`` uses a
road network (see :mod:`logistics.travel.network`).
"""

from logistics.travel.base import Point, TravelMatrices, TravelModel, VehicleProfile
from logistics.travel.crowfly import CrowFlyModel

__all__ = ["CrowFlyModel", "Point", "TravelMatrices", "TravelModel", "VehicleProfile"]
