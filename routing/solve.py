"""`solve(problem, params) -> Plan`: screen hopeless stops, warm-start, run OR-Tools, explain gaps."""

from __future__ import annotations

from collections.abc import Sequence
from time import perf_counter

from routing import _ortools, warm_start
from routing.model import Problem
from routing.params import SolveParams
from routing.plan import Plan, Route, Unassigned, Visit
from routing.screening import left_out_reason, screen


def solve(
    problem: Problem, params: SolveParams | None = None, initial_routes: Sequence[Sequence[int]] | None = None
) -> Plan:
    """Plan the day: every stop is either on a route or in `Plan.unassigned` with a reason.

    OR-Tools enforces every constraint; a warm start (see `SolveParams.first_solution`) or the caller's
    `initial_routes` (stop indices per vehicle, e.g. the plan being revised) only propose routes that
    OR-Tools re-checks and improves; routes it rejects are ignored.
    """
    params = params or SolveParams()
    deadline = perf_counter() + params.time_limit_s
    hopeless = screen(problem)
    active = [s for s in range(len(problem.stops)) if s not in hopeless]
    initial = None
    if initial_routes is not None:
        initial = [[s for s in route if s not in hopeless] for route in initial_routes]
    elif active and warm_start.applicable(problem, params):
        share = params.time_limit_s * params.warm_start_share
        initial = warm_start.pyvrp_routes(problem, active, share, params.seed, params.warm_start_iterations)
        if initial is None:  # PyVRP found nothing feasible: OR-Tools builds its own routes, give it time
            deadline = max(deadline, perf_counter() + (1 - params.warm_start_share) * params.time_limit_s)
    raw = _ortools.solve_ortools(problem, active, params, deadline, initial) if active else None
    if raw is None:
        raw = _ortools.RawSolution((), tuple(active), "no_solution" if active else "empty", 0)
    return _assemble(problem, raw, hopeless)


def _assemble(problem: Problem, raw: _ortools.RawSolution, hopeless: dict[int, Unassigned]) -> Plan:
    vtype = problem.vehicle_type_of()
    routes = tuple(
        assemble_route(problem, r.vehicle, r.stops, r.start_times, r.depart_s, r.end_s)
        for r in raw.routes
        if r.stops
    )
    used = {r.vehicle: r for r in routes}
    spare = []
    for v, t in enumerate(vtype):
        cap = problem.vehicle_types[t].capacity
        peak = _peak_load(used[v]) if v in used else tuple(0 for _ in cap)
        spare.append((t, tuple(c - p for c, p in zip(cap, peak, strict=True))))
    unassigned = dict(hopeless)
    for s in raw.dropped:
        unassigned[s] = left_out_reason(problem, s, spare)
    return Plan(routes, tuple(unassigned[s] for s in sorted(unassigned)), raw.status, raw.objective)


def _peak_load(route: Route) -> tuple[int, ...]:
    loads = [route.load_at_start] + [v.load_after for v in route.visits]
    return tuple(max(column) for column in zip(*loads, strict=True))


def assemble_route(
    problem: Problem,
    vehicle: int,
    stops: Sequence[int],
    start_times: Sequence[int],
    depart_s: int,
    end_s: int,
    *,
    returns: bool = True,
) -> Route:
    """Times, loads, distance and cost of a route from its stop order and service start times.

    Arrival is the previous departure plus travel; `returns=False` (a vehicle that broke down) leaves
    out the drive back to the end depot.
    """
    t = problem.vehicle_type_of()[vehicle]
    vt = problem.vehicle_types[t]
    load = [0] * len(problem.dimensions)
    for s in stops:
        if problem.pair_of(s) is None:
            load = [a + b for a, b in zip(load, problem.stops[s].demand, strict=True)]
    load_at_start = tuple(load)
    here, leave = problem.depots[vt.start_depot].location, depart_s
    visits, distance = [], 0
    for s, start in zip(stops, start_times, strict=True):
        stop = problem.stops[s]
        arrival = leave + round(int(problem.duration_s[here, stop.location]) / vt.speed_factor)
        distance += int(problem.distance_m[here, stop.location])
        sign = 1 if problem.pair_of(s) is not None and not problem.is_delivery_end(s) else -1
        load = [a + sign * d for a, d in zip(load, stop.demand, strict=True)]
        visits.append(Visit(s, arrival, start, start + stop.service_s, tuple(load)))
        here, leave = stop.location, start + stop.service_s
    if returns:
        distance += int(problem.distance_m[here, problem.depots[vt.end_depot].location])
    duration = end_s - depart_s
    cost = distance * vt.unit_distance_cost + duration * vt.unit_duration_cost + vt.fixed_cost
    return Route(vehicle, t, tuple(visits), depart_s, end_s, load_at_start, distance, duration, cost)
