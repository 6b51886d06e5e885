"""Times and feasibility of a stop order a person chose (a dispatcher moving a stop by hand).

The solver is not asked: the order is kept exactly, service starts as early as each window allows,
and every constraint the order breaks is named so the dispatcher can decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from routing.model import Problem
from routing.plan import Route
from routing.solve import assemble_route

# What a violation is about (`Violation.kind`): stable codes a caller may word in its own language.
LATE: Final = "late"
TOO_LONG_AFTER_LEAVING: Final = "too_long_after_leaving"
MISSING_SKILLS: Final = "missing_skills"
OVERLOADED_AT_START: Final = "overloaded_at_start"
OVER_CAPACITY: Final = "over_capacity"
AFTER_SHIFT: Final = "after_shift"


@dataclass(frozen=True)
class Violation:
    """One constraint the order breaks: its `kind` code, the stop it is about (name, else index) and the
    numbers that explain it (`minutes` of the ride-time limit, missing `skills`, route `end_s`)."""

    kind: str
    stop: str | None = None
    minutes: int | None = None
    skills: tuple[str, ...] = ()
    end_s: int | None = None

    def __str__(self) -> str:
        """The English text (logs, tests and callers without their own wording)."""
        if self.kind == LATE:
            return f"stop {self.stop}: arrives after its time window closes"
        if self.kind == TOO_LONG_AFTER_LEAVING:
            return f"stop {self.stop}: more than {self.minutes} min after leaving"
        if self.kind == MISSING_SKILLS:
            return f"stop {self.stop}: needs {', '.join(self.skills)}"
        if self.kind == OVERLOADED_AT_START:
            return "the route starts with more than the vehicle can carry"
        if self.kind == OVER_CAPACITY:
            return f"stop {self.stop}: over the vehicle's capacity"
        end = self.end_s or 0
        return f"the route ends after the shift ({end // 3600:02d}:{end % 3600 // 60:02d})"


@dataclass(frozen=True)
class Evaluation:
    """The route with its times, and the constraints it breaks (empty when the order is feasible)."""

    route: Route
    broken: tuple[Violation, ...]

    @property
    def violations(self) -> tuple[str, ...]:
        """The broken constraints as English texts."""
        return tuple(str(v) for v in self.broken)


def _travel(problem: Problem, vehicle: int, origin: int, target: int) -> int:
    vt = problem.vehicle_types[problem.vehicle_type_of()[vehicle]]
    return round(int(problem.duration_s[origin, target]) / vt.speed_factor)


def _departure(problem: Problem, vehicle: int, stops: Sequence[int]) -> int:
    """Leave just in time for the first stop's window (hot food waits in the kitchen, not in the van)."""
    vt = problem.vehicle_types[problem.vehicle_type_of()[vehicle]]
    if not stops:
        return vt.shift.start_s
    depot = problem.depots[vt.start_depot].location
    first = problem.stops[stops[0]]
    return max(vt.shift.start_s, first.earliest_s - _travel(problem, vehicle, depot, first.location))


def evaluate_route(problem: Problem, vehicle: int, stops: Sequence[int]) -> Evaluation:
    """Schedule `stops` in this order on `vehicle` and list what the order violates."""
    if not 0 <= vehicle < problem.num_vehicles:
        raise ValueError(f"vehicle {vehicle} is not in the problem (0..{problem.num_vehicles - 1})")
    for s in stops:
        if not 0 <= s < len(problem.stops):
            raise ValueError(f"stop {s} is not in the problem")
    vt = problem.vehicle_types[problem.vehicle_type_of()[vehicle]]
    depart = _departure(problem, vehicle, stops)
    here, clock = problem.depots[vt.start_depot].location, depart
    starts: list[int] = []
    violations: list[Violation] = []
    for s in stops:
        stop = problem.stops[s]
        arrival = clock + _travel(problem, vehicle, here, stop.location)
        window = next((w for w in stop.time_windows if arrival <= w.end_s), None)
        start = max(arrival, window.start_s) if window else arrival
        name = stop.name or str(s)
        if window is None:
            violations.append(Violation(LATE, name))
        if stop.max_since_departure_s is not None and start - depart > stop.max_since_departure_s:
            violations.append(
                Violation(TOO_LONG_AFTER_LEAVING, name, minutes=stop.max_since_departure_s // 60)
            )
        if stop.required_skills - vt.skills:
            violations.append(
                Violation(MISSING_SKILLS, name, skills=tuple(sorted(stop.required_skills - vt.skills)))
            )
        starts.append(start)
        here, clock = stop.location, start + stop.service_s
    end = clock + _travel(problem, vehicle, here, problem.depots[vt.end_depot].location)
    route = assemble_route(problem, vehicle, stops, starts, depart, end)
    if any(load > cap for load, cap in zip(route.load_at_start, vt.capacity, strict=True)):
        violations.append(Violation(OVERLOADED_AT_START))
    for visit in route.visits:
        if any(load > cap for load, cap in zip(visit.load_after, vt.capacity, strict=True)):
            violations.append(Violation(OVER_CAPACITY, problem.stops[visit.stop].name or str(visit.stop)))
            break
    if end > vt.shift.end_s:
        violations.append(Violation(AFTER_SHIFT, end_s=end))
    return Evaluation(route, tuple(violations))
