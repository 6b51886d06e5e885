"""The caseload by programme and area, decisions per month, and the day's delivery manifest."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query

from api.routers.context import ApiContext, CaseloadReader, Ctx
from api.schemas import CaseloadPublic, DecisionsPublic, ManifestPublic
from domain.programmes import Programme
from domain.service import ISTANBUL, today_in_istanbul
from projections import queries
from projections.asof import past_moment
from projections.caseload import CaseloadView
from projections.sql import ViewDatabase

router = APIRouter(prefix="/api", tags=["caseload"])
T = TypeVar("T")
AsOf = Annotated[
    datetime | None,
    Query(description="As it stood at this past moment (Istanbul time unless it has an offset)"),
]


def _read(
    ctx: ApiContext, as_of: datetime | None, query: Callable[[ViewDatabase], T], with_personal: bool = False
) -> T:
    """The live caseload view, or the one as of a past moment (today's coordinates and needs if asked)."""
    if as_of is None:
        return ctx.read(query)
    return ctx.read_as_of(as_of, query, (CaseloadView(),), with_personal)


@router.get("/caseload")
def caseload(
    user: CaseloadReader,
    ctx: Ctx,
    programme: Programme | None = None,
    district: str | None = None,
    on: Annotated[date | None, Query(description="Day of the caseload; default today")] = None,
    as_of: AsOf = None,
) -> list[CaseloadPublic]:
    """Active, suspended and waiting households per programme, district and neighbourhood."""
    day = on or (past_moment(as_of).astimezone(ISTANBUL).date() if as_of else today_in_istanbul())
    rows = _read(ctx, as_of, lambda db: queries.caseload(db, day, programme, district))
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
    as_of: AsOf = None,
) -> list[ManifestPublic]:
    """Every household that must receive `programme` on the day, how much, and its care needs."""
    rows = _read(ctx, as_of, lambda db: queries.manifest(db, on, programme.value), with_personal=True)
    return [ManifestPublic(**dataclasses.asdict(row)) for row in rows]
