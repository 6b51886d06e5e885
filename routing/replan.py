"""Re-planning during the day: keep what is done, re-plan the rest, say what moved.

Each working vehicle restarts where its last completed stop was, no earlier than `now_s`, with the
load it still carries (a van cannot take on more away from its depot) and the time it has already been
out (hot-food limits keep counting). Passengers on board stay on their vehicle: they become a pickup at
the vehicle's position at its restart time, tied to that vehicle, with the ride time they have left.
The old routes are the search's starting point, so stops only change vehicle when that pays.
A broken-down vehicle keeps the visits it made; its undelivered stops go back to the pool, and
passengers on board it are reported (a rescue trip is a new request). Cancelled stops are reported as
such. Stops of `problem` the old plan does not mention are new requests.
The rest is solved as an ordinary `Problem`, so OR-Tools checks every constraint.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from routing.model import Depot, Pair, Problem, Stop, TimeWindow, VehicleType
from routing.params import SolveParams
from routing.plan import Plan, Reason, Route, Unassigned, Visit
from routing.solve import assemble_route, solve


@dataclass(frozen=True)
class DayEvents:
    """What happened since the plan was made, as of `now_s` (stop and vehicle indices of the plan)."""

    now_s: int
    done: frozenset[int] = frozenset()
    broken: frozenset[int] = frozenset()
    cancelled: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.done & self.cancelled:
            raise ValueError(f"stops {sorted(self.done & self.cancelled)} are both done and cancelled")


@dataclass(frozen=True)
class Move:
    """A stop whose vehicle changed (None: not served)."""

    stop: int
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Replan:
    """The new plan (done visits kept exactly as they were) and the stops that changed vehicle."""

    plan: Plan
    moves: tuple[Move, ...]


@dataclass
class _Residual:
    """The problem of what is left, and how its stops and vehicles map back to the day's."""

    depots: list[Depot]
    types: list[VehicleType] = field(default_factory=list)
    vehicles: list[int] = field(default_factory=list)
    stops: list[Stop] = field(default_factory=list)
    origin: list[int | None] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)


def _done_prefix(route: Route, done: frozenset[int]) -> tuple[Visit, ...]:
    """The leading visits that are done; refuses a done stop after an undone one."""
    count = 0
    while count < len(route.visits) and route.visits[count].stop in done:
        count += 1
    if any(v.stop in done for v in route.visits[count:]):
        raise ValueError(f"vehicle {route.vehicle}: done stops must be the first stops of its route")
    return route.visits[:count]


class _Residualiser:
    """Builds the residual problem vehicle by vehicle, then stop by stop."""

    def __init__(self, problem: Problem, plan: Plan, events: DayEvents) -> None:
        self.problem, self.events = problem, events
        self.vtype = problem.vehicle_type_of()
        self.routes = {r.vehicle: r for r in plan.routes}
        self.prefix = {v: _done_prefix(r, events.done) for v, r in self.routes.items()}
        served = {v.stop for r in plan.routes for v in r.visits}
        if not events.done <= served:
            raise ValueError(f"stops {sorted(events.done - served)} are marked done but were not planned")
        self.res = _Residual(list(problem.depots))
        self.left_out: dict[int, Unassigned] = {}

    def position(self, v: int) -> tuple[int, int, int]:
        """(location, time available, time already out) of working vehicle `v` as of now."""
        vt = self.problem.vehicle_types[self.vtype[v]]
        visits = self.prefix.get(v, ())
        if not visits:
            return self.problem.depots[vt.start_depot].location, max(self.events.now_s, vt.shift.start_s), 0
        ready = max(self.events.now_s, visits[-1].departure_s)
        return self.problem.stops[visits[-1].stop].location, ready, ready - self.routes[v].start_s

    def add_stop(self, stop: Stop, origin: int | None) -> int:
        self.res.stops.append(stop)
        self.res.origin.append(origin)
        return len(self.res.stops) - 1

    def add_vehicle(self, v: int) -> None:
        vt = self.problem.vehicle_types[self.vtype[v]]
        location, ready, out = self.position(v)
        visits = self.prefix.get(v, ())
        delivered = [0] * len(vt.capacity)
        for visit in visits:
            if self.problem.pair_of(visit.stop) is None:
                delivered = [
                    a + b for a, b in zip(delivered, self.problem.stops[visit.stop].demand, strict=True)
                ]
        on_board = list(vt.capacity)
        if visits and not self.problem.pairs:  # a van that left the depot carries only what it loaded
            on_board = list(self.routes[v].load_at_start)
        self.res.depots.append(Depot(location, name=f"vehicle {v} now"))
        self.res.types.append(
            replace(
                vt,
                count=1,
                capacity=tuple(c - d for c, d in zip(on_board, delivered, strict=True)),
                start_depot=len(self.res.depots) - 1,
                shift=TimeWindow(ready, max(ready, vt.shift.end_s)),
                max_duration_s=None if vt.max_duration_s is None else max(0, vt.max_duration_s - out),
                skills=vt.skills | {f"vehicle:{v}"},
                fixed_cost=0 if visits else vt.fixed_cost,
                elapsed_at_start_s=vt.elapsed_at_start_s + out if visits else 0,
            )
        )
        self.res.vehicles.append(v)
        for visit in visits:
            self.keep_on_board(visit, location, ready, f"vehicle:{v}")

    def keep_on_board(self, visit: Visit, location: int, ready: int, tag: str) -> None:
        """A done pickup whose drop-off is not done: the passenger is picked up again here, now."""
        pair = self.problem.pair_of(visit.stop)
        if pair is None or pair.pickup != visit.stop or pair.delivery in self.events.done:
            return
        skills = self.problem.stops[visit.stop].required_skills | {tag}
        again = replace(
            self.problem.stops[visit.stop],
            location=location,
            service_s=0,
            time_windows=(TimeWindow(ready, ready),),
            required_skills=skills,
            penalty=None,
        )
        dropoff = self.problem.stops[pair.delivery]
        p = self.add_stop(again, None)
        d = self.add_stop(replace(dropoff, required_skills=dropoff.required_skills | skills), pair.delivery)
        ridden = ready - visit.departure_s
        left = None if pair.max_ride_s is None else max(0, pair.max_ride_s - ridden)
        self.res.pairs.append(Pair(p, d, max_ride_s=left, name=pair.name))

    def add_open_stops(self) -> None:
        """Every stop neither done, cancelled nor on board: as it was, pairs kept together."""
        skills = set().union(*(t.skills for t in self.res.types)) if self.res.types else set()
        onboard = {o for o in self.res.origin if o is not None}
        index: dict[int, int] = {}
        for s, stop in enumerate(self.problem.stops):
            if s in self.events.done or s in onboard or s in self.left_out:
                continue
            pair = self.problem.pair_of(s)
            ends = [s] if pair is None else [pair.pickup, pair.delivery]
            if any(e in self.events.cancelled for e in ends):
                self.left_out[s] = Unassigned(s, Reason.CANCELLED, "cancelled during the day")
            elif not stop.required_skills <= skills:
                self.left_out[s] = Unassigned(
                    s, Reason.NO_SKILLED_VEHICLE, "no working vehicle has the skill"
                )
            else:
                index[s] = self.add_stop(stop, s)
        for pair in self.problem.pairs:
            if pair.pickup in index and pair.delivery in index:
                self.res.pairs.append(replace(pair, pickup=index[pair.pickup], delivery=index[pair.delivery]))

    def report_broken(self, v: int) -> None:
        """Passengers on board a broken-down vehicle cannot be re-planned as they are."""
        for visit in self.prefix.get(v, ()):
            pair = self.problem.pair_of(visit.stop)
            if pair is not None and pair.pickup == visit.stop and pair.delivery not in self.events.done:
                detail = f"on board vehicle {v}, which broke down: add a rescue trip as a new request"
                self.left_out[pair.delivery] = Unassigned(pair.delivery, Reason.BROKEN_DOWN, detail)

    def problem_of_rest(self) -> Problem:
        return Problem(
            self.problem.dimensions,
            self.problem.duration_s,
            self.problem.distance_m,
            tuple(self.res.depots),
            tuple(self.res.types),
            tuple(self.res.stops),
            tuple(self.res.pairs),
            self.problem.xy,
        )


def _merge(r: _Residualiser, rest: Problem | None, rest_plan: Plan | None) -> Plan:
    """Done visits followed by the re-planned ones, on the day's stop and vehicle numbering."""
    problem, now = r.problem, r.events.now_s
    later = {r.res.vehicles[route.vehicle]: route for route in (rest_plan.routes if rest_plan else ())}
    routes = []
    for v in sorted(set(r.prefix) | set(later)):
        done = r.prefix.get(v, ())
        new = [x for x in (later[v].visits if v in later else ()) if r.res.origin[x.stop] is not None]
        stops = [x.stop for x in done] + [r.res.origin[x.stop] for x in new]
        if not stops:
            continue
        starts = [x.start_s for x in done] + [x.start_s for x in new]
        depart = r.routes[v].start_s if done else later[v].start_s
        if v in r.events.broken:
            route = assemble_route(problem, v, stops, starts, depart, done[-1].departure_s, returns=False)  # type: ignore[arg-type]
            routes.append(replace(route, broken_down_at_s=now))
            continue
        end = later[v].end_s if v in later else _drive_home(r, v)
        routes.append(assemble_route(problem, v, stops, starts, depart, end))  # type: ignore[arg-type]
    lost = dict(r.left_out)
    for u in rest_plan.unassigned if rest_plan else ():
        origin = r.res.origin[u.stop]
        if origin is not None:
            lost[origin] = replace(u, stop=origin)
    if rest_plan is None:
        for origin in (o for o in r.res.origin if o is not None):
            lost[origin] = Unassigned(origin, Reason.NO_SKILLED_VEHICLE, "no working vehicle left")
    status = rest_plan.status if rest_plan else "no_vehicle"
    return Plan(
        tuple(routes), tuple(lost[s] for s in sorted(lost)), status, rest_plan.objective if rest_plan else 0
    )


def _old_routes(r: _Residualiser, plan: Plan) -> list[list[int]]:
    """The old plan's remaining stops per residual vehicle, on-board passengers first: a starting point
    that keeps stops on their vehicle unless moving them pays."""
    where = {o: k for k, o in enumerate(r.res.origin) if o is not None}
    synthetic = {pair.delivery: pair.pickup for pair in r.res.pairs if r.res.origin[pair.pickup] is None}
    routes = []
    for v in r.res.vehicles:
        old = r.routes[v].stops if v in r.routes else []
        rest = [where[s] for s in old if s in where]
        routes.append([synthetic[k] for k in rest if k in synthetic] + rest)
    return routes


def _drive_home(r: _Residualiser, v: int) -> int:
    """When a vehicle with nothing left to do is back at its end depot."""
    vt = r.problem.vehicle_types[r.vtype[v]]
    location, ready, _ = r.position(v)
    home = r.problem.depots[vt.end_depot].location
    return ready + round(int(r.problem.duration_s[location, home]) / vt.speed_factor)


def replan(problem: Problem, plan: Plan, events: DayEvents, params: SolveParams | None = None) -> Replan:
    """Keep the done part of `plan` fixed and re-plan the rest of `problem` after `events`."""
    r = _Residualiser(problem, plan, events)
    for v in range(problem.num_vehicles):
        if v in events.broken:
            r.report_broken(v)
        else:
            r.add_vehicle(v)
    r.add_open_stops()
    rest = r.problem_of_rest() if r.res.types else None
    rest_plan = solve(rest, params, _old_routes(r, plan)) if rest is not None else None
    new = _merge(r, rest, rest_plan)
    before = {s: route.vehicle for route in plan.routes for s in route.stops}
    after = {s: route.vehicle for route in new.routes for s in route.stops}
    moves = tuple(
        Move(s, before.get(s), after.get(s))
        for s in range(len(problem.stops))
        if before.get(s) != after.get(s) and s not in events.done
    )
    return Replan(new, moves)
