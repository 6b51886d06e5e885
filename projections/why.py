"""Why was a household not served on a day? The case's own events, then the day's plans, in that order.

The case side (registration, applications, enrolments, pauses, entitlements) comes from the household's
events and its applications' and enrolments' events, so each finding can say who decided, when and why.
The delivery side (plans, unassigned stops with the solver's reason, drivers' reports) comes from the
dispatch read model, plus the stop's own events for who reported it. Each finding is a catalogue key
(`why.<code>` in `api/static/i18n/*.json`) with its parameters, so every language words it its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from domain.errors import N_, NotFound
from projections.caseload import ISTANBUL
from projections.decoding import value
from projections.history import RecordedEvent, record_events
from projections.sql import ViewDatabase

SERVED = ("delivered", "dropped_off", "picked_up")


@dataclass(frozen=True)
class Finding:
    """One step of the answer: `code` names the catalogue entry, `params` fill it in."""

    code: str
    programme: str = ""
    params: dict[str, str] = field(default_factory=dict)
    served: bool = False


def local_day(moment: datetime) -> date:
    return moment.astimezone(ISTANBUL).date()


def why_not_served(
    app: Application, views: ViewDatabase, household_id: UUID, day: date, programme: str | None = None
) -> list[Finding]:
    """The reasons, programme by programme, why the household got nothing (or what it got) on `day`."""
    events = record_events(app, household_id)
    if not events or events[0].name != "Household.Registered":
        raise NotFound(N_("household"), household_id)
    registered = local_day(events[0].at)
    cases: dict[str, tuple[list[UUID], list[UUID]]] = {}
    for event in events:
        if event.name in ("Household.ApplicationOpened", "Household.EnrolmentLinked"):
            prog = str(event.fields["programme"])
            applications, enrolments = cases.setdefault(prog, ([], []))
            if event.name == "Household.ApplicationOpened":
                applications.append(UUID(value(event.fields["application_id"])))
            else:
                enrolments.append(UUID(value(event.fields["enrolment_id"])))
    wanted = [programme] if programme else sorted(cases)
    if not wanted:
        return [_nothing_asked(day, "", registered)]
    return [
        _programme(app, views, household_id, day, prog, registered, *cases.get(prog, ([], [])))
        for prog in wanted
    ]


def _nothing_asked(day: date, programme: str, registered: date) -> Finding:
    """No application by `day`: perhaps the household was not even registered yet (by its record's date)."""
    if registered > day:
        params = {"day": day.isoformat(), "registered_on": registered.isoformat()}
        return Finding("not_registered_yet", programme, params)
    return Finding("no_application", programme, {"day": day.isoformat()})


def _programme(
    app: Application,
    views: ViewDatabase,
    household_id: UUID,
    day: date,
    programme: str,
    registered: date,
    applications: list[UUID],
    enrolments: list[UUID],
) -> Finding:
    """The first reason on the way from application to doorstep that stopped this programme's delivery."""
    periods = [_Enrolment(record_events(app, e)) for e in enrolments]
    started = [p for p in periods if p.start <= day]
    if not started:
        later = sorted(p.start for p in periods)
        if later:
            return Finding("enrolment_not_started", programme, {"start": later[0].isoformat()})
        return _application_finding(app, day, programme, registered, applications)
    current = max(started, key=lambda p: p.start)
    return current.finding(day, programme) or _delivery(app, views, household_id, day, programme, current)


def _application_finding(
    app: Application, day: date, programme: str, registered: date, applications: list[UUID]
) -> Finding:
    """No enrolment began by `day`: what became of the last application received by then."""
    trails = [record_events(app, a) for a in applications]
    received = [t for t in trails if t and _received_on(t[0]) <= day]
    if not received:
        return _nothing_asked(day, programme, registered)
    trail = max(received, key=lambda t: _received_on(t[0]))
    decided = [e for e in trail if e.name in ("AidApplication.Rejected", "AidApplication.Withdrawn")]
    if decided and _decided_on(decided[-1]) <= day:
        last = decided[-1]
        code = "application_rejected" if last.name.endswith("Rejected") else "application_withdrawn"
        return Finding(code, programme, _who(last) | {"reason": str(last.fields.get("reason", ""))})
    assessed = [e for e in trail if e.name == "AidApplication.Assessed"]
    params = {"received_on": _received_on(trail[0]).isoformat(), "assessed": "1" if assessed else "0"}
    return Finding("application_pending", programme, params | _who(assessed[-1] if assessed else trail[0]))


def _received_on(submitted: RecordedEvent) -> date:
    """The day the application arrived (by phone, WhatsApp, ...), which may precede its recording."""
    return local_day(datetime.fromisoformat(value(submitted.fields["received_at"])))


def _decided_on(event: RecordedEvent) -> date:
    decided = event.fields.get("decided_on")
    return date.fromisoformat(value(decided)) if decided else local_day(event.at)


def _who(event: RecordedEvent) -> dict[str, str]:
    return {
        "by": event.user,
        "role": event.role,
        "at": event.at.astimezone(ISTANBUL).isoformat(timespec="minutes"),
    }


class _Enrolment:
    """One enrolment's dates, pauses and entitlements, read from its events."""

    def __init__(self, events: list[RecordedEvent]) -> None:
        started = events[0].fields
        self.events = events
        self.start = date.fromisoformat(value(started["start_date"]))
        self.end = date.fromisoformat(value(started["end_date"])) if started.get("end_date") else None
        self.ended: RecordedEvent | None = None
        self.pauses: list[tuple[date, date | None, RecordedEvent]] = []
        for event in events[1:]:
            if event.name == "Enrolment.Suspended":
                until = event.fields.get("until")
                start = date.fromisoformat(value(event.fields["start"]))
                self.pauses.append((start, date.fromisoformat(value(until)) if until else None, event))
            elif event.name == "Enrolment.Resumed":
                self._resume(date.fromisoformat(value(event.fields["on"])))
            elif event.name == "Enrolment.Ended":
                self.ended = event
                on = date.fromisoformat(value(event.fields["on"]))
                self.end = on if self.end is None or self.end > on else self.end

    def _resume(self, on: date) -> None:
        self.pauses = [
            (
                start,
                date.fromordinal(on.toordinal() - 1)
                if start <= on and (until is None or until >= on)
                else until,
                e,
            )
            for start, until, e in self.pauses
        ]

    def entitlement(self, day: date) -> dict[str, Any]:
        """The entitlement in force at the end of `day` (changes count from when they were recorded)."""
        chosen = value(self.events[0].fields["entitlement"])
        for event in self.events[1:]:
            if event.name == "Enrolment.EntitlementChanged" and local_day(event.at) <= day:
                chosen = value(event.fields["entitlement"])
        return dict(chosen)

    def finding(self, day: date, programme: str) -> Finding | None:
        """Ended, paused or not due by cadence on `day`; None when a delivery was due."""
        if self.end is not None and self.end < day:
            params = {"on": self.end.isoformat()}
            if self.ended is None:
                return Finding("enrolment_period_over", programme, params)
            params |= _who(self.ended) | {"reason": str(self.ended.fields.get("reason", ""))}
            return Finding("enrolment_ended", programme, params)
        for start, until, event in self.pauses:
            if start <= day and (until is None or until >= day):
                params = {"start": start.isoformat(), "until": until.isoformat() if until else "—"}
                return Finding(
                    "suspended", programme, params | _who(event) | {"reason": str(event.fields["reason"])}
                )
        return self._cadence(day, programme)

    def _cadence(self, day: date, programme: str) -> Finding | None:
        entitlement = self.entitlement(day)
        cadence = entitlement["cadence"]
        weekdays = [int(d) for d in entitlement.get("weekdays") or ()]
        if cadence == "weekly" and day.weekday() not in weekdays:
            days = ",".join(str(d + 1) for d in sorted(weekdays))
            return Finding("not_due_weekly", programme, {"weekdays": days, "weekday": str(day.isoweekday())})
        if cadence == "monthly" and entitlement.get("day_of_month") != day.day:
            return Finding(
                "not_due_monthly", programme, {"day_of_month": str(entitlement.get("day_of_month"))}
            )
        return None


def _delivery(
    app: Application,
    views: ViewDatabase,
    household_id: UUID,
    day: date,
    programme: str,
    enrolment: _Enrolment,
) -> Finding:
    """A delivery was due: was the household planned, assigned, visited, and with what outcome?"""
    if enrolment.entitlement(day)["cadence"] == "on_request" and not views.query(
        "SELECT 1 FROM dp_trips WHERE household_id=? AND day=? AND cancelled=0",
        (household_id.hex, day.isoformat()),
    ):
        return Finding("no_trip_booked", programme, {"day": day.isoformat()})
    stops = views.query(
        "SELECT p.round, p.status, s.vehicle_id, s.unserved_reason, o.outcome, o.reported_at, "
        "o.failure_reason, o.note, o.visit_id, COALESCE(v.plate, '') "
        "FROM dp_stops s JOIN dp_plans p ON p.plan_id=s.plan_id "
        "LEFT JOIN dp_outcomes o ON o.plan_id=s.plan_id AND o.stop_key=s.stop_key "
        "LEFT JOIN cl_vehicles v ON v.vehicle_id=COALESCE(o.vehicle_id, s.vehicle_id) "
        "WHERE p.day=? AND p.programme=? AND s.household_id=? ORDER BY p.round, s.stop_key",
        (day.isoformat(), programme, household_id.hex),
    )
    if not stops:
        plans = views.query(
            "SELECT COUNT(*) FROM dp_plans WHERE day=? AND programme=?", (day.isoformat(), programme)
        )
        return Finding("not_in_plan" if plans[0][0] else "no_plan", programme, {"day": day.isoformat()})
    findings = [_stop_finding(app, programme, row) for row in stops]
    return next((f for f in findings if f.served), findings[0])


def _stop_finding(app: Application, programme: str, row: tuple[Any, ...]) -> Finding:
    round_, status, vehicle, unserved, outcome, reported_at, failure, note, visit, plate = row
    base = {"round": str(round_), "plate": str(plate)}
    if vehicle is None:
        return Finding("unassigned", programme, base | {"reason": str(unserved or "")})
    if status == "planned" or outcome is None:
        return Finding("plan_not_published", programme, base)
    reported = [e for e in record_events(app, UUID(visit)) if e.name == "StopVisit.Reported"]
    who = _who(reported[-1]) | {"at": str(reported_at)[:16]} if reported else {}
    if outcome in SERVED:
        return Finding("delivered", programme, base | who, served=True)
    if outcome == "failed":
        return Finding(
            "delivery_failed",
            programme,
            base | who | {"reason": str(failure), "note": f" — {note}" if note else ""},
        )
    if outcome == "no_show":
        return Finding("no_show", programme, base | who)
    return Finding("not_reported", programme, base)
