"""A neutral instance becomes a `routing.Problem` with the same stops, pairs and limits in integer units."""

from __future__ import annotations

from pathlib import Path

from benchmarks.competitors import Matrices
from benchmarks.instances import load_set
from benchmarks.to_problem import to_problem


def test_dial_a_ride_limits_arrive_in_hundredths_of_a_minute(shared_data: Path) -> None:
    """a2-24: 48 stops in 24 pairs (stop = node − 1), ride limit 30 → 3000, route limit 720 → 72000."""
    (a,) = load_set("darp", ["a2-24"], root=shared_data)
    problem = to_problem(a, Matrices.of(a))
    assert (len(problem.stops), len(problem.pairs)) == (48, 24)
    assert (problem.pairs[0].pickup, problem.pairs[0].delivery, problem.pairs[0].max_ride_s) == (0, 24, 3000)
    assert problem.vehicle_types[0].max_duration_s == 72000
    assert problem.stops[0].demand == problem.stops[24].demand == (1,)


def test_solomon_windows_and_fleet_carry_over(shared_data: Path) -> None:
    """C101: 25 vehicles of 200, depot shift 0–123600, customer 1 open 91200–96700 with 9000 service."""
    (c101,) = load_set("solomon", ["C101"], root=shared_data)
    problem = to_problem(c101, Matrices.of(c101))
    vt = problem.vehicle_types[0]
    assert (vt.count, vt.capacity, vt.shift.start_s, vt.shift.end_s) == (25, (200,), 0, 123600)
    stop = problem.stops[0]
    assert (stop.location, stop.earliest_s, stop.latest_s, stop.service_s) == (1, 91200, 96700, 9000)
