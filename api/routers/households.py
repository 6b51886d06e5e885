"""Households (hane): register, read, move, change members and needs. Caseworkers, managers, admins."""

from __future__ import annotations

import dataclasses
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from api.routers.context import Caseworker, Ctx, Eraser
from api.schemas import (
    Created,
    Done,
    HouseholdCreate,
    HouseholdErase,
    HouseholdMatchPublic,
    HouseholdMove,
    HouseholdPublic,
    Location,
    MemberIn,
    MembersChange,
    NeedsChange,
)
from domain.household import Household
from domain.values import GeoPoint, Member, PersonalDetails
from projections.household_search import search_households

router = APIRouter(prefix="/api/households", tags=["households"])


def _members(members: list[MemberIn]) -> tuple[Member, ...]:
    return tuple(Member(m.name, m.birth_date) for m in members)


def _public(household: Household) -> HouseholdPublic:
    personal, point = household.personal, household.location
    return HouseholdPublic(
        id=household.id,
        name=personal.name,
        phone=personal.phone,
        address=personal.address_text,
        location=None if point is None else Location(lat=point.lat, lon=point.lon),
        district=household.district,
        neighbourhood=household.neighbourhood,
        members=[MemberIn(name=m.name, birth_date=m.birth_date) for m in household.members],
        needs=sorted(household.needs),
        open_applications=dict(household.open_applications),
        active_enrolments=dict(household.active_enrolments),
        erased=household.erased,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def register(body: HouseholdCreate, user: Caseworker, ctx: Ctx) -> Created:
    """Register a household with its contact, members and care needs."""
    personal = PersonalDetails(body.name, body.phone, body.address, body.national_id)
    with ctx.writing() as app:
        ident = app.register_household(
            personal,
            GeoPoint(body.location.lat, body.location.lon),
            body.district,
            body.neighbourhood,
            _members(body.members),
            tuple(body.needs),
            user.actor,
        )
    return Created(id=ident)


@router.get("")
def search(
    q: Annotated[str, Query(min_length=2, max_length=100, description="Part of a name or phone number.")],
    user: Caseworker,
    ctx: Ctx,
) -> list[HouseholdMatchPublic]:
    """Households whose contact name (Turkish case rules: `ışık` finds `IŞIK`, `isik` finds `Işık`) or
    phone contains `q`, in Turkish alphabetical order; at most 50."""
    matches = ctx.read(lambda db: search_households(db, q))
    return [HouseholdMatchPublic(**dataclasses.asdict(m)) for m in matches]


@router.get("/{household_id}")
def read(household_id: UUID, user: Caseworker, ctx: Ctx) -> HouseholdPublic:
    """One household with its personal data (caseworkers only: special-category data under KVKK)."""
    return _public(ctx.app.household(household_id))


@router.post("/{household_id}/move")
def move(household_id: UUID, body: HouseholdMove, user: Caseworker, ctx: Ctx) -> Done:
    """The household moved: new door, area and address."""
    location = GeoPoint(body.location.lat, body.location.lon)
    with ctx.writing() as app:
        app.move_household(
            household_id, location, body.district, body.neighbourhood, body.address, user.actor
        )
    return Done(id=household_id, message="moved")


@router.put("/{household_id}/members")
def change_members(household_id: UUID, body: MembersChange, user: Caseworker, ctx: Ctx) -> Done:
    """Replace the list of people living in the household (a birth, a death, someone moving in)."""
    with ctx.writing() as app:
        app.change_members(household_id, _members(body.members), user.actor)
    return Done(id=household_id, message="members changed")


@router.put("/{household_id}/needs")
def change_needs(household_id: UUID, body: NeedsChange, user: Caseworker, ctx: Ctx) -> Done:
    """Replace the household's care needs (diabetic, wheelchair user, ...)."""
    with ctx.writing() as app:
        app.change_needs(household_id, tuple(body.needs), user.actor)
    return Done(id=household_id, message="needs changed")


@router.post("/{household_id}/erase")
def erase(household_id: UUID, body: HouseholdErase, user: Eraser, ctx: Ctx) -> Done:
    """Erase the household's personal data for good (managers, admins); counts and statistics stay."""
    with ctx.writing() as app:
        app.erase_household(household_id, body.basis, body.reason, user.actor, body.end_enrolments)
    ctx.read(lambda views: views.scrub())  # catches the read models up (rows deleted), then scrubs
    return Done(id=household_id, message="erased")
