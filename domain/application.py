"""The application (başvuru): submitted through a channel, assessed by a visit, then decided once."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, IllegalTransition, InvalidValue, Term
from domain.programmes import Entitlement, Programme
from domain.values import Actor, Channel


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    ASSESSED = "assessed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.ASSESSED})


class AidApplication(Aggregate):
    """A household's request for one programme; every decision is final and carries its reason."""

    @event("Submitted")
    def __init__(
        self,
        household_id: UUID,
        programme: Programme,
        channel: Channel,
        received_at: datetime,
        note: str,
        actor: Actor,
    ) -> None:
        self.household_id = household_id
        self.programme = Programme(programme)
        self.channel = Channel(channel)
        self.received_at = received_at
        self.note = note
        self.status = ApplicationStatus.SUBMITTED
        self.visit_note = ""
        self.visited_on: date | None = None
        self.decided_on: date | None = None
        self.reason = ""
        self.enrolment_id: UUID | None = None

    def assess(self, visit_note: str, visited_on: date, actor: Actor) -> None:
        """Record the caseworker's home visit; may be repeated while the application is open."""
        self._check_open(N_("assess"))
        if not visit_note.strip():
            raise InvalidValue("visit_note", N_("an assessment records what the home visit found"))
        if visited_on < self.received_at.date():
            raise InvalidValue(
                "visited_on", N_("{visited_on} is before the application arrived"), visited_on=visited_on
            )
        self._assessed(visit_note, visited_on, actor, self.household_id)

    @event("Assessed")
    def _assessed(
        self, visit_note: str, visited_on: date, actor: Actor, household_id: UUID | None = None
    ) -> None:
        """`household_id` names the key that seals the visit note (crypto-shredding)."""
        self.visit_note = visit_note
        self.visited_on = visited_on
        self.status = ApplicationStatus.ASSESSED

    def approve(
        self, entitlement: Entitlement, decided_on: date, enrolment_id: UUID, note: str, actor: Actor
    ) -> None:
        """Approve an assessed application; the enrolment it creates is named here for the audit trail."""
        if self.status is not ApplicationStatus.ASSESSED:
            self._check_open(N_("approve"))
            raise IllegalTransition(
                N_("application {id} must be assessed (home visit) before approval"), id=self.id
            )
        self._check_decision_date(decided_on)
        if entitlement.programme is not self.programme:
            raise InvalidValue(
                "entitlement.programme",
                N_("must be {programme}, the programme applied for"),
                programme=self.programme,
            )
        self._approved(entitlement, decided_on, enrolment_id, note, actor, self.household_id)

    @event("Approved")
    def _approved(
        self,
        entitlement: Entitlement,
        decided_on: date,
        enrolment_id: UUID,
        note: str,
        actor: Actor,
        household_id: UUID | None = None,
    ) -> None:
        self.status = ApplicationStatus.APPROVED
        self.decided_on = decided_on
        self.enrolment_id = enrolment_id
        self.reason = note

    def reject(self, reason: str, decided_on: date, actor: Actor) -> None:
        self._check_open(N_("reject"))
        if not reason.strip():
            raise InvalidValue("reason", N_("a rejection states its reason"))
        self._check_decision_date(decided_on)
        self._rejected(reason, decided_on, actor)

    @event("Rejected")
    def _rejected(self, reason: str, decided_on: date, actor: Actor) -> None:
        self.status = ApplicationStatus.REJECTED
        self.decided_on = decided_on
        self.reason = reason

    def withdraw(self, reason: str, actor: Actor) -> None:
        self._check_open(N_("withdraw"))
        if not reason.strip():
            raise InvalidValue("reason", N_("a withdrawal states its reason"))
        self._withdrawn(reason, actor)

    @event("Withdrawn")
    def _withdrawn(self, reason: str, actor: Actor) -> None:
        self.status = ApplicationStatus.WITHDRAWN
        self.reason = reason

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def _check_open(self, verb: str) -> None:
        if not self.is_open:
            raise IllegalTransition(
                N_("cannot {verb} application {id}: it is already {status}"),
                verb=Term(verb),
                id=self.id,
                status=self.status,
            )

    def _check_decision_date(self, decided_on: date) -> None:
        if decided_on < self.received_at.date():
            raise InvalidValue(
                "decided_on", N_("{decided_on} is before the application arrived"), decided_on=decided_on
            )
        if self.visited_on is not None and decided_on < self.visited_on:
            raise InvalidValue(
                "decided_on",
                N_("{decided_on} is before the home visit on {visited_on}"),
                decided_on=decided_on,
                visited_on=self.visited_on,
            )
