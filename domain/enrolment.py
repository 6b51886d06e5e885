"""The enrolment (hak sahipliği): a household approved into a programme, with its entitlement and pauses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, IllegalTransition, InvalidValue, Term
from domain.programmes import Entitlement, Programme
from domain.values import Actor


@dataclass(frozen=True)
class Suspension:
    """A pause in deliveries, inclusive of both ends; `until` None means until resumed."""

    start: date
    until: date | None
    reason: str

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


class Enrolment(Aggregate):
    """What a beneficiary household receives, from when, and the pauses in between."""

    @event("Started")
    def __init__(
        self,
        household_id: UUID,
        programme: Programme,
        application_id: UUID,
        entitlement: Entitlement,
        start_date: date,
        end_date: date | None,
        actor: Actor,
    ) -> None:
        self.household_id = household_id
        self.programme = Programme(programme)
        self.application_id = application_id
        self.entitlement = entitlement
        self.start_date = start_date
        self.end_date = end_date
        self.suspensions: list[Suspension] = []
        self.ended = False
        self.end_reason = ""

    @staticmethod
    def check_dates(start_date: date, end_date: date | None) -> None:
        if end_date is not None and end_date < start_date:
            raise InvalidValue(
                "end_date",
                N_("{end_date} is before the start date {start_date}"),
                end_date=end_date,
                start_date=start_date,
            )

    def suspend(self, start: date, until: date | None, reason: str, actor: Actor) -> None:
        """Pause deliveries (hospital stay, travelling); pauses may not overlap."""
        self._check_not_ended(N_("suspend"))
        if not reason.strip():
            raise InvalidValue(
                "reason", N_("a suspension states its reason (hospital stay, travelling, ...)")
            )
        if start < self.start_date:
            raise InvalidValue(
                "start",
                N_("{start} is before the enrolment started on {start_date}"),
                start=start,
                start_date=self.start_date,
            )
        if until is not None and until < start:
            raise InvalidValue(
                "until", N_("{until} is before the suspension starts on {start}"), until=until, start=start
            )
        for pause in self.suspensions:
            overlaps = (until is None or pause.start <= until) and (
                pause.until is None or start <= pause.until
            )
            if overlaps:
                raise IllegalTransition(
                    N_("enrolment {id} is already suspended from {start}"), id=self.id, start=pause.start
                )
        self._suspended(start, until, reason, actor, self.household_id)

    @event("Suspended")
    def _suspended(
        self, start: date, until: date | None, reason: str, actor: Actor, household_id: UUID | None = None
    ) -> None:
        """`household_id` names the key that seals the reason (it may be about health)."""
        self.suspensions.append(Suspension(start, until, reason))

    def resume(self, on: date, actor: Actor) -> None:
        """End the pause that covers `on` (or the open-ended one) so deliveries restart on `on`."""
        self._check_not_ended(N_("resume"))
        current = [p for p in self.suspensions if p.covers(on) or (p.until is None and on >= p.start)]
        if not current:
            raise IllegalTransition(N_("enrolment {id} is not suspended on {on}"), id=self.id, on=on)
        self._resumed(on, actor)

    @event("Resumed")
    def _resumed(self, on: date, actor: Actor) -> None:
        for index, pause in enumerate(self.suspensions):
            if pause.covers(on) or (pause.until is None and on >= pause.start):
                self.suspensions[index] = Suspension(pause.start, on - timedelta(days=1), pause.reason)

    def change_entitlement(self, entitlement: Entitlement, reason: str, actor: Actor) -> None:
        """Change what or when the household receives (a new child, a reassigned milk day)."""
        self._check_not_ended(N_("change the entitlement of"))
        if entitlement.programme is not self.programme:
            raise InvalidValue("entitlement.programme", N_("must stay {programme}"), programme=self.programme)
        if not reason.strip():
            raise InvalidValue("reason", N_("an entitlement change states its reason"))
        self._entitlement_changed(entitlement, reason, actor)

    @event("EntitlementChanged")
    def _entitlement_changed(self, entitlement: Entitlement, reason: str, actor: Actor) -> None:
        self.entitlement = entitlement

    def end(self, on: date, reason: str, actor: Actor) -> None:
        """Close the enrolment; the last delivery day is `on`."""
        self._check_not_ended(N_("end"))
        if not reason.strip():
            raise InvalidValue("reason", N_("ending an enrolment states its reason"))
        if on < self.start_date - timedelta(days=1):
            raise InvalidValue(
                "on",
                N_("{on} is before the enrolment started on {start_date}"),
                on=on,
                start_date=self.start_date,
            )
        self._ended(on, reason, actor)

    @event("Ended")
    def _ended(self, on: date, reason: str, actor: Actor) -> None:
        self.ended = True
        self.end_reason = reason
        self.end_date = on if self.end_date is None else min(on, self.end_date)

    def is_due_on(self, day: date) -> bool:
        """Whether the household must receive something on `day` (the manifest's rule, from the aggregate)."""
        if day < self.start_date or (self.end_date is not None and day > self.end_date):
            return False
        if any(pause.covers(day) for pause in self.suspensions):
            return False
        return self.entitlement.is_due_on(day)

    def _check_not_ended(self, verb: str) -> None:
        if self.ended:
            raise IllegalTransition(
                N_("cannot {verb} enrolment {id}: it ended on {end_date}"),
                verb=Term(verb),
                id=self.id,
                end_date=self.end_date,
            )
