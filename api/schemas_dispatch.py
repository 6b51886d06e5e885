"""Request and response models of the dispatch side: fleet, plans, stops, reports from doors, trips."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas import Location, Reason, Request, Text
from domain.fleet import DepotKind, VehicleKind
from domain.programmes import Programme
from domain.route_plan import Round
from domain.stop_visit import FailureReason, Outcome

DAY_S = 24 * 3600
Key = Annotated[str, Field(min_length=1, max_length=200)]
ReplanLimit = Annotated[float, Field(gt=0, le=60, description="Solver time limit in seconds.")]


# -- depots and vehicles --------------------------------------------------------------------------------
class DepotCreate(Request):
    name: Text
    kind: DepotKind
    location: Location
    district: Text
    neighbourhood: Text


class DepotPublic(BaseModel):
    id: UUID
    name: str
    kind: DepotKind
    location: Location
    district: str
    neighbourhood: str
    closed: bool


class DepotClose(Request):
    reason: Reason


class VehicleCreate(Request):
    plate: Annotated[str, Field(min_length=2, max_length=20)]
    kind: VehicleKind
    capacities: Annotated[
        dict[str, Annotated[int, Field(ge=0, le=100_000)]], Field(min_length=1, max_length=5)
    ]
    shift_start: time
    shift_end: time
    depot_id: UUID
    wheelchair_lift: bool = False


class VehiclePublic(BaseModel):
    id: UUID
    plate: str
    kind: VehicleKind
    capacities: dict[str, int]
    shift_start: time
    shift_end: time
    depot_id: UUID
    wheelchair_lift: bool
    in_service: bool


class OutOfService(Request):
    reason: Reason


# -- plans ----------------------------------------------------------------------------------------------
class PlanCreate(Request):
    date: date
    programme: Programme
    round: Round
    time_limit_s: Annotated[float, Field(gt=0, le=300)] = 10.0


class PlanSummary(BaseModel):
    plan_id: UUID
    day: date
    programme: Programme
    round: Round
    status: str
    summary: dict[str, Any]
    routes: int
    routed_stops: int
    unserved_stops: int


class StopPublic(BaseModel):
    """A stop with what the driver needs at the door; `outcome` is `planned` until the plan is published."""

    plan_id: UUID
    key: str
    vehicle_id: UUID | None
    seq: int
    kind: str
    household_id: UUID
    lat: float | None = Field(description="None once the household's personal data was erased")
    lon: float | None = Field(description="None once the household's personal data was erased")
    eta_s: int
    window_start_s: int
    window_end_s: int
    quantity: int
    unit: str
    unserved_reason: str | None
    name: str
    phone: str
    address: str
    needs: list[str]
    outcome: str
    reported_at: str | None
    failure_reason: str | None


class RoutePublic(BaseModel):
    vehicle_id: UUID
    plate: str
    depot_id: UUID
    depart_s: int
    return_s: int
    distance_m: int
    duration_s: int
    stops: list[StopPublic]


class UnservedPublic(StopPublic):
    """A stop no route could take: the same fields as a routed stop, and the planner's reason."""

    reason: str


class PlanPublic(BaseModel):
    plan_id: UUID
    day: date
    programme: Programme
    round: Round
    status: str
    summary: dict[str, Any]
    routes: list[RoutePublic]
    unserved: list[UnservedPublic]


class ProgressPublic(BaseModel):
    vehicle_id: UUID
    stops: int
    done: int
    failed: int
    open: int
    late: int
    distance_m: int
    duration_s: int


class StopMove(Request):
    key: Key
    to_vehicle: UUID
    position: Annotated[int, Field(ge=0, le=1000)]
    reason: Reason


class Breakdown(Request):
    kind: Literal["breakdown"]
    vehicle_id: UUID
    at_s: Annotated[int, Field(ge=0, lt=DAY_S, description="Seconds from local midnight.")]
    reason: Reason
    time_limit_s: ReplanLimit = 5.0


class Cancellation(Request):
    kind: Literal["cancel"]
    keys: Annotated[list[Key], Field(min_length=1, max_length=500)]
    reason: Reason
    time_limit_s: ReplanLimit = 5.0


class NewRequests(Request):
    """Urgent trips or households enrolled since planning join the open part of the routes."""

    kind: Literal["new_requests"]
    reason: Reason
    time_limit_s: ReplanLimit = 5.0


Replan = Annotated[Breakdown | Cancellation | NewRequests, Field(discriminator="kind")]


class ReplanResult(BaseModel):
    plan_id: UUID
    moved: list[str]


# -- reports from the door ------------------------------------------------------------------------------
class StopReport(Request):
    outcome: Outcome
    at: AwareDatetime
    idempotency_key: Annotated[str, Field(min_length=1, max_length=100)]
    receiver: Annotated[str, Field(max_length=200)] = ""
    reason: FailureReason | None = None
    note: Annotated[str, Field(max_length=1000)] = ""


class ReportResult(BaseModel):
    """`recorded` is False when the same idempotency key had already been recorded (a retry)."""

    plan_id: UUID
    key: str
    outcome: Outcome
    recorded: bool


# -- trips ----------------------------------------------------------------------------------------------
class TripCreate(Request):
    household_id: UUID
    date: date
    destination: Location
    destination_name: Text
    appointment: time
    wheelchair: bool = False
    seats: Annotated[int, Field(ge=1, le=4)] = 1
    return_at: time | None = None
    pickup: Location | None = None


class TripCancel(Request):
    reason: Reason


class TripPublic(BaseModel):
    trip_id: UUID
    household_id: UUID
    pickup_lat: float
    pickup_lon: float
    destination_lat: float
    destination_lon: float
    destination_name: str
    appointment: time
    wheelchair: bool
    seats: int
    return_at: time | None


# -- reports --------------------------------------------------------------------------------------------
class DailyStatistics(BaseModel):
    day: date
    programme: Programme
    stops: int
    delivered: int
    failed: int
    quantity_delivered: int
    unserved: int


class AuditEntry(BaseModel):
    version: int
    event: str
    recorded_at: AwareDatetime
    actor: str
    role: str
    reason: str


class HistoryEntryPublic(BaseModel):
    """One event of a record's history (no personal data in `summary`)."""

    at: AwareDatetime
    record: str
    record_id: UUID
    version: int
    event: str
    actor: str
    role: str
    reason: str
    summary: str


class WhyFinding(BaseModel):
    """One step of a "why not served" answer: a catalogue code, its parameters and the sentence."""

    programme: str
    code: str
    served: bool
    params: dict[str, str]
    text: str


class ReportRowPublic(BaseModel):
    """One programme in one district (district "" = all districts) for a month or a year."""

    period: str
    programme: str
    district: str
    applications_received: int
    applications_assessed: int
    approved: int
    rejected: int
    households_served: int
    people_served: int
    delivered: int
    unit: str
