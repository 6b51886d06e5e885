"""eventsourcing's PostgreSQL store, each event linked into the hash chain in the transaction that inserts it.

Named by `PERSISTENCE_MODULE` (see `domain.database`). The library locks the events table in EXCLUSIVE
mode before each insert, so the head read after that lock cannot race with another writer. The insert
runs as one plain transaction instead of the library's pipeline: an error anywhere, chain included,
rolls the events back too. Needs `POSTGRES_ENABLE_DB_FUNCTIONS` off (the function path inserts alone).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from eventsourcing import postgres  # the module, not its factory: `Factory` must be the only one here
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow, TupleRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from domain.ledger import (
    CHAIN_TABLE,
    GENESIS_TABLE,
    ChainBroken,
    EventRow,
    Genesis,
    Link,
    LinkRow,
    extend,
    micros,
)

BACKFILL_BATCH = 10_000


class ChainedPostgresApplicationRecorder(postgres.PostgresApplicationRecorder):
    """Inserts events and their chain links together; reads both for `kapida audit verify`."""

    def __init__(
        self, datastore: postgres.PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.enable_db_functions:
            raise ValueError("the chained recorder needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        self._genesis: Genesis | None = None
        self.chain = Identifier(datastore.schema, CHAIN_TABLE)
        self.genesis_table = Identifier(datastore.schema, GENESIS_TABLE)
        self.events_table = Identifier(datastore.schema, events_table_name)
        self.insert_events_statement += SQL(", originator_id, originator_version")
        # The events as four arrays in PostgreSQL's binary format, not the library's array of composite
        # values in text: that one escapes every field with a regular expression here and has the server
        # parse hex, which cost more than the rest of a save (measured; see BENCHMARKS.md, run 5).
        self._insert_columns_sql = SQL(
            "INSERT INTO {} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%s::{}[], %s::bigint[], %s::text[], %s::bytea[]) "
            "RETURNING notification_id, originator_id, originator_version"
        ).format(self.events_table, SQL(datastore.originator_id_type))
        self._head_sql = SQL(
            "SELECT notification_id, seq, recorded_at, hash FROM {} ORDER BY notification_id DESC LIMIT 1"
        ).format(self.chain)
        self._insert_links_sql = SQL(
            "INSERT INTO {} SELECT i, s, %s, h "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[]) AS t(i, s, h)"
        ).format(self.chain)

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            self._start_chain(curs)

    def _start_chain(self, curs: Cursor[DictRow]) -> None:
        """Under the events table's lock: create the chain, write its genesis once, chain older events."""
        curs.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(self.events_table))
        curs.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (notification_id bigint PRIMARY KEY, seq bigint NOT NULL, "
                "recorded_at timestamptz NOT NULL, hash bytea NOT NULL)"
            ).format(self.chain)
        )
        curs.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (id integer PRIMARY KEY CHECK (id = 1), "
                "database_id text NOT NULL, salt bytea NOT NULL, created_at timestamptz NOT NULL, "
                "events_before bigint NOT NULL)"
            ).format(self.genesis_table)
        )
        now = datetime.now(UTC)
        curs.execute(
            SQL(
                "INSERT INTO {} VALUES (1, %s, %s, %s, (SELECT COUNT(*) FROM {})) ON CONFLICT (id) DO NOTHING"
            ).format(self.genesis_table, self.events_table),
            (str(uuid.uuid4()), secrets.token_bytes(32), now),
        )
        if curs.rowcount != 1:
            return
        genesis = self._read_genesis(curs)
        assert genesis is not None
        head: Link | None = None
        after = 0
        select = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(self.events_table)
        while rows := curs.execute(select, (after, BACKFILL_BATCH)).fetchall():
            events = [
                StoredEvent(r["originator_id"], r["originator_version"], r["topic"], r["state"]) for r in rows
            ]
            links = extend(head, genesis, [r["notification_id"] for r in rows], events, now)
            self._write_links(curs, links, now)
            head, after = links[-1], rows[-1]["notification_id"]

    def _read_genesis(self, curs: Cursor[Any]) -> Genesis | None:
        curs.execute(
            SQL("SELECT database_id, salt, created_at, events_before FROM {}").format(self.genesis_table)
        )
        row = curs.fetchone()
        if row is None:
            return None
        values = list(row.values()) if isinstance(row, dict) else list(row)
        return Genesis(values[0], bytes(values[1]), values[2], values[3])

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return None
        # One plain transaction (not the library's pipeline: measured, psycopg's pipeline mode cost more
        # CPU per save than the round trips it saves here). Any error rolls the events back with the links.
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
            conn.cursor() as head_cursor,
        ):
            self._insert_stored_events(curs, stored_events, **kwargs)  # locks the table, then inserts
            # read after the lock: no other writer can move the head until this transaction ends
            head_cursor.execute(self._head_sql, prepare=True)
            returned, row = curs.fetchall(), head_cursor.fetchone()
            # RETURNING order follows the insert in practice; matching on the key makes it certain.
            id_of = {(r["originator_id"], r["originator_version"]): r["notification_id"] for r in returned}
            ids = [id_of[(e.originator_id, e.originator_version)] for e in stored_events]
            genesis = self._genesis or self._read_genesis(curs)
            if genesis is None:
                raise ChainBroken(
                    f"{GENESIS_TABLE} is empty: the hash chain was removed; run `kapida audit verify`"
                )
            self._genesis = genesis  # it never changes: one query less per save
            head = (
                Link(row["notification_id"], row["seq"], micros(row["recorded_at"]), bytes(row["hash"]))
                if row
                else None
            )
            now = datetime.now(UTC)
            self._write_links(curs, extend(head, genesis, ids, stored_events, now), now)
        return ids

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """The library's insert (table lock, notification, the rows), its rows sent as binary arrays."""
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self._insert_columns_sql,
            (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events],
                [e.state for e in stored_events],
            ),
            prepare=True,
            binary=True,
        )

    def _write_links(self, curs: Cursor[Any], links: list[Link], recorded: datetime) -> None:
        curs.execute(
            self._insert_links_sql,
            (recorded, [k.notification_id for k in links], [k.seq for k in links], [k.hash for k in links]),
            prepare=True,
        )

    @contextmanager
    def chain_reader(self) -> Iterator[PostgresChainReader]:
        """One REPEATABLE READ transaction: the walk sees one snapshot while others keep writing."""
        with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
            curs = conn.cursor(row_factory=tuple_row)
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield PostgresChainReader(self, curs)


class PostgresChainReader:
    """`ChainReader` over one PostgreSQL snapshot; plain tuples, no event decoding."""

    def __init__(self, recorder: ChainedPostgresApplicationRecorder, curs: Cursor[TupleRow]) -> None:
        self._recorder = recorder
        self._c = curs
        # Rows come back ready to hash (the id's 16 bytes, µs since 1970) in the binary protocol (no hex for
        # bytea): the walk does no per-row conversion on PostgreSQL.
        self._events_sql = SQL(
            "SELECT notification_id, uuid_send(originator_id), originator_version, topic, state FROM {} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(recorder.events_table)
        self._links_sql = SQL(
            "SELECT notification_id, seq, (extract(epoch FROM recorded_at) * 1000000)::bigint, hash FROM {} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(recorder.chain)

    def genesis(self) -> Genesis | None:
        return self._recorder._read_genesis(self._c)

    def events(self, after: int, limit: int) -> list[EventRow]:
        return cast(
            list[EventRow],
            self._c.execute(self._events_sql, (after, limit), prepare=True, binary=True).fetchall(),
        )

    def links(self, after: int, limit: int) -> list[LinkRow]:
        return cast(
            list[LinkRow],
            self._c.execute(self._links_sql, (after, limit), prepare=True, binary=True).fetchall(),
        )

    def link_before(self, notification_id: int) -> Link | None:
        return self._one(SQL("notification_id < %s ORDER BY notification_id DESC"), notification_id)

    def link_at(self, notification_id: int) -> Link | None:
        return self._one(SQL("notification_id = %s"), notification_id)

    def _one(self, where: SQL, notification_id: int) -> Link | None:
        query: Composed = SQL(
            "SELECT notification_id, seq, recorded_at, hash FROM {} WHERE {} LIMIT 1"
        ).format(self._recorder.chain, where)
        row = self._c.execute(query, (notification_id,)).fetchone()
        return Link(row[0], row[1], micros(row[2]), row[3]) if row else None


class Factory(postgres.PostgresFactory):
    """The library's PostgreSQL factory with the chained application recorder."""

    application_recorder_class = ChainedPostgresApplicationRecorder
