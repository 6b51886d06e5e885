"""Who is already registered, by national id, without keeping the number as the lookup key.

Imports must find an existing household by its T.C. kimlik number. The lookup table is keyed by a
keyed hash (HMAC-SHA256 with the deployment's secret) of the number, so the index alone does not list
anyone's number. The members and the number itself, which exports need, sit beside it in one row per
household: both rows are personal data, and erasing a household deletes them (see PERSONAL_TABLES).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from domain.errors import N_, Conflict
from projections.decoding import value
from projections.sql import Cursor, ViewDatabase, create_tables, drop_tables

TABLES = {
    "hx_national_ids": "household_id TEXT PRIMARY KEY, id_hash TEXT NOT NULL",
    "hx_people": "household_id TEXT PRIMARY KEY, national_id TEXT NOT NULL, members TEXT NOT NULL",
    "hx_meta": "name TEXT PRIMARY KEY, value TEXT NOT NULL",
}
# Rows holding a household's personal data: deleted when the household is erased (KVKK).
PERSONAL_TABLES: tuple[str, ...] = ("hx_national_ids", "hx_people")
INDEXES = ("CREATE INDEX IF NOT EXISTS hx_national_ids_hash ON hx_national_ids (id_hash)",)
Handler = Callable[[Cursor, str, dict[str, Any]], None]


def national_id_hash(key: bytes, national_id: str) -> str:
    """The lookup key of a T.C. kimlik number: HMAC-SHA256 under the deployment's key, hex."""
    return hmac.new(key, national_id.strip().encode(), hashlib.sha256).hexdigest()


def _plain(field: Any) -> Any:
    """Transcoded values (tuples, members, dates) down to JSON-ready lists, dicts and strings."""
    field = value(field)
    if isinstance(field, list):
        return [_plain(item) for item in field]
    if isinstance(field, dict):
        return {k: _plain(v) for k, v in field.items()}
    return field


def _members_json(members: Any) -> str:
    return orjson.dumps(_plain(members)).decode()


class HouseholdIndexView:
    """The national-id lookup and each household's members, kept current from household events."""

    name = "household_index"
    tables = PERSONAL_TABLES  # the rows a rebuild copies; `create` writes hx_meta for the current key
    personal_tables = PERSONAL_TABLES  # never copied into a checkpoint (projections.checkpoints)

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.handlers: dict[str, Handler] = {
            "Household.Registered": self._registered,
            "Household.MembersChanged": self._members_changed,
            # Erasure (KVKK): both rows go, like the caseload's contact row.
            "Household.Erased": self._erased,
        }

    def create(self, cur: Cursor) -> None:
        create_tables(cur, TABLES, INDEXES)
        cur.execute(  # which key the hashes are made with (a fingerprint, not the key)
            "INSERT INTO hx_meta VALUES ('key', ?) ON CONFLICT (name) DO NOTHING",
            (key_fingerprint(self._key),),
        )

    def drop(self, cur: Cursor) -> None:
        drop_tables(cur, TABLES)

    def _registered(self, cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        national_id = str(value(e["personal"]).get("national_id") or "")
        if national_id:
            cur.execute(
                "INSERT INTO hx_national_ids VALUES (?,?)", (ident, national_id_hash(self._key, national_id))
            )
        cur.execute("INSERT INTO hx_people VALUES (?,?,?)", (ident, national_id, _members_json(e["members"])))

    def _members_changed(self, cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        cur.execute(
            "UPDATE hx_people SET members=? WHERE household_id=?", (_members_json(e["members"]), ident)
        )

    def _erased(self, cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        erase_household(cur, ident)


def key_fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"kapida index key fingerprint" + key).hexdigest()[:16]


def check_key(db: ViewDatabase, key: bytes) -> None:
    """Refuse lookups in an index built with another key: every number would look new (duplicates)."""
    rows = db.query("SELECT value FROM hx_meta WHERE name='key'")
    if rows and rows[0][0] != key_fingerprint(key):
        raise Conflict(
            N_(
                "the national-id index was built with another key (did KAPIDA_SECRET change?): run `kapida "
                "projections rebuild`"
            )
        )


def erase_household(cur: Cursor, household_id: str) -> None:
    """Delete the household's rows from every personal table of this view (for the erasure handler)."""
    for table in PERSONAL_TABLES:
        cur.execute(f"DELETE FROM {table} WHERE household_id=?", (household_id,))


@dataclass(frozen=True)
class PersonRow:
    """A member as the index keeps them."""

    name: str
    birth_date: date


def households_with_national_id(db: ViewDatabase, key: bytes, national_id: str) -> list[str]:
    """Ids (hex) of the households registered with this T.C. kimlik number, oldest id first."""
    rows = db.query(
        "SELECT household_id FROM hx_national_ids WHERE id_hash=? ORDER BY household_id",
        (national_id_hash(key, national_id),),
    )
    return [str(r[0]) for r in rows]


def people(db: ViewDatabase, household_ids: list[str]) -> dict[str, tuple[str, list[PersonRow]]]:
    """National id and members of each listed household still holding personal data."""
    found: dict[str, tuple[str, list[PersonRow]]] = {}
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for ident, national_id, members in db.query(
            f"SELECT household_id, national_id, members FROM hx_people WHERE household_id IN ({marks})", chunk
        ):
            people_rows = [
                PersonRow(str(m["name"]), date.fromisoformat(str(m["birth_date"])))
                for m in orjson.loads(members)
            ]
            found[str(ident)] = (str(national_id), people_rows)
    return found


def programme_history(db: ViewDatabase, household_hex: str) -> dict[str, tuple[str, str]]:
    """Per programme, what the household already has: ("enrolled", enrolment id) if it ever was,
    else its latest application's (status, application id)."""
    found: dict[str, tuple[str, str]] = {}
    for application_id, programme, status in db.query(
        "SELECT application_id, programme, status FROM cl_applications WHERE household_id=? "
        "ORDER BY received_on, application_id",
        (household_hex,),
    ):
        found[str(programme)] = (str(status), str(application_id))
    for enrolment_id, programme in db.query(
        "SELECT enrolment_id, programme FROM cl_enrolments WHERE household_id=?", (household_hex,)
    ):
        found[str(programme)] = ("enrolled", str(enrolment_id))
    return found
