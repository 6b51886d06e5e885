"""Vehicles: register, list, read, take out of service (breakdown) and return to service."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from api.routers.context import Ctx, FleetUser
from api.schemas import Created, Done
from api.schemas_dispatch import OutOfService, VehicleCreate, VehiclePublic
from projections import fleet_queries

router = APIRouter(prefix="/api/vehicles", tags=["vehicles"])


@router.post("", status_code=status.HTTP_201_CREATED)
def register(body: VehicleCreate, user: FleetUser, ctx: Ctx) -> Created:
    """Register a van or minibus with its capacities, shift and home depot."""
    with ctx.writing() as app:
        ident = app.register_vehicle(
            body.plate,
            body.kind,
            body.capacities,
            (body.shift_start, body.shift_end),
            body.depot_id,
            body.wheelchair_lift,
            user.actor,
        )
    return Created(id=ident)


@router.get("")
def list_vehicles(user: FleetUser, ctx: Ctx) -> list[VehiclePublic]:
    """Every vehicle, by plate."""
    return [VehiclePublic(**row) for row in ctx.read(fleet_queries.vehicles)]


@router.get("/{vehicle_id}")
def read(vehicle_id: UUID, user: FleetUser, ctx: Ctx) -> VehiclePublic:
    """One vehicle."""
    v = ctx.app.vehicle(vehicle_id)
    return VehiclePublic(
        id=v.id,
        plate=v.plate,
        kind=v.kind,
        capacities=v.capacities,
        shift_start=v.shift_start,
        shift_end=v.shift_end,
        depot_id=v.depot_id,
        wheelchair_lift=v.wheelchair_lift,
        in_service=v.in_service,
    )


@router.post("/{vehicle_id}/out-of-service")
def take_out_of_service(vehicle_id: UUID, body: OutOfService, user: FleetUser, ctx: Ctx) -> Done:
    """Take a vehicle off the road (breakdown, maintenance); planning stops using it."""
    with ctx.writing() as app:
        app.take_vehicle_out_of_service(vehicle_id, body.reason, user.actor)
    return Done(id=vehicle_id, message="out of service")


@router.post("/{vehicle_id}/return-to-service")
def return_to_service(vehicle_id: UUID, user: FleetUser, ctx: Ctx) -> Done:
    """Put a repaired vehicle back on the road."""
    with ctx.writing() as app:
        app.return_vehicle_to_service(vehicle_id, user.actor)
    return Done(id=vehicle_id, message="in service")
