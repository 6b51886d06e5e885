"""Each constraint on a hand-checkable instance, shown binding: without it the plan would differ."""

from __future__ import annotations

from routing import Problem

from .helpers import builder_on, solve_checked


def _two_stops(cap: int, windows: tuple[int, int] = (0, 10_000), hot: int | None = None) -> Problem:
    builder = builder_on([(0, 0), (600, 0), (0, 600)])
    builder.add_depot(0)
    builder.add_vehicle_type(2, [cap])
    for loc in (1, 2):
        builder.add_stop(loc, [1], time_windows=[windows], max_since_departure_s=hot)
    return builder.build()


def test_capacity_splits_stops_over_vehicles() -> None:
    """With room for one stop per vehicle, two routes are needed; with room for two, one route is cheaper."""
    assert solve_checked(_two_stops(cap=2)).num_vehicles_used == 1
    plan = solve_checked(_two_stops(cap=1))
    assert plan.num_vehicles_used == 2
    assert not plan.unassigned


def test_time_windows_split_stops_over_vehicles() -> None:
    """Both stops must be served between 600 and 700 s: one vehicle cannot do both (849 s apart)."""
    assert solve_checked(_two_stops(cap=2, windows=(0, 10_000))).num_vehicles_used == 1
    plan = solve_checked(_two_stops(cap=2, windows=(600, 700)))
    assert plan.num_vehicles_used == 2
    for route in plan.routes:
        assert all(600 <= v.start_s <= 700 for v in route.visits)


def test_hot_food_limit_splits_stops_over_vehicles() -> None:
    """Each stop is 600 s from the kitchen but 1,449 s via the other: a 1,000 s limit needs two vans."""
    assert solve_checked(_two_stops(cap=2)).num_vehicles_used == 1
    plan = solve_checked(_two_stops(cap=2, hot=1000))
    assert plan.num_vehicles_used == 2
    assert all(v.start_s - r.start_s <= 1000 for r in plan.routes for v in r.visits)


def test_hot_food_limit_counts_waiting_on_the_way() -> None:
    """Waiting for a late window counts towards the hot-food limit: one van cannot serve early and late."""

    def problem(hot: int | None) -> Problem:
        builder = builder_on([(0, 0), (600, 0), (900, 0)])
        builder.add_depot(0)
        builder.add_vehicle_type(2, [5])
        builder.add_stop(1, [1], time_windows=[(0, 700)], max_since_departure_s=hot)
        builder.add_stop(2, [1], time_windows=[(3000, 5000)], max_since_departure_s=hot)
        return builder.build()

    assert solve_checked(problem(None)).num_vehicles_used == 1
    assert solve_checked(problem(1000)).num_vehicles_used == 2


def test_service_waits_for_the_second_of_two_windows() -> None:
    """Arriving at 100 s between windows [0, 50] and [500, 600], service starts in the second window."""
    builder = builder_on([(0, 0), (100, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [1], shift=(0, 1000))
    builder.add_stop(1, [1], time_windows=[(0, 50), (500, 600)])
    visit = solve_checked(builder.build()).routes[0].visits[0]
    assert 500 <= visit.start_s <= 600


def test_skill_sends_wheelchair_trip_to_the_far_lift_vehicle() -> None:
    """A stop next to the minibus garage goes to the far lift van because it needs the lift."""

    def problem(skills: set[str]) -> Problem:
        builder = builder_on([(0, 0), (5000, 0), (100, 0)])
        near, far = builder.add_depot(0), builder.add_depot(1)
        builder.add_vehicle_type(1, [4], start_depot=near, name="minibus")
        builder.add_vehicle_type(1, [4], start_depot=far, skills={"lift"}, name="lift van")
        builder.add_stop(2, [1], required_skills=skills)
        return builder.build()

    assert solve_checked(problem(set())).routes[0].vehicle_type == 0
    assert solve_checked(problem({"lift"})).routes[0].vehicle_type == 1


def _pickup_dropoff(paired: bool) -> Problem:
    builder = builder_on([(0, 0), (1100, 0), (1000, 0), (100, 0)])
    start, end = builder.add_depot(0), builder.add_depot(1)
    builder.add_vehicle_type(1, [2], start_depot=start, end_depot=end)
    pickup = builder.add_stop(2, [1])
    dropoff = builder.add_stop(3, [1])
    if paired:  # unpaired, the same two places are plain deliveries, for comparison
        builder.add_pair(pickup, dropoff)
    return builder.build()


def test_pickup_precedes_dropoff_even_when_it_costs_more() -> None:
    """Going east the drop-off lies first; the pair forces pickup (1,000 m) then back to drop-off (100 m)."""
    assert solve_checked(_pickup_dropoff(paired=False)).routes[0].stops == [1, 0]
    plan = solve_checked(_pickup_dropoff(paired=True))
    assert plan.routes[0].stops == [0, 1]
    assert plan.distance_m == 1000 + 900 + 1000


def _two_trips(max_ride: int | None) -> Problem:
    builder = builder_on([(0, 0), (0, 1000), (100, 1000), (0, 2000), (100, 2000)])
    builder.add_depot(0)
    builder.add_vehicle_type(2, [2])
    for p, d in ((1, 3), (2, 4)):
        builder.add_pair(builder.add_stop(p, [1]), builder.add_stop(d, [1]), max_ride_s=max_ride)
    return builder.build()


def _shared(plan_stops: list[int]) -> bool:
    """True when some passenger's stop lies between another's pickup and drop-off."""
    first, second = (plan_stops.index(0), plan_stops.index(1)), (plan_stops.index(2), plan_stops.index(3))
    return not (first[1] < second[0] or second[1] < first[0])


def test_max_ride_time_forbids_sharing_the_ride() -> None:
    """Sharing the van makes each ride 1,105 s; with a 1,050 s limit no passenger's ride is shared."""
    free = solve_checked(_two_trips(None))
    assert free.num_vehicles_used == 1 and _shared(free.routes[0].stops)
    limited = solve_checked(_two_trips(1050))
    assert not limited.unassigned
    assert all(not _shared(r.stops) for r in limited.routes if len(r.stops) == 4)


def test_second_capacity_dimension_binds() -> None:
    """Two meal containers fit but only one wheelchair place: the wheelchair users ride in different vans."""

    def problem(places: int) -> Problem:
        builder = builder_on([(0, 0), (100, 0), (100, 10)], dimensions=("containers", "wheelchair"))
        builder.add_depot(0)
        builder.add_vehicle_type(2, [10, places])
        builder.add_stop(1, [1, 1])
        builder.add_stop(2, [1, 1])
        return builder.build()

    assert solve_checked(problem(2)).num_vehicles_used == 1
    assert solve_checked(problem(1)).num_vehicles_used == 2


def test_speed_factor_shortens_travel_times() -> None:
    """A vehicle twice as fast arrives at a stop 1,000 m away after 500 s instead of 1,000 s."""

    def arrival(speed: float) -> int:
        builder = builder_on([(0, 0), (1000, 0)])
        builder.add_depot(0)
        builder.add_vehicle_type(1, [1], speed_factor=speed)
        builder.add_stop(1, [1])
        route = solve_checked(builder.build()).routes[0]
        return route.visits[0].arrival_s - route.start_s

    assert arrival(1.0) == 1000
    assert arrival(2.0) == 500


def test_shift_end_limits_the_work_of_a_vehicle() -> None:
    """A 2,500 s shift cannot cover both stops (2,849 s round trip): the second vehicle is used."""

    def problem(shift_end: int) -> Problem:
        builder = builder_on([(0, 0), (600, 0), (0, 600)])
        builder.add_depot(0)
        builder.add_vehicle_type(2, [5], shift=(0, shift_end))
        for loc in (1, 2):
            builder.add_stop(loc, [1], service_s=400)
        return builder.build()

    assert solve_checked(problem(5000)).num_vehicles_used == 1
    assert solve_checked(problem(2500)).num_vehicles_used == 2
