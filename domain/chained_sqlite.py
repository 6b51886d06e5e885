"""eventsourcing's SQLite store, each event linked into the hash chain in the transaction that inserts it.

Named by `PERSISTENCE_MODULE` (see `domain.database`). Notification ids are the events table's rowid,
as the library uses them. The insert has taken SQLite's write lock before the chain's head is read, so
two writers cannot link to the same head. A database that had events before the chain existed gets them
chained, in order, when the chain table is first created (`Genesis.events_before` says how many).
"""

from __future__ import annotations

import secrets
import sqlite3
import uuid
from binascii import a2b_hex  # unlike bytes.fromhex, refuses whitespace: the stored text is what counts
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from eventsourcing import sqlite  # the module, not its factory: `Factory` must be the only one here
from eventsourcing.persistence import StoredEvent

from domain.ledger import (
    CHAIN_TABLE,
    GENESIS_TABLE,
    TAMPERED,
    ChainBroken,
    EventRow,
    Genesis,
    Link,
    LinkRow,
    extend,
    micros,
)

CREATE = (
    f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (notification_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, "
    "recorded_at TEXT NOT NULL, hash BLOB NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {GENESIS_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), database_id TEXT "
    "NOT NULL, salt BLOB NOT NULL, created_at TEXT NOT NULL, events_before INTEGER NOT NULL)",
)
HEAD = (
    f"SELECT notification_id, seq, recorded_at, hash FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT 1"
)
BACKFILL_BATCH = 10_000


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(sep=" ")


def _micros(text: str) -> int:
    try:
        return micros(datetime.fromisoformat(text))
    except (TypeError, ValueError):  # not a time any more: the link was altered and will not match
        return -1


def _link(row: Sequence[Any]) -> Link:
    return Link(row[0], row[1], _micros(row[2]), row[3])


def _genesis(c: sqlite3.Cursor) -> Genesis | None:
    c.execute(f"SELECT database_id, salt, created_at, events_before FROM {GENESIS_TABLE}")
    row = c.fetchone()
    if row is None:
        return None
    return Genesis(row[0], bytes(row[1]), datetime.fromisoformat(row[2]), row[3])


class ChainedSQLiteApplicationRecorder(sqlite.SQLiteApplicationRecorder):
    """Inserts events and their chain links together; reads both for `kapida audit verify`."""

    _genesis: Genesis | None = None

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            for statement in CREATE:
                c.execute(statement)
        with self.datastore.transaction(commit=True) as c:
            self._start_chain(c.sqlite_cursor)

    def _start_chain(self, c: sqlite3.Cursor) -> None:
        """Write the genesis row once; its insert takes the write lock, then older events are chained."""
        now = datetime.now(UTC)
        c.execute(
            f"INSERT INTO {GENESIS_TABLE} VALUES (1, ?, ?, ?, "
            f"(SELECT COUNT(*) FROM {self.events_table_name})) ON CONFLICT (id) DO NOTHING",
            (str(uuid.uuid4()), secrets.token_bytes(32), _stamp(now)),
        )
        if c.rowcount != 1:
            return
        genesis = _genesis(c)
        assert genesis is not None
        head: Link | None = None
        after = 0
        while True:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, BACKFILL_BATCH),
            )
            rows = c.fetchall()
            if not rows:
                return
            events = [StoredEvent(r[1], r[2], r[3], r[4]) for r in rows]
            links = extend(head, genesis, [r[0] for r in rows], events, now)
            self._write_links(c, links, now)
            head, after = links[-1], rows[-1][0]

    def _insert_events(
        self, c: sqlite.SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        if stored_events:
            cursor = c.sqlite_cursor
            genesis = self._genesis or _genesis(cursor)
            if genesis is None:
                raise ChainBroken(
                    f"{GENESIS_TABLE} is empty: the hash chain was removed; run `kapida audit verify`"
                )
            self._genesis = genesis  # it never changes: one query less per save
            cursor.execute(HEAD)
            row = cursor.fetchone()
            now = datetime.now(UTC)
            links = extend(_link(row) if row else None, genesis, ids, stored_events, now)
            self._write_links(cursor, links, now)
        return ids

    @staticmethod
    def _write_links(c: sqlite3.Cursor, links: list[Link], recorded: datetime) -> None:
        stamp = _stamp(recorded)
        c.executemany(
            f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?, ?)",
            [(k.notification_id, k.seq, stamp, k.hash) for k in links],
        )

    @contextmanager
    def chain_reader(self) -> Iterator[SQLiteChainReader]:
        """One read transaction: the walk sees a single snapshot while others keep writing (WAL)."""
        with self.datastore.transaction(commit=False) as c:
            yield SQLiteChainReader(c.sqlite_cursor, self.events_table_name)


def _checked(row: Sequence[Any]) -> EventRow:
    """A row with an originator id that is not hex text any more: a record that matches no link."""
    try:
        return (row[0], a2b_hex(row[1]), row[2], row[3], row[4])
    except (TypeError, ValueError):
        return (row[0], b"", -1, f"{TAMPERED}{row[1]!r}", b"")


class SQLiteChainReader:
    """`ChainReader` over one SQLite read transaction; plain tuples, no event decoding."""

    def __init__(self, cursor: sqlite3.Cursor, events_table: str) -> None:
        self._c = cursor
        self._c.row_factory = None  # plain tuples: the connection's sqlite3.Row costs a third of the walk
        self._events_sql = (
            # an originator id that is not text any more reads as NULL: that row then matches no link
            "SELECT rowid, CASE WHEN typeof(originator_id) = 'text' THEN originator_id END, "
            f"originator_version, topic, state FROM {events_table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )

    def genesis(self) -> Genesis | None:
        return _genesis(self._c)

    def events(self, after: int, limit: int) -> list[EventRow]:
        rows = self._c.execute(self._events_sql, (after, limit)).fetchall()
        try:  # values of another type than Kapıda stored fail here or in the walk, which reports them
            return [(r[0], a2b_hex(r[1]), r[2], r[3], r[4]) for r in rows]
        except (TypeError, ValueError):
            return [_checked(r) for r in rows]

    def links(self, after: int, limit: int) -> list[LinkRow]:
        rows = self._c.execute(
            f"SELECT notification_id, seq, recorded_at, hash FROM {CHAIN_TABLE} WHERE notification_id > ? "
            "ORDER BY notification_id LIMIT ?",
            (after, limit),
        ).fetchall()
        stamps = {text: _micros(text) for text in {r[2] for r in rows}}  # a save's links share one time
        return [(r[0], r[1], stamps[r[2]], r[3]) for r in rows]

    def link_before(self, notification_id: int) -> Link | None:
        return self._one("notification_id < ? ORDER BY notification_id DESC", notification_id)

    def link_at(self, notification_id: int) -> Link | None:
        return self._one("notification_id = ?", notification_id)

    def _one(self, where: str, notification_id: int) -> Link | None:
        row = self._c.execute(
            f"SELECT notification_id, seq, recorded_at, hash FROM {CHAIN_TABLE} WHERE {where} LIMIT 1",
            (notification_id,),
        ).fetchone()
        return _link(row) if row else None


class Factory(sqlite.SQLiteFactory):
    """The library's SQLite factory with the chained application recorder."""

    application_recorder_class = ChainedSQLiteApplicationRecorder
