"""What the solver returns: routes a driver can follow, and every stop it could not serve, with why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a stop is not in any route."""

    CAPACITY = "capacity"
    TIME_WINDOW = "time_window"
    RIDE_TIME = "ride_time"
    HOT_FOOD = "hot_food"
    NO_SKILLED_VEHICLE = "no_vehicle_with_skill"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"
    BROKEN_DOWN = "vehicle_broken_down"


@dataclass(frozen=True)
class Visit:
    """One stop on a route: when the vehicle arrives, starts service and leaves, and its load after."""

    stop: int
    arrival_s: int
    start_s: int
    departure_s: int
    load_after: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.arrival_s <= self.start_s <= self.departure_s:
            raise ValueError(f"visit to stop {self.stop}: arrival <= start <= departure does not hold")


@dataclass(frozen=True)
class Route:
    """The ordered visits of one vehicle, from its start depot at `start_s` to its end depot at `end_s`.

    A vehicle that broke down during the day keeps the visits it made and has `broken_down_at_s` set;
    it does not return to its depot.
    """

    vehicle: int
    vehicle_type: int
    visits: tuple[Visit, ...]
    start_s: int
    end_s: int
    load_at_start: tuple[int, ...]
    distance_m: int
    duration_s: int
    cost: int
    broken_down_at_s: int | None = None

    @property
    def stops(self) -> list[int]:
        """Stop indices in visiting order."""
        return [v.stop for v in self.visits]


@dataclass(frozen=True)
class Unassigned:
    """A stop left out of the plan, with the reason a dispatcher can act on."""

    stop: int
    reason: Reason
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    """The day's routes (one per vehicle that moves) and the stops left out."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    status: str
    objective: int

    @property
    def distance_m(self) -> int:
        """Total distance of all routes."""
        return sum(r.distance_m for r in self.routes)

    @property
    def duration_s(self) -> int:
        """Total duration (end minus start) of all routes."""
        return sum(r.duration_s for r in self.routes)

    @property
    def cost(self) -> int:
        """Total route cost (distance, duration and fixed costs; penalties excluded)."""
        return sum(r.cost for r in self.routes)

    @property
    def num_vehicles_used(self) -> int:
        """Routes that visit at least one stop."""
        return sum(1 for r in self.routes if r.visits)

    def route_of(self, stop: int) -> Route | None:
        """The route serving `stop`, if any."""
        return next((r for r in self.routes if stop in r.stops), None)
