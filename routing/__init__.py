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

Services build on the same model: `routing.meals` (hot-meal rounds, multi-kitchen, one-hour hot-food
limit), `routing.milk` (weekday assignment and day-by-day decomposition for tens of thousands of
households), `routing.transport` (dial-a-ride with return trips, seats and wheelchair places) and
`routing.replan` (`replan(problem, plan, DayEvents(...))` keeps done visits and re-plans the rest).

`routing` imports none of Kapıda's other packages; OR-Tools is used only in `routing._ortools`. PyVRP,
when installed, gives the first routes of plain time-window problems (`routing.warm_start`).
"""

from routing.builder import ProblemBuilder
from routing.model import UNREACHABLE, Depot, Pair, Problem, Stop, TimeWindow, VehicleType
from routing.params import SolveParams
from routing.plan import Plan, Reason, Route, Unassigned, Visit
from routing.replan import DayEvents, Move, Replan, replan
from routing.solve import solve

__all__ = [
    "UNREACHABLE",
    "DayEvents",
    "Depot",
    "Move",
    "Pair",
    "Plan",
    "Problem",
    "ProblemBuilder",
    "Reason",
    "Replan",
    "Route",
    "SolveParams",
    "Stop",
    "TimeWindow",
    "Unassigned",
    "VehicleType",
    "Visit",
    "replan",
    "solve",
]
