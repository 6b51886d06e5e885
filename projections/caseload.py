"""The caseload read model: households, applications, enrolments, pauses, depots and vehicles as tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import orjson

from domain import turkish
from domain.values import ERASED
from projections.decoding import public_fields_only, value
from projections.sql import Cursor, create_tables, drop_tables

ISTANBUL = ZoneInfo("Europe/Istanbul")
Handler = Callable[[Cursor, str, dict[str, Any]], None]

TABLES = {
    "cl_households": """household_id TEXT PRIMARY KEY, district TEXT NOT NULL, neighbourhood TEXT NOT NULL,
        lat DOUBLE PRECISION, lon DOUBLE PRECISION, members INTEGER NOT NULL,
        needs TEXT NOT NULL, registered_on TEXT NOT NULL, erased INTEGER NOT NULL""",
    "cl_contacts": """household_id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL,
        address_text TEXT NOT NULL, name_folded TEXT NOT NULL, name_ascii TEXT NOT NULL,
        phone_digits TEXT NOT NULL""",
    "cl_applications": """application_id TEXT PRIMARY KEY, household_id TEXT NOT NULL,
        programme TEXT NOT NULL,
        channel TEXT NOT NULL, status TEXT NOT NULL, received_on TEXT NOT NULL, decided_on TEXT,
        reason TEXT, district TEXT NOT NULL, neighbourhood TEXT NOT NULL""",
    "cl_enrolments": """enrolment_id TEXT PRIMARY KEY, household_id TEXT NOT NULL, programme TEXT NOT NULL,
        ended INTEGER NOT NULL, start_date TEXT NOT NULL, end_date TEXT, quantity INTEGER NOT NULL,
        cadence TEXT NOT NULL, weekday_mask INTEGER NOT NULL, day_of_month INTEGER, meals TEXT NOT NULL,
        wheelchair INTEGER NOT NULL, district TEXT NOT NULL, neighbourhood TEXT NOT NULL""",
    "cl_suspensions": """enrolment_id TEXT NOT NULL, start_date TEXT NOT NULL, until_date TEXT,
        reason TEXT NOT NULL, PRIMARY KEY (enrolment_id, start_date)""",
    "cl_depots": """depot_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
        lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL, district TEXT NOT NULL,
        neighbourhood TEXT NOT NULL, closed INTEGER NOT NULL""",
    "cl_vehicles": """vehicle_id TEXT PRIMARY KEY, plate TEXT NOT NULL, kind TEXT NOT NULL,
        capacities TEXT NOT NULL,
        shift_start TEXT NOT NULL, shift_end TEXT NOT NULL, depot_id TEXT NOT NULL,
        wheelchair_lift INTEGER NOT NULL, in_service INTEGER NOT NULL""",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS cl_applications_household ON cl_applications (household_id)",
    "CREATE INDEX IF NOT EXISTS cl_applications_status ON cl_applications (status, programme)",
    "CREATE INDEX IF NOT EXISTS cl_enrolments_household ON cl_enrolments (household_id)",
    "CREATE INDEX IF NOT EXISTS cl_enrolments_programme ON cl_enrolments (programme, start_date)",
)


def _local_date(timestamp: Any) -> str:
    return datetime.fromisoformat(value(timestamp)).astimezone(ISTANBUL).date().isoformat()


def _weekday_mask(weekdays: list[int]) -> int:
    return sum(1 << day for day in weekdays)


def _entitlement_columns(entitlement: dict[str, Any]) -> tuple[Any, ...]:
    return (
        entitlement["quantity"],
        entitlement["cadence"],
        _weekday_mask(entitlement["weekdays"]),
        entitlement["day_of_month"],
        ",".join(entitlement["meals"]),
        int(entitlement["wheelchair_place"]),
    )


def lat_lon(location: Any) -> tuple[float | None, float | None]:
    """A point's coordinates; none for an erased household (its location was sealed and the key is gone)."""
    point = value(location)
    return (None, None) if point is None else (point["lat"], point["lon"])


def household_registered(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "INSERT INTO cl_households VALUES (?,?,?,?,?,?,?,?,0)",
        (
            ident,
            e["district"],
            e["neighbourhood"],
            *lat_lon(e["location"]),
            len(e["members"]),
            ",".join(e["needs"]),
            _local_date(e["timestamp"]),
        ),
    )
    contact_registered(cur, ident, e)


def contact_registered(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Personal data lives in its own table so that erasing a household is one delete."""
    personal = value(e["personal"])
    cur.execute(
        "INSERT INTO cl_contacts VALUES (?,?,?,?,?,?,?)",
        (ident, personal["name"], personal["phone"], personal["address_text"], *searchable(personal)),
    )


def searchable(contact: dict[str, Any]) -> tuple[str, str, str]:
    """The name folded by Turkish case rules, the same without Turkish letters, and the phone's digits:
    what a household search matches (kept in the contact's own row, so erasure removes it too)."""
    folded = turkish.casefold(str(contact["name"]))
    return (
        folded,
        turkish.without_turkish_letters(folded),
        "".join(c for c in contact["phone"] if c.isdigit()),
    )


def contact_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE cl_contacts SET name=?, phone=?, name_folded=?, name_ascii=?, phone_digits=? "
        "WHERE household_id=?",
        (e["name"], e["phone"], *searchable(e), ident),
    )


def household_moved(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    area = (e["district"], e["neighbourhood"])
    cur.execute(
        "UPDATE cl_households SET district=?, neighbourhood=?, lat=?, lon=? WHERE household_id=?",
        (*area, *lat_lon(e["location"]), ident),
    )
    for table in ("cl_applications", "cl_enrolments"):
        cur.execute(f"UPDATE {table} SET district=?, neighbourhood=? WHERE household_id=?", (*area, ident))
    cur.execute("UPDATE cl_contacts SET address_text=? WHERE household_id=?", (e["address_text"], ident))


@public_fields_only
def members_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE cl_households SET members=? WHERE household_id=?", (len(e["members"]), ident))


def needs_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE cl_households SET needs=? WHERE household_id=?", (",".join(e["needs"]), ident))


def household_erased(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    """Drop the contact row and blank location, needs and pause reasons; counts and areas stay."""
    cur.execute("DELETE FROM cl_contacts WHERE household_id=?", (ident,))
    cur.execute(
        "UPDATE cl_households SET lat=NULL, lon=NULL, needs='', erased=1 WHERE household_id=?", (ident,)
    )
    cur.execute(
        "UPDATE cl_suspensions SET reason=? WHERE enrolment_id IN "
        "(SELECT enrolment_id FROM cl_enrolments WHERE household_id=?)",
        (ERASED, ident),
    )


@public_fields_only
def application_submitted(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "INSERT INTO cl_applications SELECT ?,?,?,?,'submitted',?,NULL,NULL,district,neighbourhood "
        "FROM cl_households WHERE household_id=?",
        (
            ident,
            value(e["household_id"]),
            e["programme"],
            e["channel"],
            value(e["received_at"])[:10],
            value(e["household_id"]),
        ),
    )


@public_fields_only
def application_assessed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE cl_applications SET status='assessed' WHERE application_id=?", (ident,))


@public_fields_only
def application_approved(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE cl_applications SET status='approved', decided_on=? WHERE application_id=?",
        (value(e["decided_on"]), ident),
    )


def application_rejected(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE cl_applications SET status='rejected', decided_on=?, reason=? WHERE application_id=?",
        (value(e["decided_on"]), e["reason"], ident),
    )


def application_withdrawn(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE cl_applications SET status='withdrawn', decided_on=?, reason=? WHERE application_id=?",
        (_local_date(e["timestamp"]), e["reason"], ident),
    )


def enrolment_started(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    end = e["end_date"]
    cur.execute(
        "INSERT INTO cl_enrolments SELECT ?,?,?,0,?,?,?,?,?,?,?,?,district,neighbourhood "
        "FROM cl_households WHERE household_id=?",
        (
            ident,
            value(e["household_id"]),
            e["programme"],
            value(e["start_date"]),
            value(end) if end else None,
            *_entitlement_columns(value(e["entitlement"])),
            value(e["household_id"]),
        ),
    )


def enrolment_suspended(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    until = e["until"]
    cur.execute(
        "INSERT INTO cl_suspensions VALUES (?,?,?,?)",
        (ident, value(e["start"]), value(until) if until else None, e["reason"]),
    )


def enrolment_resumed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    on = value(e["on"])
    cur.execute(
        "UPDATE cl_suspensions SET until_date=? WHERE enrolment_id=? AND start_date<=? "
        "AND (until_date IS NULL OR until_date>=?)",
        ((date.fromisoformat(on) - timedelta(days=1)).isoformat(), ident, on, on),
    )


def entitlement_changed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "UPDATE cl_enrolments SET quantity=?, cadence=?, weekday_mask=?, day_of_month=?, meals=?, "
        "wheelchair=? WHERE enrolment_id=?",
        (*_entitlement_columns(value(e["entitlement"])), ident),
    )


def enrolment_ended(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    on = value(e["on"])
    cur.execute(
        "UPDATE cl_enrolments SET ended=1, end_date=CASE WHEN end_date IS NULL OR end_date>? THEN ? "
        "ELSE end_date END WHERE enrolment_id=?",
        (on, on, ident),
    )


def depot_registered(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    point = value(e["location"])
    cur.execute(
        "INSERT INTO cl_depots VALUES (?,?,?,?,?,?,?,0)",
        (ident, e["name"], e["kind"], point["lat"], point["lon"], e["district"], e["neighbourhood"]),
    )


def depot_closed(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute("UPDATE cl_depots SET closed=1 WHERE depot_id=?", (ident,))


def vehicle_registered(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
    cur.execute(
        "INSERT INTO cl_vehicles VALUES (?,?,?,?,?,?,?,?,1)",
        (
            ident,
            e["plate"],
            e["kind"],
            orjson.dumps(e["capacities"]).decode(),
            value(e["shift_start"]),
            value(e["shift_end"]),
            value(e["depot_id"]),
            int(e["wheelchair_lift"]),
        ),
    )


def vehicle_service_changed(in_service: int) -> Handler:
    def handle(cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        cur.execute("UPDATE cl_vehicles SET in_service=? WHERE vehicle_id=?", (in_service, ident))

    return handle


HANDLERS: dict[str, Handler] = {
    "Household.Registered": household_registered,
    "Household.ContactChanged": contact_changed,
    "Household.Moved": household_moved,
    "Household.MembersChanged": members_changed,
    "Household.NeedsChanged": needs_changed,
    "Household.Erased": household_erased,
    "AidApplication.Submitted": application_submitted,
    "AidApplication.Assessed": application_assessed,
    "AidApplication.Approved": application_approved,
    "AidApplication.Rejected": application_rejected,
    "AidApplication.Withdrawn": application_withdrawn,
    "Enrolment.Started": enrolment_started,
    "Enrolment.Suspended": enrolment_suspended,
    "Enrolment.Resumed": enrolment_resumed,
    "Enrolment.EntitlementChanged": entitlement_changed,
    "Enrolment.Ended": enrolment_ended,
    "Depot.Registered": depot_registered,
    "Depot.Closed": depot_closed,
    "Vehicle.Registered": vehicle_registered,
    "Vehicle.TakenOutOfService": vehicle_service_changed(0),
    "Vehicle.ReturnedToService": vehicle_service_changed(1),
}


class CaseloadView:
    """The caseload read model's tables and how each event changes them."""

    name = "caseload"
    tables = tuple(TABLES)
    # never copied into checkpoints (see projections.checkpoints)
    personal_tables = ("cl_contacts",)
    personal_columns: ClassVar = {"cl_households": ("lat", "lon", "needs"), "cl_suspensions": ("reason",)}
    handlers = HANDLERS

    def create(self, cur: Cursor) -> None:
        create_tables(cur, TABLES, INDEXES)

    def drop(self, cur: Cursor) -> None:
        drop_tables(cur, TABLES)
