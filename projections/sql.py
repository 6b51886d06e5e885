"""One small adapter over sqlite3 and psycopg, so each read model is written once in portable SQL."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import psycopg

from domain.database import Database
from projections.sql_worker import PAGE_SIZE

Params = Sequence[Any]
# Read-model tables whose rows an erasure deletes or blanks: vacuumed afterwards on PostgreSQL.
ERASED_FROM = (
    "cl_contacts",
    "cl_households",
    "cl_suspensions",
    "dp_outcomes",
    "dp_trips",
    "hx_national_ids",
    "hx_people",
)


class Cursor(Protocol):
    """The part of a DB-API cursor the read models use."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Params = ()) -> Any: ...
    def executemany(self, sql: str, rows: Sequence[Params]) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


@lru_cache(maxsize=512)
def _to_pyformat(sql: str) -> str:
    """Read models are written with `?` placeholders; psycopg wants `%s`."""
    return sql.replace("%", "%%").replace("?", "%s")


class _PostgresCursor:
    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def execute(self, sql: str, params: Params = ()) -> Any:
        return self._cursor.execute(_to_pyformat(sql), params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> Any:
        return self._cursor.executemany(_to_pyformat(sql), rows)

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def copy_rows(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """Bulk-load with `COPY`: one stream instead of a statement per row."""
        with self._cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()


def create_tables(cur: Cursor, tables: dict[str, str], indexes: Sequence[str] = ()) -> None:
    """A view's tables (name → column definitions) and their indexes, if they do not exist yet."""
    for table, columns in tables.items():
        cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
    for statement in indexes:
        cur.execute(statement)


def drop_tables(cur: Cursor, tables: Iterable[str]) -> None:
    for table in tables:
        cur.execute(f"DROP TABLE IF EXISTS {table}")


class ScratchCopy:
    """A private in-memory SQLite database a view is rebuilt in before it is swapped into the live one.

    It is a named shared-cache database so that the live SQLite connection can attach it and copy each
    table with one `INSERT ... SELECT` that never turns rows into Python objects.
    """

    def __init__(self, secure_delete: bool = False) -> None:
        """`secure_delete`: zero what deletes and updates free, for a copy whose whole image is kept (a
        checkpoint): its blanked personal columns must not linger in the pages' free space."""
        self.uri = f"file:kapida_scratch_{uuid.uuid4().hex}?mode=memory&cache=shared"
        self.connection = sqlite3.connect(self.uri, uri=True, isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=OFF")  # thrown away on failure anyway
        self.connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
        self.connection.execute(f"PRAGMA secure_delete={'ON' if secure_delete else 'OFF'}")
        self.image: bytes | None = None
        self._loaded = False

    @classmethod
    def from_image(cls, image: bytes) -> ScratchCopy:
        """A copy made elsewhere (by the SQL worker), from its database image. SQLite does not share a
        deserialized database through the shared cache, so the live connection loads `image` itself."""
        copy = cls()
        copy.image = image
        return copy

    def rows(self, table: str) -> Iterable[Sequence[Any]]:
        if self.image is not None and not self._loaded:  # loaded on demand: SQLite attaches `image` itself
            self.connection.deserialize(self.image)
            self._loaded = True
        return self.connection.execute(f"SELECT * FROM {table}")

    def close(self) -> None:
        self.connection.close()


SCRATCH_ALIAS = "kapida_scratch"


class ViewDatabase:
    """A connection to the database that holds the events, for read models and their tracking records."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: psycopg.Connection[Any] | None = None
        self._log_reader: sqlite3.Connection | None = None
        if database.is_postgres:
            self._postgres = self._connect_postgres()
        else:
            assert database.sqlite_path is not None
            database.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            self._sqlite = sqlite3.connect(
                database.sqlite_path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._sqlite.execute("PRAGMA journal_mode=WAL")
            self._sqlite.execute("PRAGMA synchronous=NORMAL")
            # An erased household's deleted or blanked cells are zeroed in their page (crypto-shredding);
            # FAST skips zeroing whole freed pages, which would double the cost of a rebuild's table swap.
            self._sqlite.execute("PRAGMA secure_delete=FAST")
            # Read models are keyed by random ids; the default 2 MiB page cache thrashes on a rebuild.
            self._sqlite.execute("PRAGMA cache_size=-262144")

    def _connect_postgres(self) -> psycopg.Connection[Any]:
        connection = psycopg.connect(self.database.dsn or "", autocommit=False, connect_timeout=5)
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.database.schema}"')
        connection.execute(f'SET search_path TO "{self.database.schema}"')
        connection.commit()
        return connection

    def _live_postgres(self) -> psycopg.Connection[Any]:
        """The connection, opened again if the server dropped it (a restart): the failed call raised, the
        next one works once the server is back."""
        assert self._postgres is not None
        if self._postgres.closed or self._postgres.broken:
            self._postgres.close()
            self._postgres = self._connect_postgres()
        return self._postgres

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """All or nothing: a read-model batch and its tracking record commit together."""
        if self._postgres is not None:
            connection = self._live_postgres()
            with connection.transaction(), connection.cursor() as cursor:
                yield _PostgresCursor(cursor)
            return
        assert self._sqlite is not None
        sqlite_cursor = self._sqlite.cursor()
        sqlite_cursor.execute("BEGIN IMMEDIATE")
        try:
            yield sqlite_cursor
        except BaseException:
            self._sqlite.rollback()
            raise
        self._sqlite.commit()

    @classmethod
    def over_sqlite(cls, connection: sqlite3.Connection) -> ViewDatabase:
        """Read models held in an existing SQLite connection (an as-of copy), for the same queries."""
        views = cls.__new__(cls)
        views.database = Database(sqlite_path=Path(":memory:"))
        views._sqlite, views._postgres, views._log_reader = connection, None, None
        return views

    @contextmanager
    def attached(self, scratch: ScratchCopy) -> Iterator[None]:
        """Make `scratch` readable from the live SQLite connection (ATTACH cannot run in a transaction)."""
        if self._sqlite is None:
            yield
            return
        if scratch.image is None:
            self._sqlite.execute(f"ATTACH DATABASE ? AS {SCRATCH_ALIAS}", (scratch.uri,))
        else:
            self._sqlite.execute(f"ATTACH DATABASE ':memory:' AS {SCRATCH_ALIAS}")
            self._sqlite.deserialize(scratch.image, name=SCRATCH_ALIAS)
        try:
            yield
        finally:
            self._sqlite.execute(f"DETACH DATABASE {SCRATCH_ALIAS}")

    def copy_table(self, cur: Cursor, table: str, scratch: ScratchCopy) -> None:
        """Fill the live `table` from the scratch copy inside the transaction of `cur`: `COPY` on
        PostgreSQL, one `INSERT ... SELECT` from the attached copy on SQLite (inside `attached`)."""
        if isinstance(cur, _PostgresCursor):
            cur.copy_rows(table, scratch.rows(table))
            return
        cur.execute(f"INSERT INTO main.{table} SELECT * FROM {SCRATCH_ALIAS}.{table}")

    @contextmanager
    def indexes_built_after(self, cur: Cursor, tables: Sequence[str]) -> Iterator[None]:
        """Drop the secondary indexes of `tables` and create them again on leaving, inside the transaction
        of `cur`: building an index over a filled table (one sort) is cheaper than updating it row by row
        during a bulk copy. Primary keys stay, so duplicates are still refused as they arrive."""
        if isinstance(cur, _PostgresCursor):
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname=current_schema() "
                "AND tablename = ANY(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conname=i.indexname AND c.connamespace=current_schema()::regnamespace)",
                (list(tables),),
            )
        else:
            marks = ",".join("?" * len(tables))
            cur.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                tuple(tables),
            )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {name}")
        yield
        for _, definition in indexes:
            cur.execute(definition)

    def copy_to_scratch(self, cur: Cursor, table: str, scratch: ScratchCopy) -> None:
        """Fill the scratch copy's `table` from the live one, inside the transaction of `cur` (a checkpoint):
        one `INSERT ... SELECT` into the attached copy on SQLite, rows through Python on PostgreSQL."""
        if isinstance(cur, _PostgresCursor):
            cur.execute(f"SELECT * FROM {table}")
            rows = cur.fetchall()
            if rows:
                marks = ",".join("?" * len(rows[0]))
                scratch.connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            return
        cur.execute(f"INSERT INTO {SCRATCH_ALIAS}.{table} SELECT * FROM main.{table}")

    def blank_in_scratch(self, cur: Cursor, scratch: ScratchCopy, table: str, blanks: dict[str, Any]) -> None:
        """Overwrite columns of the scratch copy's `table` with blank values (through the live connection on
        SQLite, which holds the attached copy's table lock inside the transaction of `cur`)."""
        assignments = ", ".join(f"{column}=?" for column in blanks)
        values = tuple(blanks.values())
        if isinstance(cur, _PostgresCursor):
            scratch.connection.execute(f"UPDATE {table} SET {assignments}", values)
        else:
            cur.execute(f"UPDATE {SCRATCH_ALIAS}.{table} SET {assignments}", values)

    def pipeline(self) -> AbstractContextManager[Any]:
        """On PostgreSQL, send a batch's statements in one round trip; a no-op on SQLite."""
        return self._postgres.pipeline() if self._postgres is not None else nullcontext()

    def query(self, sql: str, params: Params = (), binary: bool = False) -> list[Any]:
        """Rows of a read-only query, as tuples. `binary`: PostgreSQL sends the rows in its binary format,
        byte strings as they are rather than as hex text of twice their size."""
        if self._postgres is not None:
            connection = self._live_postgres()
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute(_to_pyformat(sql), params, binary=binary)
                return cursor.fetchall()
        assert self._sqlite is not None
        return list(self._sqlite.execute(sql, params).fetchall())

    def scan(self, sql: str, params: Params = ()) -> list[Any]:
        """Rows of one window of a pass over the event log (a replay), in PostgreSQL's binary format.

        On SQLite they come through a second, read-only connection with SQLite's default page cache: one pass
        over the log reads each page once, and filling the live connection's large cache (made for the read
        models' random keys) made that pass slower by a fifth (measured).
        """
        if self._postgres is not None:
            return self.query(sql, params, binary=True)
        if self._log_reader is None:
            assert self.database.sqlite_path is not None
            read_only = f"{self.database.sqlite_path.resolve().as_uri()}?mode=ro"  # as_uri escapes ? # %
            self._log_reader = sqlite3.connect(read_only, uri=True, timeout=30, check_same_thread=False)
        return self._log_reader.execute(sql, params).fetchall()

    def scrub(self) -> None:
        """After an erasure: push deleted rows out of the SQLite write-ahead log; vacuum on PostgreSQL."""
        if self._sqlite is not None:
            self._sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        assert self._postgres is not None
        self._postgres.autocommit = True
        try:
            present = self.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema=current_schema() "
                "AND table_name = ANY(?)",
                (list(ERASED_FROM),),
            )
            if present:
                self._postgres.execute(f"VACUUM {', '.join(sorted(row[0] for row in present))}")
        finally:
            self._postgres.autocommit = False

    def close(self) -> None:
        if self._postgres is not None:
            self._postgres.close()
        if self._sqlite is not None:
            self._sqlite.close()
        if self._log_reader is not None:
            self._log_reader.close()


def memory_database() -> sqlite3.Connection:
    """A scratch SQLite database in memory for a replayed copy of a view (rebuilds, checkpoints, as-of)."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    memory.execute("PRAGMA journal_mode=OFF")  # the scratch copy is thrown away on failure anyway
    return memory
