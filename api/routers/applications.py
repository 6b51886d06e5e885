"""Applications (başvuru): submit, list the queue, read, assess, approve, reject, withdraw."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from api.routers.context import Caseworker, Ctx
from api.schemas import (
    ApplicationCreate,
    ApplicationPublic,
    Approval,
    Assessment,
    Created,
    Done,
    EntitlementIn,
    PendingApplication,
    Rejection,
    Withdrawal,
)
from domain.application import AidApplication
from domain.programmes import Entitlement, Programme
from projections import queries

router = APIRouter(prefix="/api/applications", tags=["applications"])


def entitlement_of(body: EntitlementIn) -> Entitlement:
    return Entitlement(
        body.programme,
        body.quantity,
        body.cadence,
        weekdays=tuple(body.weekdays),
        day_of_month=body.day_of_month,
        meals=tuple(body.meals),
        wheelchair_place=body.wheelchair_place,
    )


def _public(a: AidApplication) -> ApplicationPublic:
    return ApplicationPublic(
        id=a.id,
        household_id=a.household_id,
        programme=a.programme,
        channel=a.channel,
        status=a.status.value,
        received_at=a.received_at,
        note=a.note,
        visit_note=a.visit_note,
        visited_on=a.visited_on,
        decided_on=a.decided_on,
        reason=a.reason,
        enrolment_id=a.enrolment_id,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def submit(body: ApplicationCreate, user: Caseworker, ctx: Ctx) -> Created:
    """Record an application as it arrived (153, WhatsApp, web, walk-in)."""
    with ctx.writing() as app:
        ident = app.submit_application(
            body.household_id, body.programme, body.channel, user.actor, body.received_at, body.note
        )
    return Created(id=ident)


@router.get("")
def pending(
    user: Caseworker, ctx: Ctx, programme: Programme | None = None, district: str | None = None
) -> list[PendingApplication]:
    """Open applications, oldest first: the caseworkers' work queue."""
    rows = ctx.read(lambda db: queries.pending_applications(db, programme, district))
    keys = PendingApplication.model_fields
    return [PendingApplication(**dict(zip(keys, row, strict=True))) for row in rows]


@router.get("/{application_id}")
def read(application_id: UUID, user: Caseworker, ctx: Ctx) -> ApplicationPublic:
    """One application with its assessment and decision."""
    return _public(ctx.app.aid_application(application_id))


@router.post("/{application_id}/assess")
def assess(application_id: UUID, body: Assessment, user: Caseworker, ctx: Ctx) -> Done:
    """Record the social assessment (sosyal inceleme) after the home visit."""
    with ctx.writing() as app:
        app.assess_application(application_id, body.visit_note, body.visited_on, user.actor)
    return Done(id=application_id, message="assessed")


@router.post("/{application_id}/approve", status_code=status.HTTP_201_CREATED)
def approve(application_id: UUID, body: Approval, user: Caseworker, ctx: Ctx) -> Created:
    """Approve an assessed application; returns the new enrolment's id."""
    entitlement = entitlement_of(body.entitlement) if body.entitlement else None
    with ctx.writing() as app:
        enrolment = app.approve_application(
            application_id,
            user.actor,
            decided_on=body.decided_on,
            entitlement=entitlement,
            start_date=body.start_date,
            end_date=body.end_date,
            note=body.note,
        )
    return Created(id=enrolment)


@router.post("/{application_id}/reject")
def reject(application_id: UUID, body: Rejection, user: Caseworker, ctx: Ctx) -> Done:
    """Reject an application with the reason the household will be told."""
    with ctx.writing() as app:
        app.reject_application(application_id, body.reason, user.actor, body.decided_on)
    return Done(id=application_id, message="rejected")


@router.post("/{application_id}/withdraw")
def withdraw(application_id: UUID, body: Withdrawal, user: Caseworker, ctx: Ctx) -> Done:
    """Withdraw an open application at the household's request."""
    with ctx.writing() as app:
        app.withdraw_application(application_id, body.reason, user.actor)
    return Done(id=application_id, message="withdrawn")
