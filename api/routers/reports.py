"""Managers' and dispatchers' reports: daily delivery statistics, failed stops, and the audit trail."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.i18n import translator
from api.report_tables import csv_text, readable
from api.routers.context import Auditor, CaseloadReader, Ctx, ReportReader
from api.schemas_dispatch import (
    AuditEntry,
    DailyStatistics,
    HistoryEntryPublic,
    ReportRowPublic,
    StopPublic,
    WhyFinding,
)
from api.wording import finding_text
from domain.errors import N_, InvalidValue, NotFound
from domain.programmes import Programme
from projections import dispatch_queries, history, report_queries, why

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


@router.get("/monthly", response_model=None)
def monthly(
    user: ReportReader,
    ctx: Ctx,
    year: Annotated[int, Query(ge=2000, le=2100)],
    month: Annotated[int | None, Query(ge=1, le=12, description="Default: every month of the year")] = None,
    format: Annotated[Literal["json", "csv"], Query(description="csv: a file for spreadsheets")] = "json",
    lang: Annotated[
        Literal["tr", "en"] | None, Query(description="Language of the CSV's columns; default the reader's")
    ] = None,
) -> list[ReportRowPublic] | Response:
    """Per month, programme and district: applications, households and people served, amounts delivered."""
    months = [month] if month else list(range(1, 13))
    rows = ctx.read(lambda db: [row for m in months for row in report_queries.report(db, year, m)])
    return _published(
        rows, format, lang or translator().lang, f"kapida-aylik-{year}{f'-{month:02d}' if month else ''}"
    )


@router.get("/yearly", response_model=None)
def yearly(
    user: ReportReader,
    ctx: Ctx,
    year: Annotated[int, Query(ge=2000, le=2100)],
    format: Annotated[Literal["json", "csv"], Query(description="csv: a file for spreadsheets")] = "json",
    lang: Annotated[
        Literal["tr", "en"] | None, Query(description="Language of the CSV's columns; default the reader's")
    ] = None,
) -> list[ReportRowPublic] | Response:
    """The year's figures per programme and district, with each programme's total (district "")."""
    rows = ctx.read(lambda db: report_queries.report(db, year))
    return _published(rows, format, lang or translator().lang, f"kapida-yillik-{year}")


def _published(
    rows: list[report_queries.ReportRow], format: str, lang: str, name: str
) -> list[ReportRowPublic] | Response:
    if format == "json":
        return [ReportRowPublic(**dataclasses.asdict(row)) for row in rows]
    return Response(
        csv_text(readable(rows, lang)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/history/{record_id}")
def record_history(
    record_id: UUID,
    user: Auditor,
    ctx: Ctx,
    related: Annotated[
        bool, Query(description="A household's applications, enrolments, trips, stops too")
    ] = True,
) -> list[HistoryEntryPublic]:
    """Every event of a record in time order: who, role, why, and a summary without personal data."""
    entries = ctx.read(lambda db: history.history(ctx.app, db, record_id, related))
    return [HistoryEntryPublic.model_validate(e, from_attributes=True) for e in entries]


@router.get("/why/{household_id}")
def why_not_served(
    household_id: UUID,
    user: CaseloadReader,
    ctx: Ctx,
    on: Annotated[date, Query(alias="date", description="The day in question")],
    programme: Programme | None = None,
    lang: Annotated[
        Literal["tr", "en"] | None, Query(description="Language of `text`; default the reader's")
    ] = None,
) -> list[WhyFinding]:
    """Why the household got nothing on the day: per programme, the first obstacle (who, when, why)."""
    findings = ctx.read(lambda db: why.why_not_served(ctx.app, db, household_id, on, programme))
    return [
        WhyFinding(
            programme=f.programme,
            code=f.code,
            served=f.served,
            params=f.params,
            text=finding_text(f, lang or translator().lang),
        )
        for f in findings
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
