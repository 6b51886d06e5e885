"""Wires Kapıda together from configuration: the one place that knows which database is in use."""

from __future__ import annotations

from dataclasses import dataclass

from domain.database import Database
from domain.service import Kapida
from projections.caseload import CaseloadView
from projections.dispatch import DispatchView
from projections.runner import Projector
from projections.sql import ViewDatabase


@dataclass
class Services:
    """The command side, the read-model database and the projector that keeps it current."""

    app: Kapida
    views: ViewDatabase
    caseload: Projector
    dispatch: Projector

    def catch_up(self) -> int:
        """Bring every read model up to date with the log; returns the events read."""
        return self.caseload.catch_up() + self.dispatch.catch_up()

    def rebuild(self) -> int:
        return self.caseload.rebuild() + self.dispatch.rebuild()

    def close(self) -> None:
        self.views.close()
        self.app.close()


def bootstrap(database: Database | None = None) -> Services:
    """Open the event store named by `KAPIDA_DB` (or `database`) and its read models."""
    database = database or Database.from_environment()
    views = ViewDatabase(database)  # first: it creates the PostgreSQL schema the event store uses
    app = Kapida(env=database.eventsourcing_env())
    app.finish_erasures()  # an erasure interrupted between its event and its key's destruction
    return Services(
        app=app,
        views=views,
        caseload=Projector(app, views, CaseloadView()),
        dispatch=Projector(app, views, DispatchView()),
    )
