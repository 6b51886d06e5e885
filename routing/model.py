"""The routing problem: immutable, validated value objects in integer units (seconds, metres).

A `Problem` is built with `routing.builder.ProblemBuilder` (or constructed directly) and is checked as a
whole when it is created, so the solver never meets a negative time, a NaN demand or a matrix of the wrong
shape: each mistake is a `ValueError` that names the offending item.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

# A matrix entry at or above this value means "no road between these two locations".
UNREACHABLE = 10**9
# Penalty used for a stop whose caller gave none: large enough that dropping it never pays off.
REQUIRED_PENALTY = 10**9

IntMatrix = npt.NDArray[np.int64]


def _check_int(value: object, what: str, *, minimum: int = 0) -> None:
    """Reject NaN, floats and values below `minimum` with a message that names the item."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{what} is NaN")
        raise ValueError(f"{what} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {value}")


@dataclass(frozen=True)
class TimeWindow:
    """A closed interval [start_s, end_s] in which service may start."""

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        _check_int(self.start_s, "time window start")
        _check_int(self.end_s, "time window end")
        if self.end_s < self.start_s:
            raise ValueError(f"time window closes ({self.end_s}) before it opens ({self.start_s})")


@dataclass(frozen=True)
class Depot:
    """A place where vehicles start or end their shift (central kitchen, solidarity point, garage)."""

    location: int
    name: str = ""

    def __post_init__(self) -> None:
        _check_int(self.location, f"depot {self.name!r} location")


@dataclass(frozen=True)
class VehicleType:
    """`count` identical vehicles. Capacity has one entry per problem dimension.

    Costs are integer units: `unit_distance_cost` per metre, `unit_duration_cost` per second of shift
    (so a cost per km is 1000 x unit_distance_cost). Travel times are divided by `speed_factor`.
    `elapsed_at_start_s` is how long the vehicle has already been out when it starts (re-planning a
    van that left the kitchen earlier): it counts towards its stops' hot-food limits.
    """

    count: int
    capacity: tuple[int, ...]
    start_depot: int = 0
    end_depot: int = 0
    shift: TimeWindow = TimeWindow(0, 24 * 3600)
    max_duration_s: int | None = None
    skills: frozenset[str] = frozenset()
    speed_factor: float = 1.0
    unit_distance_cost: int = 1
    unit_duration_cost: int = 0
    fixed_cost: int = 0
    elapsed_at_start_s: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        who = f"vehicle type {self.name!r}"
        _check_int(self.count, f"{who} count", minimum=1)
        for k, cap in enumerate(self.capacity):
            _check_int(cap, f"{who} capacity[{k}]")
        _check_int(self.start_depot, f"{who} start depot")
        _check_int(self.end_depot, f"{who} end depot")
        if self.max_duration_s is not None:
            _check_int(self.max_duration_s, f"{who} max duration")
        if not (isinstance(self.speed_factor, int | float) and self.speed_factor > 0):
            raise ValueError(f"{who} speed factor must be a positive number, got {self.speed_factor!r}")
        for name in ("unit_distance_cost", "unit_duration_cost", "fixed_cost", "elapsed_at_start_s"):
            _check_int(getattr(self, name), f"{who} {name}")


@dataclass(frozen=True)
class Stop:
    """A place to serve: a delivery from the depot, or one end of a `Pair`.

    `penalty` is the cost of leaving the stop out; None means required (a huge penalty scaled by
    `priority`, so when the day is infeasible the lowest-priority required stops are dropped first).
    `max_since_departure_s` bounds the time from the vehicle's depot departure to service start
    (hot food must arrive hot); it is a constraint, not a cost.
    """

    location: int
    demand: tuple[int, ...]
    service_s: int = 0
    time_windows: tuple[TimeWindow, ...] = (TimeWindow(0, 24 * 3600),)
    required_skills: frozenset[str] = frozenset()
    priority: int = 0
    penalty: int | None = None
    max_since_departure_s: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        who = f"stop {self.name!r}"
        _check_int(self.location, f"{who} location")
        for k, amount in enumerate(self.demand):
            _check_int(amount, f"{who} demand[{k}]")
        _check_int(self.service_s, f"{who} service time")
        _check_int(self.priority, f"{who} priority")
        if self.penalty is not None:
            _check_int(self.penalty, f"{who} penalty")
        if self.max_since_departure_s is not None:
            _check_int(self.max_since_departure_s, f"{who} max time since departure")
        if not self.time_windows:
            raise ValueError(f"{who} has no time window")
        for earlier, later in zip(self.time_windows, self.time_windows[1:], strict=False):
            if later.start_s <= earlier.end_s:
                raise ValueError(f"{who} time windows must be sorted and disjoint")

    @property
    def earliest_s(self) -> int:
        """Opening of the first window."""
        return self.time_windows[0].start_s

    @property
    def latest_s(self) -> int:
        """Closing of the last window."""
        return self.time_windows[-1].end_s

    @property
    def effective_penalty(self) -> int:
        """The cost the solver pays for leaving this stop out."""
        return self.penalty if self.penalty is not None else REQUIRED_PENALTY * (1 + self.priority)


@dataclass(frozen=True)
class Pair:
    """A pickup and its drop-off (indices into `Problem.stops`): same vehicle, pickup first.

    `max_ride_s` bounds the time from leaving the pickup to arriving at the drop-off.
    """

    pickup: int
    delivery: int
    max_ride_s: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        _check_int(self.pickup, f"pair {self.name!r} pickup")
        _check_int(self.delivery, f"pair {self.name!r} delivery")
        if self.pickup == self.delivery:
            raise ValueError(f"pair {self.name!r} uses the same stop for pickup and drop-off")
        if self.max_ride_s is not None:
            _check_int(self.max_ride_s, f"pair {self.name!r} max ride time")


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs for one day (or one part of a decomposed day).

    `xy` (optional, planar coordinates per location) only helps heuristics that look at geometry
    (warm start, decomposition by area); the matrices alone define travel.
    """

    dimensions: tuple[str, ...]
    duration_s: IntMatrix
    distance_m: IntMatrix
    depots: tuple[Depot, ...]
    vehicle_types: tuple[VehicleType, ...]
    stops: tuple[Stop, ...]
    pairs: tuple[Pair, ...] = ()
    xy: npt.NDArray[np.float64] | None = None
    _pair_of: dict[int, Pair] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "duration_s", _frozen_matrix(self.duration_s, "duration_s"))
        object.__setattr__(self, "distance_m", _frozen_matrix(self.distance_m, "distance_m"))
        if self.duration_s.shape != self.distance_m.shape:
            raise ValueError(
                f"duration_s has shape {self.duration_s.shape} but distance_m has {self.distance_m.shape}"
            )
        if self.xy is not None:
            xy = np.array(self.xy, dtype=np.float64)
            if xy.shape != (self.num_locations, 2) or not np.all(np.isfinite(xy)):
                raise ValueError(f"xy must be finite (x, y) for each of the {self.num_locations} locations")
            xy.setflags(write=False)
            object.__setattr__(self, "xy", xy)
        if not self.depots:
            raise ValueError("a problem needs at least one depot")
        if not self.vehicle_types:
            raise ValueError("a problem needs at least one vehicle type")
        for depot in self.depots:
            self._check_location(depot.location, f"depot {depot.name!r}")
        for vt in self.vehicle_types:
            self._check_vehicle_type(vt)
        for stop in self.stops:
            self._check_stop(stop)
        self._check_pairs()

    def _check_location(self, location: int, who: str) -> None:
        if location >= self.num_locations:
            raise ValueError(f"{who} location {location} is outside the {self.num_locations}-location matrix")

    def _check_vehicle_type(self, vt: VehicleType) -> None:
        who = f"vehicle type {vt.name!r}"
        if len(vt.capacity) != len(self.dimensions):
            raise ValueError(f"{who} has {len(vt.capacity)} capacities for {len(self.dimensions)} dimensions")
        for depot in (vt.start_depot, vt.end_depot):
            if depot >= len(self.depots):
                raise ValueError(f"{who} refers to depot {depot}, but there are {len(self.depots)}")

    def _check_stop(self, stop: Stop) -> None:
        who = f"stop {stop.name!r}"
        self._check_location(stop.location, who)
        if len(stop.demand) != len(self.dimensions):
            raise ValueError(f"{who} has {len(stop.demand)} demands for {len(self.dimensions)} dimensions")
        if not any(stop.required_skills <= vt.skills for vt in self.vehicle_types):
            raise ValueError(f"{who} needs skills {sorted(stop.required_skills)} that no vehicle type has")

    def _check_pairs(self) -> None:
        pair_of: dict[int, Pair] = {}
        for pair in self.pairs:
            for index in (pair.pickup, pair.delivery):
                if index >= len(self.stops):
                    raise ValueError(
                        f"pair {pair.name!r} refers to stop {index}, but there are {len(self.stops)}"
                    )
                if index in pair_of:
                    raise ValueError(f"pair {pair.name!r}: stop {index} already belongs to another pair")
                pair_of[index] = pair
            pickup, delivery = self.stops[pair.pickup], self.stops[pair.delivery]
            if delivery.latest_s < pickup.earliest_s:
                raise ValueError(f"pair {pair.name!r}: the drop-off window closes before the pickup opens")
            if pickup.demand != delivery.demand:
                raise ValueError(f"pair {pair.name!r}: pickup and drop-off must carry the same demand")
        if pair_of and len(pair_of) != len(self.stops):
            raise ValueError(
                "a problem mixes depot deliveries with pickup-and-delivery pairs; plan them apart"
            )
        object.__setattr__(self, "_pair_of", pair_of)

    @property
    def num_locations(self) -> int:
        """Number of rows (and columns) of the matrices."""
        return int(self.duration_s.shape[0])

    @property
    def num_vehicles(self) -> int:
        """Total vehicles over all types."""
        return sum(vt.count for vt in self.vehicle_types)

    def vehicle_type_of(self) -> list[int]:
        """For each vehicle (types expanded in order), the index of its type."""
        return [t for t, vt in enumerate(self.vehicle_types) for _ in range(vt.count)]

    def pair_of(self, stop: int) -> Pair | None:
        """The pair this stop belongs to, if any."""
        return self._pair_of.get(stop)

    def is_delivery_end(self, stop: int) -> bool:
        """True when the stop is the drop-off of a pair (it unloads what the pickup loaded)."""
        pair = self._pair_of.get(stop)
        return pair is not None and pair.delivery == stop


def _frozen_matrix(matrix: npt.ArrayLike | Sequence[Sequence[int]], name: str) -> IntMatrix:
    """Copy `matrix` into a read-only int64 array after checking it is square, finite and non-negative."""
    raw = np.asarray(matrix)
    if raw.ndim != 2 or raw.shape[0] != raw.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {raw.shape}")
    if raw.dtype.kind == "f":
        bad = np.argwhere(~np.isfinite(raw))
        if bad.size:
            raise ValueError(f"{name}[{bad[0][0]}][{bad[0][1]}] is not a finite number")
        if np.any(raw != np.round(raw)):
            raise ValueError(f"{name} must hold integers (seconds or metres)")
    elif raw.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integers, got dtype {raw.dtype}")
    out = raw.astype(np.int64)
    negative = np.argwhere(out < 0)
    if negative.size:
        i, j = negative[0]
        raise ValueError(f"{name}[{i}][{j}] is negative ({out[i, j]})")
    out.setflags(write=False)
    return out
