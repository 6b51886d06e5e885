"""Hot-meal rounds (breakfast or dinner): from kitchens and solidarity points to households' doors.

Every household gets its containers inside its delivery window, and at most `hot_limit_s` (default one
hour) after its van left the kitchen: food must arrive hot. Several kitchens make a multi-depot problem;
each van returns to the kitchen it left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy.typing as npt

from routing.builder import ProblemBuilder
from routing.model import Problem, TimeWindow
from routing.params import SolveParams
from routing.plan import Plan
from routing.solve import solve

HOT_LIMIT_S = 3600


@dataclass(frozen=True)
class Kitchen:
    """A central kitchen or solidarity point with its vans for this round."""

    location: int
    vans: int
    containers_per_van: int
    shift: TimeWindow
    name: str = ""

    def __post_init__(self) -> None:
        if self.vans < 0 or self.containers_per_van < 1:
            raise ValueError(f"kitchen {self.name!r}: vans must be >= 0 and containers per van >= 1")


@dataclass(frozen=True)
class MealDelivery:
    """A household's meal for this round: containers, the window they asked for, time at the door."""

    location: int
    containers: int
    window: TimeWindow
    service_s: int = 120
    priority: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if self.containers < 1:
            raise ValueError(f"meal delivery {self.name!r}: at least one container, got {self.containers}")


def meal_round_problem(
    duration_s: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    kitchens: Sequence[Kitchen],
    deliveries: Sequence[MealDelivery],
    *,
    hot_limit_s: int = HOT_LIMIT_S,
) -> Problem:
    """The routing problem of one round; stop i is `deliveries[i]`, vehicle types follow `kitchens`."""
    builder = ProblemBuilder(("containers",))
    builder.set_matrices(duration_s, distance_m)
    for kitchen in kitchens:
        depot = builder.add_depot(kitchen.location, name=kitchen.name)
        if kitchen.vans:
            builder.add_vehicle_type(
                kitchen.vans,
                [kitchen.containers_per_van],
                start_depot=depot,
                shift=(kitchen.shift.start_s, kitchen.shift.end_s),
                name=f"van@{kitchen.name}",
            )
    for meal in deliveries:
        builder.add_stop(
            meal.location,
            [meal.containers],
            service_s=meal.service_s,
            time_windows=[(meal.window.start_s, meal.window.end_s)],
            priority=meal.priority,
            max_since_departure_s=hot_limit_s,
            name=meal.name,
        )
    return builder.build()


def plan_meal_round(
    duration_s: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    kitchens: Sequence[Kitchen],
    deliveries: Sequence[MealDelivery],
    params: SolveParams | None = None,
    *,
    hot_limit_s: int = HOT_LIMIT_S,
) -> tuple[Problem, Plan]:
    """Build and solve one round; returns the problem too so callers can re-plan it during the day."""
    problem = meal_round_problem(duration_s, distance_m, kitchens, deliveries, hot_limit_s=hot_limit_s)
    return problem, solve(problem, params)
