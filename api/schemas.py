"""Request and response models of the casework side: sign-in, households, applications, enrolments.

Requests forbid unknown fields and bound every number and string, so a typo or an absurd value is a
422 that names the field before any command runs; the domain's own checks stay the last word.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.programmes import Cadence, Programme
from domain.values import Channel, LegalBasis, Need, Role

Text = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=2000)]
Language = Literal["tr", "en"]
Reason = Annotated[str, Field(min_length=1, max_length=500, description="Why; kept in the audit trail.")]


class Request(BaseModel):
    """Base of every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Created(BaseModel):
    """The id a command made."""

    id: UUID


class Done(BaseModel):
    """A command that changed an existing record."""

    id: UUID
    message: str


# -- sign-in and users ----------------------------------------------------------------------------------
class LoginRequest(Request):
    username: Annotated[str, Field(min_length=3, max_length=40)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenPublic(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: AwareDatetime
    username: str
    role: Role
    vehicle_id: UUID | None
    language: str | None = Field(description="The account's chosen language; null: the default (tr).")


class MePublic(BaseModel):
    username: str
    full_name: str
    role: Role
    vehicle_id: UUID | None
    language: str | None


class LanguageChange(Request):
    language: Language


class PasswordChange(Request):
    current_password: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Annotated[str, Field(min_length=10, max_length=200)]


class UserCreate(Request):
    username: Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[a-z0-9][a-z0-9._-]+$")]
    full_name: Text
    role: Role
    password: Annotated[str, Field(min_length=10, max_length=200)]
    vehicle_id: UUID | None = None


class UserPublic(BaseModel):
    username: str
    full_name: str
    role: Role
    vehicle_id: UUID | None
    active: bool
    language: Language | None


class UserDeactivate(Request):
    reason: Reason


class VehicleAssignment(Request):
    vehicle_id: UUID


# -- households -----------------------------------------------------------------------------------------
class Location(Request):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class MemberIn(Request):
    name: Text
    birth_date: date


class HouseholdCreate(Request):
    name: Text
    phone: Annotated[str, Field(min_length=10, max_length=20)]
    address: Annotated[str, Field(min_length=1, max_length=500)]
    national_id: Annotated[str, Field(max_length=11)] = ""
    location: Location
    district: Text
    neighbourhood: Text
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=30)]
    needs: Annotated[list[Need], Field(max_length=len(Need))] = []


class HouseholdMove(Request):
    location: Location
    district: Text
    neighbourhood: Text
    address: Annotated[str, Field(min_length=1, max_length=500)]


class MembersChange(Request):
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=30)]


class NeedsChange(Request):
    needs: Annotated[list[Need], Field(max_length=len(Need))]


class HouseholdPublic(BaseModel):
    id: UUID
    name: str
    phone: str
    address: str
    location: Location | None = Field(description="None once the household's personal data was erased")
    district: str
    neighbourhood: str
    members: list[MemberIn]
    needs: list[Need]
    open_applications: dict[Programme, UUID]
    active_enrolments: dict[Programme, UUID]
    erased: bool = False


class HouseholdErase(Request):
    """Erase a household's personal data (KVKK): the legal basis and the grounds are recorded."""

    basis: LegalBasis
    reason: Reason
    end_enrolments: bool = False


class HouseholdMatchPublic(BaseModel):
    """A household found by name or phone: enough to tell it apart and open it."""

    household_id: UUID
    name: str
    phone: str
    address: str
    district: str
    neighbourhood: str


# -- applications ---------------------------------------------------------------------------------------
class ApplicationCreate(Request):
    household_id: UUID
    programme: Programme
    channel: Channel
    received_at: AwareDatetime | None = None
    note: LongText = ""


class Assessment(Request):
    visit_note: Annotated[str, Field(min_length=1, max_length=2000)]
    visited_on: date


class EntitlementIn(Request):
    programme: Programme
    quantity: Annotated[int, Field(ge=1, le=100)]
    cadence: Cadence
    weekdays: Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(max_length=7)] = []
    day_of_month: Annotated[int | None, Field(ge=1, le=28)] = None
    meals: Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=3)] = []
    wheelchair_place: bool = False


class Approval(Request):
    decided_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    entitlement: EntitlementIn | None = None
    note: LongText = ""


class Rejection(Request):
    reason: Reason
    decided_on: date | None = None


class Withdrawal(Request):
    reason: Reason


class ApplicationPublic(BaseModel):
    id: UUID
    household_id: UUID
    programme: Programme
    channel: Channel
    status: str
    received_at: AwareDatetime
    note: str
    visit_note: str
    visited_on: date | None
    decided_on: date | None
    reason: str
    enrolment_id: UUID | None


class PendingApplication(BaseModel):
    id: UUID
    household_id: UUID
    programme: Programme
    channel: Channel
    status: str
    received_on: date
    district: str
    neighbourhood: str


# -- enrolments -----------------------------------------------------------------------------------------
class Suspension(Request):
    start: date
    until: date | None = None
    reason: Reason


class Resumption(Request):
    on: date


class EntitlementChange(Request):
    entitlement: EntitlementIn
    reason: Reason


class Ending(Request):
    on: date
    reason: Reason


class SuspensionPublic(BaseModel):
    start: date
    until: date | None
    reason: str


class EnrolmentPublic(BaseModel):
    id: UUID
    household_id: UUID
    programme: Programme
    application_id: UUID
    entitlement: EntitlementIn
    start_date: date
    end_date: date | None
    suspensions: list[SuspensionPublic]
    ended: bool
    end_reason: str


# -- caseload -------------------------------------------------------------------------------------------
class CaseloadPublic(BaseModel):
    programme: Programme
    district: str
    neighbourhood: str
    active: int
    suspended: int
    pending: int
    longest_wait_days: int
    mean_wait_days: float


class DecisionsPublic(BaseModel):
    programme: Programme
    district: str
    month: str
    approved: int
    rejected: int
    withdrawn: int


class ManifestPublic(BaseModel):
    enrolment_id: UUID
    household_id: UUID
    programme: Programme
    district: str
    neighbourhood: str
    lat: float
    lon: float
    quantity: int
    meals: list[str]
    wheelchair_place: bool
    needs: list[str]
