"""Kapıda's maps package: real road networks, snapping, travel-time matrices, route geometry, areas.

Pure functions in flat modules per concern (osmnx style); nothing here imports our other packages,
and only `maps._download` may reach the internet.
"""

from maps.addresses import Address, sample_residential_addresses
from maps.areas import Area, Boundaries, assign_areas, load_boundaries, osm_boundaries
from maps.errors import (
    BoundaryError,
    InvalidPointError,
    MapsError,
    NetworkSourceError,
    NoDrivableRoadsError,
    SnapError,
)
from maps.geometry import Leg, route_geojson, route_legs, route_linestring, routes_geodataframe
from maps.matrix import Matrices, default_cache_dir, travel_matrices
from maps.network import LoadReport, RoadNetwork, compile_network, load_network, read_graph_file
from maps.render import ATTRIBUTION, render_routes_png
from maps.snapping import DEFAULT_MAX_SNAP_M, SnappedPoints, check_points, snap_points
from maps.sources import default_roads_source, shared_data_dir
from maps.speeds import DEFAULT_SPEED_KPH, VEHICLE_SPEED_FACTOR, vehicle_speed_factor

__all__ = [
    "ATTRIBUTION",
    "DEFAULT_MAX_SNAP_M",
    "DEFAULT_SPEED_KPH",
    "VEHICLE_SPEED_FACTOR",
    "Address",
    "Area",
    "Boundaries",
    "BoundaryError",
    "InvalidPointError",
    "Leg",
    "LoadReport",
    "MapsError",
    "Matrices",
    "NetworkSourceError",
    "NoDrivableRoadsError",
    "RoadNetwork",
    "SnapError",
    "SnappedPoints",
    "assign_areas",
    "check_points",
    "compile_network",
    "default_cache_dir",
    "default_roads_source",
    "load_boundaries",
    "load_network",
    "osm_boundaries",
    "read_graph_file",
    "render_routes_png",
    "route_geojson",
    "route_legs",
    "route_linestring",
    "routes_geodataframe",
    "sample_residential_addresses",
    "shared_data_dir",
    "snap_points",
    "travel_matrices",
    "vehicle_speed_factor",
]
