"""Accessible-transport trip requests (engelsiz ulaşım): door to appointment, wheelchair place if needed."""

from __future__ import annotations

from datetime import date, time
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, IllegalTransition, InvalidValue
from domain.values import Actor, GeoPoint


class TripRequest(Aggregate):
    """One trip for one household on one day; `return_at` asks for the ride home too."""

    @event("Requested")
    def __init__(
        self,
        household_id: UUID,
        day: date,
        pickup: GeoPoint,
        destination: GeoPoint,
        destination_name: str,
        appointment: time,
        wheelchair: bool,
        seats: int,
        return_at: time | None,
        actor: Actor,
    ) -> None:
        self.household_id = household_id
        self.day = day
        self.pickup = pickup
        self.destination = destination
        self.destination_name = destination_name
        self.appointment = appointment
        self.wheelchair = wheelchair
        self.seats = seats
        self.return_at = return_at
        self.cancelled = False

    @staticmethod
    def check(
        seats: int, appointment: time, return_at: time | None, pickup: GeoPoint, destination: GeoPoint
    ) -> None:
        if not 1 <= seats <= 4:
            raise InvalidValue(
                "seats", N_("{seats} is outside 1..4 (a companion may ride along)"), seats=seats
            )
        if return_at is not None and return_at <= appointment:
            raise InvalidValue(
                "return_at",
                N_("{return_at} is not after the appointment at {appointment}"),
                return_at=return_at,
                appointment=appointment,
            )
        if pickup == destination:
            raise InvalidValue("destination", N_("is the same place as the pickup"))

    def cancel(self, reason: str, actor: Actor) -> None:
        if self.cancelled:
            raise IllegalTransition(N_("trip {id} is already cancelled"), id=self.id)
        if not reason.strip():
            raise InvalidValue("reason", N_("a cancellation states why"))
        self._cancelled(reason, actor)

    @event("Cancelled")
    def _cancelled(self, reason: str, actor: Actor) -> None:
        self.cancelled = True
