"""School/household milk programme: pick each household's weekday, then route each day by parts.

Weekdays: households go to their nearest depot; each depot's households are cut into compact cells of
about half a van-day of work (litres against van capacity, door time and an estimate of driving against
the shift), and cells are dealt to weekdays largest first onto the lightest day. Neighbours therefore
share a day and every day gives each depot's fleet about the same work.

Routing: each (day, depot) is one problem when small enough; otherwise it is cut into compact parts of
at most `max_stops_per_part` stops that are solved one after the other, each with the vans the previous
parts left unused. Matrices are only ever built per part, so tens of thousands of households a week fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from routing.builder import ProblemBuilder
from routing.decompose import bisect
from routing.matrices import MatrixSource
from routing.model import Problem, TimeWindow
from routing.params import SolveParams
from routing.plan import Plan, Reason, Unassigned
from routing.solve import solve

DAYTIME = TimeWindow(8 * 3600, 18 * 3600)
PART_SEARCH = SolveParams(time_limit_s=10.0)


@dataclass(frozen=True)
class MilkHousehold:
    """An enrolled household: litres per delivery, time at the door, when deliveries are accepted."""

    location: int
    litres: int
    service_s: int = 60
    window: TimeWindow = DAYTIME
    name: str = ""


@dataclass(frozen=True)
class MilkDepot:
    """A milk depot with its vans (the same every weekday)."""

    location: int
    vans: int
    litres_per_van: int
    shift: TimeWindow
    name: str = ""

    def __post_init__(self) -> None:
        if self.vans < 1 or self.litres_per_van < 1:
            raise ValueError(f"milk depot {self.name!r}: needs at least one van with positive capacity")


@dataclass(frozen=True)
class MilkParams:
    """How to split the week: number of delivery days, cell size, part size and search effort per part."""

    days: int = 5
    cell_share: float = 0.5
    travel_per_stop_s: int = 120
    max_stops_per_part: int = 400
    solve: SolveParams = PART_SEARCH

    def __post_init__(self) -> None:
        if self.days < 1 or self.max_stops_per_part < 1 or not self.cell_share > 0:
            raise ValueError("days and max_stops_per_part must be >= 1 and cell_share positive")


@dataclass(frozen=True)
class MilkPart:
    """One solved part of a day: stop i of `problem` is household `households[i]`."""

    day: int
    depot: int
    households: tuple[int, ...]
    problem: Problem
    plan: Plan


@dataclass(frozen=True)
class MilkWeek:
    """The weekday of each household and every solved part."""

    day_of: tuple[int, ...]
    parts: tuple[MilkPart, ...]

    @property
    def distance_m(self) -> int:
        """Total driven distance over the week."""
        return sum(p.plan.distance_m for p in self.parts)

    def unassigned(self) -> list[tuple[int, str]]:
        """(household, reason) for every household left out of its day's routes."""
        return [(p.households[u.stop], str(u.reason)) for p in self.parts for u in p.plan.unassigned]

    def vans_used(self, day: int, depot: int) -> int:
        """Vans of `depot` that drive on `day`."""
        return sum(p.plan.num_vehicles_used for p in self.parts if p.day == day and p.depot == depot)


def nearest_depot(
    source: MatrixSource, households: Sequence[MilkHousehold], depots: Sequence[MilkDepot]
) -> np.ndarray:
    """Index of the straight-line nearest depot of each household."""
    homes = source.coordinates([h.location for h in households])
    bases = source.coordinates([d.location for d in depots])
    gap = np.hypot(homes[:, None, 0] - bases[None, :, 0], homes[:, None, 1] - bases[None, :, 1])
    return np.argmin(gap, axis=1)


def assign_weekdays(
    source: MatrixSource,
    households: Sequence[MilkHousehold],
    depots: Sequence[MilkDepot],
    params: MilkParams = MilkParams(),
) -> list[int]:
    """A weekday (0..days-1) per household: compact cells, balanced per depot across days."""
    depot_of = nearest_depot(source, households, depots)
    xy = source.coordinates([h.location for h in households])
    day_of = [0] * len(households)
    for d, depot in enumerate(depots):
        members = np.flatnonzero(depot_of == d).tolist()
        if not members:
            continue
        shift = depot.shift.end_s - depot.shift.start_s
        work = np.array(
            [
                households[i].litres / depot.litres_per_van
                + (households[i].service_s + params.travel_per_stop_s) / shift
                for i in members
            ]
        )
        cells = bisect(xy[np.asarray(members)], work, params.cell_share)
        load = np.zeros(params.days)
        for cell in sorted(cells, key=lambda c: (-work[c].sum(), min(c))):
            day = int(np.argmin(load))
            load[day] += work[cell].sum()
            for position in cell:
                day_of[members[position]] = day
    return day_of


def _part_problem(
    source: MatrixSource, households: Sequence[MilkHousehold], ids: Sequence[int], depot: MilkDepot, vans: int
) -> Problem:
    locations = [depot.location] + [households[i].location for i in ids]
    duration, distance = source.matrices(locations)
    builder = ProblemBuilder(("litres",))
    builder.set_matrices(duration, distance)
    builder.set_coordinates(source.coordinates(locations))
    builder.add_depot(0, name=depot.name)
    builder.add_vehicle_type(vans, [depot.litres_per_van], shift=(depot.shift.start_s, depot.shift.end_s))
    for position, i in enumerate(ids, start=1):
        h = households[i]
        window = [(h.window.start_s, h.window.end_s)]
        builder.add_stop(position, [h.litres], service_s=h.service_s, time_windows=window, name=h.name)
    return builder.build()


def _no_van_left(stops: int) -> Plan:
    """The earlier parts of the day used every van of the depot: say so for each household."""
    reason = Unassigned(0, Reason.CAPACITY, "every van of the depot is already used by other parts")
    return Plan((), tuple(replace(reason, stop=s) for s in range(stops)), "no_vehicle", 0)


def route_day(
    source: MatrixSource,
    households: Sequence[MilkHousehold],
    ids: Sequence[int],
    depots: Sequence[MilkDepot],
    day: int,
    params: MilkParams = MilkParams(),
) -> list[MilkPart]:
    """Route the households `ids` of one day from their nearest depots, part by part."""
    depot_of = nearest_depot(source, [households[i] for i in ids], depots)
    parts = []
    for d, depot in enumerate(depots):
        members = [ids[k] for k in np.flatnonzero(depot_of == d).tolist()]
        if not members:
            continue
        xy = source.coordinates([households[i].location for i in members])
        groups = bisect(xy, np.ones(len(members)), float(params.max_stops_per_part))
        vans = depot.vans
        for group in groups:
            chosen = tuple(members[k] for k in group)
            problem = _part_problem(source, households, chosen, depot, max(vans, 1))
            plan = solve(problem, params.solve) if vans else _no_van_left(len(chosen))
            parts.append(MilkPart(day, d, chosen, problem, plan))
            vans = max(vans - plan.num_vehicles_used, 0)
    return parts


def plan_milk_week(
    source: MatrixSource,
    households: Sequence[MilkHousehold],
    depots: Sequence[MilkDepot],
    params: MilkParams = MilkParams(),
) -> MilkWeek:
    """Assign weekdays, then route every day."""
    day_of = assign_weekdays(source, households, depots, params)
    parts: list[MilkPart] = []
    for day in range(params.days):
        ids = [i for i, d in enumerate(day_of) if d == day]
        if ids:
            parts += route_day(source, households, ids, depots, day, params)
    return MilkWeek(tuple(day_of), tuple(parts))
