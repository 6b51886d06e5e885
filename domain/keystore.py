"""Per-household keys for crypto-shredding, kept in their own table (or database) apart from the events.

Each key is wrapped with the master key (`KAPIDA_CIPHER_KEY`) when one is configured. Destroying a key
keeps a tombstone row (no key) so a sealed field can never again be written for an erased household.
Deleted key bytes are scrubbed from the storage too: SQLite runs with `secure_delete` and truncates its
write-ahead log, PostgreSQL rewrites the (small) table with `VACUUM FULL`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from base64 import b64decode
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.database import Database
from domain.errors import N_, IllegalTransition
from domain.sealbox import SealBox

KEY_BYTES = 32
CACHE_SIZE = 250_000  # a SealBox is ~200 bytes: 50 MB at most; İzmir serves ~157,000 milk households
# How often a long-running process checks whether another process erased a household.
EPOCH_CHECK_S = 1.0


class KeyWrap:
    """AES-GCM under the master key, the household id as associated data: a wrapped key fits one household."""

    def __init__(self, master_key_b64: str) -> None:
        self._aead = AESGCM(b64decode(master_key_b64))

    def wrap(self, key: bytes, household_id: UUID) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, key, household_id.bytes)

    def unwrap(self, wrapped: bytes, household_id: UUID) -> bytes:
        try:
            return self._aead.decrypt(wrapped[:12], wrapped[12:], household_id.bytes)
        except InvalidTag:
            raise ValueError(
                f"the key of household {household_id} does not open with KAPIDA_CIPHER_KEY"
            ) from None


class KeyStore:
    """`kapida_household_keys(household_id, key, created_at, erasing, erased_at)` plus an in-process LRU."""

    def __init__(self, database: Database | None, master_key: str | None = None) -> None:
        self._master = KeyWrap(master_key) if master_key else None
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, SealBox] = OrderedDict()  # by household id (hex)
        self._epoch, self._epoch_checked = -1, 0.0
        self.epoch_check_s = EPOCH_CHECK_S
        self._postgres: psycopg.Connection[Any] | None = None
        self._database = database
        if database is not None and database.is_postgres:
            self._postgres = self._connect_postgres()
            blob = "BYTEA"
        else:
            path = ":memory:" if database is None else str(database.sqlite_path)
            self._sqlite = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self._sqlite.execute("PRAGMA secure_delete=ON")
            if database is not None:
                self._sqlite.execute("PRAGMA journal_mode=WAL")
                # A power cut may lose the last commits of the shared WAL, in order: never a key whose
                # household's events (always committed after it) survive.
                self._sqlite.execute("PRAGMA synchronous=NORMAL")
            blob = "BLOB"
        self._run(
            f"CREATE TABLE IF NOT EXISTS kapida_household_keys (household_id TEXT PRIMARY KEY, key {blob}, "
            "created_at TEXT NOT NULL, erasing INTEGER NOT NULL DEFAULT 0, erased_at TEXT)"
        )
        self._run("CREATE TABLE IF NOT EXISTS kapida_key_epoch (one INTEGER PRIMARY KEY, erasures BIGINT)")
        self._run("INSERT INTO kapida_key_epoch VALUES (1, 0) ON CONFLICT (one) DO NOTHING")

    # -- keys -----------------------------------------------------------------------------------------
    def box(self, household_id: UUID, create: bool = False) -> SealBox | None:
        """The household's seal box; None once erased (or never created and `create` is False)."""
        with self._lock:
            self._check_epoch()
            cached = self._cache.get(household_id.hex)
            if cached is not None:
                self._cache.move_to_end(household_id.hex)
                return cached
            rows = self._run(
                "SELECT key, erased_at FROM kapida_household_keys WHERE household_id=?", (household_id.hex,)
            )
            if rows and rows[0][1] is not None:
                if create:
                    raise IllegalTransition(
                        N_(
                            "household {household_id} was erased; no personal data may be recorded for it "
                            "again"
                        ),
                        household_id=household_id,
                    )
                return None
            if not rows:
                if not create:
                    return None
                rows = self._insert(household_id)
            box = SealBox(self._unwrap(bytes(rows[0][0]), household_id))
            self._cache[household_id.hex] = box
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return box

    def create_many(self, household_ids: list[UUID]) -> None:
        """Keys for households registered in one save, written in one transaction before their events."""
        now = datetime.now(UTC).isoformat()
        fresh = {household_id: os.urandom(KEY_BYTES) for household_id in household_ids}
        rows = [(h.hex, self._master.wrap(k, h) if self._master else k, now) for h, k in fresh.items()]
        insert = (
            "INSERT INTO kapida_household_keys (household_id, key, created_at) VALUES (?,?,?) "
            "ON CONFLICT (household_id) DO NOTHING"
        )
        with self._lock:
            if self._postgres is not None:
                connection = self._live_postgres()
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.executemany(insert.replace("?", "%s"), rows)
            else:
                self._sqlite.execute("BEGIN IMMEDIATE")
                try:
                    self._sqlite.executemany(insert, rows)
                except BaseException:
                    self._sqlite.execute("ROLLBACK")
                    raise
                self._sqlite.execute("COMMIT")
            for household_id, key in fresh.items():
                self._cache[household_id.hex] = SealBox(key)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def box_by_hex(self, hex_id: str) -> SealBox | None:
        """`box` for the replay's hot path: a cached key costs one dictionary lookup (no lock, no UUID)."""
        if time.monotonic() - self._epoch_checked < self.epoch_check_s:
            cached = self._cache.get(hex_id)
            if cached is not None:
                return cached
        return self.box(UUID(hex_id))

    def _insert(self, household_id: UUID) -> list[Any]:
        fresh = os.urandom(KEY_BYTES)
        wrapped = self._master.wrap(fresh, household_id) if self._master else fresh
        self._run(
            "INSERT INTO kapida_household_keys (household_id, key, created_at) VALUES (?,?,?) "
            "ON CONFLICT (household_id) DO NOTHING",
            (household_id.hex, wrapped, datetime.now(UTC).isoformat()),
        )
        return self._run(
            "SELECT key, erased_at FROM kapida_household_keys WHERE household_id=?", (household_id.hex,)
        )

    def _unwrap(self, stored: bytes, household_id: UUID) -> bytes:
        return self._master.unwrap(stored, household_id) if self._master else stored

    def preload(self) -> None:
        """Load every live key at once (up to the cache's size) before replaying the whole log."""
        with self._lock:
            self._check_epoch()
            rows = self._run(
                "SELECT household_id, key FROM kapida_household_keys WHERE key IS NOT NULL "
                f"LIMIT {CACHE_SIZE}"
            )
            for ident, stored in rows:
                if ident not in self._cache:
                    key = self._master.unwrap(bytes(stored), UUID(ident)) if self._master else bytes(stored)
                    self._cache[ident] = SealBox(key)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    # -- erasure --------------------------------------------------------------------------------------
    def mark_erasing(self, household_id: UUID) -> None:
        """Step one of an erasure: a crash after the event is recorded leaves a mark the sweep finds."""
        self._run("UPDATE kapida_household_keys SET erasing=1 WHERE household_id=?", (household_id.hex,))

    def unmark(self, household_id: UUID) -> None:
        self._run("UPDATE kapida_household_keys SET erasing=0 WHERE household_id=?", (household_id.hex,))

    def pending(self) -> list[UUID]:
        """Households whose erasure started but whose key still exists."""
        rows = self._run("SELECT household_id FROM kapida_household_keys WHERE erasing=1 AND key IS NOT NULL")
        return [UUID(row[0]) for row in rows]

    def destroy(self, household_id: UUID) -> None:
        """Shred the key: the tombstone stays, the key bytes are overwritten and scrubbed from storage."""
        with self._lock:
            self._run(
                "INSERT INTO kapida_household_keys (household_id, key, created_at, erased_at) "
                "VALUES (?, NULL, ?, ?) ON CONFLICT (household_id) DO UPDATE SET key=NULL, erasing=0, "
                "erased_at=excluded.erased_at",
                (household_id.hex, datetime.now(UTC).isoformat(), datetime.now(UTC).isoformat()),
            )
            self._run("UPDATE kapida_key_epoch SET erasures=erasures+1 WHERE one=1")
            self._cache.pop(household_id.hex, None)
            self._scrub()

    def erased(self, household_id: UUID) -> bool:
        rows = self._run(
            "SELECT erased_at FROM kapida_household_keys WHERE household_id=?", (household_id.hex,)
        )
        return bool(rows) and rows[0][0] is not None

    def _scrub(self) -> None:
        if self._postgres is not None:
            self._live_postgres().execute("VACUUM FULL kapida_household_keys")
        else:
            self._sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _check_epoch(self) -> None:
        """Forget cached keys when any process erased a household since the last look (at most 1/s)."""
        now = time.monotonic()
        if now - self._epoch_checked < self.epoch_check_s:
            return
        epoch = int(self._run("SELECT erasures FROM kapida_key_epoch WHERE one=1")[0][0])
        if epoch != self._epoch:
            self._cache.clear()
            self._epoch = epoch
        self._epoch_checked = now

    def forget_cached(self) -> None:
        with self._lock:
            self._cache.clear()
            self._epoch_checked = 0.0

    # -- plumbing -------------------------------------------------------------------------------------
    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            if self._postgres is not None:
                cursor = self._live_postgres().execute(sql.replace("?", "%s"), params)
                return list(cursor.fetchall()) if cursor.description else []
            return list(self._sqlite.execute(sql, params).fetchall())

    def _connect_postgres(self) -> psycopg.Connection[Any]:
        assert self._database is not None
        connection = psycopg.connect(self._database.dsn or "", autocommit=True, connect_timeout=5)
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._database.schema}"')
        connection.execute(f'SET search_path TO "{self._database.schema}"')
        return connection

    def _live_postgres(self) -> psycopg.Connection[Any]:
        """The connection, opened again if the server dropped it (a restart): the call that found it broken
        raised (a 503 for the API), the next one works once the server is back."""
        assert self._postgres is not None
        if self._postgres.closed or self._postgres.broken:
            self._postgres.close()
            self._postgres = self._connect_postgres()
        return self._postgres

    def close(self) -> None:
        if self._postgres is not None:
            self._postgres.close()
        else:
            self._sqlite.close()


def keystore_for(env: Mapping[str, str]) -> KeyStore:
    """The application's key store: `KAPIDA_KEYSTORE` if set, else the event store's own database.

    Without either (an in-memory application) the keys live in memory as long as its events do.
    """
    url = env.get("KAPIDA_KEYSTORE_URL") or os.environ.get("KAPIDA_KEYSTORE", "")
    master = env.get("KAPIDA_MASTER_KEY") or None
    return KeyStore(Database.from_url(url) if url else None, master)
