"""A stop order chosen by a person is scheduled as given, and every rule it breaks is named."""

import numpy as np

from routing import Problem, ProblemBuilder
from routing.evaluate import evaluate_route

# Four places on a line, 600 s apart: depot 0, then 1, 2, 3.
DURATION = np.array([[abs(i - j) * 600 for j in range(4)] for i in range(4)])
DISTANCE = DURATION * 10


def problem(capacity: int = 10, hot_limit: int | None = None) -> Problem:
    """Vehicle 0: a van without a lift; vehicle 1: a minibus with one."""
    b = ProblemBuilder(("containers",))
    b.set_matrices(DURATION, DISTANCE)
    b.add_depot(0)
    b.add_vehicle_type(1, [capacity], shift=(7 * 3600, 12 * 3600))
    b.add_vehicle_type(1, [capacity], shift=(7 * 3600, 12 * 3600), skills={"lift"})
    b.add_stop(
        1, [2], service_s=60, time_windows=[(8 * 3600, 9 * 3600)], max_since_departure_s=hot_limit, name="a"
    )
    b.add_stop(
        2, [2], service_s=60, time_windows=[(8 * 3600, 9 * 3600)], max_since_departure_s=hot_limit, name="b"
    )
    b.add_stop(
        3, [2], service_s=60, time_windows=[(8 * 3600, 8 * 3600 + 900)], required_skills={"lift"}, name="c"
    )
    return b.build()


def test_a_feasible_order_is_timed_from_a_just_in_time_departure() -> None:
    """Leaving at 07:50 reaches a at 08:00 and b at 08:11; nothing is violated."""
    evaluation = evaluate_route(problem(), 0, [0, 1])
    assert evaluation.violations == ()
    assert evaluation.route.start_s == 8 * 3600 - 600
    assert [v.arrival_s for v in evaluation.route.visits] == [8 * 3600, 8 * 3600 + 660]


def test_capacity_windows_skills_and_hot_food_are_each_named() -> None:
    """Too small a van, a window missed, a missing lift and food out too long all appear in the list."""
    late = evaluate_route(problem(capacity=3, hot_limit=600), 0, [1, 0, 2])
    text = " | ".join(late.violations)
    assert "capacity" in text or "more than the vehicle can carry" in text
    assert "stop c" in text and "lift" in text
    assert "time window" in text
    assert "min after leaving" in text


def test_the_same_order_without_the_broken_rule_passes() -> None:
    """With a big van, a lift and no hot-food limit, the order a, b, c is feasible except c's window."""
    evaluation = evaluate_route(problem(capacity=10), 1, [0, 1, 2])
    assert evaluation.violations == ("stop c: arrives after its time window closes",)
