"""The dispatch read model: each plan's routes and stops, what drivers reported, trips and user accounts.

A plan's layout (`dp_routes`, `dp_stops`) is rewritten whenever the plan changes, while outcomes
(`dp_outcomes`) come from the per-stop visits and survive re-planning untouched.
"""

from __future__ import annotations

from typing import Any, ClassVar

import orjson

from domain.values import ERASED
from projections.caseload import Handler, lat_lon
from projections.decoding import value
from projections.sql import Cursor, create_tables, drop_tables

TABLES = {
    "dp_plans": """plan_id TEXT PRIMARY KEY, day TEXT NOT NULL, programme TEXT NOT NULL, round TEXT NOT NULL,
        status TEXT NOT NULL, summary TEXT NOT NULL, changed_at TEXT NOT NULL""",
    "dp_routes": """plan_id TEXT NOT NULL, vehicle_id TEXT NOT NULL, depot_id TEXT NOT NULL,
        depart_s INTEGER NOT NULL, return_s INTEGER NOT NULL, distance_m INTEGER NOT NULL,
        duration_s INTEGER NOT NULL, stops INTEGER NOT NULL, PRIMARY KEY (plan_id, vehicle_id)""",
    "dp_stops": """plan_id TEXT NOT NULL, stop_key TEXT NOT NULL, vehicle_id TEXT, seq INTEGER NOT NULL,
        kind TEXT NOT NULL, household_id TEXT NOT NULL, source_id TEXT NOT NULL,
        lat DOUBLE PRECISION, lon DOUBLE PRECISION, eta_s INTEGER NOT NULL,
        window_start_s INTEGER NOT NULL, window_end_s INTEGER NOT NULL, quantity INTEGER NOT NULL,
        unit TEXT NOT NULL, unserved_reason TEXT, PRIMARY KEY (plan_id, stop_key)""",
    "dp_outcomes": """visit_id TEXT PRIMARY KEY, plan_id TEXT NOT NULL, stop_key TEXT NOT NULL,
        vehicle_id TEXT NOT NULL, outcome TEXT NOT NULL, reported_at TEXT, failure_reason TEXT, note TEXT,
        receiver TEXT, reports INTEGER NOT NULL, household_id TEXT""",
    "dp_trips": """trip_id TEXT PRIMARY KEY, household_id TEXT NOT NULL, day TEXT NOT NULL,
        pickup_lat DOUBLE PRECISION, pickup_lon DOUBLE PRECISION,
        destination_lat DOUBLE PRECISION, destination_lon DOUBLE PRECISION,
        destination_name TEXT NOT NULL, appointment TEXT NOT NULL, wheelchair INTEGER NOT NULL,
        seats INTEGER NOT NULL, return_at TEXT, cancelled INTEGER NOT NULL""",
    "us_users": """user_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL,
        role TEXT NOT NULL, vehicle_id TEXT, active INTEGER NOT NULL, language TEXT""",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS dp_plans_day ON dp_plans (day, programme)",
    "CREATE INDEX IF NOT EXISTS dp_stops_vehicle ON dp_stops (plan_id, vehicle_id, seq)",
    "CREATE INDEX IF NOT EXISTS dp_trips_day ON dp_trips (day)",
    "CREATE UNIQUE INDEX IF NOT EXISTS dp_outcomes_stop ON dp_outcomes (plan_id, stop_key)",
)


def _write_layout(cur: Cursor, plan: str, routes: list[Any], unserved: list[Any]) -> None:
    """Replace the plan's routes and stops with the given ones."""
    cur.execute("DELETE FROM dp_routes WHERE plan_id=?", (plan,))
    cur.execute("DELETE FROM dp_stops WHERE plan_id=?", (plan,))
    for wrapped in routes:
        _insert_route(cur, plan, value(wrapped))
    stop_rows = []
    for wrapped in unserved:
        missed = value(wrapped)
        stop_rows.append(_stop_row(plan, value(missed["stop"]), None, 0, missed["reason"]))
    cur.executemany("INSERT INTO dp_stops VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", stop_rows)


def _insert_route(cur: Cursor, plan: str, route: dict[str, Any]) -> None:
    """One route's row and its stops' rows, in driving order."""
    vehicle = value(route["vehicle_id"])
    cur.execute(
        "INSERT INTO dp_routes VALUES (?,?,?,?,?,?,?,?)",
        (
            plan,
            vehicle,
            value(route["depot_id"]),
            route["depart_s"],
            route["return_s"],
            route["distance_m"],
            route["duration_s"],
            len(route["stops"]),
        ),
    )
    cur.executemany(
        "INSERT INTO dp_stops VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [_stop_row(plan, value(s), vehicle, seq, None) for seq, s in enumerate(route["stops"])],
    )


def _stop_row(
    plan: str, stop: dict[str, Any], vehicle: str | None, seq: int, reason: str | None
) -> tuple[Any, ...]:
    lat, lon = lat_lon(stop["location"])  # none for an erased household's door
    return (
        plan,
        stop["key"],
        vehicle,
        seq,
        stop["kind"],
        value(stop["household_id"]),
        value(stop["source_id"]),
        lat,
        lon,
        stop["eta_s"],
        stop["window"][0],
        stop["window"][1],
        stop["quantity"],
        stop["unit"],
        reason,
    )


def plan_planned(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "INSERT INTO dp_plans VALUES (?,?,?,?,'planned',?,?)",
        (
            ident,
            value(e["day"]),
            e["programme"],
            e["round_"],
            orjson.dumps(e["summary"]).decode(),
            value(e["timestamp"]),
        ),
    )
    _write_layout(cur, ident, e["routes"], e["unserved"])


def plan_replanned(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE dp_plans SET summary=?, changed_at=? WHERE plan_id=?",
        (orjson.dumps(e["summary"]).decode(), value(e["timestamp"]), ident),
    )
    _write_layout(cur, ident, e["routes"], e["unserved"])


def plan_stop_moved(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Rewrite only the changed routes; the moved stop leaves wherever it was."""
    cur.execute("DELETE FROM dp_stops WHERE plan_id=? AND stop_key=?", (ident, e["key"]))
    for wrapped in e["routes"]:
        route = value(wrapped)
        vehicle = value(route["vehicle_id"])
        cur.execute("DELETE FROM dp_stops WHERE plan_id=? AND vehicle_id=?", (ident, vehicle))
        cur.execute("DELETE FROM dp_routes WHERE plan_id=? AND vehicle_id=?", (ident, vehicle))
        _insert_route(cur, ident, route)
    cur.execute("UPDATE dp_plans SET changed_at=? WHERE plan_id=?", (value(e["timestamp"]), ident))


def plan_status(status: str) -> Handler:
    def handle(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        cur.execute(
            "UPDATE dp_plans SET status=?, changed_at=? WHERE plan_id=?",
            (status, value(e["timestamp"]), ident),
        )

    return handle


def visit_dispatched(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "INSERT INTO dp_outcomes VALUES (?,?,?,?,'dispatched',NULL,NULL,NULL,NULL,0,?)",
        (ident, value(e["plan_id"]), e["key"], value(e["vehicle_id"]), value(e["household_id"])),
    )


def visit_reassigned(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE dp_outcomes SET vehicle_id=? WHERE visit_id=?", (value(e["vehicle_id"]), ident))


def visit_reported(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE dp_outcomes SET outcome=?, reported_at=?, failure_reason=?, note=?, receiver=?, "
        "reports=reports+1 WHERE visit_id=?",
        (e["outcome"], value(e["at"]), e["reason"], e["note"], e["receiver"], ident),
    )


def trip_requested(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    back = e["return_at"]
    cur.execute(
        "INSERT INTO dp_trips VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)",
        (
            ident,
            value(e["household_id"]),
            value(e["day"]),
            *lat_lon(e["pickup"]),
            *lat_lon(e["destination"]),
            e["destination_name"],
            value(e["appointment"]),
            int(e["wheelchair"]),
            e["seats"],
            value(back) if back else None,
        ),
    )


def household_erased(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Blank what drivers wrote at the door, the household's doors on plans and its trips; outcomes and
    counts stay."""
    cur.execute("UPDATE dp_outcomes SET note=?, receiver=? WHERE household_id=?", (ERASED, ERASED, ident))
    cur.execute("UPDATE dp_stops SET lat=NULL, lon=NULL WHERE household_id=?", (ident,))
    cur.execute(
        "UPDATE dp_trips SET pickup_lat=NULL, pickup_lon=NULL, destination_lat=NULL, destination_lon=NULL, "
        "destination_name=? WHERE household_id=?",
        (ERASED, ident),
    )


def trip_cancelled(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE dp_trips SET cancelled=1 WHERE trip_id=?", (ident,))


def user_registered(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    vehicle = e["vehicle_id"]
    cur.execute(
        "INSERT INTO us_users VALUES (?,?,?,?,?,1,NULL)",
        (ident, e["username"], e["full_name"], e["role"], value(vehicle) if vehicle else None),
    )


def user_vehicle_assigned(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE us_users SET vehicle_id=? WHERE user_id=?", (value(e["vehicle_id"]), ident))


def user_deactivated(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE us_users SET active=0 WHERE user_id=?", (ident,))


def user_language_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE us_users SET language=? WHERE user_id=?", (e["language"], ident))


HANDLERS: dict[str, Handler] = {
    "RoutePlan.Planned": plan_planned,
    "RoutePlan.Replanned": plan_replanned,
    "RoutePlan.StopMoved": plan_stop_moved,
    "RoutePlan.Published": plan_status("published"),
    "RoutePlan.Closed": plan_status("closed"),
    "StopVisit.Dispatched": visit_dispatched,
    "StopVisit.Reassigned": visit_reassigned,
    "StopVisit.Reported": visit_reported,
    "TripRequest.Requested": trip_requested,
    "TripRequest.Cancelled": trip_cancelled,
    "Household.Erased": household_erased,
    "User.Registered": user_registered,
    "User.VehicleAssigned": user_vehicle_assigned,
    "User.Deactivated": user_deactivated,
    "User.LanguageChanged": user_language_changed,
}


class DispatchView:
    """The dispatch read model's tables and how each event changes them."""

    name = "dispatch"
    tables = tuple(TABLES)
    personal_columns: ClassVar = {  # left out of checkpoints (see projections.checkpoints)
        "dp_outcomes": ("receiver", "note"),
        "dp_stops": ("lat", "lon"),
        "dp_trips": ("pickup_lat", "pickup_lon", "destination_lat", "destination_lon", "destination_name"),
    }
    handlers = HANDLERS

    def create(self, cur: Cursor) -> None:
        create_tables(cur, TABLES, INDEXES)

    def drop(self, cur: Cursor) -> None:
        drop_tables(cur, TABLES)
