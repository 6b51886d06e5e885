"""Drives a read model from the event log: pull notifications after the view's tracking position.

Each batch of events and the new tracking position commit in one transaction on the database that
holds the events, so a crash mid-batch rolls the batch back and the next run resumes exactly where the
last commit left off: every event is applied once. The SQLite recorder cannot `subscribe`, so the same
pull loop serves SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, Protocol

from eventsourcing.application import Application

from domain.errors import N_, Conflict, InvalidValue
from projections import checkpoints
from projections.decoding import EventDecoder, event_name, full_topics, value
from projections.sql import Cursor, ScratchCopy, ViewDatabase
from projections.sql_worker import RecordingCursor, SqlWorker

CLOCK_SKEW = timedelta(seconds=15)  # > the stores' 10 s lock timeout a command's save may wait
DEFAULT_CHECKPOINT_EVERY = 25_000
# A rebuild of a log this long runs its SQL in a second process (`projections.sql_worker`): below it, starting
# one costs more than it saves.
WORKER_FROM = 50_000
Handler = Callable[[Cursor, str, dict[str, Any]], None]
TRACKING_TABLE = (
    "CREATE TABLE IF NOT EXISTS kapida_tracking (view TEXT PRIMARY KEY, notification_id BIGINT NOT NULL)"
)


class View(Protocol):
    """A read model: its name, its tables, and a handler per event it cares about."""

    name: str
    tables: tuple[str, ...]
    handlers: dict[str, Handler]

    def create(self, cur: Cursor) -> None: ...
    def drop(self, cur: Cursor) -> None: ...


class Replayer:
    """Applies a view's handlers to windows of the log: the one replay loop of catch-up, rebuild and as-of.

    Each window `(start, stop]` of the events table is read with one plain SQL query asking only for the
    topics the view handles: events it ignores are never fetched or decoded.
    """

    def __init__(self, app: Application, db: ViewDatabase, view: View, batch_size: int | None = None) -> None:
        self.db = db
        self.view = view
        self.batch_size = batch_size or (10_000 if not db.database.is_postgres else 5_000)
        self.decoder = EventDecoder(app.mapper)
        self.topics = full_topics(view.handlers)
        handlers = {topic: view.handlers[event_name(topic)] for topic in self.topics}
        # Each topic's handler and its decoder: sealed fields are opened only for handlers that read them.
        self._routes = {topic: (h, self.decoder.decoder_for(h)) for topic, h in handlers.items()}
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        key = "notification_id" if db.database.is_postgres else "rowid"
        originator = "replace(originator_id::text, '-', '')" if db.database.is_postgres else "originator_id"
        self.last_sql = f"SELECT MAX({key}) FROM {table}"
        self.window_sql = (
            f"SELECT {originator}, topic, state FROM {table} WHERE {key}>? AND {key}<=? "
            f"AND topic IN ({','.join('?' * len(self.topics))}) ORDER BY {key}"
        )

    def last(self) -> int:
        """The id of the newest notification in the log."""
        return int(self.db.query(self.last_sql)[0][0] or 0)

    def window(self, start: int, stop: int) -> list[tuple[str, str, bytes]]:
        """The handled events with ids in `(start, stop]`, oldest first."""
        return self.db.scan(self.window_sql, (start, stop, *self.topics))

    def windows(self, start: int, stop: int) -> Iterator[list[tuple[str, str, bytes]]]:
        """`window` after `window` of `(start, stop]`, each `batch_size` ids wide.

        On PostgreSQL the next window is fetched in a thread while the caller applies the current one: the
        server's work and the transfer (which release the GIL) overlap the handlers instead of adding to
        them. SQLite reads in-process, row by row, and gains nothing from it.
        """
        size = self.batch_size
        bounds = [(first, min(first + size, stop)) for first in range(start, stop, size)]
        if not self.db.database.is_postgres or len(bounds) < 2:
            yield from (self.window(*window) for window in bounds)
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kapida-read-ahead") as reader:
            pending = reader.submit(self.window, *bounds[0])
            for following in bounds[1:]:
                rows = pending.result()
                pending = reader.submit(self.window, *following)
                yield rows
            yield pending.result()

    def replay(self, cur: Cursor, start: int, stop: int, until: datetime | None = None) -> int:
        """Apply the handled events of `(start, stop]` to the tables behind `cur`; returns the events applied.

        With `until`, only events whose own timestamp is at or before it are applied, and the scan ends at
        the first event stamped more than `CLOCK_SKEW` later: commands stamp their events when they run, so
        concurrent writers can commit slightly out of time order, but never by that much.
        """
        applied = 0
        for rows in self.windows(start, stop):
            if until is None:
                self.apply(cur, rows)
                applied += len(rows)
                continue
            count, finished = self._apply_until(cur, rows, until)
            applied += count
            if finished:
                break
        return applied

    def replay_in_worker(self, start: int, stop: int) -> bytes:
        """`replay` of `(start, stop]` into a fresh copy of the view whose SQL runs in an `SqlWorker`, while
        this process decodes and runs the handlers; returns the copy's database image."""
        worker = SqlWorker()
        try:
            recorder = RecordingCursor()
            self.view.create(recorder)
            worker.send(recorder.take())
            for rows in self.windows(start, stop):
                self.apply(recorder, rows)
                worker.send(recorder.take())
            return worker.finish()
        finally:
            worker.close()

    def apply(self, cur: Cursor, rows: Sequence[tuple[str, str, bytes]]) -> None:
        routes = self._routes
        for originator_hex, topic, state in rows:
            handler, decode = routes[topic]
            handler(cur, originator_hex, decode(bytes(state)))

    def newest_time(self, cur: Cursor, start: int, stop: int) -> datetime | None:
        """The latest timestamp among the handled events of `(start, stop]` (None if there are none)."""
        newest: datetime | None = None
        for first in range(start, stop, self.batch_size):
            cur.execute(self.window_sql, (first, min(first + self.batch_size, stop), *self.topics))
            for _, _, state in cur.fetchall():
                stamped = event_time(self.decoder.decode_public(bytes(state)))
                newest = stamped if newest is None or stamped > newest else newest
        return newest

    def _apply_until(
        self, cur: Cursor, rows: Sequence[tuple[str, str, bytes]], until: datetime
    ) -> tuple[int, bool]:
        routes, horizon, applied = self._routes, until + CLOCK_SKEW, 0
        for originator_hex, topic, state in rows:
            handler, decode = routes[topic]
            event = decode(bytes(state))
            stamped = event_time(event)
            if stamped > horizon:
                return applied, True
            if stamped <= until:
                handler(cur, originator_hex, event)
                applied += 1
        return applied, False


def event_time(event: dict[str, Any]) -> datetime:
    """When the command that recorded `event` ran (the event's own timestamp, timezone-aware)."""
    return datetime.fromisoformat(value(event["timestamp"]))


class Projector:
    """Keeps one view up to date with the log of one application, exactly once.

    Each batch reads an id window `(position, position + batch]` inside the batch's transaction; events the
    view ignores are never fetched, and the position still moves to the window's end. Every
    `checkpoint_every` events the catch-up also stores a checkpoint of the view (for as-of questions).
    """

    def __init__(
        self,
        app: Application,
        db: ViewDatabase,
        view: View,
        batch_size: int | None = None,
        checkpoint_every: int | None = None,
    ) -> None:
        self.app = app
        self.db = db
        self.view = view
        self.replayer = Replayer(app, db, view, batch_size)
        self.batch_size = self.replayer.batch_size
        self.worker_from = WORKER_FROM
        self.checkpoint_every = (
            checkpoint_every_from_environment() if checkpoint_every is None else checkpoint_every
        )
        with db.transaction() as cur:
            cur.execute(TRACKING_TABLE)
            cur.execute(
                "INSERT INTO kapida_tracking VALUES (?, 0) ON CONFLICT (view) DO NOTHING", (view.name,)
            )
            view.create(cur)
            checkpoints.create_table(cur, db.database.is_postgres)

    def position(self) -> int:
        """The id of the last notification applied to the view."""
        rows = self.db.query("SELECT notification_id FROM kapida_tracking WHERE view=?", (self.view.name,))
        return int(rows[0][0])

    def catch_up(self, max_batches: int | None = None) -> int:
        """Apply every event recorded since the view's position; returns how far the position moved."""
        done, batches, due = 0, 0, None
        while max_batches is None or batches < max_batches:
            count = self._process_next_batch()
            if count == 0:
                break
            done += count
            batches += 1
            due = self._next_checkpoint_due() if due is None else due  # asked only when events arrived
            if due is not None and self.position() >= due:
                self.checkpoint()
                due = self._next_checkpoint_due()
        return done

    def checkpoint(self) -> int:
        """Store the view's tables as they stand now (see `projections.checkpoints`); returns the position."""
        return checkpoints.write(self)

    def rebuild(self) -> int:
        """Replay the whole log into a fresh copy of the view, then swap it in; returns the events read.

        The replay runs in an in-memory SQLite database with the view's own tables and handlers (no disk,
        commits or round trips per batch), and one transaction then replaces the tables and sets the
        position. A crash before that commit leaves the old view and its position untouched, so every event
        is still applied exactly once; events recorded during the replay are applied by the final catch-up.
        The view's checkpoints go in the same transaction: they were made by the handlers being replaced.
        """
        self.replayer.decoder.prepare_for_replay()
        last = self.replayer.last()
        scratch = self._replayed_aside(last)
        try:
            with self.db.attached(scratch), self.db.transaction() as cur:
                self.locked_position(cur)
                self.view.drop(cur)
                self.view.create(cur)
                with self.db.indexes_built_after(cur, self.view.tables):
                    for table in self.view.tables:
                        self.db.copy_table(cur, table, scratch)
                cur.execute(
                    "UPDATE kapida_tracking SET notification_id=? WHERE view=?", (last, self.view.name)
                )
                checkpoints.discard(cur, self.view.name)  # a rebuild means the view's handlers changed
        finally:
            scratch.close()
        return last + self.catch_up()

    def _replayed_aside(self, last: int) -> ScratchCopy:
        """The view replayed from zero to `last` in memory: by an `SqlWorker` on a second core when the log
        is long enough to repay starting one (`worker_from` events), else in this process."""
        if last >= self.worker_from:
            return ScratchCopy.from_image(self.replayer.replay_in_worker(0, last))
        scratch = ScratchCopy()
        try:
            replay = scratch.connection.cursor()
            replay.execute("BEGIN")
            self.view.create(replay)
            self.replayer.replay(replay, 0, last)
            replay.execute("COMMIT")
        except BaseException:
            scratch.close()
            raise
        return scratch

    def _next_checkpoint_due(self) -> int | None:
        if not self.checkpoint_every or not checkpoints.worth_keeping(self.view):
            return None
        return checkpoints.latest_position(self.db, self.view.name) + self.checkpoint_every

    def _process_next_batch(self) -> int:
        with self.db.transaction() as cur:
            position = self.locked_position(cur)
            cur.execute(self.replayer.last_sql)
            stop = min(position + self.batch_size, int(cur.fetchone()[0] or 0))
            if stop <= position:
                return 0
            cur.execute(self.replayer.window_sql, (position, stop, *self.replayer.topics))
            rows = cur.fetchall()
            with self.db.pipeline():
                self.replayer.apply(cur, rows)
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

    def locked_position(self, cur: Cursor) -> int:
        """Read the position under a lock so two projectors can never apply the same batch."""
        lock = " FOR UPDATE" if self.db.database.is_postgres else ""
        cur.execute(f"SELECT notification_id FROM kapida_tracking WHERE view=?{lock}", (self.view.name,))
        return int(cur.fetchone()[0])


def checkpoint_every_from_environment() -> int:
    """`KAPIDA_CHECKPOINT_EVERY` events between automatic checkpoints (0: none); default 25,000."""
    text = os.environ.get("KAPIDA_CHECKPOINT_EVERY", "").strip()
    if not text:
        return DEFAULT_CHECKPOINT_EVERY
    if not text.isdigit():
        raise InvalidValue(
            "KAPIDA_CHECKPOINT_EVERY", N_("{text!r} is not a whole number of events"), text=text
        )
    return int(text)
