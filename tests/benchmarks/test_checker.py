"""The independent checker recomputes known costs and rejects routes that break a constraint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.checker import evaluate, route_cost
from benchmarks.instances import Instance, load_set, parse_solomon


def _tiny_darp(ride: float, pickup_window: tuple[float, float], drop_window: tuple[float, float]) -> Instance:
    """Two requests on a line: A from x=1 to x=2, B from x=50 to x=51; depot at 0, capacity 3."""
    return Instance(
        name="tiny",
        kind="darp",
        convention="euclid",
        coords=((0, 0), (1, 0), (50, 0), (2, 0), (51, 0)),
        demands=(0, 1, 1, -1, -1),
        ready=(0, pickup_window[0], 0, drop_window[0], 0),
        due=(1440, pickup_window[1], 1440, drop_window[1], 1440),
        service=(0, 0, 0, 0, 0),
        num_vehicles=2,
        capacity=3,
        pairs=((1, 3), (2, 4)),
        max_ride_time=ride,
        max_route_duration=480,
    )


def test_the_cvrplib_best_known_routes_cost_exactly_their_published_value(shared_data: Path) -> None:
    """X-n101-k25's .sol routes are feasible and cost 27591 in nearest-integer EUC_2D."""
    (instance,) = load_set("cvrp", ["X-n101-k25"], root=shared_data)
    text = (shared_data / "cvrplib_x" / "X-n101-k25.sol").read_text(encoding="utf-8")
    routes = [
        [int(n) for n in line.split(":")[1].split()] for line in text.splitlines() if line.startswith("Route")
    ]
    result = evaluate(instance, routes)
    assert result.feasible, result.violations
    assert result.cost == instance.bks == int(re.search(r"Cost (\d+)", text).group(1))  # type: ignore[union-attr]


def test_a_late_customer_makes_a_solomon_route_infeasible(shared_data: Path) -> None:
    """C101: serving 1 (opens 912) before 5 (closes 67) is late at 5; everyone else alone is fine."""
    c101 = parse_solomon(shared_data / "solomon" / "C101.txt")
    routes = [[1, 5]] + [[n] for n in range(2, 101) if n != 5]
    result = evaluate(c101, routes)
    assert not result.feasible
    assert any("node 5 reached" in v for v in result.violations)
    assert any("routes for 25 vehicles" in v for v in result.violations)


def test_one_route_for_all_customers_exceeds_the_capacity(shared_data: Path) -> None:
    """C101's total demand (1810) cannot ride on one vehicle of 200."""
    c101 = parse_solomon(shared_data / "solomon" / "C101.txt")
    result = evaluate(c101, [list(range(1, 101))])
    assert any("exceeds capacity 200" in v for v in result.violations)


def test_missing_and_repeated_customers_are_reported(shared_data: Path) -> None:
    """A customer served twice and another never served are both named."""
    c101 = parse_solomon(shared_data / "solomon" / "C101.txt")
    result = evaluate(c101, [[1], [1]])
    assert "node 1 served 2 times" in result.violations
    assert "99 customers not served" in result.violations


def test_cost_is_unrounded_euclidean_for_the_literature_sets(shared_data: Path) -> None:
    """Depot (40,50) → customer 1 (45,68) and back is 2·√349 in the Solomon convention."""
    c101 = parse_solomon(shared_data / "solomon" / "C101.txt")
    assert route_cost(c101, [[1]]) == pytest.approx(2 * 349**0.5)


def test_a_long_detour_with_a_passenger_aboard_is_a_ride_time_violation() -> None:
    """Carrying A to x=50 and back before dropping it takes ~98 > 30: windows hold, ride time does not."""
    result = evaluate(_tiny_darp(30, (0, 1440), (0, 1440)), [[1, 2, 4, 3]])
    assert not result.feasible and result.ride_time_violations == 1


def test_direct_trips_meet_the_ride_time() -> None:
    """Dropping each passenger right after picking them up is feasible."""
    result = evaluate(_tiny_darp(30, (0, 1440), (0, 1440)), [[1, 3, 2, 4]])
    assert result.feasible, result.violations


def test_a_ride_that_fits_only_with_a_later_pickup_is_feasible() -> None:
    """A's drop-off opens at 500: the earliest schedule would ride 499 min, but picking A up at ~490 fits."""
    result = evaluate(_tiny_darp(30, (0, 1000), (500, 600)), [[1, 3], [2, 4]])
    assert result.feasible, result.violations


def test_a_delivery_before_its_pickup_is_rejected() -> None:
    """Precedence: dropping off B before collecting B is named as such."""
    result = evaluate(_tiny_darp(300, (0, 1440), (0, 1440)), [[1, 3, 4, 2]])
    assert "route 0: delivery 4 before its pickup 2" in result.violations
