"""Between Kapıda's stops and vehicles and the routing package's integer problem, both ways."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

import maps
from api.planning.day import MAX_RIDE_S, SPEED_CLASS, FleetVehicle
from api.planning.network import cache_dir
from domain.errors import N_, InvalidValue
from domain.route_plan import PlannedRoute, PlannedStop, StopKind, UnservedStop
from maps.snapping import distances_to_network_m
from routing import Plan, Problem, ProblemBuilder

HOT_LIMIT_S = 3600
LIFT = "wheelchair_lift"


@dataclass(frozen=True)
class DayProblem:
    """The routing problem of a round, with stop `i` = `stops[i]` and vehicle `v` = `vehicles[v]`."""

    problem: Problem
    stops: tuple[PlannedStop, ...]
    vehicles: tuple[FleetVehicle, ...]
    unreachable: tuple[PlannedStop, ...]
    matrix_from_cache: bool


def door(stop: PlannedStop) -> tuple[float, float]:
    """A stop's coordinates; erased households' stops (no location) never reach the routing problem."""
    if stop.location is None:
        raise ValueError(f"stop {stop.key} has no location (its household was erased)")
    return stop.location.lat, stop.location.lon


def _reachable(network: maps.RoadNetwork, points: Sequence[tuple[float, float]]) -> np.ndarray:
    if not points:
        return np.zeros(0, dtype=bool)
    array = np.asarray(points, dtype=float)
    return np.asarray(distances_to_network_m(network, array[:, 0], array[:, 1]) <= maps.DEFAULT_MAX_SNAP_M)


def _split_reachable(
    network: maps.RoadNetwork,
    singles: Sequence[PlannedStop],
    pairs: Sequence[tuple[PlannedStop, PlannedStop]],
) -> tuple[list[PlannedStop], list[tuple[PlannedStop, PlannedStop]], list[PlannedStop]]:
    """Stops over 500 m from any drivable road are never routed to a far-away node: they are listed."""
    ok = _reachable(network, [door(s) for s in singles])
    kept = [s for s, good in zip(singles, ok, strict=True) if good]
    lost = [s for s, good in zip(singles, ok, strict=True) if not good]
    ends = _reachable(network, [door(s) for pair in pairs for s in pair])
    kept_pairs = []
    for k, pair in enumerate(pairs):
        if ends[2 * k] and ends[2 * k + 1]:
            kept_pairs.append(pair)
        else:
            lost += list(pair)
    return kept, kept_pairs, lost


def _demand(stop: PlannedStop, transport: bool) -> list[int]:
    if not transport:
        return [stop.quantity]
    if stop.unit == "wheelchair":
        return [stop.quantity - 1, 1]
    return [stop.quantity, 0]


def build_day_problem(
    network: maps.RoadNetwork,
    dimensions: tuple[str, ...],
    fleet: Sequence[FleetVehicle],
    singles: Sequence[PlannedStop],
    pairs: Sequence[tuple[PlannedStop, PlannedStop]] = (),
    hot_food: bool = False,
) -> DayProblem:
    """Locations are the distinct depot and door coordinates; one vehicle type per vehicle."""
    depot_ok = _reachable(network, [(v.depot.lat, v.depot.lon) for v in fleet])
    for vehicle, ok in zip(fleet, depot_ok, strict=True):
        if not ok:
            raise InvalidValue(
                "depot",
                N_("the depot of {plate} is not within 500 m of a drivable road"),
                plate=vehicle.plate,
            )
    singles, pairs, unreachable = _split_reachable(network, singles, pairs)
    ordered = list(singles) + [s for pair in pairs for s in pair]
    index: dict[tuple[float, float], int] = {}
    for lat, lon in [(v.depot.lat, v.depot.lon) for v in fleet] + [door(s) for s in ordered]:
        index.setdefault((lat, lon), len(index))
    matrices = maps.travel_matrices(network, list(index), cache_dir=cache_dir() / "matrices")
    builder = ProblemBuilder(dimensions)
    builder.set_matrices(matrices.duration_s, matrices.distance_m)
    depots: dict[tuple[float, float], int] = {}
    for vehicle in fleet:
        spot = (vehicle.depot.lat, vehicle.depot.lon)
        if spot not in depots:
            depots[spot] = builder.add_depot(index[spot], name=str(vehicle.depot_id))
        builder.add_vehicle_type(
            1,
            [vehicle.capacities.get(d, 0) for d in dimensions],
            start_depot=depots[spot],
            shift=(vehicle.shift_start_s, vehicle.shift_end_s),
            skills={LIFT} if vehicle.lift else (),
            speed_factor=maps.vehicle_speed_factor(SPEED_CLASS.get(vehicle.kind, "van")),
            name=vehicle.plate,
        )
    transport = len(dimensions) == 2
    for stop in ordered:
        builder.add_stop(
            index[door(stop)],
            _demand(stop, transport),
            service_s=stop.service_s,
            time_windows=[(stop.window_start_s, stop.window_end_s)],
            required_skills={LIFT} if stop.unit == "wheelchair" else (),
            max_since_departure_s=HOT_LIMIT_S if hot_food else None,
            name=stop.key,
        )
    for k in range(len(pairs)):
        pickup = len(singles) + 2 * k
        builder.add_pair(pickup, pickup + 1, max_ride_s=MAX_RIDE_S)
    return DayProblem(builder.build(), tuple(ordered), tuple(fleet), tuple(unreachable), matrices.from_cache)


def plan_from_solution(
    day: DayProblem, plan: Plan
) -> tuple[tuple[PlannedRoute, ...], tuple[UnservedStop, ...]]:
    """The solver's routes as plan value objects: stops carry their ETA; the unserved keep their reason."""
    routes = []
    for route in plan.routes:
        if not route.visits:
            continue
        vehicle = day.vehicles[route.vehicle]
        stops = tuple(replace(day.stops[v.stop], eta_s=v.arrival_s) for v in route.visits)
        routes.append(
            PlannedRoute(
                vehicle.vehicle_id,
                vehicle.depot_id,
                stops,
                route.start_s,
                route.end_s,
                route.distance_m,
                route.duration_s,
            )
        )
    unserved = [UnservedStop(day.stops[u.stop], u.reason.value) for u in plan.unassigned]
    unserved += [UnservedStop(stop, "unreachable") for stop in day.unreachable]
    return tuple(routes), tuple(unserved)


def pairs_of(stops: Sequence[PlannedStop]) -> tuple[list[PlannedStop], list[tuple[PlannedStop, PlannedStop]]]:
    """Split a recorded plan's stops into deliveries and (pickup, drop-off) pairs, matched by key."""
    singles = [s for s in stops if s.kind is StopKind.DELIVERY]
    by_key = {s.key: s for s in stops}
    pairs = [
        (s, by_key[s.key.rsplit("/", 1)[0] + "/" + StopKind.DROPOFF.value])
        for s in stops
        if s.kind is StopKind.PICKUP
    ]
    return singles, pairs
