"""Kapıda's daily route planning: builder -> immutable `Problem` -> `solve(problem, params)` -> `Plan`.

Units are integers: seconds from midnight (or the horizon start) and metres. Typical use::

    b = ProblemBuilder(dimensions=("containers",))
    b.set_matrices(duration_s, distance_m)           # square integer matrices over locations
    kitchen = b.add_depot(location=0, name="kitchen")
    b.add_vehicle_type(count=3, capacity=[40], start_depot=kitchen, shift=(7 * 3600, 13 * 3600))
    b.add_stop(location=5, demand=[2], service_s=120, time_windows=[(8 * 3600, 9 * 3600)],
               max_since_departure_s=3600)            # hot food: at most an hour after leaving
    plan = solve(b.build(), SolveParams(time_limit_s=5))
    plan.routes[0].visits[0].arrival_s; plan.unassigned  # each with a Reason

`routing` imports none of Kapıda's other packages; OR-Tools is used only in `routing._ortools`.
"""

from routing.builder import ProblemBuilder
from routing.model import UNREACHABLE, Depot, Pair, Problem, Stop, TimeWindow, VehicleType
from routing.params import SolveParams
from routing.plan import Plan, Reason, Route, Unassigned, Visit
from routing.solve import solve

__all__ = [
    "UNREACHABLE",
    "Depot",
    "Pair",
    "Plan",
    "Problem",
    "ProblemBuilder",
    "Reason",
    "Route",
    "SolveParams",
    "Stop",
    "TimeWindow",
    "Unassigned",
    "VehicleType",
    "Visit",
    "solve",
]
