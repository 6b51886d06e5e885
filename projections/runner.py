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
from eventsourcing.persistence import Notification

from domain.errors import Conflict
from projections.decoding import EventDecoder, event_name
from projections.sql import Cursor, ViewDatabase

TRACKING_TABLE = (
    "CREATE TABLE IF NOT EXISTS kapida_tracking (view TEXT PRIMARY KEY, notification_id BIGINT NOT NULL)"
)


class View(Protocol):
    """A read model: its name, its tables, and a handler per event it cares about."""

    name: str
    handlers: dict[str, Any]

    def create(self, cur: Cursor) -> None: ...
    def drop(self, cur: Cursor) -> None: ...


class Projector:
    """Keeps one view up to date with the log of one application, exactly once."""

    def __init__(self, app: Application, db: ViewDatabase, view: View, batch_size: int = 2000) -> None:
        self.app = app
        self.db = db
        self.view = view
        self.batch_size = batch_size
        self._decoder = EventDecoder(app.mapper)
        self._handler_by_topic: dict[str, Any] = {}
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
        """Apply every event recorded since the view's position; returns how many notifications were read."""
        done, batches = 0, 0
        while max_batches is None or batches < max_batches:
            count = self._process_next_batch()
            if count == 0:
                break
            done += count
            batches += 1
        return done

    def rebuild(self) -> int:
        """Throw the view away and replay the whole log into it."""
        with self.db.transaction() as cur:
            self.view.drop(cur)
            self.view.create(cur)
            cur.execute("UPDATE kapida_tracking SET notification_id=0 WHERE view=?", (self.view.name,))
        return self.catch_up()

    def _process_next_batch(self) -> int:
        with self.db.transaction() as cur:
            position = self._locked_position(cur)
            notifications = self.app.recorder.select_notifications(
                start=position, limit=self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                return 0
            self._apply(cur, notifications)
            cur.execute(
                "UPDATE kapida_tracking SET notification_id=? WHERE view=? AND notification_id=?",
                (notifications[-1].id, self.view.name, position),
            )
            if cur.rowcount != 1:
                raise Conflict(f"another projector moved view {self.view.name} past {position}")
        return len(notifications)

    def _locked_position(self, cur: Cursor) -> int:
        """Read the position under a lock so two projectors can never apply the same batch."""
        lock = " FOR UPDATE" if self.db.database.is_postgres else ""
        cur.execute(f"SELECT notification_id FROM kapida_tracking WHERE view=?{lock}", (self.view.name,))
        return int(cur.fetchone()[0])

    def _apply(self, cur: Cursor, notifications: Sequence[Notification]) -> None:
        decode, handlers = self._decoder.decode, self._handler_by_topic
        for notification in notifications:
            topic = notification.topic
            try:
                handler = handlers[topic]
            except KeyError:
                handler = handlers[topic] = self.view.handlers.get(event_name(topic))
            if handler is not None:
                handler(cur, notification.originator_id.hex, decode(notification.state))  # type: ignore[union-attr]
