"""What an intruder with database access does to the log, in plain SQL on SQLite or PostgreSQL."""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID, uuid4

import psycopg

from domain.database import Database
from domain.ledger import CHAIN_TABLE


class RawLog:
    """Direct SQL on the events and chain tables, bypassing Kapıda entirely."""

    def __init__(self, database: Database, events_table: str) -> None:
        self.database = database
        self.events = events_table
        self.id = "notification_id" if database.is_postgres else "rowid"

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        sql = sql.format(events=self.events, chain=CHAIN_TABLE, id=self.id)
        if self.database.is_postgres:
            options = f"-c search_path={self.database.schema}"
            with psycopg.connect(self.database.dsn or "", options=options, autocommit=True) as conn:
                cursor = conn.execute(sql.replace("?", "%s"), params)
                return list(cursor.fetchall()) if cursor.description else []
        with sqlite3.connect(str(self.database.sqlite_path)) as conn:
            rows = conn.execute(sql, params).fetchall()
        conn.close()
        return rows

    def originator(self, value: Any) -> Any:
        """An originator id as the events table stores it (uuid on PostgreSQL, hex text on SQLite)."""
        return value if self.database.is_postgres else UUID(str(value)).hex

    def flip_state_byte(self, notification_id: int) -> None:
        (state,) = self.run("SELECT state FROM {events} WHERE {id} = ?", (notification_id,))[0]
        changed = bytearray(state)
        changed[len(changed) // 2] ^= 0x01
        self.run("UPDATE {events} SET state = ? WHERE {id} = ?", (bytes(changed), notification_id))

    def delete_event(self, notification_id: int) -> None:
        self.run("DELETE FROM {events} WHERE {id} = ?", (notification_id,))

    def delete_link(self, notification_id: int) -> None:
        self.run("DELETE FROM {chain} WHERE notification_id = ?", (notification_id,))

    def swap_payloads(self, first: int, second: int) -> None:
        """Swap two records' topics and states (their keys stay: the primary key would refuse a swap)."""
        rows = {n: (t, s) for n, t, s in self.run("SELECT {id}, topic, state FROM {events}")}
        for here, there in ((first, second), (second, first)):
            topic, state = rows[there]
            self.run("UPDATE {events} SET topic = ?, state = ? WHERE {id} = ?", (topic, state, here))

    def insert_foreign(self, like: int) -> int:
        """A row written straight into the events table, copying one record's topic and state."""
        topic, state = self.run("SELECT topic, state FROM {events} WHERE {id} = ?", (like,))[0]
        self.run(
            "INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
            (self.originator(uuid4()), topic, state),
        )
        return int(self.run("SELECT MAX({id}) FROM {events}")[0][0])

    def last_id(self) -> int:
        return int(self.run("SELECT MAX({id}) FROM {events}")[0][0])
