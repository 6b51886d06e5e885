"""A mutable builder that collects depots, vehicles, stops and pairs, then makes an immutable `Problem`.

Each `add_*` returns the index of what it added so callers can wire pairs and vehicle depots without
bookkeeping of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from routing.model import Depot, Pair, Problem, Stop, TimeWindow, VehicleType

DAY_S = 24 * 3600


class ProblemBuilder:
    """Collects the parts of a `Problem`; `build()` validates them all at once."""

    def __init__(self, dimensions: Sequence[str] = ("load",)) -> None:
        self.dimensions = tuple(dimensions)
        self._depots: list[Depot] = []
        self._vehicle_types: list[VehicleType] = []
        self._stops: list[Stop] = []
        self._pairs: list[Pair] = []
        self._duration: npt.ArrayLike | None = None
        self._distance: npt.ArrayLike | None = None
        self._xy: npt.ArrayLike | None = None

    def set_coordinates(self, xy: npt.ArrayLike) -> ProblemBuilder:
        """Optional planar (x, y) per location, used by geometric heuristics only."""
        self._xy = xy
        return self

    def set_matrices(self, duration_s: npt.ArrayLike, distance_m: npt.ArrayLike) -> ProblemBuilder:
        """Travel time (s) and distance (m) between every pair of locations."""
        self._duration, self._distance = duration_s, distance_m
        return self

    def add_depot(self, location: int, name: str = "") -> int:
        """Add a depot at a matrix location; returns its depot index."""
        self._depots.append(Depot(location=location, name=name))
        return len(self._depots) - 1

    def add_vehicle_type(
        self,
        count: int,
        capacity: Sequence[int],
        *,
        start_depot: int = 0,
        end_depot: int | None = None,
        shift: tuple[int, int] = (0, DAY_S),
        max_duration_s: int | None = None,
        skills: Iterable[str] = (),
        speed_factor: float = 1.0,
        unit_distance_cost: int = 1,
        unit_duration_cost: int = 0,
        fixed_cost: int = 0,
        elapsed_at_start_s: int = 0,
        name: str = "",
    ) -> int:
        """Add `count` identical vehicles; returns the vehicle-type index."""
        vt = VehicleType(
            count=count,
            capacity=tuple(capacity),
            start_depot=start_depot,
            end_depot=start_depot if end_depot is None else end_depot,
            shift=TimeWindow(*shift),
            max_duration_s=max_duration_s,
            skills=frozenset(skills),
            speed_factor=speed_factor,
            unit_distance_cost=unit_distance_cost,
            unit_duration_cost=unit_duration_cost,
            fixed_cost=fixed_cost,
            elapsed_at_start_s=elapsed_at_start_s,
            name=name,
        )
        self._vehicle_types.append(vt)
        return len(self._vehicle_types) - 1

    def add_stop(
        self,
        location: int,
        demand: Sequence[int],
        *,
        service_s: int = 0,
        time_windows: Sequence[tuple[int, int]] = ((0, DAY_S),),
        required_skills: Iterable[str] = (),
        priority: int = 0,
        penalty: int | None = None,
        max_since_departure_s: int | None = None,
        name: str = "",
    ) -> int:
        """Add a stop; returns its stop index (the index used in `Plan` and `Pair`)."""
        stop = Stop(
            location=location,
            demand=tuple(demand),
            service_s=service_s,
            time_windows=tuple(TimeWindow(a, b) for a, b in time_windows),
            required_skills=frozenset(required_skills),
            priority=priority,
            penalty=penalty,
            max_since_departure_s=max_since_departure_s,
            name=name or f"stop{len(self._stops)}",
        )
        self._stops.append(stop)
        return len(self._stops) - 1

    def add_pair(self, pickup: int, delivery: int, *, max_ride_s: int | None = None, name: str = "") -> int:
        """Tie two stops as pickup and drop-off of one trip; returns the pair index."""
        self._pairs.append(Pair(pickup=pickup, delivery=delivery, max_ride_s=max_ride_s, name=name))
        return len(self._pairs) - 1

    def build(self) -> Problem:
        """Validate everything and return the immutable problem."""
        if self._duration is None or self._distance is None:
            raise ValueError("set_matrices() must be called before build()")
        return Problem(
            dimensions=self.dimensions,
            duration_s=self._duration,  # type: ignore[arg-type]
            distance_m=self._distance,  # type: ignore[arg-type]
            depots=tuple(self._depots),
            vehicle_types=tuple(self._vehicle_types),
            stops=tuple(self._stops),
            pairs=tuple(self._pairs),
            xy=None if self._xy is None else np.asarray(self._xy, dtype=np.float64),
        )
