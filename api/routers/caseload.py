"""The caseload by programme and area, decisions per month, and the day's delivery manifest."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.routers.context import CaseloadReader, Ctx
from api.schemas import CaseloadPublic, DecisionsPublic, ManifestPublic
from domain.programmes import Programme
from domain.service import today_in_istanbul
from projections import queries

router = APIRouter(prefix="/api", tags=["caseload"])


@router.get("/caseload")
def caseload(
    user: CaseloadReader,
    ctx: Ctx,
    programme: Programme | None = None,
    district: str | None = None,
    on: Annotated[date | None, Query(description="Day of the caseload; default today")] = None,
) -> list[CaseloadPublic]:
    """Active, suspended and waiting households per programme, district and neighbourhood."""
    day = on or today_in_istanbul()
    rows = ctx.read(lambda db: queries.caseload(db, day, programme, district))
    return [CaseloadPublic(**dataclasses.asdict(row)) for row in rows]


@router.get("/caseload/decisions")
def decisions(
    user: CaseloadReader, ctx: Ctx, programme: Programme | None = None, district: str | None = None
) -> list[DecisionsPublic]:
    """Approvals, rejections and withdrawals per programme, district and month."""
    rows = ctx.read(lambda db: queries.decisions_by_month(db, programme, district))
    return [DecisionsPublic(**dataclasses.asdict(row)) for row in rows]


@router.get("/manifest")
def manifest(
    user: CaseloadReader,
    ctx: Ctx,
    programme: Programme,
    on: Annotated[date, Query(alias="date", description="Delivery day")],
) -> list[ManifestPublic]:
    """Every household that must receive `programme` on the day, how much, and its care needs."""
    rows = ctx.read(lambda db: queries.manifest(db, on, programme.value))
    return [ManifestPublic(**dataclasses.asdict(row)) for row in rows]
