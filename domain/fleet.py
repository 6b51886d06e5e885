"""Depots (central kitchens, solidarity points, garages) and the vehicles that leave them."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, IllegalTransition, InvalidValue
from domain.values import Actor, GeoPoint

CAPACITY_DIMENSIONS = ("meal_containers", "milk_litres", "parcel_kg", "seats", "wheelchair_places")


class DepotKind(StrEnum):
    CENTRAL_KITCHEN = "central_kitchen"
    SOLIDARITY_POINT = "solidarity_point"
    GARAGE = "garage"
    WAREHOUSE = "warehouse"


class VehicleKind(StrEnum):
    VAN = "van"
    REFRIGERATED_VAN = "refrigerated_van"
    MINIBUS_WITH_LIFT = "minibus_with_lift"
    TRUCK = "truck"


class Depot(Aggregate):
    """A place vehicles start and end their rounds."""

    @event("Registered")
    def __init__(
        self, name: str, kind: DepotKind, location: GeoPoint, district: str, neighbourhood: str, actor: Actor
    ) -> None:
        self.name = name
        self.kind = DepotKind(kind)
        self.location = location
        self.district = district
        self.neighbourhood = neighbourhood
        self.closed = False

    def close(self, reason: str, actor: Actor) -> None:
        if self.closed:
            raise IllegalTransition(N_("depot {name} is already closed"), name=self.name)
        if not reason.strip():
            raise InvalidValue("reason", N_("closing a depot states its reason"))
        self._closed(reason, actor)

    @event("Closed")
    def _closed(self, reason: str, actor: Actor) -> None:
        self.closed = True


def check_capacities(capacities: dict[str, int]) -> dict[str, int]:
    """Capacities are non-negative whole numbers on known dimensions, and a vehicle carries something."""
    for dimension, amount in capacities.items():
        if dimension not in CAPACITY_DIMENSIONS:
            raise InvalidValue(
                f"capacities.{dimension}",
                N_("unknown dimension; use {dimensions}"),
                dimensions=", ".join(CAPACITY_DIMENSIONS),
            )
        if not isinstance(amount, int) or not 0 <= amount <= 100_000:
            raise InvalidValue(
                f"capacities.{dimension}", N_("{amount!r} is not a whole number in 0..100000"), amount=amount
            )
    if not any(capacities.values()):
        raise InvalidValue("capacities", N_("a vehicle carries at least one thing"))
    return dict(sorted(capacities.items()))


class Vehicle(Aggregate):
    """A van or minibus with its capacities, shift and home depot; may be taken out of service."""

    @event("Registered")
    def __init__(
        self,
        plate: str,
        kind: VehicleKind,
        capacities: dict[str, int],
        shift_start: time,
        shift_end: time,
        depot_id: UUID,
        wheelchair_lift: bool,
        actor: Actor,
    ) -> None:
        self.plate = plate
        self.kind = VehicleKind(kind)
        self.capacities = dict(capacities)
        self.shift_start = shift_start
        self.shift_end = shift_end
        self.depot_id = depot_id
        self.wheelchair_lift = wheelchair_lift
        self.in_service = True

    def take_out_of_service(self, reason: str, actor: Actor) -> None:
        if not self.in_service:
            raise IllegalTransition(N_("vehicle {plate} is already out of service"), plate=self.plate)
        if not reason.strip():
            raise InvalidValue(
                "reason", N_("taking a vehicle out of service states why (breakdown, maintenance)")
            )
        self._taken_out_of_service(reason, actor)

    @event("TakenOutOfService")
    def _taken_out_of_service(self, reason: str, actor: Actor) -> None:
        self.in_service = False

    def return_to_service(self, actor: Actor) -> None:
        if self.in_service:
            raise IllegalTransition(N_("vehicle {plate} is already in service"), plate=self.plate)
        self._returned_to_service(actor)

    @event("ReturnedToService")
    def _returned_to_service(self, actor: Actor) -> None:
        self.in_service = True
