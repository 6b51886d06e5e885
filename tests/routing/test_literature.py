"""Two literature instances from ../shared/data, solved briefly and re-checked by the validator."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np

from routing import Problem, ProblemBuilder, SolveParams

from .helpers import solve_checked

SCALE = 100  # file units x 100, rounded: the convention of benchmarks/ and the best-known values


def _matrix(xy: np.ndarray) -> np.ndarray:
    return np.rint(np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) * SCALE)


def _solomon(path: Path) -> tuple[Problem, np.ndarray]:
    lines = path.read_text().splitlines()
    vehicles, capacity = (int(x) for x in lines[4].split())
    rows = [[float(x) for x in line.split()] for line in lines[9:] if line.strip()]
    xy = np.array([row[1:3] for row in rows])
    builder = ProblemBuilder(("load",)).set_matrices(_matrix(xy), _matrix(xy)).set_coordinates(xy)
    builder.add_depot(0)
    builder.add_vehicle_type(vehicles, [capacity], shift=(0, int(rows[0][5] * SCALE)))
    for row in rows[1:]:
        window = [(int(row[4] * SCALE), int(row[5] * SCALE))]
        builder.add_stop(int(row[0]), [int(row[3])], service_s=int(row[6] * SCALE), time_windows=window)
    return builder.build(), xy


def _cordeau(path: Path) -> Problem:
    header, *lines = path.read_text().splitlines()
    vehicles, _, duration, capacity, ride = (int(x) for x in header.split())
    rows = [[float(x) for x in line.split()] for line in lines if line.strip()]
    n = (len([r for r in rows if r[0] > 0 and r[4] != 0])) // 2
    xy = np.array([row[1:3] for row in rows])
    builder = ProblemBuilder(("seats",)).set_matrices(_matrix(xy), _matrix(xy))
    builder.add_depot(0)
    builder.add_vehicle_type(
        vehicles, [capacity], shift=(0, int(rows[0][6] * SCALE)), max_duration_s=duration * SCALE
    )
    for row in rows[1 : 2 * n + 1]:
        window = [(int(row[5] * SCALE), int(row[6] * SCALE))]
        builder.add_stop(int(row[0]), [abs(int(row[4]))], service_s=int(row[3] * SCALE), time_windows=window)
    for k in range(n):
        builder.add_pair(k, n + k, max_ride_s=ride * SCALE)
    return builder.build()


def _length(problem: Problem, xy: np.ndarray, routes: list[list[int]]) -> float:
    total = 0.0
    for stops in routes:
        path = [0] + [problem.stops[s].location for s in stops] + [0]
        total += sum(math.dist(xy[a], xy[b]) for a, b in itertools.pairwise(path))
    return total


def test_solomon_c101_is_solved_to_its_best_known_distance(shared_data: Path) -> None:
    """C101 in two seconds (PyVRP start, OR-Tools check): all 100 customers, within 1 % of 828.94."""
    problem, xy = _solomon(shared_data / "solomon" / "C101.txt")
    plan = solve_checked(problem, SolveParams(time_limit_s=2.0, first_solution="pyvrp"))
    assert not plan.unassigned
    assert _length(problem, xy, [r.stops for r in plan.routes]) <= 828.94 * 1.01


def test_cordeau_a2_16_serves_every_trip_within_its_ride_time(shared_data: Path) -> None:
    """Cordeau's a2-16 dial-a-ride instance: all 16 trips served, ride and route limits re-checked."""
    problem = _cordeau(shared_data / "darp_cordeau" / "a2-16.txt")
    assert len(problem.pairs) == 16
    plan = solve_checked(problem, SolveParams(time_limit_s=2.0))
    assert not plan.unassigned
