"""An independent re-check of a `Plan` against its `Problem`, written without looking at the solver.

Every test that produces a plan passes it through `assert_valid`, so a solver bug that breaks a
window, a capacity, a precedence, a ride time or the hot-food limit fails the suite.
"""

from __future__ import annotations

import itertools

from routing import Plan, Problem, Route


def _travel(problem: Problem, speed_factor: float, frm: int, to: int) -> int:
    return round(int(problem.duration_s[frm, to]) / speed_factor)


def _check_times(problem: Problem, route: Route) -> list[str]:
    vt = problem.vehicle_types[route.vehicle_type]
    errors = []
    here, leave = problem.depots[vt.start_depot].location, route.start_s
    if route.start_s < vt.shift.start_s:
        errors.append(f"vehicle {route.vehicle} leaves before its shift")
    for visit in route.visits:
        stop = problem.stops[visit.stop]
        if visit.arrival_s < leave + _travel(problem, vt.speed_factor, here, stop.location):
            errors.append(f"stop {visit.stop}: arrives faster than the matrix allows")
        if visit.start_s < visit.arrival_s:
            errors.append(f"stop {visit.stop}: service starts before arrival")
        if not any(w.start_s <= visit.start_s <= w.end_s for w in stop.time_windows):
            errors.append(f"stop {visit.stop}: service at {visit.start_s} outside its windows")
        if visit.departure_s != visit.start_s + stop.service_s:
            errors.append(f"stop {visit.stop}: departure is not start + service time")
        limit = stop.max_since_departure_s
        if limit is not None and visit.start_s - route.start_s > limit:
            errors.append(
                f"stop {visit.stop}: hot food served {visit.start_s - route.start_s}s after departure"
            )
        if not stop.required_skills <= vt.skills:
            errors.append(f"stop {visit.stop}: vehicle lacks skills {sorted(stop.required_skills)}")
        here, leave = stop.location, visit.departure_s
    end_loc = problem.depots[vt.end_depot].location
    if route.broken_down_at_s is not None:
        return errors
    if route.end_s < leave + _travel(problem, vt.speed_factor, here, end_loc):
        errors.append(f"vehicle {route.vehicle}: back at the depot faster than the matrix allows")
    if route.end_s > vt.shift.end_s:
        errors.append(f"vehicle {route.vehicle}: shift overrun")
    if vt.max_duration_s is not None and route.end_s - route.start_s > vt.max_duration_s:
        errors.append(f"vehicle {route.vehicle}: route longer than {vt.max_duration_s}s")
    return errors


def _check_loads(problem: Problem, route: Route) -> list[str]:
    cap = problem.vehicle_types[route.vehicle_type].capacity
    pickups = {p.pickup for p in problem.pairs}
    load = [0] * len(cap)
    for visit in route.visits:
        if problem.pair_of(visit.stop) is None:
            load = [a + d for a, d in zip(load, problem.stops[visit.stop].demand, strict=True)]
    errors = []
    for visit in route.visits:
        sign = 1 if visit.stop in pickups else -1
        load = [a + sign * d for a, d in zip(load, problem.stops[visit.stop].demand, strict=True)]
        if any(x < 0 or x > c for x, c in zip(load, cap, strict=True)):
            errors.append(
                f"vehicle {route.vehicle}: load {load} after stop {visit.stop} breaks capacity {cap}"
            )
    start_load = [0] * len(cap)
    for visit in route.visits:
        if problem.pair_of(visit.stop) is None:
            start_load = [a + d for a, d in zip(start_load, problem.stops[visit.stop].demand, strict=True)]
    if any(x > c for x, c in zip(start_load, cap, strict=True)):
        errors.append(f"vehicle {route.vehicle}: leaves the depot with {start_load} > capacity {cap}")
    return errors


def _check_pairs(problem: Problem, plan: Plan) -> list[str]:
    errors = []
    where = {v.stop: (r.vehicle, i, v) for r in plan.routes for i, v in enumerate(r.visits)}
    for pair in problem.pairs:
        p, d = where.get(pair.pickup), where.get(pair.delivery)
        if (p is None) != (d is None):
            errors.append(f"pair {pair.pickup}->{pair.delivery}: only one end is served")
            continue
        if p is None or d is None:
            continue
        if p[0] != d[0] or p[1] > d[1]:
            errors.append(f"pair {pair.pickup}->{pair.delivery}: not same vehicle with pickup first")
        ride = d[2].start_s - p[2].departure_s
        if pair.max_ride_s is not None and ride > pair.max_ride_s:
            errors.append(f"pair {pair.pickup}->{pair.delivery}: ride {ride}s > {pair.max_ride_s}s")
    return errors


def violations(problem: Problem, plan: Plan) -> list[str]:
    """Every broken constraint of `plan`; empty when the plan is valid."""
    errors = []
    served = [v.stop for r in plan.routes for v in r.visits]
    left = [u.stop for u in plan.unassigned]
    if sorted(served + left) != list(range(len(problem.stops))):
        errors.append("some stop is served twice, or neither served nor reported unassigned")
    vehicle_type = problem.vehicle_type_of()
    for route in plan.routes:
        if vehicle_type[route.vehicle] != route.vehicle_type:
            errors.append(f"vehicle {route.vehicle} reported with the wrong type")
        locs = [problem.depots[problem.vehicle_types[route.vehicle_type].start_depot].location]
        locs += [problem.stops[s].location for s in route.stops]
        if route.broken_down_at_s is None:
            locs.append(problem.depots[problem.vehicle_types[route.vehicle_type].end_depot].location)
        if route.distance_m != sum(int(problem.distance_m[a, b]) for a, b in itertools.pairwise(locs)):
            errors.append(f"vehicle {route.vehicle}: reported distance differs from the matrix")
        errors += _check_times(problem, route) + _check_loads(problem, route)
    return errors + _check_pairs(problem, plan)


def assert_valid(problem: Problem, plan: Plan) -> None:
    """Fail with the list of violations if the plan breaks any constraint of the problem."""
    errors = violations(problem, plan)
    assert not errors, "\n".join(errors)
