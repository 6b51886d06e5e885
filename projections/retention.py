"""Retention review: households whose purpose ended (no running enrolment, no open case) long enough ago."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from projections.sql import ViewDatabase


@dataclass(frozen=True)
class RetentionRow:
    """A household to review for erasure, with the dates that show its purpose ended."""

    household_id: UUID
    district: str
    neighbourhood: str
    registered_on: str
    last_enrolment_end: str | None
    last_decision: str | None


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (31 March minus one month is 28/29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def retention_due(db: ViewDatabase, today: date, months: int) -> list[RetentionRow]:
    """Households, not yet erased, whose every enrolment ended and every application was decided before
    the cut-off (strictly: an end exactly `months` ago is not yet due); households that never applied
    count from their registration."""
    cutoff = months_before(today, months).isoformat()
    rows = db.query(
        "SELECT h.household_id, h.district, h.neighbourhood, h.registered_on, "
        "(SELECT MAX(e.end_date) FROM cl_enrolments e WHERE e.household_id=h.household_id), "
        "(SELECT MAX(a.decided_on) FROM cl_applications a WHERE a.household_id=h.household_id) "
        "FROM cl_households h WHERE h.erased=0 AND (h.registered_on<? "
        "OR EXISTS (SELECT 1 FROM cl_applications a WHERE a.household_id=h.household_id)) "
        "AND NOT EXISTS (SELECT 1 FROM cl_enrolments e WHERE e.household_id=h.household_id "
        "AND (e.end_date IS NULL OR e.end_date>=?)) "
        "AND NOT EXISTS (SELECT 1 FROM cl_applications a WHERE a.household_id=h.household_id "
        "AND (a.decided_on IS NULL OR a.decided_on>=?)) "
        "ORDER BY h.district, h.neighbourhood, h.household_id",
        (cutoff, cutoff, cutoff),
    )
    return [RetentionRow(UUID(h), d, n, r, e, a) for h, d, n, r, e, a in rows]
