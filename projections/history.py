"""Who did what to a record, when and why: every event of an aggregate (and a household's cases), in order.

Events are read through the same decoding path as the read models (`EventDecoder`), never as domain
objects, and the summary of each change leaves personal data out (names, phones, addresses, coordinates,
members' names, needs, trip destinations, password hashes): an audit trail is read by more people than a
caseworker's file. Reasons and notes stay: they are what an audit asks for (and read back as placeholders
once a household is erased, like every personal field decoded through `EventDecoder`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from domain.errors import N_, NotFound
from projections.decoding import EventDecoder, event_name, value
from projections.sql import ViewDatabase

# Fields that are the event's envelope (shown in their own columns) or personal data (never shown).
HIDDEN = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "actor",
        "reason",
        "personal",
        "name",
        "phone",
        "address_text",
        "national_id",
        "password_hash",
        "receiver",
        "report_key",
        "note",
        "visit_note",
        "full_name",
        "location",  # a home's coordinates identify it as well as its address does
        "pickup",
        "destination",
        "destination_name",  # a hospital's name tells a health condition
        "needs",  # health and disability: a special category under KVKK
    }
)
COUNTED = frozenset({"members", "routes", "unserved", "stops", "moved"})
NOTES = ("reason", "note", "visit_note")
HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a record: when, what, who in which role, why, and what it changed."""

    at: datetime
    record: str
    record_id: UUID
    version: int
    event: str
    actor: str
    role: str
    reason: str
    summary: str


def history(
    app: Application, views: ViewDatabase, record_id: UUID, related: bool = True
) -> list[HistoryEntry]:
    """Every event of `record_id` in time order; for a household also its applications, enrolments,
    trips and stop visits (`related`). Unknown ids are refused with NotFound."""
    decoder = EventDecoder(app.mapper)
    entries = _events_of(app, decoder, record_id)
    if not entries:
        raise NotFound(N_("record"), record_id)
    if related and entries[0].record == "Household":
        for other in related_records(views, record_id):
            entries += _events_of(app, decoder, other)
    return sorted(entries, key=lambda e: (e.at, e.record_id.hex, e.version))


def related_records(views: ViewDatabase, household_id: UUID) -> list[UUID]:
    """The household's applications, enrolments, trips and stop visits, from the read models."""
    ident = household_id.hex
    rows = views.query(
        "SELECT application_id FROM cl_applications WHERE household_id=? "
        "UNION SELECT enrolment_id FROM cl_enrolments WHERE household_id=? "
        "UNION SELECT trip_id FROM dp_trips WHERE household_id=? "
        "UNION SELECT o.visit_id FROM dp_outcomes o JOIN dp_stops s ON s.plan_id=o.plan_id "
        "AND s.stop_key=o.stop_key WHERE s.household_id=?",
        (ident, ident, ident, ident),
    )
    return sorted(UUID(row[0]) for row in rows)


@dataclass(frozen=True)
class RecordedEvent:
    """One decoded event of a record: its name, version, time, actor and fields (as stored)."""

    name: str
    version: int
    at: datetime
    user: str
    role: str
    fields: dict[str, Any]


def record_events(
    app: Application, record_id: UUID, decoder: EventDecoder | None = None
) -> list[RecordedEvent]:
    """The record's events in version order, decoded like the read models decode them."""
    decoder = decoder or EventDecoder(app.mapper)
    events = []
    for stored in app.recorder.select_events(record_id):
        event = decoder.decode(stored.state)
        actor = value(event.get("actor")) or {}
        events.append(
            RecordedEvent(
                event_name(stored.topic),
                stored.originator_version,
                datetime.fromisoformat(value(event["timestamp"])),
                str(actor.get("user", "")),
                str(actor.get("role", "")),
                event,
            )
        )
    return events


def _events_of(app: Application, decoder: EventDecoder, record_id: UUID) -> list[HistoryEntry]:
    entries = []
    for recorded in record_events(app, record_id, decoder):
        event, name = recorded.fields, recorded.name
        entries.append(
            HistoryEntry(
                at=recorded.at,
                record=name.partition(".")[0],
                record_id=record_id,
                version=recorded.version,
                event=name,
                actor=recorded.user,
                role=recorded.role,
                reason=_notes(event),
                summary=summary(event),
            )
        )
    return entries


def _notes(event: dict[str, Any]) -> str:
    """The reason of a decision, or the note a caseworker or driver wrote."""
    return " · ".join(str(event[key]) for key in NOTES if event.get(key))


def summary(event: dict[str, Any]) -> str:
    """The changed fields as `field=value`, personal data left out, long lists counted."""
    parts = []
    for key in sorted(event):
        if key in HIDDEN or key.startswith("_"):
            continue
        shown = _short(key, value(event[key]))
        if shown != "":
            parts.append(f"{key.rstrip('_')}={shown}")
    return " ".join(parts)


def _short(key: str, field: Any) -> str:
    if field is None or field == "" or field == [] or field == {}:
        return ""
    if key in COUNTED and isinstance(field, list):
        return str(len(field))
    if isinstance(field, str) and len(field) == 32 and all(c in HEX for c in field):
        return field[:8]  # ids: enough to tell records apart in a trail; the full id is a column
    if isinstance(field, dict):
        inner = (f"{k}:{_short(k, value(v))}" for k, v in sorted(field.items()) if _short(k, value(v)))
        return "{" + ",".join(inner) + "}"
    if isinstance(field, list):
        return ",".join(str(value(item)) for item in field)
    if isinstance(field, bool):
        return "evet/yes" if field else "hayır/no"
    return str(field)
