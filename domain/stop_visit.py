"""What happened at one stop of a published plan: delivered, failed, picked up, dropped off, no-show.

One small aggregate per stop keeps drivers' reports independent of each other (no write contention on
the plan) and makes each report idempotent: a retried report with the same key changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, Conflict, IllegalTransition, InvalidValue
from domain.route_plan import StopKind
from domain.values import Actor


class FailureReason(StrEnum):
    NOT_HOME = "not_home"
    REFUSED = "refused"
    ADDRESS_NOT_FOUND = "address_not_found"
    VEHICLE_PROBLEM = "vehicle_problem"


class Outcome(StrEnum):
    DISPATCHED = "dispatched"
    DELIVERED = "delivered"
    FAILED = "failed"
    PICKED_UP = "picked_up"
    DROPPED_OFF = "dropped_off"
    NO_SHOW = "no_show"


FINAL = frozenset({Outcome.DELIVERED, Outcome.DROPPED_OFF, Outcome.NO_SHOW})
ALLOWED = {
    StopKind.DELIVERY: frozenset({Outcome.DELIVERED, Outcome.FAILED}),
    StopKind.PICKUP: frozenset({Outcome.PICKED_UP, Outcome.NO_SHOW, Outcome.FAILED}),
    StopKind.DROPOFF: frozenset({Outcome.DROPPED_OFF, Outcome.FAILED}),
}


def stop_visit_id(plan_id: UUID, key: str) -> UUID:
    return uuid.uuid5(plan_id, key)


class StopVisit(Aggregate):
    """The outcome of one stop; a failed delivery may be retried, a delivered one is final."""

    @staticmethod
    def create_id(plan_id: UUID, key: str, **_: object) -> UUID:
        return stop_visit_id(plan_id, key)

    @event("Dispatched")
    def __init__(
        self, plan_id: UUID, key: str, kind: StopKind, household_id: UUID, vehicle_id: UUID, actor: Actor
    ) -> None:
        self.plan_id = plan_id
        self.key = key
        self.kind = StopKind(kind)
        self.household_id = household_id
        self.vehicle_id = vehicle_id
        self.outcome = Outcome.DISPATCHED
        self.report_keys: set[str] = set()

    def reassign(self, vehicle_id: UUID, actor: Actor) -> None:
        """The stop moved to another vehicle after publishing; only an open stop can move."""
        if self.outcome in FINAL:
            raise IllegalTransition(
                N_("stop {key} is already {outcome}; it cannot move"), key=self.key, outcome=self.outcome
            )
        if vehicle_id != self.vehicle_id:
            self._reassigned(vehicle_id, actor)

    @event("Reassigned")
    def _reassigned(self, vehicle_id: UUID, actor: Actor) -> None:
        self.vehicle_id = vehicle_id

    def report(
        self,
        outcome: Outcome,
        at: datetime,
        report_key: str,
        actor: Actor,
        receiver: str = "",
        reason: FailureReason | None = None,
        note: str = "",
    ) -> bool:
        """Record what the driver saw; returns False when this report key was already recorded."""
        if report_key in self.report_keys:
            return False
        self._check_report(outcome, at, report_key, reason)
        self._reported(Outcome(outcome), at, report_key, receiver, reason, note, actor, self.household_id)
        return True

    def _check_report(self, outcome: Outcome, at: datetime, key: str, reason: FailureReason | None) -> None:
        if not key.strip() or len(key) > 100:
            raise InvalidValue("idempotency_key", N_("send a non-empty key of at most 100 characters"))
        if at.tzinfo is None:
            raise InvalidValue("at", N_("needs a time zone"))
        if outcome not in ALLOWED[self.kind]:
            raise InvalidValue(
                "outcome", N_("{outcome} does not apply to a {kind} stop"), outcome=outcome, kind=self.kind
            )
        if outcome is Outcome.FAILED and reason is None:
            raise InvalidValue(
                "reason", N_("a failed stop names why (not_home, refused, address_not_found, ...)")
            )
        if self.outcome in FINAL or (
            self.outcome is Outcome.PICKED_UP and outcome is not Outcome.DROPPED_OFF
        ):
            raise Conflict(N_("stop {key} is already {outcome}"), key=self.key, outcome=self.outcome)

    @event("Reported")
    def _reported(
        self,
        outcome: Outcome,
        at: datetime,
        report_key: str,
        receiver: str,
        reason: FailureReason | None,
        note: str,
        actor: Actor,
        household_id: UUID | None = None,
    ) -> None:
        """`household_id` names the key that seals the receiver's name and the note."""
        self.outcome = Outcome(outcome)
        self.report_keys.add(report_key)
