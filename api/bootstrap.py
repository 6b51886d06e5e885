"""Wires Kapıda together from configuration: the one place that knows which database is in use."""

from __future__ import annotations

from dataclasses import dataclass

from domain.database import Database
from domain.service import Kapida
from projections.caseload import CaseloadView
from projections.dispatch import DispatchView
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
    reports: Projector

    @property
    def projectors(self) -> tuple[Projector, ...]:
        return (self.caseload, self.dispatch, self.reports)

    def catch_up(self) -> int:
        """Bring every read model up to date with the log; returns the events read."""
        return sum(projector.catch_up() for projector in self.projectors)

    def rebuild(self) -> int:
        return sum(projector.rebuild() for projector in self.projectors)

    def close(self) -> None:
        self.views.close()
        self.app.close()


def bootstrap(database: Database | None = None) -> Services:
    """Open the event store named by `KAPIDA_DB` (or `database`) and its read models."""
    database = database or Database.from_environment()
    views = ViewDatabase(database)  # first: it creates the PostgreSQL schema the event store uses
    app = Kapida(env=database.eventsourcing_env())
    return Services(
        app=app,
        views=views,
        caseload=Projector(app, views, CaseloadView()),
        dispatch=Projector(app, views, DispatchView()),
        reports=Projector(app, views, ReportView()),
    )
