"""The report read model: what the municipality publishes (applications, households served, meals, litres).

It keeps its own small copies of what a delivery needs (the household's district and size, the stop's
quantity, the plan's day and programme) and fixes them on the delivery row when the stop is dispatched,
so a household that later moves is counted where it was served, and a household whose personal data is
erased still counts: nothing here is personal (ids, districts, member counts, quantities).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.caseload import ISTANBUL, Handler
from projections.decoding import public_fields_only, value
from projections.sql import Cursor, create_tables, drop_tables

TABLES = {
    "rp_households": """household_id TEXT PRIMARY KEY, district TEXT NOT NULL, members INTEGER NOT NULL""",
    "rp_applications": """application_id TEXT PRIMARY KEY, programme TEXT NOT NULL, district TEXT NOT NULL,
        received_on TEXT NOT NULL, assessed_on TEXT, decided_on TEXT, decision TEXT""",
    "rp_plans": """plan_id TEXT PRIMARY KEY, day TEXT NOT NULL, programme TEXT NOT NULL""",
    "rp_stops": """plan_id TEXT NOT NULL, stop_key TEXT NOT NULL, quantity INTEGER NOT NULL,
        unit TEXT NOT NULL, PRIMARY KEY (plan_id, stop_key)""",
    "rp_deliveries": """visit_id TEXT PRIMARY KEY, day TEXT NOT NULL, programme TEXT NOT NULL,
        district TEXT NOT NULL, household_id TEXT NOT NULL, members INTEGER NOT NULL, kind TEXT NOT NULL,
        quantity INTEGER NOT NULL, unit TEXT NOT NULL, outcome TEXT NOT NULL""",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS rp_deliveries_day ON rp_deliveries (day, programme)",
    "CREATE INDEX IF NOT EXISTS rp_applications_received ON rp_applications (received_on)",
)


def _local_date(timestamp: Any) -> str:
    return datetime.fromisoformat(value(timestamp)).astimezone(ISTANBUL).date().isoformat()


@public_fields_only
def household_registered(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("INSERT INTO rp_households VALUES (?,?,?)", (ident, e["district"], len(e["members"])))


@public_fields_only
def household_moved(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE rp_households SET district=? WHERE household_id=?", (e["district"], ident))


@public_fields_only
def members_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE rp_households SET members=? WHERE household_id=?", (len(e["members"]), ident))


@public_fields_only
def application_submitted(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Counted in the district the household lived in when it applied."""
    household = value(e["household_id"])
    cur.execute(
        "INSERT INTO rp_applications SELECT ?,?,district,?,NULL,NULL,NULL FROM rp_households "
        "WHERE household_id=?",
        (ident, e["programme"], value(e["received_at"])[:10], household),
    )


@public_fields_only
def application_assessed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """An application counts as assessed once, in the month of its first home visit."""
    cur.execute(
        "UPDATE rp_applications SET assessed_on=? WHERE application_id=? AND assessed_on IS NULL",
        (value(e["visited_on"]), ident),
    )


def application_decided(decision: str) -> Handler:
    @public_fields_only
    def handle(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        decided = value(e["decided_on"]) if e.get("decided_on") else _local_date(e["timestamp"])
        cur.execute(
            "UPDATE rp_applications SET decided_on=?, decision=? WHERE application_id=?",
            (decided, decision, ident),
        )

    return handle


@public_fields_only
def plan_planned(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("INSERT INTO rp_plans VALUES (?,?,?)", (ident, value(e["day"]), e["programme"]))
    plan_changed(cur, ident, e)


@public_fields_only
def plan_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Remember each stop's quantity; a stop keeps its key (and quantity) across moves and re-plans."""
    stops = [value(s) for r in e.get("routes", ()) for s in value(r)["stops"]]
    stops += [value(value(u)["stop"]) for u in e.get("unserved", ())]
    cur.executemany(
        "INSERT INTO rp_stops VALUES (?,?,?,?) ON CONFLICT (plan_id, stop_key) DO NOTHING",
        [(ident, s["key"], s["quantity"], s["unit"]) for s in stops],
    )


@public_fields_only
def visit_dispatched(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Fix the delivery's day, programme, district, household size and quantity as they are now."""
    plan, household = value(e["plan_id"]), value(e["household_id"])
    cur.execute(
        "INSERT INTO rp_deliveries SELECT ?, p.day, p.programme, h.district, h.household_id, h.members, ?, "
        "s.quantity, s.unit, 'dispatched' FROM rp_plans p JOIN rp_stops s ON s.plan_id=p.plan_id "
        "AND s.stop_key=? JOIN rp_households h ON h.household_id=? WHERE p.plan_id=?",
        (ident, e["kind"], e["key"], household, plan),
    )


@public_fields_only
def visit_reported(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE rp_deliveries SET outcome=? WHERE visit_id=?", (e["outcome"], ident))


HANDLERS: dict[str, Handler] = {
    "Household.Registered": household_registered,
    "Household.Moved": household_moved,
    "Household.MembersChanged": members_changed,
    "AidApplication.Submitted": application_submitted,
    "AidApplication.Assessed": application_assessed,
    "AidApplication.Approved": application_decided("approved"),
    "AidApplication.Rejected": application_decided("rejected"),
    "AidApplication.Withdrawn": application_decided("withdrawn"),
    "RoutePlan.Planned": plan_planned,
    "RoutePlan.Replanned": plan_changed,
    "RoutePlan.StopMoved": plan_changed,
    "StopVisit.Dispatched": visit_dispatched,
    "StopVisit.Reported": visit_reported,
}


class ReportView:
    """The report read model's tables and how each event changes them."""

    name = "reports"
    tables = tuple(TABLES)
    handlers = HANDLERS

    def create(self, cur: Cursor) -> None:
        create_tables(cur, TABLES, INDEXES)

    def drop(self, cur: Cursor) -> None:
        drop_tables(cur, TABLES)
