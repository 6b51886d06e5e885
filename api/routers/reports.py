"""Managers' and dispatchers' reports: daily delivery statistics, failed stops, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.routers.context import Auditor, Ctx, ReportReader
from api.schemas_dispatch import AuditEntry, DailyStatistics, StopPublic
from domain.errors import N_, InvalidValue, NotFound
from projections import dispatch_queries

router = APIRouter(prefix="/api/reports", tags=["reports"])

LONGEST_RANGE = timedelta(days=366)


@router.get("/daily")
def daily(
    user: ReportReader,
    ctx: Ctx,
    first: Annotated[date, Query(alias="from", description="First day")],
    last: Annotated[date, Query(alias="to", description="Last day (inclusive)")],
) -> list[DailyStatistics]:
    """Per day and programme: stops planned, delivered, failed, unserved, and quantities handed over."""
    if not first <= last <= first + LONGEST_RANGE:
        raise InvalidValue(
            "to", N_("must be on or after 'from' and at most {days} days later"), days=LONGEST_RANGE.days
        )
    rows = ctx.read(lambda db: dispatch_queries.daily_statistics(db, first, last))
    return [DailyStatistics(**row) for row in rows]


@router.get("/failed")
def failed(
    user: ReportReader, ctx: Ctx, on: Annotated[date, Query(alias="date", description="Delivery day")]
) -> list[StopPublic]:
    """The day's failed deliveries, waiting for the dispatcher's follow-up call."""
    return [
        StopPublic.model_validate(row, from_attributes=True)
        for row in ctx.read(lambda db: dispatch_queries.failed_stops(db, on))
    ]


@router.get("/audit/{aggregate_id}")
def audit(aggregate_id: UUID, user: Auditor, ctx: Ctx) -> list[AuditEntry]:
    """Who did what to one record, when, and why (managers only)."""
    events = ctx.app.events_of(aggregate_id)
    if not events:
        raise NotFound(N_("record"), aggregate_id)
    return [
        AuditEntry(
            version=e.originator_version,
            event=type(e).__qualname__,
            recorded_at=e.timestamp,
            actor=getattr(getattr(e, "actor", None), "user", ""),
            role=str(getattr(getattr(e, "actor", None), "role", "")),
            reason=str(getattr(e, "reason", "") or ""),
        )
        for e in events
    ]
