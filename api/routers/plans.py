"""Route plans: plan a day, list and read plans, the map, progress, publish, move, re-plan, close."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from api import planning
from api.routers.context import ApiContext, Ctx, Planner, PlanReader
from api.schemas import Done
from api.schemas_dispatch import (
    DAY_S,
    Breakdown,
    Cancellation,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    ProgressPublic,
    Replan,
    ReplanResult,
    RoutePublic,
    StopMove,
    StopPublic,
    UnservedPublic,
)
from domain.errors import N_, NotFound
from domain.programmes import Programme
from domain.route_plan import Round
from domain.service import ISTANBUL
from projections import dispatch_queries, fleet_queries
from projections.sql import ViewDatabase

router = APIRouter(prefix="/api/plans", tags=["plans"])
AsOf = Annotated[
    datetime | None,
    Query(description="As it stood at this past moment (Istanbul time unless it has an offset)"),
]


def plan_detail(ctx: ApiContext, plan_id: UUID) -> PlanPublic:
    """The plan's layout from its aggregate, each stop's contact and outcome from the read model."""
    plan = ctx.app.route_plan(plan_id)
    rows = ctx.read(lambda db: dispatch_queries.plan_stops(db, plan_id))
    plates = {UUID(v["id"]): v["plate"] for v in ctx.read(fleet_queries.vehicles)}
    stops = {row.key: StopPublic.model_validate(row, from_attributes=True) for row in rows}
    return PlanPublic(
        plan_id=plan.id,
        day=plan.day,
        programme=plan.programme,
        round=plan.round,
        status=plan.status.value,
        summary=plan.summary,
        routes=[
            RoutePublic(
                vehicle_id=r.vehicle_id,
                plate=plates.get(r.vehicle_id, ""),
                depot_id=r.depot_id,
                depart_s=r.depart_s,
                return_s=r.return_s,
                distance_m=r.distance_m,
                duration_s=r.duration_s,
                stops=[stops[s.key] for s in r.stops if s.key in stops],
            )
            for r in plan.routes
        ],
        unserved=[
            UnservedPublic(**stops[u.stop.key].model_dump(), reason=u.reason)
            for u in plan.unserved
            if u.stop.key in stops
        ],
    )


def plan_detail_as_of(ctx: ApiContext, plan_id: UUID, as_of: datetime) -> PlanPublic:
    """The plan as the read models showed it at a past moment (contacts as they are today)."""
    return ctx.read_as_of(as_of, lambda db: _plan_from_views(db, plan_id, as_of), with_personal=True)


def _plan_from_views(db: ViewDatabase, plan_id: UUID, as_of: datetime) -> PlanPublic:
    header = dispatch_queries.plan_header(db, plan_id)
    if header is None:
        raise NotFound(f"route plan (as of {as_of.isoformat()})", plan_id)
    plates = {UUID(v["id"]): v["plate"] for v in fleet_queries.vehicles(db)}
    stops = [
        StopPublic.model_validate(row, from_attributes=True)
        for row in dispatch_queries.plan_stops(db, plan_id)
    ]
    return PlanPublic(
        plan_id=plan_id,
        day=date.fromisoformat(header.day),
        programme=Programme(header.programme),
        round=Round(header.round),
        status=header.status,
        summary=header.summary,
        routes=[
            RoutePublic(
                **dataclasses.asdict(route),
                plate=plates.get(route.vehicle_id, ""),
                stops=sorted((s for s in stops if s.vehicle_id == route.vehicle_id), key=lambda s: s.seq),
            )
            for route in dispatch_queries.plan_routes(db, plan_id)
        ],
        unserved=[
            UnservedPublic(**s.model_dump(), reason=s.unserved_reason or "")
            for s in stops
            if s.vehicle_id is None
        ],
    )


def _seconds_now() -> int:
    now = datetime.now(ISTANBUL)
    return now.hour * 3600 + now.minute * 60 + now.second


@router.post("", status_code=status.HTTP_201_CREATED)
def plan_day(body: PlanCreate, user: Planner, ctx: Ctx) -> PlanPublic:
    """Solve the day's routes for a programme's round from its manifest (or trip bookings) and record them."""
    with ctx.planning() as services:
        plan_id = planning.plan_day(
            services, body.date, body.programme, body.round, user.actor, time_limit_s=body.time_limit_s
        )
    return plan_detail(ctx, plan_id)


@router.get("")
def plans_on(
    user: PlanReader,
    ctx: Ctx,
    on: Annotated[date, Query(alias="date", description="Plan day")],
    as_of: AsOf = None,
) -> list[PlanSummary]:
    """The day's plans with their status and sizes (as they stood at `as_of`, if given)."""

    def query(db: ViewDatabase) -> list[dispatch_queries.PlanRow]:
        return dispatch_queries.plans_on(db, on)

    rows = ctx.read(query) if as_of is None else ctx.read_as_of(as_of, query)
    return [PlanSummary.model_validate(row, from_attributes=True) for row in rows]


@router.get("/{plan_id}")
def read(
    plan_id: UUID,
    user: PlanReader,
    ctx: Ctx,
    as_of: AsOf = None,
) -> PlanPublic:
    """Routes with their stops and totals, and the stops no route could take with the reason."""
    return plan_detail(ctx, plan_id) if as_of is None else plan_detail_as_of(ctx, plan_id, as_of)


@router.get("/{plan_id}/geojson")
def geojson(plan_id: UUID, user: PlanReader, ctx: Ctx) -> dict[str, Any]:
    """Street-following route lines, stops and depots as a GeoJSON FeatureCollection."""
    return planning.plan_geojson(ctx.services, plan_id)


@router.get("/{plan_id}/progress")
def progress(
    plan_id: UUID,
    user: PlanReader,
    ctx: Ctx,
    now_s: Annotated[
        int | None, Query(ge=0, lt=DAY_S, description="Seconds from midnight; default now")
    ] = None,
) -> list[ProgressPublic]:
    """Per route: stops done, failed, open and late against their ETA."""
    clock = _seconds_now() if now_s is None else now_s
    rows = ctx.read(lambda db: dispatch_queries.progress(db, plan_id, clock))
    if not rows and not ctx.app.exists(plan_id):
        raise NotFound(N_("route plan"), plan_id)
    return [ProgressPublic.model_validate(row, from_attributes=True) for row in rows]


@router.post("/{plan_id}/publish")
def publish(plan_id: UUID, user: Planner, ctx: Ctx) -> Done:
    """Send the routes to the drivers' phones."""
    with ctx.writing() as app:
        app.publish_plan(plan_id, user.actor)
    return Done(id=plan_id, message="published")


@router.post("/{plan_id}/move-stop")
def move_stop(plan_id: UUID, body: StopMove, user: Planner, ctx: Ctx) -> PlanPublic:
    """Put a stop on a vehicle at a position by hand; times are re-evaluated, rules still apply."""
    with ctx.planning() as services:
        planning.move_stop(
            services, plan_id, body.key, body.to_vehicle, body.position, body.reason, user.actor
        )
    return plan_detail(ctx, plan_id)


@router.post("/{plan_id}/replan")
def replan(plan_id: UUID, body: Replan, user: Planner, ctx: Ctx) -> ReplanResult:
    """Re-plan the open part of the day: after a breakdown (its undone stops go to other vans),
    for cancelled stops, or to add urgent requests made since planning. Returns the stops that moved."""
    with ctx.planning() as services:
        if isinstance(body, Breakdown):
            moved = planning.replan_breakdown(
                services, plan_id, body.vehicle_id, body.at_s, body.reason, user.actor, body.time_limit_s
            )
        elif isinstance(body, Cancellation):
            moved = planning.replan_cancel(
                services, plan_id, body.keys, body.reason, user.actor, body.time_limit_s
            )
        else:
            moved = planning.replan_new_requests(
                services, plan_id, body.reason, user.actor, body.time_limit_s
            )
    return ReplanResult(plan_id=plan_id, moved=moved)


@router.post("/{plan_id}/close")
def close(plan_id: UUID, user: Planner, ctx: Ctx) -> Done:
    """Close the day's plan: no more changes."""
    with ctx.writing() as app:
        app.close_plan(plan_id, user.actor)
    return Done(id=plan_id, message="closed")
