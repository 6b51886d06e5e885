"""Checkpoints of read models, so a question about a past moment replays a few events instead of years.

A checkpoint is a view's tables at one log position, stored as a compressed SQLite database image in
`kapida_checkpoints(view, notification_id, last_event_time, data)` beside the events. `last_event_time`
is the latest timestamp among the events the view had applied: a checkpoint may serve any moment at or
after it. What a view marks as personal is never stored: `personal_tables` (the contacts) stay empty and
`personal_columns` (a home's coordinates, needs, a suspension's reason, a receiver's name, a trip's
destination) are blanked, so erasing a household never has to chase copies through old checkpoints; an
as-of copy that needs them takes today's values from the live view (see `projections.asof`).
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from projections.sql import Cursor, ScratchCopy, ViewDatabase, memory_database

if TYPE_CHECKING:
    from projections.runner import Projector, View

COMPRESSION_LEVEL = 1  # images are written often and read in a hurry; level 1 is ~4x smaller already


def create_table(cur: Cursor, is_postgres: bool) -> None:
    blob = "BYTEA" if is_postgres else "BLOB"
    cur.execute(
        "CREATE TABLE IF NOT EXISTS kapida_checkpoints (view TEXT NOT NULL, notification_id BIGINT NOT NULL, "
        f"last_event_time TEXT NOT NULL, data {blob} NOT NULL, PRIMARY KEY (view, notification_id))"
    )


def stamp(moment: datetime) -> str:
    """A moment as text that sorts in time order (UTC, always with microseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def personal_tables(view: View) -> tuple[str, ...]:
    return tuple(getattr(view, "personal_tables", ()))


def worth_keeping(view: View) -> bool:
    """Whether a checkpoint of `view` would hold anything (a view of nothing but personal data would not)."""
    return not set(view.tables) <= set(personal_tables(view))


def personal_columns(view: View) -> dict[str, tuple[str, ...]]:
    """Columns of otherwise impersonal tables that hold personal data, per table."""
    return dict(getattr(view, "personal_columns", {}))


@dataclass(frozen=True)
class TableShape:
    """What blanking and restoring a table's personal columns needs: its key and each column's blank."""

    key: tuple[str, ...]
    blanks: dict[str, Any]


def shapes(view: View) -> dict[str, TableShape]:
    """Per table with personal columns: its key, and each column's blank (NULL, '' or 0, as it allows)."""
    memory = memory_database()
    try:
        view.create(memory.cursor())
        found = {}
        for table, columns in personal_columns(view).items():
            info = memory.execute(f"PRAGMA table_info({table})").fetchall()  # cid, name, type, notnull, _, pk
            key = tuple(name for _, name, _, _, _, pk in sorted(info, key=lambda c: c[5]) if pk)
            kinds = {name: (kind.upper(), bool(notnull)) for _, name, kind, notnull, _, _ in info}
            found[table] = TableShape(key, {c: _blank(*kinds[c]) for c in columns})
        return found
    finally:
        memory.close()


def _blank(kind: str, not_null: bool) -> Any:
    if not not_null:
        return None
    return "" if "TEXT" in kind else 0


def discard(cur: Cursor, view: str) -> None:
    """Forget every checkpoint of `view` (its tables or handlers changed)."""
    cur.execute("DELETE FROM kapida_checkpoints WHERE view=?", (view,))


def latest_position(db: ViewDatabase, view: str) -> int:
    """The position of the view's newest checkpoint (0 when it has none)."""
    rows = db.query("SELECT MAX(notification_id) FROM kapida_checkpoints WHERE view=?", (view,))
    return int(rows[0][0] or 0)


def write(projector: Projector) -> int:
    """Store the projector's view as it stands, in the same transaction that reads it; returns the position.

    The position is read under the projector's lock, so the tables copied are exactly the view at that
    position. A second checkpoint at an unchanged position writes nothing.
    """
    db, view = projector.db, projector.view
    scratch = ScratchCopy(secure_delete=True)  # the image is kept: no blanked value may linger in it
    try:
        prepare = scratch.connection.cursor()
        prepare.execute("BEGIN")
        view.create(prepare)
        prepare.execute("COMMIT")
        with db.attached(scratch), db.transaction() as cur:
            position = projector.locked_position(cur)
            cur.execute(
                "SELECT notification_id, last_event_time FROM kapida_checkpoints WHERE view=? "
                "ORDER BY notification_id DESC LIMIT 1",
                (view.name,),
            )
            previous = cur.fetchone()
            before, before_time = (int(previous[0]), str(previous[1])) if previous else (0, "")
            if previous and before >= position:
                return before
            for table in view.tables:
                if table not in personal_tables(view):
                    db.copy_to_scratch(cur, table, scratch)
            for table, shape in shapes(view).items():
                db.blank_in_scratch(cur, scratch, table, shape.blanks)
            newest = projector.replayer.newest_time(cur, before, position)
            last_time = max(before_time, stamp(newest)) if newest else before_time
            image = zlib.compress(scratch.connection.serialize(), COMPRESSION_LEVEL)
            cur.execute(
                "INSERT INTO kapida_checkpoints VALUES (?,?,?,?)", (view.name, position, last_time, image)
            )
    finally:
        scratch.close()
    return position


def empty_image(view: View) -> bytes:
    """The image of a view with no events applied: its tables, empty."""
    memory = memory_database()
    try:
        view.create(memory.cursor())
        return zlib.compress(memory.serialize(), COMPRESSION_LEVEL)
    finally:
        memory.close()


def nearest(db: ViewDatabase, view: str, moment: datetime) -> tuple[int, bytes] | None:
    """The newest checkpoint of `view` that holds nothing later than `moment`: (position, image)."""
    rows = db.query(
        "SELECT notification_id, data FROM kapida_checkpoints WHERE view=? AND last_event_time<=? "
        "ORDER BY notification_id DESC LIMIT 1",
        (view, stamp(moment)),
    )
    return (int(rows[0][0]), bytes(rows[0][1])) if rows else None


def load(memory: sqlite3.Connection, schema: str, image: bytes) -> None:
    """Put a checkpoint image into `memory` as the attached database `schema`, writable."""
    memory.execute(f"ATTACH DATABASE ':memory:' AS {schema}")
    memory.deserialize(zlib.decompress(image), name=schema)
    memory.execute(f"PRAGMA {schema}.journal_mode=OFF")


def listing(db: ViewDatabase) -> list[dict[str, Any]]:
    """Every stored checkpoint: view, position, latest event time and compressed size."""
    rows = db.query(
        "SELECT view, notification_id, last_event_time, LENGTH(data) FROM kapida_checkpoints "
        "ORDER BY view, notification_id"
    )
    return [{"view": v, "position": int(p), "last_event_time": t, "bytes": int(n)} for v, p, t, n in rows]
