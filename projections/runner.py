"""Drives a read model from the event log: pull notifications after the view's tracking position.

Each batch of events and the new tracking position commit in one transaction on the database that
holds the events, so a crash mid-batch rolls the batch back and the next run resumes exactly where the
last commit left off: every event is applied once. The SQLite recorder cannot `subscribe`, so the same
pull loop serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from eventsourcing.application import Application

from domain.errors import N_, Conflict
from projections.decoding import EventDecoder, event_name, full_topics
from projections.sql import Cursor, ScratchCopy, ViewDatabase

TRACKING_TABLE = (
    "CREATE TABLE IF NOT EXISTS kapida_tracking (view TEXT PRIMARY KEY, notification_id BIGINT NOT NULL)"
)


class View(Protocol):
    """A read model: its name, its tables, and a handler per event it cares about."""

    name: str
    tables: tuple[str, ...]
    handlers: dict[str, Any]

    def create(self, cur: Cursor) -> None: ...
    def drop(self, cur: Cursor) -> None: ...


class Projector:
    """Keeps one view up to date with the log of one application, exactly once.

    Each batch reads an id window `(position, position + batch]` of the events table with one plain SQL
    query inside the batch's transaction, asking only for the topics the view handles: events it
    ignores are never fetched or decoded, and the position still moves to the window's end.
    """

    def __init__(self, app: Application, db: ViewDatabase, view: View, batch_size: int | None = None) -> None:
        self.app = app
        self.db = db
        self.view = view
        self.batch_size = batch_size or (10_000 if not db.database.is_postgres else 5_000)
        self._decoder = EventDecoder(app.mapper)
        self._topics = full_topics(view.handlers)
        self._handler_of = {topic: view.handlers[event_name(topic)] for topic in self._topics}
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        key = "notification_id" if db.database.is_postgres else "rowid"
        originator = "replace(originator_id::text, '-', '')" if db.database.is_postgres else "originator_id"
        self._last_sql = f"SELECT MAX({key}) FROM {table}"
        self._window_sql = (
            f"SELECT {originator}, topic, state FROM {table} WHERE {key}>? AND {key}<=? "
            f"AND topic IN ({','.join('?' * len(self._topics))}) ORDER BY {key}"
        )
        with db.transaction() as cur:
            cur.execute(TRACKING_TABLE)
            cur.execute(
                "INSERT INTO kapida_tracking VALUES (?, 0) ON CONFLICT (view) DO NOTHING", (view.name,)
            )
            view.create(cur)

    def position(self) -> int:
        """The id of the last notification applied to the view."""
        rows = self.db.query("SELECT notification_id FROM kapida_tracking WHERE view=?", (self.view.name,))
        return int(rows[0][0])

    def catch_up(self, max_batches: int | None = None) -> int:
        """Apply every event recorded since the view's position; returns how far the position moved."""
        done, batches = 0, 0
        while max_batches is None or batches < max_batches:
            count = self._process_next_batch()
            if count == 0:
                break
            done += count
            batches += 1
        return done

    def rebuild(self) -> int:
        """Replay the whole log into a fresh copy of the view, then swap it in; returns the events read.

        The replay runs in an in-memory SQLite database with the view's own tables and handlers (no disk,
        commits or round trips per batch), and one transaction then replaces the tables and sets the
        position. A crash before that commit leaves the old view and its position untouched, so every event
        is still applied exactly once; events recorded during the replay are applied by the final catch-up.
        """
        scratch = ScratchCopy()
        try:
            replay = scratch.connection.cursor()
            replay.execute("BEGIN")
            self.view.create(replay)
            last = int(self.db.query(self._last_sql)[0][0] or 0)
            for start in range(0, last, self.batch_size):
                window = (start, min(start + self.batch_size, last), *self._topics)
                self._apply(replay, self.db.query(self._window_sql, window))
            replay.execute("COMMIT")
            with self.db.attached(scratch), self.db.transaction() as cur:
                self._locked_position(cur)
                self.view.drop(cur)
                self.view.create(cur)
                for table in self.view.tables:
                    self.db.copy_table(cur, table, scratch)
                cur.execute(
                    "UPDATE kapida_tracking SET notification_id=? WHERE view=?", (last, self.view.name)
                )
        finally:
            scratch.close()
        return last + self.catch_up()

    def _process_next_batch(self) -> int:
        with self.db.transaction() as cur:
            position = self._locked_position(cur)
            cur.execute(self._last_sql)
            stop = min(position + self.batch_size, int(cur.fetchone()[0] or 0))
            if stop <= position:
                return 0
            cur.execute(self._window_sql, (position, stop, *self._topics))
            rows = cur.fetchall()
            with self.db.pipeline():
                self._apply(cur, rows)
            cur.execute(
                "UPDATE kapida_tracking SET notification_id=? WHERE view=? AND notification_id=?",
                (stop, self.view.name, position),
            )
            if cur.rowcount != 1:
                raise Conflict(
                    N_("another projector moved view {name} past {position}"),
                    name=self.view.name,
                    position=position,
                )
        return stop - position

    def _locked_position(self, cur: Cursor) -> int:
        """Read the position under a lock so two projectors can never apply the same batch."""
        lock = " FOR UPDATE" if self.db.database.is_postgres else ""
        cur.execute(f"SELECT notification_id FROM kapida_tracking WHERE view=?{lock}", (self.view.name,))
        return int(cur.fetchone()[0])

    def _apply(self, cur: Cursor, rows: Sequence[tuple[str, str, bytes]]) -> None:
        decode, handler_of = self._decoder.decode, self._handler_of
        for originator_hex, topic, state in rows:
            handler_of[topic](cur, originator_hex, decode(bytes(state)))
