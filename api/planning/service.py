"""Planning a round, moving a stop by hand, re-planning during the day: events through the domain."""

from __future__ import annotations

import time as clock
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from uuid import UUID

from api.bootstrap import Services
from api.planning.day import check_round, delivery_stops, dimensions_of, fleet_for, trip_stops
from api.planning.network import road_network
from api.planning.problem import LIFT, DayProblem, build_day_problem, pairs_of, plan_from_solution
from domain.app_base import ISTANBUL
from domain.errors import N_, Clauses, Conflict, IllegalTransition, InvalidValue, Listed, Phrase, Term
from domain.programmes import Programme
from domain.route_plan import PlannedRoute, PlannedStop, Round, RoutePlan, StopKind
from domain.values import Actor
from routing import DayEvents, Plan, Route, SolveParams, replan, solve
from routing import evaluate as rules
from routing.evaluate import Violation, evaluate_route

DONE_OUTCOMES = ("delivered", "dropped_off", "no_show", "picked_up")
REPLAN_SECONDS = 5.0


def plan_day(
    services: Services,
    day: date,
    programme: Programme,
    round_: Round,
    actor: Actor,
    time_limit_s: float = 10.0,
) -> UUID:
    """Today's manifest (or trip bookings) → snapped stops → routing problem → solved → recorded plan."""
    check_round(programme, round_)
    services.catch_up()
    fleet = fleet_for(services.views, programme)
    if not fleet:
        raise Conflict(
            N_("no vehicle in service carries {dimension} for {programme}"),
            dimension=dimensions_of(programme)[0],
            programme=programme,
        )
    if programme is Programme.ACCESSIBLE_TRANSPORT:
        singles, pairs = [], trip_stops(services.views, day)
    else:
        singles, pairs = delivery_stops(services.views, day, programme, round_), []
    day_problem = build_day_problem(
        road_network(),
        dimensions_of(programme),
        fleet,
        singles,
        pairs,
        hot_food=programme is Programme.HOT_MEAL,
    )
    started = clock.perf_counter()
    solution = solve(day_problem.problem, SolveParams(time_limit_s=time_limit_s))
    routes, unserved = plan_from_solution(day_problem, solution)
    summary = _summary(day_problem, solution, clock.perf_counter() - started, time_limit_s)
    plan_id = services.app.record_plan(day, programme, round_, routes, unserved, summary, actor)
    services.catch_up()
    return plan_id


def _summary(day_problem: DayProblem, solution: Plan, seconds: float, limit: float) -> dict[str, float]:
    return {
        "stops": len(day_problem.stops) + len(day_problem.unreachable),
        "vehicles": len(day_problem.vehicles),
        "vehicles_used": solution.num_vehicles_used,
        "unserved": len(solution.unassigned) + len(day_problem.unreachable),
        "distance_m": solution.distance_m,
        "duration_s": solution.duration_s,
        "solve_seconds": round(seconds, 2),
        "time_limit_s": limit,
    }


def _day_stops(services: Services, plan: RoutePlan) -> list[PlannedStop]:
    """What the day asks for now: the manifest or the trip bookings as they stand."""
    if plan.programme is Programme.ACCESSIBLE_TRANSPORT:
        return [stop for pair in trip_stops(services.views, plan.day) for stop in pair]
    return delivery_stops(services.views, plan.day, plan.programme, plan.round)


def _plan_problem(services: Services, plan: RoutePlan, with_new: bool = False) -> DayProblem:
    """The routing problem of a recorded plan, with its vehicles even if now out of service.

    Its own stops, plus (`with_new`) the requests that arrived since it was planned.
    """
    used = frozenset(r.vehicle_id for r in plan.routes)
    stops = [s for r in plan.routes for s in r.stops] + [u.stop for u in plan.unserved]
    stops = _without_erased(stops)
    if with_new:
        known = {s.key for s in stops}
        stops += [s for s in _day_stops(services, plan) if s.key not in known]
    singles, pairs = pairs_of(stops)
    return build_day_problem(
        road_network(),
        dimensions_of(plan.programme),
        fleet_for(services.views, plan.programme, used),
        singles,
        pairs,
        hot_food=plan.programme is Programme.HOT_MEAL,
    )


def _without_erased(stops: list[PlannedStop]) -> list[PlannedStop]:
    """Stops with a door to drive to: an erased household's stop has none, so it (and, for a trip, the
    other end of its leg) leaves re-planning."""
    gone = {_leg(s) for s in stops if s.location is None}
    return [s for s in stops if _leg(s) not in gone]


def _leg(stop: PlannedStop) -> str:
    """A delivery's key, or the leg a trip's pickup and drop-off share."""
    return stop.key if stop.kind is StopKind.DELIVERY else stop.key.rsplit("/", 1)[0]


def _refuse_erased(plan: RoutePlan, keys: list[str]) -> None:
    """An erased household's stop has no door any more: it cannot be re-timed, nor can a route holding it."""
    for key in keys:
        _, stop = plan.find_stop(key)
        if stop.location is None:
            raise IllegalTransition(
                N_("{key} belongs to an erased household: its stop cannot be moved (re-plan to drop it)"),
                key=key,
            )


def _index(day_problem: DayProblem) -> tuple[dict[str, int], dict[UUID, int]]:
    stops = {s.key: i for i, s in enumerate(day_problem.stops)}
    vehicles = {v.vehicle_id: i for i, v in enumerate(day_problem.vehicles)}
    return stops, vehicles


def _recorded_solution(day_problem: DayProblem, plan: RoutePlan) -> Plan:
    """The plan's routes as the routing package's `Plan`, re-timed on today's matrices."""
    stops, vehicles = _index(day_problem)
    routes: list[Route] = []
    for recorded in plan.routes:
        if recorded.stops:
            order = [stops[s.key] for s in recorded.stops if s.key in stops]  # erased stops leave
            routes.append(evaluate_route(day_problem.problem, vehicles[recorded.vehicle_id], order).route)
    return Plan(tuple(routes), (), "recorded", 0)


def _done_keys(services: Services, plan_id: UUID) -> set[str]:
    rows = services.views.query(
        "SELECT stop_key FROM dp_outcomes WHERE plan_id=? "
        f"AND outcome IN ({','.join('?' * len(DONE_OUTCOMES))})",
        (plan_id.hex, *DONE_OUTCOMES),
    )
    return {row[0] for row in rows}


def _now_s() -> int:
    now = datetime.now(ISTANBUL)
    return now.hour * 3600 + now.minute * 60 + now.second


def _replan(
    services: Services,
    plan_id: UUID,
    broken: set[UUID],
    cancelled: set[str],
    at_s: int,
    reason: str,
    actor: Actor,
    time_limit_s: float,
    with_new: bool = False,
) -> list[str]:
    services.catch_up()
    plan = services.app.route_plan(plan_id)
    day_problem = _plan_problem(services, plan, with_new)
    stops, vehicles = _index(day_problem)
    unknown = cancelled - set(stops)
    if unknown:
        raise InvalidValue(
            "keys", N_("{key} is not a stop of plan {plan_id}"), key=sorted(unknown)[0], plan_id=plan_id
        )
    done = {stops[k] for k in _done_keys(services, plan_id) if k in stops}
    events = DayEvents(
        now_s=at_s,
        done=frozenset(done),
        broken=frozenset(vehicles[v] for v in broken),
        cancelled=frozenset(stops[k] for k in cancelled),
    )
    result = replan(
        day_problem.problem,
        _recorded_solution(day_problem, plan),
        events,
        SolveParams(time_limit_s=time_limit_s),
    )
    routes, unserved = plan_from_solution(day_problem, result.plan)
    moved = tuple(day_problem.stops[m.stop].key for m in result.moves)
    summary = _summary(day_problem, result.plan, 0.0, time_limit_s)
    services.app.replan(plan_id, routes, unserved, moved, summary, reason, actor)
    services.catch_up()
    return list(moved)


def replan_breakdown(
    services: Services,
    plan_id: UUID,
    vehicle_id: UUID,
    at_s: int | None,
    reason: str,
    actor: Actor,
    time_limit_s: float = REPLAN_SECONDS,
) -> list[str]:
    """A van broke down at `at_s`: its done stops stay, the rest go to the other vans; returns moved keys."""
    plan = services.app.route_plan(plan_id)
    if plan.route_of(vehicle_id) is None:
        raise InvalidValue(
            "vehicle_id",
            N_("vehicle {vehicle_id} has no route in plan {plan_id}"),
            vehicle_id=vehicle_id,
            plan_id=plan_id,
        )
    at = _now_s() if at_s is None else at_s
    return _replan(services, plan_id, {vehicle_id}, set(), at, reason, actor, time_limit_s)


def replan_cancel(
    services: Services,
    plan_id: UUID,
    keys: list[str],
    reason: str,
    actor: Actor,
    time_limit_s: float = REPLAN_SECONDS,
) -> list[str]:
    """Households cancelled: their stops leave the routes, which are re-planned; returns moved keys."""
    if not keys:
        raise InvalidValue("keys", N_("name at least one stop"))
    return _replan(services, plan_id, set(), set(keys), _now_s(), reason, actor, time_limit_s)


def replan_new_requests(
    services: Services, plan_id: UUID, reason: str, actor: Actor, time_limit_s: float = REPLAN_SECONDS
) -> list[str]:
    """An urgent trip or a new household arrived after planning: add it and re-plan what is still open.

    Returns the keys of stops that changed vehicle, the new ones included.
    """
    services.catch_up()
    plan = services.app.route_plan(plan_id)
    known = plan.stop_keys()
    if not [s for s in _day_stops(services, plan) if s.key not in known]:
        raise Conflict(
            N_("nothing new to add to plan {plan_id}: every request of the day is already in it"),
            plan_id=plan_id,
        )
    return _replan(services, plan_id, set(), set(), _now_s(), reason, actor, time_limit_s, with_new=True)


def move_stop(
    services: Services, plan_id: UUID, key: str, to_vehicle: UUID, position: int, reason: str, actor: Actor
) -> None:
    """Put a stop (with its pair, for a trip) on a vehicle at `position`; refused if that breaks a rule."""
    plan = services.app.route_plan(plan_id)
    if key not in plan.stop_keys():
        raise InvalidValue("key", N_("{key} is not a stop of plan {plan_id}"), key=key, plan_id=plan_id)
    source, _ = plan.find_stop(key)
    target = plan.route_of(to_vehicle)
    touched = [s.key for r in (source, target) if r is not None for s in r.stops]
    _refuse_erased(plan, [key, *touched])
    day_problem = _plan_problem(services, plan)
    stops, vehicles = _index(day_problem)
    if to_vehicle not in vehicles:
        raise InvalidValue(
            "to_vehicle", N_("vehicle {to_vehicle} cannot carry this plan's programme"), to_vehicle=to_vehicle
        )
    moving = _with_pair(day_problem, key)
    order = [s.key for s in target.stops if s.key not in moving] if target else []
    at = max(0, min(position, len(order)))
    order[at:at] = moving
    changed = [_evaluated(day_problem, to_vehicle, order, stops, vehicles)]
    if source is not None and source.vehicle_id != to_vehicle:
        rest = [s.key for s in source.stops if s.key not in moving]
        changed.append(_evaluated(day_problem, source.vehicle_id, rest, stops, vehicles))
    services.app.move_stop(plan_id, key, tuple(changed), reason, actor)
    services.catch_up()


# How a dispatcher reads each rule a hand-made order breaks (routing names it by a code, in English).
VIOLATION_TEXTS = {
    rules.LATE: N_("stop {stop}: arrives after its time window closes"),
    rules.TOO_LONG_AFTER_LEAVING: N_("stop {stop}: more than {minutes} min after leaving"),
    rules.MISSING_SKILLS: N_("stop {stop}: needs {skills}"),
    rules.OVERLOADED_AT_START: N_("the route starts with more than the vehicle can carry"),
    rules.OVER_CAPACITY: N_("stop {stop}: over the vehicle's capacity"),
    rules.AFTER_SHIFT: N_("the route ends after the shift ({end})"),
}
# The vehicle equipment a stop may need, as the dispatcher calls it.
SKILL_WORDS = {LIFT: N_("a wheelchair lift")}


def violation_phrase(violation: Violation) -> Phrase | str:
    """A routing violation as a translatable phrase; a kind without a wording stays routing's English."""
    template = VIOLATION_TEXTS.get(violation.kind)
    if template is None:
        return str(violation)
    end = violation.end_s or 0
    return Phrase(
        template,
        stop=violation.stop,
        minutes=violation.minutes,
        skills=Listed(Term(SKILL_WORDS[s]) if s in SKILL_WORDS else s for s in violation.skills),
        end=f"{end // 3600:02d}:{end % 3600 // 60:02d}",
    )


def broken_order(violations: Sequence[Violation]) -> Conflict:
    """The refusal of a hand-made order, naming every rule it breaks in the reader's language."""
    return Conflict(
        N_("this order breaks: {violations}"), violations=Clauses(violation_phrase(v) for v in violations)
    )


def _with_pair(day_problem: DayProblem, key: str) -> list[str]:
    stop = next(s for s in day_problem.stops if s.key == key)
    if stop.kind is StopKind.DELIVERY:
        return [key]
    leg = key.rsplit("/", 1)[0]
    return [f"{leg}/{StopKind.PICKUP.value}", f"{leg}/{StopKind.DROPOFF.value}"]


def _evaluated(
    day_problem: DayProblem,
    vehicle_id: UUID,
    keys: list[str],
    stops: dict[str, int],
    vehicles: dict[UUID, int],
) -> PlannedRoute:
    vehicle = vehicles[vehicle_id]
    evaluation = evaluate_route(day_problem.problem, vehicle, [stops[k] for k in keys])
    if evaluation.violations:
        raise broken_order(evaluation.broken)
    route = evaluation.route
    planned = tuple(replace(day_problem.stops[v.stop], eta_s=v.arrival_s) for v in route.visits)
    fleet = day_problem.vehicles[vehicle]
    return PlannedRoute(
        vehicle_id, fleet.depot_id, planned, route.start_s, route.end_s, route.distance_m, route.duration_s
    )
