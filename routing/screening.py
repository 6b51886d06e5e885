"""Reasons a stop cannot be served: checked before the solver (hopeless stops) and after it (left out).

Stops that no vehicle could serve even alone (too heavy, no road, windows out of reach, ride or hot-food
limit shorter than the direct trip) never reach the solver; the stops it leaves out get the most specific
reason a dispatcher can act on.
"""

from __future__ import annotations

from routing.model import UNREACHABLE, Problem, Stop, VehicleType
from routing.plan import Reason, Unassigned


def _travel(problem: Problem, vt: VehicleType, frm: int, to: int) -> int:
    raw = int(problem.duration_s[frm, to])
    return raw if raw >= UNREACHABLE else round(raw / vt.speed_factor)


def _first_start(stop: Stop, arrival_s: int) -> int | None:
    """Earliest service start at or after `arrival_s` inside one of the stop's windows."""
    for window in stop.time_windows:
        if arrival_s <= window.end_s:
            return max(arrival_s, window.start_s)
    return None


def _alone_reason(problem: Problem, vt: VehicleType, s: int) -> Unassigned | None:
    """Why a vehicle of type `vt` could not serve stop `s` even on a route of its own (None if it can)."""
    stop = problem.stops[s]
    start = problem.depots[vt.start_depot].location
    end = problem.depots[vt.end_depot].location
    if not stop.required_skills <= vt.skills:
        return Unassigned(s, Reason.NO_SKILLED_VEHICLE, f"needs {sorted(stop.required_skills)}")
    over = [
        problem.dimensions[k] for k, (d, c) in enumerate(zip(stop.demand, vt.capacity, strict=True)) if d > c
    ]
    if over:
        return Unassigned(s, Reason.CAPACITY, f"demand exceeds vehicle capacity in {over}")
    there, back = _travel(problem, vt, start, stop.location), _travel(problem, vt, stop.location, end)
    if there >= UNREACHABLE or back >= UNREACHABLE:
        return Unassigned(s, Reason.UNREACHABLE, "no road from the start depot or to the end depot")
    if stop.max_since_departure_s is not None and there + vt.elapsed_at_start_s > stop.max_since_departure_s:
        return Unassigned(s, Reason.HOT_FOOD, f"direct drive {there}s exceeds {stop.max_since_departure_s}s")
    begin = _first_start(stop, vt.shift.start_s + there)
    if begin is None or begin + stop.service_s + back > vt.shift.end_s:
        return Unassigned(s, Reason.TIME_WINDOW, "cannot be reached within its windows and the shift")
    if vt.max_duration_s is not None and there + stop.service_s + back > vt.max_duration_s:
        return Unassigned(s, Reason.TIME_WINDOW, "round trip exceeds the vehicle's maximum duration")
    pair = problem.pair_of(s)
    if pair is not None and pair.max_ride_s is not None:
        direct = _travel(
            problem, vt, problem.stops[pair.pickup].location, problem.stops[pair.delivery].location
        )
        if direct > pair.max_ride_s:
            return Unassigned(s, Reason.RIDE_TIME, f"direct ride {direct}s exceeds {pair.max_ride_s}s")
    if pair is not None:
        pickup, dropoff = problem.stops[pair.pickup], problem.stops[pair.delivery]
        direct = _travel(problem, vt, pickup.location, dropoff.location)
        if pickup.earliest_s + pickup.service_s + direct > dropoff.latest_s:
            return Unassigned(
                s, Reason.TIME_WINDOW, "the drop-off window closes before the trip can get there"
            )
    return None


def screen(problem: Problem, candidates: list[int] | None = None) -> dict[int, Unassigned]:
    """Stops (of `candidates`, default all) that no vehicle type could serve alone, with the reason."""
    hopeless: dict[int, Unassigned] = {}
    for s in range(len(problem.stops)) if candidates is None else candidates:
        reasons = [_alone_reason(problem, vt, s) for vt in problem.vehicle_types]
        if all(r is not None for r in reasons):
            skilled = [r for r in reasons if r is not None and r.reason != Reason.NO_SKILLED_VEHICLE]
            hopeless[s] = skilled[0] if skilled else reasons[0]  # type: ignore[assignment]
    for pair in problem.pairs:
        for one, other in ((pair.pickup, pair.delivery), (pair.delivery, pair.pickup)):
            if one in hopeless and other not in hopeless:
                hopeless[other] = Unassigned(
                    other, hopeless[one].reason, f"its partner stop {one} cannot be served"
                )
    return hopeless


def left_out_reason(problem: Problem, s: int, spare: list[tuple[int, tuple[int, ...]]]) -> Unassigned:
    """Reason for a stop the solver left out; `spare` is (vehicle type, unused capacity) per vehicle."""
    stop = problem.stops[s]
    eligible = [room for t, room in spare if stop.required_skills <= problem.vehicle_types[t].skills]
    fits = [room for room in eligible if all(d <= r for d, r in zip(stop.demand, room, strict=True))]
    if not eligible:
        return Unassigned(
            s, Reason.NO_SKILLED_VEHICLE, f"no working vehicle has {sorted(stop.required_skills)}"
        )
    if not fits and problem.pair_of(s) is None:
        return Unassigned(s, Reason.CAPACITY, "every suitable vehicle is full")
    if stop.max_since_departure_s is not None:
        return Unassigned(s, Reason.HOT_FOOD, "no route could reach it hot within its window")
    pair = problem.pair_of(s)
    if pair is not None and pair.max_ride_s is not None:
        return Unassigned(s, Reason.RIDE_TIME, "no route could carry it within its windows and ride time")
    return Unassigned(s, Reason.TIME_WINDOW, "no route could reach it within its windows and shifts")
