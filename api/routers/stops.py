"""Drivers at the door: report a stop (idempotent), their own stop list, and their route as GPX."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from api import planning
from api.routers.context import Ctx, Reporter, StopListReader
from api.schemas_dispatch import ReportResult, StopPublic, StopReport
from api.security import SignedIn
from api.web_i18n import request_language
from domain.errors import N_, Conflict, InvalidValue, NotFound, PermissionDenied
from domain.service import Kapida
from domain.values import Role
from projections import dispatch_queries

router = APIRouter(prefix="/api/plans", tags=["stops"])
driver_router = APIRouter(prefix="/api/driver", tags=["stops"])

VehicleQuery = Annotated[
    UUID | None, Query(description="Whose stops; drivers may leave it out or name only their own")
]


def _report(app: Kapida, plan_id: UUID, key: str, body: StopReport, user: SignedIn) -> bool:
    """Record the report; a retry racing its original loses the write and is then seen as a duplicate."""
    for attempt in range(2):
        try:
            return app.report_stop(
                plan_id,
                key,
                body.outcome,
                body.at,
                body.idempotency_key,
                user.actor,
                receiver=body.receiver,
                reason=body.reason,
                note=body.note,
            )
        except Conflict:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _vehicle(user: SignedIn, requested: UUID | None) -> UUID:
    """A driver sees only their own vehicle; dispatchers, managers and admins name one."""
    if user.role is Role.DRIVER:
        if requested is not None and requested != user.vehicle_id:
            raise PermissionDenied(N_("a driver sees only the stops of their own vehicle"))
        if user.vehicle_id is None:
            raise Conflict(
                N_("driver {user} has no vehicle assigned; ask the dispatcher"), user=user.actor.user
            )
        return user.vehicle_id
    if requested is None:
        raise InvalidValue("vehicle_id", N_("name the vehicle whose stops to show"))
    return requested


@router.post("/{plan_id}/stops/{key:path}/report")
def report(plan_id: UUID, key: str, body: StopReport, user: Reporter, ctx: Ctx) -> ReportResult:
    """What happened at the door. Send a fresh `idempotency_key` per report and the same one on retries:
    a retry returns `recorded: false` and records nothing."""
    with ctx.writing() as app:
        recorded = _report(app, plan_id, key, body, user)
    return ReportResult(plan_id=plan_id, key=key, outcome=body.outcome, recorded=recorded)


@driver_router.get("/stops")
def my_stops(
    user: StopListReader,
    ctx: Ctx,
    on: Annotated[date, Query(alias="date", description="Delivery day")],
    vehicle_id: VehicleQuery = None,
) -> list[StopPublic]:
    """The vehicle's stops on its published routes that day, in driving order, with contact and notes."""
    vehicle = _vehicle(user, vehicle_id)
    rows = ctx.read(lambda db: dispatch_queries.driver_stops(db, on, vehicle))
    return [StopPublic.model_validate(row, from_attributes=True) for row in rows]


@driver_router.get(
    "/route.gpx", response_class=Response, responses={200: {"content": {"application/gpx+xml": {}}}}
)
def my_route(
    request: Request,
    user: StopListReader,
    ctx: Ctx,
    on: Annotated[date, Query(alias="date", description="Delivery day")],
    plan_id: Annotated[
        UUID | None, Query(description="Which round; default the first with open stops")
    ] = None,
    vehicle_id: VehicleQuery = None,
) -> Response:
    """The vehicle's published route as GPX 1.1, for a navigation app."""
    vehicle = _vehicle(user, vehicle_id)
    rows = ctx.read(lambda db: dispatch_queries.driver_stops(db, on, vehicle))
    plans = list(dict.fromkeys(r.plan_id for r in rows))
    open_plans = [p for p in plans if any(r.plan_id == p and r.outcome == "dispatched" for r in rows)]
    chosen = plan_id or next(iter(open_plans or plans), None)
    if chosen is None or chosen not in plans:
        raise NotFound(N_("published route"), f"{vehicle} / {on.isoformat()}")
    gpx = planning.route_gpx(ctx.services, chosen, vehicle, request_language(request))
    return Response(gpx, media_type="application/gpx+xml")
