"""The hot-meal and accessible-transport services produce valid plans that honour their own rules."""

from __future__ import annotations

from routing import TimeWindow
from routing.meals import Kitchen, MealDelivery, plan_meal_round
from routing.transport import LIFT, Minibus, TripRequest, plan_transport

from .helpers import FAST, euclidean
from .validator import assert_valid

HOUR = 3600


def test_each_household_is_served_hot_from_the_nearer_kitchen() -> None:
    """Two kitchens 20 km apart: every household is served from its own side, within an hour of departure."""
    points = [(0, 0), (20_000, 0)] + [(x, y) for x in (1500, 18_500) for y in (-2000, 0, 2000)]
    matrix = euclidean(points) // 8  # vans at 8 m/s
    kitchens = [
        Kitchen(0, vans=2, containers_per_van=10, shift=TimeWindow(7 * HOUR, 10 * HOUR), name="merkez"),
        Kitchen(1, vans=2, containers_per_van=10, shift=TimeWindow(7 * HOUR, 10 * HOUR), name="dayanisma"),
    ]
    meals = [
        MealDelivery(loc, containers=2, window=TimeWindow(8 * HOUR, 9 * HOUR), name=f"hane{loc}")
        for loc in range(2, len(points))
    ]
    problem, plan = plan_meal_round(matrix, euclidean(points), kitchens, meals, FAST)
    assert_valid(problem, plan)
    assert not plan.unassigned
    for route in plan.routes:
        kitchen_x = points[problem.depots[problem.vehicle_types[route.vehicle_type].start_depot].location][0]
        assert all(abs(points[problem.stops[s].location][0] - kitchen_x) < 5000 for s in route.stops)
        assert all(v.start_s - route.start_s <= HOUR for v in route.visits)


def _dial_a_ride() -> tuple[list[tuple[int, int]], list[Minibus], list[TripRequest]]:
    points = [(0, 0), (3000, 0), (3000, 3000), (6000, 1500), (500, 4000)]
    fleet = [
        Minibus(
            0, count=1, seats=8, wheelchair_places=0, shift=TimeWindow(7 * HOUR, 18 * HOUR), name="minibus"
        ),
        Minibus(
            0,
            count=1,
            seats=3,
            wheelchair_places=1,
            shift=TimeWindow(7 * HOUR, 18 * HOUR),
            lift=True,
            name="lift",
        ),
    ]
    trips = [
        TripRequest(
            1, 3, appointment_s=10 * HOUR, max_ride_s=900, wheelchair=True, return_at_s=12 * HOUR, name="Ali"
        ),
        TripRequest(
            2, 3, appointment_s=10 * HOUR, max_ride_s=900, companions=1, return_at_s=11 * HOUR, name="Ayşe"
        ),
        TripRequest(4, 3, appointment_s=10 * HOUR, max_ride_s=1200, name="Fatma"),
    ]
    return points, fleet, trips


def test_dial_a_ride_arrives_before_appointments_and_brings_people_home() -> None:
    """Outbound legs end in the 30 minutes before the appointment, returns start after it; ride times hold."""
    points, fleet, trips = _dial_a_ride()
    matrix = euclidean(points) // 8
    problem, legs, plan = plan_transport(matrix, euclidean(points), fleet, trips, FAST)
    assert_valid(problem, plan)
    assert not plan.unassigned
    starts = {v.stop: v.start_s for r in plan.routes for v in r.visits}
    for trip, leg in zip(trips, legs, strict=True):
        assert trip.appointment_s - 1800 <= starts[leg.outbound[1]] <= trip.appointment_s
        if trip.return_at_s is not None:
            assert leg.inbound is not None and starts[leg.inbound[0]] >= trip.return_at_s


def test_wheelchair_user_rides_only_in_the_lift_vehicle() -> None:
    """Both of Ali's legs are on the vehicle with a lift and a wheelchair place."""
    points, fleet, trips = _dial_a_ride()
    matrix = euclidean(points) // 8
    problem, legs, plan = plan_transport(matrix, euclidean(points), fleet, trips, FAST)
    assert_valid(problem, plan)
    for stop in (*legs[0].outbound, *(legs[0].inbound or ())):
        route = plan.route_of(stop)
        assert route is not None and LIFT in problem.vehicle_types[route.vehicle_type].skills
