"""Enrolments (hak sahipliği): read, suspend, resume, change the entitlement, end."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api.routers.applications import entitlement_of
from api.routers.context import Caseworker, Ctx
from api.schemas import (
    Done,
    Ending,
    EnrolmentPublic,
    EntitlementChange,
    EntitlementIn,
    Resumption,
    Suspension,
    SuspensionPublic,
)
from domain.enrolment import Enrolment

router = APIRouter(prefix="/api/enrolments", tags=["enrolments"])


def _public(e: Enrolment) -> EnrolmentPublic:
    granted = e.entitlement
    return EnrolmentPublic(
        id=e.id,
        household_id=e.household_id,
        programme=e.programme,
        application_id=e.application_id,
        entitlement=EntitlementIn(
            programme=granted.programme,
            quantity=granted.quantity,
            cadence=granted.cadence,
            weekdays=list(granted.weekdays),
            day_of_month=granted.day_of_month,
            meals=list(granted.meals),
            wheelchair_place=granted.wheelchair_place,
        ),
        start_date=e.start_date,
        end_date=e.end_date,
        suspensions=[SuspensionPublic(start=p.start, until=p.until, reason=p.reason) for p in e.suspensions],
        ended=e.ended,
        end_reason=e.end_reason,
    )


@router.get("/{enrolment_id}")
def read(enrolment_id: UUID, user: Caseworker, ctx: Ctx) -> EnrolmentPublic:
    """One enrolment with its entitlement and pauses."""
    return _public(ctx.app.enrolment(enrolment_id))


@router.post("/{enrolment_id}/suspend")
def suspend(enrolment_id: UUID, body: Suspension, user: Caseworker, ctx: Ctx) -> Done:
    """Pause deliveries (hospital stay, travelling)."""
    with ctx.writing() as app:
        app.suspend_enrolment(enrolment_id, body.start, body.reason, user.actor, until=body.until)
    return Done(id=enrolment_id, message="suspended")


@router.post("/{enrolment_id}/resume")
def resume(enrolment_id: UUID, body: Resumption, user: Caseworker, ctx: Ctx) -> Done:
    """Restart deliveries on a day."""
    with ctx.writing() as app:
        app.resume_enrolment(enrolment_id, body.on, user.actor)
    return Done(id=enrolment_id, message="resumed")


@router.put("/{enrolment_id}/entitlement")
def change_entitlement(enrolment_id: UUID, body: EntitlementChange, user: Caseworker, ctx: Ctx) -> Done:
    """Change what or when the household receives."""
    with ctx.writing() as app:
        app.change_entitlement(enrolment_id, entitlement_of(body.entitlement), body.reason, user.actor)
    return Done(id=enrolment_id, message="entitlement changed")


@router.post("/{enrolment_id}/end")
def end(enrolment_id: UUID, body: Ending, user: Caseworker, ctx: Ctx) -> Done:
    """End an enrolment (moved away, no longer eligible, deceased)."""
    with ctx.writing() as app:
        app.end_enrolment(enrolment_id, body.on, body.reason, user.actor)
    return Done(id=enrolment_id, message="ended")
