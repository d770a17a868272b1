"""Road networks: OpenStreetMap sources, vehicle restrictions, snapping and travel matrices.

Every source (osmnx download, OSM XML/PBF, GraphML, tagged road lines) becomes one
:class:`RoadGraph`; :class:`RoadNetworkModel` implements the travel-model interface
on it.
"""
