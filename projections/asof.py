"""Read models as they stood at a past moment: nearest checkpoint, then the log's events up to that moment.

The result is an in-memory SQLite copy of the views, so the very query functions that answer live
questions (`queries.caseload`, `queries.manifest`, `dispatch_queries.plan_stops`, ...) answer the past ones.
Events count by their own timestamps. Personal data is the one exception: checkpoints never hold it, so a
copy that needs it (`with_personal`: manifests, plans) takes today's contacts, coordinates, needs, ... from
the live view for rows older than its checkpoint, and an erased household stays erased in the past too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from eventsourcing.application import Application

from domain.errors import N_, InvalidValue
from projections import checkpoints
from projections.caseload import ISTANBUL
from projections.runner import Replayer, View
from projections.sql import ViewDatabase, memory_database


@dataclass(frozen=True)
class AsOfStats:
    """How one as-of copy was made: from which checkpoint, and how many events were replayed on top."""

    view: str
    checkpoint_position: int
    events_replayed: int


@contextmanager
def views_as_of(
    app: Application,
    db: ViewDatabase,
    views: Sequence[View],
    moment: datetime,
    with_personal: bool = False,
    use_checkpoints: bool = True,
    stats: list[AsOfStats] | None = None,
) -> Iterator[ViewDatabase]:
    """The `views` as of `moment`, in memory, for the duration of the block.

    `use_checkpoints=False` replays the whole log (the benchmark's anchor, and the tests' referee).
    """
    if moment.tzinfo is None:
        raise InvalidValue("as_of", N_("needs a time zone (or give local Istanbul time through the CLI/API)"))
    memory = memory_database()
    try:
        for view in views:
            made = _load_view(app, db, view, moment, use_checkpoints, memory)
            if stats is not None:
                stats.append(made)
            if with_personal:
                _live_personal_rows(db, view, memory)
        yield ViewDatabase.over_sqlite(memory)
    finally:
        memory.close()


def _load_view(
    app: Application,
    db: ViewDatabase,
    view: View,
    moment: datetime,
    use_checkpoints: bool,
    memory: sqlite3.Connection,
) -> AsOfStats:
    found = checkpoints.nearest(db, view.name, moment) if use_checkpoints else None
    position, image = found or (0, checkpoints.empty_image(view))
    checkpoints.load(memory, view.name, image)
    replayer = Replayer(app, db, view)
    cursor = memory.cursor()
    cursor.execute("BEGIN")
    replayed = replayer.replay(cursor, position, replayer.last(), until=moment)
    cursor.execute("COMMIT")
    return AsOfStats(view.name, position, replayed)


def _live_personal_rows(db: ViewDatabase, view: View, memory: sqlite3.Connection) -> None:
    """Fill the copy's personal tables and columns with today's values (see the module docstring)."""
    memory.execute("BEGIN")
    for table in checkpoints.personal_tables(view):
        rows = db.query(f"SELECT * FROM {table}")
        memory.execute(f"DELETE FROM {view.name}.{table}")
        if rows:
            marks = ",".join("?" * len(rows[0]))
            memory.executemany(f"INSERT INTO {view.name}.{table} VALUES ({marks})", rows)
    for table, shape in checkpoints.shapes(view).items():
        columns, key = tuple(shape.blanks), shape.key
        rows = db.query(f"SELECT {', '.join(columns + key)} FROM {table}")
        memory.executemany(
            f"UPDATE {view.name}.{table} SET {', '.join(f'{c}=?' for c in columns)} "
            f"WHERE {' AND '.join(f'{k}=?' for k in key)}",
            rows,
        )
    memory.execute("COMMIT")


def past_moment(moment: datetime, now: datetime | None = None) -> datetime:
    """A moment people typed: Istanbul time when it names no zone, and not in the future."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ISTANBUL)
    if aware > (now or datetime.now(ISTANBUL)):
        raise InvalidValue(
            "as_of", N_("{aware} is in the future; ask the live views instead"), aware=aware.isoformat()
        )
    return aware
