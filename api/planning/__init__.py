"""From caseload to routes: the adapter between the read models, the road network and the planner.

It lives on the api side because it knows every other package; `routing` and `maps` know none.
"""

from api.planning.geometry import plan_geojson, route_gpx
from api.planning.network import network_geojson, road_network
from api.planning.service import move_stop, plan_day, replan_breakdown, replan_cancel, replan_new_requests

__all__ = [
    "move_stop",
    "network_geojson",
    "plan_day",
    "plan_geojson",
    "replan_breakdown",
    "replan_cancel",
    "replan_new_requests",
    "road_network",
    "route_gpx",
]
