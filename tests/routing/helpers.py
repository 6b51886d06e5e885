"""Small hand-checkable instances: locations on a line or a grid, travel time = distance in metres."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from routing import Plan, Problem, ProblemBuilder, SolveParams, solve

from .validator import assert_valid

# A deterministic, quick search: a handful of improving solutions, never more than 2 seconds.
FAST = SolveParams(time_limit_s=2.0, solution_limit=50, first_solution="ortools")


def euclidean(points: Sequence[tuple[float, float]]) -> np.ndarray:
    """Rounded Euclidean matrix between points (metres, and seconds at 1 m/s)."""
    xy = np.asarray(points, dtype=float)
    return np.rint(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))).astype(np.int64)


def builder_on(
    points: Sequence[tuple[float, float]], dimensions: Sequence[str] = ("load",)
) -> ProblemBuilder:
    """A builder whose matrices are the Euclidean distances between `points` (index = location)."""
    matrix = euclidean(points)
    builder = ProblemBuilder(dimensions)
    builder.set_matrices(matrix, matrix)
    builder.set_coordinates(np.asarray(points, dtype=float))
    return builder


def solve_checked(problem: Problem, params: SolveParams = FAST) -> Plan:
    """Solve and re-check the plan with the independent validator."""
    plan = solve(problem, params)
    assert_valid(problem, plan)
    return plan
