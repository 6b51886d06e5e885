"""What dispatchers, drivers and managers ask of the day: stop lists, progress, follow-ups, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import orjson

from projections.sql import ViewDatabase

LATE_AFTER_S = 15 * 60  # a stop reported (or still open) more than 15 minutes after its ETA is late
DONE = ("delivered", "dropped_off", "no_show", "picked_up")


@dataclass(frozen=True)
class PlanRow:
    plan_id: UUID
    day: str
    programme: str
    round: str
    status: str
    summary: dict[str, Any]
    routes: int
    routed_stops: int
    unserved_stops: int


@dataclass(frozen=True)
class StopRow:
    """A stop as a driver or dispatcher sees it, with the household's contact and care notes."""

    plan_id: UUID
    key: str
    vehicle_id: UUID | None
    seq: int
    kind: str
    household_id: UUID
    lat: float | None  # none: the household was erased
    lon: float | None
    eta_s: int
    window_start_s: int
    window_end_s: int
    quantity: int
    unit: str
    unserved_reason: str | None
    name: str
    phone: str
    address: str
    needs: tuple[str, ...]
    outcome: str
    reported_at: str | None
    failure_reason: str | None


@dataclass(frozen=True)
class RouteProgress:
    plan_id: UUID
    vehicle_id: UUID
    stops: int
    done: int
    failed: int
    open: int
    late: int
    distance_m: int
    duration_s: int


_STOP_SELECT = (
    "SELECT s.plan_id, s.stop_key, s.vehicle_id, s.seq, s.kind, s.household_id, s.lat, s.lon, s.eta_s, "
    "s.window_start_s, s.window_end_s, s.quantity, s.unit, s.unserved_reason, "
    "COALESCE(c.name, ''), COALESCE(c.phone, ''), COALESCE(c.address_text, ''), COALESCE(h.needs, ''), "
    "COALESCE(o.outcome, 'planned'), o.reported_at, o.failure_reason "
    "FROM dp_stops s LEFT JOIN cl_contacts c ON c.household_id=s.household_id "
    "LEFT JOIN cl_households h ON h.household_id=s.household_id "
    "LEFT JOIN dp_outcomes o ON o.plan_id=s.plan_id AND o.stop_key=s.stop_key "
)


def _stop(row: tuple[Any, ...]) -> StopRow:
    plan, key, vehicle, seq, kind, household, lat, lon, eta, ws, we, qty, unit, reason, *rest = row
    name, phone, address, needs, outcome, reported, failure = rest
    return StopRow(
        UUID(plan),
        key,
        UUID(vehicle) if vehicle else None,
        int(seq),
        kind,
        UUID(household),
        None if lat is None else float(lat),
        None if lon is None else float(lon),
        int(eta),
        int(ws),
        int(we),
        int(qty),
        unit,
        reason,
        name,
        phone,
        address,
        tuple(needs.split(",")) if needs else (),
        outcome,
        reported,
        failure,
    )


_PLAN_SELECT = (
    "SELECT p.plan_id, p.day, p.programme, p.round, p.status, p.summary, "
    "(SELECT COUNT(*) FROM dp_routes r WHERE r.plan_id=p.plan_id), "
    "(SELECT COUNT(*) FROM dp_stops s WHERE s.plan_id=p.plan_id AND s.vehicle_id IS NOT NULL), "
    "(SELECT COUNT(*) FROM dp_stops s WHERE s.plan_id=p.plan_id AND s.vehicle_id IS NULL) FROM dp_plans p "
)


@dataclass(frozen=True)
class RouteRow:
    """One vehicle's route of a plan: where it starts, when it leaves and returns, how far."""

    vehicle_id: UUID
    depot_id: UUID
    depart_s: int
    return_s: int
    distance_m: int
    duration_s: int


def plans_on(db: ViewDatabase, day: date) -> list[PlanRow]:
    return _plan_rows(
        db.query(_PLAN_SELECT + "WHERE p.day=? ORDER BY p.programme, p.round", (day.isoformat(),))
    )


def _plan_rows(rows: list[Any]) -> list[PlanRow]:
    return [
        PlanRow(UUID(p), d, prog, rnd, status, orjson.loads(summary), int(r), int(s), int(u))
        for p, d, prog, rnd, status, summary, r, s, u in rows
    ]


def plan_header(db: ViewDatabase, plan_id: UUID) -> PlanRow | None:
    """One plan's day, programme, round, status, summary and sizes (None if the view has no such plan)."""
    found = _plan_rows(db.query(_PLAN_SELECT + "WHERE p.plan_id=?", (plan_id.hex,)))
    return found[0] if found else None


def plan_routes(db: ViewDatabase, plan_id: UUID) -> list[RouteRow]:
    """The plan's routes, by vehicle."""
    rows = db.query(
        "SELECT vehicle_id, depot_id, depart_s, return_s, distance_m, duration_s FROM dp_routes "
        "WHERE plan_id=? ORDER BY vehicle_id",
        (plan_id.hex,),
    )
    return [RouteRow(UUID(v), UUID(d), int(a), int(b), int(m), int(t)) for v, d, a, b, m, t in rows]


def plan_stops(db: ViewDatabase, plan_id: UUID) -> list[StopRow]:
    """Every stop of a plan, routed ones by vehicle and order, then the unserved ones."""
    rows = db.query(
        _STOP_SELECT + "WHERE s.plan_id=? ORDER BY s.vehicle_id IS NULL, s.vehicle_id, s.seq, s.stop_key",
        (plan_id.hex,),
    )
    return [_stop(row) for row in rows]


def driver_stops(db: ViewDatabase, day: date, vehicle_id: UUID) -> list[StopRow]:
    """The stops of the vehicle's published routes that day, in driving order (all rounds, earliest first)."""
    rows = db.query(
        _STOP_SELECT + "JOIN dp_plans p ON p.plan_id=s.plan_id "
        "WHERE p.day=? AND p.status='published' AND s.vehicle_id=? ORDER BY s.eta_s, s.seq",
        (day.isoformat(), vehicle_id.hex),
    )
    return [_stop(row) for row in rows]


def progress(db: ViewDatabase, plan_id: UUID, now_s: int) -> list[RouteProgress]:
    """Per route: how many stops are done, failed, still open, and late against their ETA."""
    routes = db.query(
        "SELECT vehicle_id, distance_m, duration_s FROM dp_routes WHERE plan_id=? ORDER BY vehicle_id",
        (plan_id.hex,),
    )
    every_stop = plan_stops(db, plan_id)
    result = []
    for vehicle, distance, duration in routes:
        stops = [s for s in every_stop if s.vehicle_id == UUID(vehicle)]
        done = [s for s in stops if s.outcome in DONE]
        failed = [s for s in stops if s.outcome == "failed"]
        open_ = [s for s in stops if s.outcome in ("planned", "dispatched")]
        late = sum(1 for s in open_ if now_s > s.eta_s + LATE_AFTER_S) + sum(
            1 for s in done if s.reported_at and _seconds_of_day(s.reported_at) > s.eta_s + LATE_AFTER_S
        )
        result.append(
            RouteProgress(
                plan_id,
                UUID(vehicle),
                len(stops),
                len(done),
                len(failed),
                len(open_),
                late,
                int(distance),
                int(duration),
            )
        )
    return result


def _seconds_of_day(moment: str) -> int:
    clock = moment[11:19]
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def failed_stops(db: ViewDatabase, day: date) -> list[StopRow]:
    """Failed hot meals and milk drops of the day, still waiting for the dispatcher's follow-up."""
    rows = db.query(
        _STOP_SELECT + "JOIN dp_plans p ON p.plan_id=s.plan_id WHERE p.day=? AND o.outcome='failed' "
        "ORDER BY s.eta_s",
        (day.isoformat(),),
    )
    return [_stop(row) for row in rows]


def daily_statistics(db: ViewDatabase, first: date, last: date) -> list[dict[str, Any]]:
    """Per day and programme: stops planned, delivered, failed by reason, and quantities handed over."""
    rows = db.query(
        "SELECT p.day, p.programme, COUNT(*), "
        "SUM(CASE WHEN o.outcome IN ('delivered','dropped_off') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN o.outcome='failed' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN o.outcome='delivered' THEN s.quantity ELSE 0 END), "
        "SUM(CASE WHEN s.vehicle_id IS NULL THEN 1 ELSE 0 END) "
        "FROM dp_stops s JOIN dp_plans p ON p.plan_id=s.plan_id "
        "LEFT JOIN dp_outcomes o ON o.plan_id=s.plan_id AND o.stop_key=s.stop_key "
        "WHERE p.day>=? AND p.day<=? GROUP BY p.day, p.programme ORDER BY p.day, p.programme",
        (first.isoformat(), last.isoformat()),
    )
    return [
        {
            "day": d,
            "programme": prog,
            "stops": int(n),
            "delivered": int(ok or 0),
            "failed": int(bad or 0),
            "quantity_delivered": int(qty or 0),
            "unserved": int(unserved or 0),
        }
        for d, prog, n, ok, bad, qty, unserved in rows
    ]


def trips_on(db: ViewDatabase, day: date) -> list[dict[str, Any]]:
    rows = db.query(
        "SELECT t.trip_id, t.household_id, t.pickup_lat, t.pickup_lon, t.destination_lat, t.destination_lon, "
        "t.destination_name, t.appointment, t.wheelchair, t.seats, t.return_at FROM dp_trips t "
        "WHERE t.day=? AND t.cancelled=0 AND t.pickup_lat IS NOT NULL ORDER BY t.appointment, t.trip_id",
        (day.isoformat(),),
    )
    keys = (
        "trip_id",
        "household_id",
        "pickup_lat",
        "pickup_lon",
        "destination_lat",
        "destination_lon",
        "destination_name",
        "appointment",
        "wheelchair",
        "seats",
        "return_at",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def users(db: ViewDatabase) -> list[dict[str, Any]]:
    rows = db.query(
        "SELECT username, full_name, role, vehicle_id, active, language FROM us_users ORDER BY username"
    )
    return [
        {"username": u, "full_name": n, "role": r, "vehicle_id": v, "active": bool(a), "language": lang}
        for u, n, r, v, a, lang in rows
    ]
