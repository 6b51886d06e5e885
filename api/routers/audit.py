"""Tamper evidence over HTTP: the event log's hash chain, checked on demand (managers only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.audit import audit_log
from api.routers.context import Auditor, Ctx

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("/verify")
def verify(
    user: Auditor,
    ctx: Ctx,
    from_id: Annotated[int, Query(ge=1, description="First notification id to check")] = 1,
) -> dict[str, Any]:
    """Recompute the hash chain from `from_id` on: intact, how many events, the head, or the first break."""
    return audit_log(ctx.app.recorder, from_id)
