"""Accessible-transport trips (engelsiz ulaşım): book, list by day, cancel."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from api.routers.context import Ctx, TripUser
from api.schemas import Created, Done
from api.schemas_dispatch import TripCancel, TripCreate, TripPublic
from domain.values import GeoPoint
from projections import dispatch_queries

router = APIRouter(prefix="/api/trips", tags=["trips"])


@router.post("", status_code=status.HTTP_201_CREATED)
def request_trip(body: TripCreate, user: TripUser, ctx: Ctx) -> Created:
    """Book a trip for an enrolled household, from its door unless `pickup` says otherwise."""
    pickup = GeoPoint(body.pickup.lat, body.pickup.lon) if body.pickup else None
    with ctx.writing() as app:
        ident = app.request_trip(
            body.household_id,
            body.date,
            GeoPoint(body.destination.lat, body.destination.lon),
            body.destination_name,
            body.appointment,
            user.actor,
            wheelchair=body.wheelchair,
            seats=body.seats,
            return_at=body.return_at,
            pickup=pickup,
        )
    return Created(id=ident)


@router.get("")
def trips_on(
    user: TripUser, ctx: Ctx, on: Annotated[date, Query(alias="date", description="Day of the trips")]
) -> list[TripPublic]:
    """The day's booked (not cancelled) trips, by appointment time."""
    return [TripPublic(**row) for row in ctx.read(lambda db: dispatch_queries.trips_on(db, on))]


@router.post("/{trip_id}/cancel")
def cancel(trip_id: UUID, body: TripCancel, user: TripUser, ctx: Ctx) -> Done:
    """Cancel a trip (the appointment moved, the passenger is ill)."""
    with ctx.writing() as app:
        app.cancel_trip(trip_id, body.reason, user.actor)
    return Done(id=trip_id, message="cancelled")
