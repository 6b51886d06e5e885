"""Random small days with every feature switched on: each plan passes the validator, no stop goes missing."""

from __future__ import annotations

import numpy as np
import pytest

from routing import Problem, SolveParams

from .helpers import builder_on, solve_checked

QUICK = SolveParams(time_limit_s=1.0, solution_limit=20, first_solution="ortools")


def _delivery_day(seed: int) -> Problem:
    """Two depots, two van kinds (one faster, one with a lift), split windows, hot food, tight capacity."""
    rng = np.random.default_rng(seed)
    points = [tuple(p) for p in rng.uniform(0, 3000, size=(22, 2))]
    builder = builder_on(points, dimensions=("containers", "wheelchair"))  # type: ignore[arg-type]
    a, b = builder.add_depot(0), builder.add_depot(1)
    builder.add_vehicle_type(2, [6, 0], start_depot=a, shift=(0, 6000), speed_factor=1.5)
    builder.add_vehicle_type(1, [4, 1], start_depot=b, end_depot=a, shift=(0, 8000), skills={"lift"})
    for loc in range(2, 22):
        opens = int(rng.integers(0, 4000))
        windows = [(opens, opens + 600)] + ([(opens + 1500, opens + 2500)] if rng.random() < 0.3 else [])
        lift = rng.random() < 0.15
        builder.add_stop(
            loc,
            [int(rng.integers(1, 3)), 1 if lift else 0],
            service_s=int(rng.integers(30, 180)),
            time_windows=windows,
            required_skills={"lift"} if lift else (),
            max_since_departure_s=2400 if rng.random() < 0.5 else None,
            priority=int(rng.integers(0, 3)),
        )
    return builder.build()


def _ride_day(seed: int) -> Problem:
    """Eight trips with appointment windows at the drop-off and ride limits, three small buses."""
    rng = np.random.default_rng(seed)
    points = [tuple(p) for p in rng.uniform(0, 3000, size=(17, 2))]
    builder = builder_on(points)  # type: ignore[arg-type]
    builder.add_depot(0)
    builder.add_vehicle_type(3, [3], shift=(0, 10_000), max_duration_s=7000)
    for k in range(8):
        due = int(rng.integers(2000, 9000))
        demand = [int(rng.integers(1, 3))]  # the same load leaves at the drop-off
        pickup = builder.add_stop(1 + 2 * k, demand, service_s=60, time_windows=[(0, due)])
        dropoff = builder.add_stop(2 + 2 * k, demand, service_s=60, time_windows=[(due - 900, due)])
        builder.add_pair(pickup, dropoff, max_ride_s=int(rng.integers(1500, 3000)))
    return builder.build()


@pytest.mark.parametrize("seed", range(4))
def test_random_delivery_day_is_valid_and_complete(seed: int) -> None:
    """Windows (also split), hot food, skills, speeds and two depots hold; every stop is accounted for."""
    solve_checked(_delivery_day(seed), QUICK)


@pytest.mark.parametrize("seed", range(4))
def test_random_ride_day_is_valid_and_complete(seed: int) -> None:
    """Precedence, same vehicle, ride limits and maximum route durations all hold; every stop is accounted."""
    solve_checked(_ride_day(seed), QUICK)
