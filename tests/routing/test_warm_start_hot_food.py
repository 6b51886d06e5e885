"""PyVRP starts hot-meal rounds too: the hot-food limit is its shift duration; OR-Tools keeps the rule."""

import random

from routing import Problem, SolveParams, solve
from routing.warm_start import applicable

from .helpers import builder_on
from .validator import assert_valid


def hot_round(stops: int = 30, hot_limit_s: int = 1800) -> Problem:
    rng = random.Random(3)
    points = [(0.0, 0.0)] + [(rng.uniform(-400, 400), rng.uniform(-400, 400)) for _ in range(stops)]
    b = builder_on(points, dimensions=("containers",))
    b.add_depot(0)
    b.add_vehicle_type(6, [20], shift=(11 * 3600, 14 * 3600))
    for location in range(1, stops + 1):
        b.add_stop(
            location,
            [rng.randint(1, 3)],
            service_s=60,
            time_windows=[(11 * 3600, 13 * 3600)],
            max_since_departure_s=hot_limit_s,
        )
    return b.build()


def test_a_hot_meal_round_is_warm_started_by_pyvrp() -> None:
    """The hot-food limit no longer keeps PyVRP out: forcing its start is accepted."""
    problem = hot_round()
    assert applicable(problem, SolveParams(first_solution="pyvrp"))


def test_warm_started_hot_meals_keep_the_limit_and_serve_everyone() -> None:
    """Every meal is served within 30 minutes of its van leaving, checked by the independent validator."""
    problem = hot_round()
    plan = solve(problem, SolveParams(time_limit_s=2, first_solution="pyvrp", warm_start_iterations=200))
    assert not plan.unassigned
    assert_valid(problem, plan)
    for route in plan.routes:
        assert all(v.start_s - route.start_s <= 1800 for v in route.visits)
