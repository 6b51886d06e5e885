"""Questions the caseworkers and dispatchers ask, answered from the read model (never by replaying)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.turkish import sort_key
from projections.sql import ViewDatabase

OPEN_STATUSES = ("submitted", "assessed")


@dataclass(frozen=True)
class CaseloadRow:
    """One programme in one neighbourhood, on one day."""

    programme: str
    district: str
    neighbourhood: str
    active: int
    suspended: int
    pending: int
    longest_wait_days: int
    mean_wait_days: float


@dataclass(frozen=True)
class DecisionRow:
    """Approvals and rejections of one programme in one district and month."""

    programme: str
    district: str
    month: str
    approved: int
    rejected: int
    withdrawn: int


@dataclass(frozen=True)
class ManifestLine:
    """One household that must receive something on the manifest's day, and how much."""

    enrolment_id: UUID
    household_id: UUID
    programme: str
    district: str
    neighbourhood: str
    lat: float
    lon: float
    quantity: int
    meals: tuple[str, ...]
    wheelchair_place: bool
    needs: tuple[str, ...]


_SUSPENDED_ON = (
    "EXISTS (SELECT 1 FROM cl_suspensions s WHERE s.enrolment_id=e.enrolment_id AND s.start_date<=? "
    "AND (s.until_date IS NULL OR s.until_date>=?))"
)
_RUNNING_ON = "e.start_date<=? AND (e.end_date IS NULL OR e.end_date>=?)"


def _filters(programme: str | None, district: str | None, alias: str) -> tuple[str, list[str]]:
    clauses, params = [], []
    if programme:
        clauses.append(f"{alias}.programme=?")
        params.append(programme)
    if district:
        clauses.append(f"{alias}.district=?")
        params.append(district)
    return "".join(f" AND {c}" for c in clauses), params


def caseload(
    db: ViewDatabase, on: date, programme: str | None = None, district: str | None = None
) -> list[CaseloadRow]:
    """Active, suspended and waiting households per programme and neighbourhood on `on`."""
    day = on.isoformat()
    where, params = _filters(programme, district, "e")
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = db.query(
        f"SELECT e.programme, e.district, e.neighbourhood, {_SUSPENDED_ON} AS paused, COUNT(*) "
        f"FROM cl_enrolments e WHERE {_RUNNING_ON}{where} GROUP BY 1, 2, 3, 4",
        (day, day, day, day, *params),
    )
    for prog, dist, hood, paused, count in rows:
        counts[(prog, dist, hood)][1 if paused else 0] += count
    where, params = _filters(programme, district, "a")
    waits: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for prog, dist, hood, received in db.query(
        "SELECT a.programme, a.district, a.neighbourhood, a.received_on FROM cl_applications a "
        f"WHERE a.status IN (?, ?){where}",
        (*OPEN_STATUSES, *params),
    ):
        waits[(prog, dist, hood)].append(max(0, (on - date.fromisoformat(received)).days))
    return [
        CaseloadRow(
            *key,
            active=counts[key][0] if key in counts else 0,
            suspended=counts[key][1] if key in counts else 0,
            pending=len(waits.get(key, ())),
            longest_wait_days=max(waits.get(key, [0])),
            mean_wait_days=round(sum(waits[key]) / len(waits[key]), 1) if waits.get(key) else 0.0,
        )
        for key in sorted(set(counts) | set(waits), key=_by_area)
    ]


def _by_area(key: tuple[str, str, str]) -> tuple[object, ...]:
    """Programme, then district and neighbourhood in Turkish alphabetical order (Çayeli before Derepazarı)."""
    programme, district, neighbourhood = key
    return programme, sort_key(district), sort_key(neighbourhood)


def decisions_by_month(
    db: ViewDatabase, programme: str | None = None, district: str | None = None
) -> list[DecisionRow]:
    """Approvals, rejections and withdrawals per programme, district and month of decision."""
    where, params = _filters(programme, district, "a")
    rows = db.query(
        "SELECT a.programme, a.district, substr(a.decided_on, 1, 7), "
        "SUM(CASE WHEN a.status='approved' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN a.status='rejected' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN a.status='withdrawn' THEN 1 ELSE 0 END) "
        f"FROM cl_applications a WHERE a.decided_on IS NOT NULL{where} GROUP BY 1, 2, 3 ORDER BY 3, 1, 2",
        params,
    )
    decided = [DecisionRow(p, d, m, int(a), int(r), int(w)) for p, d, m, a, r, w in rows]
    return sorted(decided, key=lambda row: (row.month, row.programme, sort_key(row.district)))


def manifest(db: ViewDatabase, on: date, programme: str) -> list[ManifestLine]:
    """Every household that must receive `programme` on `on`: running, not paused, and due by its cadence."""
    day = on.isoformat()
    rows = db.query(
        "SELECT e.enrolment_id, e.household_id, e.programme, e.district, e.neighbourhood, h.lat, h.lon, "
        "e.quantity, e.meals, e.wheelchair, h.needs FROM cl_enrolments e "
        "JOIN cl_households h ON h.household_id=e.household_id "
        f"WHERE e.programme=? AND h.lat IS NOT NULL AND {_RUNNING_ON} AND NOT {_SUSPENDED_ON} AND ("
        "e.cadence='daily' OR (e.cadence='weekly' AND (e.weekday_mask / ?) % 2 = 1) "
        "OR (e.cadence='monthly' AND e.day_of_month=?)) "
        "ORDER BY e.district, e.neighbourhood, e.household_id",
        (programme, day, day, day, day, 1 << on.weekday(), on.day),
    )
    return [
        ManifestLine(
            UUID(enrolment),
            UUID(household),
            prog,
            dist,
            hood,
            float(lat),
            float(lon),
            int(quantity),
            tuple(meals.split(",")) if meals else (),
            bool(wheelchair),
            tuple(needs.split(",")) if needs else (),
        )
        for enrolment, household, prog, dist, hood, lat, lon, quantity, meals, wheelchair, needs in rows
    ]


def pending_applications(
    db: ViewDatabase, programme: str | None = None, district: str | None = None
) -> list[tuple]:
    """Open applications, oldest first: the caseworkers' work queue."""
    where, params = _filters(programme, district, "a")
    return db.query(
        "SELECT a.application_id, a.household_id, a.programme, a.channel, a.status, a.received_on, "
        f"a.district, a.neighbourhood FROM cl_applications a WHERE a.status IN (?, ?){where} "
        "ORDER BY a.received_on, a.application_id",
        (*OPEN_STATUSES, *params),
    )
