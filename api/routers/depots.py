"""Depots (central kitchens, solidarity points, garages): register, list, read, close."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from api.routers.context import Ctx, FleetUser
from api.schemas import Created, Done, Location
from api.schemas_dispatch import DepotClose, DepotCreate, DepotPublic
from domain.values import GeoPoint
from projections import fleet_queries

router = APIRouter(prefix="/api/depots", tags=["depots"])


@router.post("", status_code=status.HTTP_201_CREATED)
def register(body: DepotCreate, user: FleetUser, ctx: Ctx) -> Created:
    """Register a place vehicles start and end their rounds."""
    location = GeoPoint(body.location.lat, body.location.lon)
    with ctx.writing() as app:
        ident = app.register_depot(
            body.name, body.kind, location, body.district, body.neighbourhood, user.actor
        )
    return Created(id=ident)


@router.get("")
def list_depots(user: FleetUser, ctx: Ctx) -> list[DepotPublic]:
    """Every depot, open or closed."""
    return [DepotPublic(**row) for row in ctx.read(fleet_queries.depots)]


@router.get("/{depot_id}")
def read(depot_id: UUID, user: FleetUser, ctx: Ctx) -> DepotPublic:
    """One depot."""
    depot = ctx.app.depot(depot_id)
    return DepotPublic(
        id=depot.id,
        name=depot.name,
        kind=depot.kind,
        location=Location(lat=depot.location.lat, lon=depot.location.lon),
        district=depot.district,
        neighbourhood=depot.neighbourhood,
        closed=depot.closed,
    )


@router.post("/{depot_id}/close")
def close(depot_id: UUID, body: DepotClose, user: FleetUser, ctx: Ctx) -> Done:
    """Close a depot; no vehicle can be registered to it afterwards."""
    with ctx.writing() as app:
        app.close_depot(depot_id, body.reason, user.actor)
    return Done(id=depot_id, message="closed")
