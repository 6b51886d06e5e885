"""The route plan (günlük rota planı): one day's routes for a programme's round, from planning to closing.

Stops name households by id and drivers' lists join names and addresses from the household read model.
A stop's door (`location`) is sealed in the event log with its household's key (see `domain.sealing`),
so once a household is erased its stops read with no location and no plan has to be rewritten.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, IllegalTransition, InvalidValue, Term
from domain.programmes import Programme
from domain.values import Actor, GeoPoint

PLAN_NAMESPACE = uuid.UUID("6f1c1a52-3a8e-4a53-9a52-4b0d7c6b6d11")


class Round(StrEnum):
    """Which run of the day: hot meals go out twice, other programmes once."""

    BREAKFAST = "breakfast"
    DINNER = "dinner"
    DAY = "day"


class StopKind(StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"
    DROPOFF = "dropoff"


class PlanStatus(StrEnum):
    PLANNED = "planned"
    PUBLISHED = "published"
    CLOSED = "closed"


@dataclass(frozen=True)
class PlannedStop:
    """A door on a route: what to hand over (or who to pick up), where, and when the van should arrive."""

    key: str
    kind: StopKind
    household_id: UUID
    source_id: UUID
    location: GeoPoint | None  # None: the household was erased (its door was sealed with its key)
    eta_s: int
    window_start_s: int
    window_end_s: int
    service_s: int
    quantity: int
    unit: str


@dataclass(frozen=True)
class PlannedRoute:
    """One vehicle's ordered stops and its totals (seconds from local midnight, metres)."""

    vehicle_id: UUID
    depot_id: UUID
    stops: tuple[PlannedStop, ...]
    depart_s: int
    return_s: int
    distance_m: int
    duration_s: int


@dataclass(frozen=True)
class UnservedStop:
    """A stop no route could take, with the planner's reason (capacity, time window, unreachable, ...)."""

    stop: PlannedStop
    reason: str


def trip_stop_key(trip_id: UUID, leg: str, kind: StopKind) -> str:
    """`<trip>/out/pickup`: the pickup and drop-off of one leg share everything but the last part."""
    return f"{trip_id}/{leg}/{kind.value}"


def paired_pickup_key(dropoff_key: str) -> str:
    return dropoff_key.rsplit("/", 1)[0] + "/" + StopKind.PICKUP.value


def plan_id_for(day: date, programme: Programme, round_: Round) -> UUID:
    """One plan per day, programme and round: planning again updates it instead of forking a second."""
    return uuid.uuid5(PLAN_NAMESPACE, f"{day.isoformat()}/{programme.value}/{round_.value}")


def _stops_by_key(routes: tuple[PlannedRoute, ...], unserved: tuple[UnservedStop, ...]) -> set[str]:
    keys = [s.key for r in routes for s in r.stops] + [u.stop.key for u in unserved]
    if len(keys) != len(set(keys)):
        raise InvalidValue("routes", N_("a stop appears twice in the plan"))
    return set(keys)


class RoutePlan(Aggregate):
    """Planned, published to drivers, adjusted by hand or re-planned during the day, then closed."""

    @staticmethod
    def create_id(day: date, programme: Programme, round_: Round, **_: object) -> UUID:
        return plan_id_for(day, programme, round_)

    @event("Planned")
    def __init__(
        self,
        day: date,
        programme: Programme,
        round_: Round,
        routes: tuple[PlannedRoute, ...],
        unserved: tuple[UnservedStop, ...],
        summary: dict[str, float],
        actor: Actor,
    ) -> None:
        self.day = day
        self.programme = Programme(programme)
        self.round = Round(round_)
        self.routes = tuple(routes)
        self.unserved = tuple(unserved)
        self.summary = dict(summary)
        self.status = PlanStatus.PLANNED

    @classmethod
    def plan(
        cls,
        day: date,
        programme: Programme,
        round_: Round,
        routes: tuple[PlannedRoute, ...],
        unserved: tuple[UnservedStop, ...],
        summary: dict[str, float],
        actor: Actor,
    ) -> RoutePlan:
        _stops_by_key(routes, unserved)
        return cls(day, programme, round_, routes, unserved, summary, actor)

    def publish(self, actor: Actor) -> None:
        """Send the routes to the drivers' phones."""
        self._check_open(N_("publish"))
        if self.status is PlanStatus.PUBLISHED:
            raise IllegalTransition(N_("plan {id} is already published"), id=self.id)
        if not self.routes:
            raise IllegalTransition(N_("plan {id} has no routes to publish"), id=self.id)
        self._published(actor)

    @event("Published")
    def _published(self, actor: Actor) -> None:
        self.status = PlanStatus.PUBLISHED

    def move_stop(self, key: str, routes: tuple[PlannedRoute, ...], reason: str, actor: Actor) -> None:
        """A dispatcher moved a stop by hand; `routes` are the changed routes with their new times."""
        self._check_open(N_("move a stop of"))
        if not reason.strip():
            raise InvalidValue("reason", N_("moving a stop states why"))
        if key not in self.stop_keys():
            raise InvalidValue("stop", N_("{key} is not a stop of plan {id}"), key=key, id=self.id)
        merged = self._with_routes(routes)
        unserved = tuple(u for u in self.unserved if u.stop.key != key)
        if _stops_by_key(merged, unserved) != self.stop_keys():
            raise InvalidValue(
                "routes", N_("moving a stop must keep every other stop of the plan exactly once")
            )
        self._stop_moved(key, tuple(routes), reason, actor)

    @event("StopMoved")
    def _stop_moved(self, key: str, routes: tuple[PlannedRoute, ...], reason: str, actor: Actor) -> None:
        self.routes = self._with_routes(routes)
        self.unserved = tuple(u for u in self.unserved if u.stop.key != key)

    def replan(
        self,
        routes: tuple[PlannedRoute, ...],
        unserved: tuple[UnservedStop, ...],
        moved: tuple[str, ...],
        summary: dict[str, float],
        reason: str,
        actor: Actor,
    ) -> None:
        """Replace the routes after a breakdown, urgent request or cancellation (`moved`: changed stops)."""
        self._check_open(N_("re-plan"))
        if not reason.strip():
            raise InvalidValue(
                "reason", N_("re-planning states why (breakdown, urgent request, cancellation)")
            )
        _stops_by_key(routes, unserved)
        self._replanned(routes, unserved, moved, summary, reason, actor)

    @event("Replanned")
    def _replanned(
        self,
        routes: tuple[PlannedRoute, ...],
        unserved: tuple[UnservedStop, ...],
        moved: tuple[str, ...],
        summary: dict[str, float],
        reason: str,
        actor: Actor,
    ) -> None:
        self.routes = tuple(routes)
        self.unserved = tuple(unserved)
        self.summary = dict(summary)

    def close(self, actor: Actor) -> None:
        self._check_open(N_("close"))
        self._closed(actor)

    @event("Closed")
    def _closed(self, actor: Actor) -> None:
        self.status = PlanStatus.CLOSED

    def _with_routes(self, routes: tuple[PlannedRoute, ...]) -> tuple[PlannedRoute, ...]:
        """The plan's routes with those of the same vehicles replaced by `routes`."""
        changed = {r.vehicle_id for r in routes}
        return tuple(r for r in self.routes if r.vehicle_id not in changed) + tuple(routes)

    def stop_keys(self) -> set[str]:
        return _stops_by_key(self.routes, self.unserved)

    def route_of(self, vehicle_id: UUID) -> PlannedRoute | None:
        return next((r for r in self.routes if r.vehicle_id == vehicle_id), None)

    def find_stop(self, key: str) -> tuple[PlannedRoute | None, PlannedStop]:
        for route in self.routes:
            for stop in route.stops:
                if stop.key == key:
                    return route, stop
        for unserved in self.unserved:
            if unserved.stop.key == key:
                return None, unserved.stop
        raise InvalidValue("stop", N_("{key} is not a stop of plan {id}"), key=key, id=self.id)

    def _check_open(self, verb: str) -> None:
        if self.status is PlanStatus.CLOSED:
            raise IllegalTransition(N_("cannot {verb} plan {id}: it is closed"), verb=Term(verb), id=self.id)
