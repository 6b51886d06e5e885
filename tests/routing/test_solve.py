"""An infeasible day yields a plan with every left-out stop and its reason; plans are reproducible."""

from __future__ import annotations

import numpy as np

from routing import UNREACHABLE, Problem, Reason, SolveParams

from .helpers import FAST, builder_on, solve_checked


def _reasons(problem: Problem) -> dict[int, Reason]:
    return {u.stop: u.reason for u in solve_checked(problem).unassigned}


def test_too_many_containers_for_the_fleet_leaves_one_out_for_capacity() -> None:
    """Three stops of 2 containers and one van of 4: exactly one stop is left out, for capacity."""
    builder = builder_on([(0, 0), (100, 0), (0, 100), (100, 100)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [4])
    for loc in (1, 2, 3):
        builder.add_stop(loc, [2])
    assert list(_reasons(builder.build()).values()) == [Reason.CAPACITY]


def test_stop_heavier_than_any_vehicle_is_reported_for_capacity() -> None:
    """A stop needing more than any vehicle carries is left out before the search, for capacity."""
    builder = builder_on([(0, 0), (100, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(2, [4])
    builder.add_stop(1, [5])
    assert _reasons(builder.build()) == {0: Reason.CAPACITY}


def test_stop_without_road_is_reported_unreachable() -> None:
    """A location no road reaches (matrix entry UNREACHABLE) is reported as unreachable."""
    matrix = np.array([[0, UNREACHABLE, 50], [UNREACHABLE, 0, UNREACHABLE], [50, UNREACHABLE, 0]])
    builder = builder_on([(0, 0), (0, 0), (0, 0)])
    builder.set_matrices(matrix, matrix)
    builder.add_depot(0)
    builder.add_vehicle_type(1, [4])
    builder.add_stop(1, [1])
    builder.add_stop(2, [1])
    assert _reasons(builder.build()) == {0: Reason.UNREACHABLE}


def test_window_closing_before_anyone_can_arrive_is_reported() -> None:
    """A window that closes 100 s after the shift starts, 500 m away, is reported as a time-window problem."""
    builder = builder_on([(0, 0), (500, 0), (200, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [4])
    builder.add_stop(1, [1], time_windows=[(0, 100)])
    builder.add_stop(2, [1])
    assert _reasons(builder.build()) == {0: Reason.TIME_WINDOW}


def test_hot_food_too_far_from_the_kitchen_is_reported() -> None:
    """A household 4,000 s from the kitchen cannot get food within an hour: reason hot_food."""
    builder = builder_on([(0, 0), (4000, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [4])
    builder.add_stop(1, [1], max_since_departure_s=3600)
    assert _reasons(builder.build()) == {0: Reason.HOT_FOOD}


def test_ride_longer_than_allowed_even_when_direct_is_reported_for_both_ends() -> None:
    """A trip whose direct ride exceeds its limit leaves out pickup and drop-off, for ride time."""
    builder = builder_on([(0, 0), (100, 0), (2000, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [4])
    builder.add_pair(builder.add_stop(1, [1]), builder.add_stop(2, [1]), max_ride_s=1000)
    assert _reasons(builder.build()) == {0: Reason.RIDE_TIME, 1: Reason.RIDE_TIME}


def test_lower_priority_is_left_out_first() -> None:
    """With room for one of two required stops, the higher-priority one is served whatever the distance."""
    builder = builder_on([(0, 0), (100, 0), (900, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [1])
    builder.add_stop(1, [1], priority=0)
    builder.add_stop(2, [1], priority=3)
    assert _reasons(builder.build()) == {0: Reason.CAPACITY}


def test_optional_stop_is_skipped_when_its_penalty_is_below_the_detour() -> None:
    """A stop whose penalty (500) is less than its 1,800 m round trip is left out; with 5,000 it is served."""

    def problem(penalty: int) -> Problem:
        builder = builder_on([(0, 0), (900, 0)])
        builder.add_depot(0)
        builder.add_vehicle_type(1, [1])
        builder.add_stop(1, [1], penalty=penalty)
        return builder.build()

    assert solve_checked(problem(500)).num_vehicles_used == 0
    assert solve_checked(problem(5000)).num_vehicles_used == 1


def _random_vrptw(seed: int, n: int = 40) -> Problem:
    rng = np.random.default_rng(seed)
    points = [(500.0, 500.0)] + [tuple(p) for p in rng.uniform(0, 1000, size=(n, 2))]
    builder = builder_on(points)  # type: ignore[arg-type]
    builder.add_depot(0)
    builder.add_vehicle_type(8, [10], shift=(0, 20_000))
    for loc in range(1, n + 1):
        opens = int(rng.integers(0, 10_000))
        builder.add_stop(loc, [int(rng.integers(1, 4))], service_s=60, time_windows=[(opens, opens + 3000)])
    return builder.build()


def test_same_input_seed_and_limits_give_the_same_plan() -> None:
    """Two runs with a solution limit produce identical plans."""
    problem = _random_vrptw(3)
    assert solve_checked(problem, FAST) == solve_checked(problem, FAST)


def test_pyvrp_warm_start_is_rechecked_and_never_worse_than_its_own_routes() -> None:
    """Routes proposed by PyVRP are read by OR-Tools and pass the validator; every stop is served."""
    problem = _random_vrptw(5)
    plan = solve_checked(problem, SolveParams(time_limit_s=1.0, first_solution="pyvrp", warm_start_share=0.5))
    assert not plan.unassigned
    ortools_only = solve_checked(problem, FAST)
    assert plan.distance_m <= ortools_only.distance_m * 1.05


def test_warm_started_plans_are_reproducible_with_iteration_and_solution_limits() -> None:
    """PyVRP stopped by iterations and OR-Tools by solutions give the same plan twice."""
    problem = _random_vrptw(7)
    params = SolveParams(
        time_limit_s=2.0,
        solution_limit=20,
        first_solution="pyvrp",
        warm_start_iterations=300,
        warm_start_share=0.5,
    )
    assert solve_checked(problem, params) == solve_checked(problem, params)
