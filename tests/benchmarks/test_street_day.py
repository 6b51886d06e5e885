"""The street-day generator draws the same households for a seed and respects the hot-food hour."""

from __future__ import annotations

import pytest

from benchmarks.street_day import HOT, MILK, central_first, households, parse_name


def test_names_give_the_recipe_and_the_number_of_stops() -> None:
    """`hot1000` is the hot-meal recipe with 1,000 stops; `milk5000` the milk one with 5,000."""
    assert parse_name("hot1000") == (HOT, 1000)
    assert parse_name("milk5000") == (MILK, 5000)


@pytest.mark.parametrize("name", ["soup10", "hot", "hot0", "milk-5"])
def test_unknown_street_names_are_refused(name: str) -> None:
    """Anything but hot<N>/milk<N> with N ≥ 1 is a ValueError that shows the accepted form."""
    with pytest.raises(ValueError, match="hot<N> or milk<N>"):
        parse_name(name)


def test_the_same_seed_draws_the_same_households() -> None:
    """Amounts, windows and service times depend on the seed alone."""
    assert households(MILK, 300, seed=7) == households(MILK, 300, seed=7)
    assert households(MILK, 300, seed=7) != households(MILK, 300, seed=8)


def test_every_hot_meal_window_lies_within_the_hour_after_departure() -> None:
    """Vans leave at the depot's opening; no household window may end more than 60 minutes later."""
    _, windows, service = households(HOT, 500, seed=3)
    departure = HOT.depot_window[0]
    assert HOT.max_since_departure_s is not None
    assert all(departure <= a < b <= departure + HOT.max_since_departure_s for a, b in windows)
    assert min(service) == HOT.base_service_s


def test_the_depot_is_the_point_nearest_the_median() -> None:
    """The central point moves to the front and the others keep their order."""
    points = [(0.0, 0.0), (5.0, 5.0), (4.0, 6.0), (10.0, 10.0)]
    assert central_first(points) == [(5.0, 5.0), (0.0, 0.0), (4.0, 6.0), (10.0, 10.0)]
