"""Read what a database really holds, below the application: raw event payloads and every table's text."""

from __future__ import annotations

from pathlib import Path

import psycopg

from domain.database import Database
from domain.service import Kapida


def raw_payloads(app: Kapida) -> list[bytes]:
    """The `state` column of every stored event, as bytes."""
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    return [bytes(n.state) for n in app.recorder.select_notifications(start=1, limit=100_000)] or [
        table.encode()
    ]


def everything_stored(database: Database) -> bytes:
    """Every byte the database keeps: the SQLite file with its WAL, or every row of every table of the
    PostgreSQL schema (bytea as hex and as raw bytes)."""
    if database.sqlite_path is not None:
        files = [Path(f"{database.sqlite_path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    chunks: list[bytes] = []
    with psycopg.connect(database.dsn or "", autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema=%s", (database.schema,)
        ).fetchall()
        for (table,) in tables:
            for row in conn.execute(f'SELECT * FROM "{database.schema}"."{table}"').fetchall():
                for cell in row:
                    chunks.append(bytes(cell) if isinstance(cell, bytes | memoryview) else str(cell).encode())
    return b"\n".join(chunks)
