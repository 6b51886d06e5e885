"""Re-planning keeps done visits exactly as they were and re-plans the rest under every constraint."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from routing import Problem, Reason
from routing.replan import DayEvents, replan

from .helpers import FAST, builder_on, euclidean, solve_checked
from .validator import assert_valid

EAST = [(0, 0), (1000, 0), (2000, 0), (3000, 0)]
NORTH = [(0, 1000), (0, 2000), (0, 3000)]


def _two_van_day(hot: int | None = None, vans: int = 2) -> Problem:
    builder = builder_on(EAST + NORTH)
    builder.add_depot(0)
    builder.add_vehicle_type(vans, [3], shift=(0, 30_000))
    for loc in range(1, 7):
        builder.add_stop(loc, [1], service_s=60, max_since_departure_s=hot)
    return builder.build()


def _first_two_done(plan_routes: list[list[int]]) -> frozenset[int]:
    return frozenset(stop for route in plan_routes for stop in route[:1])


def test_done_visits_are_kept_exactly() -> None:
    """After the first stop of each route is done, those visits keep their times and come first."""
    problem = _two_van_day()
    plan = solve_checked(problem)
    done = _first_two_done([r.stops for r in plan.routes])
    first_visit = {r.vehicle: r.visits[0] for r in plan.routes}
    result = replan(
        problem, plan, DayEvents(now_s=first_visit[plan.routes[0].vehicle].departure_s, done=done), FAST
    )
    assert_valid(problem, result.plan)
    for route in result.plan.routes:
        kept, before = route.visits[0], first_visit[route.vehicle]
        assert (kept.stop, kept.arrival_s, kept.start_s, kept.departure_s) == (
            before.stop,
            before.arrival_s,
            before.start_s,
            before.departure_s,
        )
    assert not result.moves


def test_breakdown_moves_undelivered_stops_to_the_other_van() -> None:
    """When a van breaks down after its first stop, its other stops move to a working van."""
    problem = _two_van_day(vans=3)
    plan = solve_checked(problem)
    broken = plan.routes[0]
    done = frozenset({broken.visits[0].stop})
    events = DayEvents(now_s=broken.visits[0].departure_s, done=done, broken=frozenset({broken.vehicle}))
    result = replan(problem, plan, events, FAST)
    assert_valid(problem, result.plan)
    kept = next(r for r in result.plan.routes if r.vehicle == broken.vehicle)
    assert kept.stops == [broken.visits[0].stop] and kept.broken_down_at_s == events.now_s
    moved = {m.stop for m in result.moves}
    assert moved == set(broken.stops[1:])
    assert all(m.before == broken.vehicle and m.after not in (None, broken.vehicle) for m in result.moves)


def test_new_urgent_request_is_served_and_cancelled_stop_reported() -> None:
    """A stop added to the day is planned; a cancelled one is reported as cancelled, not silently dropped."""
    problem = _two_van_day()
    plan = solve_checked(problem)
    urgent = replace(problem.stops[0], name="urgent")
    grown = replace(problem, stops=(*problem.stops, urgent))
    cancelled = plan.routes[0].stops[-1]
    result = replan(grown, plan, DayEvents(now_s=100, cancelled=frozenset({cancelled})), FAST)
    assert_valid(grown, result.plan)
    assert result.plan.route_of(len(problem.stops)) is not None
    assert [(u.stop, u.reason) for u in result.plan.unassigned] == [(cancelled, Reason.CANCELLED)]


def test_hot_food_clock_keeps_running_after_replanning() -> None:
    """Delayed 1,200 s after its first stop, the van would bring the second meal too late: it moves vans."""

    def moved(hot: int | None) -> bool:
        builder = builder_on([(0, 0), (1000, 0), (2000, 0), (2500, 0)])
        kitchen, garage = builder.add_depot(0), builder.add_depot(3)
        builder.add_vehicle_type(2, [2], start_depot=kitchen, end_depot=garage, shift=(0, 20_000))
        for loc in (1, 2):
            builder.add_stop(loc, [1], service_s=60, max_since_departure_s=hot)
        problem = builder.build()
        plan = solve_checked(problem)
        route = plan.routes[0]
        assert route.stops == [0, 1]  # one van serves both on the way out
        events = DayEvents(now_s=route.visits[0].departure_s + 1200, done=frozenset({0}))
        result = replan(problem, plan, events, FAST)
        assert_valid(problem, result.plan)
        assert not result.plan.unassigned
        return bool(result.moves)

    assert not moved(hot=None)
    assert moved(hot=2500)


def _shuttle(max_ride: int) -> Problem:
    points = [(0, 0), (1000, 0), (2000, 0), (1000, 500), (2000, 500)]
    builder = builder_on(points)
    builder.add_depot(0)
    builder.add_vehicle_type(2, [2], shift=(0, 20_000))
    builder.add_pair(builder.add_stop(1, [1]), builder.add_stop(2, [1]), max_ride_s=max_ride)
    builder.add_pair(builder.add_stop(3, [1]), builder.add_stop(4, [1]), max_ride_s=max_ride)
    return builder.build()


def test_passenger_on_board_stays_on_the_vehicle_within_the_ride_time() -> None:
    """After a pickup, re-planning keeps the drop-off on the same vehicle and the ride under its limit."""
    problem = _shuttle(max_ride=1600)
    plan = solve_checked(problem)
    route = next(r for r in plan.routes if 0 in r.stops)
    pickup = route.visits[route.stops.index(0)]
    events = DayEvents(
        now_s=pickup.departure_s + 200, done=frozenset(route.stops[: route.stops.index(0) + 1])
    )
    result = replan(problem, plan, events, FAST)
    assert_valid(problem, result.plan)
    assert result.plan.route_of(1) is not None
    assert result.plan.route_of(1).vehicle == route.vehicle  # type: ignore[union-attr]


def test_done_stop_after_an_undone_one_is_refused() -> None:
    """Marking the second stop of a route done but not the first is a ValueError, not a silent fix."""
    problem = _two_van_day()
    plan = solve_checked(problem)
    route = next(r for r in plan.routes if len(r.stops) > 1)
    try:
        replan(problem, plan, DayEvents(now_s=0, done=frozenset({route.stops[1]})), FAST)
    except ValueError as error:
        assert "first stops" in str(error)
    else:
        raise AssertionError("expected a ValueError")


def test_helpers_matrix_is_symmetric() -> None:
    """The test matrices are symmetric Euclidean distances (the hand checks above rely on it)."""
    matrix = euclidean(EAST + NORTH)
    assert np.array_equal(matrix, matrix.T)
