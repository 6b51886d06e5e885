"""Wires Kapıda together from configuration: the one place that knows which database is in use."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from dataclasses import dataclass

import psycopg

from domain.database import Database
from domain.service import Kapida
from projections.caseload import CaseloadView
from projections.dispatch import DispatchView
from projections.household_index import HouseholdIndexView
from projections.reports import ReportView
from projections.runner import Projector
from projections.sql import ViewDatabase


@dataclass
class Services:
    """The command side, the read-model database and the projectors that keep it current."""

    app: Kapida
    views: ViewDatabase
    caseload: Projector
    dispatch: Projector
    reports: Projector | None = None
    household_index: Projector | None = None
    national_id_key: bytes = b""

    @property
    def projectors(self) -> list[Projector]:
        extra = [p for p in (self.reports, self.household_index) if p is not None]
        return [self.caseload, self.dispatch, *extra]

    def catch_up(self) -> int:
        """Bring every read model up to date with the log; returns the events read."""
        return sum(p.catch_up() for p in self.projectors)

    def rebuild(self) -> int:
        return sum(p.rebuild() for p in self.projectors)

    def close(self) -> None:
        self.views.close()
        self.app.close()


def bootstrap(database: Database | None = None) -> Services:
    """Open the event store named by `KAPIDA_DB` (or `database`) and its read models."""
    database = database or Database.from_environment()
    views = ViewDatabase(database)  # first: it creates the PostgreSQL schema the event store uses
    app = Kapida(env=database.eventsourcing_env())
    app.finish_erasures()  # an erasure interrupted between its event and its key's destruction
    key = national_id_key(views)
    return Services(
        app=app,
        views=views,
        caseload=Projector(app, views, CaseloadView()),
        dispatch=Projector(app, views, DispatchView()),
        reports=Projector(app, views, ReportView()),
        household_index=Projector(app, views, HouseholdIndexView(key)),
        national_id_key=key,
    )


def national_id_key(views: ViewDatabase) -> bytes:
    """The HMAC key of the national-id index, the same for every process on this database.

    From `KAPIDA_SECRET` when the deployment sets it (kept outside the database); otherwise a random key
    made once and stored in the database (`kapida_keys`), so the CLI and every server share it whatever
    their working folder. The index records which key built it; a change is refused until
    `kapida projections rebuild`.
    """
    configured = os.environ.get("KAPIDA_SECRET", "")
    if configured:
        return hmac.new(configured.encode(), b"kapida national-id index v1", hashlib.sha256).digest()
    stored = "SELECT value FROM kapida_keys WHERE name='national_id_index'"
    try:  # the usual case: read it without taking the writer's lock
        return bytes.fromhex(str(views.query(stored)[0][0]))
    except (IndexError, sqlite3.OperationalError, psycopg.errors.UndefinedTable):
        pass  # first use on this database: make it below
    with views.transaction() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS kapida_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        cur.execute(
            "INSERT INTO kapida_keys VALUES ('national_id_index', ?) ON CONFLICT (name) DO NOTHING",
            (secrets.token_hex(32),),
        )
        cur.execute("SELECT value FROM kapida_keys WHERE name='national_id_index'")
        return bytes.fromhex(str(cur.fetchone()[0]))
