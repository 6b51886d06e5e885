"""Accessible transport (dial-a-ride): trips to appointments and back, seats or wheelchair places.

Each trip is a pickup and a drop-off on the same vehicle, pickup first, riding at most `max_ride_s`.
An outbound trip must arrive within `early_margin_s` before the appointment; a return trip is picked up
within `early_margin_s` after `return_at_s`. Wheelchair users need a vehicle with a lift and take a
wheelchair place; companions take seats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy.typing as npt

from routing.builder import ProblemBuilder
from routing.model import Problem, TimeWindow
from routing.params import SolveParams
from routing.plan import Plan
from routing.solve import solve

LIFT = "wheelchair_lift"
DIMENSIONS = ("seats", "wheelchair_places")


@dataclass(frozen=True)
class Minibus:
    """Identical vehicles at one garage."""

    depot_location: int
    count: int
    seats: int
    wheelchair_places: int
    shift: TimeWindow
    lift: bool = False
    name: str = ""


@dataclass(frozen=True)
class TripRequest:
    """One person's journey from `home` to `destination` for an appointment, optionally with a return."""

    home: int
    destination: int
    appointment_s: int
    max_ride_s: int
    wheelchair: bool = False
    companions: int = 0
    return_at_s: int | None = None
    early_margin_s: int = 1800
    boarding_s: int = 120
    name: str = ""

    def __post_init__(self) -> None:
        if self.max_ride_s <= 0 or self.early_margin_s < 0 or self.companions < 0:
            raise ValueError(f"trip {self.name!r}: ride time must be positive, margin and companions >= 0")
        if self.return_at_s is not None and self.return_at_s < self.appointment_s:
            raise ValueError(f"trip {self.name!r}: the return is before the appointment")

    @property
    def demand(self) -> tuple[int, int]:
        """(seats, wheelchair places) taken on board."""
        return (self.companions + (0 if self.wheelchair else 1), 1 if self.wheelchair else 0)


@dataclass(frozen=True)
class TripStops:
    """Where a request's legs ended up in the problem: (pickup, drop-off) stop indices per leg."""

    outbound: tuple[int, int]
    inbound: tuple[int, int] | None


def transport_problem(
    duration_s: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    fleet: Sequence[Minibus],
    requests: Sequence[TripRequest],
) -> tuple[Problem, list[TripStops]]:
    """The dial-a-ride problem of a day, and where each request's legs are among its stops."""
    builder = ProblemBuilder(DIMENSIONS)
    builder.set_matrices(duration_s, distance_m)
    for bus in fleet:
        depot = builder.add_depot(bus.depot_location, name=bus.name)
        builder.add_vehicle_type(
            bus.count,
            [bus.seats, bus.wheelchair_places],
            start_depot=depot,
            shift=(bus.shift.start_s, bus.shift.end_s),
            skills={LIFT} if bus.lift else (),
            name=bus.name,
        )
    legs = [_add_request(builder, r) for r in requests]
    return builder.build(), legs


def _add_leg(
    builder: ProblemBuilder, r: TripRequest, frm: int, to: int, pick: TimeWindow, drop: TimeWindow
) -> tuple[int, int]:
    skills = {LIFT} if r.wheelchair else set()
    ends = []
    for location, window, role in ((frm, pick, "pickup"), (to, drop, "drop-off")):
        ends.append(
            builder.add_stop(
                location,
                r.demand,
                service_s=r.boarding_s,
                time_windows=[(window.start_s, window.end_s)],
                required_skills=skills,
                name=f"{r.name} {role}",
            )
        )
    builder.add_pair(ends[0], ends[1], max_ride_s=r.max_ride_s, name=r.name)
    return ends[0], ends[1]


def _add_request(builder: ProblemBuilder, r: TripRequest) -> TripStops:
    earliest = max(0, r.appointment_s - r.early_margin_s)
    out_pick = TimeWindow(max(0, earliest - r.max_ride_s - r.boarding_s), r.appointment_s)
    outbound = _add_leg(builder, r, r.home, r.destination, out_pick, TimeWindow(earliest, r.appointment_s))
    inbound = None
    if r.return_at_s is not None:
        back_pick = TimeWindow(r.return_at_s, r.return_at_s + r.early_margin_s)
        back_drop = TimeWindow(r.return_at_s, back_pick.end_s + r.boarding_s + r.max_ride_s)
        inbound = _add_leg(builder, r, r.destination, r.home, back_pick, back_drop)
    return TripStops(outbound, inbound)


def plan_transport(
    duration_s: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    fleet: Sequence[Minibus],
    requests: Sequence[TripRequest],
    params: SolveParams | None = None,
) -> tuple[Problem, list[TripStops], Plan]:
    """Build and solve the day's dial-a-ride problem."""
    problem, legs = transport_problem(duration_s, distance_m, fleet, requests)
    return problem, legs, solve(problem, params)
