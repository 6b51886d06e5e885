"""Bad input is refused at construction with a ValueError that names the item."""

from __future__ import annotations

import math

import numpy as np
import pytest

from routing import ProblemBuilder, SolveParams, Stop, TimeWindow

from .helpers import builder_on


def _base() -> ProblemBuilder:
    builder = builder_on([(0, 0), (100, 0), (200, 0)])
    builder.add_depot(0)
    builder.add_vehicle_type(1, [10])
    return builder


def test_negative_service_time_is_refused_naming_the_stop() -> None:
    """A negative service time is a ValueError that names the stop."""
    with pytest.raises(ValueError, match=r"'door'.*service time"):
        _base().add_stop(1, [1], service_s=-5, name="door")


def test_nan_demand_is_refused() -> None:
    """A NaN demand is reported as NaN, not silently cast."""
    with pytest.raises(ValueError, match="NaN"):
        Stop(location=1, demand=(math.nan,))  # type: ignore[arg-type]


def test_window_that_closes_before_it_opens_is_refused() -> None:
    """A time window whose end precedes its start is a ValueError."""
    with pytest.raises(ValueError, match="closes"):
        TimeWindow(100, 50)


def test_matrix_of_wrong_shape_is_refused() -> None:
    """A non-square matrix, or one that does not match the other, is a ValueError."""
    builder = _base()
    builder.add_stop(1, [1])
    builder.set_matrices(np.zeros((3, 2), dtype=int), np.zeros((3, 2), dtype=int))
    with pytest.raises(ValueError, match="square"):
        builder.build()
    builder.set_matrices(np.zeros((3, 3), dtype=int), np.zeros((4, 4), dtype=int))
    with pytest.raises(ValueError, match="shape"):
        builder.build()


def test_negative_or_nan_matrix_entries_are_refused() -> None:
    """Matrix entries must be finite non-negative integers; the bad cell is named."""
    builder = _base()
    bad = np.zeros((3, 3))
    bad[1, 2] = math.nan
    builder.set_matrices(bad, np.zeros((3, 3), dtype=int))
    with pytest.raises(ValueError, match=r"\[1\]\[2\]"):
        builder.build()
    builder.set_matrices(np.full((3, 3), -1), np.zeros((3, 3), dtype=int))
    with pytest.raises(ValueError, match="negative"):
        builder.build()


def test_stop_that_no_vehicle_can_ever_serve_is_refused() -> None:
    """A stop needing a skill no vehicle type has is refused at construction, naming the stop."""
    builder = _base()
    builder.add_stop(1, [1], required_skills={"wheelchair_lift"}, name="Ayşe")
    with pytest.raises(ValueError, match=r"'Ayşe'.*wheelchair_lift"):
        builder.build()


def test_pair_whose_dropoff_closes_before_pickup_opens_is_refused() -> None:
    """A trip whose drop-off window ends before the pickup window opens is a ValueError."""
    builder = _base()
    p = builder.add_stop(1, [1], time_windows=[(1000, 2000)])
    d = builder.add_stop(2, [1], time_windows=[(0, 500)])
    builder.add_pair(p, d, name="trip-7")
    with pytest.raises(ValueError, match=r"'trip-7'.*closes before"):
        builder.build()


def test_demand_dimension_count_must_match() -> None:
    """A stop with a demand per dimension that does not match the problem's dimensions is refused."""
    builder = _base()
    builder.add_stop(1, [1, 2], name="two")
    with pytest.raises(ValueError, match=r"'two'.*2 demands for 1"):
        builder.build()


def test_params_check_themselves() -> None:
    """Non-positive time limits and unknown strategies are refused."""
    with pytest.raises(ValueError):
        SolveParams(time_limit_s=0)
    with pytest.raises(ValueError):
        SolveParams(first_solution_strategy="RANDOM")
