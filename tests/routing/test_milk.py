"""Milk weekdays are balanced per depot and shared by neighbours; each day is routed part by part."""

from __future__ import annotations

import numpy as np

from routing import SolveParams, TimeWindow
from routing.decompose import bisect
from routing.matrices import EuclideanSource
from routing.milk import MilkDepot, MilkHousehold, MilkParams, assign_weekdays, nearest_depot, plan_milk_week

from .validator import assert_valid


def _city(n: int, seed: int = 11) -> tuple[EuclideanSource, list[MilkHousehold], list[MilkDepot]]:
    rng = np.random.default_rng(seed)
    homes = rng.uniform(0, 10_000, size=(n, 2))
    xy = np.vstack([[[2500, 5000], [7500, 5000]], homes])
    source = EuclideanSource(xy)
    shift = TimeWindow(7 * 3600, 15 * 3600)
    depots = [
        MilkDepot(0, vans=4, litres_per_van=400, shift=shift, name="west"),
        MilkDepot(1, 4, 400, shift, "east"),
    ]
    households = [MilkHousehold(2 + i, litres=int(rng.integers(2, 8)), name=f"h{i}") for i in range(n)]
    return source, households, depots


def test_bisection_makes_compact_groups_under_the_weight_bound() -> None:
    """Every group weighs at most the bound and groups do not overlap."""
    rng = np.random.default_rng(1)
    xy, weight = rng.uniform(0, 100, size=(500, 2)), rng.uniform(0.5, 1.5, size=500)
    groups = bisect(xy, weight, 20.0)
    assert sorted(i for g in groups for i in g) == list(range(500))
    assert all(weight[g].sum() <= 20.0 for g in groups)


def test_weekdays_balance_each_depots_work_and_keep_neighbours_together() -> None:
    """Each depot's litres per day are within 20 % of its mean, and most nearest neighbours share a day."""
    source, households, depots = _city(1000)
    params = MilkParams(days=5, cell_share=0.25)
    day_of = np.array(assign_weekdays(source, households, depots, params))
    depot_of = nearest_depot(source, households, depots)
    litres = np.array([h.litres for h in households])
    for d in range(len(depots)):
        per_day = np.array([litres[(depot_of == d) & (day_of == day)].sum() for day in range(5)])
        assert per_day.max() <= 1.2 * per_day.mean() and per_day.min() >= 0.8 * per_day.mean()
    xy = source.coordinates([h.location for h in households])
    gap = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(gap, np.inf)
    nearest = gap.argmin(axis=1)
    assert np.mean(day_of == day_of[nearest]) > 0.6  # a random assignment would give about 0.2


def test_week_is_routed_in_parts_that_each_pass_the_validator() -> None:
    """With parts of at most 40 stops, every household is served on its day and every part is valid."""
    source, households, depots = _city(300)
    search = SolveParams(time_limit_s=1.0, solution_limit=30, first_solution="ortools")
    week = plan_milk_week(source, households, depots, MilkParams(days=3, max_stops_per_part=40, solve=search))
    assert not week.unassigned()
    served = sorted(h for part in week.parts for h in part.households)
    assert served == list(range(len(households)))
    for part in week.parts:
        assert len(part.households) <= 40
        assert all(week.day_of[h] == part.day for h in part.households)
        assert_valid(part.problem, part.plan)
    for day in range(3):
        assert all(week.vans_used(day, d) <= depots[d].vans for d in range(len(depots)))
