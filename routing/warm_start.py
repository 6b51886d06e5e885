"""First solutions from PyVRP's iterated local search, handed to OR-Tools as starting routes.

PyVRP (optional dependency) is a much stronger improvement heuristic than OR-Tools' guided local
search on plain time-window problems; OR-Tools stays the engine that checks and finishes the routes
(`ReadAssignmentFromRoutes` rejects anything that breaks a constraint). Only problems PyVRP can
represent are handed over: no pairs, skills, split windows or speed factors. A hot-food limit is given to
PyVRP as a shift duration (the whole route, return included, within the limit): stricter than the real rule,
so its routes always pass OR-Tools' check, which then lets the routes stretch to the real limit.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from routing.model import Problem
from routing.params import SolveParams


def applicable(problem: Problem, params: SolveParams) -> bool:
    """True when the warm start is asked for (or allowed by "auto") and can represent the problem."""
    if params.first_solution == "ortools":
        return False
    representable = (
        not problem.pairs
        and all(len(s.time_windows) == 1 and not s.required_skills for s in problem.stops)
        and all(vt.speed_factor == 1.0 for vt in problem.vehicle_types)
    )
    installed = importlib.util.find_spec("pyvrp") is not None
    if params.first_solution == "pyvrp" and not (representable and installed):
        raise ValueError("first_solution='pyvrp' needs pyvrp installed and a problem it can represent")
    return representable and installed


def pyvrp_routes(
    problem: Problem, active: list[int], time_limit_s: float, seed: int, iterations: int | None = None
) -> list[list[int]] | None:
    """Stop indices per vehicle (types expanded in order) from PyVRP, or None if it found nothing feasible."""
    import pyvrp
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    depot_locs = [d.location for d in problem.depots]
    locs = sorted(set(depot_locs) | {problem.stops[s].location for s in active})
    where = {loc: i for i, loc in enumerate(locs)}
    xy = problem.xy if problem.xy is not None else np.zeros((problem.num_locations, 2))
    locations = [pyvrp.Location(float(xy[loc][0]), float(xy[loc][1])) for loc in locs]
    depots = [pyvrp.Depot(where[loc]) for loc in depot_locs]
    clients = []
    for s in active:
        stop = problem.stops[s]
        window = stop.time_windows[0]
        clients.append(
            pyvrp.Client(
                where[stop.location],
                delivery=list(stop.demand),
                service_duration=stop.service_s,
                tw_early=window.start_s,
                tw_late=window.end_s,
                prize=0 if stop.penalty is None else stop.penalty,
                required=stop.penalty is None,
            )
        )
    hot_limit = min(
        (
            problem.stops[s].max_since_departure_s or 0
            for s in active
            if problem.stops[s].max_since_departure_s
        ),
        default=None,
    )
    vehicle_types = [
        pyvrp.VehicleType(
            vt.count,
            capacity=list(vt.capacity),
            start_depot=vt.start_depot,
            end_depot=vt.end_depot,
            fixed_cost=vt.fixed_cost,
            tw_early=vt.shift.start_s,
            tw_late=vt.shift.end_s,
            shift_duration=_shift_duration(vt.max_duration_s, hot_limit, vt.elapsed_at_start_s),
            unit_distance_cost=vt.unit_distance_cost,
            unit_duration_cost=vt.unit_duration_cost,
        )
        for vt in problem.vehicle_types
    ]
    index = np.asarray(locs)
    distance = np.ascontiguousarray(problem.distance_m[np.ix_(index, index)])
    duration = np.ascontiguousarray(problem.duration_s[np.ix_(index, index)])
    data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, [distance], [duration])  # type: ignore[list-item]
    criterion: MaxRuntime | MultipleCriteria = MaxRuntime(time_limit_s)
    if iterations is not None:
        criterion = MultipleCriteria([MaxIterations(iterations), MaxRuntime(time_limit_s)])
    result = pyvrp.solve(data, criterion, seed=seed, collect_stats=False, display=False)
    if not result.is_feasible():
        return None
    return _to_vehicles(problem, active, result.best.routes())


def _shift_duration(max_duration_s: int | None, hot_limit_s: int | None, elapsed_s: int) -> int:
    """The tightest of the route's own limit and the hot-food limit, less the time already out."""
    limits = [
        limit for limit in (max_duration_s, None if hot_limit_s is None else hot_limit_s - elapsed_s) if limit
    ]
    return max(0, min(limits)) if limits else int(np.iinfo(np.int64).max)


def _to_vehicles(problem: Problem, active: list[int], routes: list[Any]) -> list[list[int]]:
    """PyVRP routes (client indices, by vehicle type) to our stop indices per vehicle."""
    offset = np.cumsum([0] + [vt.count for vt in problem.vehicle_types]).tolist()
    taken = [0] * len(problem.vehicle_types)
    per_vehicle: list[list[int]] = [[] for _ in range(problem.num_vehicles)]
    for route in routes:
        t = route.vehicle_type()
        stops = [active[a.idx] for a in route.schedule() if a.is_client()]
        per_vehicle[offset[t] + taken[t]] = stops
        taken[t] += 1
    return per_vehicle
